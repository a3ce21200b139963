//! The editors' commands (`reports list`, `reports resolve`) and the configuration's `--help`,
//! run as the real binary over the database a running server writes to.

mod binary;

use binary::{post_json, run, start, workspace};
use serde_json::{json, Value};

const SEED_SLUG: &str = "russia-lays-out-demands-for-a-sweeping-new-security-deal-with-nato";

fn text(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn list(db: &str, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["--database", db, "reports", "list", "--json"];
    args.extend_from_slice(extra);
    let output = run(&args);
    assert!(output.status.success(), "{}", text(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn editors_list_and_resolve_reports() {
    let (_dir, database, dist) = workspace();
    let db = database.to_str().unwrap();
    let server = start(&database, &dist, &[]);
    let empty = run(&["--database", db, "reports", "list"]);
    assert!(text(&empty).contains("No reports."));
    let mut ids = Vec::new();
    for n in 1..=3 {
        let answer = post_json(
            &server.addr,
            "/api/v1/reports",
            &json!({
                "article_slug": SEED_SLUG,
                "quoted_passage": format!("Quoted {n}"),
                "what_is_wrong": "Wrong.",
                "correction": "Right.",
                "email": "reader@example.com",
                "idempotency_key": format!("editor-test-key-{n:04}"),
            }),
        );
        assert_eq!(answer.status, 201);
        ids.push(answer.json()["id"].as_str().unwrap().to_owned());
    }

    // While the server runs: listing, newest first, with everything editors need.
    let all = list(db, &[]);
    let references: Vec<&str> = all
        .iter()
        .map(|r| r["reference"].as_str().unwrap())
        .collect();
    assert_eq!(references, [&*ids[2], &*ids[1], &*ids[0]]);
    assert_eq!(all[0]["article_slug"], SEED_SLUG);
    assert_eq!(all[0]["status"], "received");
    assert_eq!(all[0]["email"], "reader@example.com");
    let table = run(&["--database", db, "reports", "list"]);
    assert!(text(&table).contains(&ids[0]) && text(&table).contains("Quoted 2"));

    // Resolve by reference and by number.
    let resolved = run(&["--database", db, "reports", "resolve", &ids[0]]);
    assert!(resolved.status.success(), "{}", text(&resolved));
    assert!(text(&resolved).contains("resolved"));
    let number = ids[1].trim_start_matches("BP-").trim_start_matches('0');
    assert!(run(&["--database", db, "reports", "resolve", number])
        .status
        .success());
    let done = list(db, &["--status", "resolved"]);
    assert_eq!(done.len(), 2);
    assert!(done.iter().all(|r| r["resolved_at"].is_string()));
    let open = list(db, &["--status", "received"]);
    assert_eq!(open.len(), 1);
    assert_eq!(open[0]["reference"], ids[2].as_str());

    // Mistakes are explained, and change nothing.
    let missing = run(&["--database", db, "reports", "resolve", "BP-999999"]);
    assert!(!missing.status.success());
    assert!(text(&missing).contains("no report"));
    let garbled = run(&["--database", db, "reports", "resolve", "forty-two"]);
    assert!(!garbled.status.success());
    let bad_status = run(&["--database", db, "reports", "list", "--status", "open"]);
    assert!(!bad_status.status.success());
    assert_eq!(list(db, &["--status", "resolved"]).len(), 2);

    // And a report stays off every public endpoint.
    let public = binary::send(&server.addr, "GET", "/api/v1/reports", &[], &[]);
    assert_eq!(public.status, 405);
    assert_eq!(public.json()["error"]["code"], "method_not_allowed");
    assert!(!String::from_utf8_lossy(&public.body).contains("Quoted"));
}

#[test]
fn help_names_every_setting_and_its_environment_variable() {
    for args in [&["--help"][..], &["serve", "--help"][..]] {
        let output = run(args);
        assert!(output.status.success());
        let help = text(&output);
        for flag in [
            "--addr",
            "--database",
            "--content",
            "--dist",
            "--allowed-origins",
            "--read-rate-per-minute",
            "--write-rate-per-minute",
            "--trust-forwarded-for",
            "--frame-ancestors",
            "--api-origins",
            "BP_ADDR",
            "BP_DATABASE",
            "BP_ALLOWED_ORIGINS",
            "BP_READ_RATE_PER_MINUTE",
            "BP_WRITE_RATE_PER_MINUTE",
            "BP_TRUST_FORWARDED_FOR",
            "BP_FRAME_ANCESTORS",
            "BP_API_ORIGINS",
        ] {
            assert!(help.contains(flag), "{args:?} does not mention {flag}");
        }
    }
    let zero = run(&["serve", "--write-rate-per-minute", "0"]);
    assert!(!zero.status.success(), "a zero budget is refused");
}

#[test]
fn settings_come_from_the_environment_too() {
    let (_dir, database, dist) = workspace();
    let mut child = std::process::Command::new(binary::BIN)
        .env("BP_DATABASE", &database)
        .env("BP_ADDR", "127.0.0.1:0")
        .env("BP_CONTENT", binary::content())
        .env("BP_DIST", &dist)
        .env("BP_FRAME_ANCESTORS", "'self',https://partner.example")
        .env("BP_ALLOWED_ORIGINS", "https://partner.example")
        .env("BP_WRITE_RATE_PER_MINUTE", "1")
        .env("BP_TRUST_FORWARDED_FOR", "true")
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let addr = line
        .trim()
        .trim_start_matches("Budapest Post is running at http://");
    let addr = addr.trim_end_matches('/').to_owned();
    let page = binary::send(&addr, "GET", "/", &[], &[]);
    assert!(page
        .header("content-security-policy")
        .unwrap()
        .contains("frame-ancestors 'self' https://partner.example"));
    let signup = |email: &str, forwarded: &str| {
        let body = format!("{{\"email\":\"{email}\"}}");
        let length = body.len().to_string();
        binary::send(
            &addr,
            "POST",
            "/api/v1/newsletter",
            &[
                ("Content-Type", "application/json"),
                ("Content-Length", &length),
                ("Origin", "https://partner.example"),
                ("X-Forwarded-For", forwarded),
            ],
            body.as_bytes(),
        )
    };
    assert_eq!(signup("a@example.com", "203.0.113.1").status, 201);
    assert_eq!(signup("b@example.com", "203.0.113.1").status, 429);
    assert_eq!(
        signup("c@example.com", "203.0.113.2").status,
        201,
        "clients behind the trusted proxy have budgets of their own"
    );
    let _ = child.kill();
    let _ = child.wait();
}
