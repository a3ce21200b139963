//! Other processes sharing the server's database, with the real binary: a second server that
//! loads changed content (one article changed, one taken out) reaches the first one's readers
//! within the refresh period, and a server started while another process holds the database's
//! lock serves reads, answers writes `503`, says why, and writes once the lock is let go.

mod binary;

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use binary::{post_json, send, start, workspace, Server, BIN};
use serde_json::json;

const SEED_SLUG: &str = "russia-lays-out-demands-for-a-sweeping-new-security-deal-with-nato";
const RETRACTED: &str = "bill-ackman-backs-uber-as-the-company-shifts-towards-profitability";

/// A copy of the repo's content at `to` with the seed article's headline changed and the
/// article `RETRACTED` taken out.
fn changed_content(to: &Path) {
    let from = binary::content();
    std::fs::create_dir_all(to.join("articles")).unwrap();
    std::fs::copy(from.join("site.toml"), to.join("site.toml")).unwrap();
    for entry in std::fs::read_dir(from.join("articles")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if name == format!("{RETRACTED}.toml") {
            continue;
        }
        let mut text = std::fs::read_to_string(&path).unwrap();
        if name == format!("{SEED_SLUG}.toml") {
            text = text.replacen(
                "headline = \"Russia Lays Out Demands",
                "headline = \"Moscow Lays Out Demands",
                1,
            );
        }
        std::fs::write(to.join("articles").join(name), text).unwrap();
    }
}

fn headline(addr: &str) -> String {
    let answer = send(
        addr,
        "GET",
        &format!("/api/v1/articles/{SEED_SLUG}.json"),
        &[],
        &[],
    );
    assert_eq!(answer.status, 200);
    answer.json()["headline"].as_str().unwrap().to_owned()
}

#[test]
fn a_server_told_to_skip_the_content_serves_the_database_as_it_is() {
    let (dir, database, dist) = workspace();
    drop(start(&database, &dist, &[]));
    let content = dir.path().join("changed-content");
    changed_content(&content);
    let mut child = Command::new(BIN)
        .arg("--database")
        .arg(&database)
        .args(["--addr", "127.0.0.1:0", "--skip-content", "--content"])
        .arg(&content)
        .arg("--dist")
        .arg(&dist)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("Budapest Post is running at http://")
        .and_then(|rest| rest.strip_suffix('/'))
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_owned();
    let server = Server { child, addr };
    assert!(headline(&server.addr).starts_with("Russia Lays Out Demands"));
    let retracted = format!("/api/v1/articles/{RETRACTED}.json");
    assert_eq!(
        send(&server.addr, "GET", &retracted, &[], &[]).status,
        200,
        "the folder's content was not loaded, so nothing was withdrawn"
    );
}

#[test]
fn another_servers_content_load_reaches_this_servers_readers() {
    let (dir, database, dist) = workspace();
    let first = start(&database, &dist, &[]);
    assert!(headline(&first.addr).starts_with("Russia Lays Out Demands"));
    let retracted = format!("/api/v1/articles/{RETRACTED}.json");
    assert_eq!(send(&first.addr, "GET", &retracted, &[], &[]).status, 200);
    // Asked twice, so the answers are in the first server's cache.
    assert!(headline(&first.addr).starts_with("Russia Lays Out Demands"));

    let content = dir.path().join("changed-content");
    changed_content(&content);
    let mut second = Command::new(BIN)
        .arg("--database")
        .arg(&database)
        .args(["--addr", "127.0.0.1:0", "--content"])
        .arg(&content)
        .arg("--dist")
        .arg(&dist)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(second.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.starts_with("Budapest Post is running"), "{line}");
    let loaded_at = Instant::now();
    let _second = Server {
        child: second,
        addr: String::new(),
    };

    // The refresh period is half a second; the bound leaves room for a slow, shared machine.
    let bound = Duration::from_secs(5);
    while !headline(&first.addr).starts_with("Moscow Lays Out Demands") {
        assert!(loaded_at.elapsed() < bound, "not seen after {bound:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
    let gone = send(&first.addr, "GET", &retracted, &[], &[]);
    assert_eq!(gone.status, 404, "the withdrawn article is off the API");
    assert_eq!(gone.json()["error"]["code"], "not_found");
    let page = send(
        &first.addr,
        "GET",
        &format!("/articles/{RETRACTED}"),
        &[],
        &[],
    );
    assert_eq!(page.status, 404, "and off the site");
    let index = send(&first.addr, "GET", "/api/v1/articles/index.json", &[], &[]);
    assert_eq!(index.json()["total_articles"], 50);
    assert!(!String::from_utf8_lossy(&index.body).contains(RETRACTED));
}

#[test]
fn a_server_started_on_a_locked_database_serves_reads_and_writes_once_it_is_let_go() {
    let (_dir, database, dist) = workspace();
    // A first start creates the database and loads the content.
    drop(start(&database, &dist, &[]));
    let holder = rusqlite::Connection::open(&database).unwrap();
    holder
        .execute_batch("BEGIN EXCLUSIVE; UPDATE site SET tagline = tagline;")
        .unwrap();

    let mut child = Command::new(BIN)
        .arg("--database")
        .arg(&database)
        .args([
            "--busy-timeout-ms",
            "200",
            "--addr",
            "127.0.0.1:0",
            "--content",
        ])
        .arg(binary::content())
        .arg("--dist")
        .arg(&dist)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("Budapest Post is running at http://")
        .and_then(|rest| rest.strip_suffix('/'))
        .unwrap_or_else(|| panic!("it did not start: {line:?}"))
        .to_owned();
    let mut stderr = child.stderr.take().unwrap();
    let mut server = Server { child, addr };

    assert!(headline(&server.addr).starts_with("Russia Lays Out Demands"));
    let report = |key: &str| {
        json!({
            "article_slug": SEED_SLUG,
            "quoted_passage": "Quoted",
            "what_is_wrong": "Wrong.",
            "correction": "Right.",
            "idempotency_key": key,
        })
    };
    let refused = post_json(
        &server.addr,
        "/api/v1/reports",
        &report("locked-start-key-01"),
    );
    assert_eq!(refused.status, 503);
    assert_eq!(refused.json()["error"]["code"], "unavailable");
    assert_eq!(refused.header("retry-after"), Some("5"));

    holder.execute_batch("COMMIT").unwrap();
    let stored = post_json(
        &server.addr,
        "/api/v1/reports",
        &report("locked-start-key-01"),
    );
    assert_eq!(stored.status, 201);

    let _ = server.child.kill();
    let _ = server.child.wait();
    let mut log = String::new();
    stderr.read_to_string(&mut log).unwrap();
    assert!(
        log.contains("cannot write the content from") && log.contains("serving the content"),
        "{log}"
    );
    server.addr.clear();
}
