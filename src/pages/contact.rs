//! `/contact`: the Contact Us form where readers report inaccuracies.

use budapest_post_contract::{paths, ArticleSummary};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api;
use crate::components::report_form::{report_form_island, ReportFormData};
use crate::config;
use crate::head::{use_head, PageHead};

/// What the Contact Us page's head says.
pub fn contact_head() -> PageHead {
    PageHead {
        title: "Contact Us — Budapest Post".into(),
        description: "Report an inaccuracy in a Budapest Post article.".into(),
        path: Some(config::paths().contact()),
        og_type: "website",
        json_ld: None,
        oembed: None,
    }
}

/// The Contact Us page; `?article=slug` names the article, `?quote=` a passage from it.
#[component]
pub fn ContactPage() -> impl IntoView {
    use_head(contact_head());
    let query = use_query_map();
    let article_slug = query
        .read_untracked()
        .get("article")
        .filter(|s| !s.is_empty());
    let reported_headline = article_slug
        .as_deref()
        .filter(|slug| paths::is_valid_slug(slug))
        .and_then(|slug| api::peek::<ArticleSummary>(&paths::article(slug)))
        .and_then(Result::ok)
        .map(|article| article.headline);
    let data = ReportFormData {
        article_slug,
        quote: query.read_untracked().get("quote"),
        reported_headline,
    };
    view! {
        <section class="contact">
            <h1>"Contact Us"</h1>
            <p>
                "Found an inaccuracy in an article? Quote the passage, tell us what is wrong and what it should say. "
                "Our editors read every report."
            </p>
            {report_form_island(data)}
        </section>
    }
}
