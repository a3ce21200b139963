//! The newsletter list: sign-ups, each with an unsubscribe token, and their removal.

use super::{count, PostgresStore};
use crate::references::new_token;
use crate::StoreError;

impl PostgresStore {
    /// See [`crate::Store::subscribe`].
    pub async fn subscribe(&self, email: String) -> Result<bool, StoreError> {
        // A token is drawn even for an address already on the list (which keeps its own), so
        // both take the same work. Two tokens of 160 random bits never meet.
        let token = new_token()?;
        let inserted = self
            .execute(
                "INSERT INTO newsletter_subscribers (email, unsubscribe_token) VALUES ($1, $2)
                 ON CONFLICT ((lower(email COLLATE \"C\"))) DO NOTHING",
                &[&email.trim(), &token],
            )
            .await?;
        Ok(inserted == 1)
    }

    /// See [`crate::Store::unsubscribe`].
    pub async fn unsubscribe(&self, token: String) -> Result<bool, StoreError> {
        let removed = self
            .execute(
                "DELETE FROM newsletter_subscribers WHERE unsubscribe_token = $1",
                &[&token.trim()],
            )
            .await?;
        Ok(removed > 0)
    }

    /// See [`crate::Store::remove_subscriber`].
    pub async fn remove_subscriber(&self, email: String) -> Result<bool, StoreError> {
        let removed = self
            .execute(
                "DELETE FROM newsletter_subscribers WHERE lower(email COLLATE \"C\") = lower($1::text COLLATE \"C\")",
                &[&email.trim()],
            )
            .await?;
        Ok(removed > 0)
    }

    /// See [`crate::Store::unsubscribe_token`].
    pub async fn unsubscribe_token(&self, email: String) -> Result<Option<String>, StoreError> {
        Ok(self
            .row(
                "SELECT unsubscribe_token FROM newsletter_subscribers
                 WHERE lower(email COLLATE \"C\") = lower($1::text COLLATE \"C\")",
                &[&email.trim()],
            )
            .await?
            .map(|r| r.try_get(0))
            .transpose()?)
    }

    /// See [`crate::Store::subscriber_count`].
    pub async fn subscriber_count(&self) -> Result<u32, StoreError> {
        let rows = self
            .rows("SELECT COUNT(*) FROM newsletter_subscribers", &[])
            .await?;
        rows.first().map_or(Ok(0), count)
    }
}
