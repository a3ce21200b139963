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
