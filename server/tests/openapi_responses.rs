//! Keeps the OpenAPI document true to the answers: the real responses of every endpoint,
//! success and each error, match its schemas, and what its schemas allow the server accepts.

mod common;

use axum::body::Body;
use axum::http::{header, Method, StatusCode};
use budapest_post_contract::limits;
use common::openapi::{assert_documented, assert_valid, document, schema_errors};
use common::{post_json, report, request, site, site_with, SEED_SLUG};
use serde_json::{json, Value};

const PREFIX: &str = "/api/v1";

#[tokio::test]
async fn the_schemas_do_refuse_wrong_shapes() {
    let doc = document(&site().await).await;
    let schema = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let wrong = [
        ("ReportReceipt", json!({ "id": "42", "status": "received" })),
        (
            "ReportReceipt",
            json!({ "id": "BP-7K3QX9ZU", "status": "received" }),
        ),
        (
            "NewsletterReceipt",
            json!({ "status": "already_subscribed" }),
        ),
        ("UnsubscribeReceipt", json!({ "status": "subscribed" })),
        ("NewsletterUnsubscribe", json!({ "token": "a b" })),
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
    let site = site_with(|o| o.allowed_origins = vec!["https://partner.example".into()]).await;
    let doc = document(&site).await;
    // A corrected article, so its corrections and the corrections list are checked too.
    site.store
        .publish_correction(budapest_post_store::NewCorrection {
            article_slug: SEED_SLUG.into(),
            passage: "The Russian fFreign Ministry".into(),
            replacement: "The Russian Foreign Ministry".into(),
            note: "An earlier version of this article misspelled the Russian Foreign Ministry."
                .into(),
            reports: vec![],
        })
        .await
        .unwrap()
        .unwrap();
    let article = format!("{PREFIX}/articles/{{slug}}.json");
    let related = format!("{PREFIX}/articles/{{slug}}/related.json");
    let page = format!("{PREFIX}/articles/page/{{n}}.json");
    let reports = format!("{PREFIX}/reports");
    let newsletter = format!("{PREFIX}/newsletter");
    let unsubscribe = format!("{PREFIX}/newsletter/unsubscribe");
    let status = format!("{PREFIX}/reports/status");
    let receipt = site
        .send(post_json(&reports, &report("key-status-000000001")))
        .await
        .json();
    let question = json!({ "reference": receipt["id"], "token": receipt["status_token"] });
    let oembed = format!("{PREFIX}/oembed");
    let oembed_file = format!("{PREFIX}/oembed/articles/{{slug}}.json");
    // The test site has no set address, so any origin's paths are its own.
    let oembed_of = |path: &str, more: &str| {
        format!(
            "/api/v1/oembed?url={}{more}",
            budapest_post_contract::pages::encode_query_value(&format!(
                "https://www.budapestpost.example/{path}"
            ))
        )
    };
    let mut edited = report("key-schema-000000001");
    edited["correction"] = json!("Something else");
    let mut big = report("key-big-000000000001");
    big["padding"] = json!("x".repeat(limits::REQUEST_BODY_MAX_BYTES));
    let mut unknown = report("key-unknown-00000001");
    unknown["article_slug"] = json!("no-such-article");
    let mut hidden = report("key-hidden-000000001");
    hidden["correction"] = json!("The \u{202E}Foreign Ministry");
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
            format!("{PREFIX}/corrections.json"),
            common::get("/api/v1/corrections.json"),
            200,
        ),
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
        ("post", reports.clone(), post_json(&reports, &edited), 409),
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
            201,
        ),
        (
            "post",
            unsubscribe.clone(),
            post_json(&unsubscribe, &json!({ "token": "ABCDEFGH" })),
            200,
        ),
        ("post", status.clone(), post_json(&status, &question), 200),
        (
            "post",
            status.clone(),
            post_json(
                &status,
                &json!({ "reference": receipt["id"], "token": "WRONGTOKEN" }),
            ),
            404,
        ),
        (
            "post",
            status.clone(),
            post_json(&status, &json!({ "reference": "", "token": "" })),
            422,
        ),
        (
            "post",
            unsubscribe.clone(),
            post_json(&unsubscribe, &json!({ "token": "" })),
            422,
        ),
        (
            "post",
            unsubscribe.clone(),
            post_json(
                &unsubscribe,
                &json!({ "token": "x", "email": "s@example.com" }),
            ),
            400,
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
        (
            "post",
            newsletter.clone(),
            raw(
                &newsletter,
                "application/json",
                r#"{"email": "t@example.com"}{"email": "u@example.com"}"#,
            ),
            400,
        ),
        (
            "post",
            newsletter.clone(),
            post_json(
                &newsletter,
                &json!({ "email": "t@example.com", "list": "all" }),
            ),
            400,
        ),
        ("post", reports.clone(), post_json(&reports, &hidden), 422),
        (
            "get",
            oembed.clone(),
            common::get(&oembed_of(
                &format!("articles/{SEED_SLUG}"),
                "&maxwidth=300",
            )),
            200,
        ),
        ("get", oembed.clone(), common::get(&oembed_of("", "")), 200),
        (
            "get",
            oembed.clone(),
            common::get(&oembed_of("articles/no-such-article", "")),
            404,
        ),
        (
            "get",
            oembed.clone(),
            common::get(&oembed_of("contact", "")),
            404,
        ),
        (
            "get",
            oembed.clone(),
            common::get("/api/v1/oembed?format=json"),
            400,
        ),
        (
            "get",
            oembed.clone(),
            common::get(&oembed_of(&format!("articles/{SEED_SLUG}"), "&maxheight=0")),
            400,
        ),
        (
            "get",
            oembed.clone(),
            common::get(&oembed_of(&format!("articles/{SEED_SLUG}"), "&format=xml")),
            501,
        ),
        (
            "get",
            oembed_file.clone(),
            common::get(&format!("/api/v1/oembed/articles/{SEED_SLUG}.json")),
            200,
        ),
        (
            "get",
            oembed_file.clone(),
            common::get("/api/v1/oembed/articles/nope.json"),
            404,
        ),
        (
            "get",
            format!("{PREFIX}/oembed/headlines.json"),
            common::get("/api/v1/oembed/headlines.json"),
            200,
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
    })
    .await;
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
async fn the_server_wide_write_budget_answers_as_documented() {
    let site = site_with(|o| o.global_write_rate_per_minute = 1).await;
    let doc = document(&site).await;
    let reports = "/api/v1/reports";
    let first = site
        .send(post_json(reports, &report("key-global-00000001")))
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    let reply = site
        .send_from(
            "198.51.100.9:4000",
            post_json(reports, &report("key-global-00000002")),
        )
        .await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_documented(&doc, "post", reports, &reply);
}

#[tokio::test]
async fn what_the_schemas_allow_the_server_accepts() {
    use budapest_post_contract::validate::{email, is_email, is_web_url, required_text, url};
    let doc = document(&site().await).await;
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
        "\u{200B}",
        "\u{200C}\u{200D} \u{2060}",
        "\u{AD}",
        "a\u{202E}b",
        "a\u{2066}b",
        "a\u{200F}",
        "nul\0",
        "esc\u{1b}[2J",
        "bell\u{7}",
        "lone\rcr",
        "crlf\r\nok",
        "lf\nok",
        "tab\tok",
        "del\u{7f}",
        "c1\u{9b}",
        "zwj👩\u{200D}💻",
        "https://example.com/\u{200B}",
        "a\u{200B}@b.co",
    ];
    for value in samples {
        let mut text_errors = Vec::new();
        required_text(&mut text_errors, "quoted_passage", value, 2000, "it");
        let server_text_ok = text_errors.is_empty();
        assert_eq!(
            allows(&props["quoted_passage"], value),
            server_text_ok,
            "schema and server disagree on {value:?}"
        );
        if allows(&props["quoted_passage"], value) {
            assert!(server_text_ok, "schema allows blank {value:?}");
        }
        if allows(&props["email"], value) {
            assert!(
                value.trim().is_empty() || (is_email(value) && email("email", value).is_empty()),
                "email {value:?}"
            );
        }
        if allows(&props["source_url"], value) {
            assert!(
                value.trim().is_empty() || (is_web_url(value) && url("url", value).is_empty()),
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
