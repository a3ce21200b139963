//! The static exporter: the whole site as a folder of files any static host can serve.
//!
//! [`export`] writes the app bundle (Trunk's `dist/`), the read API as JSON files at the very
//! paths the server answers, every page rendered by the app's own renderer (the one the
//! server uses too), and the sitemap, Atom feed, robots.txt and web manifest (the icons are app files). `pages`
//! renders each route, `feeds` writes the crawler files, `output` the folder, `corpus` a
//! generated set of articles for benchmarks.

pub mod corpus;
pub mod feeds;
pub mod output;
pub mod pages;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use budapest_post::config::SiteConfig;
use budapest_post::render::shell::{Shell, ShellError};
use budapest_post_contract::{limits, paths, ArticleList, ArticleSummary, Page, SitePaths};
use budapest_post_store::{Content, ContentError, Database, ListCursor, Store, StoreError};

use output::Out;
use pages::Context;

/// Where the articles come from.
#[derive(Clone, Debug)]
pub enum Source {
    /// A content folder, loaded into a fresh temporary database.
    Content(PathBuf),
    /// An existing database: a SQLite file or a PostgreSQL URL (read only; a server may be
    /// using it).
    Database(Database),
    /// Generated articles, for benchmarks: `count` of them in a fresh database, temporary
    /// unless `keep` names a new file to leave it in (for a server to serve afterwards).
    Corpus {
        /// How many articles.
        count: u32,
        /// The database file to create and keep, if any.
        keep: Option<PathBuf>,
    },
}

/// What to export and how.
#[derive(Clone, Debug)]
pub struct Options {
    /// The folder to write into.
    pub out: PathBuf,
    /// Trunk's release output.
    pub dist: PathBuf,
    /// Where the articles come from.
    pub source: Source,
    /// The sub-path the site is served under: `""`, `"/"`, `"/news/"`.
    pub base_path: String,
    /// Where the Contact Us and newsletter forms post; empty means the site's own origin.
    pub api_write_base: String,
    /// The site's public origin, e.g. `https://budapestpost.example`; empty for relative links.
    pub site_url: String,
    /// Empty a non-empty `out` first instead of refusing.
    pub force: bool,
    /// Rendering threads; 0 means one per core.
    pub jobs: usize,
}

/// What an export wrote.
#[derive(Clone, Debug)]
pub struct Report {
    /// Articles exported.
    pub articles: usize,
    /// Files written, the app bundle included.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
    /// How long it took.
    pub elapsed: Duration,
    /// How much of that went into filling the temporary database (content or corpus).
    pub loading: Duration,
    /// The `'sha256-…'` sources a host's Content-Security-Policy must allow for the pages'
    /// inline scripts (the base path changes them).
    pub inline_script_hashes: Vec<String>,
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A file or folder could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file or folder could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The output folder has files in it and `--force` was not given.
    #[error("{0} is not empty: pass --force to empty it first")]
    NotEmpty(PathBuf),
    /// The output folder is, holds or lies inside an input.
    #[error("will not export into {out}: it overlaps {input}")]
    Overlaps {
        /// The output folder.
        out: PathBuf,
        /// The input it overlaps.
        input: PathBuf,
    },
    /// `dist/index.html` is not shaped like Trunk's output.
    #[error("{path} is not an app page this exporter understands: {problem}")]
    Template {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        problem: ShellError,
    },
    /// An option's value is not usable.
    #[error("invalid {option}: {problem}")]
    Option {
        option: &'static str,
        /// Why.
        problem: String,
    },
    /// The content folder could not be loaded.
    #[error(transparent)]
    Content(#[from] ContentError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The database has no site masthead, so nothing was ever loaded into it.
    #[error("the database {0} holds no content: start the server once or load content into it")]
    Empty(String),
    /// A value could not be written as JSON.
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A rendering thread stopped without finishing.
    #[error("a rendering thread failed: {0}")]
    Worker(String),
    /// The database holds something no page can be made of.
    #[error("the database holds an article with the slug `{0}`, which cannot be a file name")]
    InvalidSlug(String),
    /// The database changed while it was being exported.
    #[error("the article {0} disappeared from the database during the export")]
    Vanished(String),
}

/// Exports the site as `options` asks; see the crate's documentation for what it writes.
pub fn export(options: &Options) -> Result<Report, ExportError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|source| ExportError::Write {
            path: PathBuf::from("(the exporter's threads)"),
            source,
        })?;
    export_with(options, runtime.handle())
}

fn export_with(options: &Options, runtime: &tokio::runtime::Handle) -> Result<Report, ExportError> {
    let started = Instant::now();
    if !SitePaths::is_valid_base_path(&options.base_path) {
        return Err(ExportError::Option {
            option: "--base-path",
            problem: format!(
                "`{}` is not a path of letters, digits, '-', '_', '.' and '~' segments",
                options.base_path
            ),
        });
    }
    let site_paths = SitePaths::new(&options.base_path);
    let site_url = checked_origin("--site-url", &options.site_url)?;
    let api_write_base = checked_origin("--api-write-base", &options.api_write_base)?;
    let base_path = site_paths.base().to_owned();
    let config = SiteConfig {
        base_path: base_path.clone(),
        api_base: base_path.clone(),
        api_write_base: if api_write_base.is_empty() {
            base_path.clone()
        } else {
            api_write_base.clone()
        },
        site_url: site_url.clone(),
    };

    let assets = output::dist_files(&options.dist)?;
    let template_path = options.dist.join("index.html");
    let template_text =
        std::fs::read_to_string(&template_path).map_err(|source| ExportError::Read {
            path: template_path.clone(),
            source,
        })?;
    let shell = Shell::parse(&template_text, &assets, &config).map_err(|problem| {
        ExportError::Template {
            path: template_path.clone(),
            problem,
        }
    })?;

    let mut inputs = vec![options.dist.clone()];
    match &options.source {
        Source::Content(dir) => inputs.push(dir.clone()),
        Source::Database(Database::Sqlite(file)) => inputs.push(file.clone()),
        Source::Database(Database::Postgres(_)) => {}
        Source::Corpus { keep, .. } => inputs.extend(keep.clone()),
    }
    let out = Out::prepare(&options.out, options.force, &inputs)?;
    let loading_started = Instant::now();
    let (store, _temporary) = runtime.block_on(open_source(&options.source))?;
    let loading = loading_started.elapsed();
    let Some(site) = runtime.block_on(store.site())? else {
        return Err(ExportError::Empty(match &options.source {
            Source::Database(database) => database.to_string(),
            _ => "(temporary database)".to_owned(),
        }));
    };
    let lists = runtime.block_on(all_pages(&store, &site_paths))?;
    let summaries: Vec<ArticleSummary> = lists.iter().flat_map(|l| l.articles.clone()).collect();

    // The exporter writes these itself; a copy among the app's files would be overwritten.
    let written_here = |asset: &str| {
        let path = format!("/{}", asset.trim_start_matches('/'));
        feeds::GENERATED.contains(&path.as_str()) || path == "/404.html"
    };
    for asset in assets.iter().filter(|a| !written_here(a)) {
        out.copy(&options.dist.join(asset), asset)?;
    }
    let context = Context {
        site: site.masthead,
        paths: site_paths,
        site_url,
        config,
        shell,
    };
    let site_json = serde_json::to_string(&context.site)?;
    out.write(&paths::site(), site_json.as_bytes())?;
    let mut first_pages = Vec::new();
    for list in &lists {
        let json = serde_json::to_string(list)?;
        if list.page == 1 {
            out.write(&paths::article_index(), json.as_bytes())?;
            pages::write_home(&context, &out, &site_json, &json)?;
        }
        out.write(&paths::article_page(list.page), json.as_bytes())?;
        if list.page <= limits::EMBED_LIST_PAGES {
            first_pages.push(json);
        }
    }
    let sections = lists
        .first()
        .map(|l| l.sections.clone())
        .unwrap_or_default();
    pages::write_embed_headlines(&context, &out, &site_json, &first_pages, &sections)?;
    for page in [Page::Contact, Page::Unsubscribe, Page::ReportStatus] {
        pages::write_site_page(&context, &out, &page, &site_json)?;
    }
    let corrections = runtime.block_on(store.correction_list())?;
    let corrections_json = serde_json::to_string(&corrections)?;
    pages::write_corrections(&context, &out, &site_json, &corrections_json)?;
    pages::write_not_found(&context, &out, &site_json)?;
    let with_related = export_articles(
        &context, &out, &store, runtime, &summaries, &site_json, options,
    )?;
    feeds::write_all(&context, &out, &summaries, &with_related)?;

    Ok(Report {
        articles: summaries.len(),
        files: out.files(),
        bytes: out.bytes(),
        elapsed: started.elapsed(),
        loading,
        inline_script_hashes: context.shell.inline_script_hashes().to_vec(),
    })
}

/// An origin option without its trailing slash; it must be empty or start with http(s)://.
fn checked_origin(option: &'static str, value: &str) -> Result<String, ExportError> {
    let value = value.trim().trim_end_matches('/');
    if value.is_empty() || value.starts_with("https://") || value.starts_with("http://") {
        Ok(value.to_owned())
    } else {
        Err(ExportError::Option {
            option,
            problem: format!("`{value}` does not start with https:// or http://"),
        })
    }
}

/// Opens the database the articles come from; a temporary one lives as long as the folder.
async fn open_source(source: &Source) -> Result<(Store, Option<tempfile::TempDir>), ExportError> {
    if let Source::Database(database) = source {
        if let Database::Sqlite(file) = database {
            if !file.is_file() {
                return Err(ExportError::Read {
                    path: file.clone(),
                    source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
                });
            }
        }
        // Read only: a live server may be writing it, and the export must change nothing.
        let store = Store::open_read_only(database).await?;
        return Ok((store, None));
    }
    let dir = tempfile::tempdir().map_err(|source| ExportError::Write {
        path: std::env::temp_dir(),
        source,
    })?;
    let file = match source {
        Source::Corpus {
            keep: Some(file), ..
        } => {
            if file.exists() {
                return Err(ExportError::Option {
                    option: "--corpus-database",
                    problem: format!("{} exists; the corpus goes into a new file", file.display()),
                });
            }
            file.clone()
        }
        _ => dir.path().join("export.sqlite3"),
    };
    let store = Store::open(&Database::sqlite(file)).await?;
    store.tune_for_bulk_reading().await?;
    match source {
        Source::Content(content) => {
            store.load_content(Content::read_dir(content)?).await?;
        }
        Source::Corpus { count, .. } => corpus::fill(&store, *count).await?,
        Source::Database(_) => {}
    }
    Ok((store, Some(dir)))
}

/// Every page of the article list, newest first, read by key: time in proportion to the
/// number of articles.
async fn all_pages(store: &Store, site_paths: &SitePaths) -> Result<Vec<ArticleList>, ExportError> {
    let total_articles = store.article_count().await?;
    let per_page = limits::ARTICLES_PER_PAGE;
    let total_pages = total_articles.div_ceil(per_page).max(1);
    let lead = store.lead_story().await?;
    let sections = store.sections().await?;
    let mut lists = Vec::with_capacity(total_pages as usize);
    let mut cursor = None;
    for page in 1..=total_pages {
        let articles = store.summaries_after(cursor.take(), per_page).await?;
        cursor = articles.last().map(ListCursor::after);
        lists.push(ArticleList {
            lead: lead.clone(),
            articles,
            page,
            total_pages,
            total_articles,
            sections: sections.clone(),
            next: site_paths.next_article_page(page, total_pages),
        });
    }
    Ok(lists)
}

/// Writes every article's JSON and pages, on `options.jobs` threads; answers, for each article
/// in list order, whether it has a related page.
fn export_articles(
    context: &Context,
    out: &Out,
    store: &Store,
    runtime: &tokio::runtime::Handle,
    summaries: &[ArticleSummary],
    site_json: &str,
    options: &Options,
) -> Result<Vec<bool>, ExportError> {
    let jobs = match options.jobs {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
    .min(summaries.len().max(1));
    let next = AtomicUsize::new(0);
    let results: Vec<Result<Vec<(usize, bool)>, ExportError>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..jobs)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(summary) = summaries.get(index) else {
                            return Ok(done);
                        };
                        let related = pages::write_article(
                            context,
                            out,
                            store,
                            runtime,
                            &summary.slug,
                            site_json,
                        )?;
                        done.push((index, related));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| Err(ExportError::Worker(panic_message(&panic))))
            })
            .collect()
    });
    let mut with_related = vec![false; summaries.len()];
    for result in results {
        for (index, related) in result? {
            with_related[index] = related;
        }
    }
    Ok(with_related)
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "it panicked".to_owned())
}

/// A folder as the summary line names it: with a trailing slash.
pub fn shown(path: &Path) -> String {
    let display = path.display().to_string();
    if display.ends_with('/') {
        display
    } else {
        format!("{display}/")
    }
}
