//! Articles, their body blocks and the lists they appear in.

use serde::{Deserialize, Serialize};

/// A section of the paper, such as "Europe".
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Section {
    /// URL name, e.g. `europe`.
    pub slug: String,
    /// Display name, e.g. `Europe`.
    pub name: String,
}

/// What a list needs to show an article: its headline, where it sits and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleSummary {
    /// URL name, unique.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::slug))]
    pub slug: String,
    /// The headline, plain text.
    pub headline: String,
    /// The summary under the headline, when the article has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub standfirst: Option<String>,
    /// The section it belongs to.
    pub section: Section,
    /// When it was first published (RFC 3339, UTC).
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::timestamp))]
    pub published_at: String,
    /// When it was last updated (RFC 3339, UTC), if ever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::timestamp))]
    pub updated_at: Option<String>,
}

/// A run of inline text: plain, or emphasised. Never markup.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Inline {
    /// Plain text.
    Text {
        /// The text.
        text: String,
    },
    /// Emphasised text (shown in italics).
    Emphasis {
        /// The text.
        text: String,
    },
    /// Strongly emphasised text (shown in bold).
    Strong {
        /// The text.
        text: String,
    },
}

/// One item of an explainer box: a bold lead-in, then the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExplainerItem {
    /// The bold lead-in, e.g. "Ominous warnings."
    pub lead: String,
    /// The rest of the item.
    pub text: String,
}

/// One block of an article's body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A paragraph of plain text.
    Paragraph {
        /// The paragraph's text.
        text: String,
        /// Optional inline runs; when present they replace `text` for display.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        inlines: Vec<Inline>,
    },
    /// A box set inside the body that explains the background.
    Explainer {
        /// The box's heading.
        title: String,
        /// Its items.
        items: Vec<ExplainerItem>,
    },
    /// A picture with its caption and credit.
    Image {
        /// Where the picture is.
        src: String,
        /// What it shows, for readers who cannot see it.
        alt: String,
        /// The caption under it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "openapi", schema(nullable = false))]
        caption: Option<String>,
        /// Who took or owns it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "openapi", schema(nullable = false))]
        credit: Option<String>,
        /// Its intrinsic width in pixels, so the page reserves its space.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "openapi", schema(nullable = false))]
        width: Option<u32>,
        /// Its intrinsic height in pixels.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "openapi", schema(nullable = false))]
        height: Option<u32>,
    },
    /// A pulled quote.
    Quote {
        /// The quoted words.
        text: String,
        /// Who said them.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "openapi", schema(nullable = false))]
        attribution: Option<String>,
    },
}

impl Block {
    /// The block's words, for counting and searching.
    pub fn plain_text(&self) -> String {
        match self {
            Block::Paragraph { text, .. } => text.clone(),
            Block::Explainer { title, items } => {
                let mut out = title.clone();
                for item in items {
                    out.push(' ');
                    out.push_str(&item.lead);
                    out.push(' ');
                    out.push_str(&item.text);
                }
                out
            }
            Block::Image { caption, .. } => caption.clone().unwrap_or_default(),
            Block::Quote { text, .. } => text.clone(),
        }
    }
}

/// An article's recorded audio.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Audio {
    /// Where the recording is.
    #[cfg_attr(feature = "openapi", schema(format = "uri"))]
    pub url: String,
    /// Its length in whole seconds.
    pub duration_seconds: u32,
}

/// Everything an article page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Article {
    /// What a list shows of it (slug, headline, standfirst, section, dates), as fields of the
    /// article's own JSON object: an article is its list entry plus its body.
    #[serde(flatten)]
    pub summary: ArticleSummary,
    /// Minutes an average reader needs; 0 when there is no body.
    pub reading_time_minutes: u32,
    /// The body, block by block.
    pub body: Vec<Block>,
    /// Who reported it and from where.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub credit: Option<String>,
    /// The notice that an AI system wrote the page, and how to report errors.
    pub ai_disclaimer: String,
    /// The recorded reading, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub audio: Option<Audio>,
    /// The first few related articles; the rest are on the related list.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::related_preview))]
    pub related: Vec<ArticleSummary>,
    /// How many related articles there are in all.
    pub related_total: u32,
    /// Its published corrections, oldest first; absent in answers from before corrections.
    #[serde(default)]
    pub corrections: Vec<crate::Correction>,
}

/// One page of the article list, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleList {
    /// The homepage's lead story: the newest featured article.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub lead: Option<ArticleSummary>,
    /// This page's articles.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::page_of_articles))]
    pub articles: Vec<ArticleSummary>,
    /// This page's number, from 1.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub page: u32,
    /// How many pages there are.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub total_pages: u32,
    /// How many articles there are in all.
    pub total_articles: u32,
    /// Every section, in display order.
    pub sections: Vec<Section>,
    /// The path of the next page, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub next: Option<String>,
}

/// An article's full related list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RelatedList {
    /// The article they relate to.
    pub article: ArticleSummary,
    /// All its related articles, in the editors' order.
    pub related: Vec<ArticleSummary>,
}

/// Minutes an average reader needs for `body`, rounded up; 0 for an empty body.
pub fn reading_time_minutes(body: &[Block]) -> u32 {
    let words: usize = body
        .iter()
        .map(|block| block.plain_text().split_whitespace().count())
        .sum();
    let minutes = words.div_ceil(crate::limits::WORDS_PER_MINUTE);
    u32::try_from(minutes).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_tagged_by_type() {
        let json = r#"[{"type":"paragraph","text":"One."},
            {"type":"explainer","title":"T","items":[{"lead":"Lead.","text":"Rest."}]}]"#;
        let blocks: Vec<Block> = serde_json::from_str(json).unwrap();
        assert_eq!(
            blocks[0],
            Block::Paragraph {
                text: "One.".into(),
                inlines: vec![]
            }
        );
        assert!(matches!(&blocks[1], Block::Explainer { items, .. } if items[0].lead == "Lead."));
    }

    #[test]
    fn reading_time_rounds_up() {
        let words = |n: usize| Block::Paragraph {
            text: vec!["word"; n].join(" "),
            inlines: vec![],
        };
        assert_eq!(reading_time_minutes(&[]), 0);
        assert_eq!(reading_time_minutes(&[words(1)]), 1);
        assert_eq!(reading_time_minutes(&[words(230)]), 1);
        assert_eq!(reading_time_minutes(&[words(231)]), 2);
    }
}
