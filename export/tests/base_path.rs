//! The sample content exported for `https://budapestpost.example/news/`, with forms posting
//! to an API at another origin.

mod common;

use common::*;
use serde_json::Value;

const SITE: &str = "https://budapestpost.example";

fn export_under_news() -> (tempfile::TempDir, tempfile::TempDir) {
    let dist = fake_dist();
    let out = tempfile::tempdir().unwrap();
    let mut options = options(dist.path(), out.path());
    options.base_path = "/news/".into();
    options.site_url = format!("{SITE}/");
    options.api_write_base = "https://api.example.org".into();
    let report = run(&options);
    assert_eq!(report.articles, 51);
    (dist, out)
}

#[test]
fn assets_links_and_settings_move_under_the_base_path() {
    let (_dist, out) = export_under_news();
    let out = out.path();
    // The folder layout is the same: the host maps /news/ to it.
    assert!(out.join("api/v1/articles/index.json").is_file());
    assert!(out.join(format!("articles/{SEED}/index.html")).is_file());
    assert!(out.join(JS).is_file());

    for page in [
        "index.html".to_owned(),
        "404.html".to_owned(),
        "contact/index.html".to_owned(),
        format!("articles/{SEED}/index.html"),
        format!("articles/{SEED}/related/index.html"),
    ] {
        let html = read(out, &page);
        // The app starts after the first paint, from its addresses under the base path.
        assert!(html.contains(&format!("import(\"/news/{JS}\")")), "{page}");
        assert!(html.contains(&format!("fetch(\"/news/{WASM}\"")), "{page}");
        assert!(!html.contains("preload"), "{page}");
        assert!(html.contains(&format!("href=\"/news/{CSS}\"")), "{page}");
        assert!(html.contains("href=\"/news/favicon.svg\""), "{page}");
        assert!(!html.contains(&format!("'/{JS}'")), "{page}");
        assert!(!html.contains(&format!("\"/{JS}\"")), "{page}");
        assert!(!html.contains(&format!("\"/{CSS}\"")), "{page}");
        assert_eq!(meta(&html, "name", "bp-base-path"), Some("/news"), "{page}");
        assert_eq!(meta(&html, "name", "bp-api-base"), Some("/news"), "{page}");
        assert_eq!(
            meta(&html, "name", "bp-api-write-base"),
            Some("https://api.example.org"),
            "{page}"
        );
        assert_eq!(meta(&html, "name", "bp-site-url"), Some(SITE), "{page}");
        assert_eq!(link(&html, "alternate"), Some("/news/feed.xml"), "{page}");
        assert_eq!(
            link(&html, "manifest"),
            Some("/news/manifest.webmanifest"),
            "{page}"
        );
        // The app's own links follow the base path too.
        assert!(html.contains("href=\"/news/contact\""), "{page}");
        assert!(!html.contains("href=\"/contact\""), "{page}");
    }
}

#[test]
fn addresses_are_absolute_with_the_site_url() {
    let (_dist, out) = export_under_news();
    let out = out.path();
    let url = format!("{SITE}/news/articles/{SEED}");
    let html = read(out, &format!("articles/{SEED}/index.html"));
    assert_eq!(link(&html, "canonical"), Some(url.as_str()));
    assert_eq!(meta(&html, "property", "og:url"), Some(url.as_str()));
    assert!(html.contains(&format!("href=\"/news/articles/{SEED}/related\"")));
    let ld = scripts(&html, "application/ld+json");
    let ld: Value = serde_json::from_str(ld[0].1).unwrap();
    assert_eq!(ld["mainEntityOfPage"]["@id"], url.as_str());
    assert_eq!(ld["publisher"]["url"], format!("{SITE}/news/"));
    assert_eq!(
        ld["publisher"]["publishingPrinciples"],
        format!("{url}#ai-disclaimer")
    );
    assert_eq!(
        ld["publisher"]["correctionsPolicy"],
        format!("{SITE}/news/contact")
    );
    assert_eq!(
        ld["publisher"]["logo"]["url"],
        format!("{SITE}/news/icon-512.png")
    );

    let home = read(out, "index.html");
    assert_eq!(
        link(&home, "canonical"),
        Some(format!("{SITE}/news/").as_str())
    );
    assert!(home.contains(&format!("href=\"/news/articles/{SEED}\"")));

    let sitemap = read(out, "sitemap.xml");
    let locs: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap())
        .collect();
    assert_eq!(locs.len(), 55);
    assert!(locs.iter().all(|l| l.starts_with(&format!("{SITE}/news/"))));
    assert_eq!(
        locs.iter()
            .filter(|l| l.contains("/articles/") && !l.ends_with("/related"))
            .count(),
        51
    );

    let feed = read(out, "feed.xml");
    assert_eq!(feed.matches("<entry>").count(), 20);
    assert!(feed.contains(&format!(
        "<link href=\"{SITE}/news/feed.xml\" rel=\"self\" type=\"application/atom+xml\"/>"
    )));
    let newest: budapest_post_contract::ArticleList =
        serde_json::from_str(&read(out, "api/v1/articles/index.json")).unwrap();
    let newest = format!("{SITE}/news/articles/{}", newest.articles[0].slug);
    assert!(feed.contains(&format!("<id>{newest}</id>")), "{feed}");

    assert!(read(out, "robots.txt").contains(&format!("Sitemap: {SITE}/news/sitemap.xml\n")));
    let manifest: Value = serde_json::from_str(&read(out, "manifest.webmanifest")).unwrap();
    assert_eq!(manifest["start_url"], "/news/");
    assert_eq!(manifest["scope"], "/news/");
    assert_eq!(manifest["icons"][0]["src"], "/news/favicon.svg");
    assert_eq!(manifest["icons"][1]["src"], "/news/icon-192.png");
}

#[test]
fn a_site_url_without_a_scheme_is_refused() {
    let dist = fake_dist();
    let out = tempfile::tempdir().unwrap();
    let mut options = options(dist.path(), out.path());
    options.site_url = "budapestpost.example".into();
    let refused = budapest_post_export::export(&options).unwrap_err();
    assert!(refused.to_string().contains("--site-url"), "{refused}");
}

#[test]
fn embeds_and_oembed_files_are_written_under_the_base_path() {
    let (_dist, out) = export_under_news();
    let out = out.path();
    let headlines = read(out, "embed/headlines/europe/index.html");
    assert!(headlines.contains(r#"<link rel="stylesheet" href="/news/embed/frame.css">"#));
    assert!(headlines.contains(r#"<script src="/news/embed/frame.js"></script>"#));
    assert_eq!(headlines.matches("data-embed-item").count(), 10);
    assert!(headlines.contains(r#"href="/news/articles/"#));
    assert!(!headlines.contains(&format!("/news/{WASM}")));
    assert!(out.join("embed/headlines/index.html").is_file());
    assert!(out.join("embed/headlines/world/index.html").is_file());
    let card = read(out, &format!("embed/articles/{SEED}/index.html"));
    assert!(card.contains(&format!(
        r#"href="/news/articles/{SEED}" target="_blank" rel="noopener""#
    )));
    let oembed: Value =
        serde_json::from_str(&read(out, &format!("api/v1/oembed/articles/{SEED}.json"))).unwrap();
    assert_eq!(oembed["type"], "rich");
    assert!(oembed["html"]
        .as_str()
        .unwrap()
        .contains(&format!("src=\"{SITE}/news/embed/articles/{SEED}\"")));
    let article = read(out, &format!("articles/{SEED}/index.html"));
    assert!(article.contains(&format!(
        r#"href="{SITE}/news/api/v1/oembed/articles/{SEED}.json" type="application/json+oembed""#
    )));
}
