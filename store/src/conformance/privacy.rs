//! What is stored about one address: exported, forgotten on request and after the retention
//! period.

use budapest_post_contract::ReportRequest;

use super::{on_both_backends, TestStore};
use crate::{ForgetReport, RetentionReport};

on_both_backends!(
    everything_about_one_address_is_exported_and_forgotten,
    old_addresses_and_old_spam_go_and_the_rest_stays,
    an_address_differing_beyond_ascii_case_is_another_reader,
);

fn report(key: &str, email: Option<&str>) -> ReportRequest {
    ReportRequest {
        article_slug: "an-article".into(),
        quoted_passage: format!("Passage {key}"),
        what_is_wrong: "W".into(),
        correction: "C".into(),
        email: email.map(str::to_owned),
        idempotency_key: key.into(),
        ..Default::default()
    }
}

/// Makes every report look `days` old.
async fn age_reports(store: &TestStore, days: i64) {
    let then = time::OffsetDateTime::now_utc() - time::Duration::days(days);
    let then = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        then.year(),
        u8::from(then.month()),
        then.day(),
        then.hour(),
        then.minute(),
        then.second()
    );
    store
        .sql_for_tests(&format!("UPDATE reports SET created_at = '{then}'"))
        .await;
}

/// The quoted passages of the reports in a reader's data, in order.
fn passages(data: &crate::ReaderData) -> Vec<&str> {
    data.reports
        .iter()
        .map(|r| r.quoted_passage.as_str())
        .collect()
}

/// How many of the honeypot's catches are stored.
async fn spam(store: &TestStore) -> String {
    store
        .sql_for_tests("SELECT COUNT(*) FROM reports WHERE spam")
        .await[0][0]
        .clone()
        .unwrap()
}

async fn everything_about_one_address_is_exported_and_forgotten(store: TestStore) {
    let store = store.with_an_article().await;
    for (key, email) in [
        ("key-reader-0000001", Some("reader@example.com")),
        ("key-reader-0000002", Some("READER@example.com")),
        ("key-other-00000001", Some("other@example.com")),
        ("key-anonymous-0001", None),
    ] {
        store.submit_report(report(key, email)).await.unwrap();
    }
    store.subscribe("Reader@Example.com").await.unwrap();
    store.subscribe("other@example.com").await.unwrap();

    let data = store.reader_data(" reader@example.com ").await.unwrap();
    assert_eq!(
        passages(&data),
        ["Passage key-reader-0000001", "Passage key-reader-0000002"]
    );
    let entry = data.newsletter.unwrap();
    assert_eq!(entry.email, "Reader@Example.com");
    assert_eq!(
        entry.unsubscribe_token.len(),
        crate::references::TOKEN_CHARS
    );

    let forgotten = store.forget_reader("reader@EXAMPLE.com").await.unwrap();
    assert_eq!(
        forgotten,
        ForgetReport {
            reports: 2,
            newsletter: true
        }
    );
    let after = store.reader_data("reader@example.com").await.unwrap();
    assert!(after.reports.is_empty() && after.newsletter.is_none());
    // The reports themselves stay for the editors, without the address.
    let all = store.reports(None).await.unwrap();
    assert_eq!(all.len(), 4);
    let emails: Vec<Option<&str>> = all.iter().map(|r| r.email.as_deref()).collect();
    assert_eq!(emails, [None, Some("other@example.com"), None, None]);
    assert_eq!(store.subscriber_count().await.unwrap(), 1);
}

async fn old_addresses_and_old_spam_go_and_the_rest_stays(store: TestStore) {
    let store = store.with_an_article().await;
    store
        .submit_report(report("key-old-0000000001", Some("old@example.com")))
        .await
        .unwrap();
    let mut bot = report("key-old-bot-000001", Some("bot@example.com"));
    bot.website = Some("spam".into());
    store.submit_report(bot).await.unwrap();
    age_reports(&store, 181).await;
    store
        .submit_report(report("key-new-0000000001", Some("new@example.com")))
        .await
        .unwrap();
    assert_eq!(spam(&store).await, "1");

    let report_of_run = store.forget_old_emails(180).await.unwrap();
    assert_eq!(
        report_of_run,
        RetentionReport {
            emails_cleared: 1,
            spam_removed: 1
        }
    );
    let kept = store.reports(None).await.unwrap();
    assert_eq!(kept.len(), 2);
    assert_eq!(kept[0].email.as_deref(), Some("new@example.com"));
    assert_eq!(kept[1].email, None, "past the retention period");
    assert_eq!(kept[1].quoted_passage, "Passage key-old-0000000001");
    assert_eq!(spam(&store).await, "0");
    assert_eq!(
        store.forget_old_emails(180).await.unwrap(),
        RetentionReport::default(),
        "a second run finds nothing"
    );
}

/// As on the newsletter list: only ASCII letters' case is ignored, on both stores, so a
/// reader's export and forgetting reach exactly the reports the same address sent.
async fn an_address_differing_beyond_ascii_case_is_another_reader(store: TestStore) {
    let store = store.with_an_article().await;
    for (key, email) in [
        ("key-small-e-000001", "éva@example.hu"),
        ("key-capital-e-0001", "Éva@example.hu"),
        ("key-capital-e-0002", "ÉVA@Example.HU"),
    ] {
        store.submit_report(report(key, Some(email))).await.unwrap();
    }
    let data = store.reader_data("Éva@example.hu").await.unwrap();
    assert_eq!(
        passages(&data),
        ["Passage key-capital-e-0001", "Passage key-capital-e-0002"]
    );
    store.forget_reader("éva@example.hu").await.unwrap();
    assert_eq!(
        store
            .reader_data("ÉVA@example.hu")
            .await
            .unwrap()
            .reports
            .len(),
        2,
        "forgetting é's address leaves É's"
    );
    assert!(store
        .reader_data("éva@example.hu")
        .await
        .unwrap()
        .reports
        .is_empty());
}
