//! PostgreSQL alone: the schema against SQLite's, announcements between nodes, migrations by
//! nodes starting together, and how an unreachable, locked or read-only database fails.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::conformance::TestStore;
use crate::{Database, Store, StoreOptions, Unavailability};

/// Every table's column names, as the SQLite schema has them.
async fn sqlite_columns() -> BTreeMap<String, Vec<String>> {
    let sqlite = TestStore::sqlite().await;
    let tables = sqlite
        .sql_for_tests(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             ORDER BY name",
        )
        .await;
    let mut columns = BTreeMap::new();
    for table in tables {
        let table = table[0].clone().unwrap();
        let names = sqlite
            .sql_for_tests(&format!(
                "SELECT name FROM pragma_table_info('{table}') ORDER BY name"
            ))
            .await
            .into_iter()
            .map(|row| row[0].clone().unwrap())
            .collect();
        columns.insert(table, names);
    }
    columns
}

#[tokio::test]
async fn the_schema_has_the_tables_and_columns_of_sqlites() {
    let postgres = TestStore::postgres("schema").await;
    let rows = postgres
        .sql_for_tests(
            "SELECT table_name, column_name FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name <> 'schema_migrations'
             ORDER BY table_name, column_name",
        )
        .await;
    let mut columns: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in rows {
        columns
            .entry(row[0].clone().unwrap())
            .or_default()
            .push(row[1].clone().unwrap());
    }
    assert_eq!(columns, sqlite_columns().await);
}

#[tokio::test]
async fn a_change_on_one_node_is_announced_to_the_others_without_a_refresh() {
    let store = TestStore::postgres("announced")
        .await
        .with_an_article()
        .await;
    let other = store.another_process().await;
    let seen = other.content_generation();
    store
        .save_articles(vec![crate::conformance::article("another", "S", &[])])
        .await
        .unwrap();
    let changed = store.content_generation();
    assert!(changed > seen);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while other.content_generation() < changed {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the other node never heard of the change"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn nodes_starting_together_migrate_the_database_once() {
    let url = crate::testing::fresh_postgres_database("together")
        .await
        .unwrap();
    let database = Database::Postgres(url);
    let mut starting = tokio::task::JoinSet::new();
    for _ in 0..4 {
        let database = database.clone();
        starting.spawn(async move { Store::open(&database).await.map(drop) });
    }
    while let Some(started) = starting.join_next().await {
        started.unwrap().unwrap();
    }
    let store = Store::open(&database).await.unwrap();
    let versions = store
        .sql_for_tests("SELECT version FROM schema_migrations ORDER BY version")
        .await;
    assert_eq!(
        versions.len(),
        super::migrations::latest_schema_version() as usize
    );
}

#[tokio::test]
async fn a_server_nobody_answers_is_unreachable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let options = StoreOptions {
        busy_timeout: Duration::from_millis(500),
        ..StoreOptions::default()
    };
    let refused = Store::open_with(
        &Database::Postgres(format!("postgres://postgres@127.0.0.1:{port}/nothing")),
        &options,
    )
    .await;
    let error = refused.err().expect("nobody answers");
    assert_eq!(
        error.unavailability(),
        Some(Unavailability::Unreachable),
        "{error}"
    );
}

#[tokio::test]
async fn a_lock_held_past_the_busy_timeout_is_busy_and_reads_carry_on() {
    let store = TestStore::postgres("locked").await.with_an_article().await;
    let Database::Postgres(url) = store.database().clone() else {
        unreachable!()
    };
    let (holder, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    holder
        .batch_execute("BEGIN; LOCK TABLE newsletter_subscribers IN ACCESS EXCLUSIVE MODE")
        .await
        .unwrap();
    let impatient = Store::open_with(
        store.database(),
        &StoreOptions {
            busy_timeout: Duration::from_millis(200),
            ..StoreOptions::default()
        },
    )
    .await
    .unwrap();
    let error = impatient.subscribe("reader@example.com").await.unwrap_err();
    assert_eq!(
        error.unavailability(),
        Some(Unavailability::Busy),
        "{error}"
    );
    assert_eq!(
        impatient.article_count().await.unwrap(),
        1,
        "reads carry on"
    );
    holder.batch_execute("COMMIT").await.unwrap();
    assert!(impatient.subscribe("reader@example.com").await.unwrap());
}

#[tokio::test]
async fn a_read_only_store_reads_and_refuses_writes_as_read_only() {
    let store = TestStore::postgres("read_only")
        .await
        .with_an_article()
        .await;
    let reader = Store::open_read_only(store.database()).await.unwrap();
    assert_eq!(reader.article_count().await.unwrap(), 1);
    let error = reader.subscribe("reader@example.com").await.unwrap_err();
    assert_eq!(
        error.unavailability(),
        Some(Unavailability::ReadOnly),
        "{error}"
    );
    let empty = crate::testing::fresh_postgres_database("unmigrated")
        .await
        .unwrap();
    assert!(
        Store::open_read_only(&Database::Postgres(empty))
            .await
            .is_err(),
        "an unmigrated database is refused, not migrated"
    );
}
