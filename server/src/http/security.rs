//! Security headers on every response ([`response_headers`], set by [`ResponseHeaders`]), and
//! the Content-Security-Policy the app runs under.
//!
//! Trunk's `index.html` starts the app with an inline module script, so the policy allows
//! exactly that script by its SHA-256 hash (see [`InlineHashes`]), computed from the very page
//! being served: a rebuilt app needs no change here, and no other inline script can run.

use std::path::Path;

use axum::http::{header, HeaderName, HeaderValue};
use axum::response::Response;
pub use budapest_post::render::inline_hashes::InlineHashes;

use crate::config::ServeOptions;

/// The Content-Security-Policy's configurable parts.
pub struct Csp {
    frame_ancestors: String,
    embed_ancestors: String,
    connect_src: String,
    /// The policy for the `index.html` in `dist` when the server started.
    default_value: String,
    /// The same as a header value, made once (`None` if the options made it unsendable).
    default_header: Option<HeaderValue>,
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
        let mut embed_ancestors = join(&options.embed_ancestors);
        if embed_ancestors.is_empty() {
            embed_ancestors = "'none'".to_owned();
        }
        let connect_src = ["'self'".to_owned(), join(&options.api_origins)]
            .join(" ")
            .trim()
            .to_owned();
        let mut csp = Self {
            frame_ancestors,
            embed_ancestors,
            connect_src,
            default_value: String::new(),
            default_header: None,
        };
        csp.default_value = csp.for_page(&Self::dist_hashes(&options.dist));
        csp.default_header = HeaderValue::from_str(&csp.default_value).ok();
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

    /// The policy for an embed page (`/embed/…`): its own stylesheet and script and nothing
    /// else, framed by the partners `--embed-ancestors` names. The README's nginx block for
    /// the export writes the same policy (a test holds them together).
    pub fn for_embed(&self) -> String {
        embed_policy(&self.embed_ancestors)
    }

    /// The policy for every response that did not set its own.
    pub fn default_value(&self) -> &str {
        &self.default_value
    }
}

/// The policy of an embed page framed by `frame_ancestors`: no inline code, no connections,
/// no forms, no plugins; only the embed's own files from the site.
pub fn embed_policy(frame_ancestors: &str) -> String {
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
         base-uri 'none'; form-action 'none'; frame-ancestors {frame_ancestors}"
    )
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

/// The headers every response gets, made once: [`response_headers`], and the default
/// Content-Security-Policy.
pub struct ResponseHeaders {
    always: Vec<(HeaderName, HeaderValue)>,
    default_csp: Option<HeaderValue>,
}

impl ResponseHeaders {
    /// The headers of [`response_headers`] and `csp`'s default policy.
    pub fn new(hsts: bool, csp: &Csp) -> Self {
        Self {
            always: response_headers(hsts),
            default_csp: csp.default_header.clone(),
        }
    }

    /// `response` with the security headers; a private page's stricter referrer policy (see
    /// `pages`) and a page's own Content-Security-Policy are kept.
    pub fn add_to(&self, mut response: Response) -> Response {
        let headers = response.headers_mut();
        for (name, value) in &self.always {
            if name != header::REFERRER_POLICY || !headers.contains_key(name) {
                headers.insert(name.clone(), value.clone());
            }
        }
        if let Some(csp) = &self.default_csp {
            if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
                headers.insert(header::CONTENT_SECURITY_POLICY, csp.clone());
            }
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let embed = csp.for_embed();
        assert!(embed.ends_with("frame-ancestors *"), "{embed}");
        assert!(
            !embed.contains("unsafe") && !embed.contains("sha256"),
            "{embed}"
        );
        options.embed_ancestors = vec!["https://a.example".into(), " https://b.example".into()];
        assert!(Csp::new(&options)
            .for_embed()
            .ends_with("frame-ancestors https://a.example https://b.example"));
        options.embed_ancestors = vec![];
        assert!(Csp::new(&options)
            .for_embed()
            .ends_with("frame-ancestors 'none'"));
    }

    /// The export is served by the README's nginx block: its embeds must carry the policy the
    /// server gives them, with the default `--embed-ancestors`, and the rest of the site must
    /// stay unframeable by other origins.
    #[test]
    fn the_readmes_nginx_block_gives_embeds_the_servers_policy() {
        let readme = include_str!("../../../README.md");
        let block = readme
            .split("```nginx\n")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .unwrap();
        let embed = ServeOptions::new("content".into(), "no-such-dist".into());
        let expected = format!(
            "add_header Content-Security-Policy \"{}\" always;",
            Csp::new(&embed).for_embed()
        );
        assert!(block.contains(&expected), "{expected}");
        assert!(block.contains("location /news/embed/ {"));
        assert_eq!(block.matches("frame-ancestors 'self'").count(), 1);
    }
}
