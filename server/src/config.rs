//! Command line and environment configuration.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// The Budapest Post server: the JSON API, the built app, and the editors' tools.
#[derive(Parser, Debug)]
#[command(version, about)]
pub struct Cli {
    /// The database: a SQLite file (created on first start), or a PostgreSQL URL
    /// `postgres://user:password@host:port/name` that several servers may share. Either is
    /// migrated to the latest schema at start.
    #[arg(
        long,
        env = "BP_DATABASE",
        default_value = "data/budapest-post.sqlite3",
        global = true
    )]
    pub database: String,

    /// Milliseconds a write waits for another program's lock on the database (an editors'
    /// command, a second server) before it is refused (`503` from the API).
    #[arg(
        long,
        env = "BP_BUSY_TIMEOUT_MS",
        default_value_t = 5000,
        global = true
    )]
    pub busy_timeout_ms: u64,

    /// The most the database may grow to, in MiB; past it, reports and sign-ups are refused
    /// (`503`) and reads carry on. 0: as large as the disk allows. SQLite only.
    #[arg(long, env = "BP_MAX_DATABASE_MIB", default_value_t = 0, global = true)]
    pub max_database_mib: u64,

    /// PostgreSQL: milliseconds one statement may run before it is cancelled and the request
    /// answered `503`.
    #[arg(
        long,
        env = "BP_STATEMENT_TIMEOUT_MS",
        default_value_t = 10_000,
        global = true
    )]
    pub statement_timeout_ms: u64,

    /// PostgreSQL: the most connections this process opens to the database.
    #[arg(
        long,
        env = "BP_DATABASE_CONNECTIONS",
        default_value_t = 16,
        global = true
    )]
    pub database_connections: usize,

    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Options of `serve`, also accepted without the word.
    #[command(flatten)]
    pub serve: ServeOptions,
}

impl Cli {
    /// How the store is to use the database file.
    pub fn store_options(&self) -> budapest_post_store::StoreOptions {
        budapest_post_store::StoreOptions {
            busy_timeout: std::time::Duration::from_millis(self.busy_timeout_ms),
            max_database_bytes: (self.max_database_mib > 0)
                .then(|| self.max_database_mib.saturating_mul(1024 * 1024)),
            statement_timeout: std::time::Duration::from_millis(self.statement_timeout_ms),
            max_connections: self.database_connections,
        }
    }
}

/// The server's commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the API and the app (the default).
    Serve(ServeOptions),
    /// Editors' triage of readers' inaccuracy reports.
    Reports {
        /// What to do with them.
        #[command(subcommand)]
        action: ReportsAction,
    },
    /// Editors' published corrections: publish one, show one, list them.
    Corrections {
        /// What to do.
        #[command(subcommand)]
        action: CorrectionsAction,
    },
    /// What is stored about one reader's email address: show it, or forget it.
    Readers {
        /// What to do.
        #[command(subcommand)]
        action: ReadersAction,
    },
    /// The newsletter list: remove an address, or print its unsubscribe link.
    Newsletter {
        /// What to do.
        #[command(subcommand)]
        action: NewsletterAction,
    },
    /// Operators' work on the database as a whole.
    Database {
        /// What to do.
        #[command(subcommand)]
        action: DatabaseAction,
    },
}

/// What operators can do with the database as a whole.
#[derive(Subcommand, Debug)]
pub enum DatabaseAction {
    /// Copy everything in `--database` (a SQLite file) into a new, empty PostgreSQL database:
    /// articles, corrections and earlier versions, reports and their status tokens, sign-ups,
    /// with their ids and times, in one transaction. Stop the servers writing to the SQLite
    /// file first; start the PostgreSQL nodes afterwards.
    Copy {
        /// The PostgreSQL database to copy into, `postgres://user:password@host:port/name`.
        #[arg(long)]
        to: String,
    },
}

/// What editors can do about one reader's address.
#[derive(Subcommand, Debug)]
pub enum ReadersAction {
    /// Print, as JSON, everything stored about the address: its reports and its newsletter
    /// sign-up (ASCII letters in any case).
    Export {
        /// The email address.
        email: String,
    },
    /// Remove the address everywhere: from its reports (which stay, without it) and from the
    /// newsletter list.
    Forget {
        /// The email address.
        email: String,
    },
}

/// What editors can do with the newsletter list.
#[derive(Subcommand, Debug)]
pub enum NewsletterAction {
    /// Take the address off the list.
    Remove {
        /// The email address.
        email: String,
    },
    /// Print the address's unsubscribe link, to put in the newsletter sent to it.
    Link {
        /// The email address.
        email: String,
        /// The site's public address, e.g. `https://www.budapestpost.example` (with its base
        /// path, if any).
        #[arg(long, env = "BP_SITE_URL")]
        site_url: String,
    },
}

/// What editors can do with reports.
#[derive(Subcommand, Debug)]
pub enum ReportsAction {
    /// List reports grouped by article and quoted passage (ten reports of one typo are one
    /// item, with their count), newest first; open ones (received or accepted) unless
    /// `--status` says otherwise. Text readers wrote is printed with control characters
    /// escaped (`\u{1b}`), so it cannot rewrite the terminal.
    List {
        /// Only reports with this status: received, accepted, declined or corrected.
        #[arg(long)]
        status: Option<budapest_post_contract::ReportStatus>,
        /// Print JSON, one object a report, instead of the grouped table.
        #[arg(long)]
        json: bool,
    },
    /// Show one report in full.
    Show {
        /// `BP-7K3QX9ZD` (any letter case); older reports' `BP-000042` or `42`.
        reference: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Accept reports: an editor agrees, and a correction is to be published for them
    /// (`corrections publish ... --reports` them; the command to start from is printed).
    Accept {
        /// The reports' references.
        #[arg(required = true)]
        references: Vec<String>,
    },
    /// Decline a report, with the reason the reporter is to be told.
    Decline {
        /// The report's reference.
        reference: String,
        /// Why the article stands, in a sentence the reporter can read.
        #[arg(long)]
        reason: String,
    },
}

/// What editors can do with corrections.
#[derive(Subcommand, Debug)]
pub enum CorrectionsAction {
    /// Publish a correction: replace the passage (which must stand exactly once in the
    /// article's text) and show the public note beside the article; the reports it answers
    /// become corrected. Readers see it at once, the running server included.
    Publish {
        /// The article's slug.
        #[arg(long)]
        article: String,
        /// The passage as it stands now, exactly.
        #[arg(long)]
        passage: String,
        /// The text that replaces it.
        #[arg(long)]
        replacement: String,
        /// The public note, e.g. "An earlier version of this article misspelled …".
        #[arg(long)]
        note: String,
        /// The references of the reports it answers.
        #[arg(long, num_args = 1.., value_delimiter = ',')]
        reports: Vec<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Show a correction: the changed block before and after, its note and its reports.
    Show {
        /// The correction's number.
        id: u32,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List every published correction, newest first.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

/// How to serve.
#[derive(clap::Args, Debug, Clone)]
pub struct ServeOptions {
    /// Address to listen on; port 0 picks a free port (the address is printed).
    #[arg(long, env = "BP_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// The content folder loaded into the database at start.
    #[arg(long, env = "BP_CONTENT", default_value = "content")]
    pub content: PathBuf,

    /// Serve the database as it is, without loading the content folder (e.g. a database the
    /// exporter's `--generate-corpus` left with `--corpus-database`, for benchmarks).
    #[arg(long, env = "BP_SKIP_CONTENT")]
    pub skip_content: bool,

    /// The built app (Trunk's output folder).
    #[arg(long, env = "BP_DIST", default_value = "dist")]
    pub dist: PathBuf,

    /// Origins allowed to POST reports and sign-ups (comma-separated); the site's own origin
    /// always may.
    #[arg(long, env = "BP_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,

    /// Requests one client may make per minute to the write endpoints (POST).
    #[arg(
        long,
        env = "BP_WRITE_RATE_PER_MINUTE",
        default_value_t = 30,
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    pub write_rate_per_minute: u32,

    /// Requests one client may make per minute to everything else (reads, the app's files).
    #[arg(
        long,
        env = "BP_READ_RATE_PER_MINUTE",
        default_value_t = 1200,
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    pub read_rate_per_minute: u32,

    /// Reports and sign-ups the whole server accepts per minute, from all clients together.
    #[arg(
        long,
        env = "BP_GLOBAL_WRITE_RATE_PER_MINUTE",
        default_value_t = 600,
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    pub global_write_rate_per_minute: u32,

    /// Behind a proxy: take the client's address (for rate limits) from `X-Forwarded-For`
    /// (see `--forwarded-hops`), and the site's host (for same-origin writes) also from
    /// `X-Forwarded-Host`. Set only when a proxy in front writes those headers.
    #[arg(long, env = "BP_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,

    /// With `--trust-forwarded-for`: how many proxies in front append to `X-Forwarded-For`;
    /// the client is that many entries from the right. An entry that is missing or not an
    /// address means the socket's peer is keyed instead.
    #[arg(
        long,
        env = "BP_FORWARDED_HOPS",
        default_value_t = 1,
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    pub forwarded_hops: u32,

    /// Seconds a request may take before it is answered `504` (the answer's body may take
    /// longer to send).
    #[arg(
        long,
        env = "BP_REQUEST_TIMEOUT_SECONDS",
        default_value_t = 30,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub request_timeout_seconds: u64,

    /// Send `Strict-Transport-Security`: only for a site readers reach over HTTPS, e.g. behind
    /// a TLS proxy.
    #[arg(long, env = "BP_HSTS")]
    pub hsts: bool,

    /// Who may show the site in a frame: the CSP `frame-ancestors` sources (comma-separated),
    /// e.g. `'self',https://partner.example`.
    #[arg(
        long,
        env = "BP_FRAME_ANCESTORS",
        value_delimiter = ',',
        default_value = "'self'"
    )]
    pub frame_ancestors: Vec<String>,

    /// Who may show the embeds (`/embed/…`, for partners' pages) in a frame: the CSP
    /// `frame-ancestors` sources (comma-separated), e.g. `https://partner.example`; `*` for
    /// any site. The rest of the site follows `--frame-ancestors`.
    #[arg(
        long,
        env = "BP_EMBED_ANCESTORS",
        value_delimiter = ',',
        default_value = "*"
    )]
    pub embed_ancestors: Vec<String>,

    /// Other origins the app may call the API at (comma-separated); added to the CSP
    /// `connect-src` beside the site's own origin.
    #[arg(long, env = "BP_API_ORIGINS", value_delimiter = ',')]
    pub api_origins: Vec<String>,

    /// The site's public address (`https://www.budapestpost.example`), for canonical links,
    /// sharing tags and structured data; without it, the address the server listens on.
    #[arg(long, env = "BP_SITE_URL", default_value = "")]
    pub site_url: String,

    /// Memory, in MiB, for finished API read answers, site files (feed, sitemap) and rendered
    /// pages (with tag and compressed forms), kept until the content changes (here or in
    /// another process sharing the database), and for pages until the app is rebuilt; 0 turns
    /// the cache off.
    #[arg(long, env = "BP_READ_CACHE_MIB", default_value_t = 64)]
    pub read_cache_mib: u32,

    /// Days a report keeps the reader's email address; after that the address is cleared (the
    /// report stays). Applied at start and every hour.
    #[arg(
        long,
        env = "BP_EMAIL_RETENTION_DAYS",
        default_value_t = 180,
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    pub email_retention_days: u32,
}

impl ServeOptions {
    /// The defaults, serving `dist` and loading `content` from the given folders.
    pub fn new(content: PathBuf, dist: PathBuf) -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            content,
            skip_content: false,
            dist,
            allowed_origins: Vec::new(),
            write_rate_per_minute: 30,
            read_rate_per_minute: 1200,
            global_write_rate_per_minute: 600,
            trust_forwarded_for: false,
            forwarded_hops: 1,
            request_timeout_seconds: 30,
            hsts: false,
            frame_ancestors: vec!["'self'".to_owned()],
            embed_ancestors: vec!["*".to_owned()],
            api_origins: Vec::new(),
            read_cache_mib: 64,
            site_url: String::new(),
            email_retention_days: 180,
        }
    }
}
