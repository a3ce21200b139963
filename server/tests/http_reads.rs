//! The read endpoints and the app's files over HTTP, against a real SQLite file: content,
//! `ETag`s and `304`s, compression, cache lifetimes, security headers and CORS for reads.

mod common;

use axum::body::Body;
use axum::http::{header, Method, StatusCode};
use common::{get, request, site, Reply, SEED_SLUG, TRUNK_SCRIPT};
use std::io::Read;

const CSP_FIXED_PARTS: [&str; 10] = [
    "default-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: https:",
    "media-src 'self' https:",
    "connect-src 'self'",
    "frame-ancestors 'self'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
];

fn assert_security_headers(reply: &Reply) {
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(
        reply.header("referrer-policy"),
        Some("strict-origin-when-cross-origin")
    );
    let csp = reply.header("content-security-policy").expect("a CSP");
    for part in CSP_FIXED_PARTS {
        assert!(csp.contains(part), "{part} missing from {csp}");
    }
}

#[tokio::test]
async fn every_read_endpoint_answers_with_the_contract_shapes() {
    let site = site().await;
    let reply = site.send(get("/api/v1/site.json")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["name"], "Budapest Post");

    let index = site.send(get("/api/v1/articles/index.json")).await.json();
    let page1 = site.send(get("/api/v1/articles/page/1.json")).await.json();
    assert_eq!(index, page1, "index.json is page 1");
    assert_eq!(index["total_articles"], 51);
    assert_eq!(index["total_pages"], 3);
    assert_eq!(index["articles"].as_array().unwrap().len(), 20);
    assert_eq!(index["next"], "/api/v1/articles/page/2.json");
    assert!(!index["sections"].as_array().unwrap().is_empty());
    let dates: Vec<&str> = index["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["published_at"].as_str().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let page3 = site.send(get("/api/v1/articles/page/3.json")).await.json();
    assert_eq!(page3["articles"].as_array().unwrap().len(), 11);
    assert!(page3.get("next").is_none());

    let article = site
        .send(get(&format!("/api/v1/articles/{SEED_SLUG}.json")))
        .await
        .json();
    assert_eq!(article["slug"], SEED_SLUG);
    assert!(article["body"]
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b["type"] == "explainer"));
    assert_eq!(article["related_total"], 50);
    let related = site
        .send(get(&format!("/api/v1/articles/{SEED_SLUG}/related.json")))
        .await
        .json();
    assert_eq!(related["related"].as_array().unwrap().len(), 50);
}

#[tokio::test]
async fn unknown_things_are_404_in_the_error_shape() {
    let site = site().await;
    for uri in [
        "/api/v1/articles/no-such-article.json",
        "/api/v1/articles/no-such-article/related.json",
        "/api/v1/articles/page/4.json",
        "/api/v1/articles/page/0.json",
        "/api/v1/articles/page/x.json",
        "/api/v1/articles/no-extension",
        "/api/v1/no/such/path",
        "/api/v2/site.json",
    ] {
        let reply = site.send(get(uri)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(reply.error_code(), "not_found", "{uri}");
        assert_security_headers(&reply);
    }
}

#[tokio::test]
async fn reads_carry_etags_and_answer_304_to_every_if_none_match_form() {
    let site = site().await;
    let uri = format!("/api/v1/articles/{SEED_SLUG}.json");
    let first = site.send(get(&uri)).await;
    let etag = first.header("etag").unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.len() > 10, "strong: {etag}");
    assert_eq!(
        first.header("cache-control"),
        Some("public, max-age=60, stale-while-revalidate=300")
    );
    assert_eq!(site.send(get(&uri)).await.header("etag"), Some(&*etag));
    let opaque = etag.trim_matches('"');
    for condition in [
        etag.clone(),
        format!("W/{etag}"),
        format!("\"nope\", {etag}"),
        format!("\"{opaque}-gzip\""),
        "*".to_owned(),
    ] {
        let conditional = request(Method::GET, &uri)
            .header(header::IF_NONE_MATCH, &condition)
            .body(Body::empty())
            .unwrap();
        let reply = site.send(conditional).await;
        assert_eq!(reply.status, StatusCode::NOT_MODIFIED, "{condition}");
        assert!(reply.body.is_empty());
        assert!(reply.header("etag").is_some());
        assert!(reply.header("cache-control").is_some());
    }
    let stale = request(Method::GET, &uri)
        .header(header::IF_NONE_MATCH, "\"0123\"")
        .body(Body::empty())
        .unwrap();
    assert_eq!(site.send(stale).await.status, StatusCode::OK);
    let head = request(Method::HEAD, &uri).body(Body::empty()).unwrap();
    let head = site.send(head).await;
    assert_eq!(head.status, StatusCode::OK);
    assert_eq!(head.header("etag"), Some(&*etag), "HEAD tags like GET");
    assert!(head.body.is_empty());
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli_decompressor::Decompressor::new(bytes, 4096)
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[tokio::test]
async fn json_and_assets_are_compressed_with_gzip_and_brotli() {
    let site = site().await;
    for uri in [
        "/api/v1/articles/index.json".to_owned(),
        format!("/api/v1/articles/{SEED_SLUG}.json"),
        "/budapest-post-0123456789abcdef_bg.wasm".to_owned(),
        "/budapest-post-0123456789abcdef.js".to_owned(),
        "/main-0123456789abcdef.css".to_owned(),
    ] {
        let plain = site.send(get(&uri)).await;
        assert_eq!(plain.status, StatusCode::OK);
        assert!(plain.header("content-encoding").is_none());
        for (encoding, decode) in [("gzip", gunzip as fn(&[u8]) -> Vec<u8>), ("br", unbrotli)] {
            let compressed = request(Method::GET, &uri)
                .header(header::ACCEPT_ENCODING, encoding)
                .body(Body::empty())
                .unwrap();
            let reply = site.send(compressed).await;
            assert_eq!(reply.header("content-encoding"), Some(encoding), "{uri}");
            assert!(reply.body.len() < plain.body.len(), "{uri} {encoding}");
            assert_eq!(decode(&reply.body), plain.body, "{uri} {encoding}");
            assert!(reply
                .header("vary")
                .is_some_and(|v| v.to_ascii_lowercase().contains("accept-encoding")));
            if let Some(tag) = plain.header("etag") {
                let marked = format!("{}-{encoding}\"", tag.trim_end_matches('"'));
                assert_eq!(reply.header("etag"), Some(&*marked), "{uri}");
            }
        }
    }
}

#[tokio::test]
async fn a_files_precompressed_forms_are_sent_as_they_are() {
    let site = site().await;
    let wasm = "/budapest-post-0123456789abcdef_bg.wasm";
    let on_disk = site
        .dir
        .path()
        .join("dist")
        .join(wasm.trim_start_matches('/'));
    // What a release build writes beside the file; marked, so that an answer compressed as it
    // goes cannot pass for them.
    std::fs::write(on_disk.with_extension("wasm.br"), b"the build's brotli").unwrap();
    std::fs::write(on_disk.with_extension("wasm.gz"), b"the build's gzip").unwrap();
    for (accepted, encoding, body) in [
        ("gzip, deflate, br", "br", &b"the build's brotli"[..]),
        ("gzip", "gzip", &b"the build's gzip"[..]),
    ] {
        let reply = site
            .send(
                request(Method::GET, wasm)
                    .header(header::ACCEPT_ENCODING, accepted)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{accepted}");
        assert_eq!(reply.header("content-encoding"), Some(encoding));
        assert_eq!(&reply.body[..], body, "{accepted}");
        assert_eq!(reply.header("content-type"), Some("application/wasm"));
        assert_eq!(reply.header("vary"), Some("accept-encoding"), "{accepted}");
        assert_eq!(
            reply.header("cache-control"),
            Some("public, max-age=31536000, immutable")
        );
        assert_security_headers(&reply);
    }
    let plain = site.send(get(wasm)).await;
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.body, std::fs::read(&on_disk).unwrap());
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_the_page_is_not_cached() {
    let site = site().await;
    for uri in [
        "/budapest-post-0123456789abcdef_bg.wasm",
        "/budapest-post-0123456789abcdef.js",
        "/main-0123456789abcdef.css",
    ] {
        let reply = site.send(get(uri)).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}");
        assert_eq!(
            reply.header("cache-control"),
            Some("public, max-age=31536000, immutable"),
            "{uri}"
        );
        assert_security_headers(&reply);
    }
    let wasm = site
        .send(get("/budapest-post-0123456789abcdef_bg.wasm"))
        .await;
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    for uri in ["/", "/index.html", &format!("/articles/{SEED_SLUG}")] {
        let reply = site.send(get(uri)).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}");
        assert_eq!(reply.header("cache-control"), Some("no-cache"), "{uri}");
        assert!(String::from_utf8_lossy(&reply.body).contains("<script type=\"module\">"));
        assert!(reply.header("etag").is_some());
    }
    // Unknown pages are the not-found page, with its status, not a soft 404.
    for uri in ["/articles/some-article", "/about", "/articles/Not_A_Slug/x"] {
        let reply = site.send(get(uri)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(reply.header("cache-control"), Some("no-cache"), "{uri}");
        let html = String::from_utf8_lossy(&reply.body);
        assert!(html.contains("data-testid=\"not-found\""), "{uri}");
        assert!(html.contains("<script type=\"module\">"), "{uri}");
    }
    let favicon = site.send(get("/favicon.svg")).await;
    assert_eq!(
        favicon.header("cache-control"),
        Some("public, max-age=3600")
    );
    let missing = site.send(get("/budapest-post-ffffffffffffffff.js")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn the_page_allows_exactly_its_own_inline_script() {
    use base64::Engine as _;
    use sha2::Digest as _;
    let site = site().await;
    let hash = base64::engine::general_purpose::STANDARD
        .encode(sha2::Sha256::digest(TRUNK_SCRIPT.as_bytes()));
    let page = site.send(get("/")).await;
    let csp = page.header("content-security-policy").unwrap();
    assert!(
        csp.contains(&format!(
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-{hash}';"
        )),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"));
    assert_security_headers(&page);
    // A rebuilt app is allowed at once: the hash comes from the page being served.
    let index = site.dir.path().join("dist/index.html");
    let html = std::fs::read_to_string(&index)
        .unwrap()
        .replace(TRUNK_SCRIPT, "console.log('rebuilt')");
    std::fs::write(&index, html).unwrap();
    let hash = base64::engine::general_purpose::STANDARD
        .encode(sha2::Sha256::digest(b"console.log('rebuilt')"));
    let csp = site.send(get("/articles/x")).await;
    assert!(csp
        .header("content-security-policy")
        .unwrap()
        .contains(&hash));
}

#[tokio::test]
async fn frame_ancestors_and_connect_src_are_configurable() {
    let site = common::site_with(|o| {
        o.frame_ancestors = vec!["'self'".into(), "https://partner.example".into()];
        o.api_origins = vec!["https://api.budapest-post.example".into()];
    })
    .await;
    for uri in ["/", "/api/v1/site.json"] {
        let reply = site.send(get(uri)).await;
        let csp = reply.header("content-security-policy").unwrap();
        assert!(csp.contains("frame-ancestors 'self' https://partner.example;"));
        assert!(csp.contains("connect-src 'self' https://api.budapest-post.example;"));
    }
}

#[tokio::test]
async fn anyone_may_read_from_any_origin() {
    let site = site().await;
    let cross = request(Method::GET, "/api/v1/site.json")
        .header(header::ORIGIN, "https://elsewhere.example")
        .body(Body::empty())
        .unwrap();
    let reply = site.send(cross).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    let exposed = reply
        .header("access-control-expose-headers")
        .unwrap()
        .to_ascii_lowercase();
    assert!(exposed.contains("etag") && exposed.contains("retry-after"));
    let preflight = request(Method::OPTIONS, "/api/v1/articles/index.json")
        .header(header::ORIGIN, "https://elsewhere.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "if-none-match")
        .body(Body::empty())
        .unwrap();
    let reply = site.send(preflight).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.is_empty());
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    assert_eq!(reply.header("access-control-max-age"), Some("600"));
    assert!(reply
        .header("access-control-allow-methods")
        .unwrap()
        .contains("GET"));
    assert_eq!(
        reply.header("access-control-allow-headers"),
        Some("if-none-match")
    );
    assert_security_headers(&reply);
}

#[tokio::test]
async fn reports_are_never_readable() {
    let site = site().await;
    site.send(common::post_json(
        "/api/v1/reports",
        &common::report("a-report-key-00000001"),
    ))
    .await;
    for uri in [
        "/api/v1/reports",
        "/api/v1/reports/1",
        "/api/v1/reports.json",
        "/api/v1/newsletter",
    ] {
        let reply = site.send(get(uri)).await;
        assert!(
            matches!(
                reply.status,
                StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED
            ),
            "{uri}: {}",
            reply.status
        );
        let code = reply.error_code();
        assert!(code == "not_found" || code == "method_not_allowed");
        let text = String::from_utf8_lossy(&reply.body);
        assert!(!text.contains("fFreign"), "{uri} leaks a report");
    }
}

#[tokio::test]
async fn wrong_methods_are_405_in_the_error_shape() {
    let site = site().await;
    for (method, uri, allow) in [
        (Method::GET, "/api/v1/reports", "POST"),
        (Method::DELETE, "/api/v1/site.json", "GET,HEAD"),
        (Method::PUT, "/api/v1/newsletter", "POST"),
        (Method::POST, "/api/v1/articles/index.json", "GET,HEAD"),
    ] {
        let reply = site
            .send(request(method.clone(), uri).body(Body::empty()).unwrap())
            .await;
        assert_eq!(
            reply.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {uri}"
        );
        assert_eq!(reply.error_code(), "method_not_allowed");
        assert_eq!(reply.header("allow"), Some(allow), "{method} {uri}");
    }
}
