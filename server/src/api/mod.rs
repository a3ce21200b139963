//! The JSON API under `/api/v1`. Handlers are thin: parse, call the store, map errors.

mod articles;
mod corrections;
pub mod error;
mod health;
mod json;
mod oembed;
pub mod openapi;
mod readers;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use budapest_post_contract::limits;

use crate::AppState;
use error::AppError;

/// Every API route.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/site.json", get(articles::site))
        .route("/articles/page/{file}", get(articles::article_page))
        .route("/articles/{slug}/related.json", get(articles::related))
        .route("/articles/index.json", get(articles::article_index))
        .route("/articles/{file}", get(articles::article))
        .route("/corrections.json", get(corrections::list))
        .route("/reports", post(readers::submit_report))
        .route("/reports/status", post(readers::report_status))
        .route("/newsletter", post(readers::subscribe))
        .route("/newsletter/unsubscribe", post(readers::unsubscribe))
        .route("/oembed", get(oembed::oembed))
        .route("/oembed/articles/{file}", get(oembed::article_file))
        .route("/oembed/headlines.json", get(oembed::headlines_file))
        .route("/openapi.json", get(openapi::serve))
        .route("/health", get(health::health))
        .method_not_allowed_fallback(|| async { AppError::method_not_allowed() })
        .fallback(|| async { AppError::not_found("API resource") })
        .layer(DefaultBodyLimit::max(limits::REQUEST_BODY_MAX_BYTES))
}
