//! The document title, description, canonical link and sharing tags of a page.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

use crate::links;

/// Sets the head tags for the page at `path`.
#[component]
pub fn PageMeta(
    /// The document title.
    #[prop(into)]
    title: String,
    /// One or two sentences for search results and link previews.
    #[prop(into)]
    description: String,
    /// The page's path on the site, e.g. `/articles/some-slug`.
    #[prop(into)]
    path: String,
    /// `article` for articles, `website` for everything else.
    #[prop(default = "website")]
    og_type: &'static str,
) -> impl IntoView {
    let url = links::absolute(&path);
    view! {
        // Plain strings, not signals: the head outlives the page that set it, and a signal
        // would be disposed with the page while the head still reads it.
        <Title text=title.clone() />
        <Meta name="description" content=description.clone() />
        <Link rel="canonical" href=url.clone() />
        <Meta property="og:type" content=og_type />
        <Meta property="og:site_name" content="Budapest Post" />
        <Meta property="og:title" content=title />
        <Meta property="og:description" content=description />
        <Meta property="og:url" content=url />
        <Meta name="twitter:card" content="summary" />
    }
}
