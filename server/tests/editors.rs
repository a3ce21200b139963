//! The editors' report commands (`reports list|show|accept|decline`, `corrections …`), what they print of text
//! readers wrote, and the configuration's `--help`, run as the real binary over the database a
//! running server writes to.

mod binary;

use binary::{listed_reports, post_json, run, send, start, text, workspace};
use serde_json::{json, Value};

const SEED_SLUG: &str = "russia-lays-out-demands-for-a-sweeping-new-security-deal-with-nato";

#[test]
fn editors_list_accept_and_decline_reports() {
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

    // Decline with a reason, by reference as given or as an editor might type it.
    let declined = run(&[
        "--database",
        db,
        "reports",
        "decline",
        &ids[0],
        "--reason",
        "The article is right.",
    ]);
    assert!(declined.status.success(), "{}", text(&declined));
    assert!(text(&declined).contains(&format!("{} declined.", ids[0])));
    let typed = ids[1].trim_start_matches("BP-").to_ascii_lowercase();
    let accepted = run(&["--database", db, "reports", "accept", &typed]);
    assert!(accepted.status.success(), "{}", text(&accepted));
    assert!(text(&accepted).contains(&ids[1]) && text(&accepted).contains("corrections publish"));
    let done = listed_reports(db, &["--status", "declined"]);
    assert_eq!(done.len(), 1);
    assert_eq!(done[0]["decline_reason"], "The article is right.");
    assert!(done[0]["decided_at"].is_string());
    let open = listed_reports(db, &[]);
    let open: Vec<&str> = open
        .iter()
        .map(|r| r["reference"].as_str().unwrap())
        .collect();
    assert_eq!(
        open,
        [&*ids[2], &*ids[1]],
        "open reports: received and accepted"
    );
    let shown = run(&["--database", db, "reports", "show", &ids[0]]);
    assert!(text(&shown).contains("The article is right.") && text(&shown).contains("Quoted 1"));

    // Mistakes are explained, and change nothing.
    let missing = run(&["--database", db, "reports", "accept", "BP-ZZZZZZZZ"]);
    assert!(!missing.status.success());
    assert!(text(&missing).contains("no report"));
    let garbled = run(&[
        "--database",
        db,
        "reports",
        "decline",
        "forty-two",
        "--reason",
        "x",
    ]);
    assert!(!garbled.status.success());
    assert!(text(&garbled).contains("is not a report reference"));
    let no_reason = run(&[
        "--database",
        db,
        "reports",
        "decline",
        &ids[2],
        "--reason",
        " ",
    ]);
    assert!(!no_reason.status.success());
    let bad_status = run(&["--database", db, "reports", "list", "--status", "open"]);
    assert!(!bad_status.status.success());
    assert_eq!(listed_reports(db, &["--status", "declined"]).len(), 1);

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
            "--statement-timeout-ms",
            "--database-connections",
            "BP_STATEMENT_TIMEOUT_MS",
            "BP_DATABASE_CONNECTIONS",
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
    assert!(
        table.contains("asked to hear back: a\\u{1b}[31m@example.com"),
        "the table names who wants an answer: {table}"
    );
    assert!(table.contains(
        "Moved\\u{1b}[2J\\u{1b}[H\\u{1b}]0;owned\\u{7}\\rBP-FAKE resolved\\u{202e}txt.exe\\u{9b}1m"
    ));
    let shown = run(&["--database", db, "reports", "show", "BP-0000ESC0"]);
    let shown = String::from_utf8(shown.stdout).unwrap();
    assert!(!shown.chars().any(forbidden), "{shown:?}");
    assert!(shown.contains("email:   a\\u{1b}[31m@example.com"));

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
fn a_published_correction_reaches_the_running_server_at_once() {
    let (_dir, database, dist) = workspace();
    let db = database.to_str().unwrap();
    let server = start(&database, &dist, &[]);
    let mut ids = Vec::new();
    for n in 1..=3 {
        let answer = post_json(
            &server.addr,
            "/api/v1/reports",
            &json!({
                "article_slug": SEED_SLUG,
                "quoted_passage": "The Russian fFreign Ministry",
                "what_is_wrong": "A typo.",
                "correction": "The Russian Foreign Ministry",
                "email": format!("reader{n}@example.com"),
                "idempotency_key": format!("correction-test-key-{n:04}"),
            }),
        );
        assert_eq!(answer.status, 201);
        ids.push(answer.json()["id"].as_str().unwrap().to_owned());
    }
    let table = text(&run(&["--database", db, "reports", "list"]));
    assert!(table.contains("(3 reports)"), "one typo, one item: {table}");

    let article_path = format!("/api/v1/articles/{SEED_SLUG}.json");
    let before = binary::send(&server.addr, "GET", &article_path, &[], &[]);
    let etag = before.header("etag").unwrap().to_owned();
    assert_eq!(before.json()["corrections"], json!([]));

    // Refused when the passage is not there exactly once; nothing changes.
    let refused = run(&[
        "--database",
        db,
        "corrections",
        "publish",
        "--article",
        SEED_SLUG,
        "--passage",
        "NATO",
        "--replacement",
        "N.A.T.O.",
        "--note",
        "Spelling.",
    ]);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("times in the article's text"),
        "{}",
        text(&refused)
    );

    let note = "An earlier version of this article misspelled the Russian Foreign Ministry.";
    let references = ids.join(",");
    let published = run(&[
        "--database",
        db,
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
        "--reports",
        &references,
        "--json",
    ]);
    assert!(published.status.success(), "{}", text(&published));
    let correction: Value = serde_json::from_slice(&published.stdout).unwrap();
    assert!(correction["block_before"]
        .as_str()
        .unwrap()
        .contains("fFreign Ministry had"));
    assert!(correction["block_after"]
        .as_str()
        .unwrap()
        .contains("The Russian Foreign Ministry had"));
    assert_eq!(correction["reporter_emails"].as_array().unwrap().len(), 3);
    let id = correction["id"].as_u64().unwrap().to_string();
    let shown = text(&run(&["--database", db, "corrections", "show", &id]));
    assert!(
        shown.contains("before:") && shown.contains("reader1@example.com"),
        "{shown}"
    );
    assert!(text(&run(&["--database", db, "corrections", "list"])).contains(note));
    assert!(listed_reports(db, &[]).is_empty(), "every report answered");
    assert_eq!(listed_reports(db, &["--status", "corrected"]).len(), 3);

    // The running server answers with the correction within its refresh period.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let after = loop {
        let answer = binary::send(&server.addr, "GET", &article_path, &[], &[]);
        if answer.json()["corrections"] != json!([]) || std::time::Instant::now() > deadline {
            break answer;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert_eq!(after.json()["corrections"][0]["note"], note);
    assert_ne!(after.header("etag").unwrap(), etag, "the ETag changed");
    let body = serde_json::to_string(&after.json()["body"]).unwrap();
    assert!(body.contains("The Russian Foreign Ministry had") && !body.contains("fFreign"));
    assert_eq!(
        after.json()["updated_at"],
        after.json()["corrections"][0]["published_at"]
    );
    let list = binary::send(&server.addr, "GET", "/api/v1/corrections.json", &[], &[]);
    assert_eq!(list.json()["corrections"][0]["article"]["slug"], SEED_SLUG);
    let page = binary::send(
        &server.addr,
        "GET",
        &format!("/articles/{SEED_SLUG}"),
        &[],
        &[],
    );
    let html = String::from_utf8_lossy(&page.body);
    assert!(
        html.contains("Corrected") && html.contains(note) && html.contains("CorrectionComment")
    );
    let page = binary::send(&server.addr, "GET", "/corrections", &[], &[]);
    assert_eq!(page.status, 200);
    assert!(String::from_utf8_lossy(&page.body).contains(note));
    drop(server);

    // A restart loads the content folder again: the correction stays, once.
    let server = start(&database, &dist, &[]);
    let again = binary::send(&server.addr, "GET", &article_path, &[], &[]);
    assert_eq!(again.json()["corrections"].as_array().unwrap().len(), 1);
    assert!(!serde_json::to_string(&again.json()["body"])
        .unwrap()
        .contains("fFreign"));
}

#[test]
fn the_database_moves_from_sqlite_into_postgresql_and_the_site_carries_on() {
    let (_dir, database, dist) = workspace();
    let db = database.to_str().unwrap();
    let server = start(&database, &dist, &[]);
    let sent = post_json(
        &server.addr,
        "/api/v1/reports",
        &json!({
            "article_slug": SEED_SLUG,
            "quoted_passage": "The Russian fFreign Ministry",
            "what_is_wrong": "A typo.",
            "correction": "The Russian Foreign Ministry",
            "email": "reader@example.com",
            "idempotency_key": "move-test-key-0001",
        }),
    );
    assert_eq!(sent.status, 201);
    let reference = sent.json()["id"].as_str().unwrap().to_owned();
    drop(server);
    let published = run(&[
        "--database",
        db,
        "corrections",
        "publish",
        "--article",
        SEED_SLUG,
        "--passage",
        "The Russian fFreign Ministry",
        "--replacement",
        "The Russian Foreign Ministry",
        "--note",
        "An earlier version misspelled the ministry.",
        "--reports",
        &reference,
    ]);
    assert!(published.status.success(), "{}", text(&published));

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let url = runtime
        .block_on(budapest_post_store::testing::fresh_postgres_database(
            "moved",
        ))
        .unwrap_or_else(|why| panic!("{why}"));
    let copied = run(&["--database", db, "database", "copy", "--to", &url]);
    assert!(copied.status.success(), "{}", text(&copied));
    assert!(text(&copied).contains("reports: 1"), "{}", text(&copied));
    let again = run(&["--database", db, "database", "copy", "--to", &url]);
    assert!(!again.status.success(), "a second copy into it is refused");

    // The editors' view and the readers' answers are the same on both.
    assert_eq!(listed_reports(&url, &[]), listed_reports(db, &[]));
    for args in [
        &["corrections", "list", "--json"][..],
        &["readers", "export", "reader@example.com"][..],
    ] {
        let on = |database: &str| {
            let output = run(&[&["--database", database][..], args].concat());
            assert!(output.status.success(), "{}", text(&output));
            output.stdout
        };
        assert_eq!(on(&url), on(db), "{args:?}");
    }
    let article = budapest_post_contract::paths::article(SEED_SLUG);
    let from_sqlite = {
        let server = start(&database, &dist, &["--skip-content"]);
        send(&server.addr, "GET", &article, &[], b"")
    };
    assert_eq!(from_sqlite.status, 200);
    let from_sqlite = from_sqlite.json();
    let on_postgres = start(std::path::Path::new(&url), &dist, &["--skip-content"]);
    assert_eq!(
        send(&on_postgres.addr, "GET", &article, &[], b"").json(),
        from_sqlite
    );
    assert!(from_sqlite["corrections"][0]["note"]
        .as_str()
        .unwrap()
        .contains("misspelled"));
}
