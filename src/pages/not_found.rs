//! Any address the site does not have.

use leptos::prelude::*;

use crate::components::page_meta::PageMeta;
use crate::links;

/// The not-found page, with a way home.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let path = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    // Static hosts answer `/articles/x` with a redirect to `/articles/x/`: drop the slash.
    if path.len() > 1 && path.ends_with('/') {
        let navigate = leptos_router::hooks::use_navigate();
        let target = path.trim_end_matches('/').to_owned();
        request_animation_frame(move || {
            navigate(
                &target,
                leptos_router::NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            )
        });
    }
    view! {
        <PageMeta
            title="Page not found — Budapest Post".to_string()
            description="There is no page at this address.".to_string()
            path=path
        />
        <NotFound />
    }
}

/// The not-found message, also shown for articles that do not exist.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="not-found" data-testid="not-found">
            <h1>"Page not found"</h1>
            <p>"There is no page at this address. It may have moved, or the link may be mistyped."</p>
            <p><a class="button" href=links::home()>"Go to the homepage"</a></p>
        </section>
    }
}
