//! Keeps the OpenAPI document true to the router: every route the router serves is in it,
//! everything in it is served, and it quotes the contract's codes and limits.

mod common;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use budapest_post_contract::{limits, ErrorCode, FieldErrorCode};
use budapest_post_server::api::openapi;
use common::openapi::document;
use common::{post_json, report, site, site_with};
use serde_json::{json, Value};

const PREFIX: &str = "/api/v1";

/// The `(method, path)` of every `.route(…)` in the API's router, read from its source so a
/// route added there without a line in the document fails this test.
fn routes_in_source() -> Vec<(String, String)> {
    let source = include_str!("../src/api/mod.rs");
    source
        .split(".route(\"")
        .skip(1)
        .flat_map(|rest| {
            let (path, rest) = rest.split_once('"').unwrap();
            let line = rest.lines().next().unwrap_or_default();
            ["get", "post", "put", "patch", "delete"]
                .into_iter()
                .filter(move |m| line.contains(&format!("{m}(")))
                .map(move |m| (m.to_owned(), format!("{PREFIX}{path}")))
        })
        .collect()
}

/// Whether the axum pattern `route` (`{x}` matches one whole segment) covers the documented
/// path `documented`.
fn covers(route: &str, documented: &str) -> bool {
    let (a, b): (Vec<_>, Vec<_>) = (route.split('/').collect(), documented.split('/').collect());
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(r, d)| (r.starts_with('{') && r.ends_with('}')) || r == d)
}

fn documented_operations(doc: &Value) -> Vec<(String, String)> {
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            operations.push((method.clone(), path.clone()));
        }
    }
    operations
}

/// `path` with every `{param}` replaced by its documented example.
fn concrete(doc: &Value, path: &str, method: &str) -> String {
    let mut out = path.to_owned();
    for param in doc["paths"][path][method]["parameters"]
        .as_array()
        .into_iter()
        .flatten()
    {
        if param["in"] == "path" {
            let example = &param["example"];
            let value = example
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| example.to_string());
            out = out.replace(&format!("{{{}}}", param["name"].as_str().unwrap()), &value);
        }
    }
    // Required query parameters, with their examples.
    let query: Vec<String> = doc["paths"][path][method]["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|param| param["in"] == "query" && param["required"] == true)
        .map(|param| {
            format!(
                "{}={}",
                param["name"].as_str().unwrap(),
                budapest_post_contract::pages::encode_query_value(
                    param["example"].as_str().unwrap()
                )
            )
        })
        .collect();
    if !query.is_empty() {
        out = format!("{out}?{}", query.join("&"));
    }
    out
}

#[tokio::test]
async fn every_route_is_documented_and_everything_documented_is_served() {
    let site = site_with(|o| o.write_rate_per_minute = 1000).await;
    let doc = document(&site).await;
    let documented = documented_operations(&doc);
    let routes = routes_in_source();
    // A status question is answered only for a report and the token its receipt gave.
    let receipt = site
        .send(post_json(
            "/api/v1/reports",
            &report("key-status-000000001"),
        ))
        .await
        .json();
    let question = json!({ "reference": receipt["id"], "token": receipt["status_token"] });
    assert!(routes.len() >= 8, "{routes:?}");
    for (method, route) in &routes {
        assert!(
            documented
                .iter()
                .any(|(m, p)| m == method && covers(route, p)),
            "{method} {route} is served but not documented"
        );
    }
    for (method, path) in &documented {
        assert!(
            routes.iter().any(|(m, r)| m == method && covers(r, path)),
            "{method} {path} is documented but not routed"
        );
        let uri = concrete(&doc, path, method);
        let request = match method.as_str() {
            "get" => common::get(&uri),
            "post" if path.ends_with("/reports/status") => post_json(&uri, &question),
            "post" if path.ends_with("/reports") => {
                post_json(&uri, &report("key-served-0000000001"))
            }
            "post" if path.ends_with("/unsubscribe") => {
                post_json(&uri, &json!({ "token": "ABCDEFGH" }))
            }
            "post" => post_json(&uri, &json!({ "email": "served@example.com" })),
            other => panic!("undocumented method kind {other}"),
        };
        let reply = site.send(request).await;
        assert!(
            reply.status.is_success(),
            "{method} {uri}: {} {}",
            reply.status,
            String::from_utf8_lossy(&reply.body)
        );
        let all = ["get", "post", "put", "patch", "delete"];
        for other in all.iter().filter(|m| doc["paths"][path].get(**m).is_none()) {
            let method: Method = other.to_uppercase().parse().unwrap();
            let reply = site
                .send(common::request(method, &uri).body(Body::empty()).unwrap())
                .await;
            assert_eq!(
                reply.status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{other} {uri} is served but not documented"
            );
        }
    }
}

/// The values the document's schema `name` enumerates.
fn documented_enum(doc: &Value, name: &str) -> BTreeSet<String> {
    doc["components"]["schemas"][name]["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("{name} lists no values"))
        .iter()
        .map(|code| code.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_documented_codes_are_the_contracts() {
    let doc = openapi::document();
    let all_codes = [
        ErrorCode::MalformedJson,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::ValidationFailed,
        ErrorCode::UnknownArticle,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::PayloadTooLarge,
        ErrorCode::RateLimited,
        ErrorCode::ForbiddenOrigin,
        ErrorCode::Internal,
        ErrorCode::Timeout,
        ErrorCode::IdempotencyConflict,
        ErrorCode::Unavailable,
        ErrorCode::InvalidParameter,
        ErrorCode::UnsupportedFormat,
    ];
    // A new variant breaks this match, and so reminds whoever adds it to document it.
    for code in all_codes {
        match code {
            ErrorCode::MalformedJson
            | ErrorCode::UnsupportedMediaType
            | ErrorCode::ValidationFailed
            | ErrorCode::UnknownArticle
            | ErrorCode::NotFound
            | ErrorCode::MethodNotAllowed
            | ErrorCode::PayloadTooLarge
            | ErrorCode::RateLimited
            | ErrorCode::ForbiddenOrigin
            | ErrorCode::Internal
            | ErrorCode::Timeout
            | ErrorCode::IdempotencyConflict
            | ErrorCode::Unavailable
            | ErrorCode::InvalidParameter
            | ErrorCode::UnsupportedFormat => {}
        }
    }
    let sent: BTreeSet<String> = all_codes
        .iter()
        .map(|c| {
            serde_json::to_value(c)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(sent, documented_enum(&doc, "ErrorCode"));
    let field_codes = [
        FieldErrorCode::Required,
        FieldErrorCode::TooLong,
        FieldErrorCode::InvalidEmail,
        FieldErrorCode::InvalidUrl,
        FieldErrorCode::InvalidFormat,
        FieldErrorCode::InvalidCharacters,
    ];
    for code in field_codes {
        match code {
            FieldErrorCode::Required
            | FieldErrorCode::TooLong
            | FieldErrorCode::InvalidEmail
            | FieldErrorCode::InvalidUrl
            | FieldErrorCode::InvalidFormat
            | FieldErrorCode::InvalidCharacters => {}
        }
    }
    let sent: BTreeSet<String> = field_codes
        .iter()
        .map(|c| {
            serde_json::to_value(c)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(sent, documented_enum(&doc, "FieldErrorCode"));
}

#[tokio::test]
async fn the_document_quotes_the_contracts_limits() {
    let doc = document(&site().await).await;
    let report = &doc["components"]["schemas"]["ReportRequest"]["properties"];
    assert_eq!(
        report["quoted_passage"]["maxLength"],
        limits::QUOTED_PASSAGE_MAX
    );
    assert_eq!(
        report["what_is_wrong"]["maxLength"],
        limits::WHAT_IS_WRONG_MAX
    );
    assert_eq!(report["correction"]["maxLength"], limits::CORRECTION_MAX);
    assert_eq!(report["source_url"]["maxLength"], limits::SOURCE_URL_MAX);
    assert_eq!(report["email"]["maxLength"], limits::EMAIL_MAX);
    assert_eq!(
        report["idempotency_key"]["minLength"],
        limits::IDEMPOTENCY_KEY_MIN
    );
    assert_eq!(
        report["idempotency_key"]["maxLength"],
        limits::IDEMPOTENCY_KEY_MAX
    );
    assert_eq!(report["article_slug"]["maxLength"], limits::SLUG_MAX);
    let status = &doc["components"]["schemas"]["ReportStatusRequest"]["properties"];
    assert_eq!(
        status["reference"]["maxLength"],
        limits::REPORT_REFERENCE_MAX
    );
    assert_eq!(
        doc["info"]["x-limits"]["request_body_max_bytes"],
        limits::REQUEST_BODY_MAX_BYTES
    );
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        assert!(
            jsonschema::draft202012::meta::validate(schema).is_ok(),
            "{name} is not a valid JSON Schema"
        );
    }
}
