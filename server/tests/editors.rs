//! The editors' commands (`reports`, `readers`, `newsletter`) and the configuration's `--help`,
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

    // Resolve by reference, as given to the reader or as an editor might type it.
    let resolved = run(&["--database", db, "reports", "resolve", &ids[0]]);
    assert!(resolved.status.success(), "{}", text(&resolved));
    assert!(text(&resolved).contains(&format!("{} resolved.", ids[0])));
    let typed = ids[1].trim_start_matches("BP-").to_ascii_lowercase();
    let resolved = run(&["--database", db, "reports", "resolve", &typed]);
    assert!(resolved.status.success(), "{}", text(&resolved));
    assert!(text(&resolved).contains(&ids[1]));
    let done = list(db, &["--status", "resolved"]);
    assert_eq!(done.len(), 2);
    assert!(done.iter().all(|r| r["resolved_at"].is_string()));
    let open = list(db, &["--status", "received"]);
    assert_eq!(open.len(), 1);
    assert_eq!(open[0]["reference"], ids[2].as_str());

    // Mistakes are explained, and change nothing.
    let missing = run(&["--database", db, "reports", "resolve", "BP-ZZZZZZZZ"]);
    assert!(!missing.status.success());
    assert!(text(&missing).contains("no report"));
    let garbled = run(&["--database", db, "reports", "resolve", "forty-two"]);
    assert!(!garbled.status.success());
    assert!(text(&garbled).contains("is not a report reference"));
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
            "--email-retention-days",
            "--busy-timeout-ms",
            "--max-database-mib",
            "BP_EMAIL_RETENTION_DAYS",
            "BP_BUSY_TIMEOUT_MS",
            "BP_MAX_DATABASE_MIB",
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

/// The article id of the seed article in the database at `db`.
fn seed_article_id(db: &rusqlite::Connection) -> i64 {
    db.query_row(
        "SELECT id FROM articles WHERE slug = ?1",
        [SEED_SLUG],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn what_readers_wrote_cannot_drive_the_editors_terminal() {
    let (_dir, database, dist) = workspace();
    let db = database.to_str().unwrap();
    drop(start(&database, &dist, &[]));
    // The API refuses such text now; a row written before it did, or by another program, may
    // still hold it.
    let hostile =
        "Moved\u{1b}[2J\u{1b}[H\u{1b}]0;owned\u{7}\rBP-FAKE resolved\u{202e}txt.exe\u{9b}1m";
    let connection = rusqlite::Connection::open(&database).unwrap();
    connection
        .execute(
            "INSERT INTO reports (reference, idempotency_key, article_id, quoted_passage,
               what_is_wrong, correction, email)
             VALUES ('BP-0000ESC0', 'hostile-key-000001', ?1, ?2, ?2, ?2, ?3)",
            rusqlite::params![
                seed_article_id(&connection),
                hostile,
                "a\u{1b}[31m@example.com"
            ],
        )
        .unwrap();
    let forbidden =
        |c: char| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c);

    let table = run(&["--database", db, "reports", "list"]);
    assert!(table.status.success());
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(!table.chars().any(forbidden), "{table:?}");
    assert!(table.contains(
        "Moved\\u{1b}[2J\\u{1b}[H\\u{1b}]0;owned\\u{7}\\rBP-FAKE resolved\\u{202e}txt.exe\\u{9b}1m"
    ));
    assert!(table.contains("email:   a\\u{1b}[31m@example.com"));

    let json = run(&["--database", db, "reports", "list", "--json"]);
    let json_text = String::from_utf8(json.stdout).unwrap();
    assert!(!json_text.chars().any(forbidden), "{json_text:?}");
    let parsed: Vec<Value> = serde_json::from_str(&json_text).unwrap();
    assert_eq!(
        parsed[0]["quoted_passage"], hostile,
        "the JSON still means the same text"
    );

    let export = run(&[
        "--database",
        db,
        "readers",
        "export",
        "a\u{1b}[31m@example.com",
    ]);
    let export_text = String::from_utf8(export.stdout).unwrap();
    assert!(!export_text.chars().any(forbidden), "{export_text:?}");
    assert_eq!(
        serde_json::from_str::<Value>(&export_text).unwrap()["reports"][0]["correction"],
        hostile
    );
}

#[test]
fn editors_export_and_forget_everything_about_one_address() {
    let (_dir, database, dist) = workspace();
    let db = database.to_str().unwrap();
    let server = start(&database, &dist, &[]);
    for (n, email) in [
        "reader@example.com",
        "Reader@Example.com",
        "other@example.com",
    ]
    .iter()
    .enumerate()
    {
        let answer = post_json(
            &server.addr,
            "/api/v1/reports",
            &json!({
                "article_slug": SEED_SLUG,
                "quoted_passage": format!("Quoted {n}"),
                "what_is_wrong": "Wrong.",
                "correction": "Right.",
                "email": email,
                "idempotency_key": format!("privacy-test-key-{n:04}"),
            }),
        );
        assert_eq!(answer.status, 201);
    }
    for email in ["READER@example.com", "other@example.com"] {
        let answer = post_json(
            &server.addr,
            "/api/v1/newsletter",
            &json!({ "email": email }),
        );
        assert_eq!(answer.status, 201);
    }

    let export = |email: &str| {
        let output = run(&["--database", db, "readers", "export", email]);
        assert!(output.status.success(), "{}", text(&output));
        serde_json::from_slice::<Value>(&output.stdout).unwrap()
    };
    let data = export("reader@example.com");
    let passages: Vec<&str> = data["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["quoted_passage"].as_str().unwrap())
        .collect();
    assert_eq!(passages, ["Quoted 0", "Quoted 1"]);
    assert_eq!(data["newsletter"]["email"], "READER@example.com");
    assert!(data["newsletter"]["subscribed_at"].is_string());

    let forget = run(&["--database", db, "readers", "forget", "reader@example.com"]);
    assert!(forget.status.success(), "{}", text(&forget));
    assert!(
        text(&forget).contains("taken from 2 reports"),
        "{}",
        text(&forget)
    );
    assert!(text(&forget).contains("off the newsletter list"));
    let after = export("reader@example.com");
    assert_eq!(after["reports"], json!([]));
    assert_eq!(after["newsletter"], Value::Null);
    let all = list(db, &[]);
    assert_eq!(all.len(), 3, "the reports stay");
    let emails: Vec<&Value> = all.iter().map(|r| &r["email"]).collect();
    assert_eq!(
        emails,
        [&json!("other@example.com"), &Value::Null, &Value::Null]
    );
    assert_eq!(
        export("other@example.com")["reports"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let again = run(&["--database", db, "readers", "forget", "reader@example.com"]);
    assert!(text(&again).contains("Nothing was stored"));
}

#[test]
fn editors_print_unsubscribe_links_and_remove_addresses() {
    let (_dir, database, dist) = workspace();
    let db = database.to_str().unwrap();
    let server = start(&database, &dist, &[]);
    for email in ["leaving@example.com", "removed@example.com"] {
        let answer = post_json(
            &server.addr,
            "/api/v1/newsletter",
            &json!({ "email": email }),
        );
        assert_eq!(answer.status, 201);
    }
    let link = run(&[
        "--database",
        db,
        "newsletter",
        "link",
        "Leaving@example.com",
        "--site-url",
        "https://www.budapestpost.example/news/",
    ]);
    assert!(link.status.success(), "{}", text(&link));
    let link = String::from_utf8(link.stdout).unwrap().trim().to_owned();
    let token = link
        .strip_prefix("https://www.budapestpost.example/news/newsletter/unsubscribe?token=")
        .unwrap_or_else(|| panic!("{link}"));
    assert_eq!(token.len(), 32);
    let without_site = run(&[
        "--database",
        db,
        "newsletter",
        "link",
        "leaving@example.com",
    ]);
    assert!(!without_site.status.success());

    // The link's token, posted as the unsubscribe page posts it.
    let answer = post_json(
        &server.addr,
        "/api/v1/newsletter/unsubscribe",
        &json!({ "token": token }),
    );
    assert_eq!(answer.status, 200);
    let gone = run(&[
        "--database",
        db,
        "newsletter",
        "link",
        "leaving@example.com",
        "--site-url",
        "https://www.budapestpost.example",
    ]);
    assert!(!gone.status.success());
    assert!(text(&gone).contains("is not on the newsletter list"));

    let removed = run(&[
        "--database",
        db,
        "newsletter",
        "remove",
        "REMOVED@example.com",
    ]);
    assert!(removed.status.success(), "{}", text(&removed));
    assert!(text(&removed).contains("is off the newsletter list"));
    let again = run(&[
        "--database",
        db,
        "newsletter",
        "remove",
        "removed@example.com",
    ]);
    assert!(!again.status.success());
    let export = run(&["--database", db, "readers", "export", "removed@example.com"]);
    assert_eq!(
        serde_json::from_slice::<Value>(&export.stdout).unwrap()["newsletter"],
        Value::Null
    );
}

#[test]
fn addresses_past_the_retention_period_are_cleared_when_the_server_starts() {
    let (_dir, database, dist) = workspace();
    let db = database.to_str().unwrap();
    let server = start(&database, &dist, &[]);
    for n in 0..2 {
        let answer = post_json(
            &server.addr,
            "/api/v1/reports",
            &json!({
                "article_slug": SEED_SLUG,
                "quoted_passage": format!("Quoted {n}"),
                "what_is_wrong": "Wrong.",
                "correction": "Right.",
                "email": format!("reader{n}@example.com"),
                "idempotency_key": format!("retention-test-key-{n:04}"),
            }),
        );
        assert_eq!(answer.status, 201);
    }
    drop(server);
    let connection = rusqlite::Connection::open(&database).unwrap();
    connection
        .execute(
            "UPDATE reports SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-31 days')
             WHERE quoted_passage = 'Quoted 0'",
            [],
        )
        .unwrap();
    drop(connection);

    // A 31-day-old address outlives a 60-day period, not a 30-day one.
    drop(start(&database, &dist, &["--email-retention-days", "60"]));
    assert!(list(db, &[]).iter().all(|r| r["email"].is_string()));
    drop(start(&database, &dist, &["--email-retention-days", "30"]));
    let reports = list(db, &[]);
    let by_passage = |passage: &str| {
        reports
            .iter()
            .find(|r| r["quoted_passage"] == passage)
            .unwrap()
            .clone()
    };
    assert_eq!(by_passage("Quoted 0")["email"], Value::Null);
    assert_eq!(
        by_passage("Quoted 0")["correction"],
        "Right.",
        "the rest stays"
    );
    assert_eq!(by_passage("Quoted 1")["email"], "reader1@example.com");
    let zero = run(&["serve", "--email-retention-days", "0"]);
    assert!(!zero.status.success(), "a period of no days is refused");
}
