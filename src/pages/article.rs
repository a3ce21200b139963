//! `/articles/{slug}`: one article, in the order of the printed page.

use budapest_post_contract::{limits, paths, Article, Block};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::{self, ApiFailure};
use crate::components::article_body::ArticleBody;
use crate::components::article_list::ArticleList;
use crate::components::newsletter::Newsletter;
use crate::components::page_meta::PageMeta;
use crate::components::player::Player;
use crate::components::status::{ArticleSkeleton, LoadError};
use crate::pages::not_found::NotFound;
use crate::{format, links};

/// The article page.
#[component]
pub fn ArticlePage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let article = LocalResource::new(move || {
        let slug = slug();
        async move { api::article(&slug).await }
    });
    view! {
        {move || match article.get().or_else(|| api::peek(&paths::article(&slug())).map(Ok)) {
            None => view! { <ArticleSkeleton /> }.into_any(),
            Some(Err(ApiFailure::NotFound)) => view! { <NotFound /> }.into_any(),
            Some(Err(failure)) => view! {
                <LoadError failure on_retry=Callback::new(move |()| article.refetch()) />
            }.into_any(),
            Some(Ok(article)) => view! { <ArticleView article /> }.into_any(),
        }}
    }
}

/// A loaded article.
#[component]
pub fn ArticleView(
    /// The article.
    article: Article,
) -> impl IntoView {
    let Article {
        slug,
        headline,
        standfirst,
        section,
        published_at,
        updated_at,
        reading_time_minutes,
        body,
        credit,
        ai_disclaimer,
        audio,
        related,
        related_total,
    } = article;
    let description = standfirst.clone().unwrap_or_else(|| headline.clone());
    let spoken_text = std::iter::once(headline.clone())
        .chain(standfirst.clone())
        .chain(body.iter().map(Block::plain_text))
        .collect::<Vec<_>>()
        .join("\n\n");
    let has_body = !body.is_empty();
    let selection = RwSignal::new(None::<String>);
    let check_selection = move || selection.set(selected_text());
    let report_slug = slug.clone();

    view! {
        <PageMeta title=headline.clone() description path=links::article(&slug) og_type="article" />
        <article class="article" data-testid="article">
            <header class="article__header">
                <h1 class="article__headline">{headline}</h1>
                {standfirst.map(|s| view! { <p class="article__standfirst">{s}</p> })}
                <p class="article__meta">
                    <span class="article__section">{section.name}</span>
                    <span>"Published "<time datetime=published_at.clone()>{format::datetime(&published_at).unwrap_or_default()}</time></span>
                    {updated_at.map(|u| view! {
                        <span>"Updated "<time datetime=u.clone()>{format::datetime(&u).unwrap_or_default()}</time></span>
                    })}
                    {has_body.then(|| view! { <span>{format::reading_time(reading_time_minutes)}</span> })}
                </p>
                {has_body.then(|| view! { <Player audio text=spoken_text /> })}
            </header>
            <div
                class="article__text"
                on:mouseup=move |_| check_selection()
                on:keyup=move |_| check_selection()
                on:touchend=move |_| check_selection()
            >
                {if has_body {
                    view! { <ArticleBody blocks=body /> }.into_any()
                } else {
                    view! {
                        <p class="notice">"Only the headline of this article is available."</p>
                    }.into_any()
                }}
            </div>
            {move || selection.get().map(|text| view! {
                <div class="selection-report" role="region" aria-label="Selected text">
                    <a class="button" href=links::report_passage(&report_slug, &text) data-testid="report-selection">
                        "Report an inaccuracy"
                    </a>
                </div>
            })}
            <footer class="article__footer">
                {credit.map(|c| view! { <p class="article__credit">{c}</p> })}
                <p class="article__disclaimer" id="ai-disclaimer" data-testid="ai-disclaimer">
                    <strong>"AI Disclaimer: "</strong>{ai_disclaimer}" "
                    <a href=links::contact(Some(&slug))>"Contact Us"</a>
                </p>
            </footer>
        </article>
        <Newsletter id="article-newsletter" />
        {(!related.is_empty()).then(|| view! {
            <section class="related" aria-labelledby="related-heading" data-testid="related">
                <h2 id="related-heading" class="section-heading">"Related Articles"</h2>
                <ArticleList articles=related level=3 />
                {(related_total as usize > limits::RELATED_PREVIEW).then(|| view! {
                    <p><a href=links::related(&slug)>{format!("All {related_total} related articles")}</a></p>
                })}
            </section>
        })}
    }
}

/// The text the reader has selected inside the article, when there is some worth reporting.
fn selected_text() -> Option<String> {
    let selection = web_sys::window()?.get_selection().ok()??;
    let text = String::from(selection.to_string());
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty() && text.chars().count() <= limits::QUOTED_PASSAGE_MAX).then_some(text)
}
