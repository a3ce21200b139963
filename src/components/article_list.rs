//! Lists of headlines, each with its section and date.

use budapest_post_contract::ArticleSummary;
use leptos::either::Either;
use leptos::prelude::*;

use crate::{config, format};

/// A link to an article, its headline as the text. (The browser starts loading it as soon as a
/// reader shows intent: see `navigation`.)
#[component]
pub fn ArticleLink(
    slug: String,
    headline: String,
    /// Open the article in a new tab, with no way back to this page (embeds in partners'
    /// pages).
    #[prop(optional)]
    new_tab: bool,
) -> impl IntoView {
    view! {
        <a
            href=config::paths().article(&slug)
            target=new_tab.then_some("_blank")
            rel=new_tab.then_some("noopener")
        >
            {headline}
        </a>
    }
}

/// The section and publication time of an article, as a list shows them.
#[component]
pub fn Dateline(summary: ArticleSummary) -> impl IntoView {
    let when = format::date(&summary.published_at).unwrap_or_default();
    view! {
        <p class="dateline">
            <span class="dateline__section">{summary.section.name}</span>
            <time datetime=summary.published_at>{when}</time>
        </p>
    }
}

/// One entry of a list of headlines: the headline as a link, then section and date.
#[component]
pub fn ArticleListItem(
    summary: ArticleSummary,
    /// The heading level of the headline (2 under a page title, 3 under a section heading).
    #[prop(default = 2)]
    level: u8,
) -> impl IntoView {
    let slug = summary.slug.clone();
    let headline = summary.headline.clone();
    let link = view! { <ArticleLink slug headline /> };
    // Either, not a type-erased view: lists are rendered in the browser too, where each
    // erased type would bring the code for every way of rendering it.
    let title = if level <= 2 {
        Either::Left(view! { <h2 class="article-list__headline">{link}</h2> })
    } else {
        Either::Right(view! { <h3 class="article-list__headline">{link}</h3> })
    };
    view! {
        <li class="article-list__item">
            {title}
            <Dateline summary />
        </li>
    }
}

/// A list of headlines with section and date.
#[component]
pub fn ArticleList(
    /// The articles, in order.
    articles: Vec<ArticleSummary>,
    /// The heading level of each headline.
    #[prop(default = 2)]
    level: u8,
) -> impl IntoView {
    view! {
        <ol class="article-list" role="list">
            {articles
                .into_iter()
                .map(|summary| view! { <ArticleListItem summary level /> })
                .collect_view()}
        </ol>
    }
}
