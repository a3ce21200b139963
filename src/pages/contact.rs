//! `/contact`: the Contact Us form where readers report inaccuracies.

use budapest_post_contract::{paths, Article};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api;
use crate::components::page_meta::PageMeta;
use crate::components::report_form::ReportForm;
use crate::links;

/// The Contact Us page; `?article=slug` names the article, `?quote=` a passage from it.
#[component]
pub fn ContactPage() -> impl IntoView {
    let query = use_query_map();
    let article_slug = move || query.read().get("article").filter(|s| !s.is_empty());
    let quote = move || query.read().get("quote");
    let reported = LocalResource::new(move || {
        let slug = article_slug();
        async move {
            match slug {
                Some(slug) => match api::peek(&paths::article(&slug)) {
                    Some(article) => Some(article),
                    None => api::article(&slug).await.ok(),
                },
                None => None,
            }
        }
    });
    let reported_now = move || {
        reported.get().flatten().or_else(|| {
            article_slug().and_then(|slug| api::peek::<Article>(&paths::article(&slug)))
        })
    };
    view! {
        <PageMeta
            title="Contact Us — Budapest Post".to_string()
            description="Report an inaccuracy in a Budapest Post article.".to_string()
            path=links::contact(article_slug().as_deref())
        />
        <section class="contact">
            <h1>"Contact Us"</h1>
            <p>
                "Found an inaccuracy in an article? Quote the passage, tell us what is wrong and what it should say. "
                "Our editors read every report."
            </p>
            {move || reported_now().map(|article| view! {
                <p class="contact__article" data-testid="reported-article">
                    "You are reporting on: "
                    <a href=links::article(&article.slug)>{article.headline}</a>
                </p>
            })}
            {move || view! { <ReportForm article_slug=article_slug() quote=quote() /> }}
        </section>
    }
}
