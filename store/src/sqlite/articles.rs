//! Articles, sections and the site masthead as readers see them: withdrawn articles are left
//! out of every answer.

use budapest_post_contract::{
    limits, Article, ArticleList, ArticleSummary, Audio, RelatedList, Section, Site,
};
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::SqliteStore;
use crate::{ListCursor, SiteSettings, StoreError};

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

/// The columns [`summary_from_row`] reads, for `articles a JOIN sections s`.
pub(super) const SUMMARY_COLUMNS: &str =
    "a.slug, a.headline, a.standfirst, s.slug, s.name, a.published_at, a.updated_at";

/// An article's list entry from a row of [`SUMMARY_COLUMNS`].
pub(super) fn summary_from_row(r: &Row<'_>) -> rusqlite::Result<ArticleSummary> {
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

/// The sections that hold at least one live article.
fn sections(c: &Connection) -> Result<Vec<Section>, StoreError> {
    let mut statement = c.prepare_cached(
        "SELECT s.slug, s.name FROM sections s
         WHERE EXISTS (SELECT 1 FROM articles a
                       WHERE a.section_id = s.id AND a.withdrawn_at IS NULL)
         ORDER BY s.name",
    )?;
    let rows = statement.query_map([], |r| {
        Ok(Section {
            slug: r.get(0)?,
            name: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn article_count(c: &Connection) -> Result<u32, StoreError> {
    Ok(c.query_row(
        "SELECT COUNT(*) FROM articles WHERE withdrawn_at IS NULL",
        [],
        |r| r.get(0),
    )?)
}

fn lead_story(c: &Connection) -> Result<Option<ArticleSummary>, StoreError> {
    Ok(c.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM articles a JOIN sections s ON s.id = a.section_id
         WHERE a.featured AND a.withdrawn_at IS NULL
         ORDER BY a.published_at DESC, a.slug LIMIT 1"
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
         WHERE a.withdrawn_at IS NULL
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
                 WHERE a.withdrawn_at IS NULL
                 ORDER BY a.published_at DESC, a.slug LIMIT ?1"
            ))?
            .query_map(params![limit], summary_from_row)?
            .collect::<Result<_, _>>()?,
        // Newest first, slugs ascending among equal times: "after" is older, or as old with
        // a later slug.
        Some(cursor) => c
            .prepare_cached(&format!(
                "SELECT {SUMMARY_COLUMNS} FROM articles a JOIN sections s ON s.id = a.section_id
                 WHERE a.withdrawn_at IS NULL
                   AND (a.published_at < ?1 OR (a.published_at = ?1 AND a.slug > ?2))
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
         WHERE a.slug = ?1 AND a.withdrawn_at IS NULL"
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
         WHERE owner.slug = ?1 AND owner.withdrawn_at IS NULL AND a.withdrawn_at IS NULL
         ORDER BY r.position"
    ))?;
    let rows = statement.query_map([slug], summary_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The slugs of the articles readers can see whose related list has an article readers can
/// see: the ones with a related page.
fn slugs_with_related(c: &Connection) -> Result<std::collections::HashSet<String>, StoreError> {
    let mut statement = c.prepare_cached(
        "SELECT DISTINCT owner.slug FROM related_articles r
         JOIN articles owner ON owner.id = r.article_id
         JOIN articles a ON a.slug = r.related_slug
         WHERE owner.withdrawn_at IS NULL AND a.withdrawn_at IS NULL",
    )?;
    let rows = statement.query_map([], |row| row.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The parts of an article row that its summary does not hold.
struct ArticleDetails {
    id: i64,
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
            "SELECT id, credit, audio_url, audio_duration_seconds, body_json,
                    reading_time_minutes
             FROM articles WHERE slug = ?1 AND withdrawn_at IS NULL",
        )?
        .query_row([slug], |r| {
            Ok(ArticleDetails {
                id: r.get(0)?,
                credit: r.get(1)?,
                audio_url: r.get(2)?,
                audio_duration_seconds: r.get(3)?,
                body_json: r.get(4)?,
                reading_time_minutes: r.get(5)?,
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
        summary,
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
        corrections: super::corrections::of_article(c, details.id)?,
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

/// The id of the article `slug`, if readers can see it.
pub(super) fn live_article_id(c: &Connection, slug: &str) -> Result<Option<i64>, StoreError> {
    Ok(c.query_row(
        "SELECT id FROM articles WHERE slug = ?1 AND withdrawn_at IS NULL",
        [slug],
        |r| r.get(0),
    )
    .optional()?)
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

    /// See [`crate::Store::slugs_with_related`].
    pub async fn slugs_with_related(
        &self,
    ) -> Result<std::collections::HashSet<String>, StoreError> {
        self.with_reader(slugs_with_related).await
    }
}
