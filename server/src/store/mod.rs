//! The database: every SQL statement of the server lives in this module.
//!
//! One connection writes (WAL journal, `synchronous = FULL`); reads that may run alongside it
//! borrow a read-only connection from a small pool, as WAL allows readers during a write.
//! Every committed change to what readers are shown (anything but the tables readers write)
//! advances the store's [`content_generation`](Store::content_generation), which is what caches
//! of read answers are keyed by.

pub mod articles;
pub mod readers;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::{Migrations, M};

pub use articles::NewArticle;
pub use readers::{StoredReport, SubmitOutcome};

/// Why a database operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused or failed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The schema could not be brought up to date.
    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// A stored article body is not valid JSON of the contract's shape.
    #[error("stored article body is corrupt: {0}")]
    CorruptBody(#[from] serde_json::Error),
    /// The connection's lock was poisoned by a panic in another request.
    #[error("database connection lock poisoned")]
    Poisoned,
    /// A blocking database task was cancelled or panicked.
    #[error("database task failed: {0}")]
    Task(String),
}

/// The schema, one migration per step; applied in order, each once.
fn migrations() -> Migrations<'static> {
    Migrations::new(vec![M::up(include_str!("migrations/0001_initial.sql"))])
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
        let reused = self.idle.lock().map_err(|_| StoreError::Poisoned)?.pop();
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
        if let Ok(mut idle) = self.idle.lock() {
            if idle.len() < MAX_IDLE_READERS {
                idle.push(connection);
            }
        }
    }
}

/// A handle on the SQLite database, cheap to clone and share between requests.
#[derive(Clone)]
pub struct Store {
    connection: Arc<Mutex<Connection>>,
    /// `None` for a database without a file (`:memory:`), whose reads use the writer.
    readers: Option<Arc<ReaderPool>>,
    /// Advanced after every write that changed what readers are shown.
    generation: Arc<AtomicU64>,
    /// Set by the writer's update hook when a row readers are shown changes.
    content_touched: Arc<AtomicBool>,
}

impl Store {
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
        let in_memory = path.as_os_str().is_empty() || path == Path::new(":memory:");
        let readers = (!in_memory).then(|| {
            Arc::new(ReaderPool {
                path: path.to_owned(),
                idle: Mutex::new(Vec::new()),
            })
        });
        Ok(Self {
            connection: Arc::new(Mutex::new(connection)),
            readers,
            generation: Arc::new(AtomicU64::new(0)),
            content_touched,
        })
    }

    fn lock(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        self.connection.lock().map_err(|_| StoreError::Poisoned)
    }

    /// Which version of the content readers are shown: it changes after every committed
    /// write to the articles, sections or masthead, so an answer computed under one value
    /// is stale once it differs.
    pub fn content_generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Runs `work` on the writer; afterwards (committed or rolled back) advances the content
    /// generation if `work` changed a row readers are shown.
    fn write_with<T>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut connection = self.lock()?;
        let result = work(&mut connection);
        if self.content_touched.swap(false, Ordering::AcqRel) {
            self.generation.fetch_add(1, Ordering::AcqRel);
        }
        result
    }

    /// Runs `work` against the writing connection on a thread where blocking is allowed.
    pub async fn run<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let store = self.clone();
        tokio::task::spawn_blocking(move || store.write_with(work))
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?
    }

    /// Runs `work` against the writing connection on the current thread (for start-up and
    /// commands).
    pub fn run_now<T>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.write_with(work)
    }

    /// Runs the read-only `work` on a pooled read-only connection, on a thread where blocking
    /// is allowed; reads run side by side, and alongside a write.
    pub async fn read<T, F>(&self, work: F) -> Result<T, StoreError>
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
                let connection = store.lock()?;
                work(&connection)
            }
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
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
    fn opens_in_wal_mode_with_full_sync() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.sqlite3")).unwrap();
        store
            .run_now(|c| {
                let mode: String = c.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
                let sync: i64 = c.pragma_query_value(None, "synchronous", |r| r.get(0))?;
                assert_eq!(mode, "wal");
                assert_eq!(sync, 2);
                Ok(())
            })
            .unwrap();
    }

    #[tokio::test]
    async fn reads_see_committed_writes_and_cannot_write() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.sqlite3")).unwrap();
        store
            .run_now(|c| Ok(c.execute("INSERT INTO sections (slug, name) VALUES ('a', 'A')", [])?))
            .unwrap();
        let count: u32 = store
            .read(|c| Ok(c.query_row("SELECT COUNT(*) FROM sections", [], |r| r.get(0))?))
            .await
            .unwrap();
        assert_eq!(count, 1);
        let write = store
            .read(|c| Ok(c.execute("INSERT INTO sections (slug, name) VALUES ('b', 'B')", [])?))
            .await;
        assert!(write.is_err(), "read connections are read-only");
    }

    #[tokio::test]
    async fn content_writes_advance_the_generation_and_reader_writes_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.sqlite3")).unwrap();
        let start = store.content_generation();
        store
            .run(|c| Ok(c.query_row("SELECT COUNT(*) FROM articles", [], |r| r.get::<_, u32>(0))?))
            .await
            .unwrap();
        assert_eq!(store.content_generation(), start, "a read on the writer");
        store
            .run(|c| readers::subscribe(c, "reader@example.com").map(|_| ()))
            .await
            .unwrap();
        assert_eq!(store.content_generation(), start, "a reader's sign-up");
        store
            .run_now(|c| Ok(c.execute("INSERT INTO sections (slug, name) VALUES ('a', 'A')", [])?))
            .unwrap();
        assert_eq!(store.content_generation(), start + 1, "a content write");
    }
}
