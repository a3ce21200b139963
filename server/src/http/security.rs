//! Security headers on every response ([`response_headers`], set by tower-http's
//! `SetResponseHeaderLayer`), and the Content-Security-Policy the app runs under.
//!
//! Trunk's `index.html` starts the app with an inline module script, so the policy allows
//! exactly that script by its SHA-256 hash, computed from the very page being served: a rebuilt
//! app needs no change here, and no other inline script can run. The page is read by a real
//! HTML tokenizer (`lol_html`), so a short, truncated or unusual page cannot trip it up.

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine as _;
use lol_html::html_content::{Element, TextChunk};
use lol_html::{element, end_tag, text, HtmlRewriter, Settings};
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

/// Which kind of inline element a piece of content belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Script,
    Style,
}

/// A `<script>` or `<style>` element met by the tokenizer.
struct Found {
    kind: Kind,
    /// A script that loads its code from `src` runs no inline code, so it needs no hash.
    external: bool,
    /// Its raw text, as the browser hashes it.
    text: String,
    /// Whether its end tag was reached: the browser runs no script cut off by the end of the
    /// page.
    closed: bool,
}

/// Every `<script>` and `<style>` element of `html`, in document order, as an HTML tokenizer
/// sees them. A page the tokenizer gives up on yields the elements found before that point.
fn inline_elements(html: &str) -> Vec<Found> {
    let found = Rc::new(RefCell::new(Vec::<Found>::new()));
    let on_element = {
        let found = found.clone();
        move |element: &mut Element| {
            let kind = if element.tag_name().eq_ignore_ascii_case("script") {
                Kind::Script
            } else {
                Kind::Style
            };
            let index = {
                let mut found = found.borrow_mut();
                found.push(Found {
                    kind,
                    external: kind == Kind::Script && element.has_attribute("src"),
                    text: String::new(),
                    closed: false,
                });
                found.len() - 1
            };
            if let Some(handlers) = element.end_tag_handlers() {
                let found = found.clone();
                handlers.push(end_tag!(move |_| {
                    if let Some(element) = found.borrow_mut().get_mut(index) {
                        element.closed = true;
                    }
                    Ok(())
                }));
            }
            Ok(())
        }
    };
    let on_text = {
        let found = found.clone();
        move |chunk: &mut TextChunk| {
            if let Some(element) = found.borrow_mut().last_mut() {
                element.text.push_str(chunk.as_str());
            }
            Ok(())
        }
    };
    let settings = Settings::new()
        // Not strict: a page the tokenizer cannot classify with certainty is still read, the
        // way a browser would read it, rather than refused.
        .with_strict(false)
        .append_element_content_handler(element!("script, style", on_element))
        .append_element_content_handler(text!("script, style", on_text));
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    let outcome = rewriter
        .write(html.as_bytes())
        .and_then(|()| rewriter.end());
    if let Err(error) = outcome {
        tracing::warn!(%error, "index.html could not be read to its end; its later inline scripts are not allowed");
    }
    found.take()
}

impl InlineHashes {
    /// The inline scripts and styles of `html`.
    pub fn of(html: &str) -> Self {
        let mut hashes = Self::default();
        for element in inline_elements(html) {
            if !element.closed || element.external {
                continue;
            }
            let hash = csp_hash(&element.text);
            match element.kind {
                Kind::Script => hashes.scripts.push(hash),
                Kind::Style => hashes.styles.push(hash),
            }
        }
        hashes
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

/// What the site never asks the browser for: the camera, the microphone, where the reader is,
/// payments, devices, sensors, screen capture, and interest-based advertising (FLoC's
/// `interest-cohort` and its successor `browsing-topics`). Only features Chromium recognises
/// are named: an unknown one is logged as an error in every reader's console.
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), browsing-topics=(), camera=(), \
display-capture=(), geolocation=(), gyroscope=(), hid=(), idle-detection=(), \
interest-cohort=(), magnetometer=(), microphone=(), midi=(), payment=(), \
publickey-credentials-get=(), serial=(), usb=(), xr-spatial-tracking=()";

/// `Strict-Transport-Security` for deployments served over HTTPS: a year, this host only, so an
/// operator's other subdomains are not forced onto HTTPS by the news site.
pub const HSTS: &str = "max-age=31536000";

/// The headers every response carries whatever produced it; with `hsts`, also
/// `Strict-Transport-Security` (only for a site reached over HTTPS, e.g. behind a TLS proxy).
pub fn response_headers(hsts: bool) -> Vec<(HeaderName, HeaderValue)> {
    let mut headers = vec![
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ),
        (
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static(PERMISSIONS_POLICY),
        ),
    ];
    if hsts {
        headers.push((
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        ));
    }
    headers
}

/// Adds the Content-Security-Policy to every response whose handler did not set one for its
/// page.
pub async fn content_security_policy(
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
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const MODULE: &str = "\nimport init from '/app-0123456789abcdef.js';\nawait init({ module_or_path: '/app-0123456789abcdef_bg.wasm' });\n";

    fn trunk_page() -> String {
        format!(
            r#"<html><head>
<link rel="modulepreload" href="/app-0123456789abcdef.js" integrity="sha384-x">
<script src="/external.js"></script>
<SCRIPT type="module">{MODULE}</SCRIPT>
<style>body{{margin:0}}</style>
</head><body><scripted>not a script</scripted></body></html>"#
        )
    }

    #[test]
    fn inline_scripts_and_styles_are_hashed() {
        let hashes = InlineHashes::of(&trunk_page());
        assert_eq!(hashes.scripts, vec![csp_hash(MODULE)]);
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
    fn scripts_with_a_src_attribute_run_no_inline_code() {
        let of = |html: &str| InlineHashes::of(html).scripts.len();
        assert_eq!(of(r#"<script src="/a.js"></script>"#), 0);
        assert_eq!(of("<script type=module src=/a.js></script>"), 0);
        assert_eq!(of("<script SRC='/a.js'>x</script>"), 0);
        assert_eq!(of(r#"<script type="module" data-x="src=1">x</script>"#), 1);
        assert_eq!(of("<script data-src-map>x</script>"), 1);
    }

    #[test]
    fn markup_inside_a_script_is_its_text() {
        let html = "<script>if (a < b) { document.write('<style>x</style>'); }</script>";
        let hashes = InlineHashes::of(html);
        assert_eq!(
            hashes.scripts,
            vec![csp_hash(
                "if (a < b) { document.write('<style>x</style>'); }"
            )]
        );
        assert!(hashes.styles.is_empty());
    }

    #[test]
    fn short_truncated_and_unusual_pages() {
        for html in [
            "",
            "<",
            "<s",
            "<script",
            "<script>",
            "<script>alert(1)",
            "<script>alert(1)</scr",
            "<script é>x</script>",
            "<script data-é=\"src\">é</script>",
            "<scriptä>",
            "\u{0}<script>\u{0}</script>",
            "<style>é",
        ] {
            let hashes = InlineHashes::of(html);
            assert!(
                hashes.scripts.len() <= 1 && hashes.styles.is_empty(),
                "{html:?}"
            );
        }
        // A script cut off by the end of the page never runs, so it is not allowed.
        assert!(InlineHashes::of("<script>alert(1)").scripts.is_empty());
        assert_eq!(
            InlineHashes::of("<script data-é=\"src\">é</script>").scripts,
            vec![csp_hash("é")]
        );
    }

    #[test]
    fn every_header_is_set_and_hsts_only_on_request() {
        let names = |hsts| -> Vec<String> {
            response_headers(hsts)
                .into_iter()
                .map(|(name, _)| name.to_string())
                .collect()
        };
        assert_eq!(
            names(false),
            [
                "x-content-type-options",
                "referrer-policy",
                "permissions-policy"
            ]
        );
        assert_eq!(
            names(true).last().map(String::as_str),
            Some("strict-transport-security")
        );
        for feature in [
            "camera",
            "microphone",
            "geolocation",
            "payment",
            "usb",
            "interest-cohort",
        ] {
            assert!(
                PERMISSIONS_POLICY.contains(&format!("{feature}=()")),
                "{feature}"
            );
        }
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

    /// `page` with `insert` placed at the char boundary nearest `at` (a fraction of its length).
    fn insert_at(page: &str, at: f64, insert: &str) -> String {
        let mut index = ((page.len() as f64) * at) as usize;
        while !page.is_char_boundary(index) {
            index -= 1;
        }
        let (head, tail) = page.split_at(index);
        format!("{head}{insert}{tail}")
    }

    proptest! {
        #[test]
        fn any_text_is_read_without_panicking(html in any::<String>()) {
            let hashes = InlineHashes::of(&html);
            prop_assert!(hashes.scripts.len() + hashes.styles.len() <= html.len());
        }

        #[test]
        fn tag_soup_is_read_without_panicking(
            parts in prop::collection::vec(
                prop_oneof![
                    Just("<script".to_owned()), Just("</script".to_owned()),
                    Just("<style".to_owned()), Just("</STYLE".to_owned()),
                    Just(" src".to_owned()), Just("=".to_owned()), Just(">".to_owned()),
                    Just("\"".to_owned()), Just("'".to_owned()), Just("<!--".to_owned()),
                    Just("-->".to_owned()), Just("<svg>".to_owned()), Just("<![CDATA[".to_owned()),
                    "\\PC{0,4}",
                ],
                0..40,
            )
        ) {
            InlineHashes::of(&parts.concat());
        }

        #[test]
        fn a_truncated_trunk_page_is_read_without_panicking(cut in 0.0..=1.0f64) {
            let page = trunk_page();
            let mut end = ((page.len() as f64) * cut) as usize;
            while !page.is_char_boundary(end) {
                end -= 1;
            }
            let hashes = InlineHashes::of(&page[..end]);
            // Whatever is allowed is an element of the whole page.
            let whole = InlineHashes::of(&page);
            prop_assert!(hashes.scripts.iter().all(|h| whole.scripts.contains(h)));
            prop_assert!(hashes.styles.iter().all(|h| whole.styles.contains(h)));
        }

        #[test]
        fn non_ascii_anywhere_in_the_trunk_page_does_not_panic(
            at in 0.0..=1.0f64,
            insert in "[éő€😀\u{0}\u{202e}\u{feff}]{1,3}",
            cut in 0.5..=1.0f64,
        ) {
            let page = insert_at(&trunk_page(), at, &insert);
            let mut end = ((page.len() as f64) * cut) as usize;
            while !page.is_char_boundary(end) {
                end -= 1;
            }
            InlineHashes::of(&page[..end]);
        }

        #[test]
        fn text_around_the_elements_does_not_change_their_hashes(
            before in "[^<]{0,40}",
            after in "\\PC{0,40}",
        ) {
            let page = trunk_page().replace("<html>", &format!("<html>{before}"))
                + &after;
            let hashes = InlineHashes::of(&page);
            prop_assert_eq!(hashes.scripts, vec![csp_hash(MODULE)]);
            prop_assert_eq!(hashes.styles, vec![csp_hash("body{margin:0}")]);
        }
    }
}
