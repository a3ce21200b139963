//! Write endpoints: inaccuracy reports, newsletter sign-ups and unsubscribe requests.
//!
//! Nothing a writer gets back tells it more than it sent: the honeypot's catch gets a receipt
//! made the very way a real one is, and a sign-up or unsubscribe request answers the same
//! whether or not the address was on the list.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use budapest_post_contract::newsletter::{
    NewsletterUnsubscribe, UnsubscribeReceipt, UnsubscribeStatus,
};
use budapest_post_contract::{
    paths, ApiError, ErrorCode, NewsletterReceipt, NewsletterSignup, ReportOutcome, ReportReceipt,
    ReportRequest, ReportStatusRequest, SubscriptionStatus,
};

use super::error::AppError;
use super::json::ApiJson;
use super::openapi::{FormFailures, ReportFailures, StatusFailures};
use crate::AppState;
use budapest_post_store::SubmitOutcome;

/// Report an inaccuracy
///
/// Stores the report once per `idempotency_key`. Sent again with the same key and the same
/// fields (compared after trimming white space; a blank optional field counts as absent), the
/// answer is the first report's `201` receipt again and nothing new is stored. Sent with the
/// same key and any field different, the answer is `409 idempotency_conflict` and nothing is
/// stored: an edited report needs a new key.
#[utoipa::path(post, path = paths::reports(), operation_id = "submitReport", tag = "readers",
    request_body = ReportRequest,
    responses(
        (status = 201, description = "Stored, or stored before with the same fields under the same idempotency key (then the first receipt again).", body = ReportReceipt),
        ReportFailures,
    ))]
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
        SubmitOutcome::Stored {
            reference,
            status,
            status_token,
        } => Ok((
            StatusCode::CREATED,
            Json(ReportReceipt {
                id: reference,
                status,
                status_token,
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

/// What became of a report
///
/// Answers the reporter, who holds the token of the report's private status link (its
/// receipt's `status_token`): received, accepted, declined with the editor's reason, or
/// corrected with the correction. Only a digest of each token is stored, and the token is
/// compared in constant time. A wrong token and an unknown reference answer the same `404`,
/// so the reference alone tells nothing. A `POST`, so the token is in no address, log or
/// cache; questions spend the client's write budget.
#[utoipa::path(post, path = paths::report_status(), operation_id = "reportStatus",
    tag = "readers", request_body = ReportStatusRequest,
    responses(
        (status = 200, description = "The report's outcome, for the holder of its token (`Cache-Control: no-store`).", body = ReportOutcome),
        StatusFailures,
    ))]
pub async fn report_status(
    State(state): State<AppState>,
    ApiJson(question): ApiJson<ReportStatusRequest>,
) -> Result<impl IntoResponse, AppError> {
    let errors = question.validate();
    if !errors.is_empty() {
        return Err(AppError::validation(errors));
    }
    let outcome = state
        .store
        .report_outcome(question.reference.trim(), question.token.trim())
        .await?
        .ok_or_else(|| AppError::not_found("report with that reference and token"))?;
    // Only for its reporter: no cache along the way keeps it.
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(outcome)))
}

/// Sign up for the newsletter
///
/// Adds the address to the list once, whatever the case of its ASCII letters. The answer is
/// the same `201` whether or not the address was already on the list, so it tells nobody who
/// is signed up.
#[utoipa::path(post, path = paths::newsletter(), operation_id = "subscribe", tag = "readers",
    request_body = NewsletterSignup,
    responses(
        (status = 201, description = "On the list (added now, or already there: the answer does not say which).", body = NewsletterReceipt),
        FormFailures,
    ))]
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

/// Leave the newsletter
///
/// Takes the address whose unsubscribe link carries `token` off the list. The answer is the
/// same `200` whether or not a listed address had that token. Each sign-up gets its own
/// unguessable token; editors print the link with `newsletter link <email> --site-url …`.
#[utoipa::path(post, path = paths::newsletter_unsubscribe(), operation_id = "unsubscribe",
    tag = "readers", request_body = NewsletterUnsubscribe,
    responses(
        (status = 200, description = "Not on the list (any more, or never: the answer does not say which).", body = UnsubscribeReceipt),
        FormFailures,
    ))]
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
