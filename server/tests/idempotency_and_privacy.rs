//! What a writer learns from the answers: a report's random reference and nothing else, the
//! same receipt for the same report and a conflict for a different one under one key, the
//! honeypot's catch answered like any report, and sign-ups and unsubscribe requests answered
//! the same whether or not the address was on the list.

mod common;

use axum::http::StatusCode;
use common::openapi::{assert_documented, document};
use common::{post_json, report, site, Site};
use serde_json::{json, Value};

const REPORTS: &str = "/api/v1/reports";
const NEWSLETTER: &str = "/api/v1/newsletter";
const UNSUBSCRIBE: &str = "/api/v1/newsletter/unsubscribe";

/// Whether `reference` is `BP-` and eight characters of Crockford's base 32.
fn is_random_reference(reference: &str) -> bool {
    reference.strip_prefix("BP-").is_some_and(|rest| {
        rest.len() == 8
            && rest
                .bytes()
                .all(|b| b"0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(&b))
    })
}

async fn reference_of(site: &Site, body: &Value) -> String {
    let reply = site.send(post_json(REPORTS, body)).await;
    assert_eq!(
        reply.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(reply.json()["status"], "received");
    reply.json()["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn references_are_random_and_never_repeat() {
    let site = site().await;
    let mut seen = std::collections::HashSet::new();
    for n in 0..20 {
        let reference = reference_of(&site, &report(&format!("key-random-{n:010}"))).await;
        assert!(is_random_reference(&reference), "{reference}");
        assert!(seen.insert(reference), "a reference was given twice");
    }
}

#[tokio::test]
async fn the_same_key_with_a_different_report_is_a_conflict_and_stores_nothing() {
    let site = site().await;
    let doc = document(&site).await;
    let first = reference_of(&site, &report("key-conflict-000001")).await;

    let mut same = report("key-conflict-000001");
    same["correction"] = json!("  The Russian Foreign Ministry \n");
    assert_eq!(
        reference_of(&site, &same).await,
        first,
        "white space around a field is no difference"
    );

    for (field, value) in [
        ("correction", json!("The Russian Foreign Ministry, said")),
        ("email", json!("someone.else@example.com")),
        ("source_url", Value::Null),
        (
            "article_slug",
            json!("bill-ackman-backs-uber-as-the-company-shifts-towards-profitability"),
        ),
    ] {
        let mut edited = report("key-conflict-000001");
        edited[field] = value;
        let reply = site.send(post_json(REPORTS, &edited)).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{field}");
        assert_eq!(reply.error_code(), "idempotency_conflict");
        assert_eq!(reply.json()["error"]["field"], "idempotency_key");
        assert_documented(&doc, "post", REPORTS, &reply);
    }
    let stored = site.store.reports(None).await.unwrap();
    assert_eq!(stored.len(), 1, "nothing new was stored");
    assert_eq!(stored[0].correction, "The Russian Foreign Ministry");
    assert_eq!(
        reference_of(&site, &report("key-conflict-000001")).await,
        first,
        "the first report still answers to its key"
    );
}

#[tokio::test]
async fn the_honeypots_catch_is_answered_like_a_report_and_kept_from_editors() {
    let site = site().await;
    let real = reference_of(&site, &report("key-honeypot-real01")).await;
    let mut bot = report("key-honeypot-bot001");
    bot["website"] = json!("http://spam.example");
    let caught = reference_of(&site, &bot).await;
    assert!(is_random_reference(&caught), "{caught}");
    assert_ne!(caught, real);
    assert_eq!(
        reference_of(&site, &bot).await,
        caught,
        "resent, as a report is"
    );
    let next = reference_of(&site, &report("key-honeypot-real02")).await;
    assert!(
        next != caught,
        "the next real report does not get the catch's reference"
    );

    // An unknown article is refused for a bot exactly as for a person.
    let mut unknown = report("key-honeypot-bot002");
    unknown["article_slug"] = json!("no-such-article");
    let person = site.send(post_json(REPORTS, &unknown)).await;
    unknown["website"] = json!("x");
    let robot = site.send(post_json(REPORTS, &unknown)).await;
    assert_eq!(robot.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!((robot.status, robot.body), (person.status, person.body));

    let listed: Vec<String> = site
        .store
        .reports(None)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.reference)
        .collect();
    assert_eq!(listed, [next, real], "editors see the real reports only");
}

#[tokio::test]
async fn a_sign_up_answers_the_same_for_a_new_a_listed_and_a_bots_address() {
    let site = site().await;
    let signup = |email: &str, website: Option<&str>| {
        let mut body = json!({ "email": email });
        if let Some(website) = website {
            body["website"] = json!(website);
        }
        post_json(NEWSLETTER, &body)
    };
    let new = site.send(signup("reader@example.com", None)).await;
    let listed = site.send(signup("READER@example.com", None)).await;
    let bot = site.send(signup("bot@example.com", Some("filled"))).await;
    for reply in [&listed, &bot] {
        assert_eq!(reply.status, new.status);
        assert_eq!(reply.body, new.body);
    }
    assert_eq!(new.status, StatusCode::CREATED);
    assert_eq!(new.json(), json!({ "status": "subscribed" }));
    assert_eq!(site.counts().await.1, 1);
}

#[tokio::test]
async fn an_unsubscribe_link_takes_its_address_off_and_answers_the_same_for_any_token() {
    let site = site().await;
    let doc = document(&site).await;
    for email in ["leaving@example.com", "staying@example.com"] {
        site.send(post_json(NEWSLETTER, &json!({ "email": email })))
            .await;
    }
    let token = site
        .store
        .unsubscribe_token("leaving@example.com")
        .await
        .unwrap()
        .unwrap();
    let unsubscribe = |token: &str| post_json(UNSUBSCRIBE, &json!({ "token": token }));

    let known = site.send(unsubscribe(&token)).await;
    assert_eq!(known.status, StatusCode::OK);
    assert_eq!(known.json(), json!({ "status": "unsubscribed" }));
    assert_documented(&doc, "post", UNSUBSCRIBE, &known);
    assert_eq!(
        site.store
            .unsubscribe_token("leaving@example.com")
            .await
            .unwrap(),
        None
    );
    assert_eq!(site.counts().await.1, 1, "the other address stays");

    for other in [token.as_str(), "0123456789ABCDEFGHJKMNPQRSTVWXYZ", "abc"] {
        let reply = site.send(unsubscribe(other)).await;
        assert_eq!((reply.status, &reply.body), (known.status, &known.body));
    }
    assert_eq!(site.counts().await.1, 1);

    for (body, status, code) in [
        (
            json!({ "token": "  " }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            json!({ "token": "not a token!" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            json!({ "token": "A".repeat(65) }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            json!({ "token": token, "email": "x@y.zz" }),
            StatusCode::BAD_REQUEST,
            "malformed_json",
        ),
        (
            json!({ "token": 5 }),
            StatusCode::BAD_REQUEST,
            "malformed_json",
        ),
    ] {
        let reply = site.send(post_json(UNSUBSCRIBE, &body)).await;
        assert_eq!(reply.status, status, "{body}");
        assert_eq!(reply.error_code(), code, "{body}");
        assert_documented(&doc, "post", UNSUBSCRIBE, &reply);
    }
    assert_eq!(site.counts().await.1, 1);
}
