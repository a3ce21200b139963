//! Loading content into the database: the masthead and articles, keyed by slug, and the
//! withdrawal of articles no longer in the content folder.

use rusqlite::{params, Connection};

use super::{immediate, SqliteStore};
use crate::{Content, LoadReport, NewArticle, SiteSettings, StoreError};

/// The URL name of a section's display name: "Europe" → "europe".
pub fn section_slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

fn save_site(c: &Connection, site: &SiteSettings) -> Result<(), StoreError> {
    c.execute(
        "INSERT INTO site (id, name, motto, tagline, ai_disclaimer) VALUES (1, ?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, motto = excluded.motto,
           tagline = excluded.tagline, ai_disclaimer = excluded.ai_disclaimer",
        params![
            site.masthead.name,
            site.masthead.motto,
            site.masthead.tagline,
            site.ai_disclaimer
        ],
    )?;
    Ok(())
}

/// Inserts or updates every article (keyed by slug) inside the caller's transaction.
fn save_articles(
    tx: &rusqlite::Transaction<'_>,
    articles: &[NewArticle],
) -> Result<(), StoreError> {
    let mut upsert_section = tx.prepare_cached(
        "INSERT INTO sections (slug, name) VALUES (?1, ?2)
         ON CONFLICT (slug) DO UPDATE SET name = excluded.name RETURNING id",
    )?;
    let mut upsert_article = tx.prepare_cached(
        "INSERT INTO articles (slug, headline, standfirst, section_id, published_at, updated_at,
           featured, credit, audio_url, audio_duration_seconds, body_json, reading_time_minutes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (slug) DO UPDATE SET headline = excluded.headline,
           standfirst = excluded.standfirst, section_id = excluded.section_id,
           published_at = excluded.published_at, updated_at = excluded.updated_at,
           featured = excluded.featured, credit = excluded.credit,
           audio_url = excluded.audio_url,
           audio_duration_seconds = excluded.audio_duration_seconds,
           body_json = excluded.body_json,
           reading_time_minutes = excluded.reading_time_minutes,
           withdrawn_at = NULL
         RETURNING id",
    )?;
    let mut clear_related =
        tx.prepare_cached("DELETE FROM related_articles WHERE article_id = ?1")?;
    let mut add_related = tx.prepare_cached(
        "INSERT INTO related_articles (article_id, position, related_slug) VALUES (?1, ?2, ?3)",
    )?;
    let mut corrected = super::corrections::applied_by_slug(tx)?;
    for article in articles {
        // Published corrections are applied again to the folder's text, not undone.
        let with_corrections;
        let (body, updated_at) = match corrected.remove(&article.slug) {
            Some(corrections) => {
                with_corrections = super::corrections::with_corrections(
                    &article.slug,
                    &article.body,
                    article.updated_at.as_deref(),
                    &corrections,
                );
                (&with_corrections.0, with_corrections.1.as_deref())
            }
            None => (&article.body, article.updated_at.as_deref()),
        };
        let section_id: i64 = upsert_section.query_row(
            params![section_slug(&article.section), article.section],
            |r| r.get(0),
        )?;
        let body_json = serde_json::to_string(body)?;
        let article_id: i64 = upsert_article.query_row(
            params![
                article.slug,
                article.headline,
                article.standfirst,
                section_id,
                article.published_at,
                updated_at,
                article.featured,
                article.credit,
                article.audio.as_ref().map(|a| a.url.as_str()),
                article.audio.as_ref().map(|a| a.duration_seconds),
                body_json,
                budapest_post_contract::reading_time_minutes(body),
            ],
            |r| r.get(0),
        )?;
        clear_related.execute([article_id])?;
        for (position, related_slug) in article.related.iter().enumerate() {
            add_related.execute(params![article_id, position as i64, related_slug])?;
        }
    }
    Ok(())
}

/// Withdraws every live article whose slug is not in `kept`; answers how many.
fn withdraw_all_but(
    tx: &rusqlite::Transaction<'_>,
    kept: &[NewArticle],
) -> Result<usize, StoreError> {
    let kept: std::collections::HashSet<&str> = kept.iter().map(|a| a.slug.as_str()).collect();
    let live: Vec<(i64, String)> = tx
        .prepare("SELECT id, slug FROM articles WHERE withdrawn_at IS NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut withdraw = tx.prepare(
        "UPDATE articles SET withdrawn_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1",
    )?;
    let mut withdrawn = 0;
    for (id, slug) in live {
        if !kept.contains(slug.as_str()) {
            withdrawn += withdraw.execute([id])?;
        }
    }
    Ok(withdrawn)
}

impl SqliteStore {
    /// See [`crate::Store::load_content`].
    pub async fn load_content(&self, content: Content) -> Result<LoadReport, StoreError> {
        self.with_writer(move |c| {
            let tx = immediate(c)?;
            save_site(&tx, &content.site)?;
            save_articles(&tx, &content.articles)?;
            let withdrawn = withdraw_all_but(&tx, &content.articles)?;
            tx.commit()?;
            Ok(LoadReport {
                articles: content.articles.len(),
                withdrawn,
            })
        })
        .await
    }

    /// See [`crate::Store::save_site`].
    pub async fn save_site(&self, site: SiteSettings) -> Result<(), StoreError> {
        self.with_writer(move |c| save_site(c, &site)).await
    }

    /// See [`crate::Store::save_articles`].
    pub async fn save_articles(&self, articles: Vec<NewArticle>) -> Result<(), StoreError> {
        self.with_writer(move |c| {
            let tx = immediate(c)?;
            save_articles(&tx, &articles)?;
            Ok(tx.commit()?)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use budapest_post_contract::{ReportRequest, Site};

    use crate::SubmitOutcome;

    #[test]
    fn section_slugs() {
        assert_eq!(section_slug("Europe"), "europe");
        assert_eq!(section_slug("Science & Tech"), "science-tech");
    }

    fn article(slug: &str, section: &str, related: &[&str]) -> NewArticle {
        NewArticle {
            slug: slug.into(),
            headline: format!("Headline of {slug}"),
            standfirst: None,
            section: section.into(),
            published_at: "2021-12-17T14:30:00Z".into(),
            updated_at: None,
            featured: true,
            credit: None,
            audio: None,
            related: related.iter().map(|s| s.to_string()).collect(),
            body: Vec::new(),
        }
    }

    fn content(articles: Vec<NewArticle>) -> Content {
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

    #[tokio::test]
    async fn an_article_taken_out_of_the_folder_leaves_the_site_and_its_reports_stay() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("t.sqlite3"), &Default::default()).unwrap();
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
        assert!(store.article("retracted".into()).await.unwrap().is_none());
        assert!(store
            .related_list("retracted".into())
            .await
            .unwrap()
            .is_none());
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
        let kept = store.article("kept".into()).await.unwrap().unwrap();
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
        assert!(store.article("retracted".into()).await.unwrap().is_some());
        assert_eq!(store.article_count().await.unwrap(), 2);
        assert!(!store.reports(None).await.unwrap()[0].article_withdrawn);
    }

    #[tokio::test]
    async fn content_changes_advance_the_generation_and_reader_writes_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.sqlite3");
        let store = SqliteStore::open(&path, &Default::default()).unwrap();
        let start = store.content_generation();
        store
            .load_content(content(vec![article("a", "Europe", &[])]))
            .await
            .unwrap();
        let loaded = store.content_generation();
        assert!(loaded > start, "a content load, seen at once");
        store.subscribe("reader@example.com".into()).await.unwrap();
        store
            .submit_report(report("key-generation-01", "a"))
            .await
            .unwrap();
        store.article_count().await.unwrap();
        assert_eq!(
            store.content_generation(),
            loaded,
            "a read and readers' writes"
        );

        // Another connection (another process, the editors' command) changes content: the
        // store sees it at its next refresh, not before.
        let other = rusqlite::Connection::open(&path).unwrap();
        other
            .execute("UPDATE articles SET headline = 'Changed elsewhere'", [])
            .unwrap();
        assert_eq!(store.content_generation(), loaded);
        let refreshed = store.refresh_content_generation().await.unwrap();
        assert!(refreshed > loaded);
        assert_eq!(store.content_generation(), refreshed);
        other
            .execute("INSERT INTO newsletter_subscribers (email, unsubscribe_token) VALUES ('x@y.zz', 't')", [])
            .unwrap();
        assert_eq!(store.refresh_content_generation().await.unwrap(), refreshed);
    }
}
