//! Write endpoints: inaccuracy reports, newsletter sign-ups and unsubscribe requests.
//!
//! Nothing a writer gets back tells it more than it sent: the honeypot's catch gets a receipt
//! made the very way a real one is, and a sign-up or unsubscribe request answers the same
//! whether or not the address was on the list.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use budapest_post_contract::newsletter::{
    NewsletterUnsubscribe, UnsubscribeReceipt, UnsubscribeStatus,
};
use budapest_post_contract::{
    ApiError, ErrorCode, NewsletterReceipt, NewsletterSignup, ReportReceipt, ReportRequest,
    SubscriptionStatus,
};

use super::error::AppError;
use super::json::ApiJson;
use crate::AppState;
use budapest_post_store::SubmitOutcome;

/// `POST /api/v1/reports`: 201 with the report's reference, once per idempotency key; the
/// same key with a different report is 409.
pub async fn submit_report(
    State(state): State<AppState>,
    ApiJson(report): ApiJson<ReportRequest>,
) -> Result<(StatusCode, Json<ReportReceipt>), AppError> {
    let errors = report.validate();
    if !errors.is_empty() {
        return Err(AppError::validation(errors));
    }
    // A report whose honeypot is filled goes the same way: the store keeps it apart as spam.
    match state.store.submit_report(report).await? {
        SubmitOutcome::Stored { reference, status } => Ok((
            StatusCode::CREATED,
            Json(ReportReceipt {
                id: reference,
                status,
            }),
        )),
        SubmitOutcome::KeyReused => Err(AppError::idempotency_conflict()),
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

/// `POST /api/v1/newsletter`: stores each address once; 201 `subscribed` either way.
pub async fn subscribe(
    State(state): State<AppState>,
    ApiJson(signup): ApiJson<NewsletterSignup>,
) -> Result<(StatusCode, Json<NewsletterReceipt>), AppError> {
    let errors = signup.validate();
    if !errors.is_empty() {
        return Err(AppError::validation(errors));
    }
    if !signup.is_from_bot() {
        state.store.subscribe(&signup.email).await?;
    }
    Ok((
        StatusCode::CREATED,
        Json(NewsletterReceipt {
            status: SubscriptionStatus::Subscribed,
        }),
    ))
}

/// `POST /api/v1/newsletter/unsubscribe`: takes the token's address off the list; 200
/// `unsubscribed` whether or not a listed address had that token.
pub async fn unsubscribe(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<NewsletterUnsubscribe>,
) -> Result<Json<UnsubscribeReceipt>, AppError> {
    let errors = request.validate();
    if !errors.is_empty() {
        return Err(AppError::validation(errors));
    }
    state.store.unsubscribe(request.token.trim()).await?;
    Ok(Json(UnsubscribeReceipt {
        status: UnsubscribeStatus::Unsubscribed,
    }))
}
