//! Helpers for the export tests: a fake Trunk output and readers of the exported folder.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use budapest_post_export::{export, Options, Report, Source};

/// The seed article's slug.
pub const SEED: &str = "russia-lays-out-demands-for-a-sweeping-new-security-deal-with-nato";

/// The fake bundle's hashed file names.
pub const JS: &str = "budapest-post-0123456789abcdef.js";
/// The fake bundle's wasm.
pub const WASM: &str = "budapest-post-0123456789abcdef_bg.wasm";
/// The fake bundle's stylesheet.
pub const CSS: &str = "main-0123456789abcdef.css";

/// The repository's sample content.
pub fn content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

/// A folder shaped like Trunk's release output: `index.html` and its hashed assets.
pub fn fake_dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fake_dist_at(dir.path());
    dir
}

/// Writes a folder shaped like Trunk's release output at `dir`.
pub fn fake_dist_at(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let index = format!(
        r#"<!DOCTYPE html>
<html lang="en-GB">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="bp-api-base" content="" />
    <title>Budapest Post</title>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
    <link rel="stylesheet" href="/{CSS}" integrity="sha384-x"/>
<script type="module">
import init, * as bindings from '/{JS}';
const wasm = await init({{ module_or_path: '/{WASM}' }});
</script>
  <link rel="modulepreload" href="/{JS}" crossorigin="anonymous"><link rel="preload" href="/{WASM}" as="fetch" type="application/wasm"></head>
  <body>
    <noscript>
      <p>The Budapest Post needs JavaScript to show the news in this version of the site.</p>
    </noscript>
  </body>
</html>
"#
    );
    std::fs::write(dir.join("index.html"), index).unwrap();
    std::fs::write(dir.join(JS), "export default function init() {}").unwrap();
    std::fs::write(dir.join(WASM), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dir.join(CSS), "body { margin: 0 }").unwrap();
    std::fs::write(dir.join("favicon.svg"), "<svg/>").unwrap();
    std::fs::write(dir.join("robots.txt"), "User-agent: *\n").unwrap();
    // The app's real icons, as Trunk copies them from public/.
    for icon in ["icon-192.png", "icon-512.png"] {
        let public = Path::new(env!("CARGO_MANIFEST_DIR")).join("../public");
        std::fs::copy(public.join(icon), dir.join(icon)).unwrap();
    }
}

/// Options exporting the sample content from `dist` into `out`.
pub fn options(dist: &Path, out: &Path) -> Options {
    Options {
        out: out.to_owned(),
        dist: dist.to_owned(),
        source: Source::Content(content()),
        base_path: String::new(),
        api_write_base: String::new(),
        site_url: String::new(),
        force: false,
        jobs: 2,
    }
}

/// Exports and answers the report, failing the test on an error.
pub fn run(options: &Options) -> Report {
    match export(options) {
        Ok(report) => report,
        Err(error) => panic!("export failed: {error}"),
    }
}

/// The text of `path` under `out`, failing the test when it is missing.
pub fn read(out: &Path, path: &str) -> String {
    let file = out.join(path.trim_start_matches('/'));
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// Text as the app's renderer writes it in an element.
pub fn as_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Text as the exporter writes it in an attribute.
pub fn as_attribute(text: &str) -> String {
    budapest_post::head::html::escape(text)
}

/// The contents of every `<script …{marker}…>` element of `html`, with the tag's attributes.
pub fn scripts<'a>(html: &'a str, marker: &str) -> Vec<(&'a str, &'a str)> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let tag_end = start + rest[start..].find('>').unwrap() + 1;
        let end = tag_end + rest[tag_end..].find("</script>").unwrap();
        let tag = &rest[start..tag_end];
        if tag.contains(marker) {
            found.push((tag, &rest[tag_end..end]));
        }
        rest = &rest[end..];
    }
    found
}

/// The `content` of the `<meta {key}="{name}">` tag of `html`.
pub fn meta<'a>(html: &'a str, key: &str, name: &str) -> Option<&'a str> {
    let needle = format!(r#"<meta {key}="{name}" content=""#);
    let start = html.find(&needle)? + needle.len();
    let end = start + html[start..].find('"')?;
    Some(&html[start..end])
}

/// The `href` of the `<link rel="{rel}">` tag of `html`.
pub fn link<'a>(html: &'a str, rel: &str) -> Option<&'a str> {
    let needle = format!(r#"<link rel="{rel}" "#);
    let start = html.find(&needle)?;
    let tag = &html[start..start + html[start..].find('>')?];
    let href = tag.find("href=\"")? + 6;
    Some(&tag[href..href + tag[href..].find('"')?])
}

/// A SQLite database file at `file` with the sample content loaded, as a server leaves it.
pub fn database_with_content(file: &Path) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = budapest_post_store::Store::open(&budapest_post_store::Database::sqlite(file))
            .await
            .unwrap();
        let content = budapest_post_store::Content::read_dir(&content()).unwrap();
        store.load_content(content).await.unwrap();
    });
}

/// An empty SQLite database file at `file`, migrated but with no content.
pub fn empty_database(file: &Path) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async {
        budapest_post_store::Store::open(&budapest_post_store::Database::sqlite(file))
            .await
            .unwrap();
    });
}
