//! The homepage's list of the latest articles, which loads the list's later pages below the
//! first as the reader asks for them.

use budapest_post_contract::{ArticleList, ArticleSummary};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

use crate::api::{self, ApiFailure};
use crate::components::article_list::ArticleListItem;
use crate::components::status::LoadError;
use crate::islands::{island, Island};

/// What the list is made from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoreArticlesData {
    /// The entries shown first, the lead story left out.
    pub articles: Vec<ArticleSummary>,
    /// The page "More articles" loads, while there is one.
    pub next_page: Option<u32>,
    /// The lead story, shown on its own and so never in the list.
    pub lead_slug: Option<String>,
}

impl MoreArticlesData {
    /// The list as the first page of the article list starts it.
    pub fn first_page(list: ArticleList) -> Self {
        let lead_slug = list.lead.map(|lead| lead.slug);
        Self {
            articles: list
                .articles
                .into_iter()
                .filter(|a| lead_slug.as_ref() != Some(&a.slug))
                .collect(),
            next_page: (list.page < list.total_pages).then_some(list.page + 1),
            lead_slug,
        }
    }
}

/// The list as an island of the homepage.
pub fn more_articles_island(data: MoreArticlesData) -> impl IntoView {
    island(
        Island::MoreArticles,
        &data,
        view! { <MoreArticles data=data.clone() /> },
    )
}

/// The list's state in the browser.
#[derive(Clone, Copy)]
struct Pages {
    articles: RwSignal<Vec<ArticleSummary>>,
    next_page: RwSignal<Option<u32>>,
    loading: RwSignal<bool>,
    failed: RwSignal<Option<ApiFailure>>,
    lead_slug: StoredValue<Option<String>>,
}

impl Pages {
    fn new(data: MoreArticlesData) -> Self {
        Self {
            articles: RwSignal::new(data.articles),
            next_page: RwSignal::new(data.next_page),
            loading: RwSignal::new(false),
            failed: RwSignal::new(None),
            lead_slug: StoredValue::new(data.lead_slug),
        }
    }

    fn load_next(self) {
        let Some(page) = self.next_page.get_untracked() else {
            return;
        };
        if self.loading.get_untracked() {
            return;
        }
        self.loading.set(true);
        self.failed.set(None);
        spawn_local(async move {
            match api::article_list(page).await {
                Ok(next) => {
                    self.next_page
                        .set((next.page < next.total_pages).then_some(next.page + 1));
                    let lead = self.lead_slug.get_value();
                    let fresh = next
                        .articles
                        .into_iter()
                        .filter(|a| lead.as_ref() != Some(&a.slug));
                    self.articles.update(|all| all.extend(fresh));
                }
                Err(failure) => self.failed.set(Some(failure)),
            }
            self.loading.set(false);
        });
    }
}

/// The list with its "More articles" button.
#[component]
pub fn MoreArticles(
    /// What it starts with.
    data: MoreArticlesData,
) -> impl IntoView {
    let pages = Pages::new(data);
    view! {
        <ol class="article-list" role="list">
            <For each=move || pages.articles.get() key=|summary| summary.slug.clone() let:summary>
                <ArticleListItem summary level=3 />
            </For>
        </ol>
        {move || pages.failed.get().map(|failure| view! {
            <LoadError failure on_retry=Callback::new(move |()| pages.load_next()) />
        })}
        {move || pages.next_page.get().is_some().then(|| view! {
            <button
                type="button"
                class="button button--wide"
                data-testid="more-articles"
                disabled=move || pages.loading.get()
                on:click=move |_| pages.load_next()
            >
                {move || if pages.loading.get() { "Loading…" } else { "More articles" }}
            </button>
        })}
    }
}
