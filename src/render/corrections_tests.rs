//! A corrected article and the corrections page, rendered as the server and the exporter
//! render them: the "Corrected" mark, the note, the structured data, the list.

use budapest_post_contract::{
    paths, Article, ArticleSummary, Block, Correction, CorrectionEntry, CorrectionList, Section,
    Site,
};

use super::shell::Shell;
use super::{render, Answer};
use crate::config::SiteConfig;

const SHELL: &str = "<!DOCTYPE html><html><head><title>T</title>\
    <script type=\"module\">import init from '/app.js';</script></head><body></body></html>";
const NOTE: &str = "An earlier version of this article misspelled the Russian Foreign Ministry.";

fn config() -> SiteConfig {
    SiteConfig {
        base_path: "/news".into(),
        api_base: "/news".into(),
        api_write_base: "/news".into(),
        site_url: "https://example.org".into(),
    }
}

fn summary() -> ArticleSummary {
    ArticleSummary {
        slug: "a-slug".into(),
        headline: "A headline".into(),
        standfirst: None,
        section: Section {
            slug: "europe".into(),
            name: "Europe".into(),
        },
        published_at: "2021-12-17T14:30:00Z".into(),
        updated_at: Some("2026-11-29T16:00:00Z".into()),
    }
}

fn correction() -> Correction {
    Correction {
        id: 7,
        note: NOTE.into(),
        published_at: "2026-11-29T16:00:00Z".into(),
    }
}

fn article(corrections: Vec<Correction>) -> Article {
    Article {
        summary: summary(),
        reading_time_minutes: 1,
        body: vec![Block::Paragraph {
            text: "The Russian Foreign Ministry had earlier demanded it.".into(),
            inlines: vec![],
        }],
        credit: None,
        ai_disclaimer: "Disclaimer.".into(),
        audio: None,
        related: vec![],
        related_total: 0,
        corrections,
    }
}

fn site() -> Answer {
    let site = Site {
        name: "Budapest Post".into(),
        motto: "Motto".into(),
        tagline: "Tagline".into(),
    };
    Answer {
        api_path: paths::site(),
        status: 200,
        body: serde_json::to_string(&site).unwrap(),
    }
}

fn article_page(corrections: Vec<Correction>) -> String {
    let shell = Shell::parse(SHELL, &[], &config()).unwrap();
    let answers = [
        site(),
        Answer {
            api_path: paths::article("a-slug"),
            status: 200,
            body: serde_json::to_string(&article(corrections)).unwrap(),
        },
    ];
    render(&shell, "/news/articles/a-slug", &answers, &config()).html
}

/// The page's `NewsArticle` structured data.
fn json_ld(html: &str) -> serde_json::Value {
    let start = html.find("application/ld+json").unwrap();
    let open = start + html[start..].find('>').unwrap() + 1;
    let close = open + html[open..].find("</script>").unwrap();
    serde_json::from_str(&html[open..close]).unwrap()
}

#[test]
fn a_corrected_article_says_so_beside_its_date_and_at_its_foot() {
    let html = article_page(vec![correction()]);
    assert!(
        html.contains(r##"<a href="#corrections" data-testid="corrected" class="article__corrected">Corrected</a>"##),
        "{html}"
    );
    assert!(html.contains(r#"id="corrections""#));
    assert!(html.contains(r#"id="correction-7""#));
    assert!(html.contains(NOTE));
    assert!(html.contains("29 November 2026, 16:00 GMT"));
    assert!(html.contains(r#"href="/news/corrections""#));

    let data = json_ld(&html);
    assert_eq!(data["dateModified"], "2026-11-29T16:00:00Z");
    assert_eq!(data["correction"][0]["@type"], "CorrectionComment");
    assert_eq!(data["correction"][0]["text"], NOTE);
    assert_eq!(
        data["correction"][0]["datePublished"],
        "2026-11-29T16:00:00Z"
    );
}

#[test]
fn an_article_never_corrected_shows_neither_mark_nor_notes() {
    let html = article_page(vec![]);
    assert!(!html.contains("article__corrected") && !html.contains(r#"id="corrections""#));
    assert!(json_ld(&html).get("correction").is_none());
}

#[test]
fn the_corrections_page_lists_each_with_a_link_to_its_note() {
    let shell = Shell::parse(SHELL, &[], &config()).unwrap();
    let list = CorrectionList {
        corrections: vec![CorrectionEntry {
            correction: correction(),
            article: summary(),
        }],
    };
    let answers = [
        site(),
        Answer {
            api_path: paths::corrections(),
            status: 200,
            body: serde_json::to_string(&list).unwrap(),
        },
    ];
    let page = render(&shell, "/news/corrections", &answers, &config());
    assert_eq!(page.status, 200);
    assert!(page
        .html
        .contains("<title>Corrections — Budapest Post</title>"));
    assert!(page
        .html
        .contains(r#"href="/news/articles/a-slug#correction-7""#));
    assert!(page.html.contains(NOTE));

    let empty = [
        site(),
        Answer {
            api_path: paths::corrections(),
            status: 200,
            body: r#"{"corrections":[]}"#.into(),
        },
    ];
    let page = render(&shell, "/news/corrections", &empty, &config());
    assert!(page.html.contains("No corrections have been published."));
}
