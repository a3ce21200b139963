//! Security headers on every response, and the Content-Security-Policy the app runs under.
//!
//! Trunk's `index.html` starts the app with an inline module script, so the policy allows
//! exactly that script by its SHA-256 hash, computed from the very page being served: a rebuilt
//! app needs no change here, and no other inline script can run.

use std::path::Path;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::HttpPolicy;
use crate::config::ServeOptions;

/// The Content-Security-Policy's configurable parts.
pub struct Csp {
    frame_ancestors: String,
    connect_src: String,
    /// The policy for the `index.html` in `dist` when the server started.
    default_value: String,
}

/// The hashes of the inline `<script>` and `<style>` elements of an HTML page.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct InlineHashes {
    /// `'sha256-…'` of each inline script.
    pub scripts: Vec<String>,
    /// `'sha256-…'` of each inline style element.
    pub styles: Vec<String>,
}

fn csp_hash(content: &str) -> String {
    let digest = Sha256::digest(content.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// Finds `needle` (ASCII, lower case) in `haystack` from `from`, ignoring ASCII case.
fn find_ascii_ci(haystack: &str, needle: &str, from: usize) -> Option<usize> {
    let h = haystack.as_bytes();
    let n = needle.as_bytes();
    (from..h.len().saturating_sub(n.len()) + 1).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// The end (index after `>`) of the tag opened at `start`, skipping quoted attribute values.
fn tag_end(html: &str, start: usize) -> Option<usize> {
    let mut quote = None;
    for (i, b) in html.bytes().enumerate().skip(start) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// Whether the opening tag `tag` (e.g. `<script type="module">`) has a `src` attribute.
fn has_src(tag: &str) -> bool {
    let lower = tag.to_ascii_lowercase();
    let mut quote = None;
    let bytes = lower.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, _) if lower[i..].starts_with("src") => {
                let before_ok = i > 0 && bytes[i - 1].is_ascii_whitespace();
                let after = lower[i + 3..].trim_start();
                if before_ok && (after.starts_with('=') || after.starts_with('>')) {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// The hashes of the contents of every `<name>` element without `src` in `html`.
fn element_hashes(html: &str, name: &str) -> Vec<String> {
    let open = format!("<{name}");
    let close = format!("</{name}");
    let mut hashes = Vec::new();
    let mut from = 0;
    while let Some(start) = find_ascii_ci(html, &open, from) {
        let after_name = html.as_bytes().get(start + open.len()).copied();
        let Some(body_start) = tag_end(html, start) else {
            break;
        };
        let Some(body_end) = find_ascii_ci(html, &close, body_start) else {
            break;
        };
        let is_element = after_name.is_some_and(|b| b.is_ascii_whitespace() || b == b'>');
        if is_element && !has_src(&html[start..body_start]) {
            hashes.push(csp_hash(&html[body_start..body_end]));
        }
        from = body_end;
    }
    hashes
}

impl InlineHashes {
    /// The inline scripts and styles of `html`.
    pub fn of(html: &str) -> Self {
        Self {
            scripts: element_hashes(html, "script"),
            styles: element_hashes(html, "style"),
        }
    }
}

impl Csp {
    /// The policy for `options`, allowing the inline scripts of `dist/index.html` if it exists.
    pub fn new(options: &ServeOptions) -> Self {
        let join = |sources: &[String]| {
            sources
                .iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut frame_ancestors = join(&options.frame_ancestors);
        if frame_ancestors.is_empty() {
            frame_ancestors = "'none'".to_owned();
        }
        let connect_src = ["'self'".to_owned(), join(&options.api_origins)]
            .join(" ")
            .trim()
            .to_owned();
        let mut csp = Self {
            frame_ancestors,
            connect_src,
            default_value: String::new(),
        };
        csp.default_value = csp.for_page(&Self::dist_hashes(&options.dist));
        csp
    }

    fn dist_hashes(dist: &Path) -> InlineHashes {
        std::fs::read_to_string(dist.join("index.html"))
            .map(|html| InlineHashes::of(&html))
            .unwrap_or_default()
    }

    /// The policy for a page whose inline elements hash to `inline`.
    pub fn for_page(&self, inline: &InlineHashes) -> String {
        let with = |base: &str, extra: &[String]| {
            std::iter::once(base.to_owned())
                .chain(extra.iter().cloned())
                .collect::<Vec<_>>()
                .join(" ")
        };
        [
            "default-src 'self'".to_owned(),
            format!(
                "script-src {}",
                with("'self' 'wasm-unsafe-eval'", &inline.scripts)
            ),
            format!("style-src {}", with("'self'", &inline.styles)),
            "img-src 'self' data: https:".to_owned(),
            "media-src 'self' https:".to_owned(),
            "font-src 'self'".to_owned(),
            format!("connect-src {}", self.connect_src),
            format!("frame-ancestors {}", self.frame_ancestors),
            "base-uri 'self'".to_owned(),
            "form-action 'self'".to_owned(),
            "object-src 'none'".to_owned(),
        ]
        .join("; ")
    }

    /// The policy for every response that did not set its own.
    pub fn default_value(&self) -> &str {
        &self.default_value
    }
}

/// Adds the Content-Security-Policy (unless the handler set one for its page),
/// `X-Content-Type-Options` and `Referrer-Policy` to every response.
pub async fn headers(
    State(policy): State<Arc<HttpPolicy>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        if let Ok(value) = HeaderValue::from_str(policy.csp.default_value()) {
            headers.insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK_PAGE: &str = r#"<html><head>
<link rel="modulepreload" href="/app-0123456789abcdef.js" integrity="sha384-x">
<script src="/external.js"></script>
<SCRIPT type="module">
import init from '/app-0123456789abcdef.js';
await init({ module_or_path: '/app-0123456789abcdef_bg.wasm' });
</SCRIPT>
<style>body{margin:0}</style>
</head><body><scripted>not a script</scripted></body></html>"#;

    #[test]
    fn inline_scripts_and_styles_are_hashed() {
        let hashes = InlineHashes::of(TRUNK_PAGE);
        let module = "\nimport init from '/app-0123456789abcdef.js';\nawait init({ module_or_path: '/app-0123456789abcdef_bg.wasm' });\n";
        assert_eq!(hashes.scripts, vec![csp_hash(module)]);
        assert_eq!(hashes.styles, vec![csp_hash("body{margin:0}")]);
    }

    #[test]
    fn known_hash() {
        // `echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64`
        assert_eq!(
            csp_hash("alert(1)"),
            "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
        );
    }

    #[test]
    fn src_attributes() {
        assert!(has_src(r#"<script src="/a.js">"#));
        assert!(has_src("<script type=module src=/a.js>"));
        assert!(!has_src(r#"<script type="module" data-x="src=1">"#));
        assert!(!has_src("<script data-src-map>"));
    }

    #[test]
    fn policy_parts() {
        let mut options = ServeOptions::new("content".into(), "no-such-dist".into());
        options.frame_ancestors = vec!["'self'".into(), "https://partner.example".into()];
        options.api_origins = vec!["https://api.example".into()];
        let csp = Csp::new(&options);
        let value = csp.default_value();
        assert!(value.contains("script-src 'self' 'wasm-unsafe-eval';"));
        assert!(value.contains("connect-src 'self' https://api.example;"));
        assert!(value.contains("frame-ancestors 'self' https://partner.example;"));
        assert!(value.contains("object-src 'none'"));
    }
}
