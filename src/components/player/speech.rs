//! Reading the article aloud with the browser's own voice, where there is no recording.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::browser;

/// The browser's voice reading the article: it owns the utterance being spoken and its
/// callbacks, and estimates the position from the time spoken (boundary events correct it).
pub(super) struct SpeechEngine {
    /// The article's text, read from the page the first time it is needed.
    text: Option<String>,
    /// The utterance being spoken, released when the next one replaces it.
    speaking: Option<Speaking>,
    /// `Date.now()` when the position would have been 0 at the speed spoken.
    started_at: f64,
}

impl SpeechEngine {
    /// An engine that has read nothing yet.
    pub fn new() -> Self {
        Self {
            text: None,
            speaking: None,
            started_at: 0.0,
        }
    }

    /// Where reading has got to, estimated from the clock, at most `total` seconds.
    pub fn position(&self, total: f64) -> f64 {
        ((js_sys::Date::now() - self.started_at) / 1000.0).min(total)
    }

    /// Reads from `seconds` into the `total` seconds the whole text takes, from the start of
    /// the word there; `elapsed` follows the words read, `playing` turns false at the end.
    pub fn speak_from(
        &mut self,
        seconds: f64,
        total: f64,
        elapsed: RwSignal<f64>,
        playing: RwSignal<bool>,
    ) {
        let text = self.text.get_or_insert_with(article_text);
        let Some(synth) = browser::speech() else {
            return;
        };
        synth.cancel();
        let length = text.chars().count().max(1);
        let fraction = (seconds / total.max(1.0)).clamp(0.0, 1.0);
        let start_char = (fraction * length as f64) as usize;
        // Start at a word boundary so the voice does not begin mid-word.
        let rest: String = text.chars().skip(start_char).collect();
        let rest = match rest.split_once(char::is_whitespace) {
            Some((_, after)) if start_char > 0 => after.trim_start().to_owned(),
            _ => rest,
        };
        let skipped = length - rest.chars().count();
        let on_end = move || playing.set(false);
        let on_boundary = move |char_index: u32| {
            let spoken = skipped + char_index as usize;
            elapsed.set(spoken as f64 / length as f64 * total);
        };
        let Some(next) = Speaking::new(&rest, on_end, on_boundary) else {
            return;
        };
        self.started_at = js_sys::Date::now() - seconds * 1000.0;
        elapsed.set(seconds);
        synth.speak(&next.utterance);
        // The utterance it replaces was cancelled above; dropping it detaches its callbacks.
        self.speaking = Some(next);
    }

    /// Stops reading and lets the utterance and its callbacks go.
    pub fn stop(&mut self) {
        if let Some(synth) = browser::speech() {
            synth.cancel();
        }
        self.speaking = None;
    }
}

/// The article's text as the page shows it, to be read aloud.
fn article_text() -> String {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return String::new();
    };
    let Ok(parts) =
        document.query_selector_all(".article__headline, .article__standfirst, .article__text")
    else {
        return String::new();
    };
    (0..parts.length())
        .filter_map(|i| parts.item(i))
        .filter_map(|node| node.text_content())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// One utterance of the browser's voice with the callbacks it calls: they live exactly as long
/// as it, and are detached from it when it is dropped (a callback freed while the browser
/// could still call it would throw).
struct Speaking {
    utterance: web_sys::SpeechSynthesisUtterance,
    _on_end: wasm_bindgen::closure::Closure<dyn FnMut(JsValue)>,
    _on_boundary: wasm_bindgen::closure::Closure<dyn FnMut(web_sys::SpeechSynthesisEvent)>,
}

impl Speaking {
    /// `text` in British English; `on_end` when it ends or fails, `on_boundary` with the index
    /// of each word reached in `text`.
    fn new(
        text: &str,
        on_end: impl Fn() + 'static,
        on_boundary: impl Fn(u32) + 'static,
    ) -> Option<Self> {
        let utterance = web_sys::SpeechSynthesisUtterance::new_with_text(text).ok()?;
        utterance.set_lang("en-GB");
        let on_end =
            wasm_bindgen::closure::Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| on_end());
        let on_boundary =
            wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::SpeechSynthesisEvent)>::new(
                move |event: web_sys::SpeechSynthesisEvent| on_boundary(event.char_index()),
            );
        utterance.set_onend(Some(on_end.as_ref().unchecked_ref()));
        utterance.set_onerror(Some(on_end.as_ref().unchecked_ref()));
        utterance.set_onboundary(Some(on_boundary.as_ref().unchecked_ref()));
        Some(Self {
            utterance,
            _on_end: on_end,
            _on_boundary: on_boundary,
        })
    }
}

impl Drop for Speaking {
    fn drop(&mut self) {
        self.utterance.set_onend(None);
        self.utterance.set_onerror(None);
        self.utterance.set_onboundary(None);
    }
}
