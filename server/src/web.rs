//! Serves the built app (Trunk's `dist/`): its files, and `index.html` for every app route so a
//! reload of a deep link shows the same page.

use std::path::PathBuf;

use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::Router;
use tower_http::services::ServeDir;

use crate::AppState;

/// The app's files from `dist`, with `index.html` for anything that is not a file.
pub fn router(dist: PathBuf) -> Router<AppState> {
    let index = dist.join("index.html");
    let fallback = move |uri: Uri| {
        let index = index.clone();
        async move { app_shell(&index, &uri).await }
    };
    Router::new().fallback_service(ServeDir::new(dist).fallback(axum::routing::get(fallback)))
}

async fn app_shell(index: &std::path::Path, uri: &Uri) -> Response {
    // A missing file with an extension is a broken asset link, not an app route.
    let last_segment = uri.path().rsplit('/').next().unwrap_or_default();
    if last_segment.contains('.') {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    }
    match tokio::fs::read_to_string(index).await {
        Ok(html) => {
            let mut response = Html(html).into_response();
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            response
        }
        Err(error) => {
            tracing::error!(%error, path = %index.display(), "the app is not built");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "The Budapest Post app has not been built yet: run `cargo xtask run`.",
            )
                .into_response()
        }
    }
}
