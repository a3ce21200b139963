//! What a page shows while its data loads, when loading failed, and when there is nothing.

use leptos::prelude::*;

use crate::api::{ApiFailure, Read};
use crate::pages::not_found::NotFound;

/// Shows an API read: `loading` until it is there, the not-found message when the API has
/// nothing at that path, a retry when it failed, and `found` with the value.
pub fn loaded<T, L, F, LoadingView, FoundView>(read: Read<T>, loading: L, found: F) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    L: Fn() -> LoadingView + Send + Sync + 'static,
    F: Fn(T) -> FoundView + Send + Sync + 'static,
    LoadingView: IntoView + 'static,
    FoundView: IntoView + 'static,
{
    move || match read.state.get() {
        None => loading().into_any(),
        Some(Err(ApiFailure::NotFound)) => view! { <NotFound /> }.into_any(),
        Some(Err(failure)) => view! { <LoadError failure on_retry=read.reload /> }.into_any(),
        Some(Ok(value)) => found(value).into_any(),
    }
}

/// Grey bars in the shape of an article, so nothing jumps when the text arrives.
#[component]
pub fn ArticleSkeleton() -> impl IntoView {
    view! {
        <div class="skeleton" aria-busy="true" aria-label="Loading the article">
            <div class="skeleton__line skeleton__line--short"></div>
            <div class="skeleton__line skeleton__line--headline"></div>
            <div class="skeleton__line skeleton__line--headline"></div>
            <div class="skeleton__line"></div>
            <div class="skeleton__line"></div>
            <div class="skeleton__block"></div>
            <div class="skeleton__block"></div>
        </div>
    }
}

/// Grey bars in the shape of a list of headlines.
#[component]
pub fn ListSkeleton(
    /// How many entries to sketch.
    #[prop(default = 6)]
    rows: usize,
) -> impl IntoView {
    view! {
        <div class="skeleton" aria-busy="true" aria-label="Loading articles">
            {(0..rows)
                .map(|_| {
                    view! {
                        <div class="skeleton__entry">
                            <div class="skeleton__line skeleton__line--short"></div>
                            <div class="skeleton__line"></div>
                        </div>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// A failed load in plain words, with a button to try again.
#[component]
pub fn LoadError(
    /// What went wrong.
    failure: ApiFailure,
    /// Loads again.
    on_retry: Callback<()>,
) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::render::ResponseStatus::report(503);
    view! {
        <div class="notice notice--error" role="alert" data-testid="load-error">
            <p>{failure.message()}</p>
            <button type="button" class="button" on:click=move |_| on_retry.run(())>
                "Try again"
            </button>
        </div>
    }
}
