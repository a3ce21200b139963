//! Several nodes, nothing lost: three server processes on one fresh PostgreSQL database, with
//! nginx in front of them as a load balancer configured by the repository's own
//! `deploy/nginx/api-load-balancer.conf`. Readers post reports to each node directly and
//! through nginx at once, the same idempotency key goes to all three nodes and nginx at the
//! same moment, and one node is killed with SIGKILL mid-load and started again. Afterwards
//! every acknowledged report is stored exactly once under the reference it was acknowledged
//! with, and one key always got one reference. Then a correction published with the editors'
//! command reaches every node's article within a bounded time, and every node's health check
//! reports the database reachable.
//!
//! Needs `BP_TEST_POSTGRES_URL` (a superuser URL of a throwaway cluster; `cargo xtask test
//! reliability` starts one) and nginx. Alone:
//! `BP_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:PORT/postgres cargo test -p
//! budapest-post-server --test multi_node -- --ignored --nocapture`.

mod binary;
mod loopback;

use std::collections::{BTreeMap, HashMap};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use loopback::{loopback, server_binary, spawn, Client, NoAnswer, NO_RATE_LIMITS};
use serde_json::{json, Value};

/// API nodes.
const NODES: usize = 3;
/// Readers posting to each node directly.
const DIRECT_READERS_PER_NODE: usize = 2;
/// Readers posting through nginx, each from its own address (so nginx spreads them).
const NGINX_READERS: usize = 6;
/// New reports each reader sends.
const REPORTS_PER_READER: usize = 60;
/// Keys each sent to all three nodes and nginx at the same moment.
const SHARED_KEYS: usize = 20;
/// The node killed mid-load comes back this long after it was killed.
const DOWN_FOR: Duration = Duration::from_millis(500);
/// The kill comes once this many reports are acknowledged (of 740), so mid-load.
const KILL_AFTER_ACKNOWLEDGED: usize = 150;
/// Every reader must be done within this (a hang guard, not a speed measure).
const LOAD_WITHIN: Duration = Duration::from_secs(120);
/// A published correction reaches every node's article within this (nodes look at the
/// content generation every half second).
const CORRECTION_REACHES_WITHIN: Duration = Duration::from_secs(5);
/// The load balancer's configuration, as operators get it.
const NGINX_CONFIG: &str = "../deploy/nginx/api-load-balancer.conf";
/// The upstream addresses written in it, replaced by the nodes' addresses.
const WRITTEN_NODES: [&str; NODES] = ["127.0.0.1:8081", "127.0.0.1:8082", "127.0.0.1:8083"];
const SEED_SLUG: &str = "russia-lays-out-demands-for-a-sweeping-new-security-deal-with-nato";

/// What the readers sent, and what they were told.
#[derive(Default)]
struct Ledger {
    /// Every key sent: its passage, and every reference it was acknowledged with.
    reports: HashMap<String, (String, Vec<String>)>,
    posts: u64,
    /// Requests without an answer (the node was down or died during it), or nginx's 502.
    retried: u64,
    unexpected: Vec<String>,
}

type Shared = Arc<Mutex<Ledger>>;

fn report(key: &str) -> Value {
    json!({
        "article_slug": SEED_SLUG,
        "quoted_passage": format!("The passage quoted in report {key}"),
        "what_is_wrong": "A reader says this is wrong.",
        "correction": "What it should say.",
        "idempotency_key": key,
    })
}

/// Posts the report with `key` until it is acknowledged (or the time is up); records the
/// reference it got.
async fn post_until_acknowledged(client: &mut Client, key: &str, ledger: &Shared, until: Instant) {
    let body = report(key);
    ledger
        .lock()
        .unwrap()
        .reports
        .entry(key.to_owned())
        .or_insert_with(|| {
            (
                body["quoted_passage"].as_str().unwrap().to_owned(),
                Vec::new(),
            )
        });
    while Instant::now() < until {
        ledger.lock().unwrap().posts += 1;
        match client.post_json("/api/v1/reports", &body).await {
            Ok(reply) if reply.status == 201 => {
                let reference = reply
                    .json()
                    .and_then(|j| j["id"].as_str().map(str::to_owned));
                let mut ledger = ledger.lock().unwrap();
                match reference {
                    Some(reference) => {
                        ledger.reports.get_mut(key).unwrap().1.push(reference);
                        return;
                    }
                    None => ledger
                        .unexpected
                        .push(format!("201 without a reference for {key}")),
                }
            }
            // nginx when no node could take the request (e.g. all tries hit the killed node).
            Ok(reply) if reply.status == 502 => ledger.lock().unwrap().retried += 1,
            Ok(reply) => {
                ledger.lock().unwrap().unexpected.push(format!(
                    "{} to {key}: {}",
                    reply.status,
                    String::from_utf8_lossy(&reply.body)
                ));
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(error) => {
                ledger.lock().unwrap().retried += 1;
                if matches!(error, NoAnswer::Connect(_)) {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        }
    }
    ledger
        .lock()
        .unwrap()
        .unexpected
        .push(format!("{key} never acknowledged"));
}

/// nginx with the repository's load balancer configuration in front of `nodes`.
struct Nginx {
    child: Child,
    addr: SocketAddr,
}

impl Nginx {
    fn start(scratch: &Path, nodes: &[SocketAddr]) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let written =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(NGINX_CONFIG))
                .unwrap();
        let mut block = written.clone();
        let mut put = |placeholder: &str, actual: &str| {
            assert!(
                block.contains(placeholder),
                "{NGINX_CONFIG} no longer has {placeholder}"
            );
            block = block.replace(placeholder, actual);
        };
        put("listen 8080;", &format!("listen 127.0.0.1:{port};"));
        for (placeholder, node) in WRITTEN_NODES.iter().zip(nodes) {
            put(placeholder, &node.to_string());
        }
        let scratch = scratch.display();
        let config = format!(
            "daemon off;\nworker_processes 1;\nerror_log {scratch}/error.log warn;\n\
             pid {scratch}/nginx.pid;\nevents {{ worker_connections 512; }}\nhttp {{\n\
             access_log off;\nclient_body_temp_path {scratch}/body;\n\
             proxy_temp_path {scratch}/proxy;\nfastcgi_temp_path {scratch}/fastcgi;\n\
             uwsgi_temp_path {scratch}/uwsgi;\nscgi_temp_path {scratch}/scgi;\n{block}\n}}\n"
        );
        let path = format!("{scratch}/nginx.conf");
        std::fs::write(&path, config).unwrap();
        let mut child = Command::new("/usr/sbin/nginx")
            .args(["-c", &path, "-p", &scratch.to_string()])
            .stdin(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start nginx (Debian's nginx package): {e}"));
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        for _ in 0..100 {
            if TcpStream::connect(addr).is_ok() {
                return Self { child, addr };
            }
            assert!(
                child.try_wait().unwrap().is_none(),
                "nginx exited; see {scratch}/error.log"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("nginx did not listen on {addr}");
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM, so the master takes its worker along.
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

/// The editors' command on the shared database.
fn editors(database: &str, args: &[&str]) -> std::process::Output {
    Command::new(server_binary())
        .args(["--database", database])
        .args(args)
        .output()
        .unwrap()
}

/// GETs `path` from `server` as a fresh client.
fn get(runtime: &tokio::runtime::Runtime, server: SocketAddr, path: &str) -> loopback::Reply {
    runtime.block_on(async {
        let mut client = Client::new(loopback(900), server);
        client
            .get(path)
            .await
            .unwrap_or_else(|e| panic!("GET {path} from {server}: {e:?}"))
    })
}

#[test]
#[ignore = "three server processes, nginx and PostgreSQL: run by `cargo xtask test reliability`"]
fn three_nodes_behind_nginx_lose_no_acknowledged_report() {
    let runtime = loopback::runtime();
    let database = runtime
        .block_on(budapest_post_store::testing::fresh_postgres_database(
            "multi_node",
        ))
        .unwrap_or_else(|why| {
            panic!("the multi-node test needs a PostgreSQL server (BP_TEST_POSTGRES_URL): {why}")
        });
    let binary = server_binary();
    let (dir, _, dist) = binary::workspace();
    let mut args = NO_RATE_LIMITS.to_vec();
    args.push("--trust-forwarded-for");
    let start = |addr: SocketAddr| spawn(&binary, Path::new(&database), &dist, addr, &args);

    // All three start together on the empty database: one migrates it while the others wait
    // (an advisory lock), and their content loads meet.
    let mut nodes: Vec<_> = (0..NODES)
        .map(|_| start(SocketAddr::from(([127, 0, 0, 1], 0))))
        .collect();
    let addrs: Vec<SocketAddr> = nodes
        .iter_mut()
        .map(|node| {
            node.wait_listening()
                .expect("every node starts on the shared database")
        })
        .collect();
    let nginx = Nginx::start(dir.path(), &addrs);
    println!(
        "multi-node: {} nodes ({}) at {addrs:?}, nginx at {}",
        NODES,
        loopback::build_of(&binary),
        nginx.addr
    );

    let ledger: Shared = Arc::default();
    let until = Instant::now() + LOAD_WITHIN;
    let mut readers = Vec::new();
    let targets = (0..NODES * DIRECT_READERS_PER_NODE)
        .map(|n| addrs[n % NODES])
        .chain(std::iter::repeat_n(nginx.addr, NGINX_READERS));
    for (n, target) in targets.enumerate() {
        let ledger = ledger.clone();
        readers.push(runtime.spawn(async move {
            let mut client = Client::new(loopback(n), target);
            for sent in 0..REPORTS_PER_READER {
                let key = format!("multi-node-reader{n}-{sent:04}");
                post_until_acknowledged(&mut client, &key, &ledger, until).await;
            }
        }));
    }
    {
        let ledger = ledger.clone();
        let everywhere: Vec<SocketAddr> = addrs.iter().copied().chain([nginx.addr]).collect();
        readers.push(runtime.spawn(async move {
            let base = 100;
            let mut clients: Vec<Client> = (0..everywhere.len())
                .map(|i| Client::new(loopback(base + i), everywhere[i]))
                .collect();
            for k in 0..SHARED_KEYS {
                let key = format!("multi-node-shared-{k:04}");
                let [a, b, c, d] = &mut clients[..] else {
                    unreachable!()
                };
                tokio::join!(
                    post_until_acknowledged(a, &key, &ledger, until),
                    post_until_acknowledged(b, &key, &ledger, until),
                    post_until_acknowledged(c, &key, &ledger, until),
                    post_until_acknowledged(d, &key, &ledger, until),
                );
            }
        }));
    }

    // One node dies mid-load and comes back on its address.
    let acknowledged_so_far = || {
        ledger
            .lock()
            .unwrap()
            .reports
            .values()
            .filter(|(_, r)| !r.is_empty())
            .count()
    };
    while acknowledged_so_far() < KILL_AFTER_ACKNOWLEDGED && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(5));
    }
    let victim = 1;
    let acknowledged_before_kill = acknowledged_so_far();
    nodes[victim].kill();
    std::thread::sleep(DOWN_FOR);
    nodes[victim] = start(addrs[victim]);
    assert!(
        nodes[victim].wait_listening().is_some(),
        "the killed node came back"
    );
    runtime.block_on(async {
        for reader in readers {
            reader.await.unwrap();
        }
    });

    let listing = editors(&database, &["reports", "list", "--json"]);
    assert!(listing.status.success(), "{listing:?}");
    let stored: Vec<Value> = serde_json::from_slice(&listing.stdout).unwrap();
    let ledger = ledger.lock().unwrap();
    let mut stored_by_passage: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
    for report in &stored {
        stored_by_passage
            .entry(report["quoted_passage"].as_str().unwrap())
            .or_default()
            .push(report);
    }
    let acknowledged = ledger
        .reports
        .values()
        .filter(|(_, r)| !r.is_empty())
        .count();
    println!(
        "  reports: {} keys sent ({SHARED_KEYS} of them to every node and nginx at once), {} \
         POSTs, {} retried; acknowledged {acknowledged} ({acknowledged_before_kill} before the \
         SIGKILL of node {victim}); stored {}",
        ledger.reports.len(),
        ledger.posts,
        ledger.retried,
        stored.len()
    );
    assert!(
        ledger.unexpected.is_empty(),
        "unexpected answers: {:#?}",
        ledger.unexpected
    );
    assert!(
        acknowledged_before_kill > 0,
        "the kill came before any load"
    );
    assert_eq!(
        acknowledged,
        ledger.reports.len(),
        "every report was acknowledged"
    );
    for (key, (passage, references)) in &ledger.reports {
        let mut distinct = references.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(
            distinct.len(),
            1,
            "{key} was acknowledged with several references: {references:?}"
        );
        let copies = stored_by_passage
            .get(passage.as_str())
            .map(Vec::as_slice)
            .unwrap_or_default();
        assert_eq!(
            copies.len(),
            1,
            "{key} is stored {} times: {copies:#?}",
            copies.len()
        );
        assert_eq!(
            copies[0]["reference"].as_str(),
            Some(distinct[0].as_str()),
            "{key}'s reference"
        );
    }
    assert_eq!(
        stored.len(),
        ledger.reports.len(),
        "nothing is stored that was never sent"
    );

    // A correction published on the shared database reaches every node's read cache.
    let article = format!("/api/v1/articles/{SEED_SLUG}.json");
    for addr in &addrs {
        assert_eq!(
            get(&runtime, *addr, &article).json().unwrap()["corrections"],
            json!([])
        );
    }
    let note = "An earlier version of this article misspelled the Russian Foreign Ministry.";
    let published = editors(
        &database,
        &[
            "corrections",
            "publish",
            "--article",
            SEED_SLUG,
            "--passage",
            "The Russian fFreign Ministry",
            "--replacement",
            "The Russian Foreign Ministry",
            "--note",
            note,
        ],
    );
    assert!(published.status.success(), "{published:?}");
    let published_at = Instant::now();
    for addr in &addrs {
        let seen = loop {
            let answer = get(&runtime, *addr, &article).json().unwrap();
            if answer["corrections"][0]["note"] == note {
                break published_at.elapsed();
            }
            assert!(
                published_at.elapsed() < CORRECTION_REACHES_WITHIN,
                "node {addr} still shows no correction after {CORRECTION_REACHES_WITHIN:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        println!("  the correction reached node {addr} within {seen:.1?} of its publication");
    }

    for addr in addrs.iter().chain([&nginx.addr]) {
        let health = get(&runtime, *addr, "/api/v1/health");
        assert_eq!(health.status, 200, "health of {addr}");
        assert_eq!(
            health.json().unwrap(),
            json!({"status": "ok", "database": "reachable"})
        );
    }
}
