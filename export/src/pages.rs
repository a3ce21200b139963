//! Every route's exported HTML, rendered by the app's own renderer from the API answers the
//! page shows: the markup, the head and the embedded data are the server's too.

use budapest_post::config::SiteConfig;
use budapest_post::embed::EmbedKind;
use budapest_post::render::embed::{headlines_oembed_answer, oembed_answer};
use budapest_post::render::shell::Shell;
use budapest_post::render::{self, Answer};
use budapest_post_contract::{limits, paths, Page, Section, Site, SitePaths};
use budapest_post_store::Store;

use crate::output::Out;
use crate::ExportError;

/// What every page of one export shares.
#[derive(Clone, Debug)]
pub struct Context {
    /// The masthead.
    pub site: Site,
    /// Addresses under the base path.
    pub paths: SitePaths,
    /// The public origin without a trailing slash, or empty.
    pub site_url: String,
    /// The app's run-time settings, as every page carries them.
    pub config: SiteConfig,
    /// The app's `index.html`, prepared.
    pub shell: Shell,
}

impl Context {
    /// The public address of the site path `path` (`/articles/x`, before the base path):
    /// absolute with a site URL, root-relative without.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.site_url, self.paths.under_base(path))
    }
}

/// A successful answer of `api_path` with `body`.
fn ok(api_path: String, body: &str) -> Answer {
    Answer {
        api_path,
        status: 200,
        body: body.to_owned(),
    }
}

/// Renders `page` from `answers` and writes it to `file` (a site path) in the output folder.
fn write_page(
    context: &Context,
    out: &Out,
    file: &str,
    page: &Page,
    answers: &[Answer],
) -> Result<(), ExportError> {
    let url = context.paths.page(page);
    let rendered = render::render(&context.shell, &url, answers, &context.config);
    out.write(file, rendered.html.as_bytes())
}

/// Writes `index.html`, the home page with the first page of the list, and its oEmbed answer.
pub fn write_home(
    context: &Context,
    out: &Out,
    site_json: &str,
    index_json: &str,
) -> Result<(), ExportError> {
    let answers = [
        ok(paths::site(), site_json),
        ok(paths::article_index(), index_json),
    ];
    write_page(context, out, "/index.html", &Page::Home, &answers)?;
    let oembed = headlines_oembed_answer(&context.config, &context.site, None, None);
    out.write(
        &paths::oembed_headlines(),
        serde_json::to_string(&oembed)?.as_bytes(),
    )
}

/// Writes a page that shows nothing from the API but the masthead, at its own path:
/// `contact/index.html` for the Contact Us form, `newsletter/unsubscribe/index.html`.
pub fn write_site_page(
    context: &Context,
    out: &Out,
    page: &Page,
    site_json: &str,
) -> Result<(), ExportError> {
    let answers = [ok(paths::site(), site_json)];
    let file = format!("{}/index.html", page.path());
    write_page(context, out, &file, page, &answers)
}

/// Writes an embed page (`render::embed`) at its own path.
fn write_embed(
    context: &Context,
    out: &Out,
    page: &Page,
    answers: &[Answer],
) -> Result<(), ExportError> {
    let rendered = render::embed::render(page, answers, &context.config);
    out.write(
        &format!("{}/index.html", page.path()),
        rendered.html.as_bytes(),
    )
}

/// Writes the embeds of the latest headlines, of all sections and of each of `sections`, from
/// the first pages of the article list (`list_pages[i]` is page `i + 1`'s JSON).
pub fn write_embed_headlines(
    context: &Context,
    out: &Out,
    site_json: &str,
    list_pages: &[String],
    sections: &[Section],
) -> Result<(), ExportError> {
    let answers: Vec<Answer> = std::iter::once(ok(paths::site(), site_json))
        .chain(
            list_pages
                .iter()
                .take(limits::EMBED_LIST_PAGES as usize)
                .zip(1..)
                .map(|(json, page)| ok(paths::article_page(page), json)),
        )
        .collect();
    write_embed(
        context,
        out,
        &Page::EmbedHeadlines { section: None },
        &answers,
    )?;
    for section in sections {
        // A section's slug becomes a folder name; one that is not a slug gets no embed.
        if !paths::is_valid_slug(&section.slug) {
            continue;
        }
        let page = Page::EmbedHeadlines {
            section: Some(section.slug.clone()),
        };
        write_embed(context, out, &page, &answers)?;
    }
    Ok(())
}

/// Writes the corrections list's JSON and its page, `corrections/index.html`.
pub fn write_corrections(
    context: &Context,
    out: &Out,
    site_json: &str,
    corrections_json: &str,
) -> Result<(), ExportError> {
    out.write(&paths::corrections(), corrections_json.as_bytes())?;
    let answers = [
        ok(paths::site(), site_json),
        ok(paths::corrections(), corrections_json),
    ];
    let page = Page::Corrections;
    let file = format!("{}/index.html", page.path());
    write_page(context, out, &file, &page, &answers)
}

/// Writes `404.html`, the page a static host answers for unknown addresses.
pub fn write_not_found(context: &Context, out: &Out, site_json: &str) -> Result<(), ExportError> {
    let answers = [ok(paths::site(), site_json)];
    write_page(context, out, "/404.html", &Page::NotFound, &answers)
}

/// Writes one article's JSON and page, and its related list's JSON (and page, when it has
/// related articles). Answers whether it has a related page.
pub fn write_article(
    context: &Context,
    out: &Out,
    store: &Store,
    runtime: &tokio::runtime::Handle,
    slug: &str,
    site_json: &str,
) -> Result<bool, ExportError> {
    // Slugs become file names: one from a database file is checked before it is used.
    if !paths::is_valid_slug(slug) {
        return Err(ExportError::InvalidSlug(slug.to_owned()));
    }
    let found = runtime.block_on(async {
        Ok::<_, ExportError>(
            store
                .article(slug)
                .await?
                .zip(store.related_list(slug).await?),
        )
    })?;
    let Some((article, related)) = found else {
        return Err(ExportError::Vanished(slug.to_owned()));
    };
    let article_json = serde_json::to_string(&article)?;
    let related_json = serde_json::to_string(&related)?;
    out.write(&paths::article(slug), article_json.as_bytes())?;
    out.write(&paths::related(slug), related_json.as_bytes())?;

    let page = Page::Article {
        slug: slug.to_owned(),
    };
    let answers = [
        ok(paths::site(), site_json),
        ok(paths::article(slug), &article_json),
    ];
    let embed = Page::EmbedArticle {
        slug: slug.to_owned(),
    };
    write_embed(context, out, &embed, &answers)?;
    let oembed = oembed_answer(
        &context.config,
        &context.site,
        EmbedKind::Article { slug },
        &article.summary.headline,
        None,
        None,
    );
    out.write(
        &paths::oembed_article(slug),
        serde_json::to_string(&oembed)?.as_bytes(),
    )?;
    write_page(
        context,
        out,
        &format!("{}/index.html", page.path()),
        &page,
        &answers,
    )?;

    if related.related.is_empty() {
        return Ok(false);
    }
    let page = Page::Related {
        slug: slug.to_owned(),
    };
    let answers = [
        ok(paths::site(), site_json),
        ok(paths::related(slug), &related_json),
    ];
    write_page(
        context,
        out,
        &format!("{}/index.html", page.path()),
        &page,
        &answers,
    )?;
    Ok(true)
}
