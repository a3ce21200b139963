//! What a page shows while its data loads, when loading failed, and when there is nothing.

use leptos::either::Either;
use leptos::prelude::*;

use crate::api::ApiFailure;
use crate::pages::not_found::NotFound;

/// Shows what a page read from the API: `loading` when the renderer had no answer for it, the
/// not-found message when the API has nothing at that path, a way to try again when it failed,
/// and `found` with the value.
pub fn loaded<T, LoadingView, FoundView>(
    read: Option<Result<T, ApiFailure>>,
    loading: impl FnOnce() -> LoadingView,
    found: impl FnOnce(T) -> FoundView,
) -> impl IntoView
where
    LoadingView: IntoView + 'static,
    FoundView: IntoView + 'static,
{
    match read {
        None => loading().into_any(),
        Some(Err(ApiFailure::NotFound)) => view! { <NotFound /> }.into_any(),
        Some(Err(failure)) => view! { <LoadError failure /> }.into_any(),
        Some(Ok(value)) => found(value).into_any(),
    }
}

/// Grey bars in the shape of an article, so nothing jumps when the text arrives.
#[component]
pub fn ArticleSkeleton(
    /// In place of a whole page: its name is then the page's h1 until the article's arrives.
    #[prop(optional)]
    page_heading: bool,
) -> impl IntoView {
    view! {
        <div class="skeleton" aria-busy="true">
            <SkeletonName page_heading name="Loading the article…" />
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
    /// In place of a whole page: its name is then the page's h1 until the page arrives.
    #[prop(optional)]
    page_heading: bool,
) -> impl IntoView {
    view! {
        <div class="skeleton" aria-busy="true">
            <SkeletonName
                page_heading
                name=if page_heading { "Loading the page…" } else { "Loading articles…" }
            />
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

/// What a skeleton is, for screen readers only: the page's h1 when it stands for a whole page
/// (a page keeps one h1 while the next is on its way), a line of text when it is part of one.
#[component]
fn SkeletonName(page_heading: bool, name: &'static str) -> impl IntoView {
    if page_heading {
        Either::Left(view! { <h1 class="visually-hidden">{name}</h1> })
    } else {
        Either::Right(view! { <p class="visually-hidden">{name}</p> })
    }
}

/// A failed load in plain words, with a way to try again: `on_retry` behind a button, or,
/// in a page rendered ahead of time (which has no code of its own in the browser), a link to
/// the page itself, which loads it again with or without the app.
#[component]
pub fn LoadError(
    /// What went wrong.
    failure: ApiFailure,
    /// Loads again.
    #[prop(optional)]
    on_retry: Option<Callback<()>>,
) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::render::ResponseStatus::report(503);
    let retry = match on_retry {
        Some(on_retry) => Either::Left(view! {
            <button type="button" class="button" on:click=move |_| on_retry.run(())>
                "Try again"
            </button>
        }),
        None => Either::Right(view! { <a class="button" href="">"Try again"</a> }),
    };
    view! {
        <div class="notice notice--error" role="alert" data-testid="load-error">
            <p>{failure.message()}</p>
            {retry}
        </div>
    }
}
