//! The newsletter list: one sign-up an address, whatever its letter case, and its token.

use super::{on_both_backends, TestStore};

on_both_backends!(
    each_address_is_listed_once_with_a_token_of_its_own,
    a_token_unsubscribes_its_own_address_only,
    only_ascii_letters_case_is_ignored,
);

async fn each_address_is_listed_once_with_a_token_of_its_own(store: TestStore) {
    let first = store.subscribe("Reader@Example.com").await.unwrap();
    assert!(first, "a new address is added");
    let token = store
        .unsubscribe_token("reader@example.com")
        .await
        .unwrap()
        .unwrap();
    let again = store.subscribe(" reader@example.COM ").await.unwrap();
    assert!(
        !again,
        "the same address, in other case and spacing, is not added twice"
    );
    assert_eq!(
        store.unsubscribe_token("READER@example.com").await.unwrap(),
        Some(token.clone()),
        "signing up again keeps the link already sent"
    );
    store.subscribe("other@example.com").await.unwrap();
    let other = store
        .unsubscribe_token("other@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_ne!(other, token);
    assert_eq!(store.subscriber_count().await.unwrap(), 2);
}

async fn a_token_unsubscribes_its_own_address_only(store: TestStore) {
    store.subscribe("a@example.com").await.unwrap();
    store.subscribe("b@example.com").await.unwrap();
    let token = store
        .unsubscribe_token("a@example.com")
        .await
        .unwrap()
        .unwrap();
    assert!(!store.unsubscribe("not-a-token").await.unwrap());
    assert!(!store.unsubscribe("").await.unwrap());
    assert_eq!(store.subscriber_count().await.unwrap(), 2);
    assert!(store.unsubscribe(&token).await.unwrap());
    assert!(!store.unsubscribe(&token).await.unwrap(), "once");
    assert_eq!(
        store.unsubscribe_token("a@example.com").await.unwrap(),
        None
    );
    assert!(store.remove_subscriber("B@example.com").await.unwrap());
    assert!(!store.remove_subscriber("b@example.com").await.unwrap());
    assert_eq!(store.subscriber_count().await.unwrap(), 0);
}

/// Both stores fold the case of ASCII letters only (SQLite's `NOCASE`): "É" and "é" stay two
/// letters, so an address differing in them is another address on either store.
async fn only_ascii_letters_case_is_ignored(store: TestStore) {
    assert!(store.subscribe("éva@example.hu").await.unwrap());
    assert!(
        store.subscribe("Éva@example.hu").await.unwrap(),
        "É is not é to either store"
    );
    assert!(
        !store.subscribe("ÉVA@EXAMPLE.HU").await.unwrap(),
        "the same address but for ASCII letters' case"
    );
    assert_eq!(store.subscriber_count().await.unwrap(), 2);
    let capital = store.unsubscribe_token("Éva@example.hu").await.unwrap();
    assert!(capital.is_some());
    assert_eq!(
        store.unsubscribe_token("ÉVA@example.HU").await.unwrap(),
        capital
    );
    assert_ne!(
        store.unsubscribe_token("éva@example.hu").await.unwrap(),
        capital
    );
    assert!(store.remove_subscriber("éVA@example.hu").await.unwrap());
    assert_eq!(store.subscriber_count().await.unwrap(), 1);
    assert_eq!(
        store.unsubscribe_token("éva@example.hu").await.unwrap(),
        None
    );
}
