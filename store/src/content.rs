//! Loads the site's content folder (`content/`) into the database.

use std::path::{Path, PathBuf};

use budapest_post_contract::{paths, Audio, Block, Site};
use serde::Deserialize;

use crate::{NewArticle, SiteSettings};

/// Why the content folder could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A file is not valid TOML of the expected shape.
    #[error("{path} is not valid content: {source}")]
    Parse {
        path: PathBuf,
        source: Box<toml::de::Error>,
    },
    /// A file's content breaks a rule.
    #[error("{path}: {problem}")]
    Invalid {
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
}

/// A content folder's site and articles, checked and ready to load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Content {
    /// The masthead and notices.
    pub site: SiteSettings,
    /// Every article, in file-name order.
    pub articles: Vec<NewArticle>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteFile {
    name: String,
    motto: String,
    tagline: String,
    ai_disclaimer: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticleFile {
    slug: String,
    headline: String,
    standfirst: Option<String>,
    section: String,
    published_at: String,
    updated_at: Option<String>,
    #[serde(default)]
    featured: bool,
    credit: Option<String>,
    audio: Option<Audio>,
    #[serde(default)]
    related: Vec<String>,
    #[serde(default)]
    body: Vec<Block>,
}

fn read_toml<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T, ContentError> {
    let text = std::fs::read_to_string(path).map_err(|source| ContentError::Read {
        path: path.to_owned(),
        source,
    })?;
    toml::from_str(&text).map_err(|source| ContentError::Parse {
        path: path.to_owned(),
        source: Box::new(source),
    })
}

/// The one form of time the database sorts by as text: RFC 3339 in UTC, to the second.
const UTC_TIMESTAMP: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");

/// Whether `value` is a time of the form `2021-12-17T14:30:00Z` on a day the calendar has.
fn is_utc_timestamp(value: &str) -> bool {
    time::PrimitiveDateTime::parse(value, UTC_TIMESTAMP).is_ok()
}

impl Content {
    /// The site and articles of the content folder at `dir`, checked.
    pub fn read_dir(dir: &Path) -> Result<Self, ContentError> {
        read_dir(dir)
    }
}

fn read_dir(dir: &Path) -> Result<Content, ContentError> {
    let site: SiteFile = read_toml(&dir.join("site.toml"))?;
    let articles_dir = dir.join("articles");
    let listing = std::fs::read_dir(&articles_dir).map_err(|source| ContentError::Read {
        path: articles_dir.clone(),
        source,
    })?;
    let mut files: Vec<PathBuf> = listing
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    let mut articles = Vec::with_capacity(files.len());
    for path in files {
        let file: ArticleFile = read_toml(&path)?;
        let invalid = |problem: String| ContentError::Invalid {
            path: path.clone(),
            problem,
        };
        if !paths::is_valid_slug(&file.slug) || file.slug == "index" {
            return Err(invalid(format!("`{}` is not a valid slug", file.slug)));
        }
        for time in std::iter::once(&file.published_at).chain(file.updated_at.iter()) {
            if !is_utc_timestamp(time) {
                return Err(invalid(format!(
                    "`{time}` is not a time like 2021-12-17T14:30:00Z"
                )));
            }
        }
        articles.push(NewArticle {
            slug: file.slug,
            headline: file.headline,
            standfirst: file.standfirst,
            section: file.section,
            published_at: file.published_at,
            updated_at: file.updated_at,
            featured: file.featured,
            credit: file.credit,
            audio: file.audio,
            related: file.related,
            body: file.body,
        });
    }
    let slugs: std::collections::HashSet<&str> = articles.iter().map(|a| a.slug.as_str()).collect();
    if slugs.len() != articles.len() {
        return Err(ContentError::Invalid {
            path: articles_dir,
            problem: "two articles share a slug".into(),
        });
    }
    Ok(Content {
        site: SiteSettings {
            masthead: Site {
                name: site.name,
                motto: site.motto,
                tagline: site.tagline,
            },
            ai_disclaimer: site.ai_disclaimer,
        },
        articles,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn repo_content() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
    }

    #[test]
    fn the_sample_content_is_the_seed_article_and_its_fifty_related_headlines() {
        let Content { site, articles } = Content::read_dir(&repo_content()).unwrap();
        assert_eq!(site.masthead.name, "Budapest Post");
        assert!(site.ai_disclaimer.contains("Contact Us"));
        assert_eq!(articles.len(), 51);
        let full: Vec<_> = articles.iter().filter(|a| !a.body.is_empty()).collect();
        assert_eq!(full.len(), 1);
        assert_eq!(full[0].related.len(), 50);
        let text: String = full[0].body.iter().map(Block::plain_text).collect();
        assert!(
            text.contains("The Russian fFreign Ministry"),
            "the seed's typo is kept"
        );
        assert!(full[0]
            .body
            .iter()
            .any(|b| matches!(b, Block::Explainer { items, .. } if items.len() == 2)));
    }

    #[tokio::test]
    async fn loading_twice_does_not_duplicate() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::Store::open(&crate::Database::sqlite(dir.path().join("db.sqlite3")))
            .await
            .unwrap();
        let content = Content::read_dir(&repo_content()).unwrap();
        store.load_content(content.clone()).await.unwrap();
        store.load_content(content).await.unwrap();
        assert_eq!(store.article_count().await.unwrap(), 51);
        let seed = "russia-lays-out-demands-for-a-sweeping-new-security-deal-with-nato";
        let related = store.related_list(seed).await.unwrap().unwrap();
        assert_eq!(related.related.len(), 50);
    }

    #[test]
    fn timestamps() {
        assert!(is_utc_timestamp("2021-12-17T14:30:00Z"));
        assert!(is_utc_timestamp("2024-02-29T23:59:59Z"));
        assert!(!is_utc_timestamp("2021-12-17 14:30:00"));
        assert!(!is_utc_timestamp("yesterday"));
        assert!(!is_utc_timestamp("2023-02-29T12:00:00Z"), "not a leap year");
        assert!(!is_utc_timestamp("2021-13-01T12:00:00Z"));
        assert!(!is_utc_timestamp("2021-04-31T12:00:00Z"));
        assert!(!is_utc_timestamp("2021-12-17T24:00:00Z"));
        assert!(!is_utc_timestamp("2021-12-17T14:30:00+01:00"));
        assert!(!is_utc_timestamp("２０２１-12-17T14:30:00Z"));
    }
}

#[cfg(test)]
mod properties;
