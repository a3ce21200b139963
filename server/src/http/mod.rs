//! What every response passes through, API and app alike: security headers, CORS, per-client
//! rate limits, a cache of finished API reads, compression, and `ETag`s with conditional
//! requests. [`wrap`] puts them in order.

pub mod cache;
pub mod client;
pub mod cors;
pub mod rate_limit;
pub mod read_cache;
pub mod security;

use std::sync::Arc;

use axum::middleware::{from_fn, from_fn_with_state};
use axum::Router;
use tower_http::compression::{CompressionLayer, CompressionLevel};

use crate::config::ServeOptions;
use budapest_post_store::Store;

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
    /// Finished API read answers.
    pub read_cache: Arc<read_cache::ReadCache>,
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
            read_cache: Arc::new(read_cache::ReadCache::new(
                u64::from(options.read_cache_mib) * 1024 * 1024,
            )),
        }
    }
}

/// Brotli and gzip at a level that is quick enough to run on every response the read cache
/// does not hold.
const COMPRESSION_QUALITY: i32 = 5;

/// `router` with every cross-cutting layer around it, outermost first: security headers,
/// CORS, rate limits, the read cache (answers of `store`'s content), the encoding's mark on the
/// `ETag`, compression, `ETag`s and `304`s.
pub fn wrap(router: Router, policy: Arc<HttpPolicy>, store: Store) -> Router {
    let cached = read_cache::ReadCacheState {
        cache: policy.read_cache.clone(),
        store,
    };
    router
        .layer(from_fn(cache::conditional))
        .layer(
            CompressionLayer::new()
                .gzip(true)
                .br(true)
                .quality(CompressionLevel::Precise(COMPRESSION_QUALITY)),
        )
        .layer(from_fn(cache::mark_encoding))
        .layer(from_fn_with_state(cached, read_cache::serve))
        .layer(from_fn_with_state(policy.clone(), rate_limit::limit))
        .layer(from_fn_with_state(policy.clone(), cors::cors))
        .layer(from_fn_with_state(policy, security::headers))
}
