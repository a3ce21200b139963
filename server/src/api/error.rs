//! The server's one error type, and how every failure becomes the contract's error body.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use budapest_post_contract::{ApiError, ErrorBody, ErrorCode, FieldError};

use crate::store::StoreError;

/// A failed request: the status to answer with and the error to show.
#[derive(Debug)]
pub struct AppError {
    status: StatusCode,
    error: ApiError,
}

impl AppError {
    /// An error with this status and body.
    pub fn new(status: StatusCode, error: ApiError) -> Self {
        Self { status, error }
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

    /// The status code it answers with.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        tracing::error!(%error, "database failure");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::new(
                ErrorCode::Internal,
                "Something went wrong on our side. Please try again in a moment.",
            ),
        )
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(ErrorBody { error: self.error })).into_response();
        response.headers_mut().insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
        response
    }
}
