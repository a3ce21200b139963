//! Articles, sections and the site masthead: loading and reading.

use budapest_post_contract::{
    limits, paths, Article, ArticleList, ArticleSummary, Audio, Block, RelatedList, Section, Site,
};
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::StoreError;

/// An article as loaded from the content folder.
#[derive(Clone, Debug)]
pub struct NewArticle {
    /// URL name.
    pub slug: String,
    /// Headline.
    pub headline: String,
    /// Summary under the headline.
    pub standfirst: Option<String>,
    /// Section display name.
    pub section: String,
    /// RFC 3339 publication time.
    pub published_at: String,
    /// RFC 3339 update time.
    pub updated_at: Option<String>,
    /// Lead-story candidate.
    pub featured: bool,
    /// Reporting credit.
    pub credit: Option<String>,
    /// Recorded reading.
    pub audio: Option<Audio>,
    /// Slugs of related articles, in order.
    pub related: Vec<String>,
    /// Body blocks.
    pub body: Vec<Block>,
}

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

/// Replaces the site masthead and disclaimer.
pub fn save_site(c: &Connection, site: &Site, ai_disclaimer: &str) -> Result<(), StoreError> {
    c.execute(
        "INSERT INTO site (id, name, motto, tagline, ai_disclaimer) VALUES (1, ?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, motto = excluded.motto,
           tagline = excluded.tagline, ai_disclaimer = excluded.ai_disclaimer",
        params![site.name, site.motto, site.tagline, ai_disclaimer],
    )?;
    Ok(())
}

/// Inserts or updates every article (keyed by slug) in one transaction, so a second load of
/// the same content changes nothing and a failed load leaves the old content whole.
pub fn save_articles(c: &mut Connection, articles: &[NewArticle]) -> Result<(), StoreError> {
    let tx = c.transaction()?;
    for article in articles {
        let section_id: i64 = tx.query_row(
            "INSERT INTO sections (slug, name) VALUES (?1, ?2)
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name RETURNING id",
            params![section_slug(&article.section), article.section],
            |r| r.get(0),
        )?;
        let body_json = serde_json::to_string(&article.body)?;
        let article_id: i64 = tx.query_row(
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
            params![
                article.slug,
                article.headline,
                article.standfirst,
                section_id,
                article.published_at,
                article.updated_at,
                article.featured,
                article.credit,
                article.audio.as_ref().map(|a| a.url.clone()),
                article.audio.as_ref().map(|a| a.duration_seconds),
                body_json,
                budapest_post_contract::reading_time_minutes(&article.body),
            ],
            |r| r.get(0),
        )?;
        tx.execute(
            "DELETE FROM related_articles WHERE article_id = ?1",
            [article_id],
        )?;
        for (position, related_slug) in article.related.iter().enumerate() {
            tx.execute(
                "INSERT INTO related_articles (article_id, position, related_slug) VALUES (?1, ?2, ?3)",
                params![article_id, position as i64, related_slug],
            )?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// The masthead, if content has been loaded.
pub fn site(c: &Connection) -> Result<Option<(Site, String)>, StoreError> {
    Ok(c.query_row(
        "SELECT name, motto, tagline, ai_disclaimer FROM site WHERE id = 1",
        [],
        |r| {
            Ok((
                Site {
                    name: r.get(0)?,
                    motto: r.get(1)?,
                    tagline: r.get(2)?,
                },
                r.get(3)?,
            ))
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

/// Every section, alphabetically.
pub fn sections(c: &Connection) -> Result<Vec<Section>, StoreError> {
    let mut statement = c.prepare_cached("SELECT slug, name FROM sections ORDER BY name")?;
    let rows = statement.query_map([], |r| {
        Ok(Section {
            slug: r.get(0)?,
            name: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// How many articles there are.
pub fn article_count(c: &Connection) -> Result<u32, StoreError> {
    Ok(c.query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))?)
}

/// Page `page` (from 1) of the list, newest first; `None` past the last page.
pub fn article_page(c: &Connection, page: u32) -> Result<Option<ArticleList>, StoreError> {
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
    let lead = c
        .prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM articles a JOIN sections s ON s.id = a.section_id
             WHERE a.featured ORDER BY a.published_at DESC, a.slug LIMIT 1"
        ))?
        .query_row([], summary_from_row)
        .optional()?;
    Ok(Some(ArticleList {
        lead,
        articles,
        page,
        total_pages,
        total_articles,
        sections: sections(c)?,
        next: (page < total_pages).then(|| paths::article_page(page + 1)),
    }))
}

/// One article's summary.
pub fn summary(c: &Connection, slug: &str) -> Result<Option<ArticleSummary>, StoreError> {
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

/// One whole article, with the first few related summaries.
pub fn article(c: &Connection, slug: &str) -> Result<Option<Article>, StoreError> {
    let Some((_, ai_disclaimer)) = site(c)? else {
        return Ok(None);
    };
    let row = c
        .prepare_cached(
            "SELECT a.credit, a.audio_url, a.audio_duration_seconds, a.body_json,
                    a.reading_time_minutes
             FROM articles a WHERE a.slug = ?1",
        )?
        .query_row([slug], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<u32>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, u32>(4)?,
            ))
        })
        .optional()?;
    let (Some(summary), Some((credit, audio_url, audio_duration, body_json, reading_time))) =
        (summary(c, slug)?, row)
    else {
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
        reading_time_minutes: reading_time,
        body: serde_json::from_str(&body_json)?,
        credit,
        ai_disclaimer,
        audio: audio_url
            .zip(audio_duration)
            .map(|(url, duration_seconds)| Audio {
                url,
                duration_seconds,
            }),
        related,
        related_total,
    }))
}

/// An article's whole related list.
pub fn related_list(c: &Connection, slug: &str) -> Result<Option<RelatedList>, StoreError> {
    let Some(article) = summary(c, slug)? else {
        return Ok(None);
    };
    Ok(Some(RelatedList {
        article,
        related: related_summaries(c, slug)?,
    }))
}

/// The id of the article `slug`, if it exists.
pub fn article_id(c: &Connection, slug: &str) -> Result<Option<i64>, StoreError> {
    Ok(
        c.query_row("SELECT id FROM articles WHERE slug = ?1", [slug], |r| {
            r.get(0)
        })
        .optional()?,
    )
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
