//! The SQLite backend: every SQL statement for SQLite lives under this module.
//!
//! One connection writes (WAL journal, `synchronous = FULL`); reads that may run alongside it
//! borrow a read-only connection from a small pool, as WAL allows readers during a write. Every
//! committed change to what readers are shown (anything but the tables readers write) advances
//! the store's content generation, which is what caches of read answers are keyed by.

mod articles;
mod readers;

pub use readers::report_reference;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::{Migrations, M};

use crate::StoreError;

/// The schema, one migration per step; applied in order, each once.
fn migrations() -> Migrations<'static> {
    Migrations::new(vec![M::up(include_str!("migrations/0001_initial.sql"))])
}

/// The schema version the migrations end at (SQLite's `user_version`).
fn latest_schema_version() -> i64 {
    1
}

/// The tables only readers' submissions change: writing them leaves every read answer as it was.
const READER_TABLES: [&str; 2] = ["reports", "newsletter_subscribers"];

/// Idle read-only connections kept for reuse; more are opened when more reads run at once.
const MAX_IDLE_READERS: usize = 8;

/// How long a statement waits for a lock before it fails.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Read-only connections to the database file, reused between reads.
struct ReaderPool {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl ReaderPool {
    fn take(&self) -> Result<Connection, StoreError> {
        // A panic elsewhere while the list was held leaves it whole: use it.
        let reused = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        if let Some(connection) = reused {
            return Ok(connection);
        }
        let connection = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        connection.busy_timeout(BUSY_TIMEOUT)?;
        Ok(connection)
    }

    fn give_back(&self, connection: Connection) {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        if idle.len() < MAX_IDLE_READERS {
            idle.push(connection);
        }
    }
}

/// A SQLite database: one writing connection (none when opened read-only) and a pool of
/// read-only ones.
#[derive(Clone)]
pub struct SqliteStore {
    /// `None` when the database was opened read-only.
    writer: Option<Arc<Mutex<Connection>>>,
    /// `None` for a database without a file (`:memory:`), whose reads use the writer.
    readers: Option<Arc<ReaderPool>>,
    /// Advanced after every write that changed what readers are shown.
    generation: Arc<AtomicU64>,
    /// Set by the writer's update hook when a row readers are shown changes.
    content_touched: Arc<AtomicBool>,
}

fn is_in_memory(path: &Path) -> bool {
    path.as_os_str().is_empty() || path == Path::new(":memory:")
}

impl SqliteStore {
    /// Opens (creating if need be) the database file at `path` and migrates it to the latest
    /// schema. Writes are durable once acknowledged: WAL journal, `synchronous = FULL`.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let mut connection = Connection::open(path)?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "FULL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        connection.busy_timeout(BUSY_TIMEOUT)?;
        migrations().to_latest(&mut connection)?;
        let content_touched = Arc::new(AtomicBool::new(false));
        let touched = content_touched.clone();
        connection.update_hook(Some(
            move |_: rusqlite::hooks::Action, _: &str, table: &str, _: i64| {
                if !READER_TABLES.contains(&table) {
                    touched.store(true, Ordering::Release);
                }
            },
        ));
        let readers = (!is_in_memory(path)).then(|| {
            Arc::new(ReaderPool {
                path: path.to_owned(),
                idle: Mutex::new(Vec::new()),
            })
        });
        Ok(Self {
            writer: Some(Arc::new(Mutex::new(connection))),
            readers,
            generation: Arc::new(AtomicU64::new(0)),
            content_touched,
        })
    }

    /// Opens the existing database file at `path` for reading only; refused when its schema is
    /// not the latest, since migrating would mean writing.
    pub fn open_read_only(path: &Path) -> Result<Self, StoreError> {
        let pool = ReaderPool {
            path: path.to_owned(),
            idle: Mutex::new(Vec::new()),
        };
        let probe = pool.take()?;
        let found: i64 = probe.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if found != latest_schema_version() {
            return Err(StoreError::SchemaVersion {
                found,
                expected: latest_schema_version(),
            });
        }
        pool.give_back(probe);
        Ok(Self {
            writer: None,
            readers: Some(Arc::new(pool)),
            generation: Arc::new(AtomicU64::new(0)),
            content_touched: Arc::new(AtomicBool::new(false)),
        })
    }

    /// See [`crate::Store::content_generation`].
    pub fn content_generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// The writing connection. A request that panicked while holding it (the server answers
    /// it with a 500 and carries on) may have left a transaction open: it is rolled back, so
    /// one bug costs one request, not every later write.
    fn lock_writer(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        let writer = self.writer.as_ref().ok_or(StoreError::ReadOnly)?;
        let connection = writer.lock().unwrap_or_else(|poisoned| {
            writer.clear_poison();
            let connection = poisoned.into_inner();
            if !connection.is_autocommit() {
                let _ = connection.execute_batch("ROLLBACK");
            }
            self.content_touched.store(false, Ordering::Release);
            connection
        });
        Ok(connection)
    }

    /// Runs `work` on the writing connection on one of tokio's blocking threads; afterwards
    /// (committed or rolled back) advances the content generation if `work` changed a row
    /// readers are shown.
    async fn with_writer<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let store = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut connection = store.lock_writer()?;
            let result = work(&mut connection);
            if store.content_touched.swap(false, Ordering::AcqRel) {
                store.generation.fetch_add(1, Ordering::AcqRel);
            }
            result
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }

    /// Runs the read-only `work` on a pooled read-only connection on one of tokio's blocking
    /// threads; reads run side by side, and alongside a write.
    async fn with_reader<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let store = self.clone();
        tokio::task::spawn_blocking(move || match &store.readers {
            Some(pool) => {
                let connection = pool.take()?;
                let result = work(&connection);
                pool.give_back(connection);
                result
            }
            None => {
                let connection = store.lock_writer()?;
                work(&connection)
            }
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }

    /// See [`crate::Store::tune_for_bulk_reading`].
    pub async fn tune_for_bulk_reading(&self) -> Result<(), StoreError> {
        // Room for every article's row, read without a system call: the export reads each
        // article once and the list in full.
        const PAGE_CACHE_KIB: i64 = 512 * 1024;
        const MEMORY_MAP_BYTES: i64 = 1 << 30;
        if self.writer.is_some() {
            self.with_writer(|c| {
                c.pragma_update(None, "synchronous", "OFF")?;
                c.pragma_update(None, "cache_size", -PAGE_CACHE_KIB)?;
                Ok(c.pragma_update(None, "mmap_size", MEMORY_MAP_BYTES)?)
            })
            .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(migrations().validate().is_ok());
    }

    #[test]
    fn the_latest_version_is_the_number_of_migrations() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("t.sqlite3")).unwrap();
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
        let store = SqliteStore::open(&dir.path().join("t.sqlite3")).unwrap();
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
        let store = SqliteStore::open(&dir.path().join("t.sqlite3")).unwrap();
        store
            .with_writer(|c| {
                Ok(c.execute("INSERT INTO sections (slug, name) VALUES ('a', 'A')", [])?)
            })
            .await
            .unwrap();
        let count: u32 = store
            .with_reader(|c| Ok(c.query_row("SELECT COUNT(*) FROM sections", [], |r| r.get(0))?))
            .await
            .unwrap();
        assert_eq!(count, 1);
        let write = store
            .with_reader(|c| {
                Ok(c.execute("INSERT INTO sections (slug, name) VALUES ('b', 'B')", [])?)
            })
            .await;
        assert!(write.is_err(), "read connections are read-only");
    }

    #[tokio::test]
    async fn a_read_only_store_reads_and_refuses_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.sqlite3");
        drop(SqliteStore::open(&path).unwrap());
        let store = SqliteStore::open_read_only(&path).unwrap();
        assert_eq!(store.article_count().await.unwrap(), 0);
        assert!(matches!(
            store.subscribe("reader@example.com".into()).await,
            Err(StoreError::ReadOnly)
        ));
    }

    #[test]
    fn a_read_only_store_is_not_created() {
        let dir = tempfile::tempdir().unwrap();
        assert!(SqliteStore::open_read_only(&dir.path().join("missing.sqlite3")).is_err());
        assert!(!dir.path().join("missing.sqlite3").exists());
    }

    #[tokio::test]
    async fn content_writes_advance_the_generation_and_reader_writes_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("t.sqlite3")).unwrap();
        let start = store.content_generation();
        store.article_count().await.unwrap();
        assert_eq!(store.content_generation(), start, "a read");
        store.subscribe("reader@example.com".into()).await.unwrap();
        assert_eq!(store.content_generation(), start, "a reader's sign-up");
        store
            .with_writer(|c| {
                Ok(c.execute("INSERT INTO sections (slug, name) VALUES ('a', 'A')", [])?)
            })
            .await
            .unwrap();
        assert_eq!(store.content_generation(), start + 1, "a content write");
    }

    #[tokio::test]
    async fn a_panic_while_writing_costs_that_write_only() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("t.sqlite3")).unwrap();
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
        assert!(store.sections().await.unwrap().is_empty(), "rolled back");
    }
}
