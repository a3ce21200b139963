//! Articles, sections and the site masthead as readers see them: withdrawn articles are left
//! out of every answer.

use budapest_post_contract::{
    limits, Article, ArticleList, ArticleSummary, Audio, RelatedList, Section, Site,
};
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;

use super::{count, query_on, small, PostgresStore};
use crate::{ListCursor, SiteSettings, StoreError};

/// The columns [`summary_from_row`] reads, for `articles a JOIN sections s`.
pub(super) const SUMMARY_COLUMNS: &str =
    "a.slug, a.headline, a.standfirst, s.slug, s.name, a.published_at, a.updated_at";

/// An article's list entry from a row of [`SUMMARY_COLUMNS`] starting at column `from`.
pub(super) fn summary_from_row(r: &Row) -> Result<ArticleSummary, StoreError> {
    Ok(ArticleSummary {
        slug: r.try_get(0)?,
        headline: r.try_get(1)?,
        standfirst: r.try_get(2)?,
        section: Section {
            slug: r.try_get(3)?,
            name: r.try_get(4)?,
        },
        published_at: r.try_get(5)?,
        updated_at: r.try_get(6)?,
    })
}

fn summaries(rows: &[Row]) -> Result<Vec<ArticleSummary>, StoreError> {
    rows.iter().map(summary_from_row).collect()
}

const SITE: &str = "SELECT name, motto, tagline, ai_disclaimer FROM site WHERE id = 1";

fn site_of(row: Option<&Row>) -> Result<Option<SiteSettings>, StoreError> {
    let Some(r) = row else {
        return Ok(None);
    };
    Ok(Some(SiteSettings {
        masthead: Site {
            name: r.try_get(0)?,
            motto: r.try_get(1)?,
            tagline: r.try_get(2)?,
        },
        ai_disclaimer: r.try_get(3)?,
    }))
}

const LIVE_SUMMARY_FROM: &str = "FROM articles a JOIN sections s ON s.id = a.section_id
     WHERE a.withdrawn_at IS NULL";

const ARTICLE_COUNT: &str = "SELECT COUNT(*) FROM articles WHERE withdrawn_at IS NULL";

/// The sections that hold at least one live article, by name.
const SECTIONS: &str = "SELECT s.slug, s.name FROM sections s
     WHERE EXISTS (SELECT 1 FROM articles a WHERE a.section_id = s.id AND a.withdrawn_at IS NULL)
     ORDER BY s.name";

/// The newest featured article.
fn lead_sql() -> String {
    format!(
        "SELECT {SUMMARY_COLUMNS} {LIVE_SUMMARY_FROM} AND a.featured
         ORDER BY a.published_at DESC, a.slug LIMIT 1"
    )
}

/// The related articles of the article `$1` that readers can see, in the editors' order.
fn related_sql() -> String {
    format!(
        "SELECT {SUMMARY_COLUMNS} FROM related_articles r
         JOIN articles owner ON owner.id = r.article_id
         JOIN articles a ON a.slug = r.related_slug
         JOIN sections s ON s.id = a.section_id
         WHERE owner.slug = $1 AND owner.withdrawn_at IS NULL AND a.withdrawn_at IS NULL
         ORDER BY r.position"
    )
}

fn sections_of(rows: &[Row]) -> Result<Vec<Section>, StoreError> {
    rows.iter()
        .map(|r| {
            Ok(Section {
                slug: r.try_get(0)?,
                name: r.try_get(1)?,
            })
        })
        .collect()
}

/// The id of the article `slug`, if readers can see it.
pub(super) async fn live_article_id(
    c: &impl GenericClient,
    slug: &str,
) -> Result<Option<i64>, StoreError> {
    let statement = c
        .prepare_cached("SELECT id FROM articles WHERE slug = $1 AND withdrawn_at IS NULL")
        .await?;
    Ok(match c.query_opt(&statement, &[&slug]).await? {
        Some(row) => Some(row.try_get(0)?),
        None => None,
    })
}

impl PostgresStore {
    /// See [`crate::Store::site`].
    pub async fn site(&self) -> Result<Option<SiteSettings>, StoreError> {
        site_of(self.row(SITE, &[]).await?.as_ref())
    }

    /// See [`crate::Store::article_count`].
    pub async fn article_count(&self) -> Result<u32, StoreError> {
        let rows = self.rows(ARTICLE_COUNT, &[]).await?;
        rows.first().map_or(Ok(0), count)
    }

    /// See [`crate::Store::lead_story`].
    pub async fn lead_story(&self) -> Result<Option<ArticleSummary>, StoreError> {
        self.row(&lead_sql(), &[])
            .await?
            .as_ref()
            .map(summary_from_row)
            .transpose()
    }

    /// See [`crate::Store::sections`]: those that hold at least one live article.
    pub async fn sections(&self) -> Result<Vec<Section>, StoreError> {
        sections_of(&self.rows(SECTIONS, &[]).await?)
    }

    /// See [`crate::Store::article_page`]: its four queries in one pipeline.
    pub async fn article_page(&self, page: u32) -> Result<Option<ArticleList>, StoreError> {
        let per_page = limits::ARTICLES_PER_PAGE;
        if page == 0 {
            return Ok(None);
        }
        let client = self.client().await?;
        let limit = i64::from(per_page);
        let offset = i64::from(page - 1) * i64::from(per_page);
        let page_sql = format!(
            "SELECT {SUMMARY_COLUMNS} {LIVE_SUMMARY_FROM}
             ORDER BY a.published_at DESC, a.slug LIMIT $1 OFFSET $2"
        );
        let lead_sql = lead_sql();
        let page_params: [super::Param<'_>; 2] = [&limit, &offset];
        let (counted, rows, lead, sections) = tokio::try_join!(
            query_on(&client, ARTICLE_COUNT, &[]),
            query_on(&client, &page_sql, &page_params),
            query_on(&client, &lead_sql, &[]),
            query_on(&client, SECTIONS, &[]),
        )?;
        let total_articles = counted.first().map_or(Ok(0), count)?;
        let total_pages = total_articles.div_ceil(per_page).max(1);
        if page > total_pages {
            return Ok(None);
        }
        Ok(Some(ArticleList {
            lead: lead.first().map(summary_from_row).transpose()?,
            articles: summaries(&rows)?,
            page,
            total_pages,
            total_articles,
            sections: sections_of(&sections)?,
            next: None,
        }))
    }

    /// See [`crate::Store::summaries_after`].
    pub async fn summaries_after(
        &self,
        after: Option<ListCursor>,
        limit: u32,
    ) -> Result<Vec<ArticleSummary>, StoreError> {
        let limit = i64::from(limit);
        let rows = match after {
            None => {
                self.rows(
                    &format!(
                        "SELECT {SUMMARY_COLUMNS} {LIVE_SUMMARY_FROM}
                         ORDER BY a.published_at DESC, a.slug LIMIT $1"
                    ),
                    &[&limit],
                )
                .await?
            }
            // Newest first, slugs ascending among equal times: "after" is older, or as old
            // with a later slug.
            Some(cursor) => {
                self.rows(
                    &format!(
                        "SELECT {SUMMARY_COLUMNS} {LIVE_SUMMARY_FROM}
                           AND (a.published_at < $1 OR (a.published_at = $1 AND a.slug > $2))
                         ORDER BY a.published_at DESC, a.slug LIMIT $3"
                    ),
                    &[&cursor.published_at, &cursor.slug, &limit],
                )
                .await?
            }
        };
        summaries(&rows)
    }

    async fn summary(&self, slug: &str) -> Result<Option<ArticleSummary>, StoreError> {
        self.row(
            &format!("SELECT {SUMMARY_COLUMNS} {LIVE_SUMMARY_FROM} AND a.slug = $1"),
            &[&slug],
        )
        .await?
        .as_ref()
        .map(summary_from_row)
        .transpose()
    }

    /// The related articles of `slug` that exist, in the editors' order.
    async fn related_summaries(&self, slug: &str) -> Result<Vec<ArticleSummary>, StoreError> {
        summaries(&self.rows(&related_sql(), &[&slug]).await?)
    }

    /// See [`crate::Store::slugs_with_related`].
    pub async fn slugs_with_related(
        &self,
    ) -> Result<std::collections::HashSet<String>, StoreError> {
        let rows = self
            .rows(
                "SELECT DISTINCT owner.slug FROM related_articles r
                 JOIN articles owner ON owner.id = r.article_id
                 JOIN articles a ON a.slug = r.related_slug
                 WHERE owner.withdrawn_at IS NULL AND a.withdrawn_at IS NULL",
                &[],
            )
            .await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    /// See [`crate::Store::article`]: its four queries in one pipeline.
    pub async fn article(&self, slug: String) -> Result<Option<Article>, StoreError> {
        let client = self.client().await?;
        let article_sql = format!(
            "SELECT {SUMMARY_COLUMNS}, a.credit, a.audio_url, a.audio_duration_seconds,
                    a.body_json, a.reading_time_minutes
             {LIVE_SUMMARY_FROM} AND a.slug = $1"
        );
        let related_sql = related_sql();
        let by_slug: [super::Param<'_>; 1] = [&slug];
        let (found, masthead, related, corrections) = tokio::try_join!(
            query_on(&client, &article_sql, &by_slug),
            query_on(&client, SITE, &[]),
            query_on(&client, &related_sql, &by_slug),
            query_on(
                &client,
                "SELECT c.id, c.note, c.published_at FROM corrections c
                 JOIN articles a ON a.id = c.article_id
                 WHERE a.slug = $1 ORDER BY c.id",
                &by_slug,
            ),
        )?;
        let (Some(found), Some(settings)) = (found.first(), site_of(masthead.first())?) else {
            return Ok(None);
        };
        let audio_url: Option<String> = found.try_get(8)?;
        let audio_seconds: Option<i64> = found.try_get(9)?;
        let body_json: String = found.try_get(10)?;
        let mut related = summaries(&related)?;
        let related_total = u32::try_from(related.len()).unwrap_or(u32::MAX);
        related.truncate(limits::RELATED_PREVIEW);
        Ok(Some(Article {
            summary: summary_from_row(found)?,
            reading_time_minutes: small(found.try_get(11)?)?,
            body: serde_json::from_str(&body_json)?,
            credit: found.try_get(7)?,
            ai_disclaimer: settings.ai_disclaimer,
            audio: match (audio_url, audio_seconds) {
                (Some(url), Some(seconds)) => Some(Audio {
                    url,
                    duration_seconds: small(seconds)?,
                }),
                _ => None,
            },
            related,
            related_total,
            corrections: corrections
                .iter()
                .map(|r| super::corrections::correction_of(r, 0))
                .collect::<Result<_, _>>()?,
        }))
    }

    /// See [`crate::Store::related_list`].
    pub async fn related_list(&self, slug: String) -> Result<Option<RelatedList>, StoreError> {
        let Some(article) = self.summary(&slug).await? else {
            return Ok(None);
        };
        Ok(Some(RelatedList {
            article,
            related: self.related_summaries(&slug).await?,
        }))
    }
}
