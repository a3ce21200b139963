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

fn malformed(message: String) -> AppError {
    AppError::new(
        StatusCode::BAD_REQUEST,
        ApiError::new(ErrorCode::MalformedJson, message),
    )
}

/// Parses `bytes` as one JSON value of type `T` and nothing after it, naming the offending
/// field when the JSON is well formed but a field is unknown, missing or of the wrong type.
fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let parsed: T =
        serde_path_to_error::deserialize(&mut deserializer).map_err(refusal_of_shape)?;
    deserializer.end().map_err(|error| {
        malformed(format!(
            "The request body must hold one JSON value and nothing after it: {error}."
        ))
    })?;
    Ok(parsed)
}

/// The answer to a body that is not JSON of this endpoint's shape.
fn refusal_of_shape(error: serde_path_to_error::Error<serde_json::Error>) -> AppError {
    let path = error.path().to_string();
    let inner = error.into_inner();
    let message = inner.to_string();
    if inner.is_data() {
        if let Some(field) = name_quoted_after(&message, "unknown field `", "`, ") {
            return AppError::new(
                StatusCode::BAD_REQUEST,
                ApiError::for_field(
                    ErrorCode::MalformedJson,
                    field,
                    format!("The field `{field}` is not one this endpoint takes."),
                ),
            );
        }
        let field = if path == "." || path.is_empty() || path.starts_with('[') {
            name_quoted_after(&message, "missing field `", "`").map(str::to_owned)
        } else {
            Some(path)
        };
        if let Some(field) = field {
            return AppError::new(
                StatusCode::BAD_REQUEST,
                ApiError::for_field(
                    ErrorCode::MalformedJson,
                    &field,
                    format!("The field `{field}` is missing or of the wrong type: {message}."),
                ),
            );
        }
    }
    malformed(format!(
        "The request body is not valid JSON for this endpoint: {message}."
    ))
}

/// The name serde quotes between `prefix` and `end` in `message`: in "unknown field `x`,
/// expected …", between "unknown field `" and "`, ", `x`.
fn name_quoted_after<'a>(message: &'a str, prefix: &str, end: &str) -> Option<&'a str> {
    let (_, rest) = message.split_once(prefix)?;
    rest.split_once(end).map(|(name, _)| name)
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
        let missing = |m| name_quoted_after(m, "missing field `", "`");
        assert_eq!(
            missing("missing field `email` at line 1 column 2"),
            Some("email")
        );
        assert_eq!(missing("expected value"), None);
        assert_eq!(missing("missing field `"), None);
        assert_eq!(missing("missing field `é"), None);
        assert_eq!(missing("missing field `é`"), Some("é"));
        let unknown = |m| name_quoted_after(m, "unknown field `", "`, ");
        assert_eq!(
            unknown("unknown field `a`b`, expected `name` at line 1 column 9"),
            Some("a`b")
        );
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    #[serde(default, deny_unknown_fields)]
    struct Strict {
        name: String,
        age: Option<u32>,
    }

    impl Default for Strict {
        fn default() -> Self {
            Self {
                name: "nobody".into(),
                age: None,
            }
        }
    }

    #[test]
    fn one_value_and_nothing_after_it() {
        assert_eq!(parse::<Strict>(br#" {"name": "a"} "#).unwrap().name, "a");
        for body in [
            &br#"{"name": "a"}GARBAGE"#[..],
            br#"{"name": "a"}{"name": "b"}"#,
            br#"{"name": "a"} 1"#,
            b"{} []",
        ] {
            let error = parse::<Strict>(body).unwrap_err();
            assert_eq!(error.status(), StatusCode::BAD_REQUEST, "{body:?}");
            assert_eq!(error.field(), None);
        }
    }

    #[test]
    fn unknown_fields_are_refused_by_name() {
        let error = parse::<Strict>(br#"{"name": "a", "nickname": "b"}"#).unwrap_err();
        assert_eq!(error.status(), StatusCode::BAD_REQUEST);
        assert_eq!(error.field(), Some("nickname"));
        assert_eq!(
            error.message(),
            "The field `nickname` is not one this endpoint takes."
        );
        // Defaults still fill the fields left out.
        assert_eq!(parse::<Strict>(b"{}").unwrap(), Strict::default());
    }

    proptest::proptest! {
        #[test]
        fn any_body_is_parsed_or_refused_with_400(body in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
            if let Err(error) = parse::<Strict>(&body) {
                proptest::prop_assert_eq!(error.status(), StatusCode::BAD_REQUEST);
            }
        }

        #[test]
        fn any_unknown_field_is_named(name in "\\PC{1,12}") {
            proptest::prop_assume!(name != "name" && name != "age" && !name.contains("`, "));
            let body = serde_json::json!({ name.clone(): 1 }).to_string();
            let error = parse::<Strict>(body.as_bytes()).unwrap_err();
            proptest::prop_assert_eq!(error.field(), Some(name.as_str()));
        }
    }
}
