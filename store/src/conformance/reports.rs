//! Reports: references, idempotency, the honeypot's catch and editors' triage.

use budapest_post_contract::{ReportRequest, ReportStatus};

use super::{on_both_backends, TestStore};
use crate::{DecisionOutcome, SubmitOutcome};

on_both_backends!(
    one_key_one_report_and_a_different_body_under_it_is_refused,
    the_honeypots_catch_gets_a_unique_reference_and_is_hidden,
    editors_accept_and_decline_by_reference,
);

fn request(key: &str) -> ReportRequest {
    ReportRequest {
        article_slug: "an-article".into(),
        quoted_passage: "The Russian fFreign Ministry".into(),
        what_is_wrong: "A typo.".into(),
        correction: "The Russian Foreign Ministry".into(),
        email: Some("reader@example.com".into()),
        idempotency_key: key.into(),
        ..Default::default()
    }
}

fn reference(outcome: SubmitOutcome) -> String {
    match outcome {
        SubmitOutcome::Stored {
            reference, status, ..
        } => {
            assert_eq!(status, ReportStatus::Received);
            reference
        }
        other => panic!("not stored: {other:?}"),
    }
}

async fn one_key_one_report_and_a_different_body_under_it_is_refused(store: TestStore) {
    let store = store.with_an_article().await;
    let first = reference(
        store
            .submit_report(request("key-same-00000001"))
            .await
            .unwrap(),
    );
    assert!(first.starts_with("BP-") && first.len() == 11, "{first}");
    // The same report, sent again (white space around fields is not a difference).
    let mut resent = request("key-same-00000001");
    resent.correction = format!("  {} ", resent.correction);
    resent.source_url = Some("  ".into());
    assert_eq!(reference(store.submit_report(resent).await.unwrap()), first);
    let mut edited = request("key-same-00000001");
    edited.correction = "The Russian Foreign Ministry said".into();
    assert_eq!(
        store.submit_report(edited).await.unwrap(),
        SubmitOutcome::KeyReused
    );
    // The first report is kept as it was, and its key still answers it after the
    // address is forgotten (the digest, not the stored text, is compared).
    let stored = store.reports(None).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].correction, "The Russian Foreign Ministry");
    store.forget_reader("reader@example.com").await.unwrap();
    assert_eq!(
        reference(
            store
                .submit_report(request("key-same-00000001"))
                .await
                .unwrap()
        ),
        first
    );
    let second = reference(
        store
            .submit_report(request("key-other-0000001"))
            .await
            .unwrap(),
    );
    assert_ne!(second, first);
}

async fn the_honeypots_catch_gets_a_unique_reference_and_is_hidden(store: TestStore) {
    let store = store.with_an_article().await;
    let real = reference(
        store
            .submit_report(request("key-real-00000001"))
            .await
            .unwrap(),
    );
    let mut bot = request("key-bot-000000001");
    bot.website = Some("http://spam.example".into());
    let caught = reference(store.submit_report(bot.clone()).await.unwrap());
    assert_ne!(caught, real);
    assert_eq!(caught.len(), real.len());
    assert_eq!(
        reference(store.submit_report(bot).await.unwrap()),
        caught,
        "a resent catch answers as a resent report does"
    );
    let next = reference(
        store
            .submit_report(request("key-real-00000002"))
            .await
            .unwrap(),
    );
    assert!(
        next != caught && next != real,
        "no reference is given twice"
    );
    assert_eq!(store.report_count().await.unwrap(), 2);
    let listed: Vec<String> = store
        .reports(None)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.reference)
        .collect();
    assert_eq!(listed, [next, real]);
    assert!(
        matches!(
            store
                .accept_report(std::slice::from_ref(&caught))
                .await
                .unwrap(),
            DecisionOutcome::NotFound
        ),
        "editors cannot reach it"
    );
    let kept = store
        .sql_for_tests(&format!(
            "SELECT quoted_passage, email FROM reports WHERE reference = '{caught}'"
        ))
        .await;
    assert_eq!(
        kept,
        [[Some(String::new()), None]],
        "nothing a bot wrote is kept"
    );
}

async fn editors_accept_and_decline_by_reference(store: TestStore) {
    let store = store.with_an_article().await;
    let stored = reference(
        store
            .submit_report(request("key-resolve-000001"))
            .await
            .unwrap(),
    );
    let typed = stored.to_ascii_lowercase();
    let meant = crate::references_meant(&typed).unwrap();
    let DecisionOutcome::Done(accepted) = store.accept_report(&meant).await.unwrap() else {
        panic!("not accepted")
    };
    assert_eq!(accepted.reference, stored);
    assert_eq!(accepted.status, ReportStatus::Accepted);
    assert!(accepted.decided_at.is_some() && accepted.decline_reason.is_none());
    assert_eq!(
        store
            .reports(Some(ReportStatus::Accepted))
            .await
            .unwrap()
            .len(),
        1
    );

    let DecisionOutcome::Done(declined) = store
        .decline_report(&meant, "The article is right.")
        .await
        .unwrap()
    else {
        panic!("not declined")
    };
    assert_eq!(declined.status, ReportStatus::Declined);
    assert_eq!(
        declined.decline_reason.as_deref(),
        Some("The article is right.")
    );
    let shown = store.report(&meant).await.unwrap().unwrap();
    assert_eq!(shown.status, ReportStatus::Declined);
    assert!(store
        .reports(Some(ReportStatus::Received))
        .await
        .unwrap()
        .is_empty());
    let unknown = crate::references_meant("BP-ZZZZZZZZ").unwrap();
    assert!(matches!(
        store.accept_report(&unknown).await.unwrap(),
        DecisionOutcome::NotFound
    ));
    assert!(store.report(&unknown).await.unwrap().is_none());
}
