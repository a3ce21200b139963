//! Keeps the OpenAPI document true: every route the router serves is in it, everything in it is
//! served, and the real answers of every endpoint, success and error, match its schemas.

mod common;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{header, Method, StatusCode};
use budapest_post_contract::{limits, ErrorCode, FieldErrorCode};
use budapest_post_server::api::openapi::{ERROR_CODES, FIELD_ERROR_CODES};
use common::{post_json, report, request, site, site_with, Reply, Site, SEED_SLUG};
use serde_json::{json, Value};

const PREFIX: &str = "/api/v1";

async fn document(site: &Site) -> Value {
    let reply = site.send(common::get("/api/v1/openapi.json")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.header("etag").is_some());
    let doc = reply.json();
    assert_eq!(doc["openapi"], "3.1.0");
    doc
}

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
    out
}

#[tokio::test]
async fn every_route_is_documented_and_everything_documented_is_served() {
    let site = site_with(|o| o.write_rate_per_minute = 1000);
    let doc = document(&site).await;
    let documented = documented_operations(&doc);
    let routes = routes_in_source();
    assert!(routes.len() >= 7, "{routes:?}");
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
            "post" if path.ends_with("/reports") => {
                post_json(&uri, &report("key-served-0000000001"))
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

#[test]
fn the_documented_codes_are_the_contracts() {
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
            | ErrorCode::Internal => {}
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
    let documented: BTreeSet<String> = ERROR_CODES.iter().map(|s| s.to_string()).collect();
    assert_eq!(sent, documented);
    let field_codes = [
        FieldErrorCode::Required,
        FieldErrorCode::TooLong,
        FieldErrorCode::TooShort,
        FieldErrorCode::InvalidEmail,
        FieldErrorCode::InvalidUrl,
        FieldErrorCode::InvalidFormat,
    ];
    for code in field_codes {
        match code {
            FieldErrorCode::Required
            | FieldErrorCode::TooLong
            | FieldErrorCode::TooShort
            | FieldErrorCode::InvalidEmail
            | FieldErrorCode::InvalidUrl
            | FieldErrorCode::InvalidFormat => {}
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
    let documented: BTreeSet<String> = FIELD_ERROR_CODES.iter().map(|s| s.to_string()).collect();
    assert_eq!(sent, documented);
}

#[tokio::test]
async fn the_document_quotes_the_contracts_limits() {
    let doc = document(&site()).await;
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

/// Follows a `$ref` to `#/components/...`.
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value["$ref"].as_str() {
        Some(pointer) => doc.pointer(pointer.trim_start_matches('#')).unwrap(),
        None => value,
    }
}

/// Checks `reply` against what the document says `method path` answers with its status.
fn assert_documented(doc: &Value, method: &str, path: &str, reply: &Reply) {
    let status = reply.status.as_u16().to_string();
    let responses = &doc["paths"][path][method]["responses"];
    let response = responses
        .get(&status)
        .map(|r| resolve(doc, r))
        .unwrap_or_else(|| panic!("{method} {path} answered {status}, which is not documented"));
    for (name, header) in response["headers"].as_object().into_iter().flatten() {
        let header = resolve(doc, header);
        if header["required"] == true || name == "ETag" {
            assert!(
                reply.header(name).is_some(),
                "{method} {path} {status}: no {name}"
            );
        }
    }
    let Some(content) = response.get("content") else {
        assert!(reply.body.is_empty(), "{method} {path} {status} has a body");
        return;
    };
    let schema = &content["application/json"]["schema"];
    assert!(reply
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    assert_valid(
        doc,
        schema,
        &reply.json(),
        &format!("{method} {path} {status}"),
    );
}

/// The validation errors of `instance` against `schema`, resolving references into the
/// document's components.
fn schema_errors(doc: &Value, schema: &Value, instance: &Value) -> Vec<String> {
    let root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": doc["components"],
        "allOf": [schema],
    });
    let validator = jsonschema::validator_for(&root).unwrap();
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Checks `instance` matches `schema`.
fn assert_valid(doc: &Value, schema: &Value, instance: &Value, what: &str) {
    let errors = schema_errors(doc, schema, instance);
    assert!(errors.is_empty(), "{what}: {errors:#?}\n{instance}");
}

#[tokio::test]
async fn the_schemas_do_refuse_wrong_shapes() {
    let doc = document(&site()).await;
    let schema = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let wrong = [
        ("ReportReceipt", json!({ "id": "42", "status": "received" })),
        (
            "ReportReceipt",
            json!({ "id": "BP-000001", "status": "lost" }),
        ),
        (
            "ErrorBody",
            json!({ "error": { "code": "teapot", "message": "x" } }),
        ),
        ("ErrorBody", json!({ "code": "not_found", "message": "x" })),
        ("Block", json!({ "type": "paragraph" })),
        ("Block", json!({ "type": "html", "text": "<b>x</b>" })),
        (
            "Site",
            json!({ "name": "x", "motto": "y", "tagline": "z", "extra": 1 }),
        ),
    ];
    for (name, instance) in wrong {
        assert!(
            !schema_errors(&doc, &schema(name), &instance).is_empty(),
            "{name} accepted {instance}"
        );
    }
}

#[tokio::test]
async fn real_answers_match_the_documented_schemas() {
    let site = site_with(|o| o.allowed_origins = vec!["https://partner.example".into()]);
    let doc = document(&site).await;
    let article = format!("{PREFIX}/articles/{{slug}}.json");
    let related = format!("{PREFIX}/articles/{{slug}}/related.json");
    let page = format!("{PREFIX}/articles/page/{{n}}.json");
    let reports = format!("{PREFIX}/reports");
    let newsletter = format!("{PREFIX}/newsletter");
    let mut big = report("key-big-000000000001");
    big["padding"] = json!("x".repeat(limits::REQUEST_BODY_MAX_BYTES));
    let mut unknown = report("key-unknown-00000001");
    unknown["article_slug"] = json!("no-such-article");
    let mut bot = report("key-bot-000000000001");
    bot["website"] = json!("filled");
    let raw = |uri: &str, content_type: &str, body: &'static str| {
        request(Method::POST, uri)
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap()
    };
    let foreign = {
        let mut r = post_json(&reports, &report("key-foreign-00000001"));
        r.headers_mut()
            .insert(header::ORIGIN, "https://evil.example".parse().unwrap());
        r
    };
    let cases: Vec<(&str, String, axum::http::Request<Body>, u16)> = vec![
        (
            "get",
            format!("{PREFIX}/site.json"),
            common::get("/api/v1/site.json"),
            200,
        ),
        (
            "get",
            format!("{PREFIX}/articles/index.json"),
            common::get("/api/v1/articles/index.json"),
            200,
        ),
        (
            "get",
            page.clone(),
            common::get("/api/v1/articles/page/2.json"),
            200,
        ),
        (
            "get",
            page.clone(),
            common::get("/api/v1/articles/page/99.json"),
            404,
        ),
        (
            "get",
            article.clone(),
            common::get(&format!("/api/v1/articles/{SEED_SLUG}.json")),
            200,
        ),
        (
            "get",
            article.clone(),
            common::get("/api/v1/articles/nope.json"),
            404,
        ),
        (
            "get",
            related.clone(),
            common::get(&format!("/api/v1/articles/{SEED_SLUG}/related.json")),
            200,
        ),
        (
            "get",
            related.clone(),
            common::get("/api/v1/articles/nope/related.json"),
            404,
        ),
        (
            "get",
            format!("{PREFIX}/openapi.json"),
            common::get("/api/v1/openapi.json"),
            200,
        ),
        (
            "post",
            reports.clone(),
            post_json(&reports, &report("key-schema-000000001")),
            201,
        ),
        (
            "post",
            reports.clone(),
            post_json(&reports, &report("key-schema-000000001")),
            201,
        ),
        ("post", reports.clone(), post_json(&reports, &bot), 201),
        (
            "post",
            reports.clone(),
            raw(&reports, "application/json", "{oops"),
            400,
        ),
        (
            "post",
            reports.clone(),
            raw(&reports, "application/json", r#"{"email": []}"#),
            400,
        ),
        ("post", reports.clone(), foreign, 403),
        ("post", reports.clone(), post_json(&reports, &big), 413),
        (
            "post",
            reports.clone(),
            raw(&reports, "text/plain", "{}"),
            415,
        ),
        (
            "post",
            reports.clone(),
            post_json(&reports, &json!({})),
            422,
        ),
        ("post", reports.clone(), post_json(&reports, &unknown), 422),
        (
            "post",
            newsletter.clone(),
            post_json(&newsletter, &json!({ "email": "s@example.com" })),
            201,
        ),
        (
            "post",
            newsletter.clone(),
            post_json(&newsletter, &json!({ "email": "s@example.com" })),
            200,
        ),
        (
            "post",
            newsletter.clone(),
            post_json(&newsletter, &json!({ "email": "nope" })),
            422,
        ),
        (
            "post",
            newsletter.clone(),
            raw(&newsletter, "application/json", "42"),
            400,
        ),
    ];
    for (method, path, request, status) in cases {
        let reply = site.send(request).await;
        assert_eq!(
            reply.status.as_u16(),
            status,
            "{method} {path}: {}",
            String::from_utf8_lossy(&reply.body)
        );
        assert_documented(&doc, method, &path, &reply);
    }

    // 304, for every read.
    for uri in [
        "/api/v1/site.json",
        "/api/v1/articles/index.json",
        "/api/v1/openapi.json",
    ] {
        let tag = site
            .send(common::get(uri))
            .await
            .header("etag")
            .unwrap()
            .to_owned();
        let conditional = request(Method::GET, uri)
            .header(header::IF_NONE_MATCH, tag)
            .body(Body::empty())
            .unwrap();
        let reply = site.send(conditional).await;
        assert_documented(&doc, "get", uri, &reply);
    }

    // 405 and unknown paths: the one error shape.
    let error_body = json!({ "$ref": "#/components/schemas/ErrorBody" });
    for request in [
        common::get("/api/v1/reports"),
        common::get("/api/v1/unknown"),
    ] {
        let reply = site.send(request).await;
        assert!(matches!(reply.status.as_u16(), 404 | 405));
        assert_valid(&doc, &error_body, &reply.json(), "404/405");
    }
}

#[tokio::test]
async fn rate_limited_answers_match_the_document() {
    let site = site_with(|o| {
        o.read_rate_per_minute = 1;
        o.write_rate_per_minute = 1;
    });
    let doc = document(&site).await;
    let reply = site.send(common::get("/api/v1/site.json")).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_documented(&doc, "get", "/api/v1/site.json", &reply);
    let newsletter = "/api/v1/newsletter";
    let signup = json!({ "email": "a@example.com" });
    site.send(post_json(newsletter, &signup)).await;
    let reply = site.send(post_json(newsletter, &signup)).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_documented(&doc, "post", newsletter, &reply);
}

#[tokio::test]
async fn what_the_schemas_allow_the_server_accepts() {
    use budapest_post_contract::validate::{is_email, is_web_url};
    let doc = document(&site()).await;
    let props = &doc["components"]["schemas"]["ReportRequest"]["properties"];
    let allows =
        |schema: &Value, value: &str| schema_errors(&doc, schema, &json!(value)).is_empty();
    let samples = [
        "",
        " ",
        "\t",
        "\u{85}",
        "\u{feff}",
        "x",
        " x ",
        "a@b.co",
        "a b@c.de",
        "a@b",
        "<a@b.co>",
        "reader.name+news@example.hu",
        "https://example.com",
        "http://a.b/c?d#e",
        "https://x.org:8443/p",
        "https://példa.hu/",
        "http://[::1]/",
        "javascript:alert(1)",
        "https://a b.com",
        "https://",
        "ftp://a.b",
    ];
    for value in samples {
        let server_text_ok = !value.trim().is_empty();
        if allows(&props["quoted_passage"], value) {
            assert!(server_text_ok, "schema allows blank {value:?}");
        }
        if allows(&props["email"], value) {
            assert!(
                value.trim().is_empty() || is_email(value),
                "email {value:?}"
            );
        }
        if allows(&props["source_url"], value) {
            assert!(
                value.trim().is_empty() || is_web_url(value),
                "url {value:?}"
            );
        }
    }
    assert!(allows(&props["quoted_passage"], "x"));
    assert!(allows(&props["email"], "a@b.co"));
    assert!(allows(&props["email"], ""));
    assert!(allows(&props["source_url"], "https://x.org:8443/p?q=1"));
    assert!(!allows(&props["source_url"], "javascript:alert(1)"));
}
