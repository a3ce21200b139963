//! Loading content into the database: the masthead and articles, keyed by slug, and the
//! withdrawal of articles no longer in the content folder.

use rusqlite::{params, Connection};

use super::{immediate, SqliteStore};
use crate::content::section_slug;
use crate::{Content, LoadReport, NewArticle, SiteSettings, StoreError};

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
        let (body, updated_at) = crate::reapply::as_stored(article, &mut corrected);
        let (body, updated_at) = (&*body, updated_at.as_deref());
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

    #[test]
    fn section_slugs() {
        assert_eq!(section_slug("Europe"), "europe");
        assert_eq!(section_slug("Science & Tech"), "science-tech");
    }
}
