//! The Budapest Post's database: the schema and its migrations, loading the content folder,
//! and every SQL statement the site runs. The server and the exporter use it through
//! [`Store`]; neither knows SQL.
//!
//! Every operation is `async`: SQLite's work runs on tokio's blocking threads, so a slow disk
//! never stalls the threads that answer requests.

pub mod content;
mod error;
mod model;
mod sqlite;

use std::path::{Path, PathBuf};

use budapest_post_contract::{
    Article, ArticleList, ArticleSummary, RelatedList, ReportRequest, ReportStatus, Section,
    SubscriptionStatus,
};

pub use content::{Content, ContentError};
pub use error::StoreError;
pub use model::{ListCursor, LoadReport, NewArticle, SiteSettings, StoredReport, SubmitOutcome};
pub use sqlite::report_reference;

/// Where the database lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Database {
    /// A SQLite file (created on first open); `:memory:` for a private in-memory database.
    Sqlite(PathBuf),
}

impl Database {
    /// The database a `--database` value names: for now always a SQLite file path.
    pub fn parse(value: &str) -> Self {
        Self::Sqlite(PathBuf::from(value))
    }

    /// A SQLite file.
    pub fn sqlite(path: impl AsRef<Path>) -> Self {
        Self::Sqlite(path.as_ref().to_owned())
    }
}

impl std::fmt::Display for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::Sqlite(path) => write!(f, "{}", path.display()),
        }
    }
}

/// A handle on the database, cheap to clone and share between requests.
#[derive(Clone)]
pub struct Store {
    backend: Backend,
}

#[derive(Clone)]
enum Backend {
    Sqlite(sqlite::SqliteStore),
}

impl Store {
    /// Opens the database, creating it if need be, and migrates it to the latest schema.
    pub async fn open(database: &Database) -> Result<Self, StoreError> {
        match database {
            Database::Sqlite(path) => {
                let path = path.clone();
                let sqlite = tokio::task::spawn_blocking(move || sqlite::SqliteStore::open(&path))
                    .await
                    .map_err(|e| StoreError::Task(e.to_string()))??;
                Ok(Self {
                    backend: Backend::Sqlite(sqlite),
                })
            }
        }
    }

    /// Opens an existing database for reading only: nothing is created, migrated or written,
    /// so it is safe on a database a live server is using. Refused when the database does not
    /// exist or its schema is not the one this build knows.
    pub async fn open_read_only(database: &Database) -> Result<Self, StoreError> {
        match database {
            Database::Sqlite(path) => {
                let path = path.clone();
                let sqlite =
                    tokio::task::spawn_blocking(move || sqlite::SqliteStore::open_read_only(&path))
                        .await
                        .map_err(|e| StoreError::Task(e.to_string()))??;
                Ok(Self {
                    backend: Backend::Sqlite(sqlite),
                })
            }
        }
    }

    /// Which version of the content readers are shown: it changes after every committed write
    /// to the articles, sections or masthead, so an answer computed under one value is stale
    /// once it differs.
    pub fn content_generation(&self) -> u64 {
        match &self.backend {
            Backend::Sqlite(s) => s.content_generation(),
        }
    }

    /// Tunes the store for one process that reads everything many times and need not survive
    /// a power cut (the exporter's temporary database): no sync at each commit, a large cache.
    pub async fn tune_for_bulk_reading(&self) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.tune_for_bulk_reading().await,
        }
    }

    /// The masthead and site-wide notices, if content has been loaded.
    pub async fn site(&self) -> Result<Option<SiteSettings>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.site().await,
        }
    }

    /// Page `page` (from 1) of the article list, newest first; `None` past the last page.
    /// Its `next` is left empty: the caller knows where the API lives.
    pub async fn article_page(&self, page: u32) -> Result<Option<ArticleList>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.article_page(page).await,
        }
    }

    /// Up to `limit` list entries, newest first, after `after` (from the start when `None`):
    /// pages through every article by key, so reading them all takes time in proportion to
    /// their number.
    pub async fn summaries_after(
        &self,
        after: Option<ListCursor>,
        limit: u32,
    ) -> Result<Vec<ArticleSummary>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.summaries_after(after, limit).await,
        }
    }

    /// How many articles readers can see.
    pub async fn article_count(&self) -> Result<u32, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.article_count().await,
        }
    }

    /// The homepage's lead story: the newest featured article.
    pub async fn lead_story(&self) -> Result<Option<ArticleSummary>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.lead_story().await,
        }
    }

    /// Every section, alphabetically.
    pub async fn sections(&self) -> Result<Vec<Section>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.sections().await,
        }
    }

    /// One whole article with the first few related summaries.
    pub async fn article(&self, slug: &str) -> Result<Option<Article>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.article(slug.to_owned()).await,
        }
    }

    /// An article's whole related list.
    pub async fn related_list(&self, slug: &str) -> Result<Option<RelatedList>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.related_list(slug.to_owned()).await,
        }
    }

    /// Loads a content folder's site and articles in one transaction, keyed by slug, so a
    /// second load of the same content changes nothing and a failed load leaves the old
    /// content whole.
    pub async fn load_content(&self, content: Content) -> Result<LoadReport, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.load_content(content).await,
        }
    }

    /// Replaces the masthead and notices.
    pub async fn save_site(&self, site: SiteSettings) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.save_site(site).await,
        }
    }

    /// Inserts or updates `articles` (keyed by slug) in one transaction.
    pub async fn save_articles(&self, articles: Vec<NewArticle>) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.save_articles(articles).await,
        }
    }

    /// Stores a validated report once per idempotency key.
    pub async fn submit_report(&self, report: ReportRequest) -> Result<SubmitOutcome, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.submit_report(report).await,
        }
    }

    /// The id the next stored report will get.
    pub async fn next_report_id(&self) -> Result<i64, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.next_report_id().await,
        }
    }

    /// Every report, newest first, optionally only those with `status`.
    pub async fn reports(
        &self,
        status: Option<ReportStatus>,
    ) -> Result<Vec<StoredReport>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.reports(status).await,
        }
    }

    /// Marks report `id` resolved; false when there is no such report.
    pub async fn resolve_report(&self, id: i64) -> Result<bool, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.resolve_report(id).await,
        }
    }

    /// How many reports are stored.
    pub async fn report_count(&self) -> Result<u32, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.report_count().await,
        }
    }

    /// Adds `email` to the newsletter list once, whatever its letter case.
    pub async fn subscribe(&self, email: &str) -> Result<SubscriptionStatus, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.subscribe(email.to_owned()).await,
        }
    }

    /// How many addresses are on the newsletter list.
    pub async fn subscriber_count(&self) -> Result<u32, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.subscriber_count().await,
        }
    }
}
