//! The parts of a page that respond to the reader: islands.
//!
//! Every page is rendered as HTML by the server or the exporter, and most of it (the text, the
//! lists, the navigation) needs no code in the browser at all. The few parts that do, such as
//! the player and the forms, are rendered inside an element marked with the island's name and
//! the data it was rendered from; in the browser, [`waiting_within`] finds those elements and
//! [`take_over`] lets each island's component take over its own markup in place (hydration),
//! so the wasm carries only these components, not every page.

use leptos::prelude::*;
use serde::Serialize;

/// Names the island an element holds.
pub const ISLAND_ATTRIBUTE: &str = "data-island";
/// The island's props, as JSON.
pub const PROPS_ATTRIBUTE: &str = "data-props";

/// Every island the site has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Island {
    /// The listen-to-this-article player.
    Player,
    /// The Contact Us form.
    ReportForm,
    /// A newsletter sign-up.
    Newsletter,
    /// The homepage's list, which loads more articles.
    MoreArticles,
    /// The offer to report a passage the reader selected in an article.
    SelectionReport,
    /// The unsubscribe button of a newsletter's unsubscribe link.
    Unsubscribe,
    /// The copy button of an article's embed code.
    EmbedSnippet,
}

impl Island {
    /// Every island, to find one by the name the page gives it.
    pub const ALL: [Island; 7] = [
        Island::Player,
        Island::ReportForm,
        Island::Newsletter,
        Island::MoreArticles,
        Island::SelectionReport,
        Island::Unsubscribe,
        Island::EmbedSnippet,
    ];

    /// The name it is marked with in the page.
    pub fn name(self) -> &'static str {
        match self {
            Island::Player => "player",
            Island::ReportForm => "report-form",
            Island::Newsletter => "newsletter",
            Island::MoreArticles => "more-articles",
            Island::SelectionReport => "selection-report",
            Island::Unsubscribe => "unsubscribe",
            Island::EmbedSnippet => "embed-snippet",
        }
    }

    /// The island marked `name`.
    pub fn named(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|island| island.name() == name)
    }
}

/// Renders `view`, the island `island` made from `props`, inside its marked element.
pub fn island<P: Serialize>(island: Island, props: &P, view: impl IntoView) -> impl IntoView {
    let props = crate::json::to_json(props).unwrap_or_default();
    view! {
        <div class="island" data-island=island.name() data-props=props>
            {view}
        </div>
    }
}

#[cfg(target_arch = "wasm32")]
pub use browser::{take_over, waiting_within, TakenOver};

/// Taking islands over in the browser.
#[cfg(target_arch = "wasm32")]
mod browser {
    use std::any::Any;

    use leptos::mount::hydrate_from;
    use leptos::prelude::*;
    use serde::de::DeserializeOwned;
    use wasm_bindgen::{JsCast, JsValue};

    use super::{Island, ISLAND_ATTRIBUTE, PROPS_ATTRIBUTE};
    use crate::components::{
        embed_snippet::EmbedSnippet, more_articles::MoreArticles, newsletter::Newsletter,
        player::Player, report_form::ReportForm, selection_report::SelectionReport,
        unsubscribe::Unsubscribe,
    };

    /// Marks an island the app has taken over, so it is never taken over twice.
    const LIVE_ATTRIBUTE: &str = "data-island-live";

    /// Islands taken over; dropping them releases their components (when the page they are
    /// on is replaced by another).
    #[derive(Default)]
    pub struct TakenOver(Vec<Box<dyn Any>>);

    impl TakenOver {
        /// Adds `others`.
        pub fn extend(&mut self, others: TakenOver) {
            self.0.extend(others.0);
        }
    }

    fn hydrate<P, V>(element: web_sys::HtmlElement, view: fn(P) -> V) -> Option<Box<dyn Any>>
    where
        P: DeserializeOwned + 'static,
        V: IntoView + 'static,
    {
        let props: P = crate::json::from_json(&element.get_attribute(PROPS_ATTRIBUTE)?)?;
        let handle = hydrate_from(element, move || view(props));
        Some(Box::new(handle))
    }

    /// The text fields an island may hold; a hidden or a range field is the component's own.
    const TEXT_FIELDS: &str = "textarea, input:not([type]), input[type=text], input[type=email], \
                               input[type=url], input[type=search], input[type=tel]";

    /// The text fields inside `root` that the reader changed from what the page came with,
    /// and what they hold: taking the island over would set them from the component's state.
    fn typed_within(root: &web_sys::Element) -> Vec<(web_sys::Element, JsValue)> {
        let Ok(fields) = root.query_selector_all(TEXT_FIELDS) else {
            return Vec::new();
        };
        let property = |field: &web_sys::Element, name: &str| {
            js_sys::Reflect::get(field, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
        };
        (0..fields.length())
            .filter_map(|index| fields.item(index)?.dyn_into::<web_sys::Element>().ok())
            .filter_map(|field| {
                let value = property(&field, "value");
                (value != property(&field, "defaultValue")).then_some((field, value))
            })
            .collect()
    }

    /// Puts `typed` back into its fields, telling the components as a keystroke would.
    fn put_back(typed: Vec<(web_sys::Element, JsValue)>) {
        let bubbling = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&bubbling, &JsValue::from_str("bubbles"), &JsValue::TRUE);
        for (field, value) in typed {
            let _ = js_sys::Reflect::set(&field, &JsValue::from_str("value"), &value);
            if let Ok(event) =
                web_sys::Event::new_with_event_init_dict("input", bubbling.unchecked_ref())
            {
                let _ = field.dispatch_event(&event);
            }
        }
    }

    /// The islands inside `root` not taken over yet, in the page's order.
    pub fn waiting_within(root: &web_sys::Element) -> Vec<web_sys::HtmlElement> {
        let selector = format!("[{ISLAND_ATTRIBUTE}]:not([{LIVE_ATTRIBUTE}])");
        let Ok(found) = root.query_selector_all(&selector) else {
            return Vec::new();
        };
        (0..found.length())
            .filter_map(|index| found.item(index))
            .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
            .collect()
    }

    /// Takes over the island `element` holds, unless it is live already or unknown.
    pub fn take_over(element: web_sys::HtmlElement) -> TakenOver {
        let mut taken = TakenOver::default();
        if element.has_attribute(LIVE_ATTRIBUTE) {
            return taken;
        }
        let Some(island) = element
            .get_attribute(ISLAND_ATTRIBUTE)
            .and_then(|name| Island::named(&name))
        else {
            return taken;
        };
        let _ = element.set_attribute(LIVE_ATTRIBUTE, "");
        let typed = typed_within(&element);
        let handle = match island {
            Island::Player => hydrate(element, |data| view! { <Player data /> }),
            Island::ReportForm => hydrate(element, |data| view! { <ReportForm data /> }),
            Island::Newsletter => hydrate(element, |data| view! { <Newsletter data /> }),
            Island::MoreArticles => hydrate(element, |data| view! { <MoreArticles data /> }),
            Island::SelectionReport => hydrate(element, |data| view! { <SelectionReport data /> }),
            Island::Unsubscribe => hydrate(element, |data| view! { <Unsubscribe data /> }),
            Island::EmbedSnippet => hydrate(element, |data| view! { <EmbedSnippet data /> }),
        };
        taken.0.extend(handle);
        if !typed.is_empty() {
            // After the components' first effects, which fill their fields from what the
            // browser knows (a kept draft, the address): what the reader typed is newer.
            leptos::task::spawn_local(async move { put_back(typed) });
        }
        taken
    }
}
