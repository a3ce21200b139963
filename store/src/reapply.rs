//! Published corrections applied again to an article loaded from the content folder, so a
//! load neither undoes nor repeats them (both stores).

use std::borrow::Cow;
use std::collections::HashMap;

use budapest_post_contract::Block;

use crate::{replace_once, NewArticle};

/// A correction as the content loader applies it again.
pub(crate) struct Applied {
    pub passage: String,
    pub replacement: String,
    pub published_at: String,
}

/// The later of two RFC 3339 times (compared as times when both parse, else as text).
fn later(a: &str, b: &str) -> String {
    use time::format_description::well_known::Rfc3339;
    let parsed = (
        time::OffsetDateTime::parse(a, &Rfc3339),
        time::OffsetDateTime::parse(b, &Rfc3339),
    );
    let b_is_later = match parsed {
        (Ok(a), Ok(b)) => b > a,
        _ => b > a,
    };
    if b_is_later { b } else { a }.to_owned()
}

/// `body` and `updated_at` from the content folder with the article's published corrections
/// applied again, in order, so that loading the folder neither undoes nor repeats them. A
/// correction whose passage no longer stands exactly once (the folder's text was itself
/// edited since) is left out, and logged.
fn with_corrections(
    slug: &str,
    body: &[Block],
    updated_at: Option<&str>,
    corrections: &[Applied],
) -> (Vec<Block>, Option<String>) {
    let mut body = body.to_vec();
    let mut updated_at = updated_at.map(str::to_owned);
    for correction in corrections {
        match replace_once(&body, &correction.passage, &correction.replacement) {
            Ok(replaced) => body = replaced.body,
            Err(reason) => {
                tracing::warn!(slug, %reason, passage = %correction.passage,
                    "a published correction no longer applies to the content folder's text");
            }
        }
        updated_at = Some(match updated_at {
            Some(current) => later(&current, &correction.published_at),
            None => correction.published_at.clone(),
        });
    }
    (body, updated_at)
}

/// `article`'s body and `updated_at` as a content load stores them: with the published
/// corrections `corrected` holds for its slug applied again (and taken out of it), or as the
/// folder has them when it has none.
pub(crate) fn as_stored<'a>(
    article: &'a NewArticle,
    corrected: &mut HashMap<String, Vec<Applied>>,
) -> (Cow<'a, [Block]>, Option<Cow<'a, str>>) {
    match corrected.remove(&article.slug) {
        Some(corrections) => {
            let (body, updated_at) = with_corrections(
                &article.slug,
                &article.body,
                article.updated_at.as_deref(),
                &corrections,
            );
            (Cow::Owned(body), updated_at.map(Cow::Owned))
        }
        None => (
            Cow::Borrowed(article.body.as_slice()),
            article.updated_at.as_deref().map(Cow::Borrowed),
        ),
    }
}
