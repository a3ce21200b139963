//! The editors' commands about readers' addresses (`readers export`, `readers forget`,
//! `newsletter link`, `newsletter remove`) and the email retention period applied at start, run
//! as the real binary over the database a running server writes to.

mod binary;

use binary::{listed_reports, post_json, run, start, text, workspace};
use serde_json::{json, Value};

const SEED_SLUG: &str = "russia-lays-out-demands-for-a-sweeping-new-security-deal-with-nato";

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
    let all = listed_reports(db, &[]);
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
    assert!(listed_reports(db, &[])
        .iter()
        .all(|r| r["email"].is_string()));
    drop(start(&database, &dist, &["--email-retention-days", "30"]));
    let reports = listed_reports(db, &[]);
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
