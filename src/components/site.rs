//! The masthead's data, loaded once and shared by every page.

use budapest_post_contract::{paths, Site};
use leptos::prelude::*;

use crate::api::{self, ApiFailure, Read};

/// The site's masthead as the API gives it.
#[derive(Clone, Copy)]
pub struct SiteResource(pub Read<Site>);

impl SiteResource {
    /// The masthead, once it is known.
    pub fn current(&self) -> Option<Result<Site, ApiFailure>> {
        self.0.state.get()
    }
}

/// Starts loading the masthead and makes it available to every component.
pub fn provide_site() {
    provide_context(SiteResource(api::use_read(paths::site)));
}

/// The paper's name as the masthead says it, for text that names the paper.
pub fn site_name() -> String {
    use_context::<SiteResource>()
        .and_then(|site| site.0.state.get_untracked())
        .and_then(Result::ok)
        .map(|site| site.name)
        .unwrap_or_else(|| "Budapest Post".to_owned())
}
