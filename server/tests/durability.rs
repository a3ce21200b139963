//! A report answered with 201 is on disk: the real binary is killed with SIGKILL right after
//! the last acknowledged write, restarted on the same database, and every report is there.

mod binary;

use std::collections::BTreeMap;

use binary::{post_json, run, send, start, workspace};
use serde_json::json;

const SEED_SLUG: &str = "russia-lays-out-demands-for-a-sweeping-new-security-deal-with-nato";
const REPORTS: usize = 50;

fn report(n: usize) -> serde_json::Value {
    json!({
        "article_slug": SEED_SLUG,
        "quoted_passage": format!("Passage number {n}"),
        "what_is_wrong": "A typo.",
        "correction": format!("Corrected passage {n}"),
        "idempotency_key": format!("durability-key-{n:08}"),
    })
}

fn listed(database: &str) -> BTreeMap<String, String> {
    let output = run(&["--database", database, "reports", "list", "--json"]);
    assert!(output.status.success(), "{output:?}");
    let reports: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    reports
        .into_iter()
        .map(|r| {
            (
                r["reference"].as_str().unwrap().to_owned(),
                r["quoted_passage"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn acknowledged_reports_survive_sigkill() {
    let (_dir, database, dist) = workspace();
    let db = database.to_str().unwrap();
    let mut server = start(&database, &dist, &["--write-rate-per-minute", "1000"]);
    let mut acknowledged = BTreeMap::new();
    for n in 0..REPORTS {
        let answer = post_json(&server.addr, "/api/v1/reports", &report(n));
        assert_eq!(
            answer.status,
            201,
            "{}",
            String::from_utf8_lossy(&answer.body)
        );
        let id = answer.json()["id"].as_str().unwrap().to_owned();
        acknowledged.insert(id, format!("Passage number {n}"));
    }
    // SIGKILL: no graceful shutdown, no chance to flush anything after the last 201.
    server.child.kill().unwrap();
    let status = server.child.wait().unwrap();
    assert!(!status.success());

    assert_eq!(
        listed(db),
        acknowledged,
        "every acknowledged report is on disk"
    );

    // The restarted server has them too: the same key answers with the same report.
    let server = start(
        &database,
        &dist,
        &["serve", "--write-rate-per-minute", "1000"],
    );
    let again = post_json(&server.addr, "/api/v1/reports", &report(7));
    assert_eq!(again.status, 201);
    let id = again.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(acknowledged[&id], "Passage number 7");
    drop(server);
    assert_eq!(
        listed(db).len(),
        REPORTS,
        "the resent key stored nothing new"
    );
}

#[test]
fn the_same_idempotency_key_twice_is_one_report_with_one_id() {
    let (_dir, database, dist) = workspace();
    let server = start(&database, &dist, &[]);
    let first = post_json(&server.addr, "/api/v1/reports", &report(1));
    let second = post_json(&server.addr, "/api/v1/reports", &report(1));
    assert_eq!((first.status, second.status), (201, 201));
    assert_eq!(first.json()["id"], second.json()["id"]);
    drop(server);
    assert_eq!(listed(database.to_str().unwrap()).len(), 1);
}

#[test]
fn a_chunked_oversized_body_is_413_over_a_real_socket() {
    let (_dir, database, dist) = workspace();
    let server = start(&database, &dist, &[]);
    let mut chunked = Vec::new();
    for _ in 0..8 {
        let chunk = vec![b' '; 4096];
        chunked.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        chunked.extend_from_slice(&chunk);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let answer = send(
        &server.addr,
        "POST",
        "/api/v1/reports",
        &[
            ("Content-Type", "application/json"),
            ("Transfer-Encoding", "chunked"),
        ],
        &chunked,
    );
    assert_eq!(answer.status, 413);
    assert_eq!(answer.json()["error"]["code"], "payload_too_large");
    let declared = send(
        &server.addr,
        "POST",
        "/api/v1/newsletter",
        &[
            ("Content-Type", "application/json"),
            ("Content-Length", "40000"),
        ],
        &[b' '; 40000],
    );
    assert_eq!(declared.status, 413);
    assert_eq!(declared.json()["error"]["code"], "payload_too_large");
    drop(server);
    assert!(listed(database.to_str().unwrap()).is_empty());
}
