//! Any address the site does not have.

use leptos::prelude::*;

use crate::config;
use crate::head::{use_head, PageHead};

/// What the not-found page's head says; it is not to be indexed.
pub fn not_found_head() -> PageHead {
    PageHead {
        title: "Page not found — Budapest Post".into(),
        description: "There is no page at this address.".into(),
        path: None,
        og_type: "website",
        json_ld: None,
        oembed: None,
    }
}

/// The not-found page, with a way home.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let path = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    // Static hosts answer `/articles/x` with a redirect to `/articles/x/`: drop the slash.
    #[cfg(target_arch = "wasm32")]
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
    let _ = path;
    view! { <NotFound /> }
}

/// The not-found message, also shown for articles that do not exist.
#[component]
pub fn NotFound() -> impl IntoView {
    use_head(not_found_head());
    #[cfg(feature = "ssr")]
    crate::render::ResponseStatus::report(404);
    view! {
        <section class="not-found" data-testid="not-found">
            <h1>"Page not found"</h1>
            <p>"There is no page at this address. It may have moved, or the link may be mistyped."</p>
            <p><a class="button" href=config::paths().home()>"Go to the homepage"</a></p>
        </section>
    }
}
