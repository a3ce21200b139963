//! The write endpoints over HTTP, against a real SQLite file: what is stored, every bad input
//! and what it answers, and that nothing changes in the database on any error.

mod common;

use axum::body::Body;
use axum::http::{header, Method, StatusCode};
use budapest_post_contract::limits;
use common::{post_json, report, request, site, site_with, Reply, Site};
use serde_json::{json, Value};

const REPORTS: &str = "/api/v1/reports";
const NEWSLETTER: &str = "/api/v1/newsletter";

/// Sends `request` and checks the answer is the error `code` with `status`, and that the
/// database is unchanged.
async fn assert_refused(
    site: &Site,
    request: axum::http::Request<Body>,
    status: StatusCode,
    code: &str,
) -> Reply {
    let before = site.counts().await;
    let reply = site.send(request).await;
    assert_eq!(
        reply.status,
        status,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(reply.error_code(), code);
    assert_eq!(site.counts().await, before, "an error changed the database");
    reply
}

fn raw_post(
    uri: &str,
    content_type: Option<&str>,
    body: &'static [u8],
) -> axum::http::Request<Body> {
    let mut builder = request(Method::POST, uri);
    if let Some(content_type) = content_type {
        builder = builder.header(header::CONTENT_TYPE, content_type);
    }
    builder.body(Body::from(body)).unwrap()
}

#[tokio::test]
async fn a_report_is_stored_once_per_idempotency_key() {
    let site = site().await;
    let first = site
        .send(post_json(REPORTS, &report("key-0000000000000001")))
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(first.json()["status"], "received");
    let id = first.json()["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("BP-"), "{id}");
    let again = site
        .send(post_json(REPORTS, &report("key-0000000000000001")))
        .await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.json()["id"], id.as_str(), "same key, same report");
    assert_eq!(site.counts().await.0, 1);
    let other = site
        .send(post_json(REPORTS, &report("key-0000000000000002")))
        .await;
    assert_ne!(other.json()["id"], id.as_str());
    assert_eq!(site.counts().await.0, 2);
}

#[tokio::test]
async fn a_newsletter_address_is_stored_once_and_the_answer_does_not_say_so() {
    let site = site().await;
    let signup = json!({ "email": "Reader@Example.com" });
    let first = site.send(post_json(NEWSLETTER, &signup)).await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(first.json(), json!({ "status": "subscribed" }));
    let again = site
        .send(post_json(
            NEWSLETTER,
            &json!({ "email": "reader@example.com" }),
        ))
        .await;
    assert_eq!(again.status, first.status);
    assert_eq!(again.body, first.body);
    assert_eq!(site.counts().await.1, 1);
}

#[tokio::test]
async fn a_filled_honeypot_looks_accepted_and_reaches_no_editor_or_list() {
    let site = site().await;
    let mut bot = report("key-bot-000000000001");
    bot["website"] = json!("http://spam.example");
    let reply = site.send(post_json(REPORTS, &bot)).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert!(reply.json()["id"].as_str().unwrap().starts_with("BP-"));
    let reply = site
        .send(post_json(
            NEWSLETTER,
            &json!({ "email": "bot@example.com", "website": "x" }),
        ))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    // The report's catch is kept apart as spam (see idempotency_and_privacy.rs), the sign-up
    // not at all.
    assert_eq!(site.counts().await, (0, 0));
    assert!(site.store.reports(None).await.unwrap().is_empty());
}

#[tokio::test]
async fn malformed_json_and_wrong_content_types() {
    let site = site().await;
    for uri in [REPORTS, NEWSLETTER] {
        for body in [&b"{not json"[..], b"", b"[1, 2]", b"\"text\""] {
            assert_refused(
                &site,
                raw_post(uri, Some("application/json"), body),
                StatusCode::BAD_REQUEST,
                "malformed_json",
            )
            .await;
        }
        for content_type in [
            None,
            Some("text/plain"),
            Some("application/x-www-form-urlencoded"),
        ] {
            assert_refused(
                &site,
                raw_post(uri, content_type, br#"{"email":"a@b.co"}"#),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
            )
            .await;
        }
    }
    let wrong_type = raw_post(
        REPORTS,
        Some("application/json; charset=utf-8"),
        br#"{"article_slug": 42}"#,
    );
    let reply = assert_refused(&site, wrong_type, StatusCode::BAD_REQUEST, "malformed_json").await;
    assert_eq!(reply.json()["error"]["field"], "article_slug");
}

/// The `field`s and their codes in a 422's details.
fn details(reply: &Reply) -> Vec<(String, String)> {
    reply.json()["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["field"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn missing_and_over_long_fields_are_named() {
    let site = site().await;
    let reply = assert_refused(
        &site,
        post_json(REPORTS, &json!({})),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(reply.json()["error"]["field"], "article_slug");
    let fields: Vec<String> = details(&reply).into_iter().map(|(f, _)| f).collect();
    assert_eq!(
        fields,
        [
            "article_slug",
            "quoted_passage",
            "what_is_wrong",
            "correction",
            "idempotency_key"
        ]
    );
    let over_long: [(&str, usize); 3] = [
        ("quoted_passage", limits::QUOTED_PASSAGE_MAX),
        ("what_is_wrong", limits::WHAT_IS_WRONG_MAX),
        ("correction", limits::CORRECTION_MAX),
    ];
    for (field, max) in over_long {
        let mut at_limit = report(&format!("key-at-limit-{field}"));
        at_limit[field] = json!("é".repeat(max));
        assert_eq!(
            site.send(post_json(REPORTS, &at_limit)).await.status,
            StatusCode::CREATED,
            "{field} at its limit in characters"
        );
        let mut long = report("key-too-long-0000001");
        long[field] = json!("x".repeat(max + 1));
        let reply = assert_refused(
            &site,
            post_json(REPORTS, &long),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(details(&reply), [(field.to_owned(), "too_long".to_owned())]);
    }
    let reply = assert_refused(
        &site,
        post_json(NEWSLETTER, &json!({ "email": "   " })),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        details(&reply),
        [("email".to_owned(), "required".to_owned())]
    );
}

#[tokio::test]
async fn invalid_email_url_key_and_unknown_article() {
    let site = site().await;
    let cases: [(&str, Value, &str); 6] = [
        ("email", json!("not-an-address"), "invalid_email"),
        (
            "email",
            json!(format!("{}@example.com", "a".repeat(250))),
            "too_long",
        ),
        ("source_url", json!("javascript:alert(1)"), "invalid_url"),
        (
            "source_url",
            json!(format!("https://a.b/{}", "x".repeat(2000))),
            "too_long",
        ),
        ("idempotency_key", json!("short"), "invalid_format"),
        ("article_slug", json!("../etc/passwd"), "required"),
    ];
    for (field, value, code) in cases {
        let mut bad = report("key-invalid-00000001");
        bad[field] = value;
        let reply = assert_refused(
            &site,
            post_json(REPORTS, &bad),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(reply.json()["error"]["field"], field);
        assert_eq!(details(&reply), [(field.to_owned(), code.to_owned())]);
    }
    let reply = assert_refused(
        &site,
        post_json(NEWSLETTER, &json!({ "email": "a@b" })),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        details(&reply),
        [("email".to_owned(), "invalid_email".to_owned())]
    );
    let mut unknown = report("key-unknown-00000001");
    unknown["article_slug"] = json!("no-such-article");
    let reply = assert_refused(
        &site,
        post_json(REPORTS, &unknown),
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_article",
    )
    .await;
    assert_eq!(reply.json()["error"]["field"], "article_slug");
}

#[tokio::test]
async fn oversized_bodies_are_413_with_and_without_content_length() {
    let site = site().await;
    let mut big = report("key-big-000000000001");
    big["padding"] = json!("x".repeat(limits::REQUEST_BODY_MAX_BYTES));
    let bytes = serde_json::to_vec(&big).unwrap();
    for declare_length in [true, false] {
        let mut builder =
            request(Method::POST, REPORTS).header(header::CONTENT_TYPE, "application/json");
        if declare_length {
            builder = builder.header(header::CONTENT_LENGTH, bytes.len());
        }
        let request = builder.body(Body::from(bytes.clone())).unwrap();
        let reply = assert_refused(
            &site,
            request,
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        )
        .await;
        assert!(reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains(&limits::REQUEST_BODY_MAX_BYTES.to_string()));
    }
}

#[tokio::test]
async fn posts_from_foreign_origins_are_refused_and_allowed_ones_accepted() {
    let site = site_with(|o| o.allowed_origins = vec!["https://partner.example".into()]).await;
    let from = |origin: &str, key: &str| {
        let mut request = post_json(REPORTS, &report(key));
        request
            .headers_mut()
            .insert(header::ORIGIN, origin.parse().unwrap());
        request
    };
    assert_refused(
        &site,
        from("https://evil.example", "key-origin-000000001"),
        StatusCode::FORBIDDEN,
        "forbidden_origin",
    )
    .await;
    let reply = site
        .send(from("https://partner.example", "key-origin-000000002"))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(
        reply.header("access-control-allow-origin"),
        Some("https://partner.example")
    );
    let mut same = from("http://news.example:8080", "key-origin-000000003");
    same.headers_mut()
        .insert(header::HOST, "news.example:8080".parse().unwrap());
    assert_eq!(site.send(same).await.status, StatusCode::CREATED);
    let preflight = |origin: &str| {
        request(Method::OPTIONS, REPORTS)
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
            .body(Body::empty())
            .unwrap()
    };
    let ok = site.send(preflight("https://partner.example")).await;
    assert_eq!(ok.status, StatusCode::OK);
    assert!(ok
        .header("vary")
        .is_some_and(|v| v.to_ascii_lowercase().contains("origin")));
    assert_eq!(
        ok.header("access-control-allow-origin"),
        Some("https://partner.example")
    );
    assert!(ok
        .header("access-control-allow-methods")
        .unwrap()
        .contains("POST"));
    assert_refused(
        &site,
        preflight("https://evil.example"),
        StatusCode::FORBIDDEN,
        "forbidden_origin",
    )
    .await;
}

#[tokio::test]
async fn too_many_requests_from_one_client_are_429_with_retry_after() {
    let site = site_with(|o| {
        o.write_rate_per_minute = 2;
        o.read_rate_per_minute = 3;
    })
    .await;
    for n in 0..2 {
        let reply = site
            .send(post_json(
                NEWSLETTER,
                &json!({ "email": format!("r{n}@example.com") }),
            ))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED);
    }
    let reply = assert_refused(
        &site,
        post_json(NEWSLETTER, &json!({ "email": "r3@example.com" })),
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
    )
    .await;
    let wait: u64 = reply.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let other_client = site
        .send_from(
            "198.51.100.7:1234",
            post_json(NEWSLETTER, &json!({ "email": "r4@example.com" })),
        )
        .await;
    assert_eq!(
        other_client.status,
        StatusCode::CREATED,
        "budgets are per client"
    );
    for _ in 0..3 {
        let read = site.send(common::get("/api/v1/site.json")).await;
        assert_eq!(read.status, StatusCode::OK, "reads have their own budget");
    }
    let reply = site.send(common::get("/api/v1/site.json")).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(reply.error_code(), "rate_limited");
    assert!(reply.header("retry-after").is_some());
}

#[tokio::test]
async fn anything_after_the_json_value_is_refused() {
    let site = site().await;
    let signup = br#"{"email":"a@example.com"}"#;
    for (uri, body) in [
        (NEWSLETTER, [&signup[..], b"GARBAGE"].concat()),
        (NEWSLETTER, [&signup[..], &signup[..]].concat()),
        (NEWSLETTER, [&signup[..], b" 1"].concat()),
        (REPORTS, [&report_bytes()[..], b"}"].concat()),
        (REPORTS, [&report_bytes()[..], b"\n{}"].concat()),
    ] {
        let request = request(Method::POST, uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap();
        let reply = assert_refused(&site, request, StatusCode::BAD_REQUEST, "malformed_json").await;
        assert!(reply.json()["error"].get("field").is_none());
    }
    // White space after the value is not data.
    let trailing_space = request(Method::POST, NEWSLETTER)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from([&signup[..], b" \r\n"].concat()))
        .unwrap();
    assert_eq!(site.send(trailing_space).await.status, StatusCode::CREATED);
}

fn report_bytes() -> Vec<u8> {
    serde_json::to_vec(&report("key-trailing-0000001")).unwrap()
}

#[tokio::test]
async fn unknown_fields_are_refused_by_name() {
    let site = site().await;
    let mut misspelt = report("key-misspelt-0000001");
    misspelt["emial"] = json!("reader@example.com");
    let reply = assert_refused(
        &site,
        post_json(REPORTS, &misspelt),
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;
    assert_eq!(reply.json()["error"]["field"], "emial");
    assert_eq!(
        reply.json()["error"]["message"],
        "The field `emial` is not one this endpoint takes."
    );
    let reply = assert_refused(
        &site,
        post_json(
            NEWSLETTER,
            &json!({ "email": "a@example.com", "name": "A" }),
        ),
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;
    assert_eq!(reply.json()["error"]["field"], "name");
}

#[tokio::test]
async fn hidden_and_control_characters_are_refused_per_field() {
    let site = site().await;
    let cases: [(&str, &str, &str); 8] = [
        (
            "quoted_passage",
            "The \u{202E}Russian",
            "invalid_characters",
        ),
        ("what_is_wrong", "A typo.\u{1b}[2J", "invalid_characters"),
        ("correction", "The \0Russian", "invalid_characters"),
        ("correction", "Lone\rreturn", "invalid_characters"),
        ("what_is_wrong", "\u{200B}\u{200D}\u{FEFF} ", "required"),
        (
            "source_url",
            "https://example.com/\u{200B}",
            "invalid_characters",
        ),
        ("email", "reader\u{2066}@example.com", "invalid_characters"),
        ("quoted_passage", "\u{85}", "invalid_characters"),
    ];
    for (field, value, code) in cases {
        let mut bad = report("key-hidden-000000001");
        bad[field] = json!(value);
        let reply = assert_refused(
            &site,
            post_json(REPORTS, &bad),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(
            details(&reply),
            [(field.to_owned(), code.to_owned())],
            "{value:?}"
        );
    }
    let mut fine = report("key-hidden-000000002");
    fine["what_is_wrong"] = json!("Two lines:\r\nthe second\twith a tab, and a ZWJ 👩\u{200D}💻.");
    assert_eq!(
        site.send(post_json(REPORTS, &fine)).await.status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn the_server_wide_write_budget_holds_across_clients() {
    let site = site_with(|o| {
        o.write_rate_per_minute = 100;
        o.global_write_rate_per_minute = 2;
    })
    .await;
    let signup = |n: u32| post_json(NEWSLETTER, &json!({ "email": format!("g{n}@example.com") }));
    for n in 1..=2 {
        let reply = site
            .send_from(&format!("192.0.2.{n}:1000"), signup(n))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED);
    }
    let before = site.counts().await;
    let reply = site.send_from("192.0.2.3:1000", signup(3)).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(reply.error_code(), "rate_limited");
    let wait: u64 = reply.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(
        site.counts().await,
        before,
        "nothing stored over the budget"
    );
    let read = site
        .send_from("192.0.2.3:1000", common::get("/api/v1/site.json"))
        .await;
    assert_eq!(
        read.status,
        StatusCode::OK,
        "reads are not in the write budget"
    );
}
