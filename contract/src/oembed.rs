//! The oEmbed answer (<https://oembed.com>, section 2.3): what a CMS needs to embed a page of
//! the site from its address alone.

use serde::{Deserialize, Serialize};

/// The oEmbed version every answer names.
pub const OEMBED_VERSION: &str = "1.0";

/// An oEmbed answer of type `rich`: an HTML snippet (an iframe of an embed page) and its size.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OEmbed {
    /// Always `rich`: the answer is an HTML snippet (an iframe), not a photo or a video.
    #[serde(rename = "type")]
    pub kind: String,
    /// Always `1.0`, the version of the oEmbed specification the answer follows.
    pub version: String,
    /// What is embedded: the article's headline, or the site's name for its headlines.
    pub title: String,
    /// The paper's name.
    pub provider_name: String,
    /// The paper's address.
    pub provider_url: String,
    /// The snippet to put in the page: an iframe of the embed.
    pub html: String,
    /// The snippet's width in pixels.
    pub width: u32,
    /// The snippet's height in pixels.
    pub height: u32,
}
