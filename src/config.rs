//! Where the site lives and where its API is, read at run time so that one built bundle
//! serves any host, sub-path and API.
//!
//! In the browser the values come from `<meta>` tags in `index.html` (an operator may edit
//! them without rebuilding); when pages are rendered ahead of time they are set by the
//! exporter with [`set`].

use std::cell::RefCell;

use budapest_post_contract::SitePaths;

/// The site's run-time settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SiteConfig {
    /// The path the site lives under, without a trailing slash: `""` or `"/news"`.
    pub base_path: String,
    /// Where the API's read paths live: `""` (this origin and base path) or an origin.
    pub api_base: String,
    /// Where reports and sign-ups are posted; defaults to `api_base`.
    pub api_write_base: String,
    /// The public address of the site, for canonical links; empty means the page's origin.
    pub site_url: String,
}

thread_local! {
    static CONFIG: RefCell<Option<SiteConfig>> = const { RefCell::new(None) };
}

impl SiteConfig {
    /// Every page and API address under the site's base path.
    pub fn paths(&self) -> SitePaths {
        SitePaths::new(&self.base_path)
    }

    /// The full public address of `path` (already under the base path), for canonical links
    /// and sharing: from the configured site address, or in the browser the page's origin.
    pub fn absolute(&self, path: &str) -> String {
        if !self.site_url.is_empty() {
            return format!("{}{path}", self.site_url);
        }
        #[cfg(target_arch = "wasm32")]
        let origin = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default();
        #[cfg(not(target_arch = "wasm32"))]
        let origin = String::new();
        format!("{origin}{path}")
    }
}

/// Every page and API address under the base path in force.
pub fn paths() -> SitePaths {
    get().paths()
}

/// The settings in force.
pub fn get() -> SiteConfig {
    CONFIG.with(|config| {
        config
            .borrow_mut()
            .get_or_insert_with(read_from_page)
            .clone()
    })
}

/// Replaces the settings (for rendering pages ahead of time).
pub fn set(config: SiteConfig) {
    CONFIG.with(|slot| *slot.borrow_mut() = Some(config));
}

#[cfg(target_arch = "wasm32")]
fn read_from_page() -> SiteConfig {
    let meta = |name: &str| {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| {
                d.query_selector(&format!("meta[name='{name}']"))
                    .ok()
                    .flatten()
            })
            .and_then(|m| m.get_attribute("content"))
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    let base_path = SitePaths::new(&meta("bp-base-path")).base().to_owned();
    let api_base = match meta("bp-api-base") {
        base if base.is_empty() => base_path.clone(),
        base => base.trim_end_matches('/').to_owned(),
    };
    let api_write_base = match meta("bp-api-write-base") {
        base if base.is_empty() => api_base.clone(),
        base => base.trim_end_matches('/').to_owned(),
    };
    SiteConfig {
        base_path,
        api_base,
        api_write_base,
        site_url: meta("bp-site-url").trim_end_matches('/').to_owned(),
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn read_from_page() -> SiteConfig {
    SiteConfig::default()
}
