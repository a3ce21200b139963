//! Articles, sections and the site masthead: loading and reading.

use budapest_post_contract::{
    limits, Article, ArticleList, ArticleSummary, Audio, RelatedList, Section, Site,
};
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::SqliteStore;
use crate::{Content, ListCursor, LoadReport, NewArticle, SiteSettings, StoreError};

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
           reading_time_minutes = excluded.reading_time_minutes
         RETURNING id",
    )?;
    let mut clear_related =
        tx.prepare_cached("DELETE FROM related_articles WHERE article_id = ?1")?;
    let mut add_related = tx.prepare_cached(
        "INSERT INTO related_articles (article_id, position, related_slug) VALUES (?1, ?2, ?3)",
    )?;
    for article in articles {
        let section_id: i64 = upsert_section.query_row(
            params![section_slug(&article.section), article.section],
            |r| r.get(0),
        )?;
        let body_json = serde_json::to_string(&article.body)?;
        let article_id: i64 = upsert_article.query_row(
            params![
                article.slug,
                article.headline,
                article.standfirst,
                section_id,
                article.published_at,
                article.updated_at,
                article.featured,
                article.credit,
                article.audio.as_ref().map(|a| a.url.as_str()),
                article.audio.as_ref().map(|a| a.duration_seconds),
                body_json,
                budapest_post_contract::reading_time_minutes(&article.body),
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

fn site(c: &Connection) -> Result<Option<SiteSettings>, StoreError> {
    Ok(c.query_row(
        "SELECT name, motto, tagline, ai_disclaimer FROM site WHERE id = 1",
        [],
        |r| {
            Ok(SiteSettings {
                masthead: Site {
                    name: r.get(0)?,
                    motto: r.get(1)?,
                    tagline: r.get(2)?,
                },
                ai_disclaimer: r.get(3)?,
            })
        },
    )
    .optional()?)
}

const SUMMARY_COLUMNS: &str =
    "a.slug, a.headline, a.standfirst, s.slug, s.name, a.published_at, a.updated_at";

fn summary_from_row(r: &Row<'_>) -> rusqlite::Result<ArticleSummary> {
    Ok(ArticleSummary {
        slug: r.get(0)?,
        headline: r.get(1)?,
        standfirst: r.get(2)?,
        section: Section {
            slug: r.get(3)?,
            name: r.get(4)?,
        },
        published_at: r.get(5)?,
        updated_at: r.get(6)?,
    })
}

fn sections(c: &Connection) -> Result<Vec<Section>, StoreError> {
    let mut statement = c.prepare_cached("SELECT slug, name FROM sections ORDER BY name")?;
    let rows = statement.query_map([], |r| {
        Ok(Section {
            slug: r.get(0)?,
            name: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn article_count(c: &Connection) -> Result<u32, StoreError> {
    Ok(c.query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))?)
}

fn lead_story(c: &Connection) -> Result<Option<ArticleSummary>, StoreError> {
    Ok(c.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM articles a JOIN sections s ON s.id = a.section_id
         WHERE a.featured ORDER BY a.published_at DESC, a.slug LIMIT 1"
    ))?
    .query_row([], summary_from_row)
    .optional()?)
}

fn article_page(c: &Connection, page: u32) -> Result<Option<ArticleList>, StoreError> {
    let total_articles = article_count(c)?;
    let per_page = limits::ARTICLES_PER_PAGE;
    let total_pages = total_articles.div_ceil(per_page).max(1);
    if page == 0 || page > total_pages {
        return Ok(None);
    }
    let mut statement = c.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM articles a JOIN sections s ON s.id = a.section_id
         ORDER BY a.published_at DESC, a.slug LIMIT ?1 OFFSET ?2"
    ))?;
    let articles = statement
        .query_map(
            params![per_page, i64::from(page - 1) * i64::from(per_page)],
            summary_from_row,
        )?
        .collect::<Result<_, _>>()?;
    Ok(Some(ArticleList {
        lead: lead_story(c)?,
        articles,
        page,
        total_pages,
        total_articles,
        sections: sections(c)?,
        next: None,
    }))
}

fn summaries_after(
    c: &Connection,
    after: Option<&ListCursor>,
    limit: u32,
) -> Result<Vec<ArticleSummary>, StoreError> {
    let rows = match after {
        None => c
            .prepare_cached(&format!(
                "SELECT {SUMMARY_COLUMNS} FROM articles a JOIN sections s ON s.id = a.section_id
                 ORDER BY a.published_at DESC, a.slug LIMIT ?1"
            ))?
            .query_map(params![limit], summary_from_row)?
            .collect::<Result<_, _>>()?,
        // Newest first, slugs ascending among equal times: "after" is older, or as old with
        // a later slug.
        Some(cursor) => c
            .prepare_cached(&format!(
                "SELECT {SUMMARY_COLUMNS} FROM articles a JOIN sections s ON s.id = a.section_id
                 WHERE a.published_at < ?1 OR (a.published_at = ?1 AND a.slug > ?2)
                 ORDER BY a.published_at DESC, a.slug LIMIT ?3"
            ))?
            .query_map(
                params![cursor.published_at, cursor.slug, limit],
                summary_from_row,
            )?
            .collect::<Result<_, _>>()?,
    };
    Ok(rows)
}

fn summary(c: &Connection, slug: &str) -> Result<Option<ArticleSummary>, StoreError> {
    Ok(c.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM articles a JOIN sections s ON s.id = a.section_id
         WHERE a.slug = ?1"
    ))?
    .query_row([slug], summary_from_row)
    .optional()?)
}

/// The related articles of `slug` that exist, in the editors' order.
fn related_summaries(c: &Connection, slug: &str) -> Result<Vec<ArticleSummary>, StoreError> {
    let mut statement = c.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM related_articles r
         JOIN articles owner ON owner.id = r.article_id
         JOIN articles a ON a.slug = r.related_slug
         JOIN sections s ON s.id = a.section_id
         WHERE owner.slug = ?1 ORDER BY r.position"
    ))?;
    let rows = statement.query_map([slug], summary_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The parts of an article row that its summary does not hold.
struct ArticleDetails {
    credit: Option<String>,
    audio_url: Option<String>,
    audio_duration_seconds: Option<u32>,
    body_json: String,
    reading_time_minutes: u32,
}

fn article(c: &Connection, slug: &str) -> Result<Option<Article>, StoreError> {
    let Some(settings) = site(c)? else {
        return Ok(None);
    };
    let details = c
        .prepare_cached(
            "SELECT credit, audio_url, audio_duration_seconds, body_json, reading_time_minutes
             FROM articles WHERE slug = ?1",
        )?
        .query_row([slug], |r| {
            Ok(ArticleDetails {
                credit: r.get(0)?,
                audio_url: r.get(1)?,
                audio_duration_seconds: r.get(2)?,
                body_json: r.get(3)?,
                reading_time_minutes: r.get(4)?,
            })
        })
        .optional()?;
    let (Some(summary), Some(details)) = (summary(c, slug)?, details) else {
        return Ok(None);
    };
    let mut related = related_summaries(c, slug)?;
    let related_total = u32::try_from(related.len()).unwrap_or(u32::MAX);
    related.truncate(limits::RELATED_PREVIEW);
    Ok(Some(Article {
        slug: summary.slug,
        headline: summary.headline,
        standfirst: summary.standfirst,
        section: summary.section,
        published_at: summary.published_at,
        updated_at: summary.updated_at,
        reading_time_minutes: details.reading_time_minutes,
        body: serde_json::from_str(&details.body_json)?,
        credit: details.credit,
        ai_disclaimer: settings.ai_disclaimer,
        audio: details.audio_url.zip(details.audio_duration_seconds).map(
            |(url, duration_seconds)| Audio {
                url,
                duration_seconds,
            },
        ),
        related,
        related_total,
    }))
}

fn related_list(c: &Connection, slug: &str) -> Result<Option<RelatedList>, StoreError> {
    let Some(article) = summary(c, slug)? else {
        return Ok(None);
    };
    Ok(Some(RelatedList {
        article,
        related: related_summaries(c, slug)?,
    }))
}

/// The id of the article `slug`, if it exists.
pub(super) fn article_id(c: &Connection, slug: &str) -> Result<Option<i64>, StoreError> {
    Ok(
        c.query_row("SELECT id FROM articles WHERE slug = ?1", [slug], |r| {
            r.get(0)
        })
        .optional()?,
    )
}

impl SqliteStore {
    /// See [`crate::Store::site`].
    pub async fn site(&self) -> Result<Option<SiteSettings>, StoreError> {
        self.with_reader(site).await
    }

    /// See [`crate::Store::article_page`].
    pub async fn article_page(&self, page: u32) -> Result<Option<ArticleList>, StoreError> {
        self.with_reader(move |c| article_page(c, page)).await
    }

    /// See [`crate::Store::summaries_after`].
    pub async fn summaries_after(
        &self,
        after: Option<ListCursor>,
        limit: u32,
    ) -> Result<Vec<ArticleSummary>, StoreError> {
        self.with_reader(move |c| summaries_after(c, after.as_ref(), limit))
            .await
    }

    /// See [`crate::Store::article_count`].
    pub async fn article_count(&self) -> Result<u32, StoreError> {
        self.with_reader(article_count).await
    }

    /// See [`crate::Store::lead_story`].
    pub async fn lead_story(&self) -> Result<Option<ArticleSummary>, StoreError> {
        self.with_reader(lead_story).await
    }

    /// See [`crate::Store::sections`].
    pub async fn sections(&self) -> Result<Vec<Section>, StoreError> {
        self.with_reader(sections).await
    }

    /// See [`crate::Store::article`].
    pub async fn article(&self, slug: String) -> Result<Option<Article>, StoreError> {
        self.with_reader(move |c| article(c, &slug)).await
    }

    /// See [`crate::Store::related_list`].
    pub async fn related_list(&self, slug: String) -> Result<Option<RelatedList>, StoreError> {
        self.with_reader(move |c| related_list(c, &slug)).await
    }

    /// See [`crate::Store::load_content`].
    pub async fn load_content(&self, content: Content) -> Result<LoadReport, StoreError> {
        self.with_writer(move |c| {
            let tx = c.transaction()?;
            save_site(&tx, &content.site)?;
            save_articles(&tx, &content.articles)?;
            tx.commit()?;
            Ok(LoadReport {
                articles: content.articles.len(),
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
            let tx = c.transaction()?;
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
