//! A generated corpus of articles, for measuring the export at scale: each about the seed
//! article's size (twenty paragraphs, now and then an explainer box), a few related articles,
//! one published every 37 minutes going back from February 2025. Deterministic: the same `n`
//! always gives the same articles.

use budapest_post_contract::{Block, ExplainerItem, Site};
use budapest_post_store::{NewArticle, SiteSettings, Store};

use crate::ExportError;

/// Articles saved per transaction, to keep memory flat.
const BATCH: u32 = 1_000;
/// Seconds since 1970 of the newest generated article: 2025-02-28T12:00:00Z.
const NEWEST: i64 = 1_740_744_000;

const SECTIONS: [&str; 6] = [
    "Europe", "World", "Hungary", "Business", "Science", "Culture",
];
const WORDS: [&str; 48] = [
    "government",
    "ministers",
    "budapest",
    "parliament",
    "agreement",
    "talks",
    "security",
    "economy",
    "european",
    "union",
    "officials",
    "report",
    "markets",
    "energy",
    "border",
    "election",
    "court",
    "ruling",
    "policy",
    "reform",
    "city",
    "council",
    "residents",
    "plan",
    "investment",
    "growth",
    "inflation",
    "bank",
    "rates",
    "workers",
    "strike",
    "transport",
    "danube",
    "bridge",
    "festival",
    "museum",
    "researchers",
    "study",
    "climate",
    "water",
    "summer",
    "winter",
    "villages",
    "farmers",
    "harvest",
    "exports",
    "partners",
    "summit",
];

/// Fills `store` with the masthead and `count` generated articles.
pub async fn fill(store: &Store, count: u32) -> Result<(), ExportError> {
    let site = SiteSettings {
        masthead: Site {
            name: "Budapest Post".into(),
            motto: "Cum Deo pro Patria et Libertate".into(),
            tagline: "Budapest, Europe and world news".into(),
        },
        ai_disclaimer: "An AI system generated the content of this page. Please report any \
                        inaccuracies you find using the \"Contact Us\" link."
            .into(),
    };
    store.save_site(site).await?;
    let mut start = 0;
    while start < count {
        let end = (start + BATCH).min(count);
        let batch: Vec<NewArticle> = (start..end).map(|i| article(i, count)).collect();
        store.save_articles(batch).await?;
        start = end;
    }
    Ok(())
}

/// The slug of generated article `i`.
pub fn slug(i: u32) -> String {
    format!("generated-article-{i:06}")
}

/// Generated article `i` of `count`.
pub fn article(i: u32, count: u32) -> NewArticle {
    let mut words = Words::new(i);
    let mut body: Vec<Block> = (0..20)
        .map(|_| Block::Paragraph {
            text: words.paragraph(),
            inlines: vec![],
        })
        .collect();
    if i % 5 == 0 {
        body.insert(
            3,
            Block::Explainer {
                title: "Understand the background".into(),
                items: (0..2)
                    .map(|_| ExplainerItem {
                        lead: format!("{}.", capitalised(&words.phrase(2))),
                        text: words.sentence(),
                    })
                    .collect(),
            },
        );
    }
    let related = [1, 7, 31]
        .iter()
        .map(|step| (i + step) % count.max(1))
        .filter(|j| *j != i)
        .map(slug)
        .collect();
    NewArticle {
        slug: slug(i),
        headline: capitalised(&words.phrase(7 + (i as usize % 4))),
        standfirst: Some(words.sentence()),
        section: SECTIONS[i as usize % SECTIONS.len()].into(),
        published_at: timestamp(NEWEST - i64::from(i) * 37 * 60),
        updated_at: (i % 10 == 0).then(|| timestamp(NEWEST - i64::from(i) * 37 * 60 + 3_600)),
        featured: i % 25 == 0,
        credit: Some("Reported from Budapest.".into()),
        audio: None,
        related,
        body,
    }
}

/// A small deterministic word source (xorshift).
struct Words(u64);

impl Words {
    fn new(seed: u32) -> Self {
        Self(0x9e37_79b9_7f4a_7c15 ^ (u64::from(seed) + 1).wrapping_mul(0x2545_f491_4f6c_dd1d))
    }

    fn next(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % below as u64) as usize
    }

    /// `length` words, the first capitalised when `capital`, into `out`.
    fn words_into(&mut self, out: &mut String, length: usize, capital: bool) {
        for n in 0..length {
            if n > 0 {
                out.push(' ');
            }
            let word = WORDS[self.next(WORDS.len())];
            if n == 0 && capital {
                // Every word is lower-case ASCII.
                out.push(char::from(word.as_bytes()[0].to_ascii_uppercase()));
                out.push_str(&word[1..]);
            } else {
                out.push_str(word);
            }
        }
    }

    fn phrase(&mut self, length: usize) -> String {
        let mut out = String::with_capacity(length * 9);
        self.words_into(&mut out, length, false);
        out
    }

    fn sentence_into(&mut self, out: &mut String) {
        let length = 8 + self.next(11);
        self.words_into(out, length, true);
        out.push('.');
    }

    fn sentence(&mut self) -> String {
        let mut out = String::with_capacity(160);
        self.sentence_into(&mut out);
        out
    }

    fn paragraph(&mut self) -> String {
        let sentences = 4 + self.next(3);
        let mut out = String::with_capacity(sentences * 110);
        for n in 0..sentences {
            if n > 0 {
                out.push(' ');
            }
            self.sentence_into(&mut out);
        }
        out
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Seconds since 1970 as `2025-02-28T12:00:00Z`. The corpus's times are a few years around
/// [`NEWEST`], far inside what `time` represents; the epoch stands in should one ever not be.
pub fn timestamp(seconds: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(timestamp(NEWEST), "2025-02-28T12:00:00Z");
        assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(timestamp(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn articles_are_of_the_seed_articles_size_and_related() {
        let a = article(10, 100);
        let words: usize = a
            .body
            .iter()
            .map(|b| b.plain_text().split_whitespace().count())
            .sum();
        assert!((1_000..2_500).contains(&words), "{words} words");
        assert_eq!(a.related.len(), 3);
        assert_eq!(article(10, 100).headline, a.headline, "deterministic");
        assert!(budapest_post_contract::paths::is_valid_slug(&a.slug));
    }
}
