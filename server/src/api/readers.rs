//! Write endpoints: inaccuracy reports and newsletter sign-ups.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use budapest_post_contract::{
    ApiError, ErrorCode, NewsletterReceipt, NewsletterSignup, ReportReceipt, ReportRequest,
    ReportStatus, SubscriptionStatus,
};

use super::error::AppError;
use super::json::ApiJson;
use crate::AppState;
use budapest_post_store::{report_reference, SubmitOutcome};

/// `POST /api/v1/reports`: 201 with the report's reference, once per idempotency key.
pub async fn submit_report(
    State(state): State<AppState>,
    ApiJson(report): ApiJson<ReportRequest>,
) -> Result<(StatusCode, Json<ReportReceipt>), AppError> {
    let errors = report.validate();
    if !errors.is_empty() {
        return Err(AppError::validation(errors));
    }
    if report.is_from_bot() {
        // Looks accepted, with a plausible reference, so the bot learns nothing; nothing is
        // stored.
        let id = state.store.next_report_id().await?;
        return Ok((
            StatusCode::CREATED,
            Json(ReportReceipt {
                id: report_reference(id),
                status: ReportStatus::Received,
            }),
        ));
    }
    let outcome = state.store.submit_report(report).await?;
    match outcome {
        SubmitOutcome::Stored { id, status, .. } => Ok((
            StatusCode::CREATED,
            Json(ReportReceipt {
                id: report_reference(id),
                status,
            }),
        )),
        SubmitOutcome::UnknownArticle => Err(AppError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::for_field(
                ErrorCode::UnknownArticle,
                "article_slug",
                "We have no article at that address.",
            ),
        )),
    }
}

/// `POST /api/v1/newsletter`: stores each address once.
pub async fn subscribe(
    State(state): State<AppState>,
    ApiJson(signup): ApiJson<NewsletterSignup>,
) -> Result<(StatusCode, Json<NewsletterReceipt>), AppError> {
    let errors = signup.validate();
    if !errors.is_empty() {
        return Err(AppError::validation(errors));
    }
    if signup.is_from_bot() {
        return Ok((
            StatusCode::CREATED,
            Json(NewsletterReceipt {
                status: SubscriptionStatus::Subscribed,
            }),
        ));
    }
    let status = state.store.subscribe(&signup.email).await?;
    let code = match status {
        SubscriptionStatus::Subscribed => StatusCode::CREATED,
        SubscriptionStatus::AlreadySubscribed => StatusCode::OK,
    };
    Ok((code, Json(NewsletterReceipt { status })))
}
