//! Pages exported ahead of time carry their content as HTML and the API answers it was made
//! from. The app takes such a page over in place: it puts those answers in memory, so its
//! first render already has the data, then replaces the exported markup within the same task,
//! before the browser paints again, with the same markup: no blank flash, no layout shift.

/// Marks the exported elements the app replaces.
pub const PRERENDERED_ATTRIBUTE: &str = "data-bp-prerendered";
/// Marks an embedded API answer; its value is the API path it answers.
pub const PRELOAD_ATTRIBUTE: &str = "data-bp-preload";

/// Seeds memory with the embedded API answers and removes the exported markup.
#[cfg(target_arch = "wasm32")]
pub fn take_over() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Ok(preloads) = document.query_selector_all(&format!("script[{PRELOAD_ATTRIBUTE}]")) {
        for index in 0..preloads.length() {
            let Some(element) = preloads
                .item(index)
                .and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
            else {
                continue;
            };
            if let (Some(path), Some(text)) = (
                element.get_attribute(PRELOAD_ATTRIBUTE),
                element.text_content(),
            ) {
                crate::api::seed(&path, text);
            }
        }
    }
    if let Ok(exported) = document.query_selector_all(&format!("[{PRERENDERED_ATTRIBUTE}]")) {
        for index in 0..exported.length() {
            if let Some(node) = exported.item(index) {
                if let Some(parent) = node.parent_node() {
                    let _ = parent.remove_child(&node);
                }
            }
        }
    }
}

/// Outside a browser there is nothing to take over.
#[cfg(not(target_arch = "wasm32"))]
pub fn take_over() {}

/// Renders the page at `path` to HTML, as the app would show it with `preloads` (pairs of API
/// path and JSON body) already in memory. Used by the static exporter.
#[cfg(feature = "ssr")]
pub fn render(
    path: &str,
    preloads: &[(String, String)],
    config: crate::config::SiteConfig,
) -> String {
    use leptos::prelude::*;
    // Effects never run in a page rendered ahead of time: the browser runs them after the
    // take-over. Builds that also enable `csr` would otherwise try to spawn them.
    let _ = any_spawner::Executor::init_custom_executor(NoEffects);
    crate::config::set(config.clone());
    for (api_path, body) in preloads {
        crate::api::seed(api_path, body.clone());
    }
    let url = format!("http://prerender{}{path}", config.base_path);
    let owner = Owner::new();
    let html = owner.with(|| {
        provide_context(leptos_router::location::RequestUrl::new(&url));
        crate::app::App().to_html()
    });
    drop(owner);
    html
}

/// An executor that drops what it is given: rendering ahead of time runs no effects.
#[cfg(feature = "ssr")]
struct NoEffects;

#[cfg(feature = "ssr")]
impl any_spawner::CustomExecutor for NoEffects {
    fn spawn(&self, _: any_spawner::PinnedFuture<()>) {}
    fn spawn_local(&self, _: any_spawner::PinnedLocalFuture<()>) {}
    fn poll_local(&self) {}
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use budapest_post_contract::{paths, Article, Block, ExplainerItem, Section, Site};

    fn article() -> Article {
        Article {
            slug: "a-slug".into(),
            headline: "A <headline>".into(),
            standfirst: Some("The standfirst.".into()),
            section: Section {
                slug: "europe".into(),
                name: "Europe".into(),
            },
            published_at: "2021-12-17T14:30:00Z".into(),
            updated_at: None,
            reading_time_minutes: 1,
            body: vec![
                Block::Paragraph {
                    text: "First paragraph.".into(),
                    inlines: vec![],
                },
                Block::Explainer {
                    title: "Understand".into(),
                    items: vec![ExplainerItem {
                        lead: "Lead.".into(),
                        text: "Text.".into(),
                    }],
                },
            ],
            credit: Some("Reported from Budapest.".into()),
            ai_disclaimer: "Disclaimer.".into(),
            audio: None,
            related: vec![],
            related_total: 0,
        }
    }

    #[test]
    fn an_article_renders_with_its_text_and_links_under_the_base_path() {
        let site = Site {
            name: "Budapest Post".into(),
            motto: "Motto".into(),
            tagline: "Tagline".into(),
        };
        let preloads = vec![
            (paths::site(), serde_json::to_string(&site).unwrap()),
            (
                paths::article("a-slug"),
                serde_json::to_string(&article()).unwrap(),
            ),
        ];
        let config = crate::config::SiteConfig {
            base_path: "/news".into(),
            ..Default::default()
        };
        let html = render("/articles/a-slug", &preloads, config);
        assert!(html.contains("A &lt;headline&gt;"), "{html}");
        assert!(html.contains("First paragraph."));
        assert!(html.contains("<strong>Lead.</strong>"));
        assert!(html.contains("Budapest Post"));
        assert!(
            html.contains("href=\"/news/contact?article=a-slug\""),
            "{html}"
        );
        assert!(!html.contains("skeleton"));
        if std::env::var_os("BP_SHOW_HTML").is_some() {
            println!("{html}");
        }
    }
}
