//! The masthead's data, loaded once and shared by every page.

use budapest_post_contract::Site;
use leptos::prelude::*;

use crate::api::{self, ApiFailure};

/// The site's masthead as the API gives it.
#[derive(Clone, Copy)]
pub struct SiteResource(pub LocalResource<Result<Site, ApiFailure>>);

impl SiteResource {
    /// The masthead: from memory at once when it is there, otherwise once loaded.
    pub fn current(&self) -> Option<Result<Site, ApiFailure>> {
        self.0
            .get()
            .or_else(|| api::peek(&budapest_post_contract::paths::site()).map(Ok))
    }
}

/// Starts loading the masthead and makes it available to every component.
pub fn provide_site() {
    provide_context(SiteResource(LocalResource::new(api::site)));
}
