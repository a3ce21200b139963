//! The app's own addresses, in one place, under the configured base path.

use crate::config;

fn under_base(path: &str) -> String {
    format!("{}{path}", config::get().base_path)
}

/// The homepage.
pub fn home() -> String {
    under_base("/")
}

/// An article page.
pub fn article(slug: &str) -> String {
    under_base(&format!("/articles/{slug}"))
}

/// An article's related list.
pub fn related(slug: &str) -> String {
    under_base(&format!("/articles/{slug}/related"))
}

/// The Contact Us form, for an article when one is given.
pub fn contact(article_slug: Option<&str>) -> String {
    match article_slug {
        Some(slug) => under_base(&format!("/contact?article={}", encode(slug))),
        None => under_base("/contact"),
    }
}

/// The Contact Us form for an article, with a passage already quoted.
pub fn report_passage(article_slug: &str, passage: &str) -> String {
    under_base(&format!(
        "/contact?article={}&quote={}",
        encode(article_slug),
        encode(passage)
    ))
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay as they are).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// The page's full public address, for canonical links and sharing.
pub fn absolute(path: &str) -> String {
    let site_url = config::get().site_url;
    if !site_url.is_empty() {
        return format!("{site_url}{path}");
    }
    #[cfg(target_arch = "wasm32")]
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    #[cfg(not(target_arch = "wasm32"))]
    let origin = String::new();
    format!("{origin}{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_carry_the_base_path() {
        config::set(config::SiteConfig {
            base_path: "/news".into(),
            ..Default::default()
        });
        assert_eq!(home(), "/news/");
        assert_eq!(article("a-b"), "/news/articles/a-b");
        assert_eq!(contact(Some("a-b")), "/news/contact?article=a-b");
        config::set(config::SiteConfig::default());
        assert_eq!(related("a-b"), "/articles/a-b/related");
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(
            encode("fFreign “Ministry” & co"),
            "fFreign%20%E2%80%9CMinistry%E2%80%9D%20%26%20co"
        );
    }
}
