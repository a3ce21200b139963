//! What readers send: inaccuracy reports and newsletter sign-ups.

use budapest_post_contract::{ReportRequest, ReportStatus, SubscriptionStatus};
use rusqlite::{params, Connection, OptionalExtension};

use super::{articles, StoreError};

/// What became of a submitted report.
#[derive(Debug, PartialEq, Eq)]
pub enum SubmitOutcome {
    /// Stored now, or earlier under the same idempotency key.
    Stored {
        /// The report's row id.
        id: i64,
        /// Its status.
        status: ReportStatus,
        /// False when the key had been seen before and nothing new was stored.
        created: bool,
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
    /// `received` or `resolved`.
    pub status: String,
    /// When it arrived.
    pub created_at: String,
    /// When an editor resolved it.
    pub resolved_at: Option<String>,
}

/// The reader-facing reference of report `id`, e.g. `BP-000042`.
pub fn report_reference(id: i64) -> String {
    format!("BP-{id:06}")
}

fn status_from_str(s: &str) -> ReportStatus {
    match s {
        "resolved" => ReportStatus::Resolved,
        _ => ReportStatus::Received,
    }
}

fn blank_to_none(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Stores a validated report once per idempotency key, in one transaction.
pub fn submit_report(
    c: &mut Connection,
    report: &ReportRequest,
) -> Result<SubmitOutcome, StoreError> {
    let tx = c.transaction()?;
    if let Some((id, status)) = tx
        .query_row(
            "SELECT id, status FROM reports WHERE idempotency_key = ?1",
            [&report.idempotency_key],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
        )
        .optional()?
    {
        return Ok(SubmitOutcome::Stored {
            id,
            status: status_from_str(&status),
            created: false,
        });
    }
    let Some(article_id) = articles::article_id(&tx, report.article_slug.trim())? else {
        return Ok(SubmitOutcome::UnknownArticle);
    };
    tx.execute(
        "INSERT INTO reports (idempotency_key, article_id, quoted_passage, what_is_wrong,
           correction, source_url, email)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            report.idempotency_key,
            article_id,
            report.quoted_passage.trim(),
            report.what_is_wrong.trim(),
            report.correction.trim(),
            blank_to_none(report.source_url.as_deref()),
            blank_to_none(report.email.as_deref()),
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.commit()?;
    Ok(SubmitOutcome::Stored {
        id,
        status: ReportStatus::Received,
        created: true,
    })
}

/// The id the next stored report will get; reads only.
pub fn next_report_id(c: &Connection) -> Result<i64, StoreError> {
    Ok(
        c.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM reports", [], |r| {
            r.get(0)
        })?,
    )
}

/// How many reports are stored.
pub fn report_count(c: &Connection) -> Result<u32, StoreError> {
    Ok(c.query_row("SELECT COUNT(*) FROM reports", [], |r| r.get(0))?)
}

/// Every report, newest first, optionally only those with `status`.
pub fn list_reports(c: &Connection, status: Option<&str>) -> Result<Vec<StoredReport>, StoreError> {
    let mut statement = c.prepare(
        "SELECT r.id, a.slug, r.quoted_passage, r.what_is_wrong, r.correction, r.source_url,
                r.email, r.status, r.created_at, r.resolved_at
         FROM reports r JOIN articles a ON a.id = r.article_id
         WHERE ?1 IS NULL OR r.status = ?1
         ORDER BY r.id DESC",
    )?;
    let rows = statement.query_map([status], |r| {
        let id: i64 = r.get(0)?;
        Ok(StoredReport {
            id,
            reference: report_reference(id),
            article_slug: r.get(1)?,
            quoted_passage: r.get(2)?,
            what_is_wrong: r.get(3)?,
            correction: r.get(4)?,
            source_url: r.get(5)?,
            email: r.get(6)?,
            status: r.get(7)?,
            created_at: r.get(8)?,
            resolved_at: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Marks report `id` resolved; false when there is no such report.
pub fn resolve_report(c: &Connection, id: i64) -> Result<bool, StoreError> {
    let changed = c.execute(
        "UPDATE reports SET status = 'resolved',
           resolved_at = COALESCE(resolved_at, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
         WHERE id = ?1",
        [id],
    )?;
    Ok(changed == 1)
}

/// Adds `email` to the newsletter list once, whatever its letter case.
pub fn subscribe(c: &Connection, email: &str) -> Result<SubscriptionStatus, StoreError> {
    let inserted = c.execute(
        "INSERT INTO newsletter_subscribers (email) VALUES (?1) ON CONFLICT (email) DO NOTHING",
        [email.trim()],
    )?;
    Ok(if inserted == 1 {
        SubscriptionStatus::Subscribed
    } else {
        SubscriptionStatus::AlreadySubscribed
    })
}

/// How many addresses are on the newsletter list.
pub fn subscriber_count(c: &Connection) -> Result<u32, StoreError> {
    Ok(
        c.query_row("SELECT COUNT(*) FROM newsletter_subscribers", [], |r| {
            r.get(0)
        })?,
    )
}
