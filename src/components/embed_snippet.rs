//! "Embed this": the code a partner pastes to show an article on their site, and a button that
//! copies it and says so.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

use crate::islands::{island, Island};

/// What the island is made from: the code to show and copy.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbedSnippetData {
    /// The HTML a partner pastes (see `embed::article_snippet`).
    pub snippet: String,
}

/// The embed code as an island: text anyone can select, and a copy button once the app runs.
pub fn embed_snippet_island(snippet: String) -> impl IntoView {
    let data = EmbedSnippetData { snippet };
    island(
        Island::EmbedSnippet,
        &data,
        view! { <EmbedSnippet data=data.clone() /> },
    )
}

/// The code in a read-only field, a copy button, and what the copy did, announced.
#[component]
pub fn EmbedSnippet(
    /// What it is made from.
    data: EmbedSnippetData,
) -> impl IntoView {
    let status = RwSignal::new(String::new());
    let snippet = data.snippet.clone();
    let copy = move |_| {
        let snippet = snippet.clone();
        status.set(String::new());
        spawn_local(async move {
            status.set(if copy_text(&snippet).await {
                "Copied the embed code.".to_owned()
            } else {
                "Could not copy it: select the code above and copy it with Ctrl+C (⌘C on a Mac)."
                    .to_owned()
            });
        });
    };
    view! {
        <label for="embed-code">"Embed code for this article"</label>
        // The renderer writes a textarea's content as it is, and the browser reads character
        // references in it: escaped, the field shows the snippet exactly (a headline's `&amp;`
        // stays `&amp;`), and nothing in it can end the element.
        <textarea id="embed-code" class="embed-this__code" readonly rows="5" spellcheck="false">
            {crate::head::escape(&data.snippet)}
        </textarea>
        <button type="button" class="button" on:click=copy>"Copy the embed code"</button>
        <p class="embed-this__status" role="status">{move || status.get()}</p>
    }
}

/// Puts `text` on the clipboard; whether it did.
#[cfg(target_arch = "wasm32")]
async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let promise = window.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// Pages rendered ahead of time copy nothing.
#[cfg(not(target_arch = "wasm32"))]
async fn copy_text(_: &str) -> bool {
    false
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn the_field_shows_the_snippet_exactly_and_cannot_be_ended_by_it() {
        let data = EmbedSnippetData {
            snippet: "<a href=\"x\">M&amp;S</a></textarea><b>".into(),
        };
        let html = view! { <EmbedSnippet data /> }.to_html();
        assert_eq!(html.matches("</textarea>").count(), 1, "{html}");
        assert!(
            html.contains(
                "&lt;a href=&quot;x&quot;&gt;M&amp;amp;S&lt;/a&gt;&lt;/textarea&gt;&lt;b&gt;"
            ),
            "{html}"
        );
    }
}
