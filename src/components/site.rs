//! The masthead's data, read once per page and shared by every component of it.

use budapest_post_contract::{paths, Site};
use leptos::prelude::*;

use crate::api::{self, ApiFailure};

/// The site's masthead as the API gave it to the page being rendered.
#[derive(Clone)]
pub struct SiteResource(Option<Result<Site, ApiFailure>>);

impl SiteResource {
    /// The masthead, if the page has it.
    pub fn current(&self) -> Option<Result<Site, ApiFailure>> {
        self.0.clone()
    }
}

/// Reads the masthead and makes it available to every component.
pub fn provide_site() {
    provide_context(SiteResource(api::peek(&paths::site())));
}

/// The paper's name as the masthead says it, for text that names the paper.
pub fn site_name() -> String {
    use_context::<SiteResource>()
        .and_then(|site| site.current())
        .and_then(Result::ok)
        .map(|site| site.name)
        .unwrap_or_else(|| "Budapest Post".to_owned())
}
