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
    /// The article's name in its address (`/articles/{slug}`), unique among articles.
    pub slug: String,
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
    /// Who reported it, printed under the body.
    pub credit: Option<String>,
    /// A recorded reading; without one the player reads the text with the browser's voice.
    pub audio: Option<Audio>,
    /// Slugs of related articles, in order.
    pub related: Vec<String>,
    pub body: Vec<Block>,
}

/// What a content load changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// Articles in the folder, inserted or updated.
    pub articles: usize,
    /// Articles no longer in the folder, withdrawn from the site by this load.
    pub withdrawn: usize,
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
    /// Stored now, or earlier with the same fields under the same idempotency key.
    Stored {
        /// The reader-facing reference, e.g. `BP-7K3QX9ZD`.
        reference: String,
        status: ReportStatus,
        /// A fresh token of the reporter's private status link (only its digest is kept).
        status_token: String,
    },
    /// A different report was stored earlier under the same idempotency key; nothing changed.
    KeyReused,
    /// The article it names does not exist, or was withdrawn.
    UnknownArticle,
}

/// A report as editors see it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredReport {
    /// The reader-facing reference.
    pub reference: String,
    pub article_slug: String,
    /// Whether the article has been withdrawn from the site since.
    pub article_withdrawn: bool,
    pub quoted_passage: String,
    pub what_is_wrong: String,
    pub correction: String,
    pub source_url: Option<String>,
    /// The reader's email, until the retention period ends or the reader asks to be forgotten.
    pub email: Option<String>,
    /// Where it stands.
    pub status: ReportStatus,
    /// When it arrived.
    pub created_at: String,
    /// When an editor accepted, declined or corrected it.
    pub decided_at: Option<String>,
    /// Why an editor declined it.
    pub decline_reason: Option<String>,
    /// The published correction that answers it.
    pub correction_id: Option<u32>,
}

/// What became of an editor's decision on one report.
#[derive(Debug, Clone)]
pub enum DecisionOutcome {
    /// Done: the report as it now stands.
    Done(StoredReport),
    /// No report has that reference.
    NotFound,
    /// A published correction already answers it; its state cannot change.
    AlreadyCorrected(StoredReport),
}

/// A correction an editor publishes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCorrection {
    /// The article's slug.
    pub article_slug: String,
    /// The passage as it stands, exactly once, in the article's text.
    pub passage: String,
    /// The text that replaces it.
    pub replacement: String,
    /// The public note, e.g. "An earlier version of this article misspelled …".
    pub note: String,
    /// The references of the reports it answers, as editors typed them.
    pub reports: Vec<String>,
}

/// Why a correction was not published; nothing was changed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CorrectionRefused {
    /// No article readers can see has that slug.
    #[error("there is no article `{0}` on the site")]
    UnknownArticle(String),
    /// The passage cannot be replaced.
    #[error(transparent)]
    Passage(#[from] crate::PassageError),
    /// The public note is empty.
    #[error("the public note is empty: say in a sentence what was wrong")]
    BlankNote,
    /// A reference names no report.
    #[error("there is no report {0}")]
    UnknownReport(String),
    /// A report is about another article.
    #[error("report {reference} is about another article, `{article_slug}`")]
    ReportOfAnotherArticle {
        /// The report's reference.
        reference: String,
        /// The article it is about.
        article_slug: String,
    },
    /// A report is already answered by a published correction.
    #[error("report {reference} is already answered by correction {correction_id}")]
    ReportAlreadyCorrected {
        /// The report's reference.
        reference: String,
        /// The correction that answers it.
        correction_id: u32,
    },
}

/// A published correction as editors see it: what it changed and whom it answered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredCorrection {
    /// Its number.
    pub id: u32,
    /// The article's slug.
    pub article_slug: String,
    /// The article's headline.
    pub headline: String,
    /// The passage as it stood.
    pub passage: String,
    /// What replaced it.
    pub replacement: String,
    /// The public note.
    pub note: String,
    /// When it was published.
    pub published_at: String,
    /// The references of the reports it answers.
    pub reports: Vec<String>,
    /// The reporters' addresses, of those who left one: who asked to hear back.
    pub reporter_emails: Vec<String>,
    /// The changed block's text before the correction.
    pub block_before: String,
    /// The changed block's text after it.
    pub block_after: String,
}

/// An address on the newsletter list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewsletterEntry {
    /// The address as it was signed up.
    pub email: String,
    /// When.
    pub subscribed_at: String,
    /// The token of its unsubscribe link.
    pub unsubscribe_token: String,
}

/// Everything stored about one email address (the editors' `readers export`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReaderData {
    /// The address asked about.
    pub email: String,
    /// The reports sent with it, oldest first.
    pub reports: Vec<StoredReport>,
    /// Its newsletter sign-up, if any.
    pub newsletter: Option<NewsletterEntry>,
}

/// What forgetting an address changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ForgetReport {
    /// Reports the address was taken from (the reports stay).
    pub reports: usize,
    /// Whether it was taken off the newsletter list.
    pub newsletter: bool,
}

/// What a run of the retention period changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetentionReport {
    /// Reports older than the period whose address was cleared.
    pub emails_cleared: usize,
    /// What the honeypot caught that is older than the period, removed.
    pub spam_removed: usize,
}
