//! The schema, one migration per step, and what a step must compute in Rust.

use rusqlite::Transaction;
use rusqlite_migration::{HookError, HookResult, Migrations, M};

use crate::references::new_token;
use crate::report_fields::{digest, ReportFields};

/// The schema, one migration per step; applied in order, each once, each in one transaction.
pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("migrations/0001_initial.sql")),
        M::up_with_hook(
            include_str!("migrations/0002_hardening.sql"),
            backfill_digests_and_tokens,
        ),
        M::up(include_str!("migrations/0003_corrections.sql")),
        M::up(include_str!("migrations/0004_report_status_tokens.sql")),
    ])
}

/// The schema version the migrations end at (SQLite's `user_version`).
pub fn latest_schema_version() -> i64 {
    4
}

/// Gives the reports stored before 0002 the digest of what was sent (so a resent report is
/// told apart from a different one under the same key) and the sign-ups their unsubscribe
/// tokens.
fn backfill_digests_and_tokens(tx: &Transaction) -> HookResult {
    let mut reports = tx.prepare(
        "SELECT r.id, a.slug, r.quoted_passage, r.what_is_wrong, r.correction, r.source_url,
                r.email
         FROM reports r JOIN articles a ON a.id = r.article_id
         WHERE r.request_sha256 IS NULL",
    )?;
    let rows = reports
        .query_map([], |r| {
            let fields = (
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
            );
            Ok((r.get::<_, i64>(0)?, fields))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    for (id, (slug, passage, wrong, correction, source, email)) in rows {
        let fields = ReportFields {
            article_slug: &slug,
            quoted_passage: &passage,
            what_is_wrong: &wrong,
            correction: &correction,
            source_url: source.as_deref(),
            email: email.as_deref(),
        };
        tx.execute(
            "UPDATE reports SET request_sha256 = ?1 WHERE id = ?2",
            rusqlite::params![digest(&fields), id],
        )?;
    }
    let ids = tx
        .prepare("SELECT id FROM newsletter_subscribers WHERE unsubscribe_token IS NULL")?
        .query_map([], |r| r.get::<_, i64>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    for id in ids {
        let token = new_token().map_err(|e| HookError::Hook(e.to_string()))?;
        tx.execute(
            "UPDATE newsletter_subscribers SET unsubscribe_token = ?1 WHERE id = ?2",
            rusqlite::params![token, id],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    #[test]
    fn migrations_are_valid() {
        assert!(migrations().validate().is_ok());
    }

    #[test]
    fn a_version_1_database_keeps_its_reports_references_and_sign_ups() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite3");
        let mut old = Connection::open(&path).unwrap();
        Migrations::new(vec![M::up(include_str!("migrations/0001_initial.sql"))])
            .to_latest(&mut old)
            .unwrap();
        old.execute_batch(
            "INSERT INTO sections (slug, name) VALUES ('europe', 'Europe');
             INSERT INTO articles (slug, headline, section_id, published_at)
               VALUES ('an-article', 'A headline', 1, '2021-12-17T14:30:00Z');
             INSERT INTO reports (idempotency_key, article_id, quoted_passage, what_is_wrong,
               correction, email) VALUES ('old-key-0000000001', 1, 'P', 'W', 'C', 'a@b.co');
             INSERT INTO reports (idempotency_key, article_id, quoted_passage, what_is_wrong,
               correction) VALUES ('old-key-0000000002', 1, 'P2', 'W2', 'C2');
             INSERT INTO newsletter_subscribers (email) VALUES ('reader@example.com');",
        )
        .unwrap();
        drop(old);

        let mut migrated = Connection::open(&path).unwrap();
        migrations().to_latest(&mut migrated).unwrap();
        let references: Vec<(String, String)> = migrated
            .prepare("SELECT reference, request_sha256 FROM reports ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            references[0].0, "BP-000001",
            "readers keep their references"
        );
        assert_eq!(references[1].0, "BP-000002");
        let expected = digest(&ReportFields {
            article_slug: "an-article",
            quoted_passage: "P",
            what_is_wrong: "W",
            correction: "C",
            source_url: None,
            email: Some("a@b.co"),
        });
        assert_eq!(references[0].1, expected);
        let token: String = migrated
            .query_row(
                "SELECT unsubscribe_token FROM newsletter_subscribers",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(token.len(), crate::references::TOKEN_CHARS);
    }

    #[test]
    fn resolved_reports_become_declined_and_received_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v2.sqlite3");
        let mut old = Connection::open(&path).unwrap();
        Migrations::new(vec![
            M::up(include_str!("migrations/0001_initial.sql")),
            M::up(include_str!("migrations/0002_hardening.sql")),
        ])
        .to_latest(&mut old)
        .unwrap();
        old.execute_batch(
            "INSERT INTO sections (slug, name) VALUES ('europe', 'Europe');
             INSERT INTO articles (slug, headline, section_id, published_at)
               VALUES ('an-article', 'A headline', 1, '2021-12-17T14:30:00Z');
             INSERT INTO reports (reference, idempotency_key, article_id, quoted_passage,
               what_is_wrong, correction, status, resolved_at)
               VALUES ('BP-AAAAAAAA', 'key-0000000000000001', 1, 'P', 'W', 'C', 'resolved',
                 '2022-01-01T00:00:00Z');
             INSERT INTO reports (reference, idempotency_key, article_id, quoted_passage,
               what_is_wrong, correction)
               VALUES ('BP-BBBBBBBB', 'key-0000000000000002', 1, 'P', 'W', 'C');",
        )
        .unwrap();
        drop(old);

        let mut migrated = Connection::open(&path).unwrap();
        migrations().to_latest(&mut migrated).unwrap();
        let rows: Vec<(String, String, Option<String>)> = migrated
            .prepare("SELECT reference, status, decided_at FROM reports ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            rows,
            [
                (
                    "BP-AAAAAAAA".to_owned(),
                    "declined".to_owned(),
                    Some("2022-01-01T00:00:00Z".to_owned())
                ),
                ("BP-BBBBBBBB".to_owned(), "received".to_owned(), None),
            ]
        );
    }
}
