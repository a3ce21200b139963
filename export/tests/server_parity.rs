//! Every exported JSON file, the feed, sitemap, robots.txt and manifest, and the embeds are
//! byte for byte what the server answers at the same path.

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
    // The masthead, the index, 3 list pages, the corrections, then per article its JSON, its
    // related list and its oEmbed answer.
    assert_eq!(files.len(), 1 + 1 + 3 + 1 + 51 + 51 + 51, "{files:?}");
    files.extend(
        [
            "/feed.xml",
            "/sitemap.xml",
            "/robots.txt",
            "/manifest.webmanifest",
        ]
        .map(String::from),
    );
    // The embeds: the server renders them on request, the exporter wrote them as pages.
    for embed in [
        "/embed/headlines".to_owned(),
        "/embed/headlines/europe".to_owned(),
        "/embed/headlines/hungary".to_owned(),
        format!("/embed/articles/{SEED}"),
    ] {
        files.push(format!("{embed}/index.html"));
    }
    for path in files {
        let served = path.strip_suffix("/index.html").unwrap_or(&path);
        let mut request = Request::get(served).body(Body::empty()).unwrap();
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
