//! Starting the app in the browser, on a page the server or the exporter rendered.

use wasm_bindgen::JsCast;

use crate::api::{PRELOAD_ATTRIBUTE, PRELOAD_STATUS_ATTRIBUTE};

/// Puts the API answers the page was rendered from into memory, then takes the rendered page
/// over in place (hydration), so what the reader already sees stays on screen. A page with
/// nothing rendered in it (a bare `index.html`) is drawn from scratch instead.
pub fn start() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    seed_preloads(&document);
    let rendered = document
        .body()
        .is_some_and(|body| body.first_element_child().is_some());
    if rendered {
        leptos::mount::hydrate_body(crate::app::App);
    } else {
        leptos::mount::mount_to_body(crate::app::App);
    }
    // Tells tests, the benchmark and styles that links and forms are now the app's.
    if let Some(root) = document.document_element() {
        let _ = root.set_attribute(TAKEN_OVER_ATTRIBUTE, "");
    }
}

/// Set on `<html>` once the app has taken the page over.
pub const TAKEN_OVER_ATTRIBUTE: &str = "data-app";

fn seed_preloads(document: &web_sys::Document) {
    let Ok(preloads) = document.query_selector_all(&format!("script[{PRELOAD_ATTRIBUTE}]")) else {
        return;
    };
    for index in 0..preloads.length() {
        let Some(element) = preloads
            .item(index)
            .and_then(|node| node.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let status = element
            .get_attribute(PRELOAD_STATUS_ATTRIBUTE)
            .and_then(|s| s.parse().ok())
            .unwrap_or(200);
        if let (Some(path), Some(text)) = (
            element.get_attribute(PRELOAD_ATTRIBUTE),
            element.text_content(),
        ) {
            crate::api::seed(&path, status, text);
        }
    }
}
