//! A page's `<head>`: its title, description, canonical link, sharing tags and structured
//! data, declared once by each page with [`use_head`] and written the same way everywhere.
//!
//! Pages are rendered ahead of time (the server and the exporter): the page's [`PageHead`] is
//! handed to the renderer, which writes [`PageHead::tags`] into the document, each marked with
//! [`MANAGED_ATTRIBUTE`]. A page reached by a link in the browser brings its head in its HTML,
//! and `navigation` swaps the marked tags, so it has exactly the head it has when loaded
//! directly.

use budapest_post_contract::pages;
use leptos::prelude::*;

use crate::config;

/// Marks the head elements the app manages, so the browser replaces exactly those.
pub const MANAGED_ATTRIBUTE: &str = "data-bp-head";

/// What one page's head says about it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageHead {
    /// The document title, which the sharing tags repeat.
    pub title: String,
    /// One or two sentences for search results and link previews.
    pub description: String,
    /// The page's path under the base path (`/articles/x`); `None` for pages not to be indexed.
    pub path: Option<String>,
    /// Open Graph type: `article` or `website`.
    pub og_type: &'static str,
    /// Structured data (JSON-LD), already serialised.
    pub json_ld: Option<String>,
    /// The page's oEmbed answer (its path under the base path), for the discovery link.
    pub oembed: Option<String>,
}

/// One element of the managed head, besides the `<title>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeadTag {
    /// `<meta name=… content=…>`.
    MetaName(&'static str, String),
    /// `<meta property=… content=…>`.
    MetaProperty(&'static str, String),
    /// `<link rel=… href=…>` (and `type`/`title` for the feed).
    Link {
        rel: &'static str,
        href: String,
        /// The linked document's type, if it says one.
        kind: Option<&'static str>,
        /// Its title, if it has one.
        title: Option<String>,
    },
    /// `<script type="application/ld+json">`.
    JsonLd(String),
}

impl PageHead {
    /// Every managed head element of this page, in document order, with addresses made
    /// absolute from the site's public address.
    pub fn tags(&self, site_name: &str) -> Vec<HeadTag> {
        let config = config::get();
        let paths = config.paths();
        let mut tags = vec![HeadTag::MetaName("description", self.description.clone())];
        match &self.path {
            Some(path) => {
                let url = config.absolute(path);
                tags.push(HeadTag::Link {
                    rel: "canonical",
                    href: url.clone(),
                    kind: None,
                    title: None,
                });
                tags.push(HeadTag::MetaProperty("og:url", url));
            }
            None => {
                // Pages not indexed are private ones (a status or unsubscribe link) or errors:
                // their addresses are sent to no other page.
                tags.push(HeadTag::MetaName("robots", "noindex".into()));
                tags.push(HeadTag::MetaName("referrer", "no-referrer".into()));
            }
        }
        tags.extend([
            HeadTag::MetaProperty("og:type", self.og_type.into()),
            HeadTag::MetaProperty("og:site_name", site_name.into()),
            HeadTag::MetaProperty("og:title", self.title.clone()),
            HeadTag::MetaProperty("og:description", self.description.clone()),
            HeadTag::MetaName("twitter:card", "summary".into()),
            HeadTag::MetaName("twitter:title", self.title.clone()),
            HeadTag::MetaName("twitter:description", self.description.clone()),
            HeadTag::Link {
                rel: "alternate",
                href: paths.under_base(pages::FEED_PATH),
                kind: Some("application/atom+xml"),
                title: Some(site_name.into()),
            },
            HeadTag::Link {
                rel: "manifest",
                href: paths.under_base(pages::MANIFEST_PATH),
                kind: None,
                title: None,
            },
            HeadTag::Link {
                rel: "apple-touch-icon",
                href: paths.under_base("/icon-192.png"),
                kind: None,
                title: None,
            },
        ]);
        if let Some(oembed) = &self.oembed {
            tags.push(HeadTag::Link {
                rel: "alternate",
                href: config.absolute(oembed),
                kind: Some("application/json+oembed"),
                title: Some(self.title.clone()),
            });
        }
        if let Some(json_ld) = &self.json_ld {
            tags.push(HeadTag::JsonLd(json_ld.clone()));
        }
        tags
    }
}

/// Where a page rendered ahead of time leaves its head for the renderer.
#[derive(Clone, Default)]
pub struct HeadSlot(pub std::sync::Arc<std::sync::Mutex<Option<PageHead>>>);

/// Declares the head of the page being built: called by each page as it is made, so the
/// head is part of the page without adding anything to its markup.
pub fn use_head(head: PageHead) {
    if let Some(slot) = use_context::<HeadSlot>() {
        if let Ok(mut held) = slot.0.lock() {
            *held = Some(head);
        }
    }
}

/// Text made safe for HTML, in text and in quoted attribute values (also for HTML snippets
/// shown to people as text, such as the embed code).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Writing the managed head as HTML, for pages rendered ahead of time.
#[cfg(feature = "ssr")]
pub mod html {
    use super::{HeadTag, PageHead, MANAGED_ATTRIBUTE};

    pub use super::escape;

    /// JSON made safe inside a `<script>` element: `<`, `>` and `&` written as `\u…` escapes,
    /// so no markup at all can appear in it, and the value is unchanged.
    pub fn script_json(json: &str) -> String {
        json.replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026")
    }

    fn tag_html(tag: &HeadTag) -> String {
        let mark = MANAGED_ATTRIBUTE;
        match tag {
            HeadTag::MetaName(name, content) => format!(
                r#"<meta name="{name}" content="{}" {mark}>"#,
                escape(content)
            ),
            HeadTag::MetaProperty(property, content) => format!(
                r#"<meta property="{property}" content="{}" {mark}>"#,
                escape(content)
            ),
            HeadTag::Link {
                rel,
                href,
                kind,
                title,
            } => {
                let mut html = format!(r#"<link rel="{rel}" href="{}""#, escape(href));
                if let Some(kind) = kind {
                    html.push_str(&format!(r#" type="{kind}""#));
                }
                if let Some(title) = title {
                    html.push_str(&format!(r#" title="{}""#, escape(title)));
                }
                html.push_str(&format!(" {mark}>"));
                html
            }
            HeadTag::JsonLd(json) => format!(
                r#"<script type="application/ld+json" {mark}>{}</script>"#,
                script_json(json)
            ),
        }
    }

    /// The `<title>` and every managed tag of `page`, one per line.
    pub fn render(page: &PageHead, site_name: &str) -> String {
        let mut html = format!("<title>{}</title>\n", escape(&page.title));
        for tag in page.tags(site_name) {
            html.push_str("    ");
            html.push_str(&tag_html(&tag));
            html.push('\n');
        }
        html
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn tags_are_escaped_and_marked() {
            crate::config::set(crate::config::SiteConfig {
                base_path: "/news".into(),
                site_url: "https://example.org".into(),
                ..Default::default()
            });
            let head = PageHead {
                title: "A <title> & \"quotes\"".into(),
                description: "D".into(),
                path: Some("/news/articles/a".into()),
                og_type: "article",
                json_ld: Some(r#"{"h":"</script>"}"#.into()),
                oembed: Some("/news/api/v1/oembed/articles/a.json".into()),
            };
            let html = render(&head, "Budapest Post");
            assert!(html.starts_with("<title>A &lt;title&gt; &amp; &quot;quotes&quot;</title>"));
            assert!(html.contains(
                r#"<link rel="canonical" href="https://example.org/news/articles/a" data-bp-head>"#
            ));
            assert!(html.contains(r#"href="/news/feed.xml" type="application/atom+xml""#));
            assert!(html.contains(
                r#"<link rel="alternate" href="https://example.org/news/api/v1/oembed/articles/a.json" type="application/json+oembed" title="A &lt;title&gt; &amp; &quot;quotes&quot;" data-bp-head>"#
            ), "{html}");
            assert!(!html.contains("</script><"), "{html}");
            assert!(html.contains(r#"{"h":"\u003c/script\u003e"}"#));
            let not_indexed = PageHead { path: None, ..head };
            assert!(render(&not_indexed, "B").contains(r#"name="robots" content="noindex""#));
            crate::config::set(crate::config::SiteConfig::default());
        }
    }
}
