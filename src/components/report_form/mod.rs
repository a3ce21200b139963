//! The inaccuracy-report form. The draft lives in the browser's storage until the API has
//! accepted it, so a closed tab or a failed request loses nothing, and a resend carries the
//! same idempotency key so the report is stored once.

mod draft;
mod sending;

use budapest_post_contract::{limits, ReportReceipt};
use leptos::either::Either;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

use crate::api;
use crate::components::form::{AreaField, ErrorSummary, Honeypot, TextField};
use crate::config;
use crate::islands::{island, Island};
pub use draft::slug_from_input;
use draft::ReportFields;
use sending::{ReportSender, Submission};

/// The element id of the summary of what stopped the last send.
const ERROR_SUMMARY_ID: &str = "report-form-errors";
/// The element id of the thanks once the report is accepted.
const ACCEPTED_ID: &str = "report-accepted";
/// The form's fields (element ids, which are also the report's JSON names), in the order shown.
const FIELD_IDS: &[&str] = &[
    "article_slug",
    "quoted_passage",
    "what_is_wrong",
    "correction",
    "source_url",
    "email",
];

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

/// The form, for the article in `data` when known, with its quote already in the passage
/// field; once sent, the thanks and the report's reference in its place.
#[component]
pub fn ReportForm(
    /// What it is made from.
    data: ReportFormData,
) -> impl IntoView {
    let fields = ReportFields::new(data.article_slug.as_deref(), data.quote.as_deref());
    let sender = ReportSender::new(fields);
    let submission = sender.submission;
    let reported = RwSignal::new(data.article_slug.clone().zip(data.reported_headline));
    // The first render is the page's as it was rendered; the browser's own knowledge is
    // applied once the app has taken it over.
    let rendered_slug = data.article_slug.clone();
    Effect::new(move |_| {
        fields.restore(rendered_slug.clone());
        look_up_headline(fields.storage_slug.get_value(), reported);
    });
    fields.keep_saved(move || matches!(submission.get_untracked(), Submission::Accepted(_)));
    sender.send_when_online();
    let back_to = data.article_slug;
    // A memo, so that the form is built again only when the report is accepted, not at each
    // step of sending (which would take the reader's focus away).
    let accepted = Memo::new(move |_| match submission.get() {
        Submission::Accepted(receipt) => Some(receipt),
        _ => None,
    });
    view! {
        {move || reported.get().map(|(slug, headline)| view! { <ReportedArticle slug headline /> })}
        {move || match accepted.get() {
            Some(receipt) => {
                Either::Left(view! { <ReportAccepted receipt back_to=back_to.clone() /> })
            }
            None => Either::Right(view! { <ReportFormFields sender /> }),
        }}
    }
}

/// Finds the headline of the article reported on, when the page did not know it.
fn look_up_headline(slug: String, reported: RwSignal<Option<(String, String)>>) {
    if slug.is_empty() || reported.with_untracked(Option::is_some) {
        return;
    }
    spawn_local(async move {
        if let Ok(found) = api::article_summary(&slug).await {
            reported.set(Some((found.slug, found.headline)));
        }
    });
}

/// Which article the report is about, as a link to it.
#[component]
fn ReportedArticle(slug: String, headline: String) -> impl IntoView {
    view! {
        <p class="contact__article" data-testid="reported-article">
            "You are reporting on: "
            <a href=config::paths().article(&slug)>{headline}</a>
        </p>
    }
}

/// The thanks once the API has the report, with its reference, its private status link and
/// the way back.
#[component]
fn ReportAccepted(receipt: ReportReceipt, back_to: Option<String>) -> impl IntoView {
    let status_link = config::paths().report_status(&receipt.id, &receipt.status_token);
    view! {
        <div class="notice notice--success" role="status" id=ACCEPTED_ID tabindex="-1" data-testid="report-accepted">
            <h2>"Thank you"</h2>
            <p>
                "Your report has reached our editors. Its reference is "
                <strong data-testid="report-id">{receipt.id}</strong> "."
            </p>
            <p>
                "Keep this private link to see what becomes of it: "
                <a href=status_link rel="noreferrer" data-testid="report-status-link">"your report's status"</a>
                ". Anyone with the link can read it; the reference alone shows nothing."
            </p>
            {back_to.map(|slug| view! {
                <p><a href=config::paths().article(&slug)>"Back to the article"</a></p>
            })}
        </div>
    }
}

/// The form's fields, its send button and what became of the last send.
#[component]
fn ReportFormFields(sender: ReportSender) -> impl IntoView {
    let ReportSender {
        fields,
        errors,
        submission,
        ..
    } = sender;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sender.submit();
    };
    view! {
        <form class="report-form" on:submit=submit novalidate data-testid="report-form">
            <ErrorSummary id=ERROR_SUMMARY_ID.to_owned() errors fields=FIELD_IDS.iter().map(|f| (*f).to_owned()).collect() />
            <p class="report-form__intro">
                "Fields marked " <span aria-hidden="true">"*"</span>
                <span class="visually-hidden">"with an asterisk"</span> " are required."
            </p>
            <TextField id="article_slug" label="Article (its link or name in the address)" value=fields.article errors required=true kind="text"
                hint="For example https://budapestpost.example/articles/some-headline" />
            <AreaField id="quoted_passage" label="The passage that is wrong" value=fields.passage errors max=limits::QUOTED_PASSAGE_MAX />
            <AreaField id="what_is_wrong" label="What is wrong with it" value=fields.wrong errors max=limits::WHAT_IS_WRONG_MAX />
            <AreaField id="correction" label="What it should say" value=fields.correction errors max=limits::CORRECTION_MAX />
            <TextField id="source_url" label="A link to your source (optional)" value=fields.source_url errors required=false kind="url"
                hint="Starting with https://" />
            <TextField id="email" label="Your email, if you would like an answer (optional)" value=fields.email errors required=false kind="email"
                hint="We use it only to answer this report." />
            <Honeypot id="report-website".to_owned() value=fields.honeypot />
            <button type="submit" class="button" disabled=move || submission.with(Submission::is_busy)>
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
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::draft::draft_key;
    use super::*;
    use crate::browser;
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
    async fn an_empty_submit_shows_each_error_beside_its_field_and_in_a_focused_summary() {
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

        // The summary above the form takes focus once drawn, and links each error to its field.
        gloo_timers::future::TimeoutFuture::new(100).await;
        let summary = document.get_element_by_id(ERROR_SUMMARY_ID).unwrap();
        assert_eq!(document.active_element(), Some(summary.clone()));
        assert!(summary
            .text_content()
            .unwrap()
            .contains("There is a problem"));
        let links = summary.query_selector_all("a").unwrap();
        let targets: Vec<String> = (0..links.length())
            .filter_map(|i| links.item(i))
            .map(|n| {
                n.unchecked_into::<web_sys::Element>()
                    .get_attribute("href")
                    .unwrap()
            })
            .collect();
        assert_eq!(
            targets,
            ["#quoted_passage", "#what_is_wrong", "#correction"]
        );
    }
}
