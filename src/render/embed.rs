//! Embed pages as whole documents, and the oEmbed answer, for the server and the exporter.
//!
//! An embed page is not the app's shell: it loads no wasm and no site stylesheet, only
//! `embed/frame.css` and `embed/frame.js` (from `public/`), and is rendered from the same API
//! answers and list components as the site.

use budapest_post_contract::pages::{EMBED_FRAME_SCRIPT_PATH, EMBED_FRAME_STYLE_PATH};
use budapest_post_contract::{
    limits, oembed, paths, Article, ArticleList, ArticleSummary, OEmbed, Page, Site,
};
use leptos::prelude::*;

use super::{Answer, RenderedPage};
use crate::config::{self, SiteConfig};
use crate::embed::{iframe_snippet, EmbedKind, DEFAULT_WIDTH};
use crate::head::escape;
use crate::pages::embed::{EmbedArticle, EmbedHeadlines, EmbedMissing};

/// The API paths the embed `page` is rendered from (none for pages that are not embeds).
pub fn api_reads(page: &Page) -> Vec<String> {
    match page {
        Page::EmbedHeadlines { section: None } => vec![paths::site(), paths::article_index()],
        Page::EmbedHeadlines { section: Some(_) } => std::iter::once(paths::site())
            .chain((1..=limits::EMBED_LIST_PAGES).map(paths::article_page))
            .collect(),
        Page::EmbedArticle { slug } => vec![paths::site(), paths::article(slug)],
        _ => Vec::new(),
    }
}

/// The value of the successful answer at `api_path`, if there is one.
fn answered<T: serde::de::DeserializeOwned>(answers: &[Answer], api_path: &str) -> Option<T> {
    answers
        .iter()
        .find(|answer| answer.api_path == api_path && answer.status == 200)
        .and_then(|answer| serde_json::from_str(&answer.body).ok())
}

/// The newest headlines among `answers`' list pages, of `section` when given, at most
/// [`limits::EMBED_HEADLINES_MAX`]; with the section's name. `None` when the section is not
/// one of the paper's or no list answered; a section of the paper with nothing in those pages
/// has no headlines, which its embed says (the exporter writes every section's embed, so the
/// server answers it too).
pub fn headlines(
    answers: &[Answer],
    section: Option<&str>,
) -> Option<(Option<String>, Vec<ArticleSummary>)> {
    let lists: Vec<ArticleList> = answers
        .iter()
        .filter(|answer| answer.status == 200 && answer.api_path != paths::site())
        .filter_map(|answer| serde_json::from_str(&answer.body).ok())
        .collect();
    let first = lists.first()?;
    let section_name = match section {
        Some(slug) => Some(first.sections.iter().find(|s| s.slug == slug)?.name.clone()),
        None => None,
    };
    let mut seen = std::collections::HashSet::new();
    let articles: Vec<ArticleSummary> = lists
        .iter()
        .flat_map(|list| list.articles.iter())
        .filter(|summary| section.is_none_or(|slug| summary.section.slug == slug))
        .filter(|summary| seen.insert(summary.slug.clone()))
        .take(limits::EMBED_HEADLINES_MAX as usize)
        .cloned()
        .collect();
    Some((section_name, articles))
}

/// Renders the embed `page` from `answers`; 404 when what it names is missing.
pub fn render(page: &Page, answers: &[Answer], config: &SiteConfig) -> RenderedPage {
    super::init_executor();
    config::set(config.clone());
    let site_name = answered::<Site>(answers, &paths::site())
        .map(|site| site.name)
        .unwrap_or_else(|| "Budapest Post".into());
    let owner = Owner::new();
    let (status, title, body) = owner.with(|| match page {
        Page::EmbedHeadlines { section } => match headlines(answers, section.as_deref()) {
            Some((section_name, articles)) => (
                200,
                format!("Latest headlines from the {site_name}"),
                view! { <EmbedHeadlines site_name=site_name.clone() section_name articles /> }
                    .to_html(),
            ),
            None => missing(&site_name),
        },
        Page::EmbedArticle { slug } => match answered::<Article>(answers, &paths::article(slug)) {
            Some(article) => (
                200,
                format!("{} — {site_name}", article.summary.headline),
                view! { <EmbedArticle site_name=site_name.clone() summary=article.summary /> }
                    .to_html(),
            ),
            None => missing(&site_name),
        },
        _ => missing(&site_name),
    });
    drop(owner);
    RenderedPage {
        status,
        html: document(config, &title, &body),
    }
}

fn missing(site_name: &str) -> (u16, String, String) {
    (
        404,
        format!("Not found — {site_name}"),
        view! { <EmbedMissing site_name=site_name.to_owned() /> }.to_html(),
    )
}

/// The whole embed document around `body`: not to be indexed, the embed's stylesheet, and its
/// script at the end (so it runs once the list is there).
fn document(config: &SiteConfig, title: &str, body: &str) -> String {
    let paths = config.paths();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n\
         <meta name=\"robots\" content=\"noindex\">\n<title>{title}</title>\n\
         <link rel=\"stylesheet\" href=\"{style}\">\n</head>\n<body>{body}\
         <script src=\"{script}\"></script></body>\n</html>\n",
        title = escape(title),
        style = escape(&paths.under_base(EMBED_FRAME_STYLE_PATH)),
        script = escape(&paths.under_base(EMBED_FRAME_SCRIPT_PATH)),
    )
}

/// The oEmbed answer for the embed `kind`, titled `title`, at most `max_width` × `max_height`
/// when the consumer asks.
pub fn oembed_answer(
    config: &SiteConfig,
    site: &Site,
    kind: EmbedKind<'_>,
    title: &str,
    max_width: Option<u32>,
    max_height: Option<u32>,
) -> OEmbed {
    let width = max_width.map_or(DEFAULT_WIDTH, |max| max.min(DEFAULT_WIDTH));
    let height = max_height.map_or(kind.default_height(), |max| max.min(kind.default_height()));
    OEmbed {
        kind: "rich".into(),
        version: oembed::OEMBED_VERSION.into(),
        title: title.to_owned(),
        provider_name: site.name.clone(),
        provider_url: config.absolute(&config.paths().home()),
        html: iframe_snippet(config, kind, title, width, height),
        width,
        height,
    }
}

/// The oEmbed answer for the homepage: its latest headlines, at most `max_width` ×
/// `max_height` when the consumer asks.
pub fn headlines_oembed_answer(
    config: &SiteConfig,
    site: &Site,
    max_width: Option<u32>,
    max_height: Option<u32>,
) -> OEmbed {
    let title = format!("Latest headlines from the {}", site.name);
    let kind = EmbedKind::Headlines { section: None };
    oembed_answer(config, site, kind, &title, max_width, max_height)
}

#[cfg(test)]
mod tests {
    use super::*;
    use budapest_post_contract::pages::{EMBED_HEIGHT_MESSAGE, EMBED_HOST_SCRIPT_PATH};
    use budapest_post_contract::Section;

    fn summary(slug: &str, section: &str) -> ArticleSummary {
        ArticleSummary {
            slug: slug.into(),
            headline: format!("Headline <{slug}>"),
            standfirst: Some("Standfirst.".into()),
            section: Section {
                slug: section.into(),
                name: section.to_uppercase(),
            },
            published_at: "2025-02-06T02:00:00Z".into(),
            updated_at: None,
        }
    }

    fn list(page: u32, articles: Vec<ArticleSummary>) -> Answer {
        let list = ArticleList {
            lead: None,
            articles,
            page,
            total_pages: 2,
            total_articles: 3,
            sections: vec![
                Section {
                    slug: "europe".into(),
                    name: "Europe".into(),
                },
                Section {
                    slug: "world".into(),
                    name: "World".into(),
                },
            ],
            next: None,
        };
        Answer {
            api_path: paths::article_page(page),
            status: 200,
            body: serde_json::to_string(&list).unwrap(),
        }
    }

    fn site() -> Answer {
        Answer {
            api_path: paths::site(),
            status: 200,
            body: r#"{"name":"Budapest Post","motto":"M","tagline":"T"}"#.into(),
        }
    }

    fn news() -> SiteConfig {
        SiteConfig {
            base_path: "/news".into(),
            api_base: "/news".into(),
            api_write_base: "/news".into(),
            site_url: "https://example.org".into(),
        }
    }

    #[test]
    fn a_sections_headlines_come_from_the_pages_it_looks_through() {
        let answers = vec![
            site(),
            list(1, vec![summary("a", "europe"), summary("b", "world")]),
            list(2, vec![summary("c", "europe")]),
            Answer {
                api_path: paths::article_page(3),
                status: 404,
                body: String::new(),
            },
        ];
        let (name, articles) = headlines(&answers, Some("europe")).unwrap();
        assert_eq!(name.as_deref(), Some("Europe"));
        let slugs: Vec<_> = articles.iter().map(|a| a.slug.as_str()).collect();
        assert_eq!(slugs, ["a", "c"]);
        assert!(headlines(&answers, Some("nowhere")).is_none());
        let world_only = [site(), list(1, vec![summary("b", "world")])];
        let (name, quiet) = headlines(&world_only, Some("europe")).unwrap();
        assert_eq!(name.as_deref(), Some("Europe"));
        assert!(
            quiet.is_empty(),
            "a section of the paper, with nothing recent"
        );
        assert!(headlines(&[site()], None).is_none(), "no list answered");
        assert_eq!(headlines(&answers, None).unwrap().1.len(), 3);
        let many: Vec<_> = (0..30)
            .map(|i| summary(&format!("s{i}"), "world"))
            .collect();
        let full = headlines(&[site(), list(1, many)], None).unwrap().1;
        assert_eq!(full.len(), limits::EMBED_HEADLINES_MAX as usize);
    }

    #[test]
    fn a_section_with_no_recent_headlines_says_so_and_an_unknown_one_is_missing() {
        let answers = vec![site(), list(1, vec![summary("a", "world")])];
        let quiet = Page::EmbedHeadlines {
            section: Some("europe".into()),
        };
        let rendered = render(&quiet, &answers, &news());
        assert_eq!(rendered.status, 200);
        assert!(
            rendered.html.contains("No recent headlines in Europe"),
            "{}",
            rendered.html
        );
        assert!(
            rendered.html.contains(r#"href="/news/""#),
            "a way to the paper"
        );
        assert!(!rendered.html.contains("<ol"), "no empty list");
        let unknown = Page::EmbedHeadlines {
            section: Some("nowhere".into()),
        };
        assert_eq!(render(&unknown, &answers, &news()).status, 404);
    }

    #[test]
    fn the_headlines_embed_is_plain_html_whose_links_open_the_site_in_a_new_tab() {
        let page = Page::EmbedHeadlines {
            section: Some("europe".into()),
        };
        let answers = vec![site(), list(1, vec![summary("a-b", "europe")])];
        let rendered = render(&page, &answers, &news());
        assert_eq!(rendered.status, 200);
        let html = rendered.html;
        assert!(
            html.contains(r#"<link rel="stylesheet" href="/news/embed/frame.css">"#),
            "{html}"
        );
        assert!(html.contains(r#"<script src="/news/embed/frame.js"></script></body>"#));
        assert!(!html.contains(".wasm") && !html.contains("type=\"module\""));
        assert!(html.contains("Headline &lt;a-b&gt;"));
        assert!(
            html.contains(r#"href="/news/articles/a-b" target="_blank" rel="noopener""#),
            "{html}"
        );
        assert!(html.contains("Europe: latest from the Budapest Post"));
        assert_eq!(html.matches("<h1").count(), 1);
        assert!(html.contains(r#"<meta name="robots" content="noindex">"#));
        // Every link opens in a new tab: none would navigate the partner's frame.
        assert_eq!(
            html.matches("<a ").count(),
            html.matches("target=\"_blank\" rel=\"noopener\"").count()
        );
    }

    #[test]
    fn an_article_card_and_a_missing_one() {
        let article = Article {
            summary: summary("a-b", "europe"),
            reading_time_minutes: 1,
            body: vec![],
            credit: None,
            ai_disclaimer: "D".into(),
            audio: None,
            related: vec![],
            related_total: 0,
            corrections: vec![],
        };
        let answers = vec![
            site(),
            Answer {
                api_path: paths::article("a-b"),
                status: 200,
                body: serde_json::to_string(&article).unwrap(),
            },
        ];
        let page = Page::EmbedArticle { slug: "a-b".into() };
        let card = render(&page, &answers, &news());
        assert_eq!(card.status, 200);
        assert!(card.html.contains("Standfirst."));
        assert!(card
            .html
            .contains("<time datetime=\"2025-02-06T02:00:00Z\">6 February 2025</time>"));
        assert!(card
            .html
            .contains("<title>Headline &lt;a-b&gt; — Budapest Post</title>"));
        let missing = render(&page, &answers[..1], &news());
        assert_eq!(missing.status, 404);
        assert!(missing.html.contains("data-testid=\"embed-missing\""));
    }

    #[test]
    fn oembed_answers_keep_within_the_consumers_maximum() {
        let site = Site {
            name: "Budapest Post".into(),
            motto: "M".into(),
            tagline: "T".into(),
        };
        let kind = EmbedKind::Article { slug: "a-b" };
        let answer = oembed_answer(&news(), &site, kind, "H", Some(320), None);
        assert_eq!(
            (answer.width, answer.height),
            (320, crate::embed::ARTICLE_HEIGHT)
        );
        assert_eq!(answer.kind, "rich");
        assert_eq!(answer.version, "1.0");
        assert_eq!(answer.provider_url, "https://example.org/news/");
        assert!(answer.html.contains(r#"width="320""#));
        let roomy = oembed_answer(&news(), &site, kind, "H", Some(5000), Some(100));
        assert_eq!((roomy.width, roomy.height), (DEFAULT_WIDTH, 100));
    }

    /// The scripts in `public/` are plain files; they must agree with what is written here.
    #[test]
    fn the_embed_scripts_agree_with_the_contract() {
        let root = env!("CARGO_MANIFEST_DIR");
        let read = |path: &str| std::fs::read_to_string(format!("{root}/public{path}")).unwrap();
        let host = read(EMBED_HOST_SCRIPT_PATH);
        let frame = read(EMBED_FRAME_SCRIPT_PATH);
        read(EMBED_FRAME_STYLE_PATH);
        for script in [&host, &frame] {
            assert!(script.contains(&format!("\"{EMBED_HEIGHT_MESSAGE}\"")));
        }
        assert!(host.contains(&format!("\"{}\"", crate::embed::SANDBOX)));
        assert!(host.contains(&format!("\"{}\"", crate::embed::REFERRER_POLICY)));
        assert!(host.contains(&format!("\"{}\"", crate::embed::EMBED_ATTRIBUTE)));
        assert!(host.contains(&format!("MAX = {}", limits::EMBED_HEADLINES_MAX)));
        assert!(host.contains(&format!("DEFAULT = {}", limits::EMBED_HEADLINES_DEFAULT)));
        assert!(frame.contains(crate::pages::embed::ITEM_ATTRIBUTE));
        // The host script builds the embeds' addresses from the contract's shapes.
        let paths = budapest_post_contract::SitePaths::new("");
        assert!(host.contains(&format!(
            "\"{}/\"",
            &paths.embed_article("x").trim_end_matches("/x")[1..]
        )));
        assert!(host.contains(&format!("\"{}\"", &paths.embed_headlines(None)[1..])));
    }
}
