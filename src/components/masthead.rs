//! The masthead at the top of every page and the footer at the bottom.

use leptos::prelude::*;

use super::site::SiteResource;
use crate::config;

/// Skip link, the paper's name, motto and tagline, and the main navigation.
#[component]
pub fn Masthead() -> impl IntoView {
    let site = expect_context::<SiteResource>()
        .current()
        .and_then(Result::ok);
    let field = |pick: fn(&budapest_post_contract::Site) -> String| {
        site.as_ref()
            .map(pick)
            // Holds the line's height when the masthead is missing, so nothing jumps.
            .unwrap_or_else(|| "\u{a0}".into())
    };
    view! {
        <a class="skip-link" href="#main">"Skip to main content"</a>
        <header class="masthead">
            <a class="masthead__name" href=config::paths().home() data-testid="masthead-name">
                {field(|s| s.name.clone())}
            </a>
            <p class="masthead__motto">{field(|s| s.motto.clone())}</p>
            <p class="masthead__tagline">{field(|s| s.tagline.clone())}</p>
            <nav class="site-nav" aria-label="Main">
                <ul>
                    <li><a href=config::paths().home()>"Home"</a></li>
                    <li><a href=config::paths().contact()>"Contact Us"</a></li>
                </ul>
            </nav>
        </header>
    }
}

/// The footer with the Contact Us link every page carries.
#[component]
pub fn SiteFooter() -> impl IntoView {
    let name = expect_context::<SiteResource>()
        .current()
        .and_then(Result::ok)
        .map(|s| s.name)
        .unwrap_or_default();
    view! {
        <footer class="site-footer">
            <p>
                <a href=config::paths().contact()>"Contact Us"</a>
                " · Report an inaccuracy in any article and our editors will look at it."
            </p>
            <p class="site-footer__name">{name}</p>
        </footer>
    }
}
