//! `ETag`s, `Cache-Control` and `304 Not Modified`, so any CDN or browser can cache reads.
//!
//! The tag is a strong hash of the body as the handler made it. When the compression layer
//! then encodes the body, [`mark_encoding`] appends the encoding (`"…-br"`, `"…-gzip"`) so each
//! representation keeps a strong tag of its own; [`conditional`] compares tags without that
//! mark, as `If-None-Match`'s weak comparison allows.

use axum::body::{Body, HttpBody};
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use budapest_post_contract::paths::API_PREFIX;

use crate::api::error::AppError;

/// How long caches may keep an API read, and serve it stale while they refresh it.
pub const API_CACHE_CONTROL: &str = "public, max-age=60, stale-while-revalidate=300";

/// Bodies larger than this are not buffered to be tagged.
const MAX_TAGGED_BODY_BYTES: u64 = 8 * 1024 * 1024;

/// The encodings [`mark_encoding`] may append to a tag.
const ENCODING_MARKS: [&str; 2] = ["-gzip", "-br"];

/// The strong entity tag of `body`: its 128-bit xxh3 hash, quoted.
pub fn entity_tag(body: &[u8]) -> String {
    format!("\"{:032x}\"", xxhash_rust::xxh3::xxh3_128(body))
}

/// The tag's opaque part without quotes, weakness or encoding mark: `W/"ab-br"` → `ab`.
fn tag_core(tag: &str) -> Option<&str> {
    let tag = tag.trim();
    let tag = tag.strip_prefix("W/").unwrap_or(tag);
    let opaque = tag.strip_prefix('"')?.strip_suffix('"')?;
    Some(
        ENCODING_MARKS
            .iter()
            .find_map(|mark| opaque.strip_suffix(mark))
            .unwrap_or(opaque),
    )
}

/// The tag in `If-None-Match` that matches `current`, as the client sent it, if any does.
pub fn matching_tag(headers: &HeaderMap, current: &str) -> Option<String> {
    let current = tag_core(current)?;
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .find(|tag| *tag == "*" || tag_core(tag) == Some(current))
        .map(str::to_owned)
}

/// Whether the whole body is here (not a `HEAD` answer that only declares its length) and
/// small enough to buffer.
fn is_small_enough(response: &Response) -> bool {
    let declared = response
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let size = match (HttpBody::size_hint(response.body()).exact(), declared) {
        (Some(actual), Some(declared)) if actual != declared => return false,
        (Some(actual), _) => actual,
        (None, Some(declared)) => declared,
        (None, None) => return false,
    };
    size <= MAX_TAGGED_BODY_BYTES
}

/// Tags every successful `GET` and `HEAD` response, sets the API's `Cache-Control`, and answers
/// `304 Not Modified` when the client's `If-None-Match` already names this body.
pub async fn conditional(request: Request, next: Next) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let conditions = request.headers().clone();
    let is_api = request.uri().path().starts_with(API_PREFIX);
    let response = next.run(request).await;
    // A `no-store` answer (the health check) gets no tag: no cache, the server's read cache
    // included, may keep it, and a tag would invite a `304` for what was never kept.
    if response.status() != StatusCode::OK
        || response.headers().contains_key(header::ETAG)
        || response.headers().contains_key(header::CONTENT_ENCODING)
        || response
            .headers()
            .get(header::CACHE_CONTROL)
            .is_some_and(|v| v == "no-store")
    {
        return response;
    }
    if !is_small_enough(&response) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_TAGGED_BODY_BYTES as usize).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "cannot read a response body to tag it");
            return AppError::internal().into_response();
        }
    };
    let tag = entity_tag(&bytes);
    if is_api && !parts.headers.contains_key(header::CACHE_CONTROL) {
        parts.headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(API_CACHE_CONTROL),
        );
    }
    if let Some(matched) = matching_tag(&conditions, &tag) {
        // The client holds this body: tell it so, with the tag of the representation it holds.
        let echoed = if matched == "*" {
            tag.clone()
        } else {
            matched.trim_start_matches("W/").to_owned()
        };
        let mut not_modified = StatusCode::NOT_MODIFIED.into_response();
        let headers = not_modified.headers_mut();
        // A browser takes the 304's headers over the ones it kept: a page's own policy (an
        // embed's frame-ancestors) must come back with it, not the site's default.
        for name in [
            header::CACHE_CONTROL,
            header::VARY,
            header::LAST_MODIFIED,
            header::CONTENT_SECURITY_POLICY,
        ] {
            for value in parts.headers.get_all(&name) {
                headers.append(name.clone(), value.clone());
            }
        }
        if let Ok(value) = HeaderValue::from_str(&echoed) {
            headers.insert(header::ETAG, value);
        }
        return not_modified;
    }
    if let Ok(value) = HeaderValue::from_str(&tag) {
        parts.headers.insert(header::ETAG, value);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Appends the content encoding to a strong tag, so `gzip` and `br` bodies, whose bytes
/// differ from the plain one, each carry a tag of their own.
pub async fn mark_encoding(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let encoding = response
        .headers()
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let tag = response
        .headers()
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let (Some(encoding), Some(tag)) = (encoding, tag) {
        if let Some(opaque) = tag.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
            let marked = format!("\"{opaque}-{encoding}\"");
            if let Ok(value) = HeaderValue::from_str(&marked) {
                response.headers_mut().insert(header::ETAG, value);
            }
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inm(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn tags_are_stable_quoted_hashes() {
        let tag = entity_tag(b"{}");
        assert_eq!(tag, entity_tag(b"{}"));
        assert_ne!(tag, entity_tag(b"[]"));
        assert_eq!(tag.len(), 34);
        assert!(tag.starts_with('"') && tag.ends_with('"'));
    }

    #[test]
    fn if_none_match_forms() {
        let tag = "\"abc\"";
        assert!(matching_tag(&inm("\"abc\""), tag).is_some());
        assert!(matching_tag(&inm("W/\"abc\""), tag).is_some());
        assert!(matching_tag(&inm("\"x\", \"abc-br\""), tag).is_some());
        assert!(matching_tag(&inm("\"abc-gzip\""), tag).is_some());
        assert!(matching_tag(&inm("*"), tag).is_some());
        assert!(matching_tag(&inm("\"abd\""), tag).is_none());
        assert!(matching_tag(&inm("abc"), tag).is_none());
        assert!(matching_tag(&HeaderMap::new(), tag).is_none());
    }
}
