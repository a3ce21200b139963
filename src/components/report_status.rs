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
    /// What it means, with the editor's reason or the correction's note (or why there is no
    /// answer).
    sentence: String,
    /// Where the correction is read, once there is one.
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
        ..Said::default()
    }
}

/// What `outcome` means for its reporter.
fn said(outcome: ReportOutcome) -> Said {
    let paths = config::paths();
    let report = match &outcome.article {
        Some(article) => format!("Your report {} on “{}”", outcome.id, article.headline),
        None => format!("Your report {}", outcome.id),
    };
    let (state, sentence) = match outcome.status {
        ReportStatus::Received => (
            "Received",
            format!("{report} has reached our editors, who have not decided on it yet."),
        ),
        ReportStatus::Accepted => (
            "Accepted",
            format!("Our editors agree with {report}: a correction is being prepared."),
        ),
        ReportStatus::Declined => (
            "Declined",
            format!(
                "Our editors looked into {report} and decided the article stands. Their reason: {}",
                outcome.decline_reason.unwrap_or_default()
            ),
        ),
        ReportStatus::Corrected => (
            "Corrected",
            match outcome.correction {
                Some(c) => format!(
                    "{report} led to a correction, published {}: {}",
                    format::date(&c.published_at).unwrap_or_default(),
                    c.note
                ),
                None => format!("{report} led to a correction."),
            },
        ),
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
    view! {
        <div class="report-status" role="status" data-testid="report-status">
            <p data-testid="report-status-said">
                <strong data-testid="report-status-state">{move || shown.with(|s| s.state.clone())}</strong>
                " "{move || shown.with(|s| s.sentence.clone())}
            </p>
            <p hidden=move || shown.with(|s| s.correction_link.is_none())>
                <a href=move || shown.with(|s| s.correction_link.clone().unwrap_or_default()) data-testid="report-status-correction">
                    "Read the correction"
                </a>
                " · "
                <a href=config::paths().corrections()>"All corrections"</a>
            </p>
        </div>
    }
}
