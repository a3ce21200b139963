//! `/`: the lead story, the latest articles page by page, and the newsletter sign-up.

use budapest_post_contract::{paths, ArticleList as ListPage, ArticleSummary};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiFailure};
use crate::components::article_list::{ArticleLink, ArticleListItem, Dateline};
use crate::components::newsletter::Newsletter;
use crate::components::status::{loaded, ListSkeleton, LoadError};
use crate::config;
use crate::head::{use_head, PageHead};

/// What the homepage's head says.
pub fn home_head() -> PageHead {
    PageHead {
        title: "Budapest Post — Budapest, Europe and world news".into(),
        description: "English-language news from Budapest, Europe and the world.".into(),
        path: Some(config::paths().home()),
        og_type: "website",
        json_ld: None,
    }
}

/// The homepage.
#[component]
pub fn HomePage() -> impl IntoView {
    use_head(home_head());
    let first_page = api::use_read::<ListPage>(paths::article_index);
    view! {
        <h1 class="visually-hidden">"Budapest Post: the latest news"</h1>
        {loaded(
            first_page,
            || view! { <ListSkeleton rows=8 /> }.into_any(),
            |list| view! { <FrontPage list /> }.into_any(),
        )}
    }
}

/// The list's later pages, appended below the first one as the reader asks for them.
#[derive(Clone, Copy)]
struct MoreArticles {
    /// Every entry shown so far, lead story left out.
    articles: RwSignal<Vec<ArticleSummary>>,
    /// The page "More articles" loads, while there is one.
    next_page: RwSignal<Option<u32>>,
    loading: RwSignal<bool>,
    failed: RwSignal<Option<ApiFailure>>,
    lead_slug: StoredValue<Option<String>>,
}

impl MoreArticles {
    fn new(list: ListPage) -> Self {
        let lead_slug = StoredValue::new(list.lead.map(|l| l.slug));
        let more = Self {
            articles: RwSignal::new(Vec::new()),
            next_page: RwSignal::new((list.page < list.total_pages).then_some(list.page + 1)),
            loading: RwSignal::new(false),
            failed: RwSignal::new(None),
            lead_slug,
        };
        more.append(list.articles);
        more
    }

    /// Adds `entries` at the end; the lead story is shown on its own, so never in the list.
    fn append(&self, entries: Vec<ArticleSummary>) {
        let lead = self.lead_slug.get_value();
        let fresh = entries
            .into_iter()
            .filter(|a| lead.as_ref() != Some(&a.slug));
        self.articles.update(|all| all.extend(fresh));
    }

    fn load(self) {
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
                    self.append(next.articles);
                }
                Err(failure) => self.failed.set(Some(failure)),
            }
            self.loading.set(false);
        });
    }
}

#[component]
fn FrontPage(list: ListPage) -> impl IntoView {
    let lead = list.lead.clone();
    let more = MoreArticles::new(list);
    view! {
        {lead.map(|lead| view! { <LeadStory lead /> })}
        <section class="latest" aria-labelledby="latest-heading">
            <h2 id="latest-heading" class="section-heading">"Latest"</h2>
            <ol class="article-list" role="list">
                <For each=move || more.articles.get() key=|summary| summary.slug.clone() let:summary>
                    <ArticleListItem summary level=3 />
                </For>
            </ol>
            {move || more.failed.get().map(|failure| view! {
                <LoadError failure on_retry=Callback::new(move |()| more.load()) />
            })}
            <Show when=move || more.next_page.get().is_some()>
                <button
                    type="button"
                    class="button button--wide"
                    data-testid="more-articles"
                    disabled=move || more.loading.get()
                    on:click=move |_| more.load()
                >
                    {move || if more.loading.get() { "Loading…" } else { "More articles" }}
                </button>
            </Show>
        </section>
        // Shown with the list, not before it, so nothing below the list moves when it arrives.
        <Newsletter id="home-newsletter" />
    }
}

#[component]
fn LeadStory(lead: ArticleSummary) -> impl IntoView {
    let slug = lead.slug.clone();
    let headline = lead.headline.clone();
    let standfirst = lead.standfirst.clone();
    view! {
        <article class="lead-story" data-testid="lead-story">
            <h2 class="lead-story__headline"><ArticleLink slug>{headline}</ArticleLink></h2>
            {standfirst.map(|s| view! { <p class="lead-story__standfirst">{s}</p> })}
            <Dateline summary=lead />
        </article>
    }
}
