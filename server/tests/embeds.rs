//! The embeds for partners' pages: rendered on request under their own policy, framable by
//! the origins `--embed-ancestors` names while the rest of the site is not.

mod common;

use common::{get, site, site_with, SEED_SLUG};

const EMBED_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors *";

#[tokio::test]
async fn embeds_are_plain_pages_any_site_may_frame() {
    let site = site().await;
    let reply = site.send(get("/embed/headlines/europe")).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-security-policy"), Some(EMBED_POLICY));
    assert_eq!(reply.header("cache-control"), Some("no-cache"));
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    assert!(reply.header("set-cookie").is_none());
    let html = String::from_utf8_lossy(&reply.body).into_owned();
    assert_eq!(html.matches("data-embed-item").count(), 10, "{html}");
    assert!(!html.contains(".wasm"));
    assert!(html.contains(r#"target="_blank" rel="noopener""#));

    // Revalidated (the browser's second embed of the same page), it keeps its own policy.
    let tag = reply.header("etag").unwrap().to_owned();
    let again = site
        .send(
            common::request(axum::http::Method::GET, "/embed/headlines/europe")
                .header("if-none-match", tag)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, 304);
    assert_eq!(again.header("content-security-policy"), Some(EMBED_POLICY));

    let all = site.send(get("/embed/headlines")).await;
    assert_eq!(all.status, 200);
    let card = site
        .send(get(&format!("/embed/articles/{SEED_SLUG}")))
        .await;
    assert_eq!(card.status, 200);
    assert!(String::from_utf8_lossy(&card.body).contains("Russia Lays Out Demands"));

    for missing in [
        "/embed/articles/no-such-article",
        "/embed/headlines/no-such-section",
    ] {
        let reply = site.send(get(missing)).await;
        assert_eq!(reply.status, 404, "{missing}");
        assert_eq!(reply.header("content-security-policy"), Some(EMBED_POLICY));
    }
}

#[tokio::test]
async fn the_rest_of_the_site_is_framed_by_itself_only() {
    let site = site_with(|options| {
        options.embed_ancestors = vec!["https://partner.example".into()];
    })
    .await;
    let embed = site
        .send(get(&format!("/embed/articles/{SEED_SLUG}")))
        .await;
    assert!(embed
        .header("content-security-policy")
        .unwrap()
        .ends_with("frame-ancestors https://partner.example"));
    for path in [
        format!("/articles/{SEED_SLUG}"),
        "/".to_owned(),
        "/embed/no/such/page".to_owned(),
        "/api/v1/site.json".to_owned(),
    ] {
        let reply = site.send(get(&path)).await;
        let policy = reply.header("content-security-policy").unwrap_or_default();
        assert!(
            policy.contains("frame-ancestors 'self'"),
            "{path}: {policy}"
        );
        assert!(!policy.contains("partner.example"), "{path}: {policy}");
    }
}

#[tokio::test]
async fn the_homepage_names_its_oembed_answer_the_latest_headlines() {
    let site = site().await;
    let page = site.send(get("/")).await;
    let html = String::from_utf8_lossy(&page.body).into_owned();
    assert!(
        html.contains(r#"href="/api/v1/oembed/headlines.json" type="application/json+oembed""#),
        "{html}"
    );
    let answer = site.send(get("/api/v1/oembed/headlines.json")).await;
    assert_eq!(answer.status, 200);
    let file = answer.json();
    assert_eq!(file["type"], "rich");
    assert!(file["html"].as_str().unwrap().contains("/embed/headlines"));
    // The same answer as the endpoint gives for the homepage's address.
    let asked = site
        .send(get(
            "/api/v1/oembed?url=http%3A%2F%2F127.0.0.1%2F&format=json",
        ))
        .await;
    assert_eq!(
        asked.status,
        200,
        "{}",
        String::from_utf8_lossy(&asked.body)
    );
    assert_eq!(asked.json(), file);
}

#[tokio::test]
async fn article_pages_name_their_oembed_answer() {
    let site = site().await;
    let page = site.send(get(&format!("/articles/{SEED_SLUG}"))).await;
    let html = String::from_utf8_lossy(&page.body).into_owned();
    assert!(
        html.contains(&format!(
            r#"href="/api/v1/oembed/articles/{SEED_SLUG}.json" type="application/json+oembed""#
        )),
        "{html}"
    );
    let answer = site
        .send(get(&format!("/api/v1/oembed/articles/{SEED_SLUG}.json")))
        .await;
    assert_eq!(answer.status, 200);
    let json = answer.json();
    assert_eq!(json["type"], "rich");
    assert!(json["html"]
        .as_str()
        .unwrap()
        .contains(&format!("/embed/articles/{SEED_SLUG}")));
}
