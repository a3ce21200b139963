//! The editors' report commands (`reports list`, `reports resolve`), what they print of text
//! readers wrote, and the configuration's `--help`, run as the real binary over the database a
//! running server writes to.

mod binary;

use binary::{listed_reports, post_json, run, start, text, workspace};
use serde_json::{json, Value};

const SEED_SLUG: &str = "russia-lays-out-demands-for-a-sweeping-new-security-deal-with-nato";

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
    let all = listed_reports(db, &[]);
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
    let done = listed_reports(db, &["--status", "resolved"]);
    assert_eq!(done.len(), 2);
    assert!(done.iter().all(|r| r["resolved_at"].is_string()));
    let open = listed_reports(db, &["--status", "received"]);
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
    assert_eq!(listed_reports(db, &["--status", "resolved"]).len(), 2);

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
