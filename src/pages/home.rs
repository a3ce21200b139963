//! `/`: the lead story, the latest articles page by page, and the newsletter sign-up.

use budapest_post_contract::{paths, ArticleList as ListPage, ArticleSummary};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiFailure};
use crate::components::article_list::{ArticleLink, ArticleList, Dateline};
use crate::components::newsletter::Newsletter;
use crate::components::page_meta::PageMeta;
use crate::components::status::{ListSkeleton, LoadError};
use crate::links;

/// The homepage.
#[component]
pub fn HomePage() -> impl IntoView {
    let first_page = LocalResource::new(|| api::article_list(1));
    view! {
        <PageMeta
            title="Budapest Post — Budapest, Europe and world news".to_string()
            description="English-language news from Budapest, Europe and the world.".to_string()
            path=links::home()
        />
        <h1 class="visually-hidden">"Budapest Post: the latest news"</h1>
        {move || match first_page.get().or_else(|| api::peek(&paths::article_index()).map(Ok)) {
            None => view! { <ListSkeleton rows=8 /> }.into_any(),
            Some(Err(failure)) => view! {
                <LoadError failure on_retry=Callback::new(move |()| first_page.refetch()) />
            }.into_any(),
            Some(Ok(list)) => view! { <FrontPage list /> }.into_any(),
        }}
    }
}

#[component]
fn FrontPage(list: ListPage) -> impl IntoView {
    // The lead story is shown on its own, so it is left out of the list on every page.
    let lead_slug = StoredValue::new(list.lead.as_ref().map(|l| l.slug.clone()));
    let articles = RwSignal::new(
        list.articles
            .into_iter()
            .filter(|a| lead_slug.with_value(|lead| lead.as_ref() != Some(&a.slug)))
            .collect::<Vec<ArticleSummary>>(),
    );
    let next_page = RwSignal::new((list.page < list.total_pages).then_some(list.page + 1));
    let loading_more = RwSignal::new(false);
    let more_failed = RwSignal::new(None::<ApiFailure>);
    let load_more = move || {
        let Some(page) = next_page.get_untracked() else {
            return;
        };
        if loading_more.get_untracked() {
            return;
        }
        loading_more.set(true);
        more_failed.set(None);
        spawn_local(async move {
            match api::article_list(page).await {
                Ok(next) => {
                    let fresh = next
                        .articles
                        .into_iter()
                        .filter(|a| lead_slug.with_value(|lead| lead.as_ref() != Some(&a.slug)));
                    articles.update(|all| all.extend(fresh));
                    next_page.set((next.page < next.total_pages).then_some(next.page + 1));
                }
                Err(failure) => more_failed.set(Some(failure)),
            }
            loading_more.set(false);
        });
    };

    view! {
        {list.lead.map(|lead| view! { <LeadStory lead /> })}
        <section class="latest" aria-labelledby="latest-heading">
            <h2 id="latest-heading" class="section-heading">"Latest"</h2>
            {move || view! { <ArticleList articles=articles.get() level=3 /> }}
            {move || more_failed.get().map(|failure| view! {
                <LoadError failure on_retry=Callback::new(move |()| load_more()) />
            })}
            <Show when=move || next_page.get().is_some()>
                <button
                    type="button"
                    class="button button--wide"
                    data-testid="more-articles"
                    disabled=move || loading_more.get()
                    on:click=move |_| load_more()
                >
                    {move || if loading_more.get() { "Loading…" } else { "More articles" }}
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
