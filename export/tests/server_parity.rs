//! Every exported JSON file, and the feed, sitemap, robots.txt and manifest, are byte for byte
//! what the server answers at the same path.

mod common;

use std::path::Path;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use budapest_post_server::config::ServeOptions;
use budapest_post_store::{Content, Database, Store};
use common::*;
use http_body_util::BodyExt;
use tower::ServiceExt;

fn json_files(dir: &Path, prefix: &str, found: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = format!("{prefix}/{name}");
        if entry.file_type().unwrap().is_dir() {
            json_files(&entry.path(), &path, found);
        } else if name.ends_with(".json") {
            found.push(path);
        }
    }
}

#[tokio::test]
async fn every_api_file_equals_the_servers_answer() {
    let dist = fake_dist();
    let out = tempfile::tempdir().unwrap();
    // The exporter runs its own threads, outside this test's runtime.
    let export_options = options(dist.path(), out.path());
    tokio::task::spawn_blocking(move || run(&export_options))
        .await
        .unwrap();

    let db = tempfile::tempdir().unwrap();
    let store = Store::open(&Database::sqlite(db.path().join("server.sqlite3")))
        .await
        .unwrap();
    store
        .load_content(Content::read_dir(&content()).unwrap())
        .await
        .unwrap();
    let app =
        budapest_post_server::app(store, &ServeOptions::new(content(), dist.path().to_owned()));

    let mut files = Vec::new();
    json_files(&out.path().join("api"), "/api", &mut files);
    // site, index, 3 list pages, corrections, 51 articles and their related lists
    assert_eq!(files.len(), 1 + 1 + 3 + 1 + 51 + 51, "{files:?}");
    files.extend(
        [
            "/feed.xml",
            "/sitemap.xml",
            "/robots.txt",
            "/manifest.webmanifest",
        ]
        .map(String::from),
    );
    for path in files {
        let mut request = Request::get(&path).body(Body::empty()).unwrap();
        request.extensions_mut().insert(ConnectInfo(
            "192.0.2.1:40000".parse::<std::net::SocketAddr>().unwrap(),
        ));
        let response = app.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(
            String::from_utf8_lossy(&body),
            read(out.path(), &path),
            "{path}"
        );
    }
}
