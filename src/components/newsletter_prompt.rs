//! The newsletter prompt: the sign-up offered in a modal dialog to a reader who has read an
//! article to its end, once. The native `<dialog>` opened with `showModal()` makes the page
//! behind inert, keeps focus inside, closes on Escape and gives focus back where it was; a
//! reader who closed it is not asked again on this browser.

use leptos::prelude::*;

use crate::browser;
use crate::components::newsletter::{Newsletter, NewsletterData};

/// Set in the browser's storage once the reader has closed the prompt.
pub const CLOSED_KEY: &str = "bp-newsletter-prompt-closed";
/// The id prefix of the sign-up inside the prompt; its heading labels the dialog.
const SIGNUP_ID: &str = "prompt-newsletter";

/// The dialog, opened once when the end of the article comes into view. It is part of the
/// article's selection-report island, not an island of its own: both are offers made at the
/// article's end, and each island costs the wasm its own copy of the hydration code.
#[component]
pub fn NewsletterPrompt() -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    #[cfg(target_arch = "wasm32")]
    open_at_article_end(dialog);
    let close = move |_| {
        if let Some(dialog) = dialog.get_untracked() {
            dialog.close();
        }
    };
    view! {
        <dialog
            node_ref=dialog
            class="prompt"
            aria-labelledby=format!("{SIGNUP_ID}-heading")
            data-testid="newsletter-prompt"
            // Escape, × and a sign-up all end here: the reader has answered.
            on:close=move |_| {
                browser::save(CLOSED_KEY, "1");
            }
        >
            <button type="button" class="prompt__close" aria-label="Close" on:click=close>
                <span aria-hidden="true">"×"</span>
            </button>
            <Newsletter data=NewsletterData { id: SIGNUP_ID.to_owned() } in_dialog=true />
        </dialog>
    }
}

/// Opens `dialog` the first time the article's footer scrolls into view, unless the reader
/// closed it before or is typing in a field (a dialog then would take their text away).
#[cfg(target_arch = "wasm32")]
fn open_at_article_end(dialog: NodeRef<leptos::html::Dialog>) {
    if browser::load(CLOSED_KEY).is_some() {
        return;
    }
    let offered = StoredValue::new(false);
    let handle = window_event_listener(leptos::ev::scroll, move |_| {
        if offered.get_value() || !article_end_in_view() || typing() {
            return;
        }
        if let Some(dialog) = dialog.get_untracked() {
            offered.set_value(dialog.show_modal().is_ok());
        }
    });
    on_cleanup(move || handle.remove());
}

/// Whether the top of the article's footer is inside the window.
#[cfg(target_arch = "wasm32")]
fn article_end_in_view() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let height = window.inner_height().ok().and_then(|h| h.as_f64());
    let footer = window
        .document()
        .and_then(|d| d.query_selector(".article__footer").ok().flatten());
    match (footer, height) {
        (Some(footer), Some(height)) => footer.get_bounding_client_rect().top() < height,
        _ => false,
    }
}

/// Whether the reader's focus is in a text field.
#[cfg(target_arch = "wasm32")]
fn typing() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA"))
}
