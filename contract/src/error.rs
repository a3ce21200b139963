//! The one error shape every failed API request answers with.

use serde::{Deserialize, Serialize};

/// What went wrong, for programs; `message` says it for people.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The body is not JSON, or not the JSON this endpoint takes.
    MalformedJson,
    /// The request's `Content-Type` is not `application/json`.
    UnsupportedMediaType,
    /// One or more fields failed validation; see `field` and `details`.
    ValidationFailed,
    /// The report names an article that does not exist.
    UnknownArticle,
    /// Nothing lives at this path.
    NotFound,
    /// The path exists but not for this method.
    MethodNotAllowed,
    /// The request body is larger than the API reads.
    PayloadTooLarge,
    /// Too many requests from this client; see the `Retry-After` header.
    RateLimited,
    /// The request's origin may not post here.
    ForbiddenOrigin,
    /// Something failed on the server.
    Internal,
    /// The server took longer than its time limit to answer.
    Timeout,
    /// The idempotency key was sent before with a different report; an edited report needs a
    /// new key.
    IdempotencyConflict,
    /// A query parameter is missing or not in the form it takes; see `field`.
    InvalidParameter,
    /// The answer cannot be given in the format asked for (oEmbed's `format`: only `json`).
    UnsupportedFormat,
    /// The server cannot store anything right now (its disk is full, its database is locked
    /// or read-only); reads still work. See the `Retry-After` header.
    Unavailable,
}

/// How one field failed validation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldErrorCode {
    /// The field is missing or blank.
    Required,
    /// The field is longer than its limit.
    TooLong,
    /// Not an email address.
    InvalidEmail,
    /// Not an http or https link.
    InvalidUrl,
    /// Not in the form the field takes.
    InvalidFormat,
    /// Holds a control, text-direction or (in links and addresses) invisible character.
    InvalidCharacters,
}

/// One field's validation failure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's JSON name.
    pub field: String,
    /// What is wrong with it, for programs.
    pub code: FieldErrorCode,
    /// What is wrong with it, in plain words.
    pub message: String,
}

/// The error itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    /// Machine-readable code.
    pub code: ErrorCode,
    /// Plain-words explanation for people.
    pub message: String,
    /// The first offending field, when one is to blame.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub field: Option<String>,
    /// Every offending field, when validation failed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(min_items = 1))]
    pub details: Vec<FieldError>,
}

/// The body of every error response: `{"error": {...}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// The error.
    pub error: ApiError,
}

impl ApiError {
    /// An error with no field to blame.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
            details: Vec::new(),
        }
    }

    /// An error blamed on one field.
    pub fn for_field(code: ErrorCode, field: &str, message: impl Into<String>) -> Self {
        Self {
            field: Some(field.to_owned()),
            ..Self::new(code, message)
        }
    }

    /// A validation failure listing every offending field.
    pub fn validation(details: Vec<FieldError>) -> Self {
        let message = match details.as_slice() {
            [one] => one.message.clone(),
            _ => "Some fields need attention.".to_owned(),
        };
        Self {
            code: ErrorCode::ValidationFailed,
            message,
            field: details.first().map(|d| d.field.clone()),
            details,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_shape() {
        let body = ErrorBody {
            error: ApiError::for_field(
                ErrorCode::UnknownArticle,
                "article_slug",
                "No such article.",
            ),
        };
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json["error"]["code"], "unknown_article");
        assert_eq!(json["error"]["field"], "article_slug");
        assert!(json["error"].get("details").is_none());
    }
}
