//! Every exported JSON file, the feed, sitemap, robots.txt and manifest, and the embeds are
//! byte for byte what the server answers at the same path.

mod common;

use std::path::Path;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use budapest_post_export::Source;
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
    let app = server_of(&content(), dist.path(), db.path()).await;

    let mut files = Vec::new();
    json_files(&out.path().join("api"), "/api", &mut files);
    // The masthead, the index, 3 list pages, the corrections, the homepage's oEmbed answer,
    // then per article its JSON, its related list and its oEmbed answer.
    assert_eq!(files.len(), 1 + 1 + 3 + 1 + 1 + 51 + 51 + 51, "{files:?}");
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

/// The server of `content`, on a fresh SQLite file in `db`.
async fn server_of(content: &Path, dist: &Path, db: &Path) -> axum::Router {
    let store = Store::open(&Database::sqlite(db.join("server.sqlite3")))
        .await
        .unwrap();
    store
        .load_content(Content::read_dir(content).unwrap())
        .await
        .unwrap();
    budapest_post_server::app(
        store,
        &ServeOptions::new(content.to_owned(), dist.to_owned()),
    )
}

/// The feed holds the articles changed last, whatever changed them: an old article updated in
/// the content (not by a published correction) is in the server's feed as in the export's.
#[tokio::test]
async fn an_old_article_updated_lately_heads_both_feeds() {
    let edited = tempfile::tempdir().unwrap();
    let articles = edited.path().join("articles");
    std::fs::create_dir(&articles).unwrap();
    std::fs::copy(content().join("site.toml"), edited.path().join("site.toml")).unwrap();
    for entry in std::fs::read_dir(content().join("articles")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), articles.join(entry.file_name())).unwrap();
    }
    // The seed is the oldest article, far from the newest twenty, and has no correction.
    let seed = articles.join(format!("{SEED}.toml"));
    let text = std::fs::read_to_string(&seed).unwrap();
    assert!(text.contains("updated_at = \"2021-12-17T19:05:00Z\""));
    std::fs::write(
        &seed,
        text.replace(
            "updated_at = \"2021-12-17T19:05:00Z\"",
            "updated_at = \"2026-11-01T08:00:00Z\"",
        ),
    )
    .unwrap();

    let dist = fake_dist();
    let out = tempfile::tempdir().unwrap();
    let mut export_options = options(dist.path(), out.path());
    export_options.source = Source::Content(edited.path().to_owned());
    tokio::task::spawn_blocking(move || run(&export_options))
        .await
        .unwrap();
    let exported = read(out.path(), "/feed.xml");
    let first_entry = exported.find("<entry>").unwrap();
    assert!(
        exported[first_entry..].contains(SEED),
        "the lately updated article is in the exported feed"
    );

    let db = tempfile::tempdir().unwrap();
    let app = server_of(edited.path(), dist.path(), db.path()).await;
    let mut request = Request::get("/feed.xml").body(Body::empty()).unwrap();
    request.extensions_mut().insert(ConnectInfo(
        "192.0.2.1:40000".parse::<std::net::SocketAddr>().unwrap(),
    ));
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let served = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(String::from_utf8_lossy(&served), exported);
}
