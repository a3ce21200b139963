//! The listen-to-this-article player: the article's recording when there is one, otherwise
//! the browser reads the article's text aloud. Hidden where neither is possible.

use budapest_post_contract::Audio;
use leptos::either::Either;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

use crate::islands::{island, Island};
use crate::{browser, format};

/// Words a synthetic voice reads in a minute, to estimate the reading's length.
const SPOKEN_WORDS_PER_MINUTE: usize = 170;

/// What the player is made from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayerData {
    /// The article's recording, if any.
    pub audio: Option<Audio>,
    /// How long reading the text aloud takes, in seconds, when there is no recording.
    pub spoken_seconds: u32,
}

impl PlayerData {
    /// The player of an article with `audio` and the words of `text`.
    pub fn new(audio: Option<Audio>, text: &str) -> Self {
        let words = text.split_whitespace().count();
        Self {
            audio,
            spoken_seconds: u32::try_from(words * 60 / SPOKEN_WORDS_PER_MINUTE).unwrap_or(u32::MAX),
        }
    }
}

/// The player as an island of the article page.
pub fn player_island(data: PlayerData) -> impl IntoView {
    island(
        Island::Player,
        &data,
        view! { <Player data=data.clone() /> },
    )
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

/// The player for one article.
#[component]
pub fn Player(
    /// What it plays.
    data: PlayerData,
) -> impl IntoView {
    // Rendered for every article; where the browser can neither play the recording nor speak,
    // it is hidden once the app has taken the page over.
    let speakable = RwSignal::new(true);
    if data.audio.is_none() {
        Effect::new(move |_| speakable.set(browser::has_speech_synthesis()));
    }
    view! {
        {move || speakable.get().then(|| view! { <PlayerControls data=data.clone() /> })}
    }
}

#[component]
fn PlayerControls(data: PlayerData) -> impl IntoView {
    let open = RwSignal::new(false);
    let playing = RwSignal::new(false);
    let elapsed = RwSignal::new(0.0_f64);
    let total = RwSignal::new(match &data.audio {
        Some(audio) => f64::from(audio.duration_seconds),
        None => f64::from(data.spoken_seconds),
    });
    let audio_ref = NodeRef::<leptos::html::Audio>::new();
    let is_speech = data.audio.is_none();
    let speech = StoredValue::new_local(None::<String>);
    // The utterance being spoken and its callbacks, released when the next one replaces it.
    let speaking = StoredValue::new_local(None::<Speaking>);
    // The speech position is estimated from the time spoken; boundary events correct it.
    let speech_started_at = StoredValue::new(0.0_f64);

    let speak_from = move |seconds: f64| {
        if !is_speech {
            return;
        }
        if speech.with_value(Option::is_none) {
            speech.set_value(Some(article_text()));
        }
        let Some(text) = speech.get_value() else {
            return;
        };
        let Some(synth) = browser::speech() else {
            return;
        };
        synth.cancel();
        let length = text.chars().count().max(1);
        let fraction = (seconds / total.get_untracked().max(1.0)).clamp(0.0, 1.0);
        let start_char = (fraction * length as f64) as usize;
        // Start at a word boundary so the voice does not begin mid-word.
        let rest: String = text.chars().skip(start_char).collect();
        let rest = match rest.split_once(char::is_whitespace) {
            Some((_, after)) if start_char > 0 => after.trim_start().to_owned(),
            _ => rest,
        };
        let on_end = move || playing.set(false);
        let on_boundary = move |char_index: u32| {
            let spoken = (length - rest_len(length, start_char)) + char_index as usize;
            elapsed.set(spoken as f64 / length as f64 * total.get_untracked());
        };
        let Some(next) = Speaking::new(&rest, on_end, on_boundary) else {
            return;
        };
        speech_started_at.set_value(js_sys::Date::now() - seconds * 1000.0);
        elapsed.set(seconds);
        synth.speak(&next.utterance);
        // The utterance it replaces was cancelled above; dropping it detaches its callbacks.
        speaking.set_value(Some(next));
    };

    // Moves the speech clock along between boundary events.
    let ticker = StoredValue::new_local(None::<gloo_timers::callback::Interval>);
    Effect::new(move |_| {
        if playing.get() && is_speech {
            let interval = gloo_timers::callback::Interval::new(500, move || {
                let seconds = (js_sys::Date::now() - speech_started_at.get_value()) / 1000.0;
                elapsed.set(seconds.min(total.get_untracked()));
            });
            ticker.set_value(Some(interval));
        } else {
            ticker.set_value(None);
        }
    });

    let play_pause = move |_| {
        let now_playing = !playing.get_untracked();
        if let Some(audio) = audio_ref.get_untracked() {
            if now_playing {
                let _ = audio.play();
            } else {
                let _ = audio.pause();
            }
        } else if let Some(synth) = browser::speech() {
            if now_playing {
                speak_from(elapsed.get_untracked());
            } else {
                synth.cancel();
            }
        }
        playing.set(now_playing);
    };

    let seek = move |seconds: f64| {
        elapsed.set(seconds);
        if let Some(audio) = audio_ref.get_untracked() {
            audio.set_current_time(seconds);
        } else if playing.get_untracked() {
            speak_from(seconds);
        }
    };

    // Also runs as the page is torn down, when the signals may already be gone: hence `try_`.
    let stop = move || {
        if let Some(audio) = audio_ref.try_get_untracked().flatten() {
            let _ = audio.pause();
        }
        if is_speech {
            if let Some(synth) = browser::speech() {
                synth.cancel();
            }
            speaking.try_set_value(None);
        }
        playing.try_set(false);
    };
    on_cleanup(stop);

    let recording = data.audio.as_ref().map(|audio| audio.url.clone());

    view! {
        <div class="player" data-testid="player">
            {move || if open.get() {
                Either::Left(view! {
                <div class="player__bar" role="region" aria-label="Listen to this article">
                    <button
                        type="button"
                        class="button player__toggle"
                        aria-label=move || if playing.get() { "Pause" } else { "Play" }
                        on:click=play_pause
                    >
                        {move || if playing.get() { "❚❚" } else { "▶" }}
                    </button>
                    <span class="player__time" data-testid="player-elapsed">{move || format::clock(elapsed.get())}</span>
                    <input
                        class="player__seek"
                        type="range"
                        min="0"
                        step="1"
                        aria-label="Seek"
                        aria-valuetext=move || format!("{} of {}", format::clock(elapsed.get()), format::clock(total.get()))
                        // Numbers, not strings: the DOM turns them into text itself, so the app
                        // carries no float formatting or parsing code of its own.
                        prop:max=move || total.get()
                        prop:value=move || elapsed.get().floor()
                        on:change:target=move |ev| {
                            let seconds = ev.target().value_as_number();
                            seek(if seconds.is_finite() { seconds } else { 0.0 })
                        }
                    />
                    <span class="player__time" data-testid="player-total">{move || format::clock(total.get())}</span>
                    <button
                        type="button"
                        class="button button--quiet player__close"
                        on:click=move |_| {
                            stop();
                            open.set(false);
                        }
                    >
                        "Close"
                    </button>
                </div>
                })
            } else {
                Either::Right(view! {
                    <button type="button" class="button button--quiet player__open" on:click=move |_| open.set(true)>
                        <span aria-hidden="true">"▶ "</span>
                        "Listen to this article"
                        <span class="player__length">{move || format!(" ({})", format::clock(total.get()))}</span>
                    </button>
                })
            }}
            {recording.map(|src| view! {
                <audio
                    node_ref=audio_ref
                    src=src
                    preload="metadata"
                    on:timeupdate:target=move |ev| elapsed.set(ev.target().current_time())
                    on:loadedmetadata:target=move |ev| {
                        let duration = ev.target().duration();
                        if duration.is_finite() && duration > 0.0 {
                            total.set(duration);
                        }
                    }
                    on:ended=move |_| playing.set(false)
                    on:pause=move |_| playing.set(false)
                    on:play=move |_| playing.set(true)
                ></audio>
            })}
        </div>
    }
}

/// Characters left after `start`, of `length`.
fn rest_len(length: usize, start: usize) -> usize {
    length.saturating_sub(start)
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
