//! Starting the app in the browser, on a page the server or the exporter rendered.

/// Set on `<html>` once the app has taken the page over.
pub const TAKEN_OVER_ATTRIBUTE: &str = "data-app";

/// Takes over the page's islands where they stand (hydration: what the reader already sees
/// stays on screen) and from then on follows the site's links without leaving the app.
pub fn start() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(root) = document.document_element() else {
        return;
    };
    // Islands start it themselves, but a page without any still runs tasks (fetching pages).
    let _ = any_spawner::Executor::init_wasm_bindgen();
    // The page as it arrived, before the islands change it: what going back to it shows.
    crate::navigation::remember_arrival(&root.outer_html());
    let marked = root.clone();
    crate::navigation::start(&root, move || {
        // Tells tests, the benchmark and styles that links and forms are now the app's.
        let _ = marked.set_attribute(TAKEN_OVER_ATTRIBUTE, "");
    });
}
