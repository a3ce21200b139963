//! Loading content: withdrawal and return, and the content generation.

use budapest_post_contract::{ReportRequest, Site};

use super::{article, on_both_backends, TestStore};
use crate::{Content, SiteSettings, SubmitOutcome};

fn content(articles: Vec<crate::NewArticle>) -> Content {
    Content {
        site: SiteSettings {
            masthead: Site {
                name: "Budapest Post".into(),
                motto: "M".into(),
                tagline: "T".into(),
            },
            ai_disclaimer: "D".into(),
        },
        articles,
    }
}

fn report(key: &str, slug: &str) -> ReportRequest {
    ReportRequest {
        article_slug: slug.into(),
        quoted_passage: "P".into(),
        what_is_wrong: "W".into(),
        correction: "C".into(),
        idempotency_key: key.into(),
        ..Default::default()
    }
}

on_both_backends!(
    an_article_taken_out_of_the_folder_leaves_the_site_and_its_reports_stay,
    content_changes_advance_the_generation_and_reader_writes_do_not,
    lists_come_newest_first_with_slugs_in_byte_order_among_equal_times,
);

async fn an_article_taken_out_of_the_folder_leaves_the_site_and_its_reports_stay(store: TestStore) {
    let full = content(vec![
        article("kept", "Europe", &["retracted"]),
        article("retracted", "World", &[]),
    ]);
    let loaded = store.load_content(full.clone()).await.unwrap();
    assert_eq!((loaded.articles, loaded.withdrawn), (2, 0));
    store
        .submit_report(report("key-retracted-0001", "retracted"))
        .await
        .unwrap();

    let without = content(vec![article("kept", "Europe", &["retracted"])]);
    let loaded = store.load_content(without.clone()).await.unwrap();
    assert_eq!((loaded.articles, loaded.withdrawn), (1, 1));
    assert!(store.article("retracted").await.unwrap().is_none());
    assert!(store.related_list("retracted").await.unwrap().is_none());
    assert_eq!(store.article_count().await.unwrap(), 1);
    let list = store.article_page(1).await.unwrap().unwrap();
    let slugs: Vec<&str> = list.articles.iter().map(|a| a.slug.as_str()).collect();
    assert_eq!(slugs, ["kept"]);
    assert_eq!(list.lead.unwrap().slug, "kept");
    let sections: Vec<String> = list.sections.into_iter().map(|s| s.name).collect();
    assert_eq!(
        sections,
        ["Europe"],
        "a section left with no article goes too"
    );
    let kept = store.article("kept").await.unwrap().unwrap();
    assert!(kept.related.is_empty() && kept.related_total == 0);
    assert!(store.summaries_after(None, 10).await.unwrap().len() == 1);

    let reports = store.reports(None).await.unwrap();
    assert_eq!(reports.len(), 1, "editors still see its reports");
    assert_eq!(reports[0].article_slug, "retracted");
    assert!(reports[0].article_withdrawn);
    assert_eq!(
        store
            .submit_report(report("key-retracted-0002", "retracted"))
            .await
            .unwrap(),
        SubmitOutcome::UnknownArticle
    );

    // Loading the same folder again changes nothing.
    let generation = store.content_generation();
    let again = store.load_content(without).await.unwrap();
    assert_eq!((again.articles, again.withdrawn), (1, 0));
    assert_eq!(store.article_count().await.unwrap(), 1);
    assert!(store.content_generation() >= generation);

    // Put back, it is back.
    store.load_content(full).await.unwrap();
    assert!(store.article("retracted").await.unwrap().is_some());
    assert_eq!(store.article_count().await.unwrap(), 2);
    assert!(!store.reports(None).await.unwrap()[0].article_withdrawn);
}

async fn content_changes_advance_the_generation_and_reader_writes_do_not(store: TestStore) {
    let start = store.content_generation();
    store
        .load_content(content(vec![article("a", "Europe", &[])]))
        .await
        .unwrap();
    let loaded = store.content_generation();
    assert!(loaded > start, "a content load, seen at once");
    store.subscribe("reader@example.com").await.unwrap();
    store
        .submit_report(report("key-generation-01", "a"))
        .await
        .unwrap();
    store.article_count().await.unwrap();
    assert_eq!(
        store.refresh_content_generation().await.unwrap(),
        loaded,
        "a read and readers' writes"
    );

    // Another process (another node, the editors' command) changes content: the store sees it
    // at its next refresh at the latest.
    let other = store.another_process().await;
    let mut changed = article("a", "Europe", &[]);
    changed.headline = "Changed elsewhere".into();
    other.save_articles(vec![changed]).await.unwrap();
    let refreshed = store.refresh_content_generation().await.unwrap();
    assert!(refreshed > loaded);
    assert_eq!(store.content_generation(), refreshed);
    other.subscribe("x@y.zz").await.unwrap();
    assert_eq!(store.refresh_content_generation().await.unwrap(), refreshed);
}

async fn lists_come_newest_first_with_slugs_in_byte_order_among_equal_times(store: TestStore) {
    let mut articles: Vec<_> = ["b-x", "a", "B", "a-b", "ab", "é"]
        .into_iter()
        .map(|slug| article(slug, "Europe", &[]))
        .collect();
    let mut newest = article("newest", "Zeta", &[]);
    newest.published_at = "2022-01-01T00:00:00Z".into();
    articles.push(newest);
    store.load_content(content(articles)).await.unwrap();
    let listed: Vec<String> = store
        .summaries_after(None, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.slug)
        .collect();
    assert_eq!(listed, ["newest", "B", "a", "a-b", "ab", "b-x", "é"]);
    let after = store
        .summaries_after(
            Some(crate::ListCursor {
                published_at: "2021-12-17T14:30:00Z".into(),
                slug: "a-b".into(),
            }),
            2,
        )
        .await
        .unwrap();
    let after: Vec<&str> = after.iter().map(|a| a.slug.as_str()).collect();
    assert_eq!(after, ["ab", "b-x"]);
    let sections: Vec<String> = store
        .sections()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(sections, ["Europe", "Zeta"]);
}
