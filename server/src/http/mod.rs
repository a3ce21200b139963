//! What every response passes through, API and app alike: security headers, CORS, per-client
//! rate limits, compression, and `ETag`s with conditional requests. [`wrap`] puts them in order.

pub mod cache;
pub mod client;
pub mod cors;
pub mod rate_limit;
pub mod security;

use std::sync::Arc;

use axum::middleware::{from_fn, from_fn_with_state};
use axum::Router;
use tower_http::compression::{CompressionLayer, CompressionLevel};

use crate::config::ServeOptions;

/// The per-site HTTP rules, built once from the configuration.
pub struct HttpPolicy {
    /// Who may send writes from another origin.
    pub cors: cors::CorsPolicy,
    /// Per-client request budgets.
    pub limits: rate_limit::RateLimits,
    /// The Content-Security-Policy and its inputs.
    pub csp: Arc<security::Csp>,
    /// Whether the client address comes from `X-Forwarded-For`.
    pub trust_forwarded_for: bool,
}

impl HttpPolicy {
    /// The rules `options` asks for.
    pub fn new(options: &ServeOptions) -> Self {
        Self {
            cors: cors::CorsPolicy::new(&options.allowed_origins, options.trust_forwarded_for),
            limits: rate_limit::RateLimits::new(
                options.read_rate_per_minute,
                options.write_rate_per_minute,
            ),
            csp: Arc::new(security::Csp::new(options)),
            trust_forwarded_for: options.trust_forwarded_for,
        }
    }
}

/// Brotli and gzip at a level that is quick enough to run on every response.
const COMPRESSION_QUALITY: i32 = 5;

/// `router` with every cross-cutting layer around it, outermost first: security headers,
/// CORS, rate limits, the encoding's mark on the `ETag`, compression, `ETag`s and `304`s.
pub fn wrap(router: Router, policy: Arc<HttpPolicy>) -> Router {
    router
        .layer(from_fn(cache::conditional))
        .layer(
            CompressionLayer::new()
                .gzip(true)
                .br(true)
                .quality(CompressionLevel::Precise(COMPRESSION_QUALITY)),
        )
        .layer(from_fn(cache::mark_encoding))
        .layer(from_fn_with_state(policy.clone(), rate_limit::limit))
        .layer(from_fn_with_state(policy.clone(), cors::cors))
        .layer(from_fn_with_state(policy, security::headers))
}
