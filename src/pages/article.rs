//! `/articles/{slug}`: one article, in the order of the printed page.

use budapest_post_contract::{limits, paths, Article, ArticleSummary, Block};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::components::article_body::ArticleBody;
use crate::components::article_list::ArticleList;
use crate::components::correction_notes::{CorrectedMark, CorrectionNotes};
use crate::components::embed_snippet::embed_snippet_island;
use crate::components::newsletter::newsletter_island;
use crate::components::player::{player_island, PlayerData};
use crate::components::selection_report::selection_report_island;
use crate::components::site::site_name;
use crate::components::status::{loaded, ArticleSkeleton};
use crate::head::{use_head, PageHead};
use crate::{config, format};

/// The article page: the article in full, its player, the report links and the related list.
#[component]
pub fn ArticlePage() -> impl IntoView {
    let params = use_params_map();
    let slug = params.read_untracked().get("slug").unwrap_or_default();
    let article = api::peek::<Article>(&paths::article(&slug));
    loaded(
        article,
        || view! { <ArticleSkeleton /> },
        |article| view! { <ArticleView article /> },
    )
}

/// What the article page's head says: title, description, sharing tags and `NewsArticle`
/// structured data.
pub fn article_head(article: &Article) -> PageHead {
    let config = config::get();
    let path = config.paths().article(&article.summary.slug);
    let description = article
        .summary
        .standfirst
        .clone()
        .unwrap_or_else(|| article.summary.headline.clone());
    PageHead {
        title: article.summary.headline.clone(),
        description,
        json_ld: Some(news_article(article, &config.absolute(&path))),
        oembed: Some(
            config
                .paths()
                .api(&paths::oembed_article(&article.summary.slug)),
        ),
        path: Some(path),
        og_type: "article",
    }
}

/// The `NewsArticle` structured data of `article`, published at `url`.
fn news_article(article: &Article, url: &str) -> String {
    let config = config::get();
    let paths = config.paths();
    let home = config.absolute(&paths.home());
    let name = site_name();
    let publisher = serde_json::json!({
        "@type": "NewsMediaOrganization",
        "name": name,
        "url": home,
        "logo": {
            "@type": "ImageObject",
            "url": config.absolute(&paths.under_base("/icon-512.png")),
            "width": 512,
            "height": 512,
        },
        "publishingPrinciples": format!("{url}#ai-disclaimer"),
        "correctionsPolicy": config.absolute(&paths.contact()),
    });
    let mut value = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.summary.headline,
        "description": article.summary.standfirst.as_deref().unwrap_or(&article.summary.headline),
        "datePublished": article.summary.published_at,
        "dateModified": article.summary.updated_at.as_deref().unwrap_or(&article.summary.published_at),
        "articleSection": article.summary.section.name,
        "inLanguage": "en-GB",
        "url": url,
        "mainEntityOfPage": { "@type": "WebPage", "@id": url },
        "isAccessibleForFree": true,
        "author": { "@type": "Organization", "name": name, "url": home },
        "publisher": publisher,
    });
    let images: Vec<&str> = article
        .body
        .iter()
        .filter_map(|block| match block {
            Block::Image { src, .. } => Some(src.as_str()),
            _ => None,
        })
        .collect();
    if !images.is_empty() {
        value["image"] = serde_json::json!(images);
    }
    if !article.corrections.is_empty() {
        value["correction"] = article
            .corrections
            .iter()
            .map(|c| {
                serde_json::json!({
                    "@type": "CorrectionComment",
                    "text": c.note,
                    "datePublished": c.published_at,
                })
            })
            .collect();
    }
    if article.reading_time_minutes > 0 {
        value["timeRequired"] = serde_json::json!(format!("PT{}M", article.reading_time_minutes));
    }
    value.to_string()
}

/// A loaded article.
#[component]
pub fn ArticleView(article: Article) -> impl IntoView {
    let head = article_head(&article);
    use_head(head);
    let spoken_text = std::iter::once(article.summary.headline.clone())
        .chain(article.summary.standfirst.clone())
        .chain(article.body.iter().map(Block::plain_text))
        .collect::<Vec<_>>()
        .join("\n\n");
    let has_body = !article.body.is_empty();
    let snippet = crate::embed::article_snippet(
        &config::get(),
        &article.summary.slug,
        &article.summary.headline,
        &site_name(),
    );
    let Article {
        summary: ArticleSummary { slug, .. },
        body,
        credit,
        ai_disclaimer,
        audio,
        related,
        related_total,
        corrections,
        ..
    } = article.clone();
    view! {
        <article class="article" data-testid="article">
            <ArticleHeader article>
                {has_body.then(|| player_island(PlayerData::new(audio, &spoken_text)))}
            </ArticleHeader>
            <div class="article__text">
                {if has_body {
                    view! { <ArticleBody blocks=body /> }.into_any()
                } else {
                    view! {
                        <p class="notice">"Only the headline of this article is available."</p>
                    }.into_any()
                }}
            </div>
            {selection_report_island(&slug)}
            <CorrectionNotes corrections />
            <ArticleFooter slug=slug.clone() credit ai_disclaimer />
            <details class="embed-this" data-testid="embed-this">
                <summary>"Embed this article"</summary>
                <p>"Show this article on your site: paste this code where it should appear."</p>
                {embed_snippet_island(snippet)}
            </details>
        </article>
        {newsletter_island("article-newsletter")}
        <RelatedArticles slug related related_total />
    }
}

/// Headline, standfirst, section, dates and reading time, and the player (as `children`).
#[component]
fn ArticleHeader(article: Article, children: Children) -> impl IntoView {
    let has_body = !article.body.is_empty();
    let published = article.summary.published_at.clone();
    view! {
        <header class="article__header">
            <h1 class="article__headline">{article.summary.headline}</h1>
            {article.summary.standfirst.map(|s| view! { <p class="article__standfirst">{s}</p> })}
            <p class="article__meta">
                <span class="article__section">{article.summary.section.name}</span>
                <span>"Published "<time datetime=published.clone()>{format::datetime(&published).unwrap_or_default()}</time></span>
                {article.summary.updated_at.map(|u| view! {
                    <span>"Updated "<time datetime=u.clone()>{format::datetime(&u).unwrap_or_default()}</time></span>
                })}
                <CorrectedMark corrections=article.corrections />
                {has_body.then(|| view! { <span>{format::reading_time(article.reading_time_minutes)}</span> })}
            </p>
            {children()}
        </header>
    }
}

/// The reporting credit and the AI disclaimer with its Contact Us link.
#[component]
fn ArticleFooter(slug: String, credit: Option<String>, ai_disclaimer: String) -> impl IntoView {
    view! {
        <footer class="article__footer">
            {credit.map(|c| view! { <p class="article__credit">{c}</p> })}
            <p class="article__disclaimer" id="ai-disclaimer" data-testid="ai-disclaimer">
                <strong>"AI Disclaimer: "</strong>{ai_disclaimer}" "
                <a href=config::paths().report_about(&slug, None)>"Contact Us"</a>
            </p>
            // The way to report without selecting text, which takes a mouse or caret browsing.
            <p class="article__report">
                <a href=config::paths().report_about(&slug, None) data-testid="report-article">
                    "Report an inaccuracy in this article"
                </a>
            </p>
        </footer>
    }
}

/// The first few related headlines, and a link to all of them when there are more.
#[component]
fn RelatedArticles(
    slug: String,
    related: Vec<ArticleSummary>,
    related_total: u32,
) -> impl IntoView {
    (!related.is_empty()).then(|| view! {
        <section class="related" aria-labelledby="related-heading" data-testid="related">
            <h2 id="related-heading" class="section-heading">"Related Articles"</h2>
            <ArticleList articles=related level=3 />
            {(related_total as usize > limits::RELATED_PREVIEW).then(|| view! {
                <p><a href=config::paths().related(&slug)>{format!("All {related_total} related articles")}</a></p>
            })}
        </section>
    })
}
