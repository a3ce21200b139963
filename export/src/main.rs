//! `budapest-post-export`: the command line of [`budapest_post_export::export`].

use std::path::PathBuf;
use std::process::ExitCode;

use budapest_post_export::{export, shown, Options, Source};
use budapest_post_store::Database;
use clap::Parser;

/// Exports the Budapest Post as a folder of static files for any static host: the app bundle,
/// the read API as JSON files at the server's paths, every page prerendered as HTML, and
/// sitemap.xml, feed.xml, robots.txt, a web manifest, icons and 404.html.
#[derive(Parser, Debug)]
#[command(version, about, long_about)]
struct Cli {
    /// The folder to write the site into; created if missing, refused if not empty.
    #[arg(long, env = "BP_EXPORT_OUT")]
    out: PathBuf,

    /// Empty a non-empty output folder first.
    #[arg(long, env = "BP_EXPORT_FORCE")]
    force: bool,

    /// The built app (Trunk's release output, `cargo xtask build`).
    #[arg(long, env = "BP_EXPORT_DIST", default_value = "dist")]
    dist: PathBuf,

    /// The content folder, loaded into a temporary database (unless --database is given).
    #[arg(long, env = "BP_EXPORT_CONTENT", default_value = "content")]
    content: PathBuf,

    /// Export from this database (e.g. the live server's) instead of --content: a SQLite file
    /// or a `postgres://` URL. Read only.
    #[arg(long, env = "BP_EXPORT_DATABASE")]
    database: Option<String>,

    /// The sub-path the site is served under, e.g. /news/; links and assets follow it.
    #[arg(long, env = "BP_EXPORT_BASE_PATH", default_value = "/")]
    base_path: String,

    /// Where the Contact Us and newsletter forms post, e.g. https://api.example.org
    /// (a live server); by default the site's own origin.
    #[arg(long, env = "BP_EXPORT_API_WRITE_BASE", default_value = "")]
    api_write_base: String,

    /// The site's public origin, e.g. https://budapestpost.example, for canonical links, the
    /// sitemap and the feed; without it, links are root-relative.
    #[arg(long, env = "BP_EXPORT_SITE_URL", default_value = "")]
    site_url: String,

    /// Rendering threads; 0 is one per core.
    #[arg(long, env = "BP_EXPORT_JOBS", default_value_t = 0)]
    jobs: usize,

    /// For benchmarks: export N generated articles instead of --content.
    #[arg(long, value_name = "N", conflicts_with = "database")]
    generate_corpus: Option<u32>,

    /// With --generate-corpus: leave the generated database in this new file (for a server
    /// to serve with --skip-content), instead of a temporary one.
    #[arg(long, value_name = "FILE", requires = "generate_corpus")]
    corpus_database: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let source = match (cli.generate_corpus, cli.database) {
        (Some(count), _) => Source::Corpus {
            count,
            keep: cli.corpus_database,
        },
        (None, Some(database)) => Source::Database(Database::parse(&database)),
        (None, None) => Source::Content(cli.content),
    };
    let options = Options {
        out: cli.out,
        dist: cli.dist,
        source,
        base_path: cli.base_path,
        api_write_base: cli.api_write_base,
        site_url: cli.site_url,
        force: cli.force,
        jobs: cli.jobs,
    };
    if options.site_url.trim().is_empty() {
        eprintln!(
            "warning: no --site-url given: canonical links, Open Graph and JSON-LD addresses, the \
             feed and the sitemap will be root-relative, which crawlers and social cards cannot \
             use; pass the site's public address, e.g. --site-url https://www.budapestpost.example"
        );
    }
    match export(&options) {
        Ok(report) => {
            println!(
                "Exported {} articles ({} files) to {} in {:.2} s",
                report.articles,
                report.files,
                shown(&options.out),
                report.elapsed.as_secs_f64()
            );
            if matches!(options.source, Source::Corpus { .. }) {
                println!(
                    "Generating the corpus took {:.2} s of that",
                    report.loading.as_secs_f64()
                );
            }
            if !report.inline_script_hashes.is_empty() {
                println!(
                    "The pages' inline script, for the host's Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval' {}",
                    report.inline_script_hashes.join(" ")
                );
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("budapest-post-export: {error}");
            ExitCode::FAILURE
        }
    }
}
