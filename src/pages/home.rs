//! `/`: the lead story, the latest articles page by page, and the newsletter sign-up.

use budapest_post_contract::{paths, ArticleList as ListPage, ArticleSummary};
use leptos::prelude::*;

use crate::api;
use crate::components::article_list::{ArticleLink, Dateline};
use crate::components::more_articles::{more_articles_island, MoreArticlesData};
use crate::components::newsletter::newsletter_island;
use crate::components::status::{loaded, ListSkeleton};
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
        oembed: Some(config::paths().api(&paths::oembed_headlines())),
    }
}

/// The homepage.
#[component]
pub fn HomePage() -> impl IntoView {
    use_head(home_head());
    let first_page = api::peek::<ListPage>(&paths::article_index());
    view! {
        <h1 class="visually-hidden">"Budapest Post: the latest news"</h1>
        {loaded(
            first_page,
            || view! { <ListSkeleton rows=8 /> }.into_any(),
            |list| view! { <FrontPage list /> }.into_any(),
        )}
    }
}

#[component]
fn FrontPage(list: ListPage) -> impl IntoView {
    let lead = list.lead.clone();
    view! {
        {lead.map(|lead| view! { <LeadStory lead /> })}
        <section class="latest" aria-labelledby="latest-heading">
            <h2 id="latest-heading" class="section-heading">"Latest"</h2>
            {more_articles_island(MoreArticlesData::first_page(list))}
        </section>
        {newsletter_island("home-newsletter")}
    }
}

#[component]
fn LeadStory(lead: ArticleSummary) -> impl IntoView {
    let slug = lead.slug.clone();
    let headline = lead.headline.clone();
    let standfirst = lead.standfirst.clone();
    view! {
        <article class="lead-story" data-testid="lead-story">
            <h2 class="lead-story__headline"><ArticleLink slug headline /></h2>
            {standfirst.map(|s| view! { <p class="lead-story__standfirst">{s}</p> })}
            <Dateline summary=lead />
        </article>
    }
}
