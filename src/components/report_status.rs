//! What became of a reader's report, for the reader who holds its private status link. The
//! link's reference and token are in the address's fragment, which no server is sent: the
//! page is the same file everywhere (server or static export), and this island asks the API
//! (the write API of an export, like the report form) once the browser has it.

use budapest_post_contract::reports::{
    REPORT_STATUS_REFERENCE_PARAMETER, REPORT_STATUS_TOKEN_PARAMETER,
};
use budapest_post_contract::{ReportOutcome, ReportStatus, ReportStatusRequest};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

use crate::api::{self, ApiFailure};
use crate::components::correction_notes::CORRECTIONS_ID;
use crate::islands::{island, Island};
use crate::{browser, config, format};

/// What the status island is made from: nothing but the page, since the link's secret is in
/// the address's fragment, which a rendered page never sees.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportStatusData {}

/// The status as an island of the status page.
pub fn report_status_island() -> impl IntoView {
    let data = ReportStatusData::default();
    island(
        Island::ReportStatus,
        &data,
        view! { <ReportStatusView data=data.clone() /> },
    )
}

/// What the page says, in words: one fixed layout whose text changes, so the island adds as
/// little code to the app as it can (the wasm size budget).
#[derive(Clone, Debug, Default, PartialEq)]
struct Said {
    /// The state in one word, e.g. "Corrected"; empty when there is no answer.
    state: String,
    /// What it means, in a sentence (or why there is no answer).
    sentence: String,
    /// Whether the question failed.
    failed: bool,
    /// The editor's reason, or the correction's date and note.
    detail: Option<String>,
    /// The article's headline and address.
    about: Option<(String, String)>,
    /// Where the correction is read.
    correction_link: Option<String>,
}

/// The question the address's fragment asks.
fn question_in_address() -> ReportStatusRequest {
    ReportStatusRequest {
        reference: browser::fragment_value(REPORT_STATUS_REFERENCE_PARAMETER).unwrap_or_default(),
        token: browser::fragment_value(REPORT_STATUS_TOKEN_PARAMETER).unwrap_or_default(),
    }
}

/// A failure to answer, in words.
fn failed(sentence: String) -> Said {
    Said {
        sentence,
        failed: true,
        ..Said::default()
    }
}

/// What `outcome` means for its reporter.
fn said(outcome: ReportOutcome) -> Said {
    let paths = config::paths();
    let id = outcome.id;
    let (state, sentence) = match outcome.status {
        ReportStatus::Received => (
            "Received",
            format!("Your report {id} has reached our editors, who have not decided on it yet."),
        ),
        ReportStatus::Accepted => (
            "Accepted",
            format!("Our editors agree with your report {id}: a correction is being prepared."),
        ),
        ReportStatus::Declined => (
            "Declined",
            format!("Our editors looked into your report {id} and decided the article stands."),
        ),
        ReportStatus::Corrected => (
            "Corrected",
            format!("Your report {id} led to a correction: the article now carries it."),
        ),
    };
    let detail = match outcome.status {
        ReportStatus::Declined => outcome.decline_reason.map(|r| format!("Their reason: {r}")),
        ReportStatus::Corrected => outcome.correction.map(|c| {
            format!(
                "{}: {}",
                format::date(&c.published_at).unwrap_or_default(),
                c.note
            )
        }),
        _ => None,
    };
    let correction_link = (outcome.status == ReportStatus::Corrected).then(|| {
        outcome.article.as_ref().map_or_else(
            || paths.corrections(),
            |a| format!("{}#{CORRECTIONS_ID}", paths.article(&a.slug)),
        )
    });
    Said {
        state: state.to_owned(),
        sentence,
        failed: false,
        detail,
        about: outcome
            .article
            .map(|a| (a.headline, paths.article(&a.slug))),
        correction_link,
    }
}

/// Asks the API what became of the report the address names, and says it in words.
#[component]
pub fn ReportStatusView(
    /// What it is made from.
    data: ReportStatusData,
) -> impl IntoView {
    let _ = data;
    let shown = RwSignal::new(Said {
        sentence: "Looking up your report…".into(),
        ..Said::default()
    });
    Effect::new(move |_| {
        let question = question_in_address();
        if let Some(problem) = question.validate().into_iter().next() {
            shown.set(failed(problem.message));
            return;
        }
        spawn_local(async move {
            shown.set(match api::report_status(&question).await {
                Ok(outcome) => said(outcome),
                Err(ApiFailure::NotFound) => failed(
                    "We have no report for this link. Open the whole link from your receipt."
                        .into(),
                ),
                Err(failure) => failed(failure.message()),
            });
        });
    });
    let text =
        move |pick: fn(&Said) -> Option<String>| move || shown.with(pick).unwrap_or_default();
    let hidden = move |pick: fn(&Said) -> bool| move || shown.with(pick);
    view! {
        <div class="report-status" role="status" data-testid="report-status">
            <p data-testid="report-status-said"
                class=move || if shown.with(|s| s.failed) { "notice notice--error" } else { "" }>
                <strong data-testid="report-status-state">{text(|s| Some(s.state.clone()))}</strong>
                " "{text(|s| Some(s.sentence.clone()))}
            </p>
            <p hidden=hidden(|s| s.detail.is_none()) data-testid="report-status-detail">
                {text(|s| s.detail.clone())}
            </p>
            <p hidden=hidden(|s| s.about.is_none())>
                "About: "
                <a href=text(|s| s.about.as_ref().map(|a| a.1.clone()))>
                    {text(|s| s.about.as_ref().map(|a| a.0.clone()))}
                </a>
            </p>
            <p hidden=hidden(|s| s.correction_link.is_none())>
                <a href=text(|s| s.correction_link.clone()) data-testid="report-status-correction">
                    "Read the correction"
                </a>
                " · "
                <a href=config::paths().corrections()>"All corrections"</a>
            </p>
        </div>
    }
}
