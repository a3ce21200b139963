//! Copying a whole database from one store into another (SQLite into PostgreSQL, when a
//! newsroom moves to several API nodes): every row of every table, ids, references, tokens'
//! digests and times kept, so readers' status links and editors' references go on working.

use crate::{Store, StoreError};

/// What a column holds, for reading and writing it the same way on both backends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Integer,
    Text,
    /// SQLite keeps it as 0 or 1, PostgreSQL as a boolean.
    Boolean,
    Bytes,
}

/// One value of a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Value {
    Null,
    Integer(i64),
    Text(String),
    Boolean(bool),
    Bytes(Vec<u8>),
}

/// A table as copied: its name, its columns (the first is its key, rows are read in its
/// order), and whether its first column is an id the database draws.
pub(crate) struct Table {
    pub name: &'static str,
    pub columns: &'static [(&'static str, Kind)],
    pub drawn_id: bool,
}

use Kind::{Boolean, Bytes, Integer, Text};

/// Every table, parents before the tables that refer to them.
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "sections",
        columns: &[("id", Integer), ("slug", Text), ("name", Text)],
        drawn_id: true,
    },
    Table {
        name: "articles",
        columns: &[
            ("id", Integer),
            ("slug", Text),
            ("headline", Text),
            ("standfirst", Text),
            ("section_id", Integer),
            ("published_at", Text),
            ("updated_at", Text),
            ("featured", Boolean),
            ("credit", Text),
            ("audio_url", Text),
            ("audio_duration_seconds", Integer),
            ("body_json", Text),
            ("reading_time_minutes", Integer),
            ("withdrawn_at", Text),
        ],
        drawn_id: true,
    },
    Table {
        name: "related_articles",
        columns: &[
            ("article_id", Integer),
            ("position", Integer),
            ("related_slug", Text),
        ],
        drawn_id: false,
    },
    Table {
        name: "site",
        columns: &[
            ("id", Integer),
            ("name", Text),
            ("motto", Text),
            ("tagline", Text),
            ("ai_disclaimer", Text),
        ],
        drawn_id: false,
    },
    Table {
        name: "corrections",
        columns: &[
            ("id", Integer),
            ("article_id", Integer),
            ("passage", Text),
            ("replacement", Text),
            ("note", Text),
            ("published_at", Text),
        ],
        drawn_id: true,
    },
    Table {
        name: "article_versions",
        columns: &[
            ("id", Integer),
            ("article_id", Integer),
            ("correction_id", Integer),
            ("body_json", Text),
            ("replaced_at", Text),
        ],
        drawn_id: true,
    },
    Table {
        name: "reports",
        columns: &[
            ("id", Integer),
            ("reference", Text),
            ("idempotency_key", Text),
            ("request_sha256", Text),
            ("spam", Boolean),
            ("article_id", Integer),
            ("quoted_passage", Text),
            ("what_is_wrong", Text),
            ("correction", Text),
            ("source_url", Text),
            ("email", Text),
            ("status", Text),
            ("created_at", Text),
            ("decided_at", Text),
            ("decline_reason", Text),
            ("correction_id", Integer),
        ],
        drawn_id: true,
    },
    Table {
        name: "report_status_tokens",
        columns: &[
            ("id", Integer),
            ("report_id", Integer),
            ("token_sha256", Bytes),
            ("created_at", Text),
        ],
        drawn_id: true,
    },
    Table {
        name: "newsletter_subscribers",
        columns: &[
            ("id", Integer),
            ("email", Text),
            ("created_at", Text),
            ("unsubscribe_token", Text),
        ],
        drawn_id: true,
    },
];

impl Table {
    /// `SELECT` of every column, in key order.
    pub fn select(&self) -> String {
        let columns: Vec<&str> = self.columns.iter().map(|(name, _)| *name).collect();
        let order = if self.name == "related_articles" {
            "article_id, position"
        } else {
            "id"
        };
        format!(
            "SELECT {} FROM {} ORDER BY {order}",
            columns.join(", "),
            self.name
        )
    }
}

/// Every row of every table of [`TABLES`], in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Snapshot {
    pub tables: Vec<Vec<Vec<Value>>>,
}

/// What a copy moved, table by table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyReport {
    /// Rows copied, by table name, in the order the tables were copied.
    pub rows: Vec<(&'static str, usize)>,
}

impl std::fmt::Display for CopyReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let counts: Vec<String> = self
            .rows
            .iter()
            .map(|(table, rows)| format!("{table}: {rows}"))
            .collect();
        write!(f, "{}", counts.join(", "))
    }
}

impl Store {
    /// Copies everything this store holds into `target`, a PostgreSQL database that holds
    /// nothing yet (no article, report or sign-up; a freshly migrated one), in one
    /// transaction: all of it or, on any failure, nothing. Ids, references, status tokens'
    /// digests and times are kept. The source is only read.
    pub async fn copy_into(&self, target: &Store) -> Result<CopyReport, StoreError> {
        let crate::Backend::Postgres(postgres) = &*target.backend else {
            return Err(StoreError::Config(
                "a copy goes into a PostgreSQL database (`--to postgres://…`)".into(),
            ));
        };
        let snapshot = self.snapshot().await?;
        postgres.restore(&snapshot).await?;
        Ok(CopyReport {
            rows: TABLES
                .iter()
                .zip(&snapshot.tables)
                .map(|(table, rows)| (table.name, rows.len()))
                .collect(),
        })
    }

    /// Every row of every table.
    pub(crate) async fn snapshot(&self) -> Result<Snapshot, StoreError> {
        match &*self.backend {
            crate::Backend::Sqlite(s) => s.snapshot().await,
            crate::Backend::Postgres(s) => s.snapshot().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use budapest_post_contract::{Block, ReportRequest};

    use super::*;
    use crate::conformance::{article, TestStore};
    use crate::{NewCorrection, SubmitOutcome};

    fn report(key: &str, email: Option<&str>, website: Option<&str>) -> ReportRequest {
        ReportRequest {
            article_slug: "an-article".into(),
            quoted_passage: "fFreign".into(),
            what_is_wrong: "A typo.".into(),
            correction: "Foreign".into(),
            email: email.map(str::to_owned),
            website: website.map(str::to_owned),
            idempotency_key: key.into(),
            ..Default::default()
        }
    }

    /// A SQLite database with something in every table; answers a report's reference and its
    /// status token.
    async fn everything(store: &TestStore) -> (String, String) {
        let mut corrected = article("an-article", "Europe", &["another"]);
        corrected.body = vec![Block::Paragraph {
            text: "The Russian fFreign Ministry spoke.".into(),
            inlines: vec![],
        }];
        let folder = |articles| crate::Content {
            site: crate::SiteSettings {
                masthead: budapest_post_contract::Site {
                    name: "Budapest Post".into(),
                    motto: "M".into(),
                    tagline: "T".into(),
                },
                ai_disclaimer: "D".into(),
            },
            articles,
        };
        let another = article("another", "World", &[]);
        let withdrawn = article("withdrawn", "World", &[]);
        store
            .load_content(folder(vec![corrected.clone(), another.clone(), withdrawn]))
            .await
            .unwrap();
        // Taken out of the folder: withdrawn, its row kept.
        store
            .load_content(folder(vec![corrected, another]))
            .await
            .unwrap();
        let SubmitOutcome::Stored {
            reference,
            status_token,
            ..
        } = store
            .submit_report(report("key-copy-00000001", Some("a@b.co"), None))
            .await
            .unwrap()
        else {
            panic!("not stored")
        };
        store
            .submit_report(report("key-copy-00000002", None, None))
            .await
            .unwrap();
        store
            .submit_report(report("key-copy-bot-0001", None, Some("spam")))
            .await
            .unwrap();
        store
            .publish_correction(NewCorrection {
                article_slug: "an-article".into(),
                passage: "fFreign".into(),
                replacement: "Foreign".into(),
                note: "A typo was corrected.".into(),
                reports: vec![reference.clone()],
            })
            .await
            .unwrap()
            .unwrap();
        store.subscribe("Reader@Example.com").await.unwrap();
        (reference, status_token)
    }

    #[tokio::test]
    async fn a_sqlite_database_is_copied_into_postgresql_whole_and_goes_on_working() {
        let sqlite = TestStore::sqlite().await;
        let (reference, token) = everything(&sqlite).await;
        let mut kept = sqlite.snapshot().await.unwrap();
        let postgres = TestStore::postgres("copy").await;
        let copied = sqlite.copy_into(&postgres).await.unwrap();
        let rows: Vec<usize> = copied.rows.iter().map(|(_, n)| *n).collect();
        assert!(
            rows.iter().all(|n| *n > 0),
            "every table had rows: {copied}"
        );

        let source = sqlite.snapshot().await.unwrap();
        assert_eq!(source, kept, "the source is only read");
        kept = postgres.snapshot().await.unwrap();
        assert_eq!(kept, source, "every row, as it was");
        assert_eq!(
            postgres.article("an-article").await.unwrap(),
            sqlite.article("an-article").await.unwrap()
        );
        assert_eq!(
            postgres.correction_list().await.unwrap(),
            sqlite.correction_list().await.unwrap()
        );
        assert_eq!(
            postgres.reports(None).await.unwrap(),
            sqlite.reports(None).await.unwrap()
        );
        assert_eq!(
            postgres.report_outcome(&reference, &token).await.unwrap(),
            sqlite.report_outcome(&reference, &token).await.unwrap(),
            "the reporter's status link goes on working"
        );
        assert!(postgres
            .report_outcome(&reference, &token)
            .await
            .unwrap()
            .is_some());

        // New rows get new ids, after the copied ones.
        assert!(matches!(
            postgres
                .submit_report(report("key-copy-00000003", None, None))
                .await
                .unwrap(),
            SubmitOutcome::Stored { .. }
        ));
        assert!(postgres.subscribe("new@example.com").await.unwrap());
        assert_eq!(postgres.report_count().await.unwrap(), 3);

        // Into a database that holds something, or into SQLite: refused, nothing changed.
        let before = postgres.snapshot().await.unwrap();
        assert!(matches!(
            sqlite.copy_into(&postgres).await,
            Err(StoreError::Config(_))
        ));
        assert_eq!(postgres.snapshot().await.unwrap(), before);
        let other_sqlite = TestStore::sqlite().await;
        assert!(matches!(
            sqlite.copy_into(&other_sqlite).await,
            Err(StoreError::Config(_))
        ));
    }
}
