//! The PostgreSQL backend: every SQL statement for PostgreSQL lives under this module.
//!
//! Several server processes (nodes) may share one database. Connections come from a pool, every
//! statement is prepared once per connection and reused, and every statement is bounded by a
//! statement timeout (and a lock timeout, the busy timeout), so a stuck database costs a request
//! a `503`, not a hung server. Writes that must see and change the same rows run in
//! transactions that take the rows' locks (`SELECT … FOR UPDATE`, `INSERT … ON CONFLICT`), so two
//! nodes handling the same report at once store it once. Triggers advance the content generation
//! on every change to what readers are shown and announce it (`NOTIFY content_generation`); each
//! store listens, and also reads the value when asked to refresh, so its caches change at once.

mod articles;
mod copy;
mod corrections;
mod loading;
mod migrations;
mod newsletter;
mod privacy;
mod report_status;
mod reports;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::types::ToSql;
use tokio_postgres::{NoTls, Row};

use crate::{StoreError, StoreOptions};

/// The channel the content generation's triggers announce new values on.
const GENERATION_CHANNEL: &str = "content_generation";

/// A parameter of a statement.
type Param<'a> = &'a (dyn ToSql + Sync);

/// A PostgreSQL database: a pool of connections and the latest content generation seen.
#[derive(Clone)]
pub struct PostgresStore {
    pool: Pool,
    /// The latest content generation seen in the database.
    generation: Arc<AtomicU64>,
    /// Stops the listener when the last clone of the store is dropped.
    listener: Arc<Listener>,
}

/// The task that listens for new content generations, stopped with the store.
#[derive(Default)]
struct Listener(std::sync::Mutex<Option<tokio::task::AbortHandle>>);

impl Drop for Listener {
    fn drop(&mut self) {
        if let Some(task) = self
            .0
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
        {
            task.abort();
        }
    }
}

/// How the store connects: the URL's settings plus the timeouts of [`StoreOptions`].
fn connection_config(
    url: &str,
    options: &StoreOptions,
    read_only: bool,
) -> Result<tokio_postgres::Config, StoreError> {
    let mut config: tokio_postgres::Config = url
        .parse()
        .map_err(|e| StoreError::Config(format!("not a PostgreSQL URL: {e}")))?;
    let mut settings = format!(
        "-c statement_timeout={} -c lock_timeout={} -c idle_in_transaction_session_timeout={} -c TimeZone=UTC",
        options.statement_timeout.as_millis(),
        options.busy_timeout.as_millis(),
        options.statement_timeout.as_millis().saturating_mul(2),
    );
    if read_only {
        settings.push_str(" -c default_transaction_read_only=on");
    }
    if let Some(given) = config.get_options() {
        settings = format!("{given} {settings}");
    }
    config.options(&settings);
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(options.busy_timeout.max(Duration::from_secs(1)));
    }
    if config.get_application_name().is_none() {
        config.application_name("budapest-post");
    }
    Ok(config)
}

/// The content generation stored in the database.
async fn stored_generation(c: &tokio_postgres::Client) -> Result<u64, StoreError> {
    let row = c
        .query_one("SELECT value FROM content_generation WHERE id = 1", &[])
        .await?;
    Ok(u64::try_from(row.try_get::<_, i64>(0)?).unwrap_or(0))
}

/// Runs `sql` on `client` (prepared once per connection) and answers its rows. Several of
/// these on one client, awaited together, travel in one pipeline: one round trip, not one
/// each.
async fn query_on(
    client: &deadpool_postgres::ClientWrapper,
    sql: &str,
    params: &[Param<'_>],
) -> Result<Vec<Row>, StoreError> {
    let statement = client.prepare_cached(sql).await?;
    Ok(client.query(&statement, params).await?)
}

/// A count from the database as the store answers it.
fn count(row: &Row) -> Result<u32, StoreError> {
    Ok(u32::try_from(row.try_get::<_, i64>(0)?).unwrap_or(u32::MAX))
}

/// An id or number the store answers as `u32` (ids and durations never come near its limit).
fn small(value: i64) -> Result<u32, StoreError> {
    u32::try_from(value).map_err(|_| StoreError::Corrupt(format!("{value} is out of range")))
}

impl PostgresStore {
    /// Connects to the database at `url` and migrates it to the latest schema (one node at a
    /// time: the migration holds an advisory lock).
    pub async fn open(url: &str, options: &StoreOptions) -> Result<Self, StoreError> {
        if options.max_database_bytes.is_some() {
            return Err(StoreError::Config(
                "a size cap applies to a SQLite file only; PostgreSQL's is set on its server"
                    .into(),
            ));
        }
        let config = connection_config(url, options, false)?;
        let store = Self::connect(config.clone(), options)?;
        {
            let mut client = store.pool.get().await?;
            migrations::to_latest(&mut client).await?;
            store.saw_generation(stored_generation(&client).await?);
        }
        store.listen_for_generations(config);
        Ok(store)
    }

    /// Connects to the existing database at `url` for reading only (every transaction is
    /// read-only); refused when its schema is not the latest, since migrating would mean
    /// writing.
    pub async fn open_read_only(url: &str, options: &StoreOptions) -> Result<Self, StoreError> {
        let config = connection_config(url, options, true)?;
        let store = Self::connect(config, options)?;
        {
            let client = store.pool.get().await?;
            migrations::check_latest(&client).await?;
            store.saw_generation(stored_generation(&client).await?);
        }
        Ok(store)
    }

    fn connect(config: tokio_postgres::Config, options: &StoreOptions) -> Result<Self, StoreError> {
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                // A connection the server closed is found at its next use and replaced.
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(options.max_connections.max(1))
            .wait_timeout(Some(options.busy_timeout))
            .create_timeout(Some(options.busy_timeout.max(Duration::from_secs(1))))
            .runtime(Runtime::Tokio1)
            .build()
            .map_err(|e| StoreError::Config(e.to_string()))?;
        Ok(Self {
            pool,
            generation: Arc::new(AtomicU64::new(0)),
            listener: Arc::default(),
        })
    }

    /// Listens for the triggers' announcements of new content generations on a connection of
    /// its own, for as long as the store is in use (reconnecting after a lost connection), so
    /// a change any node makes reaches this one's caches at once. Refreshes (see
    /// [`crate::Store::watch_content_generation`]) still read the value, in case an
    /// announcement was missed while disconnected.
    fn listen_for_generations(&self, config: tokio_postgres::Config) {
        let generation = Arc::clone(&self.generation);
        let task = tokio::spawn(async move {
            loop {
                if let Err(error) = listen_once(&config, &generation).await {
                    tracing::debug!(%error, "content generation listener lost its connection");
                }
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        });
        *self
            .listener
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(task.abort_handle());
    }

    /// See [`crate::Store::ping`].
    pub async fn ping(&self) -> Result<(), StoreError> {
        let client = self.pool.get().await?;
        client.simple_query("SELECT 1").await?;
        Ok(())
    }

    /// See [`crate::Store::content_generation`].
    pub fn content_generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// See [`crate::Store::refresh_content_generation`].
    pub async fn refresh_content_generation(&self) -> Result<u64, StoreError> {
        let client = self.pool.get().await?;
        let stored = stored_generation(&client).await?;
        Ok(self.saw_generation(stored))
    }

    /// Remembers `stored` if it is newer than what was seen; answers the latest seen.
    fn saw_generation(&self, stored: u64) -> u64 {
        self.generation
            .fetch_max(stored, Ordering::AcqRel)
            .max(stored)
    }

    /// A pooled connection.
    async fn client(&self) -> Result<deadpool_postgres::Object, StoreError> {
        Ok(self.pool.get().await?)
    }

    /// Runs `sql` (prepared once per connection) and answers its rows.
    async fn rows(&self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, StoreError> {
        let client = self.client().await?;
        let statement = client.prepare_cached(sql).await?;
        Ok(client.query(&statement, params).await?)
    }

    /// Runs `sql` (prepared once per connection) and answers its row, if any.
    async fn row(&self, sql: &str, params: &[Param<'_>]) -> Result<Option<Row>, StoreError> {
        let client = self.client().await?;
        let statement = client.prepare_cached(sql).await?;
        Ok(client.query_opt(&statement, params).await?)
    }

    /// Runs the writing `sql` (prepared once per connection) and answers how many rows it
    /// changed.
    async fn execute(&self, sql: &str, params: &[Param<'_>]) -> Result<u64, StoreError> {
        let client = self.client().await?;
        let statement = client.prepare_cached(sql).await?;
        Ok(client.execute(&statement, params).await?)
    }

    /// Notes the content generation after a write that may have changed content.
    async fn note_generation(&self, client: &tokio_postgres::Client) {
        // A failure to read it is a failure the next refresh reports.
        if let Ok(stored) = stored_generation(client).await {
            self.saw_generation(stored);
        }
    }

    /// See [`crate::Store::tune_for_bulk_reading`]: PostgreSQL's caches are its server's.
    pub async fn tune_for_bulk_reading(&self) -> Result<(), StoreError> {
        Ok(())
    }
}

/// Listens on one connection until it fails; every announcement moves `generation` on.
async fn listen_once(
    config: &tokio_postgres::Config,
    generation: &AtomicU64,
) -> Result<(), StoreError> {
    use futures_util::StreamExt;
    let (client, mut connection) = config.connect(NoTls).await?;
    let (sender, mut announcements) = tokio::sync::mpsc::unbounded_channel();
    // The connection's messages are read by a task of its own (the client's queries need it
    // driven too); it ends, and with it this listener, when the connection fails.
    let driver = tokio::spawn(async move {
        let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(Ok(message)) = messages.next().await {
            if let tokio_postgres::AsyncMessage::Notification(note) = message {
                if sender.send(note.payload().to_owned()).is_err() {
                    return;
                }
            }
        }
    });
    let _stop_driver = AbortOnDrop(driver.abort_handle());
    client
        .batch_execute(&format!("LISTEN {GENERATION_CHANNEL}"))
        .await?;
    // What changed while this connection was being made.
    generation.fetch_max(stored_generation(&client).await?, Ordering::AcqRel);
    while let Some(payload) = announcements.recv().await {
        if let Ok(value) = payload.parse::<u64>() {
            generation.fetch_max(value, Ordering::AcqRel);
        }
    }
    Ok(())
}

/// Aborts a task when dropped (the listener's connection driver, when the listener stops).
struct AbortOnDrop(tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
impl PostgresStore {
    /// See [`crate::Store::sql_for_tests`].
    pub async fn sql_for_tests(&self, sql: String) -> Vec<Vec<Option<String>>> {
        let client = self.client().await.unwrap();
        let messages = client.simple_query(&sql).await.unwrap();
        let rows = messages.iter().filter_map(|message| match message {
            tokio_postgres::SimpleQueryMessage::Row(row) => Some(
                (0..row.len())
                    .map(|i| row.get(i).map(str::to_owned))
                    .collect(),
            ),
            _ => None,
        });
        let rows = rows.collect();
        self.note_generation(&client).await;
        rows
    }
}

#[cfg(test)]
mod tests;
