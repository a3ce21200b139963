//! What a page shows while its data loads, and when loading failed.

use leptos::prelude::*;

use crate::api::ApiFailure;

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
    view! {
        <div class="notice notice--error" role="alert" data-testid="load-error">
            <p>{failure.message()}</p>
            <button type="button" class="button" on:click=move |_| on_retry.run(())>
                "Try again"
            </button>
        </div>
    }
}
