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

#[derive(Clone, PartialEq)]
enum Asking {
    Waiting,
    Answered(Box<ReportOutcome>),
    Failed(String),
}

/// The question the address's fragment asks.
fn question_in_address() -> ReportStatusRequest {
    ReportStatusRequest {
        reference: browser::fragment_value(REPORT_STATUS_REFERENCE_PARAMETER).unwrap_or_default(),
        token: browser::fragment_value(REPORT_STATUS_TOKEN_PARAMETER).unwrap_or_default(),
    }
}

/// Asks the API what became of the report the address names, and says it in words.
#[component]
pub fn ReportStatusView(
    /// What it is made from.
    data: ReportStatusData,
) -> impl IntoView {
    let _ = data;
    let state = RwSignal::new(Asking::Waiting);
    Effect::new(move |_| {
        let question = question_in_address();
        if let Some(problem) = question.validate().into_iter().next() {
            state.set(Asking::Failed(problem.message));
            return;
        }
        spawn_local(async move {
            state.set(match api::report_status(&question).await {
                Ok(outcome) => Asking::Answered(Box::new(outcome)),
                Err(ApiFailure::NotFound) => Asking::Failed(
                    "We have no report for this link. Open the whole link from your receipt."
                        .into(),
                ),
                Err(failure) => Asking::Failed(failure.message()),
            });
        });
    });
    view! {
        <div class="report-status" role="status" data-testid="report-status">
            {move || match state.get() {
                Asking::Waiting => view! { <p>"Looking up your report…"</p> }.into_any(),
                Asking::Answered(outcome) => view! { <Outcome outcome=*outcome /> }.into_any(),
                Asking::Failed(message) => view! {
                    <p class="notice notice--error" data-testid="report-status-failed">{message}</p>
                }
                .into_any(),
            }}
        </div>
    }
}

/// One report's outcome, in plain words.
#[component]
fn Outcome(outcome: ReportOutcome) -> impl IntoView {
    let paths = config::paths();
    let about = outcome.article.as_ref().map(|article| {
        view! {
            <p>"About: "<a href=paths.article(&article.slug)>{article.headline.clone()}</a></p>
        }
    });
    let correction_link = outcome
        .article
        .as_ref()
        .map(|article| format!("{}#{CORRECTIONS_ID}", paths.article(&article.slug)))
        .unwrap_or_else(|| paths.corrections());
    let said = match outcome.status {
        ReportStatus::Received => view! {
            <p>"Received: our editors have your report and have not decided on it yet."</p>
        }
        .into_any(),
        ReportStatus::Accepted => view! {
            <p>"Accepted: our editors agree, and a correction is being prepared."</p>
        }
        .into_any(),
        ReportStatus::Declined => view! {
            <p>"Declined: our editors looked into it and decided the article stands."</p>
            {outcome.decline_reason.map(|reason| view! { <p>"Their reason: "{reason}</p> })}
        }
        .into_any(),
        ReportStatus::Corrected => view! {
            <p>"Corrected: the article now carries a correction."</p>
            {outcome.correction.map(|c| view! {
                <p>{format::datetime(&c.published_at).unwrap_or_default()}": "{c.note}</p>
            })}
            <p>
                <a href=correction_link data-testid="report-status-correction">"Read the correction"</a>
                " · "<a href=paths.corrections()>"All corrections"</a>
            </p>
        }
        .into_any(),
    };
    view! {
        <p>"Report "<strong data-testid="report-status-id">{outcome.id}</strong></p>
        <p class="report-status__state" data-testid="report-status-state">{outcome.status.as_str()}</p>
        {said}
        {about}
    }
}
