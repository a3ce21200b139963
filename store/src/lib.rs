//! The Budapest Post's database: the schema and its migrations, loading the content folder,
//! and every SQL statement the site runs. The server and the exporter use it through
//! [`Store`]; neither knows SQL.
//!
//! Two backends behave alike: SQLite, a file (the default, for one machine), and PostgreSQL,
//! a server several API nodes share. Every operation has one implementation per backend, with
//! the same name (`sqlite/`, `postgres/`); `conformance/` tests them against each other.
//!
//! Every operation is `async`: SQLite's work runs on tokio's blocking threads, so a slow disk
//! never stalls the threads that answer requests; PostgreSQL's runs on pooled connections.

#[cfg(test)]
mod conformance;
pub mod content;
mod copy;
mod editorial_rules;
mod error;
mod model;
mod passage;
mod postgres;
mod reapply;
mod references;
mod report_fields;
mod sqlite;
mod status_tokens;
pub mod testing;

use std::path::{Path, PathBuf};
use std::time::Duration;

use budapest_post_contract::{
    Article, ArticleList, ArticleSummary, CorrectionList, RelatedList, ReportOutcome,
    ReportRequest, ReportStatus, Section,
};

pub use content::{Content, ContentError};
pub use copy::CopyReport;
pub use error::{StoreError, Unavailability};
pub use model::{
    CorrectionRefused, DecisionOutcome, ForgetReport, ListCursor, LoadReport, NewArticle,
    NewCorrection, NewsletterEntry, ReaderData, RetentionReport, SiteSettings, StoredCorrection,
    StoredReport, SubmitOutcome,
};
pub use passage::{replace_once, PassageError, Replaced};
pub use references::{references_meant, REFERENCE_CHARS, REFERENCE_PREFIX, TOKEN_CHARS};

/// Where the database lives.
#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    /// A SQLite file (created on first open); `:memory:` for a private in-memory database.
    Sqlite(PathBuf),
    /// A PostgreSQL database, by its URL (`postgres://user:password@host:port/name`), which
    /// several server processes may share.
    Postgres(String),
}

impl Database {
    /// The database a `--database` value names: a `postgres://` (or `postgresql://`) URL, or
    /// else a SQLite file path.
    pub fn parse(value: &str) -> Self {
        let is_url = ["postgres://", "postgresql://"].iter().any(|scheme| {
            value
                .get(..scheme.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(scheme))
        });
        if is_url {
            Self::Postgres(value.to_owned())
        } else {
            Self::Sqlite(PathBuf::from(value))
        }
    }

    /// A SQLite file.
    pub fn sqlite(path: impl AsRef<Path>) -> Self {
        Self::Sqlite(path.as_ref().to_owned())
    }
}

/// Shows the database without its password, for logs and messages.
impl std::fmt::Display for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::Sqlite(path) => write!(f, "{}", path.display()),
            Database::Postgres(url) => match url.parse::<tokio_postgres::Config>() {
                Ok(config) => {
                    let hosts: Vec<String> = config
                        .get_hosts()
                        .iter()
                        .zip(config.get_ports().iter().chain(std::iter::repeat(&5432)))
                        .map(|(host, port)| match host {
                            tokio_postgres::config::Host::Tcp(name) => format!("{name}:{port}"),
                            tokio_postgres::config::Host::Unix(path) => {
                                format!("{}:{port}", path.display())
                            }
                        })
                        .collect();
                    write!(
                        f,
                        "PostgreSQL database {} at {}",
                        config.get_dbname().unwrap_or("(the user's)"),
                        hosts.join(",")
                    )
                }
                Err(_) => write!(f, "PostgreSQL database (an unreadable URL)"),
            },
        }
    }
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Database({self})")
    }
}

/// How the store uses its database file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreOptions {
    /// How long a statement waits for another connection's lock before the database is
    /// reported [unavailable](Unavailability::Busy).
    pub busy_timeout: Duration,
    /// The most the database file may grow to, in bytes (never below what it holds); past it a
    /// write is [unavailable](Unavailability::Full). `None`: as large as the disk allows.
    /// SQLite only: a PostgreSQL server's space is its operator's.
    pub max_database_bytes: Option<u64>,
    /// The longest one statement may run on PostgreSQL before it is cancelled and the
    /// database reported [busy](Unavailability::Busy).
    pub statement_timeout: Duration,
    /// The most connections one process opens to PostgreSQL (its pool's size).
    pub max_connections: usize,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            busy_timeout: Duration::from_secs(5),
            max_database_bytes: None,
            statement_timeout: Duration::from_secs(10),
            max_connections: 16,
        }
    }
}

/// A handle on the database, cheap to clone and share between requests.
#[derive(Clone)]
pub struct Store {
    /// Shared, so a clone (one a request) is one reference count.
    backend: std::sync::Arc<Backend>,
}

#[derive(Clone)]
enum Backend {
    Sqlite(sqlite::SqliteStore),
    Postgres(postgres::PostgresStore),
}

/// Runs `$call` with `$store` bound to whichever backend the store has: every operation has
/// one implementation per backend, with the same name and the same meaning.
macro_rules! on_backend {
    ($self:ident, $store:ident => $call:expr) => {
        match &*$self.backend {
            Backend::Sqlite($store) => $call,
            Backend::Postgres($store) => $call,
        }
    };
}

impl Store {
    /// Opens the database with the default options, creating it if need be, and migrates it
    /// to the latest schema.
    pub async fn open(database: &Database) -> Result<Self, StoreError> {
        Self::open_with(database, &StoreOptions::default()).await
    }

    /// Opens the database with `options`, creating it if need be, and migrates it to the
    /// latest schema.
    pub async fn open_with(
        database: &Database,
        options: &StoreOptions,
    ) -> Result<Self, StoreError> {
        match database {
            Database::Sqlite(path) => {
                let path = path.clone();
                let options = options.clone();
                let sqlite =
                    tokio::task::spawn_blocking(move || sqlite::SqliteStore::open(&path, &options))
                        .await
                        .map_err(|e| StoreError::Task(e.to_string()))??;
                Ok(Self {
                    backend: std::sync::Arc::new(Backend::Sqlite(sqlite)),
                })
            }
            Database::Postgres(url) => Ok(Self {
                backend: std::sync::Arc::new(Backend::Postgres(
                    postgres::PostgresStore::open(url, options).await?,
                )),
            }),
        }
    }

    /// Opens an existing database for reading only: nothing is created, migrated or written,
    /// so it is safe on a database a live server is using. Refused when the database does not
    /// exist or its schema is not the one this build knows.
    pub async fn open_read_only(database: &Database) -> Result<Self, StoreError> {
        match database {
            Database::Sqlite(path) => {
                let path = path.clone();
                let sqlite = tokio::task::spawn_blocking(move || {
                    sqlite::SqliteStore::open_read_only(&path, &StoreOptions::default())
                })
                .await
                .map_err(|e| StoreError::Task(e.to_string()))??;
                Ok(Self {
                    backend: std::sync::Arc::new(Backend::Sqlite(sqlite)),
                })
            }
            Database::Postgres(url) => Ok(Self {
                backend: std::sync::Arc::new(Backend::Postgres(
                    postgres::PostgresStore::open_read_only(url, &StoreOptions::default()).await?,
                )),
            }),
        }
    }

    /// A round trip to the database: whether it can be reached and answers now (the health
    /// check).
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_backend!(self, s => s.ping().await)
    }

    /// Which version of the content readers are shown, as last seen: the database advances it
    /// at every committed change to the articles, sections or masthead, by any process. This
    /// store sees its own changes at once and others' at the next
    /// [refresh](Self::refresh_content_generation), so an answer computed under one value is
    /// stale once it differs.
    pub fn content_generation(&self) -> u64 {
        on_backend!(self, s => s.content_generation())
    }

    /// Reads the content generation from the database (seeing other processes' changes);
    /// answers the latest seen.
    pub async fn refresh_content_generation(&self) -> Result<u64, StoreError> {
        on_backend!(self, s => s.refresh_content_generation().await)
    }

    /// Refreshes the content generation every `period` until the task is aborted, so changes
    /// other processes make reach caches keyed by it within about that time. A failed read is
    /// logged once until one succeeds again.
    pub fn watch_content_generation(&self, period: Duration) -> tokio::task::JoinHandle<()> {
        let store = self.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(period);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut failing = false;
            loop {
                ticks.tick().await;
                match store.refresh_content_generation().await {
                    Ok(_) => failing = false,
                    Err(error) if !failing => {
                        failing = true;
                        tracing::warn!(%error, "cannot read the content generation; retrying");
                    }
                    Err(_) => {}
                }
            }
        })
    }

    /// Tunes the store for one process that reads everything many times and need not survive
    /// a power cut (the exporter's temporary database): no sync at each commit, a large cache.
    pub async fn tune_for_bulk_reading(&self) -> Result<(), StoreError> {
        on_backend!(self, s => s.tune_for_bulk_reading().await)
    }

    /// The masthead and site-wide notices, if content has been loaded.
    pub async fn site(&self) -> Result<Option<SiteSettings>, StoreError> {
        on_backend!(self, s => s.site().await)
    }

    /// Page `page` (from 1) of the article list, newest first; `None` past the last page.
    /// Its `next` is left empty: the caller knows where the API lives.
    pub async fn article_page(&self, page: u32) -> Result<Option<ArticleList>, StoreError> {
        on_backend!(self, s => s.article_page(page).await)
    }

    /// Up to `limit` list entries, newest first, after `after` (from the start when `None`):
    /// pages through every article by key, so reading them all takes time in proportion to
    /// their number.
    pub async fn summaries_after(
        &self,
        after: Option<ListCursor>,
        limit: u32,
    ) -> Result<Vec<ArticleSummary>, StoreError> {
        on_backend!(self, s => s.summaries_after(after, limit).await)
    }

    /// How many articles readers can see.
    pub async fn article_count(&self) -> Result<u32, StoreError> {
        on_backend!(self, s => s.article_count().await)
    }

    /// The homepage's lead story: the newest featured article.
    pub async fn lead_story(&self) -> Result<Option<ArticleSummary>, StoreError> {
        on_backend!(self, s => s.lead_story().await)
    }

    /// Every section, alphabetically.
    pub async fn sections(&self) -> Result<Vec<Section>, StoreError> {
        on_backend!(self, s => s.sections().await)
    }

    /// One whole article with the first few related summaries.
    pub async fn article(&self, slug: &str) -> Result<Option<Article>, StoreError> {
        on_backend!(self, s => s.article(slug.to_owned()).await)
    }

    /// An article's whole related list.
    pub async fn related_list(&self, slug: &str) -> Result<Option<RelatedList>, StoreError> {
        on_backend!(self, s => s.related_list(slug.to_owned()).await)
    }

    /// The slugs of the articles that have a related page (a related article readers can
    /// see), in one query: for listing every page of the site.
    pub async fn slugs_with_related(
        &self,
    ) -> Result<std::collections::HashSet<String>, StoreError> {
        on_backend!(self, s => s.slugs_with_related().await)
    }

    /// Loads a content folder's site and articles in one transaction, keyed by slug, so a
    /// second load of the same content changes nothing and a failed load leaves the old
    /// content whole. Articles no longer in the folder are withdrawn: off every read answer,
    /// their rows (and their reports) kept; put back, they return.
    pub async fn load_content(&self, content: Content) -> Result<LoadReport, StoreError> {
        on_backend!(self, s => s.load_content(content).await)
    }

    /// Replaces the masthead and notices.
    pub async fn save_site(&self, site: SiteSettings) -> Result<(), StoreError> {
        on_backend!(self, s => s.save_site(site).await)
    }

    /// Inserts or updates `articles` (keyed by slug) in one transaction.
    pub async fn save_articles(&self, articles: Vec<NewArticle>) -> Result<(), StoreError> {
        on_backend!(self, s => s.save_articles(articles).await)
    }

    /// Stores a validated report once per idempotency key, under a new random reference. The
    /// same key with the same fields answers the first report again; with other fields, it is
    /// [`SubmitOutcome::KeyReused`]. What the honeypot caught is stored the same way (so its
    /// reference is as unique and as random as any) but flagged as spam, without its text:
    /// hidden from editors and removed with the retention period.
    pub async fn submit_report(&self, report: ReportRequest) -> Result<SubmitOutcome, StoreError> {
        on_backend!(self, s => s.submit_report(report).await)
    }

    /// What became of the report `reference`, for its reporter: answered only when `token` is
    /// one of the status tokens its receipts gave (compared in constant time); `None` alike
    /// for an unknown reference and a wrong token.
    pub async fn report_outcome(
        &self,
        reference: &str,
        token: &str,
    ) -> Result<Option<ReportOutcome>, StoreError> {
        on_backend!(self, s => s.report_outcome(reference.to_owned(), token.to_owned()).await)
    }

    /// Every report but spam, newest first, optionally only those with `status`.
    pub async fn reports(
        &self,
        status: Option<ReportStatus>,
    ) -> Result<Vec<StoredReport>, StoreError> {
        on_backend!(self, s => s.reports(status).await)
    }

    /// The first report that one of `meant` (see [`references_meant`]) names, spam aside.
    pub async fn report(&self, meant: &[String]) -> Result<Option<StoredReport>, StoreError> {
        on_backend!(self, s => s.report(meant.to_vec()).await)
    }

    /// Accepts the report one of `meant` names: an editor agrees, a correction is to follow.
    pub async fn accept_report(&self, meant: &[String]) -> Result<DecisionOutcome, StoreError> {
        on_backend!(self, s => s.decide_report(meant.to_vec(), None).await)
    }

    /// Declines the report one of `meant` names, for `reason` (told to the reporter).
    pub async fn decline_report(
        &self,
        meant: &[String],
        reason: &str,
    ) -> Result<DecisionOutcome, StoreError> {
        on_backend!(self, s => {
            s.decide_report(meant.to_vec(), Some(reason.trim().to_owned())).await
        })
    }

    /// Publishes a correction in one transaction: replaces the passage (standing exactly once)
    /// in the article's text, keeps the earlier body as a version, records the correction,
    /// moves the article's `updated_at`, marks the reports it answers corrected and advances
    /// the content generation, so every cache of the article changes at once. Refused, with
    /// nothing changed, when any part cannot be done.
    pub async fn publish_correction(
        &self,
        correction: NewCorrection,
    ) -> Result<Result<u32, CorrectionRefused>, StoreError> {
        on_backend!(self, s => s.publish_correction(correction).await)
    }

    /// Every published correction as editors see it, newest first.
    pub async fn stored_corrections(&self) -> Result<Vec<StoredCorrection>, StoreError> {
        on_backend!(self, s => s.stored_corrections(None).await)
    }

    /// One published correction as editors see it.
    pub async fn stored_correction(&self, id: u32) -> Result<Option<StoredCorrection>, StoreError> {
        on_backend!(self, s => Ok(s.stored_corrections(Some(id)).await?.pop()))
    }

    /// The corrections of the articles readers can see, newest first: the corrections page.
    pub async fn correction_list(&self) -> Result<CorrectionList, StoreError> {
        on_backend!(self, s => s.correction_list().await)
    }

    /// How many reports are stored, spam not counted.
    pub async fn report_count(&self) -> Result<u32, StoreError> {
        on_backend!(self, s => s.report_count().await)
    }

    /// Adds `email` to the newsletter list once, whatever the case of its ASCII letters, with
    /// an unsubscribe token of its own; an address already listed keeps its token. True when
    /// it was new (for editors and tests: readers are told the same either way).
    pub async fn subscribe(&self, email: &str) -> Result<bool, StoreError> {
        on_backend!(self, s => s.subscribe(email.to_owned()).await)
    }

    /// Takes the address whose unsubscribe token is `token` off the list; false when no
    /// address has it.
    pub async fn unsubscribe(&self, token: &str) -> Result<bool, StoreError> {
        on_backend!(self, s => s.unsubscribe(token.to_owned()).await)
    }

    /// Takes `email` off the list, whatever the case of its ASCII letters; false when it was
    /// not on it.
    pub async fn remove_subscriber(&self, email: &str) -> Result<bool, StoreError> {
        on_backend!(self, s => s.remove_subscriber(email.to_owned()).await)
    }

    /// The unsubscribe token of `email`, if it is on the list.
    pub async fn unsubscribe_token(&self, email: &str) -> Result<Option<String>, StoreError> {
        on_backend!(self, s => s.unsubscribe_token(email.to_owned()).await)
    }

    /// Everything stored about `email` (ASCII letters in any case): its reports and its sign-up.
    pub async fn reader_data(&self, email: &str) -> Result<ReaderData, StoreError> {
        on_backend!(self, s => s.reader_data(email.to_owned()).await)
    }

    /// Removes `email` (ASCII letters in any case) everywhere: from its reports, which stay,
    /// and from the newsletter list.
    pub async fn forget_reader(&self, email: &str) -> Result<ForgetReport, StoreError> {
        on_backend!(self, s => s.forget_reader(email.to_owned()).await)
    }

    /// Clears the address of every report older than `days` days (the rest of the report
    /// stays) and removes what the honeypot caught that long ago.
    pub async fn forget_old_emails(&self, days: u32) -> Result<RetentionReport, StoreError> {
        on_backend!(self, s => s.forget_old_emails(days).await)
    }

    /// How many addresses are on the newsletter list.
    pub async fn subscriber_count(&self) -> Result<u32, StoreError> {
        on_backend!(self, s => s.subscriber_count().await)
    }

    /// Runs `sql` (written so both backends take it: no parameters) and answers its rows as
    /// text, for tests that look past the store's operations. Integers are decimal text; a
    /// boolean is PostgreSQL's `t`/`f` but SQLite's `1`/`0`.
    #[cfg(test)]
    pub(crate) async fn sql_for_tests(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        on_backend!(self, s => s.sql_for_tests(sql.to_owned()).await)
    }
}
