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

/// Every file under `root`, by its path inside it, with its bytes.
fn files(root: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut found = std::collections::BTreeMap::new();
    let mut folders = vec![root.to_owned()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let name = path.strip_prefix(root).unwrap().display().to_string();
                found.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    found
}

#[test]
fn a_postgresql_database_exports_the_same_files_as_a_sqlite_one() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let url = runtime.block_on(async {
        let url = budapest_post_store::testing::fresh_postgres_database("export")
            .await
            .unwrap_or_else(|why| panic!("{why}"));
        let store = budapest_post_store::Store::open(&Database::Postgres(url.clone()))
            .await
            .unwrap();
        let content = budapest_post_store::Content::read_dir(&content()).unwrap();
        store.load_content(content).await.unwrap();
        url
    });
    drop(runtime);
    let dist = fake_dist();
    let db = tempfile::tempdir().unwrap();
    let file = db.path().join("server.sqlite3");
    database_with_content(&file);

    let from_sqlite = tempfile::tempdir().unwrap();
    let mut sqlite = options(dist.path(), from_sqlite.path());
    sqlite.source = Source::Database(Database::sqlite(file));
    run(&sqlite);
    let from_postgres = tempfile::tempdir().unwrap();
    let mut postgres = options(dist.path(), from_postgres.path());
    postgres.source = Source::Database(Database::Postgres(url));
    assert_eq!(run(&postgres).articles, 51);
    let (sqlite, postgres) = (files(from_sqlite.path()), files(from_postgres.path()));
    assert!(sqlite.len() > 100, "{} files", sqlite.len());
    assert_eq!(
        sqlite.keys().collect::<Vec<_>>(),
        postgres.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &sqlite {
        assert!(postgres[path] == *bytes, "{path} differs");
    }
}
