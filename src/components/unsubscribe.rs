//! Leaving the newsletter: the button behind a newsletter's unsubscribe link. The link only
//! opens this page; the reader's press of the button unsubscribes, because mail scanners open
//! every link in a message and would otherwise unsubscribe everyone.

use budapest_post_contract::newsletter::UNSUBSCRIBE_TOKEN_PARAMETER;
use budapest_post_contract::NewsletterUnsubscribe;
use leptos::either::Either;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

use crate::islands::{island, Island};
use crate::{api, browser, config};

/// What the unsubscribe form is made from: nothing but the page, since the token is in the
/// address, which an exported page is rendered without.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnsubscribeData {}

/// The form as an island of the unsubscribe page.
pub fn unsubscribe_island() -> impl IntoView {
    let data = UnsubscribeData::default();
    island(
        Island::Unsubscribe,
        &data,
        view! { <Unsubscribe data=data.clone() /> },
    )
}

#[derive(Clone, PartialEq)]
enum Leaving {
    Ready,
    Sending,
    Done,
    Failed(String),
}

/// A button that takes the link's address off the list, and what happened, in words.
#[component]
pub fn Unsubscribe(
    /// What it is made from.
    data: UnsubscribeData,
) -> impl IntoView {
    let _ = data;
    let token = RwSignal::new(None::<String>);
    let state = RwSignal::new(Leaving::Ready);
    Effect::new(move |_| token.set(browser::query_value(UNSUBSCRIBE_TOKEN_PARAMETER)));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if state.get_untracked() == Leaving::Sending {
            return;
        }
        let request = NewsletterUnsubscribe {
            token: token.get_untracked().unwrap_or_default(),
        };
        if let Some(problem) = request.validate().into_iter().next() {
            state.set(Leaving::Failed(problem.message));
            return;
        }
        state.set(Leaving::Sending);
        spawn_local(async move {
            state.set(match api::unsubscribe(&request).await {
                Ok(_) => Leaving::Done,
                Err(failure) => {
                    Leaving::Failed(format!("You are still signed up. {}", failure.message()))
                }
            });
        });
    };

    view! {
        {move || if state.get() == Leaving::Done {
            Either::Left(view! {
            <div class="notice notice--success" role="status" data-testid="unsubscribed">
                <p>"You are unsubscribed: the newsletter will not be sent to this address again."</p>
                <p><a href=config::paths().home()>"Go to the front page"</a></p>
            </div>
            })
        } else {
            Either::Right(view! {
                <form class="unsubscribe" on:submit=submit data-testid="unsubscribe-form">
                    <button type="submit" class="button" disabled=move || state.get() == Leaving::Sending>
                        {move || if state.get() == Leaving::Sending { "Unsubscribing…" } else { "Unsubscribe" }}
                    </button>
                    <p role="status" class="unsubscribe__status">
                        {move || match state.get() {
                            Leaving::Failed(message) => message,
                            _ => String::new(),
                        }}
                    </p>
                </form>
            })
        }}
    }
}
