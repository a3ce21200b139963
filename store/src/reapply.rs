//! Published corrections applied again to an article loaded from the content folder, so a
//! load neither undoes nor repeats them (both stores).

use budapest_post_contract::Block;

use crate::replace_once;

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
pub(crate) fn with_corrections(
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
