//! Load: a bounded mixed read/write load from 64 clients at once, each on its own keep-alive
//! connection from its own loopback address, against the real server binary. Every request
//! must get the answer it should (no failure at all but the 429s one greedy client earns on
//! purpose), everything acknowledged must be stored, and the server's resident memory must
//! level off: the peak of the last third of the run may not exceed the peak of the middle
//! third by more than [`RSS_SLACK_PERCENT`] (at least [`RSS_SLACK_MIN_KIB`]).
//!
//! Throughput and latency are printed, never asserted (a shared, noisy machine).
//!
//! Run by `cargo xtask test reliability` against the release server (`BP_SERVER_BIN`); alone:
//! `cargo test -p budapest-post-server --test load -- --ignored --nocapture`.

mod binary;
mod loopback;

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use loopback::{loopback, quantile, server_binary, spawn, Client, Reply};
use serde_json::{json, Value};

/// Clients at once, one connection each.
const CLIENTS: usize = 64;
/// The last client writes far past its budget, on purpose.
const GREEDY: usize = CLIENTS - 1;
/// Requests each of the other clients makes (`BP_LOAD_REQUESTS_PER_CLIENT` changes it, for a
/// longer or shorter run); a multiple of 100, so each makes exactly the mix of [`MIX`].
const REQUESTS_PER_CLIENT: usize = 1200;
/// Of every 100 requests a client makes, how many of each kind. Each write waits for its
/// `fsync` (WAL, `synchronous = FULL`) and writes go one at a time, so writes set the pace of
/// the whole run: 5 in 100 keep it near 20 s here.
const MIX: &[(Kind, usize)] = &[
    (Kind::Article, 30),
    (Kind::ListPage, 12),
    (Kind::Related, 10),
    (Kind::Site, 6),
    (Kind::OpenApi, 2),
    (Kind::Page, 14),
    (Kind::Revalidate, 12),
    (Kind::Missing, 9),
    (Kind::Report, 3),
    (Kind::Newsletter, 2),
];
/// The run's size and the server's budgets, which follow from it.
#[derive(Clone, Copy)]
struct Plan {
    /// Requests each well-behaved client makes.
    requests_per_client: usize,
    /// Each client's read budget a minute: every request it makes would fit.
    read_budget: usize,
    /// Each client's write budget a minute: what a well-behaved client sends, and a tenth more.
    write_budget: usize,
    /// The greedy client sends this many reports, back to back: three budgets' worth.
    greedy_writes: usize,
    /// The server-wide write budget a minute: room for every write the clients may make, so
    /// that only the greedy client's own budget refuses anything.
    global_write_budget: usize,
}

impl Plan {
    fn new() -> Self {
        let requests_per_client = std::env::var("BP_LOAD_REQUESTS_PER_CLIENT")
            .ok()
            .and_then(|n| n.parse::<usize>().ok())
            .map_or(REQUESTS_PER_CLIENT, |n| n.div_ceil(100).max(1) * 100);
        let writes_per_client: usize = requests_per_client / 100
            * MIX
                .iter()
                .filter(|(kind, _)| kind.is_write())
                .map(|(_, n)| n)
                .sum::<usize>();
        let write_budget = writes_per_client + writes_per_client / 10;
        let greedy_writes = 3 * write_budget;
        Self {
            requests_per_client,
            read_budget: requests_per_client,
            write_budget,
            greedy_writes,
            global_write_budget: (CLIENTS - 1) * writes_per_client + greedy_writes,
        }
    }
}

/// How often the server's memory is read.
const SAMPLE_EVERY: Duration = Duration::from_millis(100);
/// How far the last third's peak may rise over the middle third's, in percent of it...
///
/// Generous on purpose: the server's memory keeps warming up well into the run (each pooled
/// read-only SQLite connection, up to one per request in flight, fills its page cache slowly),
/// which adds a few MiB in the last third of a 20 s run and levels off near 40 MiB in a run four
/// times as long (RELIABILITY.md). A leak of a kilobyte a request (some 25 MiB a third), or of
/// anything kept per client or per missing path, outgrows this within the run.
const RSS_SLACK_PERCENT: u64 = 20;
/// ...and at least this much.
const RSS_SLACK_MIN_KIB: u64 = 8192;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Kind {
    /// `GET /api/v1/articles/{slug}.json`
    Article,
    /// `GET` of the first, second or third page of the list.
    ListPage,
    /// `GET /api/v1/articles/{slug}/related.json`
    Related,
    /// `GET /api/v1/site.json`
    Site,
    /// `GET /api/v1/openapi.json`
    OpenApi,
    /// A page rendered by the server: home, an article, its related list, contact.
    Page,
    /// An article again with `If-None-Match`: 304.
    Revalidate,
    /// An article that does not exist (a new slug each time): 404 in the error shape.
    Missing,
    /// `POST /api/v1/reports`; every fourth one resends the previous report's key.
    Report,
    /// `POST /api/v1/newsletter`; every fourth one signs up an address again.
    Newsletter,
}

impl Kind {
    fn is_write(self) -> bool {
        matches!(self, Kind::Report | Kind::Newsletter)
    }
}

/// The kind of request `i` of client `client`: each 100 consecutive requests hold exactly the
/// counts of [`MIX`], in an order that differs between clients.
fn kind_of(client: usize, i: usize) -> Kind {
    let mut slot = (i * 37 + client * 11) % 100;
    for (kind, count) in MIX {
        if slot < *count {
            return *kind;
        }
        slot -= count;
    }
    unreachable!("the mix adds up to 100")
}

/// What the clients saw.
#[derive(Default)]
struct Tally {
    requests: u64,
    by_status: HashMap<u16, u64>,
    read_latency_us: Vec<u64>,
    write_latency_us: Vec<u64>,
    /// 429s to the greedy client: deliberate.
    deliberate_429: u64,
    failures: u64,
    failure_examples: Vec<String>,
    /// Report keys acknowledged, each with its reference.
    reports: HashMap<String, String>,
    /// Addresses whose sign-up was acknowledged.
    subscribers: HashSet<String>,
}

impl Tally {
    fn fail(&mut self, what: String) {
        self.failures += 1;
        if self.failure_examples.len() < 20 {
            self.failure_examples.push(what);
        }
    }
}

struct Shared {
    slugs: Vec<String>,
    tally: Mutex<Tally>,
}

/// What one client remembers between requests.
struct ClientState {
    number: usize,
    client: Client,
    etags: HashMap<String, String>,
    last_report: Option<(Value, String)>,
    reports: usize,
    signups: usize,
}

fn report_for(key: &str, slug: &str) -> Value {
    json!({
        "article_slug": slug,
        "quoted_passage": format!("The passage quoted in report {key}"),
        "what_is_wrong": "Load test: this is wrong.",
        "correction": "Load test: this is right.",
        "email": "reader@example.com",
        "idempotency_key": key,
    })
}

/// Makes request `i` and checks its answer; answers whether it was a read, and its latency.
async fn one_request(state: &mut ClientState, shared: &Shared, i: usize) {
    let kind = if state.number == GREEDY {
        Kind::Report
    } else {
        kind_of(state.number, i)
    };
    let slug = &shared.slugs[(i * 7 + state.number) % shared.slugs.len()];
    let article = format!("/api/v1/articles/{slug}.json");
    let started = Instant::now();
    let mut expected_report: Option<(String, Option<String>)> = None;
    let mut signup: Option<String> = None;
    let (path, answer) = match kind {
        Kind::Article => (article.clone(), state.client.get(&article).await),
        Kind::ListPage => {
            let path = match i % 3 {
                0 => "/api/v1/articles/index.json".to_owned(),
                n => format!("/api/v1/articles/page/{}.json", n + 1),
            };
            let answer = state.client.get(&path).await;
            (path, answer)
        }
        Kind::Related => {
            let path = format!("/api/v1/articles/{slug}/related.json");
            let answer = state.client.get(&path).await;
            (path, answer)
        }
        Kind::Site => {
            let path = "/api/v1/site.json".to_owned();
            let answer = state.client.get(&path).await;
            (path, answer)
        }
        Kind::OpenApi => {
            let path = "/api/v1/openapi.json".to_owned();
            let answer = state.client.get(&path).await;
            (path, answer)
        }
        Kind::Page => {
            let path = match i % 4 {
                0 => "/".to_owned(),
                1 => format!("/articles/{slug}"),
                2 => format!("/articles/{slug}/related"),
                _ => "/contact".to_owned(),
            };
            let answer = state.client.get(&path).await;
            (path, answer)
        }
        Kind::Revalidate => {
            let etag = state.etags.get(&article).cloned();
            let headers: Vec<(&str, &str)> = etag
                .as_deref()
                .map(|tag| vec![("if-none-match", tag)])
                .unwrap_or_default();
            let answer = state
                .client
                .send(hyper::Method::GET, &article, &headers, None)
                .await;
            (article.clone(), answer)
        }
        Kind::Missing => {
            let path = format!("/api/v1/articles/no-such-article-{}-{i}.json", state.number);
            let answer = state.client.get(&path).await;
            (path, answer)
        }
        Kind::Report => {
            let resend = state.reports % 4 == 3 && state.last_report.is_some();
            let report = if resend {
                let (report, reference) = state.last_report.clone().unwrap();
                expected_report = Some((
                    report["idempotency_key"].as_str().unwrap().to_owned(),
                    Some(reference),
                ));
                report
            } else {
                let key = format!("load-client{}-report{:05}", state.number, state.reports);
                expected_report = Some((key.clone(), None));
                report_for(&key, slug)
            };
            state.reports += 1;
            let answer = state.client.post_json("/api/v1/reports", &report).await;
            if let Ok(reply) = &answer {
                if reply.status == 201 && !resend {
                    let reference = reply
                        .json()
                        .and_then(|j| j["id"].as_str().map(str::to_owned));
                    state.last_report = reference.map(|r| (report.clone(), r));
                }
            }
            ("/api/v1/reports".to_owned(), answer)
        }
        Kind::Newsletter => {
            let n = if state.signups % 4 == 3 {
                state.signups - 1
            } else {
                state.signups
            };
            state.signups += 1;
            let email = format!("load-{}-{n}@example.com", state.number);
            let answer = state
                .client
                .post_json("/api/v1/newsletter", &json!({ "email": email }))
                .await;
            signup = Some(email);
            ("/api/v1/newsletter".to_owned(), answer)
        }
    };
    let latency = started.elapsed().as_micros() as u64;
    let mut tally = shared.tally.lock().unwrap();
    tally.requests += 1;
    if kind.is_write() {
        tally.write_latency_us.push(latency);
    } else {
        tally.read_latency_us.push(latency);
    }
    let reply = match answer {
        Ok(reply) => reply,
        Err(error) => {
            tally.fail(format!("{kind:?} {path}: no answer: {error:?}"));
            return;
        }
    };
    *tally.by_status.entry(reply.status).or_default() += 1;
    if let Some(problem) = check(kind, &reply, state.etags.contains_key(&article)) {
        if reply.status == 429 && state.number == GREEDY && reply.is_error_shape() {
            if reply
                .header("retry-after")
                .is_some_and(|s| s.parse::<u64>().is_ok_and(|s| s >= 1))
            {
                tally.deliberate_429 += 1;
            } else {
                tally.fail(format!("429 without a Retry-After: {:?}", reply.headers));
            }
        } else {
            tally.fail(format!("{kind:?} {path}: {problem}"));
        }
        return;
    }
    if let Some(tag) = reply.header("etag") {
        if kind == Kind::Article {
            state.etags.insert(article, tag.to_owned());
        }
    }
    if let Some((key, earlier)) = expected_report {
        let reference = reply
            .json()
            .and_then(|j| j["id"].as_str().map(str::to_owned));
        match (reference, earlier) {
            (Some(reference), Some(earlier)) if reference != earlier => tally.fail(format!(
                "{key} acknowledged as {earlier}, resent and acknowledged as {reference}"
            )),
            (Some(reference), _) => {
                tally.reports.insert(key, reference);
            }
            (None, _) => tally.fail(format!("201 without a reference for {key}")),
        }
    }
    if let Some(email) = signup {
        tally.subscribers.insert(email);
    }
}

/// What is wrong with `reply` to a request of `kind`, if anything.
fn check(kind: Kind, reply: &Reply, revalidating: bool) -> Option<String> {
    let body = || {
        String::from_utf8_lossy(&reply.body)
            .chars()
            .take(300)
            .collect::<String>()
    };
    let json_200 = || {
        (reply.status == 200 && reply.json().is_some_and(|j| j.is_object()))
            .then_some(())
            .ok_or_else(|| format!("{} {}", reply.status, body()))
    };
    let outcome = match kind {
        Kind::Article | Kind::ListPage | Kind::Related | Kind::Site | Kind::OpenApi => json_200(),
        Kind::Revalidate if revalidating => (reply.status == 304 && reply.body.is_empty())
            .then_some(())
            .ok_or_else(|| format!("{} to If-None-Match: {}", reply.status, body())),
        Kind::Revalidate => json_200(),
        Kind::Page => (reply.status == 200
            && reply
                .header("content-type")
                .is_some_and(|t| t.starts_with("text/html"))
            && body().contains("<"))
        .then_some(())
        .ok_or_else(|| format!("{} {}", reply.status, body())),
        Kind::Missing => (reply.status == 404 && reply.is_error_shape())
            .then_some(())
            .ok_or_else(|| format!("{} {}", reply.status, body())),
        Kind::Report => (reply.status == 201)
            .then_some(())
            .ok_or_else(|| format!("{} {}", reply.status, body())),
        // 201 for a new address, 200 or 201 again for a known one: either is an
        // acknowledgement.
        Kind::Newsletter => matches!(reply.status, 200 | 201)
            .then_some(())
            .ok_or_else(|| format!("{} {}", reply.status, body())),
    };
    outcome.err()
}

async fn client(number: usize, server: SocketAddr, shared: Arc<Shared>, plan: Plan) {
    let mut state = ClientState {
        number,
        client: Client::new(loopback(number), server),
        etags: HashMap::new(),
        last_report: None,
        reports: 0,
        signups: 0,
    };
    let requests = if number == GREEDY {
        plan.greedy_writes
    } else {
        plan.requests_per_client
    };
    for i in 0..requests {
        one_request(&mut state, &shared, i).await;
    }
}

/// One reading of the server's memory: when, its RSS in KiB, and its threads.
type Sample = (Duration, u64, u64);

/// The highest RSS in `samples`.
fn peak(samples: &[Sample]) -> u64 {
    samples.iter().map(|(_, kib, _)| *kib).max().unwrap_or(0)
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

#[test]
#[ignore = "about 20 s of load: run by `cargo xtask test reliability` against the release server"]
fn mixed_load_from_64_clients_fails_nothing_and_memory_levels_off() {
    assert_eq!(MIX.iter().map(|(_, n)| n).sum::<usize>(), 100);
    let plan = Plan::new();
    let binary = server_binary();
    let (_dir, database, dist) = binary::workspace();
    let budgets = [
        ("--read-rate-per-minute", plan.read_budget),
        ("--write-rate-per-minute", plan.write_budget),
        ("--global-write-rate-per-minute", plan.global_write_budget),
    ]
    .map(|(flag, n)| [flag.to_owned(), n.to_string()]);
    let args: Vec<&str> = budgets.iter().flatten().map(String::as_str).collect();
    let mut server = spawn(
        &binary,
        &database,
        &dist,
        SocketAddr::from(([127, 0, 0, 1], 0)),
        &args,
    );
    let addr = server.wait_listening().expect("the server listens");
    let pid = server.pid();
    println!(
        "load: {} server {}; budgets a minute: {} reads and {} writes a client, {} writes in \
         all",
        loopback::build_of(&binary),
        binary.display(),
        plan.read_budget,
        plan.write_budget,
        plan.global_write_budget,
    );

    let shared = Arc::new(Shared {
        slugs: loopback::article_slugs(),
        tally: Mutex::new(Tally::default()),
    });
    let sampling = Arc::new(AtomicBool::new(true));
    let sampler = {
        let sampling = sampling.clone();
        std::thread::spawn(move || {
            let started = Instant::now();
            let mut samples = Vec::new();
            while sampling.load(Ordering::Relaxed) {
                if let Some(kib) = loopback::rss_kib(pid) {
                    let threads = loopback::status_kib(pid, "Threads").unwrap_or(0);
                    samples.push((started.elapsed(), kib, threads));
                }
                std::thread::sleep(SAMPLE_EVERY);
            }
            samples
        })
    };
    let runtime = loopback::runtime();
    let started = Instant::now();
    runtime.block_on(async {
        let clients: Vec<_> = (0..CLIENTS)
            .map(|n| tokio::spawn(client(n, addr, shared.clone(), plan)))
            .collect();
        for client in clients {
            client.await.unwrap();
        }
    });
    let elapsed = started.elapsed();
    sampling.store(false, Ordering::Relaxed);
    let samples = sampler.join().unwrap();
    assert!(server.is_running(), "the server died under load");
    let connections = loopback::open_files_named(pid, &database);
    let breakdown = ["RssAnon", "RssFile", "RssShmem", "Threads"].map(|name| {
        let figure = loopback::status_kib(pid, name).unwrap_or(0);
        match name {
            "Threads" => format!("{figure} threads"),
            _ => format!("{name} {:.1} MiB", mib(figure)),
        }
    });
    server.kill();

    let mut tally = shared.tally.lock().unwrap();
    tally.read_latency_us.sort_unstable();
    tally.write_latency_us.sort_unstable();
    let figures = |name: &str, sorted: &[u64]| {
        format!(
            "{name}: {} requests, p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            sorted.len(),
            quantile(sorted, 0.5) as f64 / 1000.0,
            quantile(sorted, 0.9) as f64 / 1000.0,
            quantile(sorted, 0.99) as f64 / 1000.0,
            sorted.last().copied().unwrap_or(0) as f64 / 1000.0,
        )
    };
    let mut statuses: Vec<_> = tally.by_status.iter().collect();
    statuses.sort();
    let timeline: Vec<String> = (0..10)
        .filter_map(|tenth| samples.get(samples.len() * tenth / 10))
        .chain(samples.last())
        .map(|(at, kib, threads)| format!("{:.0}s {:.1} ({threads})", at.as_secs_f64(), mib(*kib)))
        .collect();
    let third = samples.len() / 3;
    let (middle, last) = (&samples[third..2 * third], &samples[2 * third..]);
    let (middle_peak, last_peak) = (peak(middle), peak(last));
    let allowed = middle_peak + (middle_peak * RSS_SLACK_PERCENT / 100).max(RSS_SLACK_MIN_KIB);
    println!(
        "load: {CLIENTS} clients, {} requests in {elapsed:.1?} ({:.0} requests/s)\n  {}\n  {}\n  \
         statuses: {statuses:?}\n  deliberate 429s (client {GREEDY}, {} reports against a \
         budget of {}): {}; failures: {}\n  server RSS: first sample \
         {:.1} MiB, peak of the middle third {:.1} MiB, of the last third {:.1} MiB (allowed \
         {:.1}); {} samples; at the end {}, {connections} SQLite \
         connections open\n  RSS over the run in MiB (threads): {}",
        tally.requests,
        tally.requests as f64 / elapsed.as_secs_f64(),
        figures("reads", &tally.read_latency_us),
        figures("writes", &tally.write_latency_us),
        plan.greedy_writes,
        plan.write_budget,
        tally.deliberate_429,
        tally.failures,
        mib(samples.first().map(|s| s.1).unwrap_or(0)),
        mib(middle_peak),
        mib(last_peak),
        mib(allowed),
        samples.len(),
        breakdown.join(", "),
        timeline.join(", "),
    );

    assert_eq!(tally.failures, 0, "failures: {:#?}", tally.failure_examples);
    assert!(
        tally.deliberate_429 > 0,
        "the greedy client was never refused"
    );
    assert!(
        samples.len() >= 30,
        "too few memory samples: {}",
        samples.len()
    );
    assert!(
        last_peak <= allowed,
        "memory keeps growing: the last third peaks at {:.1} MiB, the middle third at {:.1} MiB",
        mib(last_peak),
        mib(middle_peak)
    );

    // Everything acknowledged is stored, once.
    let output = std::process::Command::new(&binary)
        .arg("--database")
        .arg(&database)
        .args(["reports", "list", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stored: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    let stored_references: HashSet<&str> = stored
        .iter()
        .filter_map(|r| r["reference"].as_str())
        .collect();
    assert_eq!(
        stored.len(),
        tally.reports.len(),
        "reports stored vs acknowledged"
    );
    for (key, reference) in &tally.reports {
        assert!(
            stored_references.contains(reference.as_str()),
            "{key} acknowledged as {reference} is not stored"
        );
    }
    let connection = rusqlite::Connection::open_with_flags(
        &database,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let subscribers: usize = connection
        .query_row("SELECT COUNT(*) FROM newsletter_subscribers", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(
        subscribers,
        tally.subscribers.len(),
        "sign-ups stored vs acknowledged"
    );
    let integrity: String = connection
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
}
