//! What is stored about one email address, and forgetting it: on request (the editors'
//! `readers export` and `readers forget`) and after the retention period.

use rusqlite::{Connection, OptionalExtension};

use super::reports::{stored_report, REPORT_COLUMNS};
use super::{immediate, SqliteStore};
use crate::{ForgetReport, NewsletterEntry, ReaderData, RetentionReport, StoreError};

fn reader_data(c: &Connection, email: &str) -> Result<ReaderData, StoreError> {
    let email = email.trim();
    let reports = c
        .prepare(&format!(
            "SELECT {REPORT_COLUMNS} FROM reports r JOIN articles a ON a.id = r.article_id
             WHERE r.email = ?1 COLLATE NOCASE ORDER BY r.id"
        ))?
        .query_map([email], stored_report)?
        .collect::<Result<_, _>>()?;
    let newsletter = c
        .query_row(
            "SELECT email, created_at, unsubscribe_token FROM newsletter_subscribers
             WHERE email = ?1",
            [email],
            |r| {
                Ok(NewsletterEntry {
                    email: r.get(0)?,
                    subscribed_at: r.get(1)?,
                    unsubscribe_token: r.get(2)?,
                })
            },
        )
        .optional()?;
    Ok(ReaderData {
        email: email.to_owned(),
        reports,
        newsletter,
    })
}

fn forget_reader(c: &mut Connection, email: &str) -> Result<ForgetReport, StoreError> {
    let email = email.trim();
    let tx = immediate(c)?;
    let reports = tx.execute(
        "UPDATE reports SET email = NULL WHERE email = ?1 COLLATE NOCASE",
        [email],
    )?;
    let newsletter = tx.execute(
        "DELETE FROM newsletter_subscribers WHERE email = ?1",
        [email],
    )?;
    tx.commit()?;
    Ok(ForgetReport {
        reports,
        newsletter: newsletter > 0,
    })
}

fn forget_old_emails(c: &mut Connection, days: u32) -> Result<RetentionReport, StoreError> {
    let age = format!("-{days} days");
    let tx = immediate(c)?;
    let emails_cleared = tx.execute(
        "UPDATE reports SET email = NULL
         WHERE email IS NOT NULL AND created_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?1)",
        [&age],
    )?;
    let spam_removed = tx.execute(
        "DELETE FROM reports
         WHERE spam AND created_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?1)",
        [&age],
    )?;
    tx.commit()?;
    Ok(RetentionReport {
        emails_cleared,
        spam_removed,
    })
}

impl SqliteStore {
    /// See [`crate::Store::reader_data`].
    pub async fn reader_data(&self, email: String) -> Result<ReaderData, StoreError> {
        self.with_reader(move |c| reader_data(c, &email)).await
    }

    /// See [`crate::Store::forget_reader`].
    pub async fn forget_reader(&self, email: String) -> Result<ForgetReport, StoreError> {
        self.with_writer(move |c| forget_reader(c, &email)).await
    }

    /// See [`crate::Store::forget_old_emails`].
    pub async fn forget_old_emails(&self, days: u32) -> Result<RetentionReport, StoreError> {
        self.with_writer(move |c| forget_old_emails(c, days)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sqlite::tests::store_with_an_article;
    use budapest_post_contract::ReportRequest;

    fn report(key: &str, email: Option<&str>) -> ReportRequest {
        ReportRequest {
            article_slug: "an-article".into(),
            quoted_passage: format!("Passage {key}"),
            what_is_wrong: "W".into(),
            correction: "C".into(),
            email: email.map(str::to_owned),
            idempotency_key: key.into(),
            ..Default::default()
        }
    }

    /// Makes every report look `days` old.
    async fn age_reports(store: &SqliteStore, days: u32) {
        store
            .with_writer(move |c| {
                Ok(c.execute(
                    "UPDATE reports SET created_at =
                       strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?1)",
                    [format!("-{days} days")],
                )?)
            })
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn everything_about_one_address_is_exported_and_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_an_article(&dir.path().join("t.sqlite3"), &Default::default()).await;
        for (key, email) in [
            ("key-reader-0000001", Some("reader@example.com")),
            ("key-reader-0000002", Some("READER@example.com")),
            ("key-other-00000001", Some("other@example.com")),
            ("key-anonymous-0001", None),
        ] {
            store.submit_report(report(key, email)).await.unwrap();
        }
        store.subscribe("Reader@Example.com".into()).await.unwrap();
        store.subscribe("other@example.com".into()).await.unwrap();

        let data = store
            .reader_data(" reader@example.com ".into())
            .await
            .unwrap();
        let passages: Vec<&str> = data
            .reports
            .iter()
            .map(|r| r.quoted_passage.as_str())
            .collect();
        assert_eq!(
            passages,
            ["Passage key-reader-0000001", "Passage key-reader-0000002"]
        );
        let entry = data.newsletter.unwrap();
        assert_eq!(entry.email, "Reader@Example.com");
        assert_eq!(
            entry.unsubscribe_token.len(),
            crate::references::TOKEN_CHARS
        );

        let forgotten = store
            .forget_reader("reader@EXAMPLE.com".into())
            .await
            .unwrap();
        assert_eq!(
            forgotten,
            ForgetReport {
                reports: 2,
                newsletter: true
            }
        );
        let after = store
            .reader_data("reader@example.com".into())
            .await
            .unwrap();
        assert!(after.reports.is_empty() && after.newsletter.is_none());
        // The reports themselves stay for the editors, without the address.
        let all = store.reports(None).await.unwrap();
        assert_eq!(all.len(), 4);
        let emails: Vec<Option<&str>> = all.iter().map(|r| r.email.as_deref()).collect();
        assert_eq!(emails, [None, Some("other@example.com"), None, None]);
        assert_eq!(store.subscriber_count().await.unwrap(), 1);
    }

    #[tokio::test]
    async fn old_addresses_and_old_spam_go_and_the_rest_stays() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_an_article(&dir.path().join("t.sqlite3"), &Default::default()).await;
        store
            .submit_report(report("key-old-0000000001", Some("old@example.com")))
            .await
            .unwrap();
        let mut bot = report("key-old-bot-000001", Some("bot@example.com"));
        bot.website = Some("spam".into());
        store.submit_report(bot).await.unwrap();
        age_reports(&store, 181).await;
        store
            .submit_report(report("key-new-0000000001", Some("new@example.com")))
            .await
            .unwrap();
        let spam = |store: &SqliteStore| {
            let store = store.clone();
            async move {
                store
                    .with_reader(|c| {
                        Ok(
                            c.query_row("SELECT COUNT(*) FROM reports WHERE spam", [], |r| {
                                r.get::<_, u32>(0)
                            })?,
                        )
                    })
                    .await
                    .unwrap()
            }
        };
        assert_eq!(spam(&store).await, 1);

        let report_of_run = store.forget_old_emails(180).await.unwrap();
        assert_eq!(
            report_of_run,
            RetentionReport {
                emails_cleared: 1,
                spam_removed: 1
            }
        );
        let kept = store.reports(None).await.unwrap();
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[0].email.as_deref(), Some("new@example.com"));
        assert_eq!(kept[1].email, None, "past the retention period");
        assert_eq!(kept[1].quoted_passage, "Passage key-old-0000000001");
        assert_eq!(spam(&store).await, 0);
        assert_eq!(
            store.forget_old_emails(180).await.unwrap(),
            RetentionReport::default(),
            "a second run finds nothing"
        );
    }
}
