//! Every route's exported HTML: the app's own markup, rendered natively, and the head tags a
//! crawler or link preview reads (title, description, canonical link, Open Graph, Twitter,
//! and `NewsArticle` JSON-LD on articles).

use budapest_post::config::SiteConfig;
use budapest_post_contract::{paths, Article, Block, Site};
use budapest_post_server::store::{articles, Store};
use serde_json::json;

use crate::html::{escape, ld_json, Template};
use crate::output::Out;
use crate::ExportError;

/// The home page's title, as the app sets it.
pub const HOME_TITLE: &str = "Budapest Post — Budapest, Europe and world news";
/// The Contact Us page's title, as the app sets it.
pub const CONTACT_TITLE: &str = "Contact Us — Budapest Post";
/// The not-found page's title, as the app sets it.
pub const NOT_FOUND_TITLE: &str = "Page not found — Budapest Post";

/// What every page of one export shares.
#[derive(Clone, Debug)]
pub struct Context {
    /// The masthead.
    pub site: Site,
    /// `""` or `"/news"`.
    pub base_path: String,
    /// The public origin without a trailing slash, or empty.
    pub site_url: String,
    /// Where forms post, or empty for the site's own origin.
    pub api_write_base: String,
    /// The app's `index.html`, prepared.
    pub template: Template,
}

impl Context {
    /// The site path `path` (`/articles/x`) under the base path: `/news/articles/x`.
    pub fn local(&self, path: &str) -> String {
        format!("{}{path}", self.base_path)
    }

    /// The public address of `path`: absolute with a site URL, root-relative without.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}{path}", self.site_url, self.base_path)
    }

    /// The app's settings for rendering, as the browser would read them from the page.
    fn config(&self) -> SiteConfig {
        SiteConfig {
            base_path: self.base_path.clone(),
            api_base: self.base_path.clone(),
            api_write_base: if self.api_write_base.is_empty() {
                self.base_path.clone()
            } else {
                self.api_write_base.clone()
            },
            site_url: self.site_url.clone(),
        }
    }
}

/// What one page's head says about it.
struct Head<'a> {
    title: &'a str,
    description: &'a str,
    /// The site path, e.g. `/articles/x`; `None` for pages that are not to be indexed.
    path: Option<&'a str>,
    og_type: &'a str,
    json_ld: Option<String>,
}

/// The head tags. Those the app sets again itself when it starts are marked so that it
/// removes the exported copies: no tag ends up twice.
fn head_tags(context: &Context, head: &Head<'_>) -> String {
    let mark = budapest_post::prerendered::PRERENDERED_ATTRIBUTE;
    let title = escape(head.title);
    let description = escape(head.description);
    let mut tags = format!("<title>{title}</title>\n");
    let mut add = |tag: String| {
        tags.push_str("    ");
        tags.push_str(&tag);
        tags.push('\n');
    };
    add(format!(
        r#"<meta name="description" content="{description}" {mark} />"#
    ));
    match head.path {
        Some(path) => {
            let url = escape(&context.url(path));
            add(format!(r#"<link rel="canonical" href="{url}" {mark} />"#));
            add(format!(
                r#"<meta property="og:url" content="{url}" {mark} />"#
            ));
        }
        None => add(r#"<meta name="robots" content="noindex" />"#.to_owned()),
    }
    add(format!(
        r#"<meta property="og:type" content="{}" {mark} />"#,
        head.og_type
    ));
    add(format!(
        r#"<meta property="og:site_name" content="{}" {mark} />"#,
        escape(&context.site.name)
    ));
    add(format!(
        r#"<meta property="og:title" content="{title}" {mark} />"#
    ));
    add(format!(
        r#"<meta property="og:description" content="{description}" {mark} />"#
    ));
    add(format!(
        r#"<meta name="twitter:card" content="summary" {mark} />"#
    ));
    add(format!(
        r#"<meta name="twitter:title" content="{title}" />"#
    ));
    add(format!(
        r#"<meta name="twitter:description" content="{description}" />"#
    ));
    add(format!(
        r#"<link rel="alternate" type="application/atom+xml" title="{}" href="{}" />"#,
        escape(&context.site.name),
        escape(&context.local("/feed.xml"))
    ));
    add(format!(
        r#"<link rel="manifest" href="{}" />"#,
        escape(&context.local("/manifest.webmanifest"))
    ));
    add(format!(
        r#"<link rel="apple-touch-icon" href="{}" />"#,
        escape(&context.local("/icon-192.png"))
    ));
    if let Some(json_ld) = &head.json_ld {
        add(format!(
            r#"<script type="application/ld+json">{json_ld}</script>"#
        ));
    }
    tags
}

/// Renders the route `path` with `preloads` and writes it to `file` under the output folder.
fn write_page(
    context: &Context,
    out: &Out,
    file: &str,
    path: &str,
    head: &Head<'_>,
    preloads: &[(String, String)],
) -> Result<(), ExportError> {
    let body = budapest_post::prerendered::render(path, preloads, context.config());
    // Rendering keeps its answers in this thread's memory; let them go.
    for (api_path, _) in preloads {
        budapest_post::api::seed(api_path, String::new());
    }
    let page = context
        .template
        .page(&head_tags(context, head), &body, preloads);
    out.write(file, page.as_bytes())
}

/// Writes `index.html`, the home page with the first page of the list.
pub fn write_home(
    context: &Context,
    out: &Out,
    site_json: &str,
    index_json: &str,
) -> Result<(), ExportError> {
    let head = Head {
        title: HOME_TITLE,
        description: "English-language news from Budapest, Europe and the world.",
        path: Some("/"),
        og_type: "website",
        json_ld: None,
    };
    let preloads = [
        (paths::site(), site_json.to_owned()),
        (paths::article_index(), index_json.to_owned()),
    ];
    write_page(context, out, "/index.html", "/", &head, &preloads)
}

/// Writes `contact/index.html`, the Contact Us form.
pub fn write_contact(context: &Context, out: &Out, site_json: &str) -> Result<(), ExportError> {
    let head = Head {
        title: CONTACT_TITLE,
        description: "Report an inaccuracy in a Budapest Post article.",
        path: Some("/contact"),
        og_type: "website",
        json_ld: None,
    };
    let preloads = [(paths::site(), site_json.to_owned())];
    write_page(
        context,
        out,
        "/contact/index.html",
        "/contact",
        &head,
        &preloads,
    )
}

/// Writes `404.html`, the page a static host answers for unknown addresses.
pub fn write_not_found(context: &Context, out: &Out, site_json: &str) -> Result<(), ExportError> {
    let head = Head {
        title: NOT_FOUND_TITLE,
        description: "There is no page at this address.",
        path: None,
        og_type: "website",
        json_ld: None,
    };
    let preloads = [(paths::site(), site_json.to_owned())];
    write_page(context, out, "/404.html", "/404", &head, &preloads)
}

/// Writes one article's JSON and page, and its related list's JSON (and page, when it has
/// related articles). Answers whether it has a related page.
pub fn write_article(
    context: &Context,
    out: &Out,
    store: &Store,
    slug: &str,
    site_json: &str,
) -> Result<bool, ExportError> {
    let found =
        store.run_now(|c| Ok(articles::article(c, slug)?.zip(articles::related_list(c, slug)?)))?;
    let Some((article, related)) = found else {
        return Err(ExportError::Worker(format!(
            "the article {slug} disappeared from the database during the export"
        )));
    };
    let article_json = serde_json::to_string(&article)?;
    let related_json = serde_json::to_string(&related)?;
    out.write(&paths::article(slug), article_json.as_bytes())?;
    out.write(&paths::related(slug), related_json.as_bytes())?;

    let path = format!("/articles/{slug}");
    let description = article.standfirst.as_deref().unwrap_or(&article.headline);
    let head = Head {
        title: &article.headline,
        description,
        path: Some(&path),
        og_type: "article",
        json_ld: Some(ld_json(&news_article(context, &article, &path))?),
    };
    let preloads = [
        (paths::site(), site_json.to_owned()),
        (paths::article(slug), article_json),
    ];
    write_page(
        context,
        out,
        &format!("{path}/index.html"),
        &path,
        &head,
        &preloads,
    )?;

    if related.related.is_empty() {
        return Ok(false);
    }
    let related_path = format!("{path}/related");
    let title = format!("Related to “{}” — Budapest Post", article.headline);
    let description = format!("Articles related to “{}”.", article.headline);
    let head = Head {
        title: &title,
        description: &description,
        path: Some(&related_path),
        og_type: "website",
        json_ld: None,
    };
    let preloads = [
        (paths::site(), site_json.to_owned()),
        (paths::related(slug), related_json),
    ];
    write_page(
        context,
        out,
        &format!("{related_path}/index.html"),
        &related_path,
        &head,
        &preloads,
    )?;
    Ok(true)
}

/// The `NewsArticle` structured data of `article`, published at the site path `path`.
fn news_article(context: &Context, article: &Article, path: &str) -> serde_json::Value {
    let url = context.url(path);
    let home = context.url("/");
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": article.standfirst.as_deref().unwrap_or(&article.headline),
        "datePublished": article.published_at,
        "dateModified": article.updated_at.as_deref().unwrap_or(&article.published_at),
        "articleSection": article.section.name,
        "inLanguage": "en-GB",
        "url": url,
        "mainEntityOfPage": { "@type": "WebPage", "@id": url },
        "isAccessibleForFree": true,
        "author": { "@type": "Organization", "name": context.site.name, "url": home },
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": context.site.name,
            "url": home,
            "logo": {
                "@type": "ImageObject",
                "url": context.url("/icon-512.png"),
                "width": 512,
                "height": 512,
            },
            "publishingPrinciples": format!("{url}#ai-disclaimer"),
            "correctionsPolicy": context.url("/contact"),
        },
    });
    let images: Vec<&str> = article
        .body
        .iter()
        .filter_map(|block| match block {
            Block::Image { src, .. } => Some(src.as_str()),
            _ => None,
        })
        .collect();
    if !images.is_empty() {
        value["image"] = json!(images);
    }
    if article.reading_time_minutes > 0 {
        value["timeRequired"] = json!(format!("PT{}M", article.reading_time_minutes));
    }
    value
}
