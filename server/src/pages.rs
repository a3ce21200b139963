//! The site's pages, rendered by the app's own renderer (the exporter's too), so the first
//! response carries the text and the browser takes the page over in place. The read cache keeps
//! each rendered page until the content or the app changes.
//!
//! A page reads the API answers it shows from the API router itself, in process, so a page
//! and the JSON beside it never disagree.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::Router;
use budapest_post::config::SiteConfig;
use budapest_post::render::shell::Shell;
use budapest_post::render::{self, Answer};
use budapest_post_contract::{Page, SitePaths};
use tower::ServiceExt;

use crate::http::security::Csp;

/// Rendered pages are revalidated every time: they change with the content.
const PAGE_CACHE_CONTROL: &str = "no-cache";

/// `dist/index.html` as a page shell, read again when the file changes (a rebuilt app).
struct ShellFile {
    path: PathBuf,
    config: SiteConfig,
    current: Mutex<Option<(SystemTime, Arc<Shell>)>>,
}

impl ShellFile {
    /// The shell for the file as it is now; `None` when the app is not built or unreadable.
    fn load(&self) -> Option<Arc<Shell>> {
        let modified = shell_version(&self.path)?;
        if let Ok(current) = self.current.lock() {
            if let Some((at, shell)) = current.as_ref() {
                if *at == modified {
                    return Some(shell.clone());
                }
            }
        }
        let html = std::fs::read_to_string(&self.path).ok()?;
        let dist = self.path.parent()?;
        let assets = asset_names(dist);
        let shell = match Shell::parse(&html, &assets, &self.config) {
            Ok(shell) => Arc::new(shell),
            Err(error) => {
                tracing::error!(%error, path = %self.path.display(), "the app's index.html cannot be a page shell");
                return None;
            }
        };
        if let Ok(mut current) = self.current.lock() {
            *current = Some((modified, shell.clone()));
        }
        Some(shell)
    }
}

/// The app's page shell in the build folder `dist`: every page is rendered into it.
pub fn shell_path(dist: &std::path::Path) -> PathBuf {
    dist.join("index.html")
}

/// The version of the page shell at `shell`: its modification time, which changes with every
/// build of the app. `None` when the app is not built.
pub fn shell_version(shell: &std::path::Path) -> Option<SystemTime> {
    std::fs::metadata(shell).and_then(|m| m.modified()).ok()
}

/// The names of the files at the top of `dist` (the shell moves those under the base path).
fn asset_names(dist: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dist)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .filter(|name| name != "index.html")
                .collect()
        })
        .unwrap_or_default()
}

/// Renders pages for one server.
#[derive(Clone)]
pub struct PageRenderer {
    shell: Arc<ShellFile>,
    api: Router,
    csp: Arc<Csp>,
    paths: SitePaths,
}

impl PageRenderer {
    /// Pages of the app built in `dist`, shown with `config`, reading from `api` (the API
    /// router, state included) and served under `csp`.
    pub fn new(dist: PathBuf, config: SiteConfig, api: Router, csp: Arc<Csp>) -> Self {
        let paths = config.paths();
        Self {
            shell: Arc::new(ShellFile {
                path: shell_path(&dist),
                config,
                current: Mutex::new(None),
            }),
            api,
            csp,
            paths,
        }
    }

    /// The answer of the API at `api_path`, read in process.
    async fn read(&self, api_path: String) -> Answer {
        let request = Request::get(api_path.as_str()).body(Body::empty());
        let response = match request {
            Ok(request) => self.api.clone().oneshot(request).await,
            Err(_) => return failed(api_path),
        };
        let Ok(response) = response;
        let status = response.status().as_u16();
        match axum::body::to_bytes(response.into_body(), usize::MAX).await {
            Ok(bytes) => Answer {
                api_path,
                status,
                body: String::from_utf8_lossy(&bytes).into_owned(),
            },
            Err(_) => failed(api_path),
        }
    }

    /// The embed `page` (see `render::embed`): no shell, its own policy, framable by the
    /// partners `--embed-ancestors` names.
    async fn respond_embed(&self, page: Page) -> Response {
        let mut answers = Vec::new();
        for api_path in render::api_reads(&page, None) {
            answers.push(self.read(api_path).await);
        }
        let config = self.shell.config.clone();
        let rendered =
            tokio::task::spawn_blocking(move || render::embed::render(&page, &answers, &config))
                .await;
        let Ok(rendered) = rendered else {
            tracing::error!("rendering an embed failed");
            return crate::api::error::AppError::internal().into_response();
        };
        page_response(rendered.status, rendered.html, &self.csp.for_embed())
    }

    /// The page at `uri`, rendered, with its status and headers.
    pub async fn respond(&self, uri: &Uri) -> Response {
        if let Some(page @ (Page::EmbedHeadlines { .. } | Page::EmbedArticle { .. })) =
            self.paths.page_at(uri.path())
        {
            return self.respond_embed(page).await;
        }
        let Some(shell) = self.shell.load() else {
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "The Budapest Post app has not been built yet: run `cargo xtask run`.",
            )
                .into_response();
        };
        let path = uri.path();
        let page = if path == "/index.html" {
            Page::Home
        } else {
            self.paths.page_at(path).unwrap_or(Page::NotFound)
        };
        let reported = query_value(uri.query(), "article");
        let mut answers = Vec::new();
        for api_path in render::api_reads(&page, reported.as_deref()) {
            answers.push(self.read(api_path).await);
        }
        // The app's router sees the page's own address (`/` for `/index.html`).
        let route = match page {
            Page::NotFound => path.to_owned(),
            _ => self.paths.page(&page),
        };
        let url = match uri.query() {
            Some(query) => format!("{route}?{query}"),
            None => route,
        };
        // A private link's page (a report's status, an unsubscribe link) sends no `Referer`.
        let private = matches!(page, Page::ReportStatus | Page::Unsubscribe);
        let config = self.shell.config.clone();
        let shell_hashes = shell.inline_hashes().clone();
        let rendered =
            tokio::task::spawn_blocking(move || render::render(&shell, &url, &answers, &config))
                .await;
        let Ok(rendered) = rendered else {
            tracing::error!("rendering a page failed");
            return crate::api::error::AppError::internal().into_response();
        };
        let mut response = page_response(
            rendered.status,
            rendered.html,
            &self.csp.for_page(&shell_hashes),
        );
        if private {
            response.headers_mut().insert(
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            );
        }
        response
    }
}

/// A rendered page's answer: its status, revalidated like the API, under the policy `csp`.
fn page_response(status: u16, html: String, csp: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let mut response = (status, Html(html)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(PAGE_CACHE_CONTROL),
    );
    if let Ok(value) = HeaderValue::from_str(csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

/// An answer for a read that could not be made at all.
fn failed(api_path: String) -> Answer {
    Answer {
        api_path,
        status: 500,
        body: String::new(),
    }
}

/// The decoded value of `name` in a query string.
fn query_value(query: Option<&str>, name: &str) -> Option<String> {
    query?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| {
            percent_encoding::percent_decode_str(&value.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values() {
        assert_eq!(
            query_value(Some("article=a-b&quote=x%20y"), "article").as_deref(),
            Some("a-b")
        );
        assert_eq!(
            query_value(Some("quote=x+y%26z"), "quote").as_deref(),
            Some("x y&z")
        );
        assert_eq!(query_value(Some("article"), "article"), None);
        assert_eq!(query_value(None, "article"), None);
        assert_eq!(query_value(Some("a=%FF"), "a").as_deref(), Some("\u{fffd}"));
    }
}
