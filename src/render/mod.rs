//! Rendering pages to HTML ahead of time: the one renderer the server and the exporter call,
//! so a page cannot differ between them.
//!
//! A page is rendered from the API answers it shows ([`api_reads`] says which), head included
//! (see [`crate::head`]). The parts of it that respond to the reader carry the data they were
//! made from (see [`crate::islands`]), so the app in the browser takes them over where they
//! stand (hydration) instead of drawing them again.

#[cfg(test)]
mod corrections_tests;
pub mod embed;
pub mod inline_hashes;
pub mod shell;
pub mod site_files;

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

use budapest_post_contract::{paths, Page};
use leptos::prelude::*;

use crate::config::{self, SiteConfig};
use crate::head::{self, HeadSlot};
use shell::Shell;

/// One API answer a page is rendered from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The API path, e.g. `/api/v1/site.json`.
    pub api_path: String,
    /// Its HTTP status.
    pub status: u16,
    /// Its body, JSON.
    pub body: String,
}

/// The API paths `page` shows, in the order the server or exporter should read them;
/// `reported_article` is the `?article=` of the Contact Us form.
pub fn api_reads(page: &Page, reported_article: Option<&str>) -> Vec<String> {
    let mut reads = vec![paths::site()];
    match page {
        Page::Home => reads.push(paths::article_index()),
        Page::Article { slug } => reads.push(paths::article(slug)),
        Page::Related { slug } => reads.push(paths::related(slug)),
        Page::Corrections => reads.push(paths::corrections()),
        Page::Contact => {
            if let Some(slug) = reported_article.filter(|s| paths::is_valid_slug(s)) {
                reads.push(paths::article(slug));
            }
        }
        Page::EmbedHeadlines { .. } | Page::EmbedArticle { .. } => return embed::api_reads(page),
        Page::Unsubscribe | Page::ReportStatus | Page::NotFound => {}
    }
    reads
}

/// The status a rendered page answers with, set by the page that knows it (not found, failed).
#[derive(Clone, Default)]
pub struct ResponseStatus(Arc<AtomicU16>);

impl ResponseStatus {
    /// Sets the status, if one is being collected (only when rendering ahead of time).
    pub fn report(status: u16) {
        if let Some(collected) = use_context::<ResponseStatus>() {
            collected.0.store(status, Ordering::Relaxed);
        }
    }
}

/// A page rendered to HTML.
#[derive(Clone, Debug)]
pub struct RenderedPage {
    /// The HTTP status it answers with.
    pub status: u16,
    /// The whole document.
    pub html: String,
}

/// Renders the page at `url` (path and query under the base path, e.g. `/news/articles/x`)
/// into `shell`, as the app shows it with `answers` in memory.
pub fn render(shell: &Shell, url: &str, answers: &[Answer], config: &SiteConfig) -> RenderedPage {
    init_executor();
    config::set(config.clone());
    crate::api::forget_all();
    for answer in answers {
        crate::api::seed(&answer.api_path, answer.status, answer.body.clone());
    }
    let slot = HeadSlot::default();
    let status = ResponseStatus::default();
    status.0.store(200, Ordering::Relaxed);
    let owner = Owner::new();
    let body = owner.with(|| {
        provide_context(leptos_router::location::RequestUrl::new(&format!(
            "http://render{url}"
        )));
        provide_context(slot.clone());
        provide_context(status.clone());
        crate::app::App().to_html()
    });
    drop(owner);
    crate::api::forget_all();
    let site_name = crate::api::peek::<budapest_post_contract::Site>(&paths::site())
        .and_then(Result::ok)
        .map(|site| site.name)
        .unwrap_or_else(|| "Budapest Post".into());
    let page_head = take(&slot.0).unwrap_or_default();
    let head_html = head::html::render(&page_head, &site_name);
    RenderedPage {
        status: status.0.load(Ordering::Relaxed),
        html: shell.page(&head_html, &body),
    }
}

fn take(slot: &Mutex<Option<head::PageHead>>) -> Option<head::PageHead> {
    slot.lock().ok().and_then(|mut held| held.take())
}

/// Effects never run in a page rendered ahead of time: the browser runs them once it has
/// taken the page over. Builds that also enable the browser's features would otherwise try to
/// spawn them.
fn init_executor() {
    let _ = any_spawner::Executor::init_custom_executor(NoEffects);
}

/// An executor that drops what it is given.
struct NoEffects;

impl any_spawner::CustomExecutor for NoEffects {
    fn spawn(&self, _: any_spawner::PinnedFuture<()>) {}
    fn spawn_local(&self, _: any_spawner::PinnedLocalFuture<()>) {}
    fn poll_local(&self) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use budapest_post_contract::{Article, ArticleSummary, Block, ExplainerItem, Section, Site};

    const SHELL: &str = "<!DOCTYPE html><html><head><title>T</title>\
        <script type=\"module\">import init from '/app.js';</script></head><body></body></html>";

    fn article() -> Article {
        Article {
            summary: ArticleSummary {
                slug: "a-slug".into(),
                headline: "A <headline>".into(),
                standfirst: Some("The standfirst.".into()),
                section: Section {
                    slug: "europe".into(),
                    name: "Europe".into(),
                },
                published_at: "2021-12-17T14:30:00Z".into(),
                updated_at: None,
            },
            reading_time_minutes: 1,
            body: vec![
                Block::Paragraph {
                    text: "First paragraph.".into(),
                    inlines: vec![],
                },
                Block::Explainer {
                    title: "Understand".into(),
                    items: vec![ExplainerItem {
                        lead: "Lead.".into(),
                        text: "Text.".into(),
                    }],
                },
            ],
            credit: Some("Reported from Budapest.".into()),
            ai_disclaimer: "Disclaimer.".into(),
            audio: None,
            related: vec![],
            related_total: 0,
            corrections: vec![],
        }
    }

    fn answers(article_status: u16) -> Vec<Answer> {
        let site = Site {
            name: "Budapest Post".into(),
            motto: "Motto".into(),
            tagline: "Tagline".into(),
        };
        vec![
            Answer {
                api_path: paths::site(),
                status: 200,
                body: serde_json::to_string(&site).unwrap(),
            },
            Answer {
                api_path: paths::article("a-slug"),
                status: article_status,
                body: if article_status == 200 {
                    serde_json::to_string(&article()).unwrap()
                } else {
                    r#"{"error":{"code":"not_found","message":"No."}}"#.into()
                },
            },
        ]
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
    fn an_article_renders_with_its_text_head_and_data_under_the_base_path() {
        let shell = Shell::parse(SHELL, &["app.js".into()], &news()).unwrap();
        let page = render(&shell, "/news/articles/a-slug", &answers(200), &news());
        assert_eq!(page.status, 200);
        let html = page.html;
        assert!(html.contains("<title>A &lt;headline&gt;</title>"), "{html}");
        assert!(html.contains("A &lt;headline&gt;</h1>"));
        assert!(html.contains("First paragraph."));
        assert!(html.contains("<strong>Lead.</strong>"));
        assert!(
            html.contains("href=\"/news/contact?article=a-slug\""),
            "{html}"
        );
        assert!(html.contains(
            r#"<link rel="canonical" href="https://example.org/news/articles/a-slug" data-bp-head>"#
        ));
        assert!(html.contains(r#""@type":"NewsArticle""#));
        // The page is complete HTML: no data is embedded for the browser to render it again,
        // only the props of its islands.
        assert!(!html.contains("data-bp-preload"));
        assert!(html.contains(r#"data-island="selection-report""#), "{html}");
        assert!(!html.contains("skeleton"));
    }

    #[test]
    fn a_missing_article_is_the_not_found_page_with_its_status() {
        let shell = Shell::parse(SHELL, &[], &news()).unwrap();
        let page = render(&shell, "/news/articles/a-slug", &answers(404), &news());
        assert_eq!(page.status, 404);
        assert!(page.html.contains("data-testid=\"not-found\""));
        assert!(page
            .html
            .contains(r#"<meta name="robots" content="noindex" data-bp-head>"#));
        let unknown = render(&shell, "/news/no/such/page", &answers(200)[..1], &news());
        assert_eq!(unknown.status, 404);
    }

    #[test]
    fn each_page_reads_what_it_shows() {
        let slug = "a-slug".to_owned();
        assert_eq!(
            api_reads(&Page::Home, None),
            [paths::site(), paths::article_index()]
        );
        assert_eq!(
            api_reads(&Page::Article { slug: slug.clone() }, None),
            [paths::site(), paths::article(&slug)]
        );
        assert_eq!(
            api_reads(&Page::Contact, Some("a-slug")),
            [paths::site(), paths::article(&slug)]
        );
        assert_eq!(api_reads(&Page::Contact, Some("../x")), [paths::site()]);
    }
}
