//! `/articles/{slug}/related`: every article related to one article.

use budapest_post_contract::{paths, RelatedList};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::components::article_list::ArticleList;
use crate::components::status::{loaded, ListSkeleton};
use crate::config;
use crate::head::{use_head, PageHead};

/// What the related list's head says.
pub fn related_head(list: &RelatedList) -> PageHead {
    PageHead {
        title: format!("Related to “{}” — Budapest Post", list.article.headline),
        description: format!("Articles related to “{}”.", list.article.headline),
        path: Some(config::paths().related(&list.article.slug)),
        og_type: "website",
        json_ld: None,
        oembed: None,
    }
}

/// The related list page.
#[component]
pub fn RelatedPage() -> impl IntoView {
    let params = use_params_map();
    let slug = params.read_untracked().get("slug").unwrap_or_default();
    let related = api::peek::<RelatedList>(&paths::related(&slug));
    loaded(
        related,
        || view! { <ListSkeleton rows=10 /> }.into_any(),
        |list| view! { <RelatedView list /> }.into_any(),
    )
}

/// A loaded related list.
#[component]
fn RelatedView(list: RelatedList) -> impl IntoView {
    use_head(related_head(&list));
    let paths = config::paths();
    view! {
        <section class="related-page">
            <h1>"Related articles"</h1>
            <p class="related-page__to">
                "Related to "
                <a href=paths.article(&list.article.slug)>{list.article.headline.clone()}</a>
            </p>
            <ArticleList articles=list.related />
        </section>
    }
}
