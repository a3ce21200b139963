//! A database that cannot be written, and one another writer holds for a moment: writes answer
//! `503` with `Retry-After` in the error shape when the database is full, read-only or locked
//! past the busy timeout, reads keep working throughout, and a lock held briefly only delays a
//! write.

mod common;

use std::time::Duration;

use axum::http::StatusCode;
use budapest_post_store::{Content, Database, Store, StoreOptions};
use common::openapi::{assert_documented, document};
use common::{database_file, get, post_json, report, site, site_over, site_with_store_options};
use common::{Site, SEED_SLUG};
use serde_json::json;

const REPORTS: &str = "/api/v1/reports";
const NEWSLETTER: &str = "/api/v1/newsletter";
const UNSUBSCRIBE: &str = "/api/v1/newsletter/unsubscribe";

/// Every write endpoint answers 503 `unavailable` with a `Retry-After` of `wait` seconds, as
/// documented, and stores nothing.
async fn assert_writes_unavailable(site: &Site, wait: &str) {
    let doc = document(site).await;
    let before = site.counts().await;
    let writes = [
        (REPORTS, report("key-unavailable-0001")),
        (NEWSLETTER, json!({ "email": "reader@example.com" })),
        (UNSUBSCRIBE, json!({ "token": "ABCDEFGH" })),
    ];
    for (path, body) in writes {
        let reply = site.send(post_json(path, &body)).await;
        assert_eq!(
            reply.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{path}: {}",
            String::from_utf8_lossy(&reply.body)
        );
        assert_eq!(reply.error_code(), "unavailable");
        assert_eq!(reply.header("retry-after"), Some(wait), "{path}");
        assert_documented(&doc, "post", path, &reply);
    }
    assert_eq!(site.counts().await, before);
}

/// The reads a reader makes all answer 200.
async fn assert_reads_work(site: &Site) {
    for uri in [
        "/api/v1/site.json".to_owned(),
        "/api/v1/articles/index.json".to_owned(),
        format!("/api/v1/articles/{SEED_SLUG}.json"),
        format!("/articles/{SEED_SLUG}"),
    ] {
        assert_eq!(site.send(get(&uri)).await.status, StatusCode::OK, "{uri}");
    }
}

/// A site whose store waits only 100 ms for another writer's lock.
async fn impatient_site() -> Site {
    site_with_store_options(
        &StoreOptions {
            busy_timeout: Duration::from_millis(100),
            ..StoreOptions::default()
        },
        |_| {},
    )
    .await
}

#[tokio::test]
async fn a_read_only_database_file_serves_reads_and_answers_writes_503() {
    let loaded = site().await;
    let dir = loaded.dir;
    drop(loaded.app);
    drop(loaded.store);
    let file = database_file(dir.path());
    std::fs::set_permissions(&file, std::os::unix::fs::PermissionsExt::from_mode(0o444)).unwrap();
    let store = Store::open_read_only(&Database::sqlite(&file))
        .await
        .unwrap();
    let site = site_over(dir, store, |_| {});
    assert_reads_work(&site).await;
    assert_writes_unavailable(&site, "60").await;
    assert_reads_work(&site).await;
}

#[tokio::test]
async fn a_database_locked_past_the_busy_timeout_answers_writes_503_and_then_recovers() {
    let site = impatient_site().await;
    let other = rusqlite::Connection::open(database_file(site.dir.path())).unwrap();
    other
        .execute_batch("BEGIN EXCLUSIVE; UPDATE site SET tagline = tagline;")
        .unwrap();
    assert_writes_unavailable(&site, "5").await;
    assert_reads_work(&site).await;
    other.execute_batch("COMMIT").unwrap();
    let reply = site
        .send(post_json(REPORTS, &report("key-unavailable-0001")))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "writable again");
}

#[tokio::test]
async fn a_write_waits_for_another_writers_brief_lock_and_succeeds() {
    let site = site().await;
    let file = database_file(site.dir.path());
    let (locked, is_locked) = std::sync::mpsc::channel();
    // Another process's transaction, such as an editor resolving a report.
    let holder = std::thread::spawn(move || {
        let other = rusqlite::Connection::open(file).unwrap();
        other
            .execute_batch("BEGIN IMMEDIATE; UPDATE reports SET status = status;")
            .unwrap();
        locked.send(()).unwrap();
        std::thread::sleep(Duration::from_millis(300));
        other.execute_batch("COMMIT").unwrap();
    });
    is_locked.recv().unwrap();
    let (report_reply, signup_reply) = tokio::join!(
        site.send(post_json(REPORTS, &report("key-waits-for-lock1"))),
        site.send(post_json(NEWSLETTER, &json!({ "email": "w@example.com" }))),
    );
    assert_eq!(report_reply.status, StatusCode::CREATED);
    assert_eq!(signup_reply.status, StatusCode::CREATED);
    holder.join().unwrap();
    assert_eq!(site.counts().await, (1, 1));
}

#[tokio::test]
async fn a_full_database_answers_writes_503_and_keeps_serving_reads() {
    let loaded = site().await;
    let dir = loaded.dir;
    drop(loaded.app);
    drop(loaded.store);
    // The smallest cap SQLite takes is the size the database already has.
    let capped = StoreOptions {
        max_database_bytes: Some(1),
        ..StoreOptions::default()
    };
    let store = Store::open_with(&Database::sqlite(database_file(dir.path())), &capped)
        .await
        .unwrap();
    let site = site_over(dir, store, |options| options.write_rate_per_minute = 1000);
    let doc = document(&site).await;
    let mut refused = None;
    for n in 0..100 {
        let mut big = report(&format!("key-full-{n:011}"));
        for field in ["quoted_passage", "what_is_wrong", "correction"] {
            big[field] = json!(format!("{n} ").repeat(600));
        }
        let reply = site.send(post_json(REPORTS, &big)).await;
        if reply.status != StatusCode::CREATED {
            refused = Some(reply);
            break;
        }
    }
    let reply = refused.expect("the database filled up");
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(reply.error_code(), "unavailable");
    assert_eq!(reply.header("retry-after"), Some("60"));
    assert_documented(&doc, "post", REPORTS, &reply);
    assert_reads_work(&site).await;
}

#[tokio::test]
async fn content_that_cannot_be_written_leaves_what_the_database_holds() {
    // What `serve` does at start when the database is locked: the load fails as unavailable,
    // and the content already there is served.
    let site = impatient_site().await;
    let other = rusqlite::Connection::open(database_file(site.dir.path())).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE;").unwrap();
    let failed = site
        .store
        .load_content(Content::read_dir(&common::repo_content()).unwrap())
        .await
        .unwrap_err();
    assert!(failed.unavailability().is_some(), "{failed}");
    assert_reads_work(&site).await;
    other.execute_batch("ROLLBACK").unwrap();
}
