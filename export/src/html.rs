//! The app's `index.html` as a template, and the escaping every exported page relies on.
//!
//! An exported page is Trunk's `index.html` with the page's head tags where its `<title>` was,
//! and, at the start of `<body>`, the prerendered markup inside an element marked
//! [`PRERENDERED_ATTRIBUTE`] followed by the API answers it was made from, each in a
//! `<script type="application/json">` marked [`PRELOAD_ATTRIBUTE`]. The app seeds its memory
//! from those scripts and replaces the marked elements with the same markup when it starts.

use budapest_post::prerendered::{PRELOAD_ATTRIBUTE, PRERENDERED_ATTRIBUTE};

/// Where the page's head tags go, while the template is being cut up.
const HEAD_MARK: &str = "\u{0}bp-head\u{0}";

/// `dist/index.html`, cut where each page's own parts go.
#[derive(Clone, Debug)]
pub struct Template {
    /// Up to where the head tags go.
    before_head: String,
    /// From there to the end of the `<body>` start tag.
    before_body: String,
    /// The rest of the page.
    after_body: String,
}

impl Template {
    /// Prepares Trunk's `index.html`: assets moved under `base_path` (for each file `F` of
    /// `assets`, `"/F"` and `'/F'` become `"/news/F"` and `'/news/F'`), `<noscript>` and
    /// `<title>` removed (each page has its own title), and the `bp-` settings replaced by
    /// `settings` (see [`settings_tags`]). Fails with what is missing.
    pub fn parse(
        html: &str,
        assets: &[String],
        base_path: &str,
        settings: &str,
    ) -> Result<Self, String> {
        let mut html = html.to_owned();
        if !base_path.is_empty() {
            for asset in assets {
                for quote in ['"', '\''] {
                    html = html.replace(
                        &format!("{quote}/{asset}{quote}"),
                        &format!("{quote}{base_path}/{asset}{quote}"),
                    );
                }
            }
        }
        remove_elements(&mut html, "noscript");
        match find_element(&html, "title", 0) {
            Some((start, end)) => html.replace_range(start..end, HEAD_MARK),
            None => {
                let head_end = html.find("</head>").ok_or("it has no </head>")?;
                html.insert_str(head_end, HEAD_MARK);
            }
        }
        let mut from = 0;
        let mut settings_written = false;
        while let Some(start) = html[from..].find("<meta").map(|i| i + from) {
            let end = html[start..]
                .find('>')
                .map(|i| start + i + 1)
                .ok_or("a <meta> tag is not closed")?;
            let tag = &html[start..end];
            if tag.contains("name=\"bp-") || tag.contains("name='bp-") {
                let replacement = if settings_written { "" } else { settings };
                html.replace_range(start..end, replacement);
                settings_written = true;
                from = start + replacement.len();
            } else {
                from = end;
            }
        }
        if !settings_written {
            html = html.replacen(HEAD_MARK, &format!("{settings}\n    {HEAD_MARK}"), 1);
        }
        let (before_head, rest) = html.split_once(HEAD_MARK).ok_or("it has no <head>")?;
        let body = rest.find("<body").ok_or("it has no <body>")?;
        let body_end = rest[body..]
            .find('>')
            .map(|i| body + i + 1)
            .ok_or("its <body> tag is not closed")?;
        Ok(Self {
            before_head: before_head.to_owned(),
            before_body: rest[..body_end].to_owned(),
            after_body: rest[body_end..].to_owned(),
        })
    }

    /// The whole page: `head` (tags, already escaped) where the title was; `body` (the
    /// prerendered markup) and `preloads` (API path, JSON) at the start of `<body>`.
    pub fn page(&self, head: &str, body: &str, preloads: &[(String, String)]) -> String {
        let json_len: usize = preloads.iter().map(|(p, j)| p.len() + j.len() + 80).sum();
        let mut page = String::with_capacity(
            self.before_head.len()
                + head.len()
                + self.before_body.len()
                + body.len()
                + json_len
                + self.after_body.len()
                + 64,
        );
        page.push_str(&self.before_head);
        page.push_str(head);
        page.push_str(&self.before_body);
        page.push_str(&format!("\n<div {PRERENDERED_ATTRIBUTE}>"));
        page.push_str(body);
        page.push_str("</div>");
        for (path, json) in preloads {
            page.push_str(&format!(
                "\n<script type=\"application/json\" {PRELOAD_ATTRIBUTE}=\"{}\">",
                escape(path)
            ));
            page.push_str(&script_json(json));
            page.push_str("</script>");
        }
        page.push_str(&self.after_body);
        page
    }

    /// The CSP hashes of the template's inline scripts (JSON data blocks are not scripts a
    /// Content-Security-Policy governs).
    pub fn inline_script_hashes(&self) -> Vec<String> {
        let whole = format!(
            "{}{}{}",
            self.before_head, self.before_body, self.after_body
        );
        budapest_post_server::http::security::InlineHashes::of(&whole).scripts
    }
}

/// The app's run-time settings as the `<meta>` tags it reads (see `budapest_post::config`):
/// reads from this site's own files, posts to `api_write_base` (own origin when empty).
pub fn settings_tags(base_path: &str, api_write_base: &str, site_url: &str) -> String {
    [
        ("bp-base-path", base_path),
        ("bp-api-base", ""),
        ("bp-api-write-base", api_write_base),
        ("bp-site-url", site_url),
    ]
    .iter()
    .map(|(name, value)| format!(r#"<meta name="{name}" content="{}" />"#, escape(value)))
    .collect::<Vec<_>>()
    .join("\n    ")
}

/// The start and end of the first `<name>…</name>` element at or after `from`.
fn find_element(html: &str, name: &str, from: usize) -> Option<(usize, usize)> {
    let start = html[from..].find(&format!("<{name}"))? + from;
    let after = html.as_bytes().get(start + name.len() + 1).copied();
    if !matches!(after, Some(b'>' | b' ' | b'\n' | b'\t' | b'\r')) {
        return find_element(html, name, start + 1);
    }
    let close = format!("</{name}>");
    let end = html[start..].find(&close)? + start + close.len();
    Some((start, end))
}

/// Removes every `<name>…</name>` element.
fn remove_elements(html: &mut String, name: &str) {
    while let Some((start, end)) = find_element(html, name, 0) {
        html.replace_range(start..end, "");
    }
}

/// Text made safe for HTML and XML, in text and in quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// JSON made safe inside a `<script>` element: `</` becomes `<\/` and `<!--` becomes
/// `\u003c!--`, both the same JSON. (`<` only ever occurs inside JSON strings.)
pub fn script_json(json: &str) -> String {
    json.replace("</", "<\\/").replace("<!--", "\\u003c!--")
}

/// JSON for a JSON-LD block: `<`, `>` and `&` written as `\u…` escapes, so no markup at all
/// can appear in it, and the value is unchanged.
pub fn ld_json(value: &serde_json::Value) -> Result<String, serde_json::Error> {
    Ok(serde_json::to_string(value)?
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK: &str = r#"<!DOCTYPE html>
<html lang="en-GB">
  <head>
    <meta charset="utf-8" />
    <meta name="bp-api-base" content="" />
    <title>Budapest Post</title>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
<script type="module">
import init from '/app-1.js';
await init({ module_or_path: '/app-1_bg.wasm' });
</script></head>
  <body>
    <noscript><p>Needs JavaScript.</p></noscript>
  </body>
</html>"#;

    fn assets() -> Vec<String> {
        ["favicon.svg", "app-1.js", "app-1_bg.wasm"]
            .map(String::from)
            .to_vec()
    }

    #[test]
    fn a_page_has_its_head_and_body_and_no_noscript() {
        let template = Template::parse(TRUNK, &assets(), "", &settings_tags("", "", "")).unwrap();
        let page = template.page(
            "<title>T</title>",
            "<main>M</main>",
            &[("/api/v1/site.json".into(), r#"{"a":"</script>"}"#.into())],
        );
        assert!(page.contains("<title>T</title>"));
        assert_eq!(page.matches("<title>").count(), 1);
        assert!(!page.contains("noscript"));
        assert_eq!(
            page.matches(r#"<meta name="bp-api-base" content="" />"#)
                .count(),
            1
        );
        assert!(page.contains(r#"<meta name="bp-base-path" content="" />"#));
        assert!(page.contains("<body>\n<div data-bp-prerendered><main>M</main></div>"));
        assert!(page.contains(r#"data-bp-preload="/api/v1/site.json">{"a":"<\/script>"}</script>"#));
        assert!(page.contains("'/app-1.js'"));
    }

    #[test]
    fn assets_move_under_the_base_path() {
        let settings = settings_tags("/news", "https://api.example", "");
        let template = Template::parse(TRUNK, &assets(), "/news", &settings).unwrap();
        let page = template.page("", "", &[]);
        assert!(page.contains(r#"href="/news/favicon.svg""#));
        assert!(page.contains("'/news/app-1.js'"));
        assert!(page.contains("'/news/app-1_bg.wasm'"));
        assert!(page.contains(r#"<meta name="bp-base-path" content="/news" />"#));
        assert!(page.contains(r#"<meta name="bp-api-write-base" content="https://api.example" />"#));
    }

    #[test]
    fn a_page_without_a_body_is_refused() {
        assert!(Template::parse("<html><head></head></html>", &[], "", "").is_err());
    }

    #[test]
    fn escaping() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        let json = serde_json::json!({"h": "</script><!-- & >"});
        let ld = ld_json(&json).unwrap();
        assert!(!ld.contains('<') && !ld.contains('>') && !ld.contains('&'));
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&ld).unwrap(),
            json
        );
        let script = script_json(r#"{"h":"</script><!--"}"#);
        assert!(!script.contains("</") && !script.contains("<!--"));
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&script).unwrap(),
            serde_json::json!({"h": "</script><!--"})
        );
    }
}
