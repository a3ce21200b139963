//! Published corrections: publishing one (the article's text, its earlier version, the
//! reports it answers, in one transaction), what readers and editors see of them, and
//! applying them again to a body loaded from the content folder.

use std::collections::HashMap;

use budapest_post_contract::{Block, Correction, CorrectionEntry, CorrectionList};
use rusqlite::{params, Connection, OptionalExtension};

use super::articles::{summary_from_row, SUMMARY_COLUMNS};
use super::reports::find_report;
use super::{immediate, SqliteStore};
use crate::editorial_rules::answerable_by_correction;
use crate::reapply::Applied;
use crate::references::references_meant;
use crate::{replace_once, CorrectionRefused, NewCorrection, StoreError, StoredCorrection};

/// Every published correction, by the slug of its article, oldest first.
pub(super) fn applied_by_slug(c: &Connection) -> Result<HashMap<String, Vec<Applied>>, StoreError> {
    let mut statement = c.prepare(
        "SELECT a.slug, c.passage, c.replacement, c.published_at
         FROM corrections c JOIN articles a ON a.id = c.article_id ORDER BY c.id",
    )?;
    let mut by_slug: HashMap<String, Vec<Applied>> = HashMap::new();
    let rows = statement.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            Applied {
                passage: r.get(1)?,
                replacement: r.get(2)?,
                published_at: r.get(3)?,
            },
        ))
    })?;
    for row in rows {
        let (slug, applied) = row?;
        by_slug.entry(slug).or_default().push(applied);
    }
    Ok(by_slug)
}

/// The corrections of the article `article_id`, oldest first, as readers see them.
pub(super) fn of_article(c: &Connection, article_id: i64) -> Result<Vec<Correction>, StoreError> {
    let mut statement = c.prepare_cached(
        "SELECT id, note, published_at FROM corrections WHERE article_id = ?1 ORDER BY id",
    )?;
    let rows = statement.query_map([article_id], |r| {
        Ok(Correction {
            id: r.get(0)?,
            note: r.get(1)?,
            published_at: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn publish(
    c: &mut Connection,
    new: &NewCorrection,
) -> Result<Result<u32, CorrectionRefused>, StoreError> {
    let note = new.note.trim();
    if note.is_empty() {
        return Ok(Err(CorrectionRefused::BlankNote));
    }
    let tx = immediate(c)?;
    let article: Option<(i64, String)> = tx
        .query_row(
            "SELECT id, body_json FROM articles WHERE slug = ?1 AND withdrawn_at IS NULL",
            [new.article_slug.trim()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((article_id, body_json)) = article else {
        return Ok(Err(CorrectionRefused::UnknownArticle(
            new.article_slug.trim().to_owned(),
        )));
    };
    let body: Vec<Block> = serde_json::from_str(&body_json)?;
    let replaced = match replace_once(&body, &new.passage, &new.replacement) {
        Ok(replaced) => replaced,
        Err(reason) => return Ok(Err(reason.into())),
    };
    let mut report_ids = Vec::new();
    for typed in &new.reports {
        let meant = references_meant(typed).unwrap_or_default();
        let found = find_report(&tx, &meant)?;
        match answerable_by_correction(typed, found, new.article_slug.trim()) {
            Ok(id) => report_ids.push(id),
            Err(refused) => return Ok(Err(refused)),
        }
    }
    let (correction_id, published_at): (u32, String) = tx.query_row(
        "INSERT INTO corrections (article_id, passage, replacement, note, published_at)
         VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
         RETURNING id, published_at",
        params![article_id, new.passage, new.replacement, note],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    tx.execute(
        "INSERT INTO article_versions (article_id, correction_id, body_json, replaced_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![article_id, correction_id, body_json, published_at],
    )?;
    tx.execute(
        "UPDATE articles SET body_json = ?1, reading_time_minutes = ?2, updated_at = ?3
         WHERE id = ?4",
        params![
            serde_json::to_string(&replaced.body)?,
            budapest_post_contract::reading_time_minutes(&replaced.body),
            published_at,
            article_id
        ],
    )?;
    let mut mark = tx.prepare_cached(
        "UPDATE reports SET status = 'corrected', correction_id = ?1, decline_reason = NULL,
           decided_at = ?2
         WHERE id = ?3",
    )?;
    for id in report_ids {
        mark.execute(params![correction_id, published_at, id])?;
    }
    drop(mark);
    tx.commit()?;
    Ok(Ok(correction_id))
}

/// The text of block `index` of `body`, or nothing.
fn block_text(body: &[Block], index: usize) -> String {
    body.get(index).map(Block::plain_text).unwrap_or_default()
}

fn stored_corrections(
    c: &Connection,
    only: Option<u32>,
) -> Result<Vec<StoredCorrection>, StoreError> {
    let mut statement = c.prepare(
        "SELECT c.id, a.slug, a.headline, c.passage, c.replacement, c.note, c.published_at,
                v.body_json
         FROM corrections c JOIN articles a ON a.id = c.article_id
         LEFT JOIN article_versions v ON v.correction_id = c.id
         WHERE ?1 IS NULL OR c.id = ?1
         ORDER BY c.published_at DESC, c.id DESC",
    )?;
    let rows = statement
        .query_map([only], |r| {
            Ok((
                StoredCorrection {
                    id: r.get(0)?,
                    article_slug: r.get(1)?,
                    headline: r.get(2)?,
                    passage: r.get(3)?,
                    replacement: r.get(4)?,
                    note: r.get(5)?,
                    published_at: r.get(6)?,
                    reports: Vec::new(),
                    reporter_emails: Vec::new(),
                    block_before: String::new(),
                    block_after: String::new(),
                },
                r.get::<_, Option<String>>(7)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut reports = c.prepare_cached(
        "SELECT reference, email FROM reports WHERE correction_id = ?1 ORDER BY id",
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for (mut correction, before) in rows {
        let answered = reports
            .query_map([correction.id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        for (reference, email) in answered {
            correction.reports.push(reference);
            correction.reporter_emails.extend(email);
        }
        if let Some(before) = before {
            let before: Vec<Block> = serde_json::from_str(&before)?;
            if let Ok(after) = replace_once(&before, &correction.passage, &correction.replacement) {
                correction.block_before = block_text(&before, after.block_index);
                correction.block_after = block_text(&after.body, after.block_index);
            }
        }
        out.push(correction);
    }
    Ok(out)
}

fn correction_list(c: &Connection) -> Result<CorrectionList, StoreError> {
    let mut statement = c.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS}, c.id, c.note, c.published_at
         FROM corrections c JOIN articles a ON a.id = c.article_id
         JOIN sections s ON s.id = a.section_id
         WHERE a.withdrawn_at IS NULL
         ORDER BY c.published_at DESC, c.id DESC"
    ))?;
    let rows = statement.query_map([], |r| {
        Ok(CorrectionEntry {
            article: summary_from_row(r)?,
            correction: Correction {
                id: r.get(7)?,
                note: r.get(8)?,
                published_at: r.get(9)?,
            },
        })
    })?;
    Ok(CorrectionList {
        corrections: rows.collect::<Result<_, _>>()?,
    })
}

impl SqliteStore {
    /// See [`crate::Store::publish_correction`].
    pub async fn publish_correction(
        &self,
        correction: NewCorrection,
    ) -> Result<Result<u32, CorrectionRefused>, StoreError> {
        self.with_writer(move |c| publish(c, &correction)).await
    }

    /// See [`crate::Store::stored_corrections`]; only correction `only` when given.
    pub async fn stored_corrections(
        &self,
        only: Option<u32>,
    ) -> Result<Vec<StoredCorrection>, StoreError> {
        self.with_reader(move |c| stored_corrections(c, only)).await
    }

    /// See [`crate::Store::correction_list`].
    pub async fn correction_list(&self) -> Result<CorrectionList, StoreError> {
        self.with_reader(correction_list).await
    }
}
