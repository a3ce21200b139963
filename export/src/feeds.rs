//! Writes the files crawlers, feed readers and browsers look for beside the pages, made by the
//! app's [`SiteFiles`] exactly as the server answers them.

use budapest_post::render::site_files::SiteFiles;
use budapest_post_contract::pages::{FEED_PATH, MANIFEST_PATH, ROBOTS_PATH};
use budapest_post_contract::ArticleSummary;

use crate::output::Out;
use crate::pages::Context;
use crate::ExportError;

pub use budapest_post::render::site_files::GENERATED;

/// Writes the sitemap, feed, robots.txt and manifest for `articles` (newest first);
/// `with_related[i]` tells whether `articles[i]` has a related page.
pub fn write_all(
    context: &Context,
    out: &Out,
    articles: &[ArticleSummary],
    with_related: &[bool],
) -> Result<(), ExportError> {
    let files = SiteFiles::new(&context.config, &context.site);
    for (path, xml) in files.sitemaps(articles, with_related) {
        out.write(&path, xml.as_bytes())?;
    }
    out.write(FEED_PATH, files.feed(articles).as_bytes())?;
    out.write(ROBOTS_PATH, files.robots().as_bytes())?;
    out.write(MANIFEST_PATH, files.manifest().as_bytes())
}
