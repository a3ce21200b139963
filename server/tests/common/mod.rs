//! Shared by the HTTP tests: a site on a real SQLite file in a temp folder, with the repo's
//! content and a small fake app build, and helpers to send it requests.
#![allow(dead_code)]

pub mod openapi;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use budapest_post_server::config::ServeOptions;
use budapest_post_store::{Content, Database, Store, StoreOptions};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// The slug of the one full article in `content/`.
pub const SEED_SLUG: &str = "russia-lays-out-demands-for-a-sweeping-new-security-deal-with-nato";

/// The inline module script Trunk writes into `index.html`.
pub const TRUNK_SCRIPT: &str = "\nimport init, * as bindings from '/budapest-post-0123456789abcdef.js';\nconst wasm = await init({ module_or_path: '/budapest-post-0123456789abcdef_bg.wasm' });\nwindow.wasmBindings = bindings;\n";

/// The repo's content folder.
pub fn repo_content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

/// Writes a small app build like Trunk's into `dir`.
pub fn fake_dist(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let index = format!(
        "<!DOCTYPE html>\n<html><head>\n<link rel=\"stylesheet\" href=\"/main-0123456789abcdef.css\">\n\
         <link rel=\"modulepreload\" href=\"/budapest-post-0123456789abcdef.js\">\n\
         <script type=\"module\">{TRUNK_SCRIPT}</script>\n</head><body></body></html>\n"
    );
    std::fs::write(dir.join("index.html"), index).unwrap();
    let mut wasm = b"\0asm\x01\0\0\0".to_vec();
    wasm.extend(std::iter::repeat_n(b'\x01', 4096));
    std::fs::write(dir.join("budapest-post-0123456789abcdef_bg.wasm"), wasm).unwrap();
    std::fs::write(
        dir.join("budapest-post-0123456789abcdef.js"),
        "export default async function init() {}\n".repeat(20),
    )
    .unwrap();
    std::fs::write(
        dir.join("main-0123456789abcdef.css"),
        "body { margin: 0; font-family: serif; }\n".repeat(20),
    )
    .unwrap();
    std::fs::write(
        dir.join("favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>",
    )
    .unwrap();
}

/// A site on its own database and app folder.
pub struct Site {
    /// Holds the folders until the test ends.
    pub dir: tempfile::TempDir,
    /// The database.
    pub store: Store,
    /// The router under test.
    pub app: Router,
}

/// A fully loaded site with the default options.
pub async fn site() -> Site {
    site_with(|_| {}).await
}

/// A fully loaded site with options changed by `configure`.
pub async fn site_with(configure: impl FnOnce(&mut ServeOptions)) -> Site {
    site_with_store_options(&StoreOptions::default(), configure).await
}

/// The database file of a site in `dir`.
pub fn database_file(dir: &Path) -> PathBuf {
    dir.join("site.sqlite3")
}

/// A fully loaded site whose store uses the database as `store_options` say.
pub async fn site_with_store_options(
    store_options: &StoreOptions,
    configure: impl FnOnce(&mut ServeOptions),
) -> Site {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with(&Database::sqlite(database_file(dir.path())), store_options)
        .await
        .unwrap();
    store
        .load_content(Content::read_dir(&repo_content()).unwrap())
        .await
        .unwrap();
    site_over(dir, store, configure)
}

/// The site of `store`, whose database lives in `dir`, with options changed by `configure`.
pub fn site_over(
    dir: tempfile::TempDir,
    store: Store,
    configure: impl FnOnce(&mut ServeOptions),
) -> Site {
    let dist = dir.path().join("dist");
    fake_dist(&dist);
    let mut options = ServeOptions::new(repo_content(), dist);
    configure(&mut options);
    let app = budapest_post_server::app(store.clone(), &options);
    Site { dir, store, app }
}

/// A response, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The error code of an error body, checking the one error shape on the way.
    pub fn error_code(&self) -> String {
        let json = self.json();
        let error = json["error"].as_object().expect("an `error` object");
        assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert_eq!(self.header("cache-control"), Some("no-store"));
        error["code"].as_str().unwrap().to_owned()
    }
}

/// A request builder pre-filled with a client address.
pub fn request(method: Method, uri: &str) -> axum::http::request::Builder {
    Request::builder().method(method).uri(uri)
}

/// A `GET` of `uri`.
pub fn get(uri: &str) -> Request<Body> {
    request(Method::GET, uri).body(Body::empty()).unwrap()
}

/// A JSON `POST` of `body` to `uri`.
pub fn post_json(uri: &str, body: &Value) -> Request<Body> {
    let bytes = serde_json::to_vec(body).unwrap();
    request(Method::POST, uri)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, bytes.len())
        .body(Body::from(bytes))
        .unwrap()
}

impl Site {
    /// Sends `request` from 192.0.2.1 and reads the whole answer.
    pub async fn send(&self, request: Request<Body>) -> Reply {
        self.send_from("192.0.2.1:40000", request).await
    }

    /// Sends `request` from the client at `peer`.
    pub async fn send_from(&self, peer: &str, mut request: Request<Body>) -> Reply {
        let peer: SocketAddr = peer.parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(peer));
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    /// How many reports and newsletter addresses are stored.
    pub async fn counts(&self) -> (u32, u32) {
        (
            self.store.report_count().await.unwrap(),
            self.store.subscriber_count().await.unwrap(),
        )
    }
}

/// A valid report with idempotency key `key`.
pub fn report(key: &str) -> Value {
    serde_json::json!({
        "article_slug": SEED_SLUG,
        "quoted_passage": "The Russian fFreign Ministry",
        "what_is_wrong": "A typo in Foreign.",
        "correction": "The Russian Foreign Ministry",
        "source_url": "https://www.mid.ru/en/",
        "email": "reader@example.com",
        "idempotency_key": key,
    })
}
