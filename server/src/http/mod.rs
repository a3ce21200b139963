//! What every response passes through, API and app alike: request logging, security headers,
//! CORS, panics turned into `500`s, rate limits, a time limit, a cache of finished API reads,
//! compression, and `ETag`s with conditional requests. [`wrap`] puts them in order.

pub mod cache;
pub mod client;
pub mod cors;
mod early;
mod head;
pub mod rate_limit;
pub mod read_cache;
pub mod security;
mod shared;

use std::any::Any;
use std::sync::Arc;
use std::time::Duration;

use axum::error_handling::HandleErrorLayer;
use axum::extract::Request;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::{BoxError, Router};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::trace::{DefaultOnFailure, DefaultOnResponse, TraceLayer};
use tower_http::LatencyUnit;
use tracing::{Level, Span};

use crate::api::error::AppError;
use crate::config::ServeOptions;
use budapest_post_store::Store;

/// The per-site HTTP rules, built once from the configuration.
pub struct HttpPolicy {
    /// Who may send writes from another origin.
    pub cors: cors::CorsPolicy,
    /// Per-client and server-wide request budgets.
    pub limits: rate_limit::RateLimits,
    /// The Content-Security-Policy and its inputs.
    pub csp: Arc<security::Csp>,
    /// Where the client's address comes from.
    pub client_address: client::ClientAddress,
    /// Finished read answers: API, site files and pages.
    pub read_cache: Arc<read_cache::ReadCache>,
    /// Which requests are pages, for the read cache.
    pub pages: Arc<read_cache::PageKeys>,
    /// How long a request may take until its answer starts.
    pub request_timeout: Duration,
    /// Whether responses carry `Strict-Transport-Security`.
    pub hsts: bool,
}

impl HttpPolicy {
    /// The rules `options` asks for.
    pub fn new(options: &ServeOptions) -> Self {
        Self {
            cors: cors::CorsPolicy::new(&options.allowed_origins, options.trust_forwarded_for),
            limits: rate_limit::RateLimits::new(
                options.read_rate_per_minute,
                options.write_rate_per_minute,
                options.global_write_rate_per_minute,
            ),
            csp: Arc::new(security::Csp::new(options)),
            client_address: client::ClientAddress::new(
                options.trust_forwarded_for,
                options.forwarded_hops,
            ),
            read_cache: Arc::new(read_cache::ReadCache::new(
                u64::from(options.read_cache_mib) * 1024 * 1024,
            )),
            pages: Arc::new(read_cache::PageKeys::new(
                crate::page_config(options).paths(),
                crate::pages::shell_path(&options.dist),
            )),
            request_timeout: Duration::from_secs(options.request_timeout_seconds),
            hsts: options.hsts,
        }
    }
}

/// Brotli and gzip at a level that is quick enough to run on every response the read cache
/// does not hold.
const COMPRESSION_QUALITY: i32 = 5;

/// The span every request's log lines belong to: its method and path (not its query, which
/// may carry what readers typed). Its target is tower-http's, so the one `tower_http` log
/// directive turns the whole request line on or off.
fn request_span(request: &Request) -> Span {
    tracing::info_span!(
        target: "tower_http::trace",
        "request",
        method = %request.method(),
        path = %request.uri().path(),
    )
}

/// The answer to a request whose handling panicked: the panic is logged, the reader gets the
/// contract's `500`, and the server carries on.
fn panic_answer(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic without a message");
    tracing::error!(panic = message, "a request panicked; answered 500");
    AppError::internal().into_response()
}

/// The answer to a request that took longer than its time limit (or, never expected, to any
/// other failure of the layers inside).
async fn timeout_answer(error: BoxError) -> AppError {
    if error.is::<tower::timeout::error::Elapsed>() {
        tracing::warn!("a request took longer than its time limit; answered 504");
        AppError::timeout()
    } else {
        tracing::error!(%error, "a layer failed");
        AppError::internal()
    }
}

/// `router` with every cross-cutting layer around it, outermost first: a log line per request
/// (at `info`, target `tower_http`), `HEAD` answered as `GET` without the body, the security
/// headers and the Content-Security-Policy, CORS with its refusal of foreign writes, panics
/// answered `500`, rate limits, read-cache hits, the time limit, the rest of the read cache
/// (answers of `store`'s content), the encoding's mark on the `ETag`, compression, `ETag`s and
/// `304`s.
pub fn wrap(router: Router, policy: Arc<HttpPolicy>, store: Store) -> Router {
    let security_headers = Arc::new(security::ResponseHeaders::new(policy.hsts, &policy.csp));
    let cached = read_cache::ReadCacheState {
        cache: policy.read_cache.clone(),
        store,
        pages: policy.pages.clone(),
    };
    // Outermost first. One stack around the whole router, not one layer around every route:
    // each middleware then clones the (cheap) service inside it per request, where layers
    // around routes cloned every boxed route under them.
    let layers = ServiceBuilder::new()
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(
                    DefaultOnResponse::new()
                        .level(Level::INFO)
                        .latency_unit(LatencyUnit::Millis),
                )
                .on_failure(DefaultOnFailure::new().latency_unit(LatencyUnit::Millis)),
        )
        .layer(head::HeadAsGetLayer)
        // tower's `map_response`, not axum's: no boxed future per request.
        .map_response(move |response| security_headers.add_to(response))
        .layer(from_fn_with_state(policy.clone(), cors::cors))
        .layer(CatchPanicLayer::custom(panic_answer))
        .layer(early::EarlyLayer(rate_limit::RateLimit(policy.clone())))
        // A hit is answered at once: no timer for it.
        .layer(early::EarlyLayer(read_cache::Hits(cached.clone())))
        .layer(HandleErrorLayer::new(timeout_answer))
        .timeout(policy.request_timeout)
        .layer(from_fn_with_state(cached, read_cache::serve))
        // The `from_fn` middlewares above (CORS, the read cache) clone the whole stack beneath
        // them on every request; from here down that is one reference count, and the layers
        // below are copied only for the requests that reach them (not for read-cache hits).
        .layer(shared::SharedLayer)
        .layer(from_fn(cache::mark_encoding))
        .layer(
            CompressionLayer::new()
                .gzip(true)
                .br(true)
                .quality(CompressionLevel::Precise(COMPRESSION_QUALITY)),
        )
        .layer(from_fn(cache::conditional));
    Router::new().fallback_service(layers.service(router))
}
