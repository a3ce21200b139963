//! What is stored about one email address, and forgetting it: on request (the editors'
//! `readers export` and `readers forget`) and after the retention period.

use super::reports::{stored_report, REPORT_COLUMNS};
use super::PostgresStore;
use crate::{ForgetReport, NewsletterEntry, ReaderData, RetentionReport, StoreError};

/// The time `days` days ago, as the store writes times.
const DAYS_AGO: &str =
    "to_char((now() - make_interval(days => $1)) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";

impl PostgresStore {
    /// See [`crate::Store::reader_data`].
    pub async fn reader_data(&self, email: String) -> Result<ReaderData, StoreError> {
        let email = email.trim();
        let reports = self
            .rows(
                &format!(
                    "SELECT {REPORT_COLUMNS} FROM reports r JOIN articles a ON a.id = r.article_id
                     WHERE lower(r.email COLLATE \"C\") = lower($1::text COLLATE \"C\") ORDER BY r.id"
                ),
                &[&email],
            )
            .await?
            .iter()
            .map(stored_report)
            .collect::<Result<_, _>>()?;
        let newsletter = match self
            .row(
                "SELECT email, created_at, unsubscribe_token FROM newsletter_subscribers
                 WHERE lower(email COLLATE \"C\") = lower($1::text COLLATE \"C\")",
                &[&email],
            )
            .await?
        {
            Some(r) => Some(NewsletterEntry {
                email: r.try_get(0)?,
                subscribed_at: r.try_get(1)?,
                unsubscribe_token: r.try_get(2)?,
            }),
            None => None,
        };
        Ok(ReaderData {
            email: email.to_owned(),
            reports,
            newsletter,
        })
    }

    /// See [`crate::Store::forget_reader`].
    pub async fn forget_reader(&self, email: String) -> Result<ForgetReport, StoreError> {
        let email = email.trim();
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let reports = tx
            .execute(
                "UPDATE reports SET email = NULL WHERE lower(email COLLATE \"C\") = lower($1::text COLLATE \"C\")",
                &[&email],
            )
            .await?;
        let newsletter = tx
            .execute(
                "DELETE FROM newsletter_subscribers WHERE lower(email COLLATE \"C\") = lower($1::text COLLATE \"C\")",
                &[&email],
            )
            .await?;
        tx.commit().await?;
        Ok(ForgetReport {
            reports: usize::try_from(reports).unwrap_or(usize::MAX),
            newsletter: newsletter > 0,
        })
    }

    /// See [`crate::Store::forget_old_emails`].
    pub async fn forget_old_emails(&self, days: u32) -> Result<RetentionReport, StoreError> {
        let days = i32::try_from(days).unwrap_or(i32::MAX);
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let emails_cleared = tx
            .execute(
                &format!(
                    "UPDATE reports SET email = NULL
                     WHERE email IS NOT NULL AND created_at < {DAYS_AGO}"
                ),
                &[&days],
            )
            .await?;
        let spam_removed = tx
            .execute(
                &format!("DELETE FROM reports WHERE spam AND created_at < {DAYS_AGO}"),
                &[&days],
            )
            .await?;
        tx.commit().await?;
        Ok(RetentionReport {
            emails_cleared: usize::try_from(emails_cleared).unwrap_or(usize::MAX),
            spam_removed: usize::try_from(spam_removed).unwrap_or(usize::MAX),
        })
    }
}
