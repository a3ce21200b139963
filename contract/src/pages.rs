//! The site's pages and where everything lives under the site's base path: the one place that
//! builds page addresses and API addresses, for the app, the server and the exporter alike.
//!
//! A [`Page`] is a route of the site without its base path; [`SitePaths`] puts pages, API paths
//! (see [`crate::paths`]) and the site's own files under a base path such as `/news`.

use crate::paths;

/// The Atom feed, as a site path (before the base path).
pub const FEED_PATH: &str = "/feed.xml";
/// The sitemap (or the index of its parts).
pub const SITEMAP_PATH: &str = "/sitemap.xml";
/// The folder of the parts of a sitemap too long for one file.
pub const SITEMAP_PARTS_PATH: &str = "/sitemap/";
/// Where part `number` (from 1) of a sitemap too long for one file lives.
pub fn sitemap_part_path(number: usize) -> String {
    format!("{SITEMAP_PARTS_PATH}{number}.xml")
}
/// The crawlers' rules.
pub const ROBOTS_PATH: &str = "/robots.txt";
/// The web app manifest.
pub const MANIFEST_PATH: &str = "/manifest.webmanifest";
/// The script partners load to turn their `data-budapest-post-embed` elements into embeds.
pub const EMBED_HOST_SCRIPT_PATH: &str = "/embed.js";
/// The script inside every embed page (theme, limit, and its height sent to the partner).
pub const EMBED_FRAME_SCRIPT_PATH: &str = "/embed/frame.js";
/// The script of the reporter's status page (plain JavaScript: the app's wasm carries none of
/// that page's work).
pub const REPORT_STATUS_SCRIPT_PATH: &str = "/report-status.js";
/// The stylesheet of every embed page.
pub const EMBED_FRAME_STYLE_PATH: &str = "/embed/frame.css";
/// The folder every embed page and embed file lives in, which other origins may frame.
pub const EMBED_FOLDER: &str = "/embed/";
/// The `type` of the message an embed sends its partner page with its height.
pub const EMBED_HEIGHT_MESSAGE: &str = "budapest-post-embed:height";

/// One page of the site, as a route: what the address says, before the base path.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Page {
    /// `/`: the lead story and the latest articles.
    Home,
    /// `/articles/{slug}`: one article.
    Article {
        /// The article's slug.
        slug: String,
    },
    /// `/articles/{slug}/related`: an article's whole related list.
    Related {
        /// The article's slug.
        slug: String,
    },
    /// `/corrections`: every published correction, newest first.
    Corrections,
    /// `/contact`: the Contact Us form, optionally about one article.
    Contact,
    /// `/newsletter/unsubscribe`: the page a newsletter's unsubscribe link opens (its `?token=`
    /// is posted from the page, never by opening the link, which mail scanners do).
    Unsubscribe,
    /// `/reports/status`: a reporter's private page saying what became of a report (the
    /// reference and token are in the address's fragment, which no server sees).
    ReportStatus,
    /// `/embed/headlines` or `/embed/headlines/{section}`: the latest headlines, of one
    /// section when given, for a partner's iframe.
    EmbedHeadlines {
        /// The section's slug, or every section.
        section: Option<String>,
    },
    /// `/embed/articles/{slug}`: one article's card, for a partner's iframe.
    EmbedArticle {
        /// The article's slug.
        slug: String,
    },
    /// Any other address: the not-found page.
    NotFound,
}

impl Page {
    /// The page at `path` (base path already removed, query string excluded): `/articles/x`
    /// is [`Page::Article`]. Exactly the app router's routes (and the embeds, which are pages of
    /// their own outside the app) match, so the server, the exporter and the app agree on every
    /// address: `/articles/x/` and `//` are not pages.
    pub fn parse(path: &str) -> Self {
        if path.is_empty() || path == "/" {
            return Page::Home;
        }
        let segments: Vec<&str> = path.split('/').skip(1).collect();
        match segments.as_slice() {
            ["articles", slug] if paths::is_valid_slug(slug) => Page::Article {
                slug: (*slug).to_owned(),
            },
            ["articles", slug, "related"] if paths::is_valid_slug(slug) => Page::Related {
                slug: (*slug).to_owned(),
            },
            ["contact"] => Page::Contact,
            ["embed", "headlines"] => Page::EmbedHeadlines { section: None },
            ["embed", "headlines", section] if paths::is_valid_slug(section) => {
                Page::EmbedHeadlines {
                    section: Some((*section).to_owned()),
                }
            }
            ["embed", "articles", slug] if paths::is_valid_slug(slug) => Page::EmbedArticle {
                slug: (*slug).to_owned(),
            },
            ["corrections"] => Page::Corrections,
            ["newsletter", "unsubscribe"] => Page::Unsubscribe,
            ["reports", "status"] => Page::ReportStatus,
            _ => Page::NotFound,
        }
    }

    /// The route's path without the base path: `/articles/x`. The not-found page has none of
    /// its own and answers `/404`, the file a static host serves for unknown addresses.
    pub fn path(&self) -> String {
        match self {
            Page::Home => "/".to_owned(),
            Page::Article { slug } => format!("/articles/{slug}"),
            Page::Related { slug } => format!("/articles/{slug}/related"),
            Page::Contact => "/contact".to_owned(),
            Page::Corrections => "/corrections".to_owned(),
            Page::Unsubscribe => "/newsletter/unsubscribe".to_owned(),
            Page::ReportStatus => "/reports/status".to_owned(),
            Page::EmbedHeadlines { section: None } => "/embed/headlines".to_owned(),
            Page::EmbedHeadlines {
                section: Some(section),
            } => format!("/embed/headlines/{section}"),
            Page::EmbedArticle { slug } => format!("/embed/articles/{slug}"),
            Page::NotFound => "/404".to_owned(),
        }
    }
}

/// The base path a site lives under, and every address built under it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct SitePaths {
    /// `""` at the root of a host, or `/news`: a leading slash and no trailing one.
    base: String,
}

impl SitePaths {
    /// The paths of a site under `base_path`; `""`, `"/"`, `"news/"` and `"/news/"` are all
    /// accepted and normalised.
    pub fn new(base_path: &str) -> Self {
        let trimmed = base_path.trim().trim_matches('/');
        Self {
            base: if trimmed.is_empty() {
                String::new()
            } else {
                format!("/{trimmed}")
            },
        }
    }

    /// Whether `base_path` is one a site can live under: segments of `A-Z a-z 0-9 - _ . ~`,
    /// none of them `.` or `..`. Anything else is refused rather than escaped, since it ends up
    /// in attributes, scripts and file names.
    pub fn is_valid_base_path(base_path: &str) -> bool {
        base_path
            .trim()
            .trim_matches('/')
            .split('/')
            .filter(|segment| !segment.is_empty())
            .all(|segment| {
                segment != "."
                    && segment != ".."
                    && segment.bytes().all(|b| {
                        b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
                    })
            })
    }

    /// The base path itself: `""` or `/news`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// `path` (starting with `/`) under the base path.
    pub fn under_base(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The address of `page`.
    pub fn page(&self, page: &Page) -> String {
        self.under_base(&page.path())
    }

    /// The homepage.
    pub fn home(&self) -> String {
        self.page(&Page::Home)
    }

    /// An article page.
    pub fn article(&self, slug: &str) -> String {
        self.page(&Page::Article {
            slug: slug.to_owned(),
        })
    }

    /// An article's related list.
    pub fn related(&self, slug: &str) -> String {
        self.page(&Page::Related {
            slug: slug.to_owned(),
        })
    }

    /// The embed of the latest headlines, of one section when given.
    pub fn embed_headlines(&self, section: Option<&str>) -> String {
        self.page(&Page::EmbedHeadlines {
            section: section.map(str::to_owned),
        })
    }

    /// The embed of one article's card.
    pub fn embed_article(&self, slug: &str) -> String {
        self.page(&Page::EmbedArticle {
            slug: slug.to_owned(),
        })
    }

    /// The Contact Us form.
    pub fn contact(&self) -> String {
        self.page(&Page::Contact)
    }

    /// The corrections page.
    pub fn corrections(&self) -> String {
        self.page(&Page::Corrections)
    }

    /// The private status link of the report `reference`, whose receipt gave `token`.
    pub fn report_status(&self, reference: &str, token: &str) -> String {
        format!(
            "{}#{}",
            self.page(&Page::ReportStatus),
            crate::reports::report_status_fragment(reference, token)
        )
    }

    /// The Contact Us form about one article, with a passage already quoted when given.
    pub fn report_about(&self, article_slug: &str, passage: Option<&str>) -> String {
        let mut address = format!(
            "{}?article={}",
            self.contact(),
            encode_query_value(article_slug)
        );
        if let Some(passage) = passage {
            address.push_str("&quote=");
            address.push_str(&encode_query_value(passage));
        }
        address
    }

    /// The page `path` of the site splits into, if it lies under the base path at all.
    pub fn page_at(&self, path: &str) -> Option<Page> {
        let rest = if self.base.is_empty() {
            path
        } else {
            let rest = path.strip_prefix(&self.base)?;
            if !rest.is_empty() && !rest.starts_with('/') {
                return None;
            }
            rest
        };
        Some(Page::parse(if rest.is_empty() { "/" } else { rest }))
    }

    /// An API path (see [`crate::paths`]) as served from this site's own files.
    pub fn api(&self, api_path: &str) -> String {
        self.under_base(api_path)
    }

    /// Where page `n` of the article list follows page `n - 1`, when there is such a page.
    pub fn next_article_page(&self, page: u32, total_pages: u32) -> Option<String> {
        (page < total_pages).then(|| self.api(&paths::article_page(page + 1)))
    }
}

/// Percent-encodes a query value: RFC 3986's unreserved characters stay, all else is encoded.
pub fn encode_query_value(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, QUERY_VALUE).to_string()
}

/// Everything but RFC 3986's unreserved characters.
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_round_trip_through_their_paths() {
        for page in [
            Page::Home,
            Page::Article { slug: "a-b".into() },
            Page::Related { slug: "a-b".into() },
            Page::Contact,
            Page::Corrections,
            Page::Unsubscribe,
            Page::ReportStatus,
            Page::EmbedHeadlines { section: None },
            Page::EmbedHeadlines {
                section: Some("europe".into()),
            },
            Page::EmbedArticle { slug: "a-b".into() },
        ] {
            assert_eq!(Page::parse(&page.path()), page);
        }
        assert_eq!(Page::parse(""), Page::Home);
        for unknown in [
            "/nowhere",
            "/articles",
            "/articles/Bad_Slug",
            "/articles/a/b/c",
            "/404",
            "//",
            "/articles/a-b/",
            "/contact/",
            "/embed",
            "/embed/headlines/",
            "/embed/headlines/Europe",
            "/embed/headlines/a/b",
            "/embed/articles",
            "/embed/articles/../x",
        ] {
            assert_eq!(Page::parse(unknown), Page::NotFound, "{unknown}");
        }
    }

    #[test]
    fn addresses_carry_the_base_path() {
        let news = SitePaths::new("news/");
        assert_eq!(news.base(), "/news");
        assert_eq!(news.home(), "/news/");
        assert_eq!(news.article("a-b"), "/news/articles/a-b");
        assert_eq!(news.related("a-b"), "/news/articles/a-b/related");
        assert_eq!(news.api(&paths::site()), "/news/api/v1/site.json");
        assert_eq!(
            news.next_article_page(1, 3).as_deref(),
            Some("/news/api/v1/articles/page/2.json")
        );
        assert_eq!(news.next_article_page(3, 3), None);
        let root = SitePaths::new("/");
        assert_eq!(root.home(), "/");
        assert_eq!(root.contact(), "/contact");
        assert_eq!(news.embed_headlines(None), "/news/embed/headlines");
        assert_eq!(
            news.embed_headlines(Some("europe")),
            "/news/embed/headlines/europe"
        );
        assert_eq!(news.embed_article("a-b"), "/news/embed/articles/a-b");
        for page in [news.embed_headlines(Some("x")), news.embed_article("x")] {
            assert!(page.starts_with(&news.under_base(EMBED_FOLDER)), "{page}");
        }
    }

    #[test]
    fn pages_are_found_under_the_base_path_only() {
        let news = SitePaths::new("/news");
        assert_eq!(news.page_at("/news"), Some(Page::Home));
        assert_eq!(news.page_at("/news/"), Some(Page::Home));
        assert_eq!(news.page_at("/news/contact"), Some(Page::Contact));
        assert_eq!(news.page_at("/newsroom"), None);
        assert_eq!(news.page_at("/contact"), None);
        assert_eq!(SitePaths::new("").page_at("/contact"), Some(Page::Contact));
    }

    #[test]
    fn base_paths_that_could_break_out_are_refused() {
        for good in ["", "/", "/news", "news/", "/a/b-c_d.e~f/"] {
            assert!(SitePaths::is_valid_base_path(good), "{good}");
        }
        for bad in ["/../x", "/a b", "/\"><script>", "/news?x", "/a/./b", "/ü"] {
            assert!(!SitePaths::is_valid_base_path(bad), "{bad}");
        }
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(
            encode_query_value("fFreign “Ministry” & co"),
            "fFreign%20%E2%80%9CMinistry%E2%80%9D%20%26%20co"
        );
        assert_eq!(
            SitePaths::new("").report_about("a-b", Some("x&y")),
            "/contact?article=a-b&quote=x%26y"
        );
    }
}
