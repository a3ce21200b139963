//! Why a database operation failed.

/// Why a database operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused or failed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The schema could not be brought up to date.
    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
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
    /// A write was asked of a database opened read-only.
    #[error("the database was opened read-only")]
    ReadOnly,
    /// A blocking database task was cancelled or panicked.
    #[error("database task failed: {0}")]
    Task(String),
}
