//! The inaccuracy-report form. The draft lives in the browser's storage until the API has
//! accepted it, so a closed tab or a failed request loses nothing, and a resend carries the
//! same idempotency key so the report is stored once.

use std::collections::HashMap;

use budapest_post_contract::{limits, ReportRequest};
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

/// The value of `name` in the page address's query string.
fn query_value(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get(name).filter(|value| !value.trim().is_empty())
}

const DRAFT_PREFIX: &str = "bp-report-draft:";

fn draft_key(article_slug: &str) -> String {
    format!("{DRAFT_PREFIX}{article_slug}")
}

/// Reads a slug from what a reader typed: a slug, or a link to an article page.
pub fn slug_from_input(input: &str) -> String {
    let input = input.trim();
    match input.find("/articles/") {
        Some(at) => input[at + "/articles/".len()..]
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
    Accepted(String),
    Refused(String),
}

/// The draft kept in storage: the report as it will be sent.
fn load_draft(article_slug: &str) -> Option<ReportRequest> {
    serde_json::from_str(&browser::load(&draft_key(article_slug))?).ok()
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
        let slug = query_value("article")
            .or_else(|| rendered_slug.clone())
            .unwrap_or_default();
        let mut draft = load_draft(&slug).unwrap_or_else(|| ReportRequest {
            article_slug: slug.clone(),
            idempotency_key: browser::random_key(),
            ..Default::default()
        });
        if let Some(quote) = query_value("quote") {
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
        if let Ok(json) = serde_json::to_string(&report) {
            browser::save(&draft_key(&storage_slug.get_value()), &json);
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if submission.get_untracked() == Submission::Sending {
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
        submission.set(Submission::Sending);
        spawn_local(async move {
            match api::submit_report(&report).await {
                Ok(receipt) => {
                    browser::forget(&draft_key(&storage_slug.get_value()));
                    submission.set(Submission::Accepted(receipt.id));
                }
                Err(ApiFailure::Rejected(error)) => {
                    let mut by_field: HashMap<String, String> = error
                        .details
                        .iter()
                        .map(|d| (d.field.clone(), d.message.clone()))
                        .collect();
                    if let Some(field) = &error.field {
                        by_field.entry(field.clone()).or_insert_with(|| error.message.clone());
                    }
                    errors.set(by_field);
                    submission.set(Submission::Refused(format!(
                        "Your report was not sent: {} Your draft is kept; correct it and send again.",
                        error.message
                    )));
                }
                Err(failure) => submission.set(Submission::Refused(format!(
                    "Your report was not sent. {} Your draft is kept on this device; send it again when you are ready.",
                    failure.message()
                ))),
            }
        });
    };

    let back_link = article_slug.clone();
    view! {
        {move || reported.get().map(|(slug, headline)| view! {
            <p class="contact__article" data-testid="reported-article">
                "You are reporting on: "
                <a href=config::paths().article(&slug)>{headline}</a>
            </p>
        })}
        <Show
            when=move || matches!(submission.get(), Submission::Accepted(_))
            fallback=move || view! {
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
                    <button type="submit" class="button" disabled=move || submission.get() == Submission::Sending>
                        {move || if submission.get() == Submission::Sending { "Sending…" } else { "Send report" }}
                    </button>
                    <div role="status" class="report-form__status">
                        {move || match submission.get() {
                            Submission::Refused(message) => view! {
                                <p class="notice notice--error" data-testid="report-refused">{message}</p>
                            }.into_any(),
                            _ => ().into_any(),
                        }}
                    </div>
                </form>
            }
        >
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
        </Show>
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
