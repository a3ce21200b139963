//! The sample content exported at the site's root: every file, and what each page holds.

mod common;

use std::path::Path;

use budapest_post_contract::{Article, ArticleList, RelatedList, Site};
use common::*;
use serde_json::Value;

/// Every slug, from the exported list pages.
fn slugs(out: &Path) -> Vec<String> {
    let first: ArticleList =
        serde_json::from_str(&read(out, "api/v1/articles/index.json")).unwrap();
    (1..=first.total_pages)
        .flat_map(|page| {
            let list: ArticleList =
                serde_json::from_str(&read(out, &format!("api/v1/articles/page/{page}.json")))
                    .unwrap();
            list.articles.into_iter().map(|a| a.slug)
        })
        .collect()
}

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                count_files(&entry.path())
            } else {
                1
            }
        })
        .sum()
}

#[test]
fn every_file_is_written() {
    let dist = fake_dist();
    let out = tempfile::tempdir().unwrap();
    let report = run(&options(dist.path(), out.path()));
    let out = out.path();
    assert_eq!(report.articles, 51);
    assert_eq!(
        report.files,
        count_files(out),
        "the report counts what is there"
    );

    // 1. The app bundle, as is (but robots.txt, which the export writes itself).
    for asset in [JS, WASM, CSS, "favicon.svg"] {
        assert_eq!(
            std::fs::read(out.join(asset)).unwrap(),
            std::fs::read(dist.path().join(asset)).unwrap(),
            "{asset}"
        );
    }

    // 2. The read API, each body the contract type's own serialisation.
    let site: Site = serde_json::from_str(&read(out, "api/v1/site.json")).unwrap();
    assert_eq!(
        serde_json::to_string(&site).unwrap(),
        read(out, "api/v1/site.json")
    );
    let index = read(out, "api/v1/articles/index.json");
    assert_eq!(index, read(out, "api/v1/articles/page/1.json"));
    let first: ArticleList = serde_json::from_str(&index).unwrap();
    assert_eq!(first.total_pages, 3);
    assert!(out.join("api/v1/articles/page/3.json").is_file());
    assert!(!out.join("api/v1/articles/page/4.json").exists());
    let slugs = slugs(out);
    assert_eq!(slugs.len(), 51);
    for slug in &slugs {
        let json = read(out, &format!("api/v1/articles/{slug}.json"));
        let article: Article = serde_json::from_str(&json).unwrap();
        assert_eq!(serde_json::to_string(&article).unwrap(), json);
        let json = read(out, &format!("api/v1/articles/{slug}/related.json"));
        let related: RelatedList = serde_json::from_str(&json).unwrap();
        assert_eq!(serde_json::to_string(&related).unwrap(), json);

        // 3. Every article's page; a related page for the one with related articles.
        assert!(out.join(format!("articles/{slug}/index.html")).is_file());
        assert_eq!(
            out.join(format!("articles/{slug}/related/index.html"))
                .is_file(),
            !related.related.is_empty(),
            "{slug}"
        );
    }
    for page in ["index.html", "contact/index.html", "404.html"] {
        assert!(out.join(page).is_file(), "{page}");
    }

    // 4. Crawlers' and browsers' files.
    for file in [
        "sitemap.xml",
        "feed.xml",
        "robots.txt",
        "manifest.webmanifest",
        "icon-192.png",
        "icon-512.png",
    ] {
        assert!(out.join(file).is_file(), "{file}");
    }
    assert!(std::fs::read(out.join("icon-512.png"))
        .unwrap()
        .starts_with(b"\x89PNG\r\n\x1a\n"));
}

#[test]
fn an_article_page_is_readable_and_described_without_the_app() {
    let dist = fake_dist();
    let out = tempfile::tempdir().unwrap();
    run(&options(dist.path(), out.path()));
    let out = out.path();
    let json = read(out, &format!("api/v1/articles/{SEED}.json"));
    let article: Article = serde_json::from_str(&json).unwrap();
    let html = read(out, &format!("articles/{SEED}/index.html"));

    // The content, in the first response.
    let body = &html[html.find("<body>").unwrap()..];
    assert!(body.contains(&format!(
        "<h1 class=\"article__headline\">{}</h1>",
        as_text(&article.summary.headline)
    )));
    assert!(body.contains(&as_text(article.summary.standfirst.as_deref().unwrap())));
    assert!(body.contains("The Russian fFreign Ministry had earlier demanded"));
    assert!(body.contains(&as_text(article.credit.as_deref().unwrap())));
    assert!(!article.related.is_empty());
    for related in &article.related {
        assert!(
            body.contains(&as_text(&related.headline)),
            "{}",
            related.headline
        );
    }
    assert!(!html.contains("<noscript"));

    // The head.
    let description = as_attribute(article.summary.standfirst.as_deref().unwrap());
    assert_eq!(html.matches("<title>").count(), 1);
    assert!(html.contains(&format!(
        "<title>{}</title>",
        as_attribute(&article.summary.headline)
    )));
    assert_eq!(
        meta(&html, "name", "description"),
        Some(description.as_str())
    );
    let url = format!("/articles/{SEED}");
    assert_eq!(link(&html, "canonical"), Some(url.as_str()));
    assert_eq!(meta(&html, "property", "og:type"), Some("article"));
    assert_eq!(
        meta(&html, "property", "og:title"),
        Some(as_attribute(&article.summary.headline).as_str())
    );
    assert_eq!(
        meta(&html, "property", "og:description"),
        Some(description.as_str())
    );
    assert_eq!(meta(&html, "property", "og:url"), Some(url.as_str()));
    assert_eq!(
        meta(&html, "property", "og:site_name"),
        Some("Budapest Post")
    );
    assert_eq!(meta(&html, "name", "twitter:card"), Some("summary"));
    assert_eq!(
        meta(&html, "name", "twitter:title"),
        Some(as_attribute(&article.summary.headline).as_str())
    );
    assert_eq!(
        meta(&html, "name", "twitter:description"),
        Some(description.as_str())
    );
    assert_eq!(link(&html, "alternate"), Some("/feed.xml"));
    assert_eq!(link(&html, "manifest"), Some("/manifest.webmanifest"));
    assert_eq!(meta(&html, "name", "bp-base-path"), Some(""));
    assert_eq!(meta(&html, "name", "bp-api-base"), Some(""));

    // NewsArticle JSON-LD.
    let ld = scripts(&html, "application/ld+json");
    assert_eq!(ld.len(), 1);
    assert!(!ld[0].1.contains('<'));
    let ld: Value = serde_json::from_str(ld[0].1).unwrap();
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(ld["headline"], article.summary.headline.as_str());
    assert_eq!(
        ld["description"],
        article.summary.standfirst.as_deref().unwrap()
    );
    assert_eq!(ld["datePublished"], article.summary.published_at.as_str());
    assert_eq!(
        ld["dateModified"],
        article.summary.updated_at.as_deref().unwrap()
    );
    assert_eq!(ld["articleSection"], article.summary.section.name.as_str());
    assert_eq!(ld["mainEntityOfPage"]["@id"], url.as_str());
    assert_eq!(ld["isAccessibleForFree"], true);
    let publisher = &ld["publisher"];
    assert_eq!(publisher["@type"], "NewsMediaOrganization");
    assert_eq!(publisher["name"], "Budapest Post");
    assert_eq!(publisher["url"], "/");
    assert!(publisher["logo"]["url"].as_str().unwrap().ends_with(".png"));
    assert_eq!(
        publisher["publishingPrinciples"],
        format!("{url}#ai-disclaimer")
    );
    assert_eq!(publisher["correctionsPolicy"], "/contact");

    // The page is complete without the app: nothing is embedded for the browser to render it
    // again, only the props of its interactive islands, each a JSON attribute.
    assert!(scripts(&html, "data-bp-preload").is_empty());
    let islands: Vec<&str> = html.split("data-island=\"").skip(1).collect();
    assert!(!islands.is_empty(), "the article page has islands");
    for island in islands {
        let props = island
            .split("data-props=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap();
        let props = props.replace("&quot;", "\"").replace("&amp;", "&");
        serde_json::from_str::<Value>(&props).unwrap();
    }
}

#[test]
fn every_route_has_its_title() {
    let dist = fake_dist();
    let out = tempfile::tempdir().unwrap();
    run(&options(dist.path(), out.path()));
    let out = out.path();
    let headline =
        serde_json::from_str::<Article>(&read(out, &format!("api/v1/articles/{SEED}.json")))
            .unwrap()
            .summary
            .headline;
    let titles = [
        (
            "index.html",
            "Budapest Post — Budapest, Europe and world news".to_owned(),
        ),
        (
            "contact/index.html",
            "Contact Us — Budapest Post".to_owned(),
        ),
        ("404.html", "Page not found — Budapest Post".to_owned()),
        (
            "newsletter/unsubscribe/index.html",
            "Unsubscribe from the newsletter — Budapest Post".to_owned(),
        ),
        (
            &format!("articles/{SEED}/related/index.html"),
            format!("Related to “{headline}” — Budapest Post"),
        ),
    ];
    for (file, title) in titles {
        let html = read(out, file);
        assert!(
            html.contains(&format!("<title>{}</title>", as_attribute(&title))),
            "{file}"
        );
        assert!(
            html.contains("<body><a href=\"#main\" class=\"skip-link\""),
            "{file}"
        );
    }
    let home = read(out, "index.html");
    assert!(home.contains("data-testid=\"lead-story\""));
    assert!(scripts(&home, "data-bp-preload").is_empty());
    assert!(read(out, "404.html").contains("data-testid=\"not-found\""));
    assert_eq!(
        meta(&read(out, "404.html"), "name", "robots"),
        Some("noindex")
    );
    let related = read(out, &format!("articles/{SEED}/related/index.html"));
    assert_eq!(related.matches("class=\"article-list__item\"").count(), 50);
    // A report's status page is written without any report: its own script asks the write
    // API for the report the link's fragment names.
    let status = read(out, "reports/status/index.html");
    assert!(status.contains("<title>Your report — Budapest Post</title>"));
    assert!(status.contains("data-report-status"));
    assert!(
        status.contains("data-api=\"/api/v1/reports/status\""),
        "{status}"
    );
    assert!(
        status.contains("<script src=\"/report-status.js\" defer"),
        "{status}"
    );
    assert!(status.contains("Looking up your report…"));
    assert!(!status.contains("BP-"), "no report in it");
    assert_eq!(meta(&status, "name", "robots"), Some("noindex"));
    assert_eq!(meta(&status, "name", "referrer"), Some("no-referrer"));
}

#[test]
fn sitemap_feed_robots_and_manifest() {
    let dist = fake_dist();
    let out = tempfile::tempdir().unwrap();
    run(&options(dist.path(), out.path()));
    let out = out.path();

    let sitemap = read(out, "sitemap.xml");
    let locs: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap())
        .collect();
    let articles = locs
        .iter()
        .filter(|l| l.starts_with("/articles/") && !l.ends_with("/related"))
        .count();
    assert_eq!(articles, 51);
    assert!(locs.contains(&"/"));
    assert!(locs.contains(&"/contact"));
    assert!(locs.contains(&"/corrections"));
    assert!(locs.contains(&format!("/articles/{SEED}/related").as_str()));
    assert_eq!(locs.len(), 55);
    assert_eq!(
        sitemap.matches("<lastmod>").count(),
        53,
        "all but the contact page"
    );

    let feed = read(out, "feed.xml");
    assert!(feed.starts_with("<?xml"));
    assert!(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    assert_eq!(feed.matches("<entry>").count(), 20);
    assert_eq!(feed.matches("</entry>").count(), 20);
    assert!(feed.trim_end().ends_with("</feed>"));

    let robots = read(out, "robots.txt");
    assert!(robots.contains("Allow: /\n"));
    assert!(
        !robots.contains("Sitemap:"),
        "a sitemap address must be absolute: named only with --site-url"
    );

    let manifest: Value = serde_json::from_str(&read(out, "manifest.webmanifest")).unwrap();
    assert_eq!(manifest["start_url"], "/");
    assert_eq!(manifest["scope"], "/");
    assert_eq!(manifest["display"], "standalone");
    assert_eq!(manifest["icons"][0]["src"], "/favicon.svg");
    assert_eq!(manifest["icons"][0]["sizes"], "any");
}

#[test]
fn a_second_export_into_the_same_folder_needs_force() {
    let dist = fake_dist();
    let out = tempfile::tempdir().unwrap();
    let mut options = options(dist.path(), out.path());
    run(&options);
    std::fs::write(out.path().join("stale.txt"), "from before").unwrap();
    let refused = budapest_post_export::export(&options).unwrap_err();
    assert!(refused.to_string().contains("--force"), "{refused}");
    assert!(out.path().join("stale.txt").exists(), "nothing was touched");
    options.force = true;
    run(&options);
    assert!(!out.path().join("stale.txt").exists(), "emptied first");
    assert!(out.path().join("index.html").is_file());
}

#[test]
fn the_output_may_not_overlap_an_input() {
    let root = tempfile::tempdir().unwrap();
    let dist = root.path().join("dist");
    fake_dist_at(&dist);
    let mut options = options(&dist, &dist.join("site"));
    options.force = true;
    let refused = budapest_post_export::export(&options).unwrap_err();
    assert!(refused.to_string().contains("overlaps"), "{refused}");
    assert!(!dist.join("site").exists(), "nothing was made");
    options.out = root.path().to_owned();
    let refused = budapest_post_export::export(&options).unwrap_err();
    assert!(refused.to_string().contains("overlaps"), "{refused}");
    assert!(dist.join("index.html").is_file(), "nothing was removed");
}
