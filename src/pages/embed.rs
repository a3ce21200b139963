//! `/embed/headlines[/{section}]` and `/embed/articles/{slug}`: what a partner's iframe shows,
//! with no masthead, no app and no wasm. Built from the site's own list pieces, so a headline,
//! its link and its dateline read as they do on the site; every link opens the site in a new
//! tab.

use budapest_post_contract::ArticleSummary;
use leptos::either::Either;
use leptos::prelude::*;

use crate::components::article_list::{ArticleLink, Dateline};
use crate::config;

/// Marks each headline of the list, so the embed's script can show only the partner's number.
pub const ITEM_ATTRIBUTE: &str = "data-embed-item";

/// A link to the site's page at `href`, opening in a new tab.
#[component]
fn SiteLink(href: String, children: Children) -> impl IntoView {
    view! { <a href=href target="_blank" rel="noopener">{children()}</a> }
}

/// The latest headlines, of one section when `section_name` is given.
#[component]
pub fn EmbedHeadlines(
    /// The paper's name.
    site_name: String,
    /// The section's name, if the list is of one section.
    section_name: Option<String>,
    /// The headlines, newest first.
    articles: Vec<ArticleSummary>,
) -> impl IntoView {
    let heading = match &section_name {
        Some(section) => format!("{section}: latest from the {site_name}"),
        None => format!("Latest from the {site_name}"),
    };
    let headlines = if articles.is_empty() {
        let nothing = match &section_name {
            Some(section) => format!("No recent headlines in {section}. "),
            None => "No headlines yet. ".to_owned(),
        };
        Either::Left(view! {
            <p class="embed__empty">
                {nothing}
                <SiteLink href=config::paths().home()>{format!("Read the {site_name}")}</SiteLink>
            </p>
        })
    } else {
        Either::Right(view! {
            <ol class="embed__list" role="list">
                {articles
                    .into_iter()
                    .map(|summary| {
                        let slug = summary.slug.clone();
                        let headline = summary.headline.clone();
                        view! {
                            <li class="embed__item" data-embed-item="">
                                <h2 class="embed__headline">
                                    <ArticleLink slug headline new_tab=true />
                                </h2>
                                <Dateline summary />
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        })
    };
    view! {
        <main class="embed embed--headlines" data-testid="embed-headlines">
            <h1 class="embed__heading">
                <SiteLink href=config::paths().home()>{heading}</SiteLink>
            </h1>
            {headlines}
        </main>
    }
}

/// One article's card: headline, standfirst, section and time, and a link to read it all.
#[component]
pub fn EmbedArticle(
    /// The paper's name.
    site_name: String,
    /// The article.
    summary: ArticleSummary,
) -> impl IntoView {
    let slug = summary.slug.clone();
    let headline = summary.headline.clone();
    let standfirst = summary.standfirst.clone();
    let article = config::paths().article(&slug);
    let read_more = format!("Read the article on the {site_name}");
    view! {
        <main class="embed embed--article" data-testid="embed-article">
            <article class="embed__card">
                <p class="embed__brand">
                    <SiteLink href=config::paths().home()>{site_name}</SiteLink>
                </p>
                <h1 class="embed__headline">
                    <ArticleLink slug headline new_tab=true />
                </h1>
                {standfirst.map(|s| view! { <p class="embed__standfirst">{s}</p> })}
                <Dateline summary />
                <p class="embed__more">
                    <SiteLink href=article>{read_more}</SiteLink>
                </p>
            </article>
        </main>
    }
}

/// What an embed shows when what it names is not there (an article withdrawn since a partner
/// embedded it, a section with no headlines).
#[component]
pub fn EmbedMissing(
    /// The paper's name.
    site_name: String,
) -> impl IntoView {
    let latest = format!("Read the latest from the {site_name}");
    view! {
        <main class="embed embed--missing" data-testid="embed-missing">
            <h1 class="embed__heading">"This is no longer available."</h1>
            <p>
                <SiteLink href=config::paths().home()>{latest}</SiteLink>
            </p>
        </main>
    }
}
