//! Partner embeds: what a partner's page is given to show our headlines or one article's card
//! in an iframe. The embed pages themselves are `pages::embed`; the script partners load is
//! `public/embed.js` and the one inside every embed `public/embed/frame.js` (both plain
//! JavaScript with no dependencies, so the partner's page gets no wasm).
//!
//! The iframe attributes are written here once, for the "Embed this" snippet and the oEmbed
//! answer; `public/embed.js` writes the same ones (a test holds it to these).

use crate::config::SiteConfig;
use crate::head::escape;
use budapest_post_contract::pages::EMBED_HOST_SCRIPT_PATH;

/// The attribute that marks a partner's element as an embed, naming its kind.
pub const EMBED_ATTRIBUTE: &str = "data-budapest-post-embed";

/// What an embed's iframe may do: run its own small script (theme, limit, height), keep its
/// origin (so its height messages carry our origin, which the partner's page checks, rather
/// than `null`), and open the full article in a new tab that is not sandboxed. No forms, no
/// top navigation, no downloads, no modals.
pub const SANDBOX: &str =
    "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox";

/// What the embed's request tells us about the partner's page: its origin only.
pub const REFERRER_POLICY: &str = "strict-origin";

/// The width an oEmbed answer gives an embed, in pixels (the embeds fill their width).
pub const DEFAULT_WIDTH: u32 = 600;
/// The height an oEmbed answer gives an embed of headlines, in pixels.
pub const HEADLINES_HEIGHT: u32 = 480;
/// The height an oEmbed answer gives an article's card, in pixels.
pub const ARTICLE_HEIGHT: u32 = 260;

/// One embed: the latest headlines (of one section), or one article's card.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmbedKind<'a> {
    /// The latest headlines, of one section when given.
    Headlines {
        /// The section's slug.
        section: Option<&'a str>,
    },
    /// One article's card.
    Article {
        /// The article's slug.
        slug: &'a str,
    },
}

impl EmbedKind<'_> {
    /// The embed page's path under the base path.
    pub fn path(&self, config: &SiteConfig) -> String {
        match self {
            EmbedKind::Headlines { section } => config.paths().embed_headlines(*section),
            EmbedKind::Article { slug } => config.paths().embed_article(slug),
        }
    }

    /// The height an oEmbed answer gives it before it sizes itself.
    pub fn default_height(&self) -> u32 {
        match self {
            EmbedKind::Headlines { .. } => HEADLINES_HEIGHT,
            EmbedKind::Article { .. } => ARTICLE_HEIGHT,
        }
    }
}

/// What a partner pastes to show the article `slug` (headline `headline`): the marked element
/// holding a plain link (what readers without JavaScript get, and what stays in the page), and
/// the host script.
pub fn article_snippet(config: &SiteConfig, slug: &str, headline: &str, site_name: &str) -> String {
    let paths = config.paths();
    format!(
        "<div {EMBED_ATTRIBUTE}=\"article\" data-slug=\"{slug}\">\n  <a href=\"{href}\">{text}</a>\n</div>\n{script}",
        slug = escape(slug),
        href = escape(&config.absolute(&paths.article(slug))),
        text = escape(&format!("{headline} — {site_name}")),
        script = host_script_tag(config),
    )
}

/// The `<script>` tag that loads the host script, once per partner page.
pub fn host_script_tag(config: &SiteConfig) -> String {
    let src = config.absolute(&config.paths().under_base(EMBED_HOST_SCRIPT_PATH));
    format!("<script async src=\"{}\"></script>", escape(&src))
}

/// An iframe of the embed `kind` for a page that does not run our host script (oEmbed): fixed
/// at `width` × `height`, showing `limit` headlines.
pub fn iframe_snippet(
    config: &SiteConfig,
    kind: EmbedKind<'_>,
    title: &str,
    width: u32,
    height: u32,
) -> String {
    let mut src = config.absolute(&kind.path(config));
    if let EmbedKind::Headlines { .. } = kind {
        src.push_str(&format!(
            "#limit={}",
            budapest_post_contract::limits::EMBED_HEADLINES_DEFAULT
        ));
    }
    format!(
        "<iframe src=\"{src}\" title=\"{title}\" width=\"{width}\" height=\"{height}\" \
         loading=\"lazy\" sandbox=\"{SANDBOX}\" referrerpolicy=\"{REFERRER_POLICY}\" \
         frameborder=\"0\"></iframe>",
        src = escape(&src),
        title = escape(title),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> SiteConfig {
        SiteConfig {
            base_path: "/news".into(),
            site_url: "https://example.org".into(),
            ..Default::default()
        }
    }

    #[test]
    fn the_article_snippet_holds_a_link_and_the_host_script() {
        let snippet = article_snippet(&config(), "a-b", "A <b> & \"c\"", "Budapest Post");
        assert_eq!(
            snippet,
            "<div data-budapest-post-embed=\"article\" data-slug=\"a-b\">\n  \
             <a href=\"https://example.org/news/articles/a-b\">A &lt;b&gt; &amp; &quot;c&quot; — Budapest Post</a>\n\
             </div>\n<script async src=\"https://example.org/news/embed.js\"></script>"
        );
    }

    #[test]
    fn the_iframe_is_sandboxed_lazy_and_titled() {
        let frame = iframe_snippet(
            &config(),
            EmbedKind::Headlines {
                section: Some("europe"),
            },
            "Latest",
            400,
            300,
        );
        assert!(frame.starts_with(
            "<iframe src=\"https://example.org/news/embed/headlines/europe#limit=5\""
        ));
        assert!(frame.contains(r#"title="Latest" width="400" height="300" loading="lazy""#));
        assert!(frame.contains(&format!(r#"sandbox="{SANDBOX}""#)));
        assert!(frame.contains(r#"referrerpolicy="strict-origin""#));
    }
}
