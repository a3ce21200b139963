//! The PostgreSQL schema, one migration per step, each applied once, in one transaction, by
//! one node at a time.

use crate::StoreError;

/// The migrations in order: version `n` is the `n`th.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_schema.sql"),
    include_str!("migrations/0002_email_ascii_case.sql"),
];

/// Serializes migrations between nodes starting at once (a constant of this program's own).
const MIGRATION_LOCK: i64 = 0x0042_5053_544f_5245; // "BPSTORE"

/// The schema version the migrations end at.
pub fn latest_schema_version() -> i64 {
    i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX)
}

/// The version the database's schema is at; 0 for an empty database.
async fn schema_version(c: &tokio_postgres::Client) -> Result<i64, StoreError> {
    let exists = c
        .query_one("SELECT to_regclass('schema_migrations') IS NOT NULL", &[])
        .await?
        .try_get::<_, bool>(0)?;
    if !exists {
        return Ok(0);
    }
    let row = c
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            &[],
        )
        .await?;
    Ok(row.try_get(0)?)
}

/// Brings the schema up to date. Nodes starting together wait for each other's migration
/// (an advisory lock held for the transaction), so each step runs once.
pub async fn to_latest(c: &mut tokio_postgres::Client) -> Result<(), StoreError> {
    let tx = c.transaction().await?;
    // "Already exists, skipping" is not news.
    tx.batch_execute("SET LOCAL client_min_messages = warning")
        .await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    BIGINT PRIMARY KEY,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )",
    )
    .await?;
    let current: i64 = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            &[],
        )
        .await?
        .try_get(0)?;
    if current > latest_schema_version() {
        return Err(StoreError::SchemaVersion {
            found: current,
            expected: latest_schema_version(),
        });
    }
    for (version, sql) in (1..).zip(MIGRATIONS) {
        if version > current {
            tx.batch_execute(sql).await?;
            tx.execute(
                "INSERT INTO schema_migrations (version) VALUES ($1)",
                &[&version],
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Refuses a database whose schema is not the latest (for a store that must not write).
pub async fn check_latest(c: &tokio_postgres::Client) -> Result<(), StoreError> {
    let found = schema_version(c).await?;
    if found == latest_schema_version() {
        Ok(())
    } else {
        Err(StoreError::SchemaVersion {
            found,
            expected: latest_schema_version(),
        })
    }
}
