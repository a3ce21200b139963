//! What goes into the store and what comes out of it besides the contract's shapes.

use budapest_post_contract::{Audio, Block, ReportStatus, Site};

/// The masthead and the notices every article carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteSettings {
    /// The paper's name, motto and tagline.
    pub masthead: Site,
    /// The notice under every article that an AI system wrote it, and how to report errors.
    pub ai_disclaimer: String,
}

/// An article as loaded from the content folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewArticle {
    /// URL name.
    pub slug: String,
    /// Headline.
    pub headline: String,
    /// Summary under the headline.
    pub standfirst: Option<String>,
    /// Section display name.
    pub section: String,
    /// RFC 3339 publication time.
    pub published_at: String,
    /// RFC 3339 update time.
    pub updated_at: Option<String>,
    /// Whether it may be the homepage's lead story.
    pub featured: bool,
    /// Reporting credit.
    pub credit: Option<String>,
    /// Recorded reading.
    pub audio: Option<Audio>,
    /// Slugs of related articles, in order.
    pub related: Vec<String>,
    /// Body blocks.
    pub body: Vec<Block>,
}

/// What a content load changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// Articles in the folder, inserted or updated.
    pub articles: usize,
}

/// Where a walk through the article list stands: the last entry read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListCursor {
    /// Its publication time.
    pub published_at: String,
    /// Its slug, which orders articles published at the same time.
    pub slug: String,
}

impl ListCursor {
    /// The cursor just after `summary`.
    pub fn after(summary: &budapest_post_contract::ArticleSummary) -> Self {
        Self {
            published_at: summary.published_at.clone(),
            slug: summary.slug.clone(),
        }
    }
}

/// What became of a submitted report.
#[derive(Debug, PartialEq, Eq)]
pub enum SubmitOutcome {
    /// Stored now, or earlier under the same idempotency key.
    Stored {
        /// The report's row id.
        id: i64,
        /// Its status.
        status: ReportStatus,
    },
    /// The article it names does not exist.
    UnknownArticle,
}

/// A report as editors see it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StoredReport {
    /// Row id.
    pub id: i64,
    /// The reader-facing reference.
    pub reference: String,
    /// The article's slug.
    pub article_slug: String,
    /// The quoted passage.
    pub quoted_passage: String,
    /// What is wrong.
    pub what_is_wrong: String,
    /// What it should say.
    pub correction: String,
    /// The source link.
    pub source_url: Option<String>,
    /// The reader's email.
    pub email: Option<String>,
    /// Where it stands.
    pub status: ReportStatus,
    /// When it arrived.
    pub created_at: String,
    /// When an editor resolved it.
    pub resolved_at: Option<String>,
}
