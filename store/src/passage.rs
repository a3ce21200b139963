//! Finding a quoted passage in an article's body and replacing it: what a correction does to
//! the text. A passage must stand exactly once in the text readers see, so a correction
//! changes what the editor meant and nothing else.

use budapest_post_contract::{Block, Inline};

/// Why a passage cannot be replaced in a body.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PassageError {
    /// The passage given is empty or only spaces.
    #[error("the passage to replace is empty")]
    Blank,
    /// The passage is nowhere in the article's text.
    #[error("the passage is not in the article's text (has it been corrected already?)")]
    NotFound,
    /// The passage stands more than once, so which one is meant is unclear.
    #[error(
        "the passage stands {0} times in the article's text; quote more of it, so that it \
         stands exactly once"
    )]
    Ambiguous(usize),
}

/// A body with its passage replaced, and which block changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replaced {
    /// The whole body after the replacement.
    pub body: Vec<Block>,
    /// The index of the block that changed.
    pub block_index: usize,
}

fn inline_text(inline: &mut Inline) -> &mut String {
    match inline {
        Inline::Text { text } | Inline::Emphasis { text } | Inline::Strong { text } => text,
    }
}

/// The pieces of `block` readers see as text, each searched on its own. A paragraph with
/// inline runs shows the runs, not its plain `text`.
fn shown_text(block: &mut Block) -> Vec<&mut String> {
    match block {
        Block::Paragraph { text, inlines } if inlines.is_empty() => vec![text],
        Block::Paragraph { inlines, .. } => inlines.iter_mut().map(inline_text).collect(),
        Block::Explainer { title, items } => std::iter::once(title)
            .chain(
                items
                    .iter_mut()
                    .flat_map(|item| [&mut item.lead, &mut item.text]),
            )
            .collect(),
        Block::Image { caption, .. } => caption.iter_mut().collect(),
        Block::Quote { text, attribution } => std::iter::once(text)
            .chain(attribution.iter_mut())
            .collect(),
    }
}

/// How many times `needle` starts in `haystack`, overlapping ones included.
fn occurrences(haystack: &str, needle: &str) -> usize {
    haystack
        .char_indices()
        .filter(|(at, _)| {
            haystack
                .get(*at..)
                .is_some_and(|rest| rest.starts_with(needle))
        })
        .count()
}

/// `body` with `passage` replaced by `replacement`, when the passage stands exactly once in
/// the text readers see.
pub fn replace_once(
    body: &[Block],
    passage: &str,
    replacement: &str,
) -> Result<Replaced, PassageError> {
    if passage.trim().is_empty() {
        return Err(PassageError::Blank);
    }
    let mut body = body.to_vec();
    let mut found = Vec::new();
    for (index, block) in body.iter_mut().enumerate() {
        for (piece, text) in shown_text(block).into_iter().enumerate() {
            for _ in 0..occurrences(text, passage) {
                found.push((index, piece));
            }
        }
    }
    let (block_index, piece) = match found.as_slice() {
        [] => return Err(PassageError::NotFound),
        [one] => *one,
        many => return Err(PassageError::Ambiguous(many.len())),
    };
    let block = &mut body[block_index];
    if let Some(text) = shown_text(block).into_iter().nth(piece) {
        *text = text.replacen(passage, replacement, 1);
    }
    // A paragraph's plain text follows its inline runs where it can.
    if let Block::Paragraph { text, inlines } = block {
        if !inlines.is_empty() && occurrences(text, passage) == 1 {
            *text = text.replacen(passage, replacement, 1);
        }
    }
    Ok(Replaced { body, block_index })
}

#[cfg(test)]
mod tests {
    use super::*;
    use budapest_post_contract::ExplainerItem;

    fn paragraph(text: &str) -> Block {
        Block::Paragraph {
            text: text.into(),
            inlines: vec![],
        }
    }

    #[test]
    fn a_passage_found_once_is_replaced_in_its_block_only() {
        let body = vec![
            paragraph("Nothing here."),
            paragraph("The Russian fFreign Ministry said."),
        ];
        let replaced = replace_once(&body, "fFreign Ministry", "Foreign Ministry").unwrap();
        assert_eq!(replaced.block_index, 1);
        assert_eq!(replaced.body[0], body[0]);
        assert_eq!(
            replaced.body[1],
            paragraph("The Russian Foreign Ministry said.")
        );
    }

    #[test]
    fn nowhere_or_more_than_once_is_refused() {
        let body = vec![paragraph("A cat."), paragraph("Another cat.")];
        assert_eq!(
            replace_once(&body, "dog", "x").unwrap_err(),
            PassageError::NotFound
        );
        assert_eq!(
            replace_once(&body, "cat", "x").unwrap_err(),
            PassageError::Ambiguous(2)
        );
        assert_eq!(
            replace_once(&[paragraph("aaa")], "aa", "b").unwrap_err(),
            PassageError::Ambiguous(2),
            "overlapping occurrences count"
        );
        assert_eq!(
            replace_once(&body, "  ", "x").unwrap_err(),
            PassageError::Blank
        );
        assert_eq!(
            replace_once(&body, "Another cat", "Another dog")
                .unwrap()
                .body[1],
            paragraph("Another dog.")
        );
    }

    #[test]
    fn inline_runs_explainers_and_quotes_are_searched() {
        let body = vec![
            Block::Paragraph {
                text: "Plain teh words".into(),
                inlines: vec![
                    Inline::Text {
                        text: "Plain ".into(),
                    },
                    Inline::Emphasis {
                        text: "teh words".into(),
                    },
                ],
            },
            Block::Explainer {
                title: "Background".into(),
                items: vec![ExplainerItem {
                    lead: "Lead.".into(),
                    text: "Explained wrongely.".into(),
                }],
            },
        ];
        let replaced = replace_once(&body, "teh", "the").unwrap();
        assert_eq!(
            replaced.body[0],
            Block::Paragraph {
                text: "Plain the words".into(),
                inlines: vec![
                    Inline::Text {
                        text: "Plain ".into()
                    },
                    Inline::Emphasis {
                        text: "the words".into()
                    },
                ],
            }
        );
        let replaced = replace_once(&body, "wrongely", "wrongly").unwrap();
        assert_eq!(replaced.block_index, 1);
        assert!(replaced.body[1].plain_text().contains("Explained wrongly."));
    }
}
