//! The static exporter: the whole site as a folder of files any static host can serve.
//!
//! [`export`] writes the app bundle (Trunk's `dist/`), the read API as JSON files at the very
//! paths the server answers, every page prerendered to HTML with its head tags, and the
//! sitemap, Atom feed, robots.txt, web manifest and icons. `pages` says what each route's HTML
//! holds, `html` puts it into the app's `index.html`, `feeds` writes the crawler files,
//! `output` the folder, `corpus` a generated set of articles for benchmarks.

pub mod corpus;
pub mod feeds;
pub mod html;
pub mod icons;
pub mod output;
pub mod pages;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use budapest_post_contract::{paths, ArticleList, ArticleSummary};
use budapest_post_server::content::ContentError;
use budapest_post_server::store::{articles, Store, StoreError};

use output::Out;
use pages::Context;

/// Where the articles come from.
#[derive(Clone, Debug)]
pub enum Source {
    /// A content folder, loaded into a fresh temporary database.
    Content(PathBuf),
    /// An existing database file (read only; a server may be using it).
    Database(PathBuf),
    /// `n` generated articles in a fresh temporary database, for benchmarks.
    Corpus(u32),
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
        /// What is missing.
        problem: String,
    },
    /// An option's value is not usable.
    #[error("invalid {option}: {problem}")]
    Option {
        /// The option.
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
    Empty(PathBuf),
    /// A value could not be written as JSON.
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A rendering thread stopped without finishing.
    #[error("a rendering thread failed: {0}")]
    Worker(String),
}

/// Exports the site as `options` asks; see the crate's documentation for what it writes.
pub fn export(options: &Options) -> Result<Report, ExportError> {
    let started = Instant::now();
    let base_path = budapest_post::config::normalise_base_path(&options.base_path);
    let site_url = checked_origin("--site-url", &options.site_url)?;
    let api_write_base = checked_origin("--api-write-base", &options.api_write_base)?;

    let assets = output::dist_files(&options.dist)?;
    let template_path = options.dist.join("index.html");
    let template_text =
        std::fs::read_to_string(&template_path).map_err(|source| ExportError::Read {
            path: template_path.clone(),
            source,
        })?;
    let settings = html::settings_tags(&base_path, &api_write_base, &site_url);
    let template = html::Template::parse(&template_text, &assets, &base_path, &settings).map_err(
        |problem| ExportError::Template {
            path: template_path.clone(),
            problem,
        },
    )?;

    let mut inputs = vec![options.dist.clone()];
    match &options.source {
        Source::Content(dir) => inputs.push(dir.clone()),
        Source::Database(file) => inputs.push(file.clone()),
        Source::Corpus(_) => {}
    }
    let out = Out::prepare(&options.out, options.force, &inputs)?;
    let loading_started = Instant::now();
    let (store, _temporary) = open_source(&options.source)?;
    let loading = loading_started.elapsed();
    let Some((site, _)) = store.run_now(|c| articles::site(c))? else {
        return Err(ExportError::Empty(match &options.source {
            Source::Database(file) => file.clone(),
            _ => PathBuf::from("(temporary database)"),
        }));
    };
    let lists = all_pages(&store)?;
    let summaries: Vec<ArticleSummary> = lists.iter().flat_map(|l| l.articles.clone()).collect();

    for asset in assets
        .iter()
        .filter(|a| !feeds::GENERATED.contains(&a.as_str()))
    {
        out.copy(&options.dist.join(asset), asset)?;
    }
    let context = Context {
        site,
        base_path,
        site_url,
        api_write_base,
        template,
    };
    let site_json = serde_json::to_string(&context.site)?;
    out.write(&paths::site(), site_json.as_bytes())?;
    for list in &lists {
        let json = serde_json::to_string(list)?;
        if list.page == 1 {
            out.write(&paths::article_index(), json.as_bytes())?;
            pages::write_home(&context, &out, &site_json, &json)?;
        }
        out.write(&paths::article_page(list.page), json.as_bytes())?;
    }
    pages::write_contact(&context, &out, &site_json)?;
    pages::write_not_found(&context, &out, &site_json)?;
    let with_related = export_articles(&context, &out, &store, &summaries, &site_json, options)?;
    feeds::write_all(&context, &out, &summaries, &with_related)?;
    icons::write_all(&out)?;

    Ok(Report {
        articles: summaries.len(),
        files: out.files(),
        bytes: out.bytes(),
        elapsed: started.elapsed(),
        loading,
        inline_script_hashes: context.template.inline_script_hashes(),
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

/// SQLite's page cache for the export, in KiB, and its memory map, in bytes: room for every
/// article's row, read without a system call. The store's list query skips earlier pages with
/// OFFSET, so each list page reads every earlier row again; with SQLite's defaults (2 MiB,
/// no map) those reads went to the file. At 10,000 articles listing the pages took 7.4 s,
/// 2.8 s with the cache and 1.3 s with the map too; it still grows with the square of the
/// articles (see `all_pages`).
const PAGE_CACHE_KIB: i64 = 512 * 1024;
/// See [`PAGE_CACHE_KIB`].
const MEMORY_MAP_BYTES: i64 = 1 << 30;

/// Opens the database the articles come from; a temporary one lives as long as the folder.
fn open_source(source: &Source) -> Result<(Store, Option<tempfile::TempDir>), ExportError> {
    if let Source::Database(file) = source {
        if !file.is_file() {
            return Err(ExportError::Read {
                path: file.clone(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
            });
        }
        let store = Store::open(file)?;
        for_reading_all(&store)?;
        return Ok((store, None));
    }
    let dir = tempfile::tempdir().map_err(|source| ExportError::Write {
        path: std::env::temp_dir(),
        source,
    })?;
    let store = Store::open(&dir.path().join("export.sqlite3"))?;
    // A throw-away database need not survive a power cut: no fsync at every commit.
    store.run_now(|c| Ok(c.pragma_update(None, "synchronous", "OFF")?))?;
    for_reading_all(&store)?;
    match source {
        Source::Content(content) => {
            budapest_post_server::content::load(&store, content)?;
        }
        Source::Corpus(count) => corpus::fill(&store, *count)?,
        Source::Database(_) => {}
    }
    Ok((store, Some(dir)))
}

/// Sets the connection up to read the whole database, many times over (see [`PAGE_CACHE_KIB`]).
fn for_reading_all(store: &Store) -> Result<(), StoreError> {
    store.run_now(|c| {
        c.pragma_update(None, "cache_size", -PAGE_CACHE_KIB)?;
        Ok(c.pragma_update(None, "mmap_size", MEMORY_MAP_BYTES)?)
    })
}

/// Every page of the article list, through the server's own query. That query skips earlier
/// pages with OFFSET, so this takes time in the square of the articles (10,000: 1.3 s of a
/// 13 s export); a store function listing all summaries in order would make it linear.
fn all_pages(store: &Store) -> Result<Vec<ArticleList>, ExportError> {
    let mut lists = Vec::new();
    let mut page = 1;
    while let Some(list) = store.run_now(|c| articles::article_page(c, page))? {
        let last = list.page >= list.total_pages;
        lists.push(list);
        if last {
            break;
        }
        page += 1;
    }
    Ok(lists)
}

/// Writes every article's JSON and pages, on `options.jobs` threads; answers, for each article
/// in list order, whether it has a related page.
fn export_articles(
    context: &Context,
    out: &Out,
    store: &Store,
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
                        let related =
                            pages::write_article(context, out, store, &summary.slug, site_json)?;
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
