//! Serves the built app (Trunk's `dist/`): its files, and for every other address the page the
//! app renders there (see [`crate::pages`]), so a deep link shows its text at once.
//!
//! Files whose names carry Trunk's content hash never change, so caches may keep them for a
//! year; pages name the current hashes and change with the content, so caches must check them
//! every time.

use std::path::PathBuf;

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;
use tower_http::services::ServeDir;

use crate::api::error::AppError;
use crate::pages::PageRenderer;
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

/// The app's files from `dist`, and the rendered page for anything that is not a file.
pub fn router(dist: PathBuf, pages: PageRenderer) -> Router<AppState> {
    let shell = move |uri: Uri| {
        let pages = pages.clone();
        async move { page(&pages, &uri).await }
    };
    // A release build writes each file's brotli and gzip forms beside it: they are sent as
    // they are (the compression layer leaves an encoded answer alone), which costs the server
    // nothing and the reader the fewest bytes.
    let files = ServeDir::new(dist)
        .append_index_html_on_directories(false)
        .precompressed_br()
        .precompressed_gzip()
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

/// Sets the `Cache-Control` of a served file by its name, unless the handler set one (what
/// failed is not to be cached at all), and `Vary` on a precompressed one.
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
    let headers = response.headers_mut();
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(value));
    // A precompressed file is one representation of several: shared caches must keep them
    // apart by what the reader accepts (the compression layer says so for what it encodes).
    if headers.contains_key(header::CONTENT_ENCODING) {
        headers
            .entry(header::VARY)
            .or_insert(HeaderValue::from_static("accept-encoding"));
    }
    response
}

/// The page at `uri`; a missing file (a name with an extension) is a broken asset link, not a
/// page, and gets a plain 404.
async fn page(pages: &PageRenderer, uri: &Uri) -> Response {
    let last_segment = uri.path().rsplit('/').next().unwrap_or_default();
    if last_segment.contains('.') && last_segment != "index.html" {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    }
    pages.respond(uri).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_hashed_names() {
        assert!(is_hashed_name("budapest-post-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_hashed_name("budapest-post-1a2b3c4d5e6f7a8b.js"));
        assert!(is_hashed_name("main-0123456789abcdef.css"));
        assert!(
            is_hashed_name("budapest-post-cc7107759ed9671.js"),
            "Trunk writes no leading zeros"
        );
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
