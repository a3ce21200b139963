//! The files crawlers, feed readers and browsers look for beside the pages: `sitemap.xml`,
//! `feed.xml` (Atom), `robots.txt` and `manifest.webmanifest`, made once here for the server
//! (which answers them from the database) and the exporter (which writes them).

use atom_syndication::{Category, Entry, Feed, FixedDateTime, Link, Person, Text};
use budapest_post_contract::pages::{
    sitemap_part_path, FEED_PATH, MANIFEST_PATH, ROBOTS_PATH, SITEMAP_PATH,
};
use budapest_post_contract::{ArticleSummary, Page, Site, SitePaths};
use serde_json::json;

use crate::config::SiteConfig;
use crate::head::html::escape;

/// The site the files describe: its public address and base path, and its masthead.
pub struct SiteFiles<'a> {
    config: &'a SiteConfig,
    paths: SitePaths,
    site: &'a Site,
}

impl<'a> SiteFiles<'a> {
    /// The files of the site `site` configured by `config`.
    pub fn new(config: &'a SiteConfig, site: &'a Site) -> Self {
        Self {
            config,
            paths: config.paths(),
            site,
        }
    }

    /// The public address of the site path `path` (before the base path): absolute with a
    /// site URL, root-relative without.
    fn url(&self, path: &str) -> String {
        format!("{}{}", self.config.site_url, self.paths.under_base(path))
    }
}

/// The site paths of the files [`SiteFiles`] makes, so that a copy of one among the app's
/// files is not served or exported instead.
pub const GENERATED: [&str; 4] = [SITEMAP_PATH, FEED_PATH, ROBOTS_PATH, MANIFEST_PATH];

/// Entries in the Atom feed.
pub const FEED_ENTRIES: usize = 20;
/// The most addresses one sitemap file may list (the sitemaps.org protocol's limit).
pub const SITEMAP_MAX_URLS: usize = 50_000;

/// Whether XML 1.0 allows `c` in a document: tab, line feed, carriage return and everything
/// from U+0020 up but U+FFFE and U+FFFF (a Rust string holds no lone surrogates).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `text` for an XML text node or attribute value: the characters XML 1.0 forbids (which no
/// escape can carry, and which make a feed reader drop the whole feed) left out, the markup
/// characters escaped.
fn xml_text(text: &str) -> String {
    if text.chars().all(is_xml_char) {
        escape(text)
    } else {
        escape(&text.chars().filter(|c| is_xml_char(*c)).collect::<String>())
    }
}

/// When `article` last changed.
fn changed(article: &ArticleSummary) -> &str {
    article
        .updated_at
        .as_deref()
        .unwrap_or(&article.published_at)
}

/// `text` without the characters XML 1.0 forbids (the feed writer escapes markup, but no
/// escape can carry these, and they make a feed reader drop the whole feed).
fn xml_chars(text: &str) -> String {
    text.chars().filter(|c| is_xml_char(*c)).collect()
}

/// The time `rfc3339` names, for the feed; the Unix epoch for a time the store would not have
/// accepted, so that one bad row cannot take the feed down.
fn feed_time(rfc3339: &str) -> FixedDateTime {
    FixedDateTime::parse_from_rfc3339(rfc3339).unwrap_or_default()
}

fn link(rel: &str, mime_type: &str, href: String) -> Link {
    Link {
        href,
        rel: rel.to_owned(),
        mime_type: Some(mime_type.to_owned()),
        ..Link::default()
    }
}

impl SiteFiles<'_> {
    /// `sitemap.xml` for `articles` (newest first; `with_related[i]` tells whether
    /// `articles[i]` has a related page), as `(site path, XML)` files: past
    /// [`SITEMAP_MAX_URLS`] addresses, an index and its parts (`sitemap_part_path`).
    pub fn sitemaps(
        &self,
        articles: &[ArticleSummary],
        with_related: &[bool],
    ) -> Vec<(String, String)> {
        self.sitemaps_of_at_most(articles, with_related, SITEMAP_MAX_URLS)
    }

    fn sitemaps_of_at_most(
        &self,
        articles: &[ArticleSummary],
        with_related: &[bool],
        max_urls: usize,
    ) -> Vec<(String, String)> {
        let newest = articles.iter().map(changed).max();
        let mut urls: Vec<(String, Option<&str>)> = vec![
            (self.url(&Page::Home.path()), newest),
            (self.url(&Page::Contact.path()), None),
            (self.url(&Page::Corrections.path()), None),
        ];
        for (article, related) in articles.iter().zip(with_related) {
            let slug = article.slug.clone();
            if *related {
                urls.push((
                    self.url(&Page::Related { slug: slug.clone() }.path()),
                    Some(changed(article)),
                ));
            }
            urls.push((
                self.url(&Page::Article { slug }.path()),
                Some(changed(article)),
            ));
        }
        if urls.len() <= max_urls {
            return vec![(SITEMAP_PATH.to_owned(), urlset(&urls))];
        }
        let mut files = Vec::new();
        let mut index = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for (number, chunk) in urls.chunks(max_urls.max(1)).enumerate() {
            let name = sitemap_part_path(number + 1);
            index.push_str(&format!(
                "  <sitemap><loc>{}</loc></sitemap>\n",
                xml_text(&self.url(&name))
            ));
            files.push((name, urlset(chunk)));
        }
        index.push_str("</sitemapindex>\n");
        files.insert(0, (SITEMAP_PATH.to_owned(), index));
        files
    }

    /// The Atom feed of the [`FEED_ENTRIES`] of `articles` changed last (published, or updated
    /// since: corrected, or edited in the content), the latest first: an update brings its
    /// article back to feed readers with its new `updated` time. Given every article, the
    /// server and the exporter make the same feed. Entry ids are the articles' addresses when
    /// the site URL is known, `urn:` names otherwise.
    pub fn feed(&self, articles: &[ArticleSummary]) -> String {
        let mut latest: Vec<&ArticleSummary> = articles.iter().collect();
        // Stable: equal times keep the given order (newest published first).
        latest.sort_by_key(|article| std::cmp::Reverse(feed_time(changed(article))));
        latest.truncate(FEED_ENTRIES);
        let id = |path: &str, name: &str| {
            if self.config.site_url.is_empty() {
                format!("urn:budapest-post:{name}")
            } else {
                self.url(path)
            }
        };
        let entries: Vec<Entry> = latest
            .iter()
            .map(|article| {
                let path = Page::Article {
                    slug: article.slug.clone(),
                }
                .path();
                Entry {
                    title: Text::plain(xml_chars(&article.headline)),
                    id: id(&path, &format!("articles:{}", article.slug)),
                    links: vec![link("alternate", "text/html", self.url(&path))],
                    published: Some(feed_time(&article.published_at)),
                    updated: feed_time(changed(article)),
                    categories: vec![Category {
                        term: xml_chars(&article.section.slug),
                        label: Some(xml_chars(&article.section.name)),
                        ..Category::default()
                    }],
                    summary: article
                        .standfirst
                        .as_deref()
                        .map(|standfirst| Text::plain(xml_chars(standfirst))),
                    ..Entry::default()
                }
            })
            .collect();
        let feed = Feed {
            title: Text::plain(xml_chars(&self.site.name)),
            subtitle: Some(Text::plain(xml_chars(&self.site.tagline))),
            id: id("/", "home"),
            updated: entries
                .iter()
                .map(|entry| entry.updated)
                .max()
                .unwrap_or_else(|| feed_time("")),
            authors: vec![Person {
                name: xml_chars(&self.site.name),
                ..Person::default()
            }],
            links: vec![
                link("self", "application/atom+xml", self.url(FEED_PATH)),
                link("alternate", "text/html", self.url("/")),
            ],
            lang: Some("en-GB".to_owned()),
            entries,
            ..Feed::default()
        };
        feed.to_string()
    }

    /// `robots.txt`: everything may be crawled; where the sitemap is.
    pub fn robots(&self) -> String {
        let sitemap = self.url(SITEMAP_PATH);
        // Crawlers only take an absolute sitemap address; without --site-url there is none.
        if sitemap.starts_with("http://") || sitemap.starts_with("https://") {
            format!("User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n")
        } else {
            "User-agent: *\nAllow: /\n".to_owned()
        }
    }

    /// The web manifest: name, scope and start at the base path, the icons.
    pub fn manifest(&self) -> String {
        let start = self.paths.under_base("/");
        let manifest = json!({
            "name": self.site.name,
            "short_name": self.site.name,
            "description": self.site.tagline,
            "lang": "en-GB",
            "start_url": start,
            "scope": start,
            "display": "standalone",
            "theme_color": "#ffffff",
            "background_color": "#ffffff",
            "icons": [
                { "src": self.paths.under_base("/favicon.svg"), "sizes": "any", "type": "image/svg+xml" },
                { "src": self.paths.under_base("/icon-192.png"), "sizes": "192x192", "type": "image/png" },
                { "src": self.paths.under_base("/icon-512.png"), "sizes": "512x512", "type": "image/png" },
            ],
        });
        serde_json::to_string_pretty(&manifest).unwrap_or_default()
    }
}

fn urlset(urls: &[(String, Option<&str>)]) -> String {
    let mut xml = String::with_capacity(urls.len() * 120 + 200);
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (url, lastmod) in urls {
        xml.push_str(&format!("  <url><loc>{}</loc>", xml_text(url)));
        if let Some(lastmod) = lastmod {
            xml.push_str(&format!("<lastmod>{}</lastmod>", xml_text(lastmod)));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;
    use budapest_post_contract::Section;

    /// Text with every kind of character XML 1.0 forbids, and markup.
    const HOSTILE: &str =
        "A\u{0}B\u{1b}[2J\u{7}C\u{b}\u{c}\u{fffe}\u{ffff}D <b>&amp;\"'\t\r\n\u{85}é😀";
    /// What is left of it, escaped.
    const CLEANED: &str = "AB[2JCD &lt;b&gt;&amp;amp;&quot;&#39;\t\r\n\u{85}é😀";

    fn config() -> SiteConfig {
        SiteConfig {
            base_path: String::new(),
            api_base: String::new(),
            api_write_base: String::new(),
            site_url: "https://www.budapestpost.example".into(),
        }
    }

    fn site() -> Site {
        Site {
            name: format!("Budapest Post{HOSTILE}"),
            motto: "M".into(),
            tagline: HOSTILE.into(),
        }
    }

    fn article() -> ArticleSummary {
        ArticleSummary {
            slug: "an-article".into(),
            headline: HOSTILE.into(),
            standfirst: Some(HOSTILE.into()),
            section: Section {
                slug: "europe".into(),
                name: HOSTILE.into(),
            },
            published_at: "2021-12-17T14:30:00Z".into(),
            updated_at: Some(format!("2021-12-18T10:00:00Z{HOSTILE}")),
        }
    }

    #[test]
    fn the_feed_holds_the_articles_changed_last_so_a_correction_brings_an_old_one_back() {
        let dated = |slug: &str, published: &str, updated: Option<&str>| ArticleSummary {
            slug: slug.into(),
            published_at: published.into(),
            updated_at: updated.map(Into::into),
            ..article()
        };
        // Newest published first, as the store lists them; the oldest was corrected lately.
        let mut articles: Vec<ArticleSummary> = (0..FEED_ENTRIES)
            .map(|day| {
                dated(
                    &format!("new-{day}"),
                    &format!("2025-02-{:02}T09:00:00Z", 28 - day),
                    None,
                )
            })
            .collect();
        articles.push(dated(
            "old",
            "2021-12-17T14:30:00+01:00",
            Some("2026-11-29T10:00:00Z"),
        ));
        let xml = SiteFiles::new(&config(), &site()).feed(&articles);
        let feed: Feed = xml.parse().expect("a feed reader reads it");
        assert_eq!(feed.entries.len(), FEED_ENTRIES);
        let ids: Vec<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
        assert!(ids[0].ends_with("/articles/old"), "{ids:?}");
        assert!(ids[1].ends_with("/articles/new-0"), "{ids:?}");
        assert!(!ids
            .iter()
            .any(|id| id.ends_with(&format!("/articles/new-{}", FEED_ENTRIES - 1))));
        assert_eq!(feed.updated.to_rfc3339(), "2026-11-29T10:00:00+00:00");
    }

    fn assert_only_xml_characters(xml: &str) {
        let bad: Vec<char> = xml.chars().filter(|c| !is_xml_char(*c)).collect();
        assert!(bad.is_empty(), "{bad:?} in {xml}");
    }

    #[test]
    fn forbidden_characters_are_left_out_and_markup_is_escaped() {
        assert_eq!(xml_text(HOSTILE), CLEANED);
        assert_eq!(xml_text("plain & simple"), "plain &amp; simple");
        for c in [
            '\u{0}', '\u{8}', '\u{b}', '\u{c}', '\u{1f}', '\u{fffe}', '\u{ffff}',
        ] {
            assert!(!is_xml_char(c), "{c:?}");
        }
        for c in [
            '\t',
            '\n',
            '\r',
            ' ',
            '\u{7f}',
            '\u{d7ff}',
            '\u{e000}',
            '\u{fffd}',
            '\u{10ffff}',
        ] {
            assert!(is_xml_char(c), "{c:?}");
        }
    }

    #[test]
    fn the_feed_holds_only_characters_xml_allows_and_reads_back_as_written() {
        let (config, site) = (config(), site());
        let xml = SiteFiles::new(&config, &site).feed(&[article()]);
        assert_only_xml_characters(&xml);
        assert!(!xml.contains("<b>"), "markup is escaped: {xml}");
        let feed: Feed = xml.parse().expect("a feed reader reads it");
        let shown = xml_chars(HOSTILE);
        assert_eq!(feed.title.value, xml_chars(&site.name));
        assert_eq!(feed.subtitle.map(|text| text.value), Some(shown.clone()));
        assert_eq!(feed.lang.as_deref(), Some("en-GB"));
        let entry = &feed.entries[0];
        assert_eq!(entry.title.value, shown);
        assert_eq!(
            entry.summary.as_ref().map(|text| text.value.as_str()),
            Some(shown.as_str())
        );
        // XML reads white space in an attribute as plain spaces.
        let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(
            entry.categories[0].label.as_deref().map(words),
            Some(words(&shown))
        );
        assert_eq!(
            entry.id,
            "https://www.budapestpost.example/articles/an-article"
        );
        assert_eq!(
            entry.published.map(|time| time.to_rfc3339()).as_deref(),
            Some("2021-12-17T14:30:00+00:00")
        );
    }

    #[test]
    fn the_sitemap_holds_only_characters_xml_allows() {
        let lastmod = format!("2021-12-18T10:00:00Z{HOSTILE}");
        let xml = urlset(&[(
            format!("https://x.example/a\u{1}?b=1&c=<{HOSTILE}"),
            Some(lastmod.as_str()),
        )]);
        assert_only_xml_characters(&xml);
        assert!(
            xml.contains("<loc>https://x.example/a?b=1&amp;c=&lt;AB[2J"),
            "{xml}"
        );
        assert!(xml.contains(&format!("<lastmod>2021-12-18T10:00:00Z{CLEANED}</lastmod>")));
    }

    #[test]
    fn a_long_sitemap_is_an_index_of_parts() {
        let (config, site) = (config(), site());
        let articles: Vec<ArticleSummary> = (0..5)
            .map(|n| ArticleSummary {
                slug: format!("article-{n}"),
                ..article()
            })
            .collect();
        let files = SiteFiles::new(&config, &site).sitemaps_of_at_most(&articles, &[false; 5], 3);
        let paths: Vec<&str> = files.iter().map(|(path, _)| path.as_str()).collect();
        // Home, Contact Us, Corrections and five articles: eight addresses, three a part.
        assert_eq!(
            paths,
            [
                "/sitemap.xml",
                "/sitemap/1.xml",
                "/sitemap/2.xml",
                "/sitemap/3.xml"
            ]
        );
        let index = &files[0].1;
        assert!(index.contains("<loc>https://www.budapestpost.example/sitemap/3.xml</loc>"));
        assert_eq!(files[3].1.matches("<url>").count(), 2);
    }
}
