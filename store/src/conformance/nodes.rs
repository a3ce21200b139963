//! Several processes (server nodes, editors' commands) on one database at once.

use budapest_post_contract::ReportRequest;

use super::{on_both_backends, TestStore};
use crate::SubmitOutcome;

on_both_backends!(the_same_report_sent_to_two_nodes_at_once_is_stored_once);

fn request(key: &str) -> ReportRequest {
    ReportRequest {
        article_slug: "an-article".into(),
        quoted_passage: format!("Passage of {key}"),
        what_is_wrong: "W".into(),
        correction: "C".into(),
        idempotency_key: key.into(),
        ..Default::default()
    }
}

fn reference(outcome: SubmitOutcome) -> String {
    match outcome {
        SubmitOutcome::Stored { reference, .. } => reference,
        other => panic!("not stored: {other:?}"),
    }
}

async fn the_same_report_sent_to_two_nodes_at_once_is_stored_once(store: TestStore) {
    let store = store.with_an_article().await;
    let nodes = [store.another_process().await, store.another_process().await];
    const KEYS: usize = 24;
    let mut sent = tokio::task::JoinSet::new();
    for n in 0..KEYS {
        let key = format!("key-two-nodes-{n:06}");
        for node in &nodes {
            let node = node.clone();
            let key = key.clone();
            sent.spawn(async move { (key.clone(), node.submit_report(request(&key)).await) });
        }
    }
    let mut references = std::collections::HashMap::<String, String>::new();
    while let Some(answer) = sent.join_next().await {
        let (key, outcome) = answer.unwrap();
        let reference = reference(outcome.unwrap());
        let first = references.entry(key.clone()).or_insert(reference.clone());
        assert_eq!(
            *first, reference,
            "{key}: both nodes answer the same report"
        );
    }
    assert_eq!(references.len(), KEYS);
    assert_eq!(
        store.report_count().await.unwrap(),
        KEYS as u32,
        "each stored once"
    );
}
