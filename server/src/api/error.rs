//! The server's one error type, and how every failure becomes the contract's error body.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use budapest_post_contract::{limits, ApiError, ErrorBody, ErrorCode, FieldError};

use budapest_post_store::{StoreError, Unavailability};

/// A failed request: the status to answer with and the error to show.
#[derive(Debug)]
pub struct AppError {
    status: StatusCode,
    error: ApiError,
    retry_after_seconds: Option<u64>,
}

impl AppError {
    /// An error with this status and body.
    pub fn new(status: StatusCode, error: ApiError) -> Self {
        Self {
            status,
            error,
            retry_after_seconds: None,
        }
    }

    /// 405: the path exists, but not for this method.
    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            ApiError::new(
                ErrorCode::MethodNotAllowed,
                "This address does not take that method; the Allow header lists those it does.",
            ),
        )
    }

    /// 413: the body is larger than the API reads.
    pub fn payload_too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::new(
                ErrorCode::PayloadTooLarge,
                format!(
                    "The request body is larger than {} bytes.",
                    limits::REQUEST_BODY_MAX_BYTES
                ),
            ),
        )
    }

    /// 403: this origin may not send writes.
    pub fn forbidden_origin(origin: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            ApiError::new(
                ErrorCode::ForbiddenOrigin,
                format!("Pages at {origin} may not send this request to the Budapest Post."),
            ),
        )
    }

    /// 429: too many requests; try again after `seconds`.
    pub fn rate_limited(seconds: u64) -> Self {
        Self {
            retry_after_seconds: Some(seconds),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                ApiError::new(
                    ErrorCode::RateLimited,
                    format!("Too many requests. Please try again in {seconds} seconds."),
                ),
            )
        }
    }

    /// 409: the idempotency key was sent before with a different report.
    pub fn idempotency_conflict() -> Self {
        Self::new(
            StatusCode::CONFLICT,
            ApiError::for_field(
                ErrorCode::IdempotencyConflict,
                "idempotency_key",
                "A different report was already sent with this idempotency key, so this one \
                 was not stored. Send an edited report with a new key.",
            ),
        )
    }

    /// 503: the database cannot store anything right now (`reason`); try again after the
    /// seconds `Retry-After` gives. Reads carry on.
    pub fn unavailable(reason: Unavailability) -> Self {
        // A lock is usually let go within seconds; a full or read-only disk needs a person.
        let seconds = match reason {
            Unavailability::Busy | Unavailability::Unreachable => 5,
            Unavailability::Full | Unavailability::ReadOnly | Unavailability::Io => 60,
        };
        Self {
            retry_after_seconds: Some(seconds),
            ..Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ApiError::new(
                    ErrorCode::Unavailable,
                    format!(
                        "The Budapest Post cannot save anything at the moment, so nothing was \
                         stored. Please try again in {seconds} seconds."
                    ),
                ),
            )
        }
    }

    /// 500: something failed on our side; the cause is logged, not shown.
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::new(
                ErrorCode::Internal,
                "Something went wrong on our side. Please try again in a moment.",
            ),
        )
    }

    /// 504: the request took longer than the server's time limit; it may or may not have
    /// taken effect (a resent report with the same idempotency key is stored once).
    pub fn timeout() -> Self {
        Self::new(
            StatusCode::GATEWAY_TIMEOUT,
            ApiError::new(
                ErrorCode::Timeout,
                "The server took too long to answer. Please try again in a moment.",
            ),
        )
    }

    /// 404: nothing at this path.
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ApiError::new(ErrorCode::NotFound, format!("There is no {what} here.")),
        )
    }

    /// 422: the fields listed are wrong.
    pub fn validation(details: Vec<FieldError>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::validation(details),
        )
    }

    /// The field it blames, if any.
    pub fn field(&self) -> Option<&str> {
        self.error.field.as_deref()
    }

    /// What it tells people.
    pub fn message(&self) -> &str {
        &self.error.message
    }

    /// The status code it answers with.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error.unavailability() {
            Some(reason) => {
                tracing::warn!(%error, "the database is unavailable; answered 503");
                Self::unavailable(reason)
            }
            None => {
                tracing::error!(%error, "database failure");
                Self::internal()
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(ErrorBody { error: self.error })).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(seconds) = self.retry_after_seconds {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
