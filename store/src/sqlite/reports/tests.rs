//! Reports: digests, references, idempotency, the honeypot's catch and editors' triage.

use super::*;
use crate::sqlite::tests::store_with_an_article;

fn fields() -> ReportFields<'static> {
    ReportFields {
        article_slug: "an-article",
        quoted_passage: "P",
        what_is_wrong: "W",
        correction: "C",
        source_url: None,
        email: None,
    }
}

#[test]
fn the_digest_tells_every_field_apart() {
    let base = digest(&fields());
    assert_eq!(base.len(), 64);
    assert_eq!(base, digest(&fields()));
    let changed = [
        ReportFields {
            correction: "C ",
            ..fields()
        },
        ReportFields {
            email: Some("a@b.co"),
            ..fields()
        },
        ReportFields {
            source_url: Some(""),
            ..fields()
        },
        // Text moved from one field to the next is another report.
        ReportFields {
            quoted_passage: "PW",
            what_is_wrong: "",
            ..fields()
        },
    ];
    for other in changed {
        assert_ne!(digest(&other), base);
    }
}

#[test]
fn a_taken_reference_is_drawn_again() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("t.sqlite3"), &Default::default()).unwrap();
    let mut writer = store.lock_writer().unwrap();
    writer
        .execute_batch(
            "INSERT INTO sections (slug, name) VALUES ('s', 'S');
             INSERT INTO articles (slug, headline, section_id, published_at)
               VALUES ('an-article', 'A', 1, '2021-12-17T14:30:00Z');",
        )
        .unwrap();
    let tx = immediate(&mut writer).unwrap();
    let row = |key| NewRow {
        idempotency_key: key,
        request_sha256: "x",
        spam: false,
        article_id: 1,
        fields: fields(),
    };
    let first = insert_under_fresh_reference(&tx, &row("key-one-0000000001"), || {
        Ok("BP-AAAAAAAA".to_owned())
    })
    .unwrap();
    assert_eq!(first, "BP-AAAAAAAA");
    let mut draws = ["BP-AAAAAAAA", "BP-AAAAAAAA", "BP-BBBBBBBB"].into_iter();
    let second = insert_under_fresh_reference(&tx, &row("key-two-0000000002"), || {
        Ok(draws.next().unwrap().to_owned())
    })
    .unwrap();
    assert_eq!(second, "BP-BBBBBBBB", "the taken one was drawn again");
    let stuck = insert_under_fresh_reference(&tx, &row("key-three-00000003"), || {
        Ok("BP-AAAAAAAA".to_owned())
    });
    assert!(matches!(stuck, Err(StoreError::Randomness(_))));
}

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

#[tokio::test]
async fn one_key_one_report_and_a_different_body_under_it_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_an_article(&dir.path().join("t.sqlite3"), &Default::default()).await;
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
    store
        .forget_reader("reader@example.com".into())
        .await
        .unwrap();
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

#[tokio::test]
async fn the_honeypots_catch_gets_a_unique_reference_and_is_hidden() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_an_article(&dir.path().join("t.sqlite3"), &Default::default()).await;
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
                .decide_report(vec![caught.clone()], None)
                .await
                .unwrap(),
            DecisionOutcome::NotFound
        ),
        "editors cannot reach it"
    );
    let kept: (String, Option<String>) = store
        .with_reader(move |c| {
            Ok(c.query_row(
                "SELECT quoted_passage, email FROM reports WHERE reference = ?1",
                [&caught],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .await
        .unwrap();
    assert_eq!(kept, (String::new(), None), "nothing a bot wrote is kept");
}

#[tokio::test]
async fn editors_accept_and_decline_by_reference() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_an_article(&dir.path().join("t.sqlite3"), &Default::default()).await;
    let stored = reference(
        store
            .submit_report(request("key-resolve-000001"))
            .await
            .unwrap(),
    );
    let typed = stored.to_ascii_lowercase();
    let meant = crate::references_meant(&typed).unwrap();
    let DecisionOutcome::Done(accepted) = store.decide_report(meant.clone(), None).await.unwrap()
    else {
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
        .decide_report(meant.clone(), Some("The article is right.".into()))
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
    let shown = store.report(meant).await.unwrap().unwrap();
    assert_eq!(shown.status, ReportStatus::Declined);
    assert!(store
        .reports(Some(ReportStatus::Received))
        .await
        .unwrap()
        .is_empty());
    let unknown = crate::references_meant("BP-ZZZZZZZZ").unwrap();
    assert!(matches!(
        store.decide_report(unknown.clone(), None).await.unwrap(),
        DecisionOutcome::NotFound
    ));
    assert!(store.report(unknown).await.unwrap().is_none());
}
