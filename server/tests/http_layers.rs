//! The layers around every route, with routes only tests mount: a panicking handler answers the
//! contract's `500` and the server carries on, a slow one answers `504`, every response carries
//! the security headers, and each request is logged in one line.

mod common;

use std::sync::Arc;
use std::time::Duration;

use axum::routing::get;
use axum::Router;
use budapest_post_server::config::ServeOptions;
use budapest_post_server::http::{wrap, HttpPolicy};
use common::openapi::{assert_valid, document};
use common::{site_with, Site};
use serde_json::json;

/// A site whose app is `routes` inside the very layers the server puts around its own routes.
async fn site_around(routes: Router, configure: impl Fn(&mut ServeOptions)) -> Site {
    let mut site = site_with(&configure).await;
    let mut options = ServeOptions::new(common::repo_content(), site.dir.path().join("dist"));
    configure(&mut options);
    let real = budapest_post_server::app(site.store.clone(), &options);
    let app = routes.merge(real);
    site.app = wrap(app, Arc::new(HttpPolicy::new(&options)), site.store.clone());
    site
}

async fn panics() -> &'static str {
    let steps: Vec<&str> = Vec::new();
    // An out-of-bounds index: the kind of bug the layer is there for.
    steps[3]
}

#[tokio::test]
async fn a_panicking_handler_answers_500_and_the_server_carries_on() {
    let site = site_around(Router::new().route("/boom", get(panics)), |_| {}).await;
    let reply = site.send(common::get("/boom")).await;
    assert_eq!(reply.status.as_u16(), 500);
    assert_eq!(reply.error_code(), "internal");
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    assert!(reply.header("content-security-policy").is_some());
    let doc = document(&site).await;
    let internal =
        &doc["components"]["responses"]["Internal"]["content"]["application/json"]["schema"];
    assert_valid(&doc, internal, &reply.json(), "the panic's 500");
    for _ in 0..3 {
        assert_eq!(site.send(common::get("/boom")).await.status.as_u16(), 500);
        let after = site.send(common::get("/api/v1/site.json")).await;
        assert_eq!(after.status.as_u16(), 200, "the server still answers");
    }
}

#[tokio::test]
async fn no_route_panics_on_purpose_in_the_real_site() {
    let site = common::site().await;
    // An unknown page: the not-found page, not a crash.
    assert_eq!(site.send(common::get("/boom")).await.status.as_u16(), 404);
    let reply = site.send(common::get("/api/v1/boom")).await;
    assert_eq!(reply.status.as_u16(), 404);
}

async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_secs(3600)).await;
    "too late"
}

#[tokio::test(start_paused = true)]
async fn a_request_over_its_time_limit_answers_504() {
    let site = site_around(Router::new().route("/slow", get(slow)), |o| {
        o.request_timeout_seconds = 2;
    })
    .await;
    let reply = site.send(common::get("/slow")).await;
    assert_eq!(reply.status.as_u16(), 504);
    assert_eq!(reply.error_code(), "timeout");
    let doc = document(&site).await;
    let timeout =
        &doc["components"]["responses"]["Timeout"]["content"]["application/json"]["schema"];
    assert_valid(&doc, timeout, &reply.json(), "the timeout's 504");
    let reply = site.send(common::get("/api/v1/site.json")).await;
    assert_eq!(reply.status.as_u16(), 200);
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_hsts_only_when_asked() {
    let plain = common::site().await;
    let hsts = site_with(|o| o.hsts = true).await;
    for uri in [
        "/",
        "/api/v1/site.json",
        "/api/v1/nope",
        "/favicon.svg",
        "/missing.js",
    ] {
        let reply = plain.send(common::get(uri)).await;
        assert_eq!(
            reply.header("x-content-type-options"),
            Some("nosniff"),
            "{uri}"
        );
        assert_eq!(
            reply.header("referrer-policy"),
            Some("strict-origin-when-cross-origin")
        );
        let permissions = reply.header("permissions-policy").unwrap();
        for denied in [
            "camera=()",
            "microphone=()",
            "geolocation=()",
            "payment=()",
            "usb=()",
        ] {
            assert!(permissions.contains(denied), "{uri}: {permissions}");
        }
        assert!(reply.header("strict-transport-security").is_none(), "{uri}");
        let reply = hsts.send(common::get(uri)).await;
        assert_eq!(
            reply.header("strict-transport-security"),
            Some("max-age=31536000"),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn a_cross_origin_write_from_an_allowed_origin_is_marked_for_it() {
    let site = site_with(|o| o.allowed_origins = vec!["https://partner.example".into()]).await;
    let mut request = common::post_json("/api/v1/newsletter", &json!({ "email": "p@example.com" }));
    request
        .headers_mut()
        .insert("origin", "https://partner.example".parse().unwrap());
    let reply = site.send(request).await;
    assert_eq!(reply.status.as_u16(), 201);
    assert_eq!(
        reply.header("access-control-allow-origin"),
        Some("https://partner.example")
    );
    assert!(reply
        .header("access-control-expose-headers")
        .is_some_and(|h| h.to_ascii_lowercase().contains("retry-after")));
}
