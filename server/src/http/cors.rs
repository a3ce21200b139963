//! Cross-origin rules: anyone may read, only the site itself and the configured origins may
//! write. A write from any other origin is refused with `403 forbidden_origin` before it
//! reaches a handler, so it changes nothing. The CORS headers themselves are tower-http's
//! [`CorsLayer`]: one for reads (`*`, the same for every origin, so shared caches may keep one
//! copy) and one for writes (the allowed origin, echoed).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;
use tower::{Layer, ServiceExt};
use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer, Vary};

use super::HttpPolicy;
use crate::api::error::AppError;

/// How long a browser may remember a preflight's answer.
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(600);
/// Response headers cross-origin scripts may read.
const EXPOSED_HEADERS: [header::HeaderName; 2] = [header::ETAG, header::RETRY_AFTER];

/// The origins allowed to send writes, besides the site's own.
#[derive(Clone)]
struct WriteOrigins {
    origins: Arc<Vec<String>>,
    trust_forwarded_host: bool,
}

/// `https://Example.com/` → `https://example.com`.
fn normalize(origin: &str) -> String {
    origin.trim().trim_end_matches('/').to_ascii_lowercase()
}

impl WriteOrigins {
    fn may_write(&self, origin: &str, headers: &HeaderMap) -> bool {
        let origin = normalize(origin);
        is_same_origin(&origin, headers, self.trust_forwarded_host)
            || self
                .origins
                .iter()
                .any(|allowed| allowed == "*" || *allowed == origin)
    }
}

/// Who may read and who may write from other origins, and the CORS layers that say so.
pub struct CorsPolicy {
    write_origins: WriteOrigins,
    reads: CorsLayer,
    writes: CorsLayer,
    /// What `reads` adds to the answer of a plain read (not a preflight), learnt from it once:
    /// the same whoever asks, so set directly, without the layer's per-request header map.
    plain_read_headers: HeaderMap,
}

impl CorsPolicy {
    /// Writes allowed from `origins` (`*` allows every origin); behind a trusted proxy the
    /// site's own host may also be named by `X-Forwarded-Host`.
    pub fn new(origins: &[String], trust_forwarded_host: bool) -> Self {
        let write_origins = WriteOrigins {
            origins: Arc::new(
                origins
                    .iter()
                    .map(|o| normalize(o))
                    .filter(|o| !o.is_empty())
                    .collect(),
            ),
            trust_forwarded_host,
        };
        let reads = CorsLayer::new()
            .allow_origin(AllowOrigin::any())
            .allow_methods([Method::GET, Method::HEAD])
            .allow_headers(AllowHeaders::mirror_request())
            .expose_headers(EXPOSED_HEADERS)
            .max_age(PREFLIGHT_MAX_AGE)
            // `*` is the same whoever asks.
            .vary(Vary::list([]));
        let allowed = write_origins.clone();
        let writes = CorsLayer::new()
            .allow_origin(AllowOrigin::predicate(move |origin, request| {
                origin
                    .to_str()
                    .is_ok_and(|origin| allowed.may_write(origin, &request.headers))
            }))
            .allow_methods([Method::GET, Method::HEAD, Method::POST])
            .allow_headers(AllowHeaders::mirror_request())
            .expose_headers(EXPOSED_HEADERS)
            .max_age(PREFLIGHT_MAX_AGE);
        let plain_read_headers = headers_added_by(&reads, Method::GET);
        Self {
            write_origins,
            reads,
            writes,
            plain_read_headers,
        }
    }

    /// Whether a page at `origin` may send writes to a server reached as `headers`' `Host`.
    pub fn may_write(&self, origin: &str, headers: &HeaderMap) -> bool {
        self.write_origins.may_write(origin, headers)
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

/// The headers `layer` adds to the answer of a `method` request from another origin: the
/// layer answers one such request, once, around a service that adds none.
fn headers_added_by(layer: &CorsLayer, method: Method) -> HeaderMap {
    let mut request = Request::new(Body::empty());
    *request.method_mut() = method;
    request.headers_mut().insert(
        header::ORIGIN,
        HeaderValue::from_static("https://partner.example"),
    );
    let bare =
        tower::service_fn(|_: Request| async { Ok::<_, Infallible>(Response::new(Body::empty())) });
    // Ready at once: the service inside answers without waiting.
    match layer.layer(bare).oneshot(request).now_or_never() {
        Some(Ok(response)) => response.headers().clone(),
        _ => HeaderMap::new(),
    }
}

/// Whether `request` writes, or is the preflight of a write.
fn is_write(request: &Request) -> bool {
    let method = if request.method() == Method::OPTIONS {
        match request.headers().get(header::ACCESS_CONTROL_REQUEST_METHOD) {
            Some(asked) => asked
                .to_str()
                .ok()
                .and_then(|asked| asked.parse::<Method>().ok()),
            None => Some(Method::OPTIONS),
        }
    } else {
        Some(request.method().clone())
    };
    !matches!(method, Some(Method::GET | Method::HEAD | Method::OPTIONS))
}

/// Refuses writes (and their preflights) from origins that may not send them, then lets the
/// read or the write CORS layer answer preflights and mark responses.
pub async fn cors(State(policy): State<Arc<HttpPolicy>>, request: Request, next: Next) -> Response {
    let write = is_write(&request);
    if write {
        let origin = request
            .headers()
            .get(header::ORIGIN)
            .map(|v| v.to_str().unwrap_or("an unreadable origin"));
        if let Some(origin) = origin.filter(|o| !policy.cors.may_write(o, request.headers())) {
            tracing::info!(%origin, "write from a foreign origin refused");
            return AppError::forbidden_origin(origin).into_response();
        }
    }
    if !write && request.method() != Method::OPTIONS {
        // A plain read: the read layer's headers, which do not depend on the request.
        let mut response = next.run(request).await;
        let headers = response.headers_mut();
        headers.reserve(policy.cors.plain_read_headers.len());
        for (name, value) in &policy.cors.plain_read_headers {
            // As the layer does: `Vary` added to, the others replaced.
            if name == header::VARY {
                headers.append(name, value.clone());
            } else {
                headers.insert(name, value.clone());
            }
        }
        return response;
    }
    let layer = if write {
        &policy.cors.writes
    } else {
        &policy.cors.reads
    };
    let answer: Result<Response, Infallible> = layer.layer(next).oneshot(request).await;
    match answer {
        Ok(response) => response,
        Err(never) => match never {},
    }
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
    fn preflights_are_writes_when_they_ask_for_one() {
        let preflight = |asked: Option<&str>| {
            let mut builder = Request::builder().method(Method::OPTIONS);
            if let Some(asked) = asked {
                builder = builder.header(header::ACCESS_CONTROL_REQUEST_METHOD, asked);
            }
            builder.body(axum::body::Body::empty()).unwrap()
        };
        assert!(is_write(&preflight(Some("POST"))));
        assert!(is_write(&preflight(Some("DELETE"))));
        assert!(is_write(&preflight(Some("not a method"))));
        assert!(!is_write(&preflight(Some("GET"))));
        assert!(!is_write(&preflight(None)));
        let post = Request::builder()
            .method(Method::POST)
            .body(axum::body::Body::empty())
            .unwrap();
        assert!(is_write(&post));
    }

    #[tokio::test]
    async fn a_plain_read_gets_exactly_the_headers_the_read_layer_gives() {
        let policy = CorsPolicy::new(&["https://partner.example".to_owned()], false);
        for origin in [
            None,
            Some("https://partner.example"),
            Some("https://other.example"),
        ] {
            let mut request = Request::new(Body::empty());
            if let Some(origin) = origin {
                request
                    .headers_mut()
                    .insert(header::ORIGIN, HeaderValue::from_static(origin));
            }
            let bare = tower::service_fn(|_: Request| async {
                Ok::<_, Infallible>(Response::new(Body::empty()))
            });
            let answer = policy.reads.layer(bare).oneshot(request).await.unwrap();
            assert_eq!(answer.headers(), &policy.plain_read_headers, "{origin:?}");
        }
        assert_eq!(
            policy.plain_read_headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
            "*"
        );
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
