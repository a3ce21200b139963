//! A reporter's status question over HTTP: answered with the right token only, the same
//! not-found for a wrong token and an unknown reference, rate limited, and the page it is
//! read on kept out of indexes and referrers.

mod common;

use axum::http::StatusCode;
use common::{get, post_json, report, site, site_with, Reply, Site, SEED_SLUG};
use serde_json::{json, Value};

const REPORTS: &str = "/api/v1/reports";
const STATUS: &str = "/api/v1/reports/status";

/// A stored report's receipt: its reference and its status link's token.
async fn receipt(site: &Site, key: &str) -> (String, String) {
    let reply = site.send(post_json(REPORTS, &report(key))).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let json = reply.json();
    (
        json["id"].as_str().unwrap().to_owned(),
        json["status_token"].as_str().unwrap().to_owned(),
    )
}

async fn ask(site: &Site, reference: &str, token: &str) -> Reply {
    site.send(post_json(
        STATUS,
        &json!({ "reference": reference, "token": token }),
    ))
    .await
}

#[tokio::test]
async fn the_right_token_tells_the_outcome_and_nothing_else_does() {
    let site = site().await;
    let (reference, token) = receipt(&site, "key-status-http-0001").await;
    assert!(token.len() >= 26, "at least 128 bits: {token}");

    let received = ask(&site, &reference, &token).await;
    assert_eq!(received.status, StatusCode::OK);
    assert_eq!(received.header("cache-control"), Some("no-store"));
    let body = received.json();
    assert_eq!(body["id"], json!(reference));
    assert_eq!(body["status"], "received");
    assert_eq!(body["article"]["slug"], SEED_SLUG);
    assert!(body.get("correction").is_none());

    let (other, other_token) = receipt(&site, "key-status-http-0002").await;
    let wrong = ask(&site, &reference, "WRONGTOKEN0123456789").await;
    let unknown = ask(&site, "BP-ZZZZZZZZ", &token).await;
    let crossed = ask(&site, &other, &token).await;
    for refused in [&wrong, &unknown, &crossed] {
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        assert_eq!(refused.error_code(), "not_found");
    }
    assert_eq!(wrong.body, unknown.body, "one answer for both");
    assert_eq!(wrong.body, crossed.body);
    assert_eq!(
        ask(&site, &other, &other_token).await.status,
        StatusCode::OK
    );

    let malformed = ask(&site, "BP-1/../2", "").await;
    assert_eq!(malformed.status, StatusCode::UNPROCESSABLE_ENTITY);
    let extra = site
        .send(post_json(
            STATUS,
            &json!({ "reference": reference, "token": token, "email": "x@y.z" }),
        ))
        .await;
    assert_eq!(extra.status, StatusCode::BAD_REQUEST);
    let read = site.send(get(STATUS)).await;
    assert_eq!(
        read.status,
        StatusCode::METHOD_NOT_ALLOWED,
        "never in an address"
    );
}

#[tokio::test]
async fn the_reporter_reads_declined_with_the_reason_and_corrected_with_the_correction() {
    let site = site().await;
    let (declined, declined_token) = receipt(&site, "key-status-http-0003").await;
    let (corrected, corrected_token) = receipt(&site, "key-status-http-0004").await;
    let reason = "The article is right: the ministry spells it so.";
    site.store
        .decline_report(std::slice::from_ref(&declined), reason)
        .await
        .unwrap();
    site.store
        .publish_correction(budapest_post_store::NewCorrection {
            article_slug: SEED_SLUG.into(),
            passage: "The Russian fFreign Ministry".into(),
            replacement: "The Russian Foreign Ministry".into(),
            note: "An earlier version of this article misspelled the Russian Foreign Ministry."
                .into(),
            reports: vec![corrected.clone()],
        })
        .await
        .unwrap()
        .unwrap();

    let body: Value = ask(&site, &declined, &declined_token).await.json();
    assert_eq!(body["status"], "declined");
    assert_eq!(body["decline_reason"], reason);
    let body: Value = ask(&site, &corrected, &corrected_token).await.json();
    assert_eq!(body["status"], "corrected");
    assert!(body["correction"]["note"]
        .as_str()
        .unwrap()
        .starts_with("An earlier version"));
    assert!(body["correction"]["id"].is_u64());
}

#[tokio::test]
async fn questions_are_rate_limited_per_client() {
    let site = site_with(|o| o.write_rate_per_minute = 3).await;
    let (reference, token) = receipt(&site, "key-status-http-0005").await;
    for _ in 0..2 {
        assert_eq!(
            ask(&site, &reference, "GUESS").await.status,
            StatusCode::NOT_FOUND
        );
    }
    let limited = ask(&site, &reference, &token).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.error_code(), "rate_limited");
    assert!(limited.header("retry-after").is_some());
    let elsewhere = site
        .send_from(
            "192.0.2.9:40000",
            post_json(STATUS, &json!({ "reference": reference, "token": token })),
        )
        .await;
    assert_eq!(
        elsewhere.status,
        StatusCode::OK,
        "another client has its own budget"
    );
}

#[tokio::test]
async fn the_status_page_is_private() {
    let site = site().await;
    let page = site.send(get("/reports/status")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.header("referrer-policy"), Some("no-referrer"));
    let html = String::from_utf8_lossy(&page.body);
    assert!(
        html.contains(r#"<meta name="robots" content="noindex""#),
        "{html}"
    );
    assert!(html.contains(r#"<meta name="referrer" content="no-referrer""#));
    assert!(html.contains("data-report-status"));
    assert!(html.contains(r#"<script src="/report-status.js" defer"#));
    let other = site.send(get("/contact")).await;
    assert_eq!(
        other.header("referrer-policy"),
        Some("strict-origin-when-cross-origin")
    );
}
