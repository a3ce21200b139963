//! The inaccuracy-report form. The draft lives in the browser's storage until the API has
//! accepted it, so a closed tab or a failed request loses nothing, and a resend carries the
//! same idempotency key so the report is stored once.

use std::collections::HashMap;

use budapest_post_contract::{limits, ErrorCode, ReportRequest};
use leptos::either::Either;
use leptos::prelude::*;
use leptos::task::spawn_local;

use serde::{Deserialize, Serialize};

use crate::api::{self, ApiFailure};
use crate::islands::{island, Island};
use crate::{browser, config};

/// What the form is made from: the address's `?article=` and `?quote=`, as the page that
/// holds it was rendered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFormData {
    /// The article being reported, from `?article=`.
    pub article_slug: Option<String>,
    /// A passage the reader selected, from `?quote=`.
    pub quote: Option<String>,
    /// The reported article's headline, when the page knew it.
    pub reported_headline: Option<String>,
}

/// The form as an island of the Contact Us page.
pub fn report_form_island(data: ReportFormData) -> impl IntoView {
    island(
        Island::ReportForm,
        &data,
        view! { <ReportForm data=data.clone() /> },
    )
}

const DRAFT_PREFIX: &str = "bp-report-draft:";
/// Marks a draft that the reader sent while offline: it is sent when the network returns,
/// even after a reload.
const WAITING_PREFIX: &str = "bp-report-waiting:";

fn draft_key(article_slug: &str) -> String {
    format!("{DRAFT_PREFIX}{article_slug}")
}

fn waiting_key(article_slug: &str) -> String {
    format!("{WAITING_PREFIX}{article_slug}")
}

/// Reads a slug from what a reader typed: a slug, or a link to an article page.
pub fn slug_from_input(input: &str) -> String {
    let input = input.trim();
    match input.split_once("/articles/") {
        Some((_, rest)) => rest
            .split(['/', '?', '#'])
            .next()
            .unwrap_or_default()
            .to_owned(),
        None => input.to_owned(),
    }
}

#[derive(Clone, PartialEq)]
enum Submission {
    Editing,
    Sending,
    /// Sent while offline: kept, and sent once the browser is back online.
    Waiting,
    Accepted(String),
    Refused(String),
}

/// Whether two reports say the same, whatever their keys.
fn same_report(a: &ReportRequest, b: &ReportRequest) -> bool {
    ReportRequest {
        idempotency_key: String::new(),
        ..a.clone()
    } == ReportRequest {
        idempotency_key: String::new(),
        ..b.clone()
    }
}

/// The draft kept in storage: the report as it will be sent.
fn load_draft(article_slug: &str) -> Option<ReportRequest> {
    crate::json::from_json(&browser::load(&draft_key(article_slug))?)
}

/// The form, for `article_slug` when known, with `quote` already in the passage field.
#[component]
pub fn ReportForm(
    /// What it is made from.
    data: ReportFormData,
) -> impl IntoView {
    // The first render is the page's as it was rendered; the browser's own knowledge (the
    // address, a kept draft, a fresh key) is applied once the app has taken it over.
    let key = StoredValue::new(String::new());
    let storage_slug = StoredValue::new(data.article_slug.clone().unwrap_or_default());
    let article = RwSignal::new(data.article_slug.clone().unwrap_or_default());
    let passage = RwSignal::new(data.quote.clone().unwrap_or_default());
    let wrong = RwSignal::new(String::new());
    let correction = RwSignal::new(String::new());
    let source_url = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let honeypot = RwSignal::new(String::new());
    let errors = RwSignal::new(HashMap::<String, String>::new());
    let submission = RwSignal::new(Submission::Editing);
    let reported = RwSignal::new(
        data.article_slug
            .clone()
            .zip(data.reported_headline.clone()),
    );
    let article_slug = data.article_slug.clone();
    let rendered_slug = data.article_slug.clone();
    Effect::new(move |_| {
        // The address is the authority (an exported page is rendered without its query).
        let slug = browser::query_value("article")
            .or_else(|| rendered_slug.clone())
            .unwrap_or_default();
        let mut draft = load_draft(&slug).unwrap_or_else(|| ReportRequest {
            article_slug: slug.clone(),
            idempotency_key: browser::random_key(),
            ..Default::default()
        });
        if let Some(quote) = browser::query_value("quote") {
            draft.quoted_passage = quote;
        }
        storage_slug.set_value(slug.clone());
        key.set_value(draft.idempotency_key.clone());
        article.set(draft.article_slug);
        passage.set(draft.quoted_passage);
        wrong.set(draft.what_is_wrong);
        correction.set(draft.correction);
        source_url.set(draft.source_url.unwrap_or_default());
        email.set(draft.email.unwrap_or_default());
        if !slug.is_empty() && reported.with_untracked(Option::is_none) {
            spawn_local(async move {
                if let Ok(found) = api::article_summary(&slug).await {
                    reported.set(Some((found.slug, found.headline)));
                }
            });
        }
    });

    let current = move || ReportRequest {
        article_slug: slug_from_input(&article.get()),
        quoted_passage: passage.get(),
        what_is_wrong: wrong.get(),
        correction: correction.get(),
        source_url: Some(source_url.get().trim().to_owned()).filter(|u| !u.is_empty()),
        email: Some(email.get().trim().to_owned()).filter(|e| !e.is_empty()),
        idempotency_key: key.get_value(),
        website: Some(honeypot.get()).filter(|w| !w.is_empty()),
    };

    // Every change is saved, until the API accepts the report.
    Effect::new(move |_| {
        let report = current();
        if matches!(submission.get_untracked(), Submission::Accepted(_)) {
            return;
        }
        if let Some(json) = crate::json::to_json(&report) {
            browser::save(&draft_key(&storage_slug.get_value()), &json);
        }
    });

    // The report last sent with the current key: an edited report gets a new key, so the
    // API never sees one key with two different reports.
    let sent_with_key = StoredValue::new(None::<ReportRequest>);
    let send = move || {
        let mut report = current();
        if sent_with_key.with_value(|sent| sent.as_ref().is_some_and(|s| !same_report(s, &report)))
        {
            key.set_value(browser::random_key());
            report.idempotency_key = key.get_value();
        }
        sent_with_key.set_value(Some(report.clone()));
        submission.set(Submission::Sending);
        spawn_local(async move {
            let mut answer = api::submit_report(&report).await;
            if matches!(&answer, Err(ApiFailure::Rejected(e)) if e.code == ErrorCode::IdempotencyConflict)
            {
                // The key went out with another version of this draft (before a reload).
                key.set_value(browser::random_key());
                report.idempotency_key = key.get_value();
                sent_with_key.set_value(Some(report.clone()));
                answer = api::submit_report(&report).await;
            }
            let slug = storage_slug.get_value();
            match answer {
                Ok(receipt) => {
                    browser::forget(&draft_key(&slug));
                    browser::forget(&waiting_key(&slug));
                    submission.set(Submission::Accepted(receipt.id));
                }
                Err(ApiFailure::Unreachable) if !browser::is_online() => {
                    browser::save(&waiting_key(&slug), "1");
                    submission.set(Submission::Waiting);
                }
                Err(ApiFailure::Rejected(error)) => {
                    browser::forget(&waiting_key(&slug));
                    let mut by_field: HashMap<String, String> = error
                        .details
                        .iter()
                        .map(|d| (d.field.clone(), d.message.clone()))
                        .collect();
                    if let Some(field) = &error.field {
                        by_field
                            .entry(field.clone())
                            .or_insert_with(|| error.message.clone());
                    }
                    errors.set(by_field);
                    submission.set(Submission::Refused(format!(
                        "Your report was not sent: {} Your draft is kept; correct it and send again.",
                        error.message
                    )));
                }
                Err(failure) => {
                    browser::forget(&waiting_key(&slug));
                    submission.set(Submission::Refused(format!(
                        "Your report was not sent. {} Your draft is kept on this device; send it again when you are ready.",
                        failure.message()
                    )))
                }
            }
        });
    };

    // A report waiting for the network goes as soon as the browser is online again, once:
    // the same key makes a second arrival harmless, and the state makes a second send rare.
    #[cfg(target_arch = "wasm32")]
    {
        let online = window_event_listener(leptos::ev::online, move |_| {
            if submission.get_untracked() == Submission::Waiting {
                send();
            }
        });
        on_cleanup(move || online.remove());
        Effect::new(move |_| {
            let slug = storage_slug.get_value();
            if browser::load(&waiting_key(&slug)).is_some() {
                if browser::is_online() {
                    untrack(send);
                } else {
                    submission.set(Submission::Waiting);
                }
            }
        });
    }

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if matches!(
            submission.get_untracked(),
            Submission::Sending | Submission::Waiting
        ) {
            return;
        }
        let report = current();
        let problems = report.validate();
        if !problems.is_empty() {
            let first = problems[0].field.clone();
            errors.set(problems.into_iter().map(|e| (e.field, e.message)).collect());
            focus_field(&first);
            return;
        }
        errors.set(HashMap::new());
        send();
    };

    let back_link = article_slug.clone();
    view! {
        {move || reported.get().map(|(slug, headline)| view! {
            <p class="contact__article" data-testid="reported-article">
                "You are reporting on: "
                <a href=config::paths().article(&slug)>{headline}</a>
            </p>
        })}
        {move || if matches!(submission.get(), Submission::Accepted(_)) {
            Either::Left(view! {
            <div class="notice notice--success" role="status" data-testid="report-accepted">
                <h2>"Thank you"</h2>
                <p>
                    "Your report has reached our editors. Its reference is "
                    <strong data-testid="report-id">{move || match submission.get() {
                        Submission::Accepted(id) => id,
                        _ => String::new(),
                    }}</strong> "."
                </p>
                {back_link.clone().map(|slug| view! {
                    <p><a href=config::paths().article(&slug)>"Back to the article"</a></p>
                })}
            </div>
            })
        } else {
            Either::Right(view! {
                <form class="report-form" on:submit=submit novalidate data-testid="report-form">
                    <p class="report-form__intro">
                        "Fields marked " <span aria-hidden="true">"*"</span>
                        <span class="visually-hidden">"with an asterisk"</span> " are required."
                    </p>
                    <TextField id="article_slug" label="Article (its link or name in the address)" value=article errors required=true kind="text"
                        hint="For example https://budapestpost.example/articles/some-headline" />
                    <AreaField id="quoted_passage" label="The passage that is wrong" value=passage errors max=limits::QUOTED_PASSAGE_MAX />
                    <AreaField id="what_is_wrong" label="What is wrong with it" value=wrong errors max=limits::WHAT_IS_WRONG_MAX />
                    <AreaField id="correction" label="What it should say" value=correction errors max=limits::CORRECTION_MAX />
                    <TextField id="source_url" label="A link to your source (optional)" value=source_url errors required=false kind="url"
                        hint="Starting with https://" />
                    <TextField id="email" label="Your email, if you would like an answer (optional)" value=email errors required=false kind="email"
                        hint="We use it only to answer this report." />
                    <div class="honeypot" aria-hidden="true">
                        <label for="report-website">"Leave this empty"</label>
                        <input id="report-website" type="text" name="website" tabindex="-1" autocomplete="off"
                            prop:value=honeypot on:input:target=move |ev| honeypot.set(ev.target().value()) />
                    </div>
                    <button type="submit" class="button" disabled=move || matches!(submission.get(), Submission::Sending | Submission::Waiting)>
                        {move || match submission.get() {
                            Submission::Sending => "Sending…",
                            Submission::Waiting => "Waiting for the network…",
                            _ => "Send report",
                        }}
                    </button>
                    <div role="status" class="report-form__status">
                        {move || {
                            let (class, testid, message) = match submission.get() {
                                Submission::Refused(message) => ("notice notice--error", "report-refused", message),
                                Submission::Waiting => ("notice", "report-waiting", "You are offline. Your report is kept on this device and will be sent by itself as soon as you are back online.".to_owned()),
                                _ => return None,
                            };
                            Some(view! { <p class=class data-testid=testid>{message}</p> })
                        }}
                    </div>
                </form>
            })
        }}
    }
}

fn focus_field(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id));
    if let Some(element) =
        element.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
    {
        let _ = element.focus();
    }
}

/// A one-line labelled field with its hint and error.
#[component]
fn TextField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    errors: RwSignal<HashMap<String, String>>,
    required: bool,
    kind: &'static str,
    hint: &'static str,
) -> impl IntoView {
    let error = move || errors.with(|e| e.get(id).cloned());
    view! {
        <div class="field" class:field--invalid=move || error().is_some()>
            <label for=id>{label}{required.then_some(view! { <span aria-hidden="true">" *"</span> })}</label>
            <p class="field__hint" id=format!("{id}-hint")>{hint}</p>
            <input
                id=id
                name=id
                type=kind
                required=required
                autocomplete=if kind == "email" { "email" } else { "off" }
                aria-invalid=move || error().is_some().to_string()
                aria-describedby=move || if error().is_some() { format!("{id}-hint {id}-error") } else { format!("{id}-hint") }
                prop:value=value
                on:input:target=move |ev| value.set(ev.target().value())
            />
            {move || error().map(|message| view! { <p class="field-error" id=format!("{id}-error")>{message}</p> })}
        </div>
    }
}

/// A labelled multi-line field with its error and a character count.
#[component]
fn AreaField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    errors: RwSignal<HashMap<String, String>>,
    max: usize,
) -> impl IntoView {
    let error = move || errors.with(|e| e.get(id).cloned());
    view! {
        <div class="field" class:field--invalid=move || error().is_some()>
            <label for=id>{label}<span aria-hidden="true">" *"</span></label>
            <textarea
                id=id
                name=id
                rows="4"
                required
                aria-invalid=move || error().is_some().to_string()
                aria-describedby=move || if error().is_some() { format!("{id}-count {id}-error") } else { format!("{id}-count") }
                prop:value=value
                on:input:target=move |ev| value.set(ev.target().value())
            ></textarea>
            <p class="field__count" id=format!("{id}-count")>
                {move || format!("{} of {max} characters", value.with(|v| v.chars().count()))}
            </p>
            {move || error().map(|message| view! { <p class="field-error" id=format!("{id}-error")>{message}</p> })}
        </div>
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn slugs_from_links_or_names() {
        assert_eq!(slug_from_input(" a-slug "), "a-slug");
        assert_eq!(
            slug_from_input("https://x.example/articles/a-slug?x=1"),
            "a-slug"
        );
        assert_eq!(slug_from_input("/news/articles/a-slug/related"), "a-slug");
    }

    #[wasm_bindgen_test]
    async fn an_empty_submit_shows_an_error_next_to_each_required_field() {
        use wasm_bindgen::JsCast;
        let document = web_sys::window().unwrap().document().unwrap();
        let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
        document.body().unwrap().append_child(&host).unwrap();
        browser::forget(&draft_key("test-article"));
        leptos::mount::mount_to(host.clone(), || {
            let data = ReportFormData {
                article_slug: Some("test-article".into()),
                ..Default::default()
            };
            view! { <ReportForm data /> }
        })
        .forget();
        let form: web_sys::HtmlFormElement = host
            .query_selector("form")
            .unwrap()
            .unwrap()
            .unchecked_into();
        form.request_submit().unwrap();
        gloo_timers::future::TimeoutFuture::new(0).await;
        let nodes = host.query_selector_all("[aria-invalid=true]").unwrap();
        let invalid: Vec<String> = (0..nodes.length())
            .filter_map(|i| nodes.item(i))
            .map(|n| n.unchecked_into::<web_sys::Element>().id())
            .collect();
        assert_eq!(invalid, ["quoted_passage", "what_is_wrong", "correction"]);
        let described = document
            .get_element_by_id("correction")
            .unwrap()
            .get_attribute("aria-describedby")
            .unwrap();
        assert!(described.contains("correction-error"));
        assert!(document.get_element_by_id("correction-error").is_some());
    }
}
