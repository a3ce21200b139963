//! The cache of finished reads (API answers, site files, rendered pages): answers from it are
//! the very answers the layers under it make (bytes and headers, every encoding, `304`s), and a
//! content load, or for pages a rebuilt app, replaces them at once.

mod common;

use std::io::Read;
use std::path::Path;

use axum::body::Body;
use axum::http::{header, Method, StatusCode};
use common::{get, request, site, site_with, Reply, Site, SEED_SLUG};

const READS: [&str; 10] = [
    "/api/v1/site.json",
    "/api/v1/articles/index.json",
    "/api/v1/articles/page/2.json",
    "/api/v1/articles/russia-lays-out-demands-for-a-sweeping-new-security-deal-with-nato.json",
    "/api/v1/articles/russia-lays-out-demands-for-a-sweeping-new-security-deal-with-nato/related.json",
    "/api/v1/openapi.json",
    "/",
    "/articles/russia-lays-out-demands-for-a-sweeping-new-security-deal-with-nato",
    "/contact",
    "/embed/headlines",
];

/// The seed article's page.
fn seed_page() -> String {
    format!("/articles/{SEED_SLUG}")
}

const ACCEPT_ENCODINGS: [Option<&str>; 5] = [
    None,
    Some("gzip"),
    Some("br"),
    Some("gzip, deflate, br"),
    Some("identity"),
];

async fn read(site: &Site, uri: &str, encoding: Option<&str>, condition: Option<&str>) -> Reply {
    let mut builder = request(Method::GET, uri);
    if let Some(encoding) = encoding {
        builder = builder.header(header::ACCEPT_ENCODING, encoding);
    }
    if let Some(condition) = condition {
        builder = builder.header(header::IF_NONE_MATCH, condition);
    }
    site.send(builder.body(Body::empty()).unwrap()).await
}

fn assert_same(cached: &Reply, uncached: &Reply, what: &str) {
    assert_eq!(cached.status, uncached.status, "{what}");
    assert_eq!(cached.headers, uncached.headers, "{what}");
    assert_eq!(cached.body, uncached.body, "{what}");
}

#[tokio::test]
async fn cached_answers_are_the_uncached_answers_byte_for_byte() {
    let cached = site().await;
    let uncached = site_with(|o| o.read_cache_mib = 0).await;
    for uri in READS {
        for encoding in ACCEPT_ENCODINGS {
            let plain = read(&uncached, uri, encoding, None).await;
            assert_eq!(plain.status, StatusCode::OK, "{uri}");
            let tag = plain.header("etag").expect("a tag").to_owned();
            let opaque = tag.trim_matches('"').to_owned();
            let conditions = [
                None,
                Some(tag.clone()),
                Some(format!("W/{tag}")),
                Some(format!("\"nope\", \"{opaque}\"")),
                Some("*".to_owned()),
                Some("\"0123\"".to_owned()),
            ];
            for condition in &conditions {
                let what = format!("{uri} {encoding:?} {condition:?}");
                let expected = read(&uncached, uri, encoding, condition.as_deref()).await;
                // The first ask may fill the cache, the second is answered from it.
                for _ in 0..2 {
                    let reply = read(&cached, uri, encoding, condition.as_deref()).await;
                    assert_same(&reply, &expected, &what);
                }
            }
        }
    }
}

#[tokio::test]
async fn an_encoded_answer_from_the_cache_is_encoded_once() {
    let site = site().await;
    let uri = format!("/api/v1/articles/{SEED_SLUG}.json");
    let plain = site.send(get(&uri)).await;
    for _ in 0..3 {
        let reply = read(&site, &uri, Some("br"), None).await;
        assert_eq!(reply.header("content-encoding"), Some("br"));
        let mut decoded = Vec::new();
        brotli_decompressor::Decompressor::new(&reply.body[..], 4096)
            .read_to_end(&mut decoded)
            .unwrap();
        assert_eq!(decoded, plain.body);
        let reply = read(&site, &uri, Some("gzip"), None).await;
        assert_eq!(reply.header("content-encoding"), Some("gzip"));
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(&reply.body[..])
            .read_to_end(&mut decoded)
            .unwrap();
        assert_eq!(decoded, plain.body);
    }
}

#[tokio::test]
async fn cross_origin_and_security_headers_are_added_to_cached_answers() {
    let site = site().await;
    let uri = "/api/v1/articles/index.json";
    site.send(get(uri)).await;
    let cross = request(Method::GET, uri)
        .header(header::ORIGIN, "https://elsewhere.example")
        .body(Body::empty())
        .unwrap();
    let reply = site.send(cross).await;
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    assert!(reply.header("content-security-policy").is_some());
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    // Every reader gets the same `*`, so shared caches may keep one copy for every origin.
    let plain = site.send(get(uri)).await;
    assert_eq!(plain.header("access-control-allow-origin"), Some("*"));
    assert!(!plain
        .header("vary")
        .unwrap_or_default()
        .to_ascii_lowercase()
        .contains("origin"));
}

fn copy_content(to: &Path) {
    let from = common::repo_content();
    std::fs::create_dir_all(to.join("articles")).unwrap();
    std::fs::copy(from.join("site.toml"), to.join("site.toml")).unwrap();
    for entry in std::fs::read_dir(from.join("articles")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, to.join("articles").join(path.file_name().unwrap())).unwrap();
    }
}

#[tokio::test]
async fn loading_content_again_replaces_cached_answers_at_once() {
    let site = site().await;
    let uri = format!("/api/v1/articles/{SEED_SLUG}.json");
    let before = site.send(get(&uri)).await;
    let page_before = site.send(get(&seed_page())).await;
    assert!(String::from_utf8_lossy(&page_before.body).contains("Russia Lays Out Demands"));
    let index_before = site.send(get("/api/v1/articles/index.json")).await;
    assert_eq!(site.send(get(&uri)).await.body, before.body, "cached");
    let old_tag = before.header("etag").unwrap().to_owned();

    let content = site.dir.path().join("content");
    copy_content(&content);
    let file = content.join(format!("articles/{SEED_SLUG}.toml"));
    let text = std::fs::read_to_string(&file).unwrap().replacen(
        "headline = \"Russia Lays Out Demands",
        "headline = \"Moscow Lays Out Demands",
        1,
    );
    std::fs::write(&file, text).unwrap();
    site.store
        .load_content(budapest_post_store::Content::read_dir(&content).unwrap())
        .await
        .unwrap();

    let page = site.send(get(&seed_page())).await;
    assert!(String::from_utf8_lossy(&page.body).contains("Moscow Lays Out Demands"));
    let after = site.send(get(&uri)).await;
    assert_eq!(after.status, StatusCode::OK);
    assert!(after.json()["headline"]
        .as_str()
        .unwrap()
        .starts_with("Moscow Lays Out Demands"));
    assert_ne!(after.header("etag"), Some(&*old_tag));
    let index_after = site.send(get("/api/v1/articles/index.json")).await;
    assert_ne!(index_after.body, index_before.body, "the list names it too");
    let stale = read(&site, &uri, None, Some(&old_tag)).await;
    assert_eq!(
        stale.status,
        StatusCode::OK,
        "the old tag no longer matches"
    );
}

#[tokio::test]
async fn reader_submissions_leave_the_cache_and_its_answers_alone() {
    let site = site().await;
    let uri = format!("/api/v1/articles/{SEED_SLUG}.json");
    let before = site.send(get(&uri)).await;
    let posted = site
        .send(common::post_json(
            "/api/v1/reports",
            &common::report("a-report-key-00000002"),
        ))
        .await;
    assert_eq!(posted.status, StatusCode::CREATED);
    let generation = site.store.content_generation();
    let after = site.send(get(&uri)).await;
    assert_eq!(after.body, before.body);
    assert_eq!(after.header("etag"), before.header("etag"));
    assert_eq!(site.store.content_generation(), generation);
}

#[tokio::test]
async fn another_connections_content_change_is_served_within_the_refresh_period() {
    let site = site().await;
    let uri = format!("/api/v1/articles/{SEED_SLUG}.json");
    let before = site.send(get(&uri)).await;
    assert_eq!(
        site.send(get(&uri)).await.body,
        before.body,
        "from the cache"
    );
    let page_before = site.send(get(&seed_page())).await;

    // Another connection (an editors' command, a second server loading content) changes the
    // article: the database's triggers advance the generation it keeps.
    let other = rusqlite::Connection::open(common::database_file(site.dir.path())).unwrap();
    other
        .execute(
            "UPDATE articles SET headline = 'Changed elsewhere' WHERE slug = ?1",
            [SEED_SLUG],
        )
        .unwrap();
    // Until the server reads the new generation, the page and the JSON are the ones it keeps:
    // neither is rendered or read again.
    assert_same(
        &site.send(get(&seed_page())).await,
        &page_before,
        "the cached page",
    );
    assert_same(&site.send(get(&uri)).await, &before, "the cached JSON");

    // What `serve` starts: the content generation is read from the database periodically.
    let watch = site
        .store
        .watch_content_generation(budapest_post_server::CONTENT_REFRESH_PERIOD);
    let changed_at = std::time::Instant::now();
    // Bounded by the refresh period; the margin is for a slow, shared machine.
    let bound = budapest_post_server::CONTENT_REFRESH_PERIOD * 10;
    loop {
        let reply = site.send(get(&uri)).await;
        if reply.json()["headline"] == "Changed elsewhere" {
            assert_ne!(reply.header("etag"), before.header("etag"));
            break;
        }
        assert!(
            changed_at.elapsed() < bound,
            "still the old answer after {:?}",
            changed_at.elapsed()
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let list = site.send(get("/api/v1/articles/index.json")).await;
    assert!(String::from_utf8_lossy(&list.body).contains("Changed elsewhere"));
    let page = site.send(get(&seed_page())).await;
    assert!(String::from_utf8_lossy(&page.body).contains("Changed elsewhere"));
    assert_ne!(page.header("etag"), page_before.header("etag"));
    watch.abort();

    // A change through the store itself is seen at once, with no refresh.
    let mut content = budapest_post_store::Content::read_dir(&common::repo_content()).unwrap();
    let seed = content
        .articles
        .iter_mut()
        .find(|a| a.slug == SEED_SLUG)
        .unwrap();
    seed.headline = "Changed here".into();
    site.store.load_content(content).await.unwrap();
    assert_eq!(
        site.send(get(&uri)).await.json()["headline"],
        "Changed here"
    );
    let page = site.send(get(&seed_page())).await;
    assert!(String::from_utf8_lossy(&page.body).contains("Changed here"));
}

#[tokio::test]
async fn a_rebuilt_app_is_in_the_next_page_served() {
    let site = site().await;
    let before = site.send(get("/")).await;
    assert_same(&site.send(get("/")).await, &before, "from the cache");
    let index = site.dir.path().join("dist/index.html");
    let rebuilt = std::fs::read_to_string(&index).unwrap().replace(
        "budapest-post-0123456789abcdef",
        "budapest-post-fedcba9876543210",
    );
    std::fs::write(&index, rebuilt).unwrap();
    // The same modification time as before would hide the rebuild from the renderer too.
    std::fs::File::options()
        .write(true)
        .open(&index)
        .unwrap()
        .set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(2))
        .unwrap();
    let after = site.send(get("/")).await;
    let html = String::from_utf8_lossy(&after.body);
    assert!(html.contains("budapest-post-fedcba9876543210"), "{html}");
    assert!(!html.contains("budapest-post-0123456789abcdef"));
    assert_ne!(after.header("etag"), before.header("etag"));
}
