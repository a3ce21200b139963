//! Cross-origin rules: anyone may read, only the site itself and the configured origins may
//! write. A write from any other origin is refused with `403 forbidden_origin` before it
//! reaches a handler, so it changes nothing.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::HttpPolicy;
use crate::api::error::AppError;

/// How long a browser may remember a preflight's answer, in seconds.
const PREFLIGHT_MAX_AGE: &str = "600";
/// Response headers cross-origin scripts may read.
const EXPOSED_HEADERS: &str = "ETag, Retry-After";
/// Methods anyone may use.
const READ_METHODS: &str = "GET, HEAD, OPTIONS";
/// Methods the allowed origins may use.
const WRITE_METHODS: &str = "GET, HEAD, POST, OPTIONS";

/// The origins allowed to send writes, besides the site's own.
pub struct CorsPolicy {
    write_origins: Vec<String>,
    trust_forwarded_host: bool,
}

/// `https://Example.com/` → `https://example.com`.
fn normalize(origin: &str) -> String {
    origin.trim().trim_end_matches('/').to_ascii_lowercase()
}

impl CorsPolicy {
    /// Writes allowed from `origins` (`*` allows every origin); behind a trusted proxy the
    /// site's own host may also be named by `X-Forwarded-Host`.
    pub fn new(origins: &[String], trust_forwarded_host: bool) -> Self {
        Self {
            write_origins: origins
                .iter()
                .map(|o| normalize(o))
                .filter(|o| !o.is_empty())
                .collect(),
            trust_forwarded_host,
        }
    }

    /// Whether a page at `origin` may send writes to a server reached as `headers`' `Host`.
    pub fn may_write(&self, origin: &str, headers: &HeaderMap) -> bool {
        let origin = normalize(origin);
        is_same_origin(&origin, headers, self.trust_forwarded_host)
            || self
                .write_origins
                .iter()
                .any(|allowed| allowed == "*" || *allowed == origin)
    }
}

/// Whether `origin` names the host the request was sent to (any scheme: behind a TLS proxy the
/// server itself only sees plain HTTP).
fn is_same_origin(origin: &str, headers: &HeaderMap, trust_forwarded_host: bool) -> bool {
    let Some((_, authority)) = origin.split_once("://") else {
        return false;
    };
    let names: &[&str] = if trust_forwarded_host {
        &["host", "x-forwarded-host"]
    } else {
        &["host"]
    };
    names
        .iter()
        .filter_map(|name| headers.get(*name)?.to_str().ok())
        .any(|host| host.trim().eq_ignore_ascii_case(authority))
}

fn is_read(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn set(headers: &mut HeaderMap, name: header::HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.insert(name, value);
    }
}

/// The answer to a preflight `OPTIONS` from `origin` asking to use `requested`.
fn preflight(policy: &CorsPolicy, origin: &str, requested: &str, request: &Request) -> Response {
    let wants_read = requested
        .parse::<Method>()
        .is_ok_and(|m| is_read(&m) && m != Method::OPTIONS);
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    if wants_read {
        set(headers, header::ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        set(headers, header::ACCESS_CONTROL_ALLOW_METHODS, READ_METHODS);
    } else if policy.may_write(origin, request.headers()) {
        set(headers, header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        set(headers, header::ACCESS_CONTROL_ALLOW_METHODS, WRITE_METHODS);
        set(headers, header::VARY, "Origin");
    } else {
        return AppError::forbidden_origin(origin).into_response();
    }
    if let Some(asked) = request
        .headers()
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .cloned()
    {
        headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, asked);
    }
    set(headers, header::ACCESS_CONTROL_MAX_AGE, PREFLIGHT_MAX_AGE);
    response
}

/// Answers preflights, refuses writes from origins that may not send them, and marks every
/// other response readable from other origins.
pub async fn cors(State(policy): State<Arc<HttpPolicy>>, request: Request, next: Next) -> Response {
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let Some(origin) = origin else {
        // Not sent by a browser page of another origin: nothing to allow or refuse.
        return next.run(request).await;
    };
    let requested = request
        .headers()
        .get(header::ACCESS_CONTROL_REQUEST_METHOD)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let (&Method::OPTIONS, Some(requested)) = (request.method(), requested) {
        return preflight(&policy.cors, &origin, &requested, &request);
    }
    let read = is_read(request.method());
    if !read && !policy.cors.may_write(&origin, request.headers()) {
        tracing::info!(%origin, "write from a foreign origin refused");
        return AppError::forbidden_origin(&origin).into_response();
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if read {
        set(headers, header::ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    } else {
        set(headers, header::ACCESS_CONTROL_ALLOW_ORIGIN, &origin);
        headers.append(header::VARY, HeaderValue::from_static("Origin"));
    }
    set(
        headers,
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        EXPOSED_HEADERS,
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn same_origin_and_configured_origins_may_write() {
        let policy = CorsPolicy::new(&["https://Partner.example/".to_owned()], false);
        let here = host("news.example:8080");
        assert!(policy.may_write("http://news.example:8080", &here));
        assert!(policy.may_write("https://partner.example", &here));
        assert!(!policy.may_write("https://evil.example", &here));
        assert!(!policy.may_write("null", &here));
        assert!(!policy.may_write("http://news.example", &here));
    }

    #[test]
    fn a_star_allows_every_origin() {
        let policy = CorsPolicy::new(&["*".to_owned()], false);
        assert!(policy.may_write("https://anyone.example", &HeaderMap::new()));
    }

    #[test]
    fn the_forwarded_host_counts_only_behind_a_trusted_proxy() {
        let mut headers = host("127.0.0.1:8080");
        headers.insert("x-forwarded-host", HeaderValue::from_static("news.example"));
        let origin = "https://news.example";
        assert!(!CorsPolicy::new(&[], false).may_write(origin, &headers));
        assert!(CorsPolicy::new(&[], true).may_write(origin, &headers));
    }
}
