//! Where each resource lives. The read paths end in `.json` so that a static host can serve an
//! exported copy of the API from plain files at the very same addresses.

/// The prefix of every API path.
pub const API_PREFIX: &str = "/api/v1";

/// The first page of the article list.
pub fn article_index() -> String {
    format!("{API_PREFIX}/articles/index.json")
}

/// Page `n` (1-based) of the article list; page 1 is also at [`article_index`].
pub fn article_page(n: u32) -> String {
    format!("{API_PREFIX}/articles/page/{n}.json")
}

/// One article, by slug.
pub fn article(slug: &str) -> String {
    format!("{API_PREFIX}/articles/{slug}.json")
}

/// An article's full related list.
pub fn related(slug: &str) -> String {
    format!("{API_PREFIX}/articles/{slug}/related.json")
}

/// Every published correction, newest first.
pub fn corrections() -> String {
    format!("{API_PREFIX}/corrections.json")
}

/// The site's masthead.
pub fn site() -> String {
    format!("{API_PREFIX}/site.json")
}

/// Where readers' inaccuracy reports are posted.
pub fn reports() -> String {
    format!("{API_PREFIX}/reports")
}

/// Where a reporter asks, with the token of the status link, what became of a report (a POST,
/// so the token stays out of addresses, logs and caches).
pub fn report_status() -> String {
    format!("{API_PREFIX}/reports/status")
}

/// Where newsletter sign-ups are posted.
pub fn newsletter() -> String {
    format!("{API_PREFIX}/newsletter")
}

/// Where a newsletter unsubscribe link's token is posted.
pub fn newsletter_unsubscribe() -> String {
    format!("{API_PREFIX}/newsletter/unsubscribe")
}

/// The oEmbed endpoint: `?url=` a page of the site, `&format=json`, `&maxwidth=`,
/// `&maxheight=`.
pub fn oembed() -> String {
    format!("{API_PREFIX}/oembed")
}

/// One article's oEmbed answer as a plain file (an exported site has no query strings), which
/// the article page's discovery link names.
pub fn oembed_article(slug: &str) -> String {
    format!("{API_PREFIX}/oembed/articles/{slug}.json")
}

/// The homepage's oEmbed answer (the latest headlines) as a plain file, which the homepage's
/// discovery link names.
pub fn oembed_headlines() -> String {
    format!("{API_PREFIX}/oembed/headlines.json")
}

/// The health check: whether this API node reaches its database (for load balancers).
pub fn health() -> String {
    format!("{API_PREFIX}/health")
}

/// The OpenAPI document describing all of the above.
pub fn openapi() -> String {
    format!("{API_PREFIX}/openapi.json")
}

/// Whether `slug` is a well-formed article slug: 1 to 200 of `a-z`, `0-9` and inner `-`.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= crate::limits::SLUG_MAX
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_paths_end_in_json() {
        assert_eq!(article_index(), "/api/v1/articles/index.json");
        assert_eq!(article_page(2), "/api/v1/articles/page/2.json");
        assert_eq!(article("a-b"), "/api/v1/articles/a-b.json");
        assert_eq!(related("a-b"), "/api/v1/articles/a-b/related.json");
        assert_eq!(oembed_article("a-b"), "/api/v1/oembed/articles/a-b.json");
        assert_eq!(oembed_headlines(), "/api/v1/oembed/headlines.json");
        assert_eq!(corrections(), "/api/v1/corrections.json");
    }

    #[test]
    fn slugs() {
        assert!(is_valid_slug("honda-and-nissan-end-merger-talks"));
        assert!(!is_valid_slug(""));
        assert!(!is_valid_slug("Upper"));
        assert!(!is_valid_slug("-lead"));
        assert!(!is_valid_slug("../etc"));
        assert!(!is_valid_slug(&"a".repeat(201)));
    }
}
