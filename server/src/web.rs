//! Serves the built app (Trunk's `dist/`): its files, and `index.html` for every app route so a
//! reload of a deep link shows the same page.
//!
//! Files whose names carry Trunk's content hash never change, so caches may keep them for a
//! year; `index.html` names the current hashes, so caches must check it every time.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;
use tower_http::services::ServeDir;

use crate::api::error::AppError;
use crate::http::security::{Csp, InlineHashes};
use crate::AppState;

/// For files named with their content's hash.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// For the app's page: keep it, but ask every time whether it changed.
pub const NO_CACHE: &str = "no-cache";
/// For the other files of `public/`, which keep their names when they change.
pub const SHORT: &str = "public, max-age=3600";

/// Whether a path segment carries a content hash the way Trunk writes it:
/// `name-<hex>.ext`, `name-<hex>_bg.wasm`, or a `snippets/name-<hex>/` folder.
pub fn is_hashed_name(segment: &str) -> bool {
    let stem = segment.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(name, hash)| {
        !name.is_empty()
            && (12..=64).contains(&hash.len())
            && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// The `Cache-Control` of the file at `path`.
fn cache_control_for(path: &str) -> &'static str {
    let hashed = path.trim_matches('/').split('/').any(is_hashed_name);
    if hashed {
        IMMUTABLE
    } else if path.ends_with('/') || path.ends_with(".html") {
        NO_CACHE
    } else {
        SHORT
    }
}

/// The app's files from `dist`, with `index.html` for anything that is not a file.
pub fn router(dist: PathBuf, csp: Arc<Csp>) -> Router<AppState> {
    let index = Arc::new(dist.join("index.html"));
    let shell = {
        let (index, csp) = (index.clone(), csp.clone());
        move |uri: Uri| {
            let (index, csp) = (index.clone(), csp.clone());
            async move { app_shell(&index, &csp, &uri).await }
        }
    };
    let files = ServeDir::new(dist)
        .append_index_html_on_directories(false)
        .fallback(get(shell.clone()));
    let api_not_found = || async { AppError::not_found("API resource") };
    Router::new()
        .route("/", get(shell.clone()))
        .route("/index.html", get(shell))
        // Other API versions and typos under /api are API errors, not app routes.
        .route("/api", any(api_not_found))
        .route("/api/{*rest}", any(api_not_found))
        .fallback_service(files)
        .layer(axum::middleware::from_fn(file_cache_control))
}

/// Sets the `Cache-Control` of a served file by its name, unless the handler set one; what
/// failed is not to be cached at all.
async fn file_cache_control(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let cacheable = matches!(
        response.status(),
        StatusCode::OK | StatusCode::PARTIAL_CONTENT | StatusCode::NOT_MODIFIED
    );
    let value = if cacheable {
        cache_control_for(&path)
    } else {
        "no-store"
    };
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(value));
    response
}

/// `index.html`, with the Content-Security-Policy that allows its own inline scripts.
async fn app_shell(index: &Path, csp: &Csp, uri: &Uri) -> Response {
    // A missing file with an extension is a broken asset link, not an app route.
    let last_segment = uri.path().rsplit('/').next().unwrap_or_default();
    if last_segment.contains('.') && last_segment != "index.html" {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    }
    match tokio::fs::read_to_string(index).await {
        Ok(html) => {
            let policy = csp.for_page(&InlineHashes::of(&html));
            let mut response = Html(html).into_response();
            let headers = response.headers_mut();
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(NO_CACHE));
            if let Ok(value) = HeaderValue::from_str(&policy) {
                headers.insert(header::CONTENT_SECURITY_POLICY, value);
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_hashed_names() {
        assert!(is_hashed_name("budapest-post-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_hashed_name("budapest-post-1a2b3c4d5e6f7a8b.js"));
        assert!(is_hashed_name("main-0123456789abcdef.css"));
        assert!(is_hashed_name("budapest-post-1a2b3c4d5e6f7a8b"));
        assert!(!is_hashed_name("favicon.svg"));
        assert!(!is_hashed_name("index.html"));
        assert!(!is_hashed_name("budapest-post.js"));
        assert!(!is_hashed_name("my-logo.png"));
        assert!(!is_hashed_name("-0123456789abcdef.css"));
        assert!(!is_hashed_name("photo-deadbeef.jpg"));
    }

    #[test]
    fn cache_control_by_path() {
        assert_eq!(cache_control_for("/main-0123456789abcdef.css"), IMMUTABLE);
        assert_eq!(
            cache_control_for("/snippets/budapest-post-0123456789abcdef/inline0.js"),
            IMMUTABLE
        );
        assert_eq!(cache_control_for("/index.html"), NO_CACHE);
        assert_eq!(cache_control_for("/favicon.svg"), SHORT);
    }
}
