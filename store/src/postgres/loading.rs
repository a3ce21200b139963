//! Loading content into the database: the masthead and articles, keyed by slug, and the
//! withdrawal of articles no longer in the content folder.

use deadpool_postgres::GenericClient;

use super::corrections::{applied_by_slug, NOW};
use super::PostgresStore;
use crate::content::section_slug;
use crate::{Content, LoadReport, NewArticle, SiteSettings, StoreError};

/// Serializes content loads between nodes starting at once (each loads the folder): the second
/// waits for the first and then changes nothing.
const CONTENT_LOAD_LOCK: i64 = 0x4250_434f_4e54_454e; // "BPCONTEN"

async fn save_site(c: &impl GenericClient, site: &SiteSettings) -> Result<(), StoreError> {
    let upsert = c
        .prepare_cached(
            "INSERT INTO site (id, name, motto, tagline, ai_disclaimer) VALUES (1, $1, $2, $3, $4)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, motto = excluded.motto,
               tagline = excluded.tagline, ai_disclaimer = excluded.ai_disclaimer",
        )
        .await?;
    c.execute(
        &upsert,
        &[
            &site.masthead.name,
            &site.masthead.motto,
            &site.masthead.tagline,
            &site.ai_disclaimer,
        ],
    )
    .await?;
    Ok(())
}

/// Inserts or updates every article (keyed by slug) inside the caller's transaction.
async fn save_articles(
    tx: &deadpool_postgres::Transaction<'_>,
    articles: &[NewArticle],
) -> Result<(), StoreError> {
    let upsert_section = tx
        .prepare_cached(
            "INSERT INTO sections (slug, name) VALUES ($1, $2)
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name RETURNING id",
        )
        .await?;
    let upsert_article = tx
        .prepare_cached(
            "INSERT INTO articles (slug, headline, standfirst, section_id, published_at,
               updated_at, featured, credit, audio_url, audio_duration_seconds, body_json,
               reading_time_minutes)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
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
        )
        .await?;
    let clear_related = tx
        .prepare_cached("DELETE FROM related_articles WHERE article_id = $1")
        .await?;
    let add_related = tx
        .prepare_cached(
            "INSERT INTO related_articles (article_id, position, related_slug)
             VALUES ($1, $2, $3)",
        )
        .await?;
    let mut corrected = applied_by_slug(tx).await?;
    for article in articles {
        // Published corrections are applied again to the folder's text, not undone.
        let (body, updated_at) = crate::reapply::as_stored(article, &mut corrected);
        let (body, updated_at) = (&*body, updated_at.as_deref());
        let section_id: i64 = tx
            .query_one(
                &upsert_section,
                &[&section_slug(&article.section), &article.section],
            )
            .await?
            .try_get(0)?;
        let body_json = serde_json::to_string(body)?;
        let article_id: i64 = tx
            .query_one(
                &upsert_article,
                &[
                    &article.slug,
                    &article.headline,
                    &article.standfirst,
                    &section_id,
                    &article.published_at,
                    &updated_at,
                    &article.featured,
                    &article.credit,
                    &article.audio.as_ref().map(|a| a.url.as_str()),
                    &article
                        .audio
                        .as_ref()
                        .map(|a| i64::from(a.duration_seconds)),
                    &body_json,
                    &i64::from(budapest_post_contract::reading_time_minutes(body)),
                ],
            )
            .await?
            .try_get(0)?;
        tx.execute(&clear_related, &[&article_id]).await?;
        for (position, related_slug) in (0_i64..).zip(&article.related) {
            tx.execute(&add_related, &[&article_id, &position, related_slug])
                .await?;
        }
    }
    Ok(())
}

/// Withdraws every live article whose slug is not in `kept`; answers how many.
async fn withdraw_all_but(
    tx: &deadpool_postgres::Transaction<'_>,
    kept: &[NewArticle],
) -> Result<usize, StoreError> {
    let kept: Vec<&str> = kept.iter().map(|a| a.slug.as_str()).collect();
    let withdrawn = tx
        .execute(
            &format!(
                "UPDATE articles SET withdrawn_at = {NOW}
                 WHERE withdrawn_at IS NULL AND NOT (slug = ANY($1))"
            ),
            &[&kept],
        )
        .await?;
    Ok(usize::try_from(withdrawn).unwrap_or(usize::MAX))
}

impl PostgresStore {
    /// See [`crate::Store::load_content`].
    pub async fn load_content(&self, content: Content) -> Result<LoadReport, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&CONTENT_LOAD_LOCK])
            .await?;
        save_site(&tx, &content.site).await?;
        save_articles(&tx, &content.articles).await?;
        let withdrawn = withdraw_all_but(&tx, &content.articles).await?;
        tx.commit().await?;
        self.note_generation(&client).await;
        Ok(LoadReport {
            articles: content.articles.len(),
            withdrawn,
        })
    }

    /// See [`crate::Store::save_site`].
    pub async fn save_site(&self, site: SiteSettings) -> Result<(), StoreError> {
        let client = self.client().await?;
        save_site(&client, &site).await?;
        self.note_generation(&client).await;
        Ok(())
    }

    /// See [`crate::Store::save_articles`].
    pub async fn save_articles(&self, articles: Vec<NewArticle>) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&CONTENT_LOAD_LOCK])
            .await?;
        save_articles(&tx, &articles).await?;
        tx.commit().await?;
        self.note_generation(&client).await;
        Ok(())
    }
}
