//! `/articles/{slug}/related`: every article related to one article.

use budapest_post_contract::paths;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::{self, ApiFailure};
use crate::components::article_list::ArticleList;
use crate::components::page_meta::PageMeta;
use crate::components::status::{ListSkeleton, LoadError};
use crate::links;
use crate::pages::not_found::NotFound;

/// The related list page.
#[component]
pub fn RelatedPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let related = LocalResource::new(move || {
        let slug = slug();
        async move { api::related(&slug).await }
    });
    view! {
        {move || match related.get().or_else(|| api::peek(&paths::related(&slug())).map(Ok)) {
            None => view! { <ListSkeleton rows=10 /> }.into_any(),
            Some(Err(ApiFailure::NotFound)) => view! { <NotFound /> }.into_any(),
            Some(Err(failure)) => view! {
                <LoadError failure on_retry=Callback::new(move |()| related.refetch()) />
            }.into_any(),
            Some(Ok(list)) => {
                let title = format!("Related to “{}” — Budapest Post", list.article.headline);
                let description = format!("Articles related to “{}”.", list.article.headline);
                view! {
                    <PageMeta title description path=links::related(&list.article.slug) />
                    <section class="related-page">
                        <h1>"Related articles"</h1>
                        <p class="related-page__to">
                            "Related to "
                            <a href=links::article(&list.article.slug)>{list.article.headline.clone()}</a>
                        </p>
                        <ArticleList articles=list.related />
                    </section>
                }.into_any()
            }
        }}
    }
}
