//! The SQLite backend: every SQL statement for SQLite lives under this module.
//!
//! One connection writes (WAL journal, `synchronous = FULL`, every transaction `BEGIN
//! IMMEDIATE`, so a write waits its turn behind another process's instead of failing half way);
//! reads that may run alongside it borrow a read-only connection from a small pool, as WAL
//! allows readers during a write. Triggers advance a content generation stored in the database
//! on every change to what readers are shown, whichever process makes it; the store remembers
//! the latest value it has seen, which is what caches of read answers are keyed by.

mod articles;
mod copy;
mod corrections;
mod loading;
mod migrations;
mod newsletter;
mod privacy;
mod report_status;
mod reports;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::{StoreError, StoreOptions};
use migrations::{latest_schema_version, migrations};

/// Idle read-only connections kept for reuse; more are opened when more reads run at once.
const MAX_IDLE_READERS: usize = 8;

/// Read-only connections to the database file, reused between reads.
struct ReaderPool {
    path: PathBuf,
    busy_timeout: std::time::Duration,
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
        connection.busy_timeout(self.busy_timeout)?;
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
    /// The latest content generation seen in the database.
    generation: Arc<AtomicU64>,
}

fn is_in_memory(path: &Path) -> bool {
    path.as_os_str().is_empty() || path == Path::new(":memory:")
}

/// The content generation stored in the database.
fn stored_generation(c: &Connection) -> Result<u64, StoreError> {
    let value: i64 = c.query_row(
        "SELECT value FROM content_generation WHERE id = 1",
        [],
        |r| r.get(0),
    )?;
    Ok(u64::try_from(value).unwrap_or(0))
}

/// Begins a write transaction that takes the write lock at once (`BEGIN IMMEDIATE`): it waits
/// up to the busy timeout for another writer, and once begun cannot fail for want of the lock.
pub(crate) fn immediate(c: &mut Connection) -> rusqlite::Result<rusqlite::Transaction<'_>> {
    c.transaction_with_behavior(TransactionBehavior::Immediate)
}

/// Switches the file to WAL. SQLite answers a switch racing another process's (servers started
/// together on a new file) with "busy" at once, without waiting: it is tried again until the
/// busy timeout has passed.
fn wal_beside_others(
    connection: &Connection,
    busy_timeout: std::time::Duration,
) -> Result<(), StoreError> {
    let deadline = std::time::Instant::now() + busy_timeout;
    loop {
        match connection.pragma_update(None, "journal_mode", "WAL") {
            Ok(()) => return Ok(()),
            Err(error)
                if error.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(error) => return Err(error.into()),
        }
    }
}

/// Migrates the database to the latest schema. Processes started together (several servers on
/// one file) may each read the old version and all but one then fail on what another already
/// applied: each tries again, until the schema is up to date or the busy timeout has passed.
fn migrate_beside_others(
    connection: &mut Connection,
    busy_timeout: std::time::Duration,
) -> Result<(), StoreError> {
    let deadline = std::time::Instant::now() + busy_timeout;
    loop {
        let failed = match migrations().to_latest(connection) {
            Ok(()) => return Ok(()),
            Err(error) => error,
        };
        let version: i64 = connection.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version == latest_schema_version() {
            return Ok(());
        }
        if std::time::Instant::now() >= deadline {
            return Err(failed.into());
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

impl SqliteStore {
    /// Opens (creating if need be) the database file at `path` and migrates it to the latest
    /// schema. Writes are durable once acknowledged: WAL journal, `synchronous = FULL`.
    pub fn open(path: &Path, options: &StoreOptions) -> Result<Self, StoreError> {
        let mut connection = Connection::open(path)?;
        connection.busy_timeout(options.busy_timeout)?;
        wal_beside_others(&connection, options.busy_timeout)?;
        connection.pragma_update(None, "synchronous", "FULL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        connection.set_transaction_behavior(TransactionBehavior::Immediate);
        migrate_beside_others(&mut connection, options.busy_timeout)?;
        if let Some(bytes) = options.max_database_bytes {
            let page_size: i64 = connection.pragma_query_value(None, "page_size", |r| r.get(0))?;
            let pages = (i64::try_from(bytes).unwrap_or(i64::MAX) / page_size.max(1)).max(1);
            // SQLite keeps the cap at no less than the pages already in use.
            connection.pragma_update(None, "max_page_count", pages)?;
        }
        let generation = stored_generation(&connection)?;
        let readers = (!is_in_memory(path)).then(|| {
            Arc::new(ReaderPool {
                path: path.to_owned(),
                busy_timeout: options.busy_timeout,
                idle: Mutex::new(Vec::new()),
            })
        });
        Ok(Self {
            writer: Some(Arc::new(Mutex::new(connection))),
            readers,
            generation: Arc::new(AtomicU64::new(generation)),
        })
    }

    /// Opens the existing database file at `path` for reading only; refused when its schema is
    /// not the latest, since migrating would mean writing.
    pub fn open_read_only(path: &Path, options: &StoreOptions) -> Result<Self, StoreError> {
        let pool = ReaderPool {
            path: path.to_owned(),
            busy_timeout: options.busy_timeout,
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
        let generation = stored_generation(&probe)?;
        pool.give_back(probe);
        Ok(Self {
            writer: None,
            readers: Some(Arc::new(pool)),
            generation: Arc::new(AtomicU64::new(generation)),
        })
    }

    /// See [`crate::Store::ping`]: the file can be opened and read.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.with_reader(|c| stored_generation(c).map(drop)).await
    }

    /// See [`crate::Store::content_generation`].
    pub fn content_generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// See [`crate::Store::refresh_content_generation`].
    pub async fn refresh_content_generation(&self) -> Result<u64, StoreError> {
        let stored = self.with_reader(stored_generation).await?;
        Ok(self.saw_generation(stored))
    }

    /// Remembers `stored` if it is newer than what was seen; answers the latest seen.
    fn saw_generation(&self, stored: u64) -> u64 {
        self.generation
            .fetch_max(stored, Ordering::AcqRel)
            .max(stored)
    }

    /// The writing connection. A request that panicked while holding it (the server answers
    /// it with a 500 and carries on) may have left a transaction open: it is rolled back, so
    /// one bug costs one request, not every later write.
    fn lock_writer(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        let writer = self
            .writer
            .as_ref()
            .ok_or_else(StoreError::opened_read_only)?;
        let connection = writer.lock().unwrap_or_else(|poisoned| {
            writer.clear_poison();
            let connection = poisoned.into_inner();
            if !connection.is_autocommit() {
                let _ = connection.execute_batch("ROLLBACK");
            }
            connection
        });
        Ok(connection)
    }

    /// Runs `work` on the writing connection on one of tokio's blocking threads; afterwards
    /// (committed or rolled back) takes note of the content generation it left.
    async fn with_writer<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let store = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut connection = store.lock_writer()?;
            let result = work(&mut connection);
            // A failure to read it is a failure the next refresh reports.
            if let Ok(stored) = stored_generation(&connection) {
                store.saw_generation(stored);
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
impl SqliteStore {
    /// See [`crate::Store::sql_for_tests`].
    pub async fn sql_for_tests(&self, sql: String) -> Vec<Vec<Option<String>>> {
        use rusqlite::types::ValueRef;
        self.with_writer(move |c| {
            let mut statement = c.prepare(&sql)?;
            let columns = statement.column_count();
            let rows = statement.query_map([], |r| {
                (0..columns)
                    .map(|i| {
                        Ok(match r.get_ref(i)? {
                            ValueRef::Null => None,
                            ValueRef::Integer(n) => Some(n.to_string()),
                            ValueRef::Real(x) => Some(x.to_string()),
                            ValueRef::Text(t) | ValueRef::Blob(t) => {
                                Some(String::from_utf8_lossy(t).into_owned())
                            }
                        })
                    })
                    .collect::<rusqlite::Result<Vec<_>>>()
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await
        .unwrap()
    }
}

#[cfg(test)]
mod tests;
