//! Readers' inaccuracy reports: storing them once per idempotency key under a random
//! reference, and the editors' list and triage.

use budapest_post_contract::{ReportRequest, ReportStatus};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use sha2::{Digest, Sha256};

use super::{articles, immediate, SqliteStore};
use crate::references::new_reference;
use crate::{StoreError, StoredReport, SubmitOutcome};

/// A report's fields as they are stored and compared: free text trimmed, blank optional
/// fields absent.
pub(super) struct ReportFields<'a> {
    pub article_slug: &'a str,
    pub quoted_passage: &'a str,
    pub what_is_wrong: &'a str,
    pub correction: &'a str,
    pub source_url: Option<&'a str>,
    pub email: Option<&'a str>,
}

fn blank_to_none(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

impl<'a> ReportFields<'a> {
    pub fn of(report: &'a ReportRequest) -> Self {
        Self {
            article_slug: report.article_slug.trim(),
            quoted_passage: report.quoted_passage.trim(),
            what_is_wrong: report.what_is_wrong.trim(),
            correction: report.correction.trim(),
            source_url: blank_to_none(report.source_url.as_deref()),
            email: blank_to_none(report.email.as_deref()),
        }
    }
}

/// The SHA-256 (hex) of a report's fields in one unambiguous form, a JSON array, so two
/// sendings under one idempotency key are compared without keeping the text (the honeypot's
/// catches and reports whose address was forgotten are compared all the same).
pub(super) fn digest(fields: &ReportFields<'_>) -> String {
    let canonical = serde_json::json!([
        1,
        fields.article_slug,
        fields.quoted_passage,
        fields.what_is_wrong,
        fields.correction,
        fields.source_url,
        fields.email,
    ])
    .to_string();
    Sha256::digest(canonical.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
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
            "SELECT reference, status, request_sha256 FROM reports WHERE idempotency_key = ?1",
            [&report.idempotency_key],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    status_from_sql(&r.get::<_, String>(1)?)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            },
        )
        .optional()?;
    if let Some((reference, status, stored_sha256)) = earlier {
        return Ok(match stored_sha256 {
            Some(stored) if stored != request_sha256 => SubmitOutcome::KeyReused,
            _ => SubmitOutcome::Stored { reference, status },
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
    tx.commit()?;
    Ok(SubmitOutcome::Stored {
        reference,
        status: ReportStatus::Received,
    })
}

/// The columns [`stored_report`] reads, for `reports r JOIN articles a`.
pub(super) const REPORT_COLUMNS: &str = "r.reference, a.slug, a.withdrawn_at IS NOT NULL,
    r.quoted_passage, r.what_is_wrong, r.correction, r.source_url, r.email, r.status,
    r.created_at, r.resolved_at";

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
        resolved_at: r.get(10)?,
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

/// Resolves the first of `meant` that names a report; answers its reference.
fn resolve(c: &Connection, meant: &[String]) -> Result<Option<String>, StoreError> {
    for reference in meant {
        let changed = c.execute(
            "UPDATE reports SET status = 'resolved',
               resolved_at = COALESCE(resolved_at, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
             WHERE reference = ?1 AND NOT spam",
            [reference],
        )?;
        if changed == 1 {
            return Ok(Some(reference.clone()));
        }
    }
    Ok(None)
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

    /// See [`crate::Store::resolve_report`].
    pub async fn resolve_report(&self, meant: Vec<String>) -> Result<Option<String>, StoreError> {
        self.with_writer(move |c| resolve(c, &meant)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> ReportFields<'static> {
        ReportFields {
            article_slug: "an-article",
            quoted_passage: "P",
            what_is_wrong: "W",
            correction: "C",
            source_url: None,
            email: None,
        }
    }

    #[test]
    fn the_digest_tells_every_field_apart() {
        let base = digest(&fields());
        assert_eq!(base.len(), 64);
        assert_eq!(base, digest(&fields()));
        let changed = [
            ReportFields {
                correction: "C ",
                ..fields()
            },
            ReportFields {
                email: Some("a@b.co"),
                ..fields()
            },
            ReportFields {
                source_url: Some(""),
                ..fields()
            },
            // Text moved from one field to the next is another report.
            ReportFields {
                quoted_passage: "PW",
                what_is_wrong: "",
                ..fields()
            },
        ];
        for other in changed {
            assert_ne!(digest(&other), base);
        }
    }

    #[test]
    fn a_taken_reference_is_drawn_again() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("t.sqlite3"), &Default::default()).unwrap();
        let mut writer = store.lock_writer().unwrap();
        writer
            .execute_batch(
                "INSERT INTO sections (slug, name) VALUES ('s', 'S');
                 INSERT INTO articles (slug, headline, section_id, published_at)
                   VALUES ('an-article', 'A', 1, '2021-12-17T14:30:00Z');",
            )
            .unwrap();
        let tx = immediate(&mut writer).unwrap();
        let row = |key| NewRow {
            idempotency_key: key,
            request_sha256: "x",
            spam: false,
            article_id: 1,
            fields: fields(),
        };
        let first = insert_under_fresh_reference(&tx, &row("key-one-0000000001"), || {
            Ok("BP-AAAAAAAA".to_owned())
        })
        .unwrap();
        assert_eq!(first, "BP-AAAAAAAA");
        let mut draws = ["BP-AAAAAAAA", "BP-AAAAAAAA", "BP-BBBBBBBB"].into_iter();
        let second = insert_under_fresh_reference(&tx, &row("key-two-0000000002"), || {
            Ok(draws.next().unwrap().to_owned())
        })
        .unwrap();
        assert_eq!(second, "BP-BBBBBBBB", "the taken one was drawn again");
        let stuck = insert_under_fresh_reference(&tx, &row("key-three-00000003"), || {
            Ok("BP-AAAAAAAA".to_owned())
        });
        assert!(matches!(stuck, Err(StoreError::Randomness(_))));
    }

    async fn store_with_an_article(dir: &tempfile::TempDir) -> SqliteStore {
        let store = SqliteStore::open(&dir.path().join("t.sqlite3"), &Default::default()).unwrap();
        store
            .with_writer(|c| {
                Ok(c.execute_batch(
                    "INSERT INTO sections (slug, name) VALUES ('s', 'S');
                     INSERT INTO articles (slug, headline, section_id, published_at)
                       VALUES ('an-article', 'A', 1, '2021-12-17T14:30:00Z');",
                )?)
            })
            .await
            .unwrap();
        store
    }

    fn request(key: &str) -> ReportRequest {
        ReportRequest {
            article_slug: "an-article".into(),
            quoted_passage: "The Russian fFreign Ministry".into(),
            what_is_wrong: "A typo.".into(),
            correction: "The Russian Foreign Ministry".into(),
            email: Some("reader@example.com".into()),
            idempotency_key: key.into(),
            ..Default::default()
        }
    }

    fn reference(outcome: SubmitOutcome) -> String {
        match outcome {
            SubmitOutcome::Stored { reference, status } => {
                assert_eq!(status, ReportStatus::Received);
                reference
            }
            other => panic!("not stored: {other:?}"),
        }
    }

    #[tokio::test]
    async fn one_key_one_report_and_a_different_body_under_it_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_an_article(&dir).await;
        let first = reference(
            store
                .submit_report(request("key-same-00000001"))
                .await
                .unwrap(),
        );
        assert!(first.starts_with("BP-") && first.len() == 11, "{first}");
        // The same report, sent again (white space around fields is not a difference).
        let mut resent = request("key-same-00000001");
        resent.correction = format!("  {} ", resent.correction);
        resent.source_url = Some("  ".into());
        assert_eq!(reference(store.submit_report(resent).await.unwrap()), first);
        let mut edited = request("key-same-00000001");
        edited.correction = "The Russian Foreign Ministry said".into();
        assert_eq!(
            store.submit_report(edited).await.unwrap(),
            SubmitOutcome::KeyReused
        );
        // The first report is kept as it was, and its key still answers it after the
        // address is forgotten (the digest, not the stored text, is compared).
        let stored = store.reports(None).await.unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].correction, "The Russian Foreign Ministry");
        store
            .forget_reader("reader@example.com".into())
            .await
            .unwrap();
        assert_eq!(
            reference(
                store
                    .submit_report(request("key-same-00000001"))
                    .await
                    .unwrap()
            ),
            first
        );
        let second = reference(
            store
                .submit_report(request("key-other-0000001"))
                .await
                .unwrap(),
        );
        assert_ne!(second, first);
    }

    #[tokio::test]
    async fn the_honeypots_catch_gets_a_unique_reference_and_is_hidden() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_an_article(&dir).await;
        let real = reference(
            store
                .submit_report(request("key-real-00000001"))
                .await
                .unwrap(),
        );
        let mut bot = request("key-bot-000000001");
        bot.website = Some("http://spam.example".into());
        let caught = reference(store.submit_report(bot.clone()).await.unwrap());
        assert_ne!(caught, real);
        assert_eq!(caught.len(), real.len());
        assert_eq!(
            reference(store.submit_report(bot).await.unwrap()),
            caught,
            "a resent catch answers as a resent report does"
        );
        let next = reference(
            store
                .submit_report(request("key-real-00000002"))
                .await
                .unwrap(),
        );
        assert!(
            next != caught && next != real,
            "no reference is given twice"
        );
        assert_eq!(store.report_count().await.unwrap(), 2);
        let listed: Vec<String> = store
            .reports(None)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.reference)
            .collect();
        assert_eq!(listed, [next, real]);
        assert_eq!(
            store.resolve_report(vec![caught.clone()]).await.unwrap(),
            None,
            "editors cannot reach it"
        );
        let kept: (String, Option<String>) = store
            .with_reader(move |c| {
                Ok(c.query_row(
                    "SELECT quoted_passage, email FROM reports WHERE reference = ?1",
                    [&caught],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?)
            })
            .await
            .unwrap();
        assert_eq!(kept, (String::new(), None), "nothing a bot wrote is kept");
    }

    #[tokio::test]
    async fn editors_resolve_by_reference() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_an_article(&dir).await;
        let stored = reference(
            store
                .submit_report(request("key-resolve-000001"))
                .await
                .unwrap(),
        );
        let typed = stored.to_ascii_lowercase();
        let meant = crate::references_meant(&typed).unwrap();
        assert_eq!(
            store.resolve_report(meant).await.unwrap(),
            Some(stored.clone())
        );
        let listed = store.reports(Some(ReportStatus::Resolved)).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert!(listed[0].resolved_at.is_some());
        assert!(store
            .reports(Some(ReportStatus::Received))
            .await
            .unwrap()
            .is_empty());
        let unknown = crate::references_meant("BP-ZZZZZZZZ").unwrap();
        assert_eq!(store.resolve_report(unknown).await.unwrap(), None);
    }
}
