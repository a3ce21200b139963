//! Why a database operation failed.

use rusqlite::ffi::ErrorCode;

/// Why the database cannot take a write (or, rarely, a read) right now. Each is a state of
/// the machine, not of the request: the same request may succeed once it has passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unavailability {
    /// The disk, or the database's size cap (`max_database_bytes`), is full (`SQLITE_FULL`).
    Full,
    /// The database file, its folder or its file system cannot be written (`SQLITE_READONLY`),
    /// or the store was opened read-only.
    ReadOnly,
    /// Another connection or process holds the lock longer than the busy timeout
    /// (`SQLITE_BUSY`, `SQLITE_LOCKED`).
    Busy,
    /// The operating system failed to read or write the file (`SQLITE_IOERR`,
    /// `SQLITE_CANTOPEN`).
    Io,
    /// The database server cannot be reached, or closed the connection (PostgreSQL).
    Unreachable,
}

impl Unavailability {
    /// What it means, in plain words.
    pub fn describe(self) -> &'static str {
        match self {
            Unavailability::Full => "the disk or the database's size cap is full",
            Unavailability::ReadOnly => "the database cannot be written",
            Unavailability::Busy => "another program holds the database's lock",
            Unavailability::Io => "the operating system failed to read or write the database",
            Unavailability::Unreachable => "the database server cannot be reached",
        }
    }

    /// The state SQLite's error `code` names, if it is one of these.
    fn of(code: ErrorCode) -> Option<Self> {
        match code {
            ErrorCode::DiskFull => Some(Unavailability::Full),
            ErrorCode::ReadOnly => Some(Unavailability::ReadOnly),
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => Some(Unavailability::Busy),
            ErrorCode::SystemIoFailure | ErrorCode::CannotOpen => Some(Unavailability::Io),
            _ => None,
        }
    }
}

/// Why a database operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be used for this right now (full, read-only, locked, failing
    /// disk); nothing was changed, and the same operation may succeed later.
    #[error("the database is unavailable: {}: {source}", .reason.describe())]
    Unavailable {
        /// Which state it is in.
        reason: Unavailability,
        /// SQLite's own error, for the log.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// SQLite refused or failed.
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    /// PostgreSQL refused or failed.
    #[error("database error: {0}")]
    Postgres(tokio_postgres::Error),
    /// The `--database` value is not a database this program can open.
    #[error("{0}")]
    Config(String),
    /// A stored value is not of the shape this program writes.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// The schema could not be brought up to date.
    #[error("database migration failed: {0}")]
    Migration(rusqlite_migration::Error),
    /// The database's schema is not the one this build knows, and it was opened read-only.
    #[error("the database's schema is version {found}, this program needs {expected}: start the server once to migrate it")]
    SchemaVersion {
        /// The version found.
        found: i64,
        /// The version this build's migrations end at.
        expected: i64,
    },
    /// A stored article body is not valid JSON of the contract's shape.
    #[error("stored article body is corrupt: {0}")]
    CorruptBody(#[from] serde_json::Error),
    /// The operating system gave no random bytes for a reference or token.
    #[error("no random numbers from the operating system: {0}")]
    Randomness(String),
    /// A blocking database task was cancelled or panicked.
    #[error("database task failed: {0}")]
    Task(String),
}

impl StoreError {
    /// Why the database is unavailable, when that is what this error is.
    pub fn unavailability(&self) -> Option<Unavailability> {
        match self {
            StoreError::Unavailable { reason, .. } => Some(*reason),
            _ => None,
        }
    }

    /// The error for a write asked of a store opened read-only.
    pub(crate) fn opened_read_only() -> Self {
        StoreError::Unavailable {
            reason: Unavailability::ReadOnly,
            source: "the database was opened read-only".into(),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        match error.sqlite_error_code().and_then(Unavailability::of) {
            Some(reason) => StoreError::Unavailable {
                reason,
                source: Box::new(error),
            },
            None => StoreError::Sqlite(error),
        }
    }
}

impl From<rusqlite_migration::Error> for StoreError {
    fn from(error: rusqlite_migration::Error) -> Self {
        let reason = match &error {
            rusqlite_migration::Error::RusqliteError { err, .. } => {
                err.sqlite_error_code().and_then(Unavailability::of)
            }
            _ => None,
        };
        match reason {
            Some(reason) => StoreError::Unavailable {
                reason,
                source: Box::new(error),
            },
            None => StoreError::Migration(error),
        }
    }
}

impl Unavailability {
    /// The state a PostgreSQL error is, if it is one of these: the SQLSTATE classes of a full
    /// disk, a read-only transaction, a lock or statement timeout, too many connections and a
    /// lost connection.
    fn of_postgres(error: &tokio_postgres::Error) -> Option<Self> {
        use tokio_postgres::error::SqlState;
        let Some(state) = error.code() else {
            // No SQLSTATE: the connection failed or was closed.
            return error
                .is_closed()
                .then_some(Unavailability::Unreachable)
                .or_else(|| {
                    std::error::Error::source(error)
                        .is_some_and(|source| source.is::<std::io::Error>())
                        .then_some(Unavailability::Unreachable)
                });
        };
        let class = |prefix: &str| state.code().starts_with(prefix);
        if *state == SqlState::DISK_FULL || *state == SqlState::INSUFFICIENT_RESOURCES {
            Some(Unavailability::Full)
        } else if *state == SqlState::READ_ONLY_SQL_TRANSACTION {
            Some(Unavailability::ReadOnly)
        } else if *state == SqlState::LOCK_NOT_AVAILABLE
            || *state == SqlState::QUERY_CANCELED
            || *state == SqlState::T_R_SERIALIZATION_FAILURE
            || *state == SqlState::T_R_DEADLOCK_DETECTED
            || *state == SqlState::TOO_MANY_CONNECTIONS
        {
            Some(Unavailability::Busy)
        } else if class("08")
            || *state == SqlState::ADMIN_SHUTDOWN
            || *state == SqlState::CRASH_SHUTDOWN
            || *state == SqlState::CANNOT_CONNECT_NOW
        {
            Some(Unavailability::Unreachable)
        } else if class("58") {
            Some(Unavailability::Io)
        } else {
            None
        }
    }
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(error: tokio_postgres::Error) -> Self {
        match Unavailability::of_postgres(&error) {
            Some(reason) => StoreError::Unavailable {
                reason,
                source: Box::new(error),
            },
            None => StoreError::Postgres(error),
        }
    }
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(error: deadpool_postgres::PoolError) -> Self {
        use deadpool_postgres::PoolError;
        match error {
            PoolError::Backend(error) => error.into(),
            PoolError::Timeout(_) => StoreError::Unavailable {
                reason: Unavailability::Busy,
                source: "every pooled database connection stayed in use".into(),
            },
            other => StoreError::Unavailable {
                reason: Unavailability::Unreachable,
                source: Box::new(other),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite_error(code: std::ffi::c_int) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None)
    }

    #[test]
    fn the_states_of_the_machine_are_unavailable_and_the_rest_are_not() {
        let cases = [
            (rusqlite::ffi::SQLITE_FULL, Some(Unavailability::Full)),
            (
                rusqlite::ffi::SQLITE_READONLY,
                Some(Unavailability::ReadOnly),
            ),
            (
                rusqlite::ffi::SQLITE_READONLY_DBMOVED,
                Some(Unavailability::ReadOnly),
            ),
            (rusqlite::ffi::SQLITE_BUSY, Some(Unavailability::Busy)),
            (
                rusqlite::ffi::SQLITE_BUSY_SNAPSHOT,
                Some(Unavailability::Busy),
            ),
            (rusqlite::ffi::SQLITE_LOCKED, Some(Unavailability::Busy)),
            (rusqlite::ffi::SQLITE_IOERR, Some(Unavailability::Io)),
            (rusqlite::ffi::SQLITE_IOERR_FSYNC, Some(Unavailability::Io)),
            (rusqlite::ffi::SQLITE_CANTOPEN, Some(Unavailability::Io)),
            (rusqlite::ffi::SQLITE_CONSTRAINT, None),
            (rusqlite::ffi::SQLITE_CORRUPT, None),
        ];
        for (code, expected) in cases {
            assert_eq!(
                StoreError::from(sqlite_error(code)).unavailability(),
                expected,
                "{code}"
            );
        }
        let migration = rusqlite_migration::Error::RusqliteError {
            query: "CREATE TABLE t (c)".into(),
            err: sqlite_error(rusqlite::ffi::SQLITE_FULL),
        };
        assert_eq!(
            StoreError::from(migration).unavailability(),
            Some(Unavailability::Full)
        );
    }
}
