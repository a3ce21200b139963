//! The pieces the site's forms share: labelled fields that show their error beside them (tied
//! to the input by `aria-describedby`), the summary of a failed send at the top of a form, and
//! the honeypot field that catches robots.

use std::collections::HashMap;

use leptos::prelude::*;

/// What is wrong with each field, by field id, as the last attempt to send found it.
pub type FieldErrors = RwSignal<HashMap<String, String>>;

/// The error shown under field `id`, if it has one; its element id is `{id}-error`.
#[component]
pub fn FieldError(id: String, errors: FieldErrors) -> impl IntoView {
    move || {
        errors
            .with(|e| e.get(&id).cloned())
            .map(|message| view! { <p class="field-error" id=format!("{id}-error")>{message}</p> })
    }
}

/// "There is a problem" at the top of a form: the error of each field in `fields` (ids, in the
/// form's order) as a link to it. Its element id is `id`, so
/// [`crate::browser::focus_when_drawn`] can bring the reader to it after a failed send; a link
/// followed puts focus in its field (`navigation.rs` focuses the target of a fragment link).
#[component]
pub fn ErrorSummary(id: String, errors: FieldErrors, fields: Vec<String>) -> impl IntoView {
    let fields = StoredValue::new(fields);
    move || {
        let listed: Vec<(String, String)> = fields.with_value(|fields| {
            errors.with(|errors| {
                fields
                    .iter()
                    .filter_map(|field| errors.get(field).map(|m| (format!("#{field}"), m.clone())))
                    .collect()
            })
        });
        // Focus, not a live region, tells it: the screen reader reads the focused summary
        // once (an alert as well would read it twice).
        (!listed.is_empty()).then(|| {
            view! {
                <div class="error-summary" id=id.clone() tabindex="-1" data-testid="error-summary">
                    <h2 class="error-summary__title">"There is a problem"</h2>
                    <ul class="error-summary__list">
                        {listed.into_iter().map(|(href, message)| view! {
                            <li><a href=href>{message}</a></li>
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// What describes field `id` to assistive technology: its help text, then its error.
fn described_by(id: &str, help: &str, has_error: bool) -> String {
    if has_error {
        format!("{id}-{help} {id}-error")
    } else {
        format!("{id}-{help}")
    }
}

/// A one-line labelled field with its hint and error.
#[component]
pub fn TextField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    errors: FieldErrors,
    required: bool,
    kind: &'static str,
    hint: &'static str,
) -> impl IntoView {
    let has_error = move || errors.with(|e| e.contains_key(id));
    view! {
        <div class="field" class:field--invalid=move || has_error()>
            <label for=id>{label}{required.then_some(view! { <span aria-hidden="true">" *"</span> })}</label>
            <p class="field__hint" id=format!("{id}-hint")>{hint}</p>
            <input
                id=id
                name=id
                type=kind
                required=required
                autocomplete=if kind == "email" { "email" } else { "off" }
                aria-invalid=move || has_error().to_string()
                aria-describedby=move || described_by(id, "hint", has_error())
                prop:value=value
                on:input:target=move |ev| value.set(ev.target().value())
            />
            <FieldError id=id.to_owned() errors />
        </div>
    }
}

/// A labelled, required multi-line field with its error and a character count.
#[component]
pub fn AreaField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    errors: FieldErrors,
    max: usize,
) -> impl IntoView {
    let has_error = move || errors.with(|e| e.contains_key(id));
    view! {
        <div class="field" class:field--invalid=move || has_error()>
            <label for=id>{label}<span aria-hidden="true">" *"</span></label>
            <textarea
                id=id
                name=id
                rows="4"
                required
                aria-invalid=move || has_error().to_string()
                aria-describedby=move || described_by(id, "count", has_error())
                prop:value=value
                on:input:target=move |ev| value.set(ev.target().value())
            ></textarea>
            <p class="field__count" id=format!("{id}-count")>
                {move || format!("{} of {max} characters", value.with(|v| v.chars().count()))}
            </p>
            <FieldError id=id.to_owned() errors />
        </div>
    }
}

/// A field people never see or reach, that robots fill in: a form that arrives with it filled
/// is dropped by the API without a word (contract `website`).
#[component]
pub fn Honeypot(id: String, value: RwSignal<String>) -> impl IntoView {
    view! {
        <div class="honeypot" aria-hidden="true">
            <label for=id.clone()>"Leave this empty"</label>
            <input id=id type="text" name="website" tabindex="-1" autocomplete="off"
                prop:value=value on:input:target=move |ev| value.set(ev.target().value()) />
        </div>
    }
}
