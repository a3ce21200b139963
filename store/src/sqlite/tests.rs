//! The connection rules: WAL, read-only readers, and how a full, read-only or locked database
//! fails (typed as unavailable, nothing half-written) while reads carry on.

use std::time::Duration;

use budapest_post_contract::ReportRequest;

use super::*;
use crate::{SubmitOutcome, Unavailability};

fn options(busy_timeout: Duration) -> StoreOptions {
    StoreOptions {
        busy_timeout,
        ..StoreOptions::default()
    }
}

/// A store at `path` holding one article, `an-article` (the other store tests use it too).
pub(super) async fn store_with_an_article(path: &Path, options: &StoreOptions) -> SqliteStore {
    let store = SqliteStore::open(path, options).unwrap();
    store
        .with_writer(|c| {
            Ok(c.execute_batch(
                "INSERT INTO sections (slug, name) VALUES ('s', 'S');
                 INSERT INTO articles (slug, headline, section_id, published_at)
                   VALUES ('an-article', 'A', 1, '2021-12-17T14:30:00Z');",
            )?)
        })
        .await
        .unwrap();
    store
}

fn report(key: &str, text_chars: usize) -> ReportRequest {
    ReportRequest {
        article_slug: "an-article".into(),
        quoted_passage: "p".repeat(text_chars),
        what_is_wrong: "w".repeat(text_chars),
        correction: "c".repeat(text_chars),
        idempotency_key: key.into(),
        ..Default::default()
    }
}

fn unavailability<T: std::fmt::Debug>(result: Result<T, StoreError>) -> Unavailability {
    match result {
        Err(error) => error
            .unavailability()
            .unwrap_or_else(|| panic!("not typed as unavailable: {error}")),
        Ok(value) => panic!("expected a failure, got {value:?}"),
    }
}

#[test]
fn the_latest_version_is_the_number_of_migrations() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("t.sqlite3"), &Default::default()).unwrap();
    let version: i64 = store
        .lock_writer()
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, latest_schema_version());
}

#[tokio::test]
async fn opens_in_wal_mode_with_full_sync() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("t.sqlite3"), &Default::default()).unwrap();
    let (mode, sync) = store
        .with_writer(|c| {
            let mode: String = c.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
            let sync: i64 = c.pragma_query_value(None, "synchronous", |r| r.get(0))?;
            Ok((mode, sync))
        })
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(sync, 2);
}

#[tokio::test]
async fn reads_see_committed_writes_and_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("t.sqlite3"), &Default::default()).unwrap();
    store
        .with_writer(|c| Ok(c.execute("INSERT INTO sections (slug, name) VALUES ('a', 'A')", [])?))
        .await
        .unwrap();
    let count: u32 = store
        .with_reader(|c| Ok(c.query_row("SELECT COUNT(*) FROM sections", [], |r| r.get(0))?))
        .await
        .unwrap();
    assert_eq!(count, 1);
    let write = store
        .with_reader(|c| Ok(c.execute("INSERT INTO sections (slug, name) VALUES ('b', 'B')", [])?))
        .await;
    assert_eq!(unavailability(write), Unavailability::ReadOnly);
}

#[test]
fn a_read_only_store_is_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.sqlite3");
    assert!(SqliteStore::open_read_only(&missing, &Default::default()).is_err());
    assert!(!missing.exists());
}

#[tokio::test]
async fn a_read_only_database_file_serves_reads_and_refuses_writes_as_unavailable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.sqlite3");
    drop(store_with_an_article(&path, &Default::default()).await);
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o444)).unwrap();
    let store = SqliteStore::open_read_only(&path, &Default::default()).unwrap();
    assert_eq!(store.article_count().await.unwrap(), 1);
    assert_eq!(
        unavailability(store.subscribe("reader@example.com".into()).await),
        Unavailability::ReadOnly
    );
    assert_eq!(
        unavailability(store.submit_report(report("key-read-only-0001", 10)).await),
        Unavailability::ReadOnly
    );
}

#[tokio::test]
async fn sqlite_refusing_a_write_as_read_only_is_unavailable() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_an_article(&dir.path().join("t.sqlite3"), &Default::default()).await;
    store
        .with_writer(|c| Ok(c.pragma_update(None, "query_only", true)?))
        .await
        .unwrap();
    assert_eq!(
        unavailability(store.submit_report(report("key-query-only-001", 10)).await),
        Unavailability::ReadOnly
    );
    assert_eq!(
        unavailability(store.subscribe("reader@example.com".into()).await),
        Unavailability::ReadOnly
    );
    assert_eq!(store.article_count().await.unwrap(), 1, "reads carry on");
}

#[tokio::test]
async fn a_lock_held_past_the_busy_timeout_is_unavailable_and_nothing_is_half_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.sqlite3");
    let store = store_with_an_article(&path, &options(Duration::from_millis(100))).await;
    let other = Connection::open(&path).unwrap();
    other
        .execute_batch("BEGIN EXCLUSIVE; INSERT INTO sections (slug, name) VALUES ('x', 'X');")
        .unwrap();
    assert_eq!(
        unavailability(store.submit_report(report("key-locked-000001", 10)).await),
        Unavailability::Busy
    );
    assert_eq!(
        unavailability(store.subscribe("reader@example.com".into()).await),
        Unavailability::Busy
    );
    assert_eq!(store.article_count().await.unwrap(), 1, "reads carry on");
    other.execute_batch("COMMIT").unwrap();
    let stored = store
        .submit_report(report("key-locked-000001", 10))
        .await
        .unwrap();
    assert!(matches!(stored, SubmitOutcome::Stored { .. }));
    assert_eq!(store.report_count().await.unwrap(), 1);
}

#[tokio::test]
async fn a_write_waits_for_a_lock_held_briefly_by_another_writer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.sqlite3");
    let store = store_with_an_article(&path, &options(Duration::from_secs(10))).await;
    let (locked, is_locked) = std::sync::mpsc::channel();
    let holder = std::thread::spawn(move || {
        let other = Connection::open(&path).unwrap();
        other
            .execute_batch("BEGIN IMMEDIATE; INSERT INTO sections (slug, name) VALUES ('x', 'X');")
            .unwrap();
        locked.send(()).unwrap();
        std::thread::sleep(Duration::from_millis(300));
        other.execute_batch("COMMIT").unwrap();
    });
    is_locked.recv().unwrap();
    let started = std::time::Instant::now();
    let stored = store
        .submit_report(report("key-waits-00000001", 10))
        .await
        .unwrap();
    assert!(matches!(stored, SubmitOutcome::Stored { .. }));
    assert!(started.elapsed() >= Duration::from_millis(200), "it waited");
    holder.join().unwrap();
    assert_eq!(store.report_count().await.unwrap(), 1);
}

#[tokio::test]
async fn a_full_database_is_unavailable_for_writes_and_keeps_serving_reads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.sqlite3");
    drop(store_with_an_article(&path, &Default::default()).await);
    // The smallest cap SQLite takes: the pages already in use.
    let capped = StoreOptions {
        max_database_bytes: Some(1),
        ..StoreOptions::default()
    };
    let store = SqliteStore::open(&path, &capped).unwrap();
    let mut stored = 0;
    let mut refusal = None;
    for n in 0..50 {
        match store
            .submit_report(report(&format!("key-full-{n:09}"), 2000))
            .await
        {
            Ok(_) => stored += 1,
            Err(error) => {
                refusal = Some(error);
                break;
            }
        }
    }
    let refusal = refusal.expect("the cap was reached");
    assert_eq!(
        refusal.unavailability(),
        Some(Unavailability::Full),
        "{refusal}"
    );
    assert_eq!(
        store.report_count().await.unwrap(),
        stored,
        "the refused one is not there"
    );
    assert_eq!(store.article_count().await.unwrap(), 1, "reads carry on");
    // Without the cap, the same write goes through.
    drop(store);
    let store = SqliteStore::open(&path, &Default::default()).unwrap();
    store
        .submit_report(report("key-full-after-cap", 2000))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_panic_while_writing_costs_that_write_only() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("t.sqlite3"), &Default::default()).unwrap();
    let panicked = store
        .with_writer(|c| -> Result<(), StoreError> {
            c.execute_batch("BEGIN")?;
            c.execute("INSERT INTO sections (slug, name) VALUES ('a', 'A')", [])?;
            panic!("a bug in the middle of a transaction");
        })
        .await;
    assert!(matches!(panicked, Err(StoreError::Task(_))));
    store.subscribe("reader@example.com".into()).await.unwrap();
    assert_eq!(store.subscriber_count().await.unwrap(), 1);
    let sections: u32 = store
        .with_reader(|c| Ok(c.query_row("SELECT COUNT(*) FROM sections", [], |r| r.get(0))?))
        .await
        .unwrap();
    assert_eq!(sections, 0, "rolled back");
}

#[test]
fn processes_starting_together_on_a_new_file_all_open_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.sqlite3");
    let starting: Vec<_> = (0..6)
        .map(|_| {
            let path = path.clone();
            std::thread::spawn(move || SqliteStore::open(&path, &Default::default()).map(drop))
        })
        .collect();
    for started in starting {
        started.join().unwrap().unwrap();
    }
    let store = SqliteStore::open(&path, &Default::default()).unwrap();
    let version: i64 = store
        .lock_writer()
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, latest_schema_version());
}
