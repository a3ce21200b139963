//! Readers' inaccuracy reports: storing them once per idempotency key under a random
//! reference, whichever node receives them, and the editors' list and triage.

use budapest_post_contract::{ReportRequest, ReportStatus};
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;

use super::corrections::NOW;
use super::report_status::issue_token;
use super::{articles, count, small, PostgresStore};
use crate::editorial_rules::{self, Deciding};
use crate::references::new_reference;
use crate::report_fields::{digest, ReportFields};
use crate::{DecisionOutcome, StoreError, StoredReport, SubmitOutcome};

/// How many times a fresh reference is drawn when the one drawn is taken (one in 2^40 per
/// stored report: a second draw is already all but never needed).
const REFERENCE_DRAWS: usize = 16;

pub(super) fn status_of(value: &str) -> Result<ReportStatus, StoreError> {
    value
        .parse()
        .map_err(|_| StoreError::Corrupt(format!("unknown report status `{value}`")))
}

/// The columns [`stored_report`] reads, for `reports r JOIN articles a`.
pub(super) const REPORT_COLUMNS: &str = "r.reference, a.slug, a.withdrawn_at IS NOT NULL,
    r.quoted_passage, r.what_is_wrong, r.correction, r.source_url, r.email, r.status,
    r.created_at, r.decided_at, r.decline_reason, r.correction_id";

/// A report as editors see it, from a row of [`REPORT_COLUMNS`].
pub(super) fn stored_report(r: &Row) -> Result<StoredReport, StoreError> {
    Ok(StoredReport {
        reference: r.try_get(0)?,
        article_slug: r.try_get(1)?,
        article_withdrawn: r.try_get(2)?,
        quoted_passage: r.try_get(3)?,
        what_is_wrong: r.try_get(4)?,
        correction: r.try_get(5)?,
        source_url: r.try_get(6)?,
        email: r.try_get(7)?,
        status: status_of(r.try_get(8)?)?,
        created_at: r.try_get(9)?,
        decided_at: r.try_get(10)?,
        decline_reason: r.try_get(11)?,
        correction_id: r.try_get::<_, Option<i64>>(12)?.map(small).transpose()?,
    })
}

/// The first of `meant` that names a report (spam aside), with its row id; with `lock`, its
/// row stays locked until the caller's transaction ends.
pub(super) async fn find_report(
    c: &impl GenericClient,
    meant: &[String],
    lock: bool,
) -> Result<Option<(i64, StoredReport)>, StoreError> {
    let statement = c
        .prepare_cached(&format!(
            "SELECT {REPORT_COLUMNS}, r.id FROM reports r JOIN articles a ON a.id = r.article_id
             WHERE r.reference = $1 AND NOT r.spam {}",
            if lock { "FOR UPDATE OF r" } else { "" }
        ))
        .await?;
    for reference in meant {
        if let Some(r) = c.query_opt(&statement, &[reference]).await? {
            return Ok(Some((r.try_get(13)?, stored_report(&r)?)));
        }
    }
    Ok(None)
}

/// What the report stored under an idempotency key answers a sending of it: its receipt
/// again (with a status token of its own) when the fields are the same.
async fn answer_again(
    c: &impl GenericClient,
    earlier: &Row,
    request_sha256: &str,
) -> Result<SubmitOutcome, StoreError> {
    let id: i64 = earlier.try_get(0)?;
    let stored_sha256: Option<String> = earlier.try_get(3)?;
    if stored_sha256.is_some_and(|stored| stored != request_sha256) {
        return Ok(SubmitOutcome::KeyReused);
    }
    // The first receipt's token is kept only as a digest: a resend gets a token of its own.
    let status_token = issue_token(c, id).await?;
    Ok(SubmitOutcome::Stored {
        reference: earlier.try_get(1)?,
        status: status_of(earlier.try_get(2)?)?,
        status_token,
    })
}

const BY_KEY: &str =
    "SELECT id, reference, status, request_sha256 FROM reports WHERE idempotency_key = $1";

impl PostgresStore {
    /// See [`crate::Store::submit_report`]. Two nodes sent the same key at once both insert
    /// with `ON CONFLICT DO NOTHING`: the second waits for the first's commit, inserts
    /// nothing, and answers the first's report.
    pub async fn submit_report(&self, report: ReportRequest) -> Result<SubmitOutcome, StoreError> {
        let fields = ReportFields::of(&report);
        let request_sha256 = digest(&fields);
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let by_key = tx.prepare_cached(BY_KEY).await?;
        if let Some(earlier) = tx.query_opt(&by_key, &[&report.idempotency_key]).await? {
            let outcome = answer_again(&tx, &earlier, &request_sha256).await?;
            tx.commit().await?;
            return Ok(outcome);
        }
        let Some(article_id) = articles::live_article_id(&tx, fields.article_slug).await? else {
            return Ok(SubmitOutcome::UnknownArticle);
        };
        let spam = report.is_from_bot();
        // What the honeypot caught keeps its reference and key, not what a bot wrote.
        let (passage, wrong, correction, source, email) = if spam {
            ("", "", "", None, None)
        } else {
            (
                fields.quoted_passage,
                fields.what_is_wrong,
                fields.correction,
                fields.source_url,
                fields.email,
            )
        };
        let insert = tx
            .prepare_cached(
                "INSERT INTO reports (reference, idempotency_key, request_sha256, spam,
                   article_id, quoted_passage, what_is_wrong, correction, source_url, email)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                 ON CONFLICT DO NOTHING
                 RETURNING id",
            )
            .await?;
        for _ in 0..REFERENCE_DRAWS {
            let reference = new_reference()?;
            let inserted = tx
                .query_opt(
                    &insert,
                    &[
                        &reference,
                        &report.idempotency_key,
                        &request_sha256,
                        &spam,
                        &article_id,
                        &passage,
                        &wrong,
                        &correction,
                        &source,
                        &email,
                    ],
                )
                .await?;
            if let Some(inserted) = inserted {
                let status_token = issue_token(&tx, inserted.try_get(0)?).await?;
                tx.commit().await?;
                return Ok(SubmitOutcome::Stored {
                    reference,
                    status: ReportStatus::Received,
                    status_token,
                });
            }
            // Either the key was stored meanwhile (by another node) or the reference is taken.
            if let Some(earlier) = tx.query_opt(&by_key, &[&report.idempotency_key]).await? {
                let outcome = answer_again(&tx, &earlier, &request_sha256).await?;
                tx.commit().await?;
                return Ok(outcome);
            }
        }
        Err(StoreError::Randomness(format!(
            "{REFERENCE_DRAWS} report references drawn in a row were taken"
        )))
    }

    /// See [`crate::Store::report_count`].
    pub async fn report_count(&self) -> Result<u32, StoreError> {
        let rows = self
            .rows("SELECT COUNT(*) FROM reports WHERE NOT spam", &[])
            .await?;
        rows.first().map_or(Ok(0), count)
    }

    /// See [`crate::Store::reports`].
    pub async fn reports(
        &self,
        status: Option<ReportStatus>,
    ) -> Result<Vec<StoredReport>, StoreError> {
        let rows = self
            .rows(
                &format!(
                    "SELECT {REPORT_COLUMNS} FROM reports r JOIN articles a ON a.id = r.article_id
                     WHERE NOT r.spam AND ($1::TEXT IS NULL OR r.status = $1)
                     ORDER BY r.id DESC"
                ),
                &[&status.map(ReportStatus::as_str)],
            )
            .await?;
        rows.iter().map(stored_report).collect()
    }

    /// See [`crate::Store::report`].
    pub async fn report(&self, meant: Vec<String>) -> Result<Option<StoredReport>, StoreError> {
        let client = self.client().await?;
        Ok(find_report(&client, &meant, false)
            .await?
            .map(|(_, report)| report))
    }

    /// See [`crate::Store::accept_report`] and [`crate::Store::decline_report`].
    pub async fn decide_report(
        &self,
        meant: Vec<String>,
        reason: Option<String>,
    ) -> Result<DecisionOutcome, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let found = find_report(&tx, &meant, true).await?;
        let decision = match editorial_rules::decide(found, reason.as_deref()) {
            Deciding::Write(decision) => decision,
            Deciding::Answer(outcome) => return Ok(*outcome),
        };
        tx.execute(
            &format!(
                "UPDATE reports SET status = $1, decline_reason = $2, decided_at = {NOW}
                 WHERE id = $3"
            ),
            &[&decision.status.as_str(), &reason, &decision.id],
        )
        .await?;
        let found = find_report(&tx, std::slice::from_ref(&decision.reference), false).await?;
        tx.commit().await?;
        Ok(editorial_rules::decided(found))
    }
}
