//! The newsletter list: sign-ups, each with an unsubscribe token, and their removal.

use rusqlite::{Connection, OptionalExtension};

use super::SqliteStore;
use crate::references::new_token;
use crate::StoreError;

fn subscribe(c: &Connection, email: &str) -> Result<bool, StoreError> {
    // A token is drawn even for an address already on the list (which keeps its own), so
    // both take the same work. Two tokens of 160 random bits never meet.
    let token = new_token()?;
    let inserted = c.execute(
        "INSERT INTO newsletter_subscribers (email, unsubscribe_token) VALUES (?1, ?2)
         ON CONFLICT (email) DO NOTHING",
        [email.trim(), &token],
    )?;
    Ok(inserted == 1)
}

impl SqliteStore {
    /// See [`crate::Store::subscribe`].
    pub async fn subscribe(&self, email: String) -> Result<bool, StoreError> {
        self.with_writer(move |c| subscribe(c, &email)).await
    }

    /// See [`crate::Store::unsubscribe`].
    pub async fn unsubscribe(&self, token: String) -> Result<bool, StoreError> {
        self.with_writer(move |c| {
            let removed = c.execute(
                "DELETE FROM newsletter_subscribers WHERE unsubscribe_token = ?1",
                [token.trim()],
            )?;
            Ok(removed > 0)
        })
        .await
    }

    /// See [`crate::Store::remove_subscriber`].
    pub async fn remove_subscriber(&self, email: String) -> Result<bool, StoreError> {
        self.with_writer(move |c| {
            let removed = c.execute(
                "DELETE FROM newsletter_subscribers WHERE email = ?1",
                [email.trim()],
            )?;
            Ok(removed > 0)
        })
        .await
    }

    /// See [`crate::Store::unsubscribe_token`].
    pub async fn unsubscribe_token(&self, email: String) -> Result<Option<String>, StoreError> {
        self.with_reader(move |c| {
            Ok(c.query_row(
                "SELECT unsubscribe_token FROM newsletter_subscribers WHERE email = ?1",
                [email.trim()],
                |r| r.get(0),
            )
            .optional()?)
        })
        .await
    }

    /// See [`crate::Store::subscriber_count`].
    pub async fn subscriber_count(&self) -> Result<u32, StoreError> {
        self.with_reader(|c| {
            Ok(
                c.query_row("SELECT COUNT(*) FROM newsletter_subscribers", [], |r| {
                    r.get(0)
                })?,
            )
        })
        .await
    }
}
