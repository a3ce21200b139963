//! The app's own addresses, in one place.

/// The homepage.
pub fn home() -> String {
    "/".into()
}

/// An article page.
pub fn article(slug: &str) -> String {
    format!("/articles/{slug}")
}

/// An article's related list.
pub fn related(slug: &str) -> String {
    format!("/articles/{slug}/related")
}

/// The Contact Us form, for an article when one is given.
pub fn contact(article_slug: Option<&str>) -> String {
    match article_slug {
        Some(slug) => format!("/contact?article={}", encode(slug)),
        None => "/contact".into(),
    }
}

/// The Contact Us form for an article, with a passage already quoted.
pub fn report_passage(article_slug: &str, passage: &str) -> String {
    format!(
        "/contact?article={}&quote={}",
        encode(article_slug),
        encode(passage)
    )
}

/// Percent-encodes a query value.
fn encode(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}

/// The page's address on the site, for canonical links and sharing.
pub fn absolute(path: &str) -> String {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    format!("{origin}{path}")
}
