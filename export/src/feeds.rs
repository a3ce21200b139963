//! The files crawlers, feed readers and browsers look for: `sitemap.xml`, `feed.xml` (Atom),
//! `robots.txt` and `manifest.webmanifest`.

use budapest_post_contract::ArticleSummary;
use serde_json::json;

use crate::output::Out;
use crate::pages::Context;
use crate::ExportError;
use budapest_post::head::html::escape;

/// The files this module (and the icons) write; a copy of one in `dist/` is not exported.
pub const GENERATED: [&str; 7] = [
    "sitemap.xml",
    "feed.xml",
    "robots.txt",
    "manifest.webmanifest",
    "icon-192.png",
    "icon-512.png",
    "404.html",
];

/// Entries in the Atom feed.
pub const FEED_ENTRIES: usize = 20;
/// The most addresses one sitemap file may list (the sitemaps.org protocol's limit).
pub const SITEMAP_MAX_URLS: usize = 50_000;

/// Writes the sitemap, feed, robots.txt and manifest for `articles` (newest first);
/// `with_related[i]` tells whether `articles[i]` has a related page.
pub fn write_all(
    context: &Context,
    out: &Out,
    articles: &[ArticleSummary],
    with_related: &[bool],
) -> Result<(), ExportError> {
    write_sitemaps(context, out, articles, with_related)?;
    out.write("/feed.xml", feed(context, articles).as_bytes())?;
    out.write("/robots.txt", robots(context).as_bytes())?;
    out.write("/manifest.webmanifest", manifest(context)?.as_bytes())
}

/// When `article` last changed.
fn changed(article: &ArticleSummary) -> &str {
    article
        .updated_at
        .as_deref()
        .unwrap_or(&article.published_at)
}

/// `sitemap.xml`; past [`SITEMAP_MAX_URLS`] addresses, an index of `sitemap-N.xml` files.
fn write_sitemaps(
    context: &Context,
    out: &Out,
    articles: &[ArticleSummary],
    with_related: &[bool],
) -> Result<(), ExportError> {
    let newest = articles.iter().map(changed).max();
    let mut urls: Vec<(String, Option<&str>)> =
        vec![(context.url("/"), newest), (context.url("/contact"), None)];
    for (article, related) in articles.iter().zip(with_related) {
        let path = format!("/articles/{}", article.slug);
        if *related {
            urls.push((
                context.url(&format!("{path}/related")),
                Some(changed(article)),
            ));
        }
        urls.push((context.url(&path), Some(changed(article))));
    }
    if urls.len() <= SITEMAP_MAX_URLS {
        return out.write("/sitemap.xml", urlset(&urls).as_bytes());
    }
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (number, chunk) in urls.chunks(SITEMAP_MAX_URLS).enumerate() {
        let name = format!("/sitemap-{}.xml", number + 1);
        out.write(&name, urlset(chunk).as_bytes())?;
        index.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            escape(&context.url(&name))
        ));
    }
    index.push_str("</sitemapindex>\n");
    out.write("/sitemap.xml", index.as_bytes())
}

fn urlset(urls: &[(String, Option<&str>)]) -> String {
    let mut xml = String::with_capacity(urls.len() * 120 + 200);
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (url, lastmod) in urls {
        xml.push_str(&format!("  <url><loc>{}</loc>", escape(url)));
        if let Some(lastmod) = lastmod {
            xml.push_str(&format!("<lastmod>{}</lastmod>", escape(lastmod)));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// The Atom feed of the newest [`FEED_ENTRIES`] articles. Entry ids are the articles'
/// addresses when the site URL is known, `urn:` names otherwise.
fn feed(context: &Context, articles: &[ArticleSummary]) -> String {
    let latest = &articles[..articles.len().min(FEED_ENTRIES)];
    let updated = latest
        .iter()
        .map(changed)
        .max()
        .unwrap_or("1970-01-01T00:00:00Z");
    let id = |path: &str, slug: &str| {
        if context.site_url.is_empty() {
            format!("urn:budapest-post:{slug}")
        } else {
            context.url(path)
        }
    };
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en-GB\">\n");
    xml.push_str(&format!(
        "  <title>{}</title>\n  <subtitle>{}</subtitle>\n",
        escape(&context.site.name),
        escape(&context.site.tagline)
    ));
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape(&context.url("/feed.xml"))
    ));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(&context.url("/"))
    ));
    xml.push_str(&format!(
        "  <id>{}</id>\n  <updated>{}</updated>\n  <author><name>{}</name></author>\n",
        escape(&id("/", "home")),
        escape(updated),
        escape(&context.site.name)
    ));
    for article in latest {
        let path = format!("/articles/{}", article.slug);
        xml.push_str("  <entry>\n");
        xml.push_str(&format!(
            "    <title>{}</title>\n",
            escape(&article.headline)
        ));
        xml.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape(&context.url(&path))
        ));
        xml.push_str(&format!(
            "    <id>{}</id>\n    <published>{}</published>\n    <updated>{}</updated>\n",
            escape(&id(&path, &format!("articles:{}", article.slug))),
            escape(&article.published_at),
            escape(changed(article))
        ));
        xml.push_str(&format!(
            "    <category term=\"{}\" label=\"{}\"/>\n",
            escape(&article.section.slug),
            escape(&article.section.name)
        ));
        if let Some(standfirst) = &article.standfirst {
            xml.push_str(&format!("    <summary>{}</summary>\n", escape(standfirst)));
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

/// `robots.txt`: everything may be crawled; where the sitemap is.
fn robots(context: &Context) -> String {
    let sitemap = context.url("/sitemap.xml");
    // Crawlers only take an absolute sitemap address; without --site-url there is none.
    if sitemap.starts_with("http://") || sitemap.starts_with("https://") {
        format!("User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n")
    } else {
        "User-agent: *\nAllow: /\n".to_owned()
    }
}

/// The web manifest: name, scope and start at the base path, the icons.
fn manifest(context: &Context) -> Result<String, serde_json::Error> {
    let start = context.paths.under_base("/");
    serde_json::to_string_pretty(&json!({
        "name": context.site.name,
        "short_name": context.site.name,
        "description": context.site.tagline,
        "lang": "en-GB",
        "start_url": start,
        "scope": start,
        "display": "standalone",
        "theme_color": "#ffffff",
        "background_color": "#ffffff",
        "icons": [
            { "src": context.paths.under_base("/favicon.svg"), "sizes": "any", "type": "image/svg+xml" },
            { "src": context.paths.under_base("/icon-192.png"), "sizes": "192x192", "type": "image/png" },
            { "src": context.paths.under_base("/icon-512.png"), "sizes": "512x512", "type": "image/png" },
        ],
    }))
}
