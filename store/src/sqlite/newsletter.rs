//! The newsletter list: sign-ups, each with an unsubscribe token, and their removal.

use budapest_post_contract::SubscriptionStatus;
use rusqlite::{Connection, OptionalExtension};

use super::SqliteStore;
use crate::references::new_token;
use crate::StoreError;

fn subscribe(c: &Connection, email: &str) -> Result<SubscriptionStatus, StoreError> {
    // A token is drawn even for an address already on the list (which keeps its own), so
    // both take the same work. Two tokens of 160 random bits never meet.
    let token = new_token()?;
    let inserted = c.execute(
        "INSERT INTO newsletter_subscribers (email, unsubscribe_token) VALUES (?1, ?2)
         ON CONFLICT (email) DO NOTHING",
        [email.trim(), &token],
    )?;
    Ok(if inserted == 1 {
        SubscriptionStatus::Subscribed
    } else {
        SubscriptionStatus::AlreadySubscribed
    })
}

impl SqliteStore {
    /// See [`crate::Store::subscribe`].
    pub async fn subscribe(&self, email: String) -> Result<SubscriptionStatus, StoreError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn store(dir: &tempfile::TempDir) -> SqliteStore {
        SqliteStore::open(&dir.path().join("t.sqlite3"), &Default::default()).unwrap()
    }

    #[tokio::test]
    async fn each_address_is_listed_once_with_a_token_of_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(&dir);
        let first = store.subscribe("Reader@Example.com".into()).await.unwrap();
        assert_eq!(first, SubscriptionStatus::Subscribed);
        let token = store
            .unsubscribe_token("reader@example.com".into())
            .await
            .unwrap()
            .unwrap();
        let again = store
            .subscribe(" reader@example.COM ".into())
            .await
            .unwrap();
        assert_eq!(again, SubscriptionStatus::AlreadySubscribed);
        assert_eq!(
            store
                .unsubscribe_token("READER@example.com".into())
                .await
                .unwrap(),
            Some(token.clone()),
            "signing up again keeps the link already sent"
        );
        store.subscribe("other@example.com".into()).await.unwrap();
        let other = store
            .unsubscribe_token("other@example.com".into())
            .await
            .unwrap()
            .unwrap();
        assert_ne!(other, token);
        assert_eq!(store.subscriber_count().await.unwrap(), 2);
    }

    #[tokio::test]
    async fn a_token_unsubscribes_its_own_address_only() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(&dir);
        store.subscribe("a@example.com".into()).await.unwrap();
        store.subscribe("b@example.com".into()).await.unwrap();
        let token = store
            .unsubscribe_token("a@example.com".into())
            .await
            .unwrap()
            .unwrap();
        assert!(!store.unsubscribe("not-a-token".into()).await.unwrap());
        assert!(!store.unsubscribe(String::new()).await.unwrap());
        assert_eq!(store.subscriber_count().await.unwrap(), 2);
        assert!(store.unsubscribe(token.clone()).await.unwrap());
        assert!(!store.unsubscribe(token).await.unwrap(), "once");
        assert_eq!(
            store
                .unsubscribe_token("a@example.com".into())
                .await
                .unwrap(),
            None
        );
        assert!(store
            .remove_subscriber("B@example.com".into())
            .await
            .unwrap());
        assert!(!store
            .remove_subscriber("b@example.com".into())
            .await
            .unwrap());
        assert_eq!(store.subscriber_count().await.unwrap(), 0);
    }
}
