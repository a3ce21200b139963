//! Published corrections: publishing one (the article's text, its earlier version, the
//! reports it answers, in one transaction), what readers and editors see of them, and the
//! corrections the content loader applies again.

use std::collections::HashMap;

use budapest_post_contract::{Block, Correction, CorrectionEntry, CorrectionList};
use deadpool_postgres::GenericClient;

use super::articles::{summary_from_row, SUMMARY_COLUMNS};
use super::reports::find_report;
use super::{small, PostgresStore};
use crate::editorial_rules::answerable_by_correction;
use crate::reapply::Applied;
use crate::references::references_meant;
use crate::{replace_once, CorrectionRefused, NewCorrection, StoreError, StoredCorrection};

/// Now, as the store writes times: RFC 3339 in UTC, to the second.
pub(super) const NOW: &str = "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";

/// Every published correction, by the slug of its article, oldest first.
pub(super) async fn applied_by_slug(
    c: &impl GenericClient,
) -> Result<HashMap<String, Vec<Applied>>, StoreError> {
    let statement = c
        .prepare_cached(
            "SELECT a.slug, c.passage, c.replacement, c.published_at
             FROM corrections c JOIN articles a ON a.id = c.article_id ORDER BY c.id",
        )
        .await?;
    let mut by_slug: HashMap<String, Vec<Applied>> = HashMap::new();
    for r in c.query(&statement, &[]).await? {
        by_slug.entry(r.try_get(0)?).or_default().push(Applied {
            passage: r.try_get(1)?,
            replacement: r.try_get(2)?,
            published_at: r.try_get(3)?,
        });
    }
    Ok(by_slug)
}

pub(super) fn correction_of(
    r: &tokio_postgres::Row,
    from: usize,
) -> Result<Correction, StoreError> {
    Ok(Correction {
        id: small(r.try_get(from)?)?,
        note: r.try_get(from + 1)?,
        published_at: r.try_get(from + 2)?,
    })
}

/// The text of block `index` of `body`, or nothing.
fn block_text(body: &[Block], index: usize) -> String {
    body.get(index).map(Block::plain_text).unwrap_or_default()
}

impl PostgresStore {
    /// See [`crate::Store::publish_correction`].
    pub async fn publish_correction(
        &self,
        new: NewCorrection,
    ) -> Result<Result<u32, CorrectionRefused>, StoreError> {
        let note = new.note.trim();
        if note.is_empty() {
            return Ok(Err(CorrectionRefused::BlankNote));
        }
        let slug = new.article_slug.trim();
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // The article's row stays locked until the commit: two corrections of one article,
        // from two nodes, apply one after the other, each to the other's result.
        let article = tx
            .query_opt(
                "SELECT id, body_json FROM articles WHERE slug = $1 AND withdrawn_at IS NULL
                 FOR UPDATE",
                &[&slug],
            )
            .await?;
        let Some(article) = article else {
            return Ok(Err(CorrectionRefused::UnknownArticle(slug.to_owned())));
        };
        let article_id: i64 = article.try_get(0)?;
        let body_json: String = article.try_get(1)?;
        let body: Vec<Block> = serde_json::from_str(&body_json)?;
        let replaced = match replace_once(&body, &new.passage, &new.replacement) {
            Ok(replaced) => replaced,
            Err(reason) => return Ok(Err(reason.into())),
        };
        let mut report_ids = Vec::new();
        for typed in &new.reports {
            let meant = references_meant(typed).unwrap_or_default();
            let found = find_report(&tx, &meant, true).await?;
            match answerable_by_correction(typed, found, slug) {
                Ok(id) => report_ids.push(id),
                Err(refused) => return Ok(Err(refused)),
            }
        }
        let inserted = tx
            .query_one(
                &format!(
                    "INSERT INTO corrections (article_id, passage, replacement, note, published_at)
                     VALUES ($1, $2, $3, $4, {NOW})
                     RETURNING id, published_at"
                ),
                &[&article_id, &new.passage, &new.replacement, &note],
            )
            .await?;
        let correction_id: i64 = inserted.try_get(0)?;
        let published_at: String = inserted.try_get(1)?;
        tx.execute(
            "INSERT INTO article_versions (article_id, correction_id, body_json, replaced_at)
             VALUES ($1, $2, $3, $4)",
            &[&article_id, &correction_id, &body_json, &published_at],
        )
        .await?;
        tx.execute(
            "UPDATE articles SET body_json = $1, reading_time_minutes = $2, updated_at = $3
             WHERE id = $4",
            &[
                &serde_json::to_string(&replaced.body)?,
                &i64::from(budapest_post_contract::reading_time_minutes(&replaced.body)),
                &published_at,
                &article_id,
            ],
        )
        .await?;
        let mark = tx
            .prepare_cached(
                "UPDATE reports SET status = 'corrected', correction_id = $1,
                   decline_reason = NULL, decided_at = $2
                 WHERE id = $3",
            )
            .await?;
        for id in report_ids {
            tx.execute(&mark, &[&correction_id, &published_at, &id])
                .await?;
        }
        tx.commit().await?;
        self.note_generation(&client).await;
        Ok(Ok(small(correction_id)?))
    }

    /// See [`crate::Store::stored_corrections`]; only correction `only` when given.
    pub async fn stored_corrections(
        &self,
        only: Option<u32>,
    ) -> Result<Vec<StoredCorrection>, StoreError> {
        let only = only.map(i64::from);
        let rows = self
            .rows(
                "SELECT c.id, a.slug, a.headline, c.passage, c.replacement, c.note,
                        c.published_at, v.body_json
                 FROM corrections c JOIN articles a ON a.id = c.article_id
                 LEFT JOIN article_versions v ON v.correction_id = c.id
                 WHERE $1::BIGINT IS NULL OR c.id = $1
                 ORDER BY c.published_at DESC, c.id DESC",
                &[&only],
            )
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let id: i64 = r.try_get(0)?;
            let mut correction = StoredCorrection {
                id: small(id)?,
                article_slug: r.try_get(1)?,
                headline: r.try_get(2)?,
                passage: r.try_get(3)?,
                replacement: r.try_get(4)?,
                note: r.try_get(5)?,
                published_at: r.try_get(6)?,
                reports: Vec::new(),
                reporter_emails: Vec::new(),
                block_before: String::new(),
                block_after: String::new(),
            };
            let answered = self
                .rows(
                    "SELECT reference, email FROM reports WHERE correction_id = $1 ORDER BY id",
                    &[&id],
                )
                .await?;
            for answer in answered {
                correction.reports.push(answer.try_get(0)?);
                correction
                    .reporter_emails
                    .extend(answer.try_get::<_, Option<String>>(1)?);
            }
            if let Some(before) = r.try_get::<_, Option<String>>(7)? {
                let before: Vec<Block> = serde_json::from_str(&before)?;
                if let Ok(after) =
                    replace_once(&before, &correction.passage, &correction.replacement)
                {
                    correction.block_before = block_text(&before, after.block_index);
                    correction.block_after = block_text(&after.body, after.block_index);
                }
            }
            out.push(correction);
        }
        Ok(out)
    }

    /// See [`crate::Store::correction_list`].
    pub async fn correction_list(&self) -> Result<CorrectionList, StoreError> {
        let rows = self
            .rows(
                &format!(
                    "SELECT {SUMMARY_COLUMNS}, c.id, c.note, c.published_at
                     FROM corrections c JOIN articles a ON a.id = c.article_id
                     JOIN sections s ON s.id = a.section_id
                     WHERE a.withdrawn_at IS NULL
                     ORDER BY c.published_at DESC, c.id DESC"
                ),
                &[],
            )
            .await?;
        let corrections = rows
            .iter()
            .map(|r| {
                Ok(CorrectionEntry {
                    article: summary_from_row(r)?,
                    correction: correction_of(r, 7)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(CorrectionList { corrections })
    }
}
