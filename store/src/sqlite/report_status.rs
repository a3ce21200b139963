//! A reporter's private status link: the tokens receipts give, kept only as SHA-256 digests,
//! and what the status page may say to whoever holds one.

use budapest_post_contract::{Correction, ReportOutcome, ReportStatus};
use rusqlite::{params, Connection, OptionalExtension};

use super::articles::{summary_from_row, SUMMARY_COLUMNS};
use super::SqliteStore;
use crate::references::new_token;
use crate::status_tokens::{holds, token_digest};
use crate::StoreError;

/// Draws a new status token for the report `report_id` and keeps its digest; answers the
/// token, which is stored nowhere.
pub(super) fn issue_token(c: &Connection, report_id: i64) -> Result<String, StoreError> {
    let token = new_token()?;
    c.prepare_cached("INSERT INTO report_status_tokens (report_id, token_sha256) VALUES (?1, ?2)")?
        .execute(params![report_id, token_digest(&token).as_slice()])?;
    Ok(token)
}

/// Where the report `reference` stands, when `token` is one its receipts gave; `None` alike
/// for an unknown reference, a wrong token, and the honeypot's catch.
fn outcome(
    c: &Connection,
    reference: &str,
    token: &str,
) -> Result<Option<ReportOutcome>, StoreError> {
    let report = c
        .prepare_cached(
            "SELECT id, status, decline_reason, correction_id, article_id FROM reports
             WHERE reference = ?1 AND NOT spam",
        )?
        .query_row([reference], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<i64>>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })
        .optional()?;
    let held: Vec<Vec<u8>> = match &report {
        Some((id, ..)) => c
            .prepare_cached("SELECT token_sha256 FROM report_status_tokens WHERE report_id = ?1")?
            .query_map([id], |r| r.get(0))?
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    let Some((_, status, decline_reason, correction_id, article_id)) =
        report.filter(|_| holds(&held, token))
    else {
        return Ok(None);
    };
    let status: ReportStatus = status.parse().map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            1,
            rusqlite::types::Type::Text,
            format!("unknown report status `{status}`").into(),
        )
    })?;
    let article = c
        .prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM articles a JOIN sections s ON s.id = a.section_id
             WHERE a.id = ?1 AND a.withdrawn_at IS NULL"
        ))?
        .query_row([article_id], summary_from_row)
        .optional()?;
    let correction = match correction_id {
        Some(id) => c
            .prepare_cached("SELECT id, note, published_at FROM corrections WHERE id = ?1")?
            .query_row([id], |r| {
                Ok(Correction {
                    id: r.get(0)?,
                    note: r.get(1)?,
                    published_at: r.get(2)?,
                })
            })
            .optional()?,
        None => None,
    };
    Ok(Some(ReportOutcome {
        id: reference.to_owned(),
        status,
        article,
        decline_reason: decline_reason.filter(|_| status == ReportStatus::Declined),
        correction: correction.filter(|_| status == ReportStatus::Corrected),
    }))
}

impl SqliteStore {
    /// See [`crate::Store::report_outcome`].
    pub async fn report_outcome(
        &self,
        reference: String,
        token: String,
    ) -> Result<Option<ReportOutcome>, StoreError> {
        self.with_reader(move |c| outcome(c, &reference, &token))
            .await
    }
}
