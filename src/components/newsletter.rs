//! The newsletter sign-up form.

use std::collections::HashMap;

use budapest_post_contract::NewsletterSignup;
use leptos::prelude::*;
use leptos::task::spawn_local;

use serde::{Deserialize, Serialize};

use crate::api;
use crate::browser::focus_when_drawn;
use crate::components::form::{ErrorSummary, FieldError, FieldErrors, Honeypot};
use crate::islands::{island, Island};

/// What a sign-up form is made from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsletterData {
    /// Distinguishes several sign-ups on one page (ids must be unique).
    pub id: String,
}

/// A newsletter sign-up as an island of the page, its element ids starting with `id`.
pub fn newsletter_island(id: &str) -> impl IntoView {
    let data = NewsletterData { id: id.to_owned() };
    island(
        Island::Newsletter,
        &data,
        view! { <Newsletter data=data.clone() /> },
    )
}

#[derive(Clone, PartialEq)]
enum SignupState {
    Editing,
    Sending,
    Done(String),
    Failed(String),
}

/// An email field and a button; says plainly what happened.
#[component]
pub fn Newsletter(
    /// What it is made from.
    data: NewsletterData,
    /// Inside a dialog labelled by its heading: then the dialog is the named region, and the
    /// sign-up is not a second landmark of the same name beside the page's own sign-up.
    #[prop(optional)]
    in_dialog: bool,
) -> impl IntoView {
    let id = data.id;
    let email = RwSignal::new(String::new());
    let honeypot = RwSignal::new(String::new());
    let state = RwSignal::new(SignupState::Editing);
    let errors: FieldErrors = RwSignal::new(HashMap::new());
    let email_id = format!("{id}-email");
    let email_id_for_error = email_id.clone();
    // Errors are kept by element id, as the report form keeps them.
    let email_key = StoredValue::new(email_id.clone());
    let has_error = move || errors.with(|e| email_key.with_value(|key| e.contains_key(key)));
    let error_id = format!("{email_id}-error");
    let heading_id = format!("{id}-heading");
    let summary_id = StoredValue::new(format!("{id}-errors"));
    let labelled_by = (!in_dialog).then(|| heading_id.clone());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if state.get_untracked() == SignupState::Sending {
            return;
        }
        let signup = NewsletterSignup {
            email: email.get_untracked().trim().to_owned(),
            website: Some(honeypot.get_untracked()).filter(|w| !w.is_empty()),
        };
        if let Some(error) = signup.validate().into_iter().next() {
            errors.set(HashMap::from([(email_key.get_value(), error.message)]));
            summary_id.with_value(|id| focus_when_drawn(id));
            return;
        }
        errors.set(HashMap::new());
        state.set(SignupState::Sending);
        spawn_local(async move {
            let outcome = match api::subscribe(&signup).await {
                // The answer is the same for an address already on the list, so that it tells
                // nobody who is signed up.
                Ok(_) => SignupState::Done(format!(
                    "Thank you: {} is signed up for the newsletter.",
                    signup.email
                )),
                Err(failure) => {
                    SignupState::Failed(format!("You are not signed up yet. {}", failure.message()))
                }
            };
            state.set(outcome);
        });
    };

    view! {
        <section class="newsletter" aria-labelledby=labelled_by data-testid="newsletter">
            <h2 id=heading_id class="newsletter__title">"Newsletter"</h2>
            <p>"The day's Budapest, Europe and world news in your inbox each morning."</p>
            <form class="newsletter__form" on:submit=submit novalidate>
                <ErrorSummary id=summary_id.get_value() errors fields=vec![email_id.clone()] />
                <label for=email_id.clone()>"Email address"</label>
                <div class="newsletter__row">
                    <input
                        id=email_id
                        type="email"
                        name="email"
                        autocomplete="email"
                        required
                        aria-invalid=move || has_error().to_string()
                        aria-describedby=move || has_error().then(|| error_id.clone())
                        prop:value=email
                        on:input:target=move |ev| email.set(ev.target().value())
                    />
                    <button
                        type="submit"
                        class="button"
                        disabled=move || state.get() == SignupState::Sending
                    >
                        {move || if state.get() == SignupState::Sending { "Signing up…" } else { "Sign up" }}
                    </button>
                </div>
                <Honeypot id=format!("{id}-website") value=honeypot />
                <FieldError id=email_id_for_error errors />
                <p class="newsletter__status" role="status">
                    {move || match state.get() {
                        SignupState::Done(message) | SignupState::Failed(message) => message,
                        _ => String::new(),
                    }}
                </p>
            </form>
        </section>
    }
}
