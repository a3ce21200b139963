//! Exporting from an existing database file, such as the live server's.

mod common;

use budapest_post_export::{export, ExportError, Source};
use budapest_post_store::Database;
use common::*;

#[test]
fn a_database_exports_the_same_files_as_its_content() {
    let dist = fake_dist();
    let db = tempfile::tempdir().unwrap();
    let file = db.path().join("server.sqlite3");
    database_with_content(&file);

    let from_content = tempfile::tempdir().unwrap();
    run(&options(dist.path(), from_content.path()));
    let from_database = tempfile::tempdir().unwrap();
    let mut options = options(dist.path(), from_database.path());
    options.source = Source::Database(Database::sqlite(file));
    let report = run(&options);
    assert_eq!(report.articles, 51);
    for path in [
        "api/v1/site.json".to_owned(),
        "api/v1/articles/index.json".to_owned(),
        format!("api/v1/articles/{SEED}.json"),
        format!("articles/{SEED}/index.html"),
        "sitemap.xml".to_owned(),
        "feed.xml".to_owned(),
    ] {
        assert_eq!(
            read(from_database.path(), &path),
            read(from_content.path(), &path),
            "{path}"
        );
    }
}

#[test]
fn an_empty_or_missing_database_is_named() {
    let dist = fake_dist();
    let db = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut options = options(dist.path(), out.path());

    options.source = Source::Database(Database::sqlite(db.path().join("missing.sqlite3")));
    let missing = export(&options).unwrap_err();
    assert!(matches!(missing, ExportError::Read { .. }), "{missing}");
    assert!(missing.to_string().contains("missing.sqlite3"), "{missing}");
    assert!(!db.path().join("missing.sqlite3").exists(), "not created");

    let empty = db.path().join("empty.sqlite3");
    empty_database(&empty);
    options.source = Source::Database(Database::sqlite(empty));
    let refused = export(&options).unwrap_err();
    assert!(refused.to_string().contains("empty.sqlite3"), "{refused}");
    assert!(
        refused.to_string().contains("holds no content"),
        "{refused}"
    );
}

#[test]
fn an_export_made_after_a_correction_carries_it() {
    let dist = fake_dist();
    let db = tempfile::tempdir().unwrap();
    let file = db.path().join("server.sqlite3");
    database_with_content(&file);
    let note = "An earlier version of this article misspelled the Russian Foreign Ministry.";
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = budapest_post_store::Store::open(&budapest_post_store::Database::sqlite(&file))
            .await
            .unwrap();
        store
            .publish_correction(budapest_post_store::NewCorrection {
                article_slug: SEED.into(),
                passage: "The Russian fFreign Ministry".into(),
                replacement: "The Russian Foreign Ministry".into(),
                note: note.into(),
                reports: vec![],
            })
            .await
            .unwrap()
            .unwrap();
    });

    let out = tempfile::tempdir().unwrap();
    let mut options = options(dist.path(), out.path());
    options.source = Source::Database(Database::sqlite(file));
    run(&options);
    let out = out.path();
    let article: budapest_post_contract::Article =
        serde_json::from_str(&read(out, &format!("api/v1/articles/{SEED}.json"))).unwrap();
    assert_eq!(article.corrections.len(), 1);
    assert_eq!(
        article.summary.updated_at.as_deref(),
        Some(article.corrections[0].published_at.as_str())
    );
    let page = read(out, &format!("articles/{SEED}/index.html"));
    assert!(
        page.contains("Corrected") && page.contains(note) && page.contains("CorrectionComment")
    );
    assert!(!page.contains("fFreign"));
    let list: budapest_post_contract::CorrectionList =
        serde_json::from_str(&read(out, "api/v1/corrections.json")).unwrap();
    assert_eq!(list.corrections[0].article.slug, SEED);
    assert!(read(out, "corrections/index.html").contains(note));
    let sitemap = read(out, "sitemap.xml");
    assert!(sitemap.contains("/corrections</loc>"));
    // The seed article is older than the feed's newest entries; the sitemap dates it anew.
    assert!(
        sitemap.contains(&format!(
            "<loc>/articles/{SEED}</loc><lastmod>{}</lastmod>",
            article.corrections[0].published_at
        )),
        "{sitemap}"
    );
}
