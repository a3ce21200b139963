//! Readers' inaccuracy reports: storing them once per idempotency key under a random
//! reference, and the editors' list and triage.

use budapest_post_contract::{ReportRequest, ReportStatus};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use super::report_status::issue_token;
use super::{articles, immediate, SqliteStore};
use crate::editorial_rules::{self, Deciding};
use crate::references::new_reference;
use crate::report_fields::{digest, ReportFields};
use crate::{DecisionOutcome, StoreError, StoredReport, SubmitOutcome};

fn status_from_sql(value: &str) -> rusqlite::Result<ReportStatus> {
    value.parse().map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown report status `{value}`").into(),
        )
    })
}

/// How many times a fresh reference is drawn when the one drawn is taken (one in 2^40 per
/// stored report: a second draw is already all but never needed).
const REFERENCE_DRAWS: usize = 16;

/// A report row about to be stored.
struct NewRow<'a> {
    idempotency_key: &'a str,
    request_sha256: &'a str,
    spam: bool,
    article_id: i64,
    fields: ReportFields<'a>,
}

/// Inserts `row` under the first reference `draw` gives that no report has; answers it.
fn insert_under_fresh_reference(
    tx: &Transaction<'_>,
    row: &NewRow<'_>,
    mut draw: impl FnMut() -> Result<String, StoreError>,
) -> Result<String, StoreError> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO reports (reference, idempotency_key, request_sha256, spam, article_id,
           quoted_passage, what_is_wrong, correction, source_url, email)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (reference) DO NOTHING",
    )?;
    // What the honeypot caught keeps its reference and key, not what a bot wrote.
    let (passage, wrong, correction, source, email) = if row.spam {
        ("", "", "", None, None)
    } else {
        let f = &row.fields;
        (
            f.quoted_passage,
            f.what_is_wrong,
            f.correction,
            f.source_url,
            f.email,
        )
    };
    for _ in 0..REFERENCE_DRAWS {
        let reference = draw()?;
        let inserted = insert.execute(params![
            reference,
            row.idempotency_key,
            row.request_sha256,
            row.spam,
            row.article_id,
            passage,
            wrong,
            correction,
            source,
            email,
        ])?;
        if inserted == 1 {
            return Ok(reference);
        }
    }
    Err(StoreError::Randomness(format!(
        "{REFERENCE_DRAWS} report references drawn in a row were taken"
    )))
}

fn submit_report(c: &mut Connection, report: &ReportRequest) -> Result<SubmitOutcome, StoreError> {
    let fields = ReportFields::of(report);
    let request_sha256 = digest(&fields);
    let tx = immediate(c)?;
    let earlier = tx
        .query_row(
            "SELECT id, reference, status, request_sha256 FROM reports
             WHERE idempotency_key = ?1",
            [&report.idempotency_key],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    status_from_sql(&r.get::<_, String>(2)?)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            },
        )
        .optional()?;
    if let Some((id, reference, status, stored_sha256)) = earlier {
        if stored_sha256.is_some_and(|stored| stored != request_sha256) {
            return Ok(SubmitOutcome::KeyReused);
        }
        // The first receipt's token is kept only as a digest: a resend gets a token of its own.
        let status_token = issue_token(&tx, id)?;
        tx.commit()?;
        return Ok(SubmitOutcome::Stored {
            reference,
            status,
            status_token,
        });
    }
    let Some(article_id) = articles::live_article_id(&tx, fields.article_slug)? else {
        return Ok(SubmitOutcome::UnknownArticle);
    };
    let row = NewRow {
        idempotency_key: &report.idempotency_key,
        request_sha256: &request_sha256,
        spam: report.is_from_bot(),
        article_id,
        fields,
    };
    let reference = insert_under_fresh_reference(&tx, &row, new_reference)?;
    let status_token = issue_token(&tx, tx.last_insert_rowid())?;
    tx.commit()?;
    Ok(SubmitOutcome::Stored {
        reference,
        status: ReportStatus::Received,
        status_token,
    })
}

/// The columns [`stored_report`] reads, for `reports r JOIN articles a`.
pub(super) const REPORT_COLUMNS: &str = "r.reference, a.slug, a.withdrawn_at IS NOT NULL,
    r.quoted_passage, r.what_is_wrong, r.correction, r.source_url, r.email, r.status,
    r.created_at, r.decided_at, r.decline_reason, r.correction_id";

/// A report as editors see it, from a row of [`REPORT_COLUMNS`].
pub(super) fn stored_report(r: &Row<'_>) -> rusqlite::Result<StoredReport> {
    Ok(StoredReport {
        reference: r.get(0)?,
        article_slug: r.get(1)?,
        article_withdrawn: r.get(2)?,
        quoted_passage: r.get(3)?,
        what_is_wrong: r.get(4)?,
        correction: r.get(5)?,
        source_url: r.get(6)?,
        email: r.get(7)?,
        status: status_from_sql(&r.get::<_, String>(8)?)?,
        created_at: r.get(9)?,
        decided_at: r.get(10)?,
        decline_reason: r.get(11)?,
        correction_id: r.get(12)?,
    })
}

fn reports(c: &Connection, status: Option<ReportStatus>) -> Result<Vec<StoredReport>, StoreError> {
    let mut statement = c.prepare(&format!(
        "SELECT {REPORT_COLUMNS} FROM reports r JOIN articles a ON a.id = r.article_id
         WHERE NOT r.spam AND (?1 IS NULL OR r.status = ?1)
         ORDER BY r.id DESC"
    ))?;
    let rows = statement.query_map([status.map(ReportStatus::as_str)], stored_report)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The first of `meant` that names a report (spam aside), with its row id.
pub(super) fn find_report(
    c: &Connection,
    meant: &[String],
) -> Result<Option<(i64, StoredReport)>, StoreError> {
    let mut statement = c.prepare_cached(&format!(
        "SELECT {REPORT_COLUMNS}, r.id FROM reports r JOIN articles a ON a.id = r.article_id
         WHERE r.reference = ?1 AND NOT r.spam"
    ))?;
    for reference in meant {
        let found = statement
            .query_row([reference], |r| {
                Ok((r.get::<_, i64>(13)?, stored_report(r)?))
            })
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// Accepts (`reason` is `None`) or declines the first report `meant` names.
fn decide(
    c: &mut Connection,
    meant: &[String],
    reason: Option<&str>,
) -> Result<DecisionOutcome, StoreError> {
    let tx = immediate(c)?;
    let decision = match editorial_rules::decide(find_report(&tx, meant)?, reason) {
        Deciding::Write(decision) => decision,
        Deciding::Answer(outcome) => return Ok(*outcome),
    };
    tx.execute(
        "UPDATE reports SET status = ?1, decline_reason = ?2,
           decided_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
         WHERE id = ?3",
        params![decision.status.as_str(), reason, decision.id],
    )?;
    let found = find_report(&tx, std::slice::from_ref(&decision.reference))?;
    tx.commit()?;
    Ok(editorial_rules::decided(found))
}

impl SqliteStore {
    /// See [`crate::Store::submit_report`].
    pub async fn submit_report(&self, report: ReportRequest) -> Result<SubmitOutcome, StoreError> {
        self.with_writer(move |c| submit_report(c, &report)).await
    }

    /// See [`crate::Store::report_count`].
    pub async fn report_count(&self) -> Result<u32, StoreError> {
        self.with_reader(|c| {
            Ok(
                c.query_row("SELECT COUNT(*) FROM reports WHERE NOT spam", [], |r| {
                    r.get(0)
                })?,
            )
        })
        .await
    }

    /// See [`crate::Store::reports`].
    pub async fn reports(
        &self,
        status: Option<ReportStatus>,
    ) -> Result<Vec<StoredReport>, StoreError> {
        self.with_reader(move |c| reports(c, status)).await
    }

    /// See [`crate::Store::report`].
    pub async fn report(&self, meant: Vec<String>) -> Result<Option<StoredReport>, StoreError> {
        self.with_reader(move |c| Ok(find_report(c, &meant)?.map(|(_, report)| report)))
            .await
    }

    /// See [`crate::Store::accept_report`] and [`crate::Store::decline_report`].
    pub async fn decide_report(
        &self,
        meant: Vec<String>,
        reason: Option<String>,
    ) -> Result<DecisionOutcome, StoreError> {
        self.with_writer(move |c| decide(c, &meant, reason.as_deref()))
            .await
    }
}

#[cfg(test)]
mod tests;
