//! What readers send: inaccuracy reports and newsletter sign-ups.

use budapest_post_contract::{ReportRequest, ReportStatus, SubscriptionStatus};
use rusqlite::{params, Connection, OptionalExtension};

use super::{articles, SqliteStore};
use crate::{StoreError, StoredReport, SubmitOutcome};

/// The reader-facing reference of report `id`, e.g. `BP-000042`.
pub fn report_reference(id: i64) -> String {
    format!("BP-{id:06}")
}

fn status_from_sql(value: &str) -> rusqlite::Result<ReportStatus> {
    value.parse().map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown report status `{value}`").into(),
        )
    })
}

fn blank_to_none(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

fn submit_report(c: &mut Connection, report: &ReportRequest) -> Result<SubmitOutcome, StoreError> {
    let tx = c.transaction()?;
    if let Some((id, status)) = tx
        .query_row(
            "SELECT id, status FROM reports WHERE idempotency_key = ?1",
            [&report.idempotency_key],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    status_from_sql(&r.get::<_, String>(1)?)?,
                ))
            },
        )
        .optional()?
    {
        return Ok(SubmitOutcome::Stored { id, status });
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
    })
}

fn reports(c: &Connection, status: Option<ReportStatus>) -> Result<Vec<StoredReport>, StoreError> {
    let mut statement = c.prepare(
        "SELECT r.id, a.slug, r.quoted_passage, r.what_is_wrong, r.correction, r.source_url,
                r.email, r.status, r.created_at, r.resolved_at
         FROM reports r JOIN articles a ON a.id = r.article_id
         WHERE ?1 IS NULL OR r.status = ?1
         ORDER BY r.id DESC",
    )?;
    let rows = statement.query_map([status.map(ReportStatus::as_str)], |r| {
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
            status: status_from_sql(&r.get::<_, String>(7)?)?,
            created_at: r.get(8)?,
            resolved_at: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

impl SqliteStore {
    /// See [`crate::Store::submit_report`].
    pub async fn submit_report(&self, report: ReportRequest) -> Result<SubmitOutcome, StoreError> {
        self.with_writer(move |c| submit_report(c, &report)).await
    }

    /// See [`crate::Store::next_report_id`].
    pub async fn next_report_id(&self) -> Result<i64, StoreError> {
        self.with_reader(|c| {
            Ok(
                c.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM reports", [], |r| {
                    r.get(0)
                })?,
            )
        })
        .await
    }

    /// See [`crate::Store::report_count`].
    pub async fn report_count(&self) -> Result<u32, StoreError> {
        self.with_reader(|c| Ok(c.query_row("SELECT COUNT(*) FROM reports", [], |r| r.get(0))?))
            .await
    }

    /// See [`crate::Store::reports`].
    pub async fn reports(
        &self,
        status: Option<ReportStatus>,
    ) -> Result<Vec<StoredReport>, StoreError> {
        self.with_reader(move |c| reports(c, status)).await
    }

    /// See [`crate::Store::resolve_report`].
    pub async fn resolve_report(&self, id: i64) -> Result<bool, StoreError> {
        self.with_writer(move |c| {
            let changed = c.execute(
                "UPDATE reports SET status = 'resolved',
                   resolved_at = COALESCE(resolved_at, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
                 WHERE id = ?1",
                [id],
            )?;
            Ok(changed == 1)
        })
        .await
    }

    /// See [`crate::Store::subscribe`].
    pub async fn subscribe(&self, email: String) -> Result<SubscriptionStatus, StoreError> {
        self.with_writer(move |c| {
            let inserted = c.execute(
                "INSERT INTO newsletter_subscribers (email) VALUES (?1)
                 ON CONFLICT (email) DO NOTHING",
                [email.trim()],
            )?;
            Ok(if inserted == 1 {
                SubscriptionStatus::Subscribed
            } else {
                SubscriptionStatus::AlreadySubscribed
            })
        })
        .await
    }

    /// See [`crate::Store::subscriber_count`].
    pub async fn subscriber_count(&self) -> Result<u32, StoreError> {
        self.with_reader(|c| {
            Ok(
                c.query_row("SELECT COUNT(*) FROM newsletter_subscribers", [], |r| {
                    r.get(0)
                })?,
            )
        })
        .await
    }
}
