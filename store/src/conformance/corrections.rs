//! Publishing corrections: the passage found once or refused, versions kept, reports marked,
//! the generation advanced, a content load that neither undoes nor repeats them, and the
//! reporter's status page.

use budapest_post_contract::{Block, ReportRequest, ReportStatus, Site};

use super::{on_both_backends, TestStore};
use crate::{
    Content, CorrectionRefused, DecisionOutcome, NewArticle, NewCorrection, PassageError,
    SiteSettings, SubmitOutcome,
};

on_both_backends!(
    a_correction_changes_the_text_keeps_the_version_and_answers_its_reports,
    a_passage_not_found_once_or_a_wrong_report_is_refused_with_nothing_changed,
    loading_the_folder_again_neither_undoes_nor_repeats_a_correction,
    a_report_of_another_article_is_refused,
    the_reporter_follows_the_report_with_the_token_and_nobody_else_can,
    the_honeypots_catch_has_a_token_but_no_status_and_is_removed_with_it,
);

const TYPO: &str = "The Russian fFreign Ministry had earlier demanded it.";

fn paragraph(text: &str) -> Block {
    Block::Paragraph {
        text: text.into(),
        inlines: vec![],
    }
}

fn folder() -> Content {
    Content {
        site: SiteSettings {
            masthead: Site {
                name: "Budapest Post".into(),
                motto: "M".into(),
                tagline: "T".into(),
            },
            ai_disclaimer: "D".into(),
        },
        articles: vec![NewArticle {
            slug: "russia".into(),
            headline: "Russia lays out demands".into(),
            standfirst: None,
            section: "Europe".into(),
            published_at: "2021-12-17T14:30:00Z".into(),
            updated_at: None,
            featured: true,
            credit: None,
            audio: None,
            related: vec![],
            body: vec![
                paragraph("NATO met."),
                paragraph(TYPO),
                paragraph("NATO said no."),
            ],
        }],
    }
}

fn correction(passage: &str, reports: &[&str]) -> NewCorrection {
    NewCorrection {
        article_slug: "russia".into(),
        passage: passage.into(),
        replacement: "The Russian Foreign Ministry".into(),
        note: "An earlier version of this article misspelled the Russian Foreign Ministry.".into(),
        reports: reports.iter().map(|r| r.to_string()).collect(),
    }
}

async fn loaded(store: TestStore) -> TestStore {
    store.load_content(folder()).await.unwrap();
    store
}

async fn reported(store: &TestStore, key: &str, slug: &str) -> String {
    let request = ReportRequest {
        article_slug: slug.into(),
        quoted_passage: "The Russian fFreign Ministry".into(),
        what_is_wrong: "A typo.".into(),
        correction: "The Russian Foreign Ministry".into(),
        idempotency_key: key.into(),
        email: Some("reader@example.com".into()),
        ..Default::default()
    };
    match store.submit_report(request).await.unwrap() {
        SubmitOutcome::Stored { reference, .. } => reference,
        other => panic!("not stored: {other:?}"),
    }
}

fn body_text(article: &budapest_post_contract::Article) -> String {
    article
        .body
        .iter()
        .map(Block::plain_text)
        .collect::<Vec<_>>()
        .join("\n")
}

async fn a_correction_changes_the_text_keeps_the_version_and_answers_its_reports(store: TestStore) {
    let store = loaded(store).await;
    let first = reported(&store, "key-correction-001", "russia").await;
    let second = reported(&store, "key-correction-002", "russia").await;
    let meant = crate::references_meant(&first).unwrap();
    assert!(matches!(
        store.accept_report(&meant).await.unwrap(),
        DecisionOutcome::Done(_)
    ));
    let before = store.content_generation();

    let id = store
        .publish_correction(correction(
            "The Russian fFreign Ministry",
            &[&first.to_ascii_lowercase(), &second],
        ))
        .await
        .unwrap()
        .unwrap();

    assert!(store.content_generation() > before, "caches change at once");
    let article = store.article("russia").await.unwrap().unwrap();
    let text = body_text(&article);
    assert!(
        text.contains("The Russian Foreign Ministry had earlier"),
        "{text}"
    );
    assert!(!text.contains("fFreign"));
    assert_eq!(article.corrections.len(), 1);
    assert_eq!(article.corrections[0].id, id);
    assert!(article.corrections[0]
        .note
        .starts_with("An earlier version"));
    assert_eq!(
        article.summary.updated_at.as_deref(),
        Some(article.corrections[0].published_at.as_str())
    );

    let stored = store
        .stored_correction(id)
        .await
        .unwrap()
        .into_iter()
        .collect::<Vec<_>>();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].block_before, TYPO);
    assert_eq!(
        stored[0].block_after,
        "The Russian Foreign Ministry had earlier demanded it."
    );
    assert_eq!(stored[0].reports, [first.clone(), second.clone()]);
    assert_eq!(stored[0].reporter_emails.len(), 2);
    let versions = store
        .sql_for_tests("SELECT COUNT(*) FROM article_versions")
        .await;
    assert_eq!(versions, [[Some("1".to_owned())]]);

    for reference in [&first, &second] {
        let report = store
            .report(&crate::references_meant(reference).unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(report.status, ReportStatus::Corrected);
        assert_eq!(report.correction_id, Some(id));
    }
    let list = store.correction_list().await.unwrap();
    assert_eq!(list.corrections.len(), 1);
    assert_eq!(list.corrections[0].article.slug, "russia");

    // A report already answered cannot be answered again, and nothing changes.
    let refused = store
        .publish_correction(NewCorrection {
            passage: "NATO said no".into(),
            replacement: "NATO said no, again".into(),
            ..correction("", &[&first])
        })
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(
        refused,
        CorrectionRefused::ReportAlreadyCorrected {
            reference: first.clone(),
            correction_id: id
        }
    );
    assert_eq!(store.correction_list().await.unwrap().corrections.len(), 1);
}

async fn a_passage_not_found_once_or_a_wrong_report_is_refused_with_nothing_changed(
    store: TestStore,
) {
    let store = loaded(store).await;
    let generation = store.content_generation();
    let refusals = [
        (
            correction("The Russian Foreign Ministry", &[]),
            CorrectionRefused::Passage(PassageError::NotFound),
        ),
        (
            correction("NATO", &[]),
            CorrectionRefused::Passage(PassageError::Ambiguous(2)),
        ),
        (
            NewCorrection {
                article_slug: "nowhere".into(),
                ..correction("fFreign", &[])
            },
            CorrectionRefused::UnknownArticle("nowhere".into()),
        ),
        (
            NewCorrection {
                note: "  ".into(),
                ..correction("fFreign", &[])
            },
            CorrectionRefused::BlankNote,
        ),
        (
            correction("fFreign", &["BP-ZZZZZZZZ"]),
            CorrectionRefused::UnknownReport("BP-ZZZZZZZZ".into()),
        ),
    ];
    for (new, expected) in refusals {
        assert_eq!(
            store.publish_correction(new).await.unwrap().unwrap_err(),
            expected
        );
    }
    assert_eq!(store.content_generation(), generation);
    let article = store.article("russia").await.unwrap().unwrap();
    assert!(body_text(&article).contains("fFreign") && article.corrections.is_empty());
    assert!(article.summary.updated_at.is_none());
}

async fn loading_the_folder_again_neither_undoes_nor_repeats_a_correction(store: TestStore) {
    let store = loaded(store).await;
    store
        .publish_correction(correction("The Russian fFreign Ministry", &[]))
        .await
        .unwrap()
        .unwrap();
    let corrected = store.article("russia").await.unwrap().unwrap();

    for _ in 0..2 {
        store.load_content(folder()).await.unwrap();
        let reloaded = store.article("russia").await.unwrap().unwrap();
        assert_eq!(
            reloaded, corrected,
            "the load keeps the corrected text and date"
        );
    }
    assert_eq!(store.correction_list().await.unwrap().corrections.len(), 1);

    // The folder's own text fixed since: the folder wins, the correction stays listed.
    let mut fixed = folder();
    fixed.articles[0].body[1] = paragraph("The Russian Foreign Ministry had earlier said so.");
    store.load_content(fixed).await.unwrap();
    let reloaded = store.article("russia").await.unwrap().unwrap();
    assert!(body_text(&reloaded).contains("had earlier said so."));
    assert_eq!(reloaded.corrections.len(), 1);
    assert_eq!(reloaded.summary.updated_at, corrected.summary.updated_at);
}

async fn a_report_of_another_article_is_refused(store: TestStore) {
    let store = loaded(store).await;
    let mut two = folder();
    let mut other = two.articles[0].clone();
    other.slug = "other".into();
    two.articles.push(other);
    store.load_content(two).await.unwrap();
    let elsewhere = reported(&store, "key-correction-003", "other").await;
    assert_eq!(
        store
            .publish_correction(correction("fFreign", &[&elsewhere]))
            .await
            .unwrap()
            .unwrap_err(),
        CorrectionRefused::ReportOfAnotherArticle {
            reference: elsewhere,
            article_slug: "other".into()
        }
    );
}

/// A report of the typo and the token of its receipt's status link.
async fn reported_with_token(
    store: &TestStore,
    key: &str,
    website: Option<&str>,
) -> (String, String) {
    let request = ReportRequest {
        article_slug: "russia".into(),
        quoted_passage: "The Russian fFreign Ministry".into(),
        what_is_wrong: "A typo.".into(),
        correction: "The Russian Foreign Ministry".into(),
        idempotency_key: key.into(),
        website: website.map(Into::into),
        ..Default::default()
    };
    match store.submit_report(request).await.unwrap() {
        SubmitOutcome::Stored {
            reference,
            status_token,
            ..
        } => (reference, status_token),
        other => panic!("not stored: {other:?}"),
    }
}

async fn the_reporter_follows_the_report_with_the_token_and_nobody_else_can(store: TestStore) {
    let store = loaded(store).await;
    let (reference, token) = reported_with_token(&store, "key-status-000001", None).await;
    assert_eq!(
        token.len(),
        crate::references::TOKEN_CHARS,
        "160 random bits"
    );
    let stored = store
        .sql_for_tests("SELECT length(token_sha256) FROM report_status_tokens")
        .await;
    assert_eq!(
        stored,
        [[Some("32".to_owned())]],
        "only its SHA-256 is kept"
    );

    let received = store
        .report_outcome(&reference, &token)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(received.status, ReportStatus::Received);
    assert_eq!(received.id, reference);
    assert_eq!(received.article.unwrap().slug, "russia");
    assert_eq!((received.decline_reason, received.correction), (None, None));

    // A wrong token, another report's token and an unknown reference are all simply none.
    let (other, other_token) = reported_with_token(&store, "key-status-000002", None).await;
    for (asked, with) in [
        (reference.as_str(), "WRONGTOKEN"),
        (reference.as_str(), other_token.as_str()),
        (reference.to_ascii_lowercase().as_str(), token.as_str()),
        ("BP-ZZZZZZZZ", token.as_str()),
        (other.as_str(), token.as_str()),
    ] {
        assert_eq!(
            store.report_outcome(asked, with).await.unwrap(),
            None,
            "{asked} {with}"
        );
    }

    // A resend under the same key gets a token of its own; the first still works.
    let (again, second_token) = reported_with_token(&store, "key-status-000001", None).await;
    assert_eq!(again, reference);
    assert_ne!(second_token, token);
    for held in [&token, &second_token] {
        assert!(store
            .report_outcome(&reference, held)
            .await
            .unwrap()
            .is_some());
    }

    let reason = "The article is right: the ministry says so.";
    store
        .decline_report(std::slice::from_ref(&other), reason)
        .await
        .unwrap();
    let declined = store
        .report_outcome(&other, &other_token)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(declined.status, ReportStatus::Declined);
    assert_eq!(declined.decline_reason.as_deref(), Some(reason));

    let id = store
        .publish_correction(correction("The Russian fFreign Ministry", &[&reference]))
        .await
        .unwrap()
        .unwrap();
    let corrected = store
        .report_outcome(&reference, &token)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(corrected.status, ReportStatus::Corrected);
    let published = corrected.correction.unwrap();
    assert_eq!(published.id, id);
    assert!(published.note.starts_with("An earlier version"));
}

async fn the_honeypots_catch_has_a_token_but_no_status_and_is_removed_with_it(store: TestStore) {
    let store = loaded(store).await;
    let (reference, token) =
        reported_with_token(&store, "key-status-spam01", Some("http://spam.example")).await;
    assert_eq!(
        token.len(),
        crate::references::TOKEN_CHARS,
        "a receipt like any"
    );
    assert_eq!(
        store.report_outcome(&reference, &token).await.unwrap(),
        None
    );
    store.sql_for_tests("DELETE FROM reports WHERE spam").await;
    let left = store
        .sql_for_tests("SELECT COUNT(*) FROM report_status_tokens")
        .await;
    assert_eq!(left, [[Some("0".to_owned())]], "its token goes with it");
}
