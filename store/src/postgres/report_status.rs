//! A reporter's private status link: the tokens receipts give, kept only as SHA-256 digests,
//! and what the status page may say to whoever holds one.

use budapest_post_contract::{ReportOutcome, ReportStatus};
use deadpool_postgres::GenericClient;

use super::articles::{summary_from_row, SUMMARY_COLUMNS};
use super::reports::status_of;
use super::{small, PostgresStore};
use crate::references::new_token;
use crate::status_tokens::{holds, token_digest};
use crate::StoreError;

/// Draws a new status token for the report `report_id` and keeps its digest; answers the
/// token, which is stored nowhere.
pub(super) async fn issue_token(
    c: &impl GenericClient,
    report_id: i64,
) -> Result<String, StoreError> {
    let token = new_token()?;
    let insert = c
        .prepare_cached(
            "INSERT INTO report_status_tokens (report_id, token_sha256) VALUES ($1, $2)",
        )
        .await?;
    c.execute(&insert, &[&report_id, &token_digest(&token).as_slice()])
        .await?;
    Ok(token)
}

impl PostgresStore {
    /// See [`crate::Store::report_outcome`]: `None` alike for an unknown reference, a wrong
    /// token, and the honeypot's catch.
    pub async fn report_outcome(
        &self,
        reference: String,
        token: String,
    ) -> Result<Option<ReportOutcome>, StoreError> {
        let report = self
            .row(
                "SELECT id, status, decline_reason, correction_id, article_id FROM reports
                 WHERE reference = $1 AND NOT spam",
                &[&reference],
            )
            .await?;
        let held: Vec<Vec<u8>> = match &report {
            Some(report) => self
                .rows(
                    "SELECT token_sha256 FROM report_status_tokens WHERE report_id = $1",
                    &[&report.try_get::<_, i64>(0)?],
                )
                .await?
                .iter()
                .map(|r| r.try_get(0))
                .collect::<Result<_, _>>()?,
            None => Vec::new(),
        };
        let Some(report) = report.filter(|_| holds(&held, &token)) else {
            return Ok(None);
        };
        let status = status_of(report.try_get(1)?)?;
        let decline_reason: Option<String> = report.try_get(2)?;
        let correction_id: Option<i64> = report.try_get(3)?;
        let article_id: i64 = report.try_get(4)?;
        let article = self
            .row(
                &format!(
                    "SELECT {SUMMARY_COLUMNS} FROM articles a JOIN sections s ON s.id = a.section_id
                     WHERE a.id = $1 AND a.withdrawn_at IS NULL"
                ),
                &[&article_id],
            )
            .await?
            .as_ref()
            .map(summary_from_row)
            .transpose()?;
        let correction = match correction_id {
            Some(id) => match self
                .row(
                    "SELECT id, note, published_at FROM corrections WHERE id = $1",
                    &[&id],
                )
                .await?
            {
                Some(r) => Some(budapest_post_contract::Correction {
                    id: small(r.try_get(0)?)?,
                    note: r.try_get(1)?,
                    published_at: r.try_get(2)?,
                }),
                None => None,
            },
            None => None,
        };
        Ok(Some(ReportOutcome {
            id: reference,
            status,
            article,
            decline_reason: decline_reason.filter(|_| status == ReportStatus::Declined),
            correction: correction.filter(|_| status == ReportStatus::Corrected),
        }))
    }
}
