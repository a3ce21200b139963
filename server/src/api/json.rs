//! The JSON body extractor: checks the content type and size, and turns every parse failure
//! into the contract's error body rather than axum's plain-text rejections.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use budapest_post_contract::{ApiError, ErrorCode};
use serde::de::DeserializeOwned;

use super::error::AppError;

/// A request body parsed as JSON of type `T`.
pub struct ApiJson<T>(pub T);

fn is_json_content_type(value: Option<&header::HeaderValue>) -> bool {
    let Some(value) = value.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json")
}

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json_content_type(request.headers().get(header::CONTENT_TYPE)) {
            return Err(AppError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ApiError::new(
                    ErrorCode::UnsupportedMediaType,
                    "Send the request body as JSON, with Content-Type: application/json.",
                ),
            ));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::payload_too_large()
                } else {
                    AppError::new(
                        StatusCode::BAD_REQUEST,
                        ApiError::new(
                            ErrorCode::MalformedJson,
                            "The request body could not be read to its end.",
                        ),
                    )
                }
            })?;
        parse(&bytes).map(Self)
    }
}

/// Parses `bytes` as `T`, naming the offending field when the JSON is well formed but a value
/// has the wrong type.
fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let deserializer = &mut serde_json::Deserializer::from_slice(bytes);
    let parsed: Result<T, _> = serde_path_to_error::deserialize(deserializer);
    parsed.map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let field = if path == "." || path.is_empty() || path.starts_with('[') {
            missing_field_name(&inner.to_string())
        } else {
            Some(path)
        };
        let error = match field.filter(|_| inner.is_data()) {
            Some(field) => ApiError::for_field(
                ErrorCode::MalformedJson,
                &field,
                format!("The field `{field}` is missing or of the wrong type: {inner}."),
            ),
            None => ApiError::new(
                ErrorCode::MalformedJson,
                format!("The request body is not valid JSON for this endpoint: {inner}."),
            ),
        };
        AppError::new(StatusCode::BAD_REQUEST, error)
    })
}

/// The field serde names in "missing field `x`".
fn missing_field_name(message: &str) -> Option<String> {
    let start = message.find("field `")? + "field `".len();
    let end = message[start..].find('`')? + start;
    Some(message[start..end].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types() {
        let v = |s: &'static str| header::HeaderValue::from_static(s);
        assert!(is_json_content_type(Some(&v("application/json"))));
        assert!(is_json_content_type(Some(&v(
            "application/json; charset=utf-8"
        ))));
        assert!(!is_json_content_type(Some(&v("text/plain"))));
        assert!(!is_json_content_type(None));
    }

    #[test]
    fn wrong_types_name_their_field() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Form {
            name: String,
        }
        let error = parse::<Form>(br#"{"name": 5}"#).unwrap_err();
        assert_eq!(error.status(), StatusCode::BAD_REQUEST);
        assert_eq!(error.field(), Some("name"));
        assert_eq!(parse::<Form>(b"{").unwrap_err().field(), None);
        assert_eq!(parse::<Form>(b"[1]").unwrap_err().field(), None);
    }

    #[test]
    fn field_names_from_serde_messages() {
        assert_eq!(
            missing_field_name("missing field `email` at line 1 column 2").as_deref(),
            Some("email")
        );
        assert_eq!(missing_field_name("expected value"), None);
    }
}
