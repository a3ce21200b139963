//! The listen-to-this-article player: the article's recording when there is one, otherwise
//! the browser reads the article's text aloud. Hidden where neither is possible.

use budapest_post_contract::Audio;
use leptos::either::Either;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
mod speech;

use crate::browser::focus_when_drawn;
use crate::islands::{island, Island};
use crate::{browser, format};
use speech::SpeechEngine;

/// The element ids of the button that opens the player and of its Play button, which take
/// focus in turn as the player opens and closes (one player a page).
const OPEN_ID: &str = "player-open";
const TOGGLE_ID: &str = "player-toggle";

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

/// The player's state, shared by its parts: whether it is open and playing, where it stands,
/// and what makes the sound (the recording's element, or the browser's voice).
#[derive(Clone, Copy)]
struct PlayerState {
    open: RwSignal<bool>,
    playing: RwSignal<bool>,
    elapsed: RwSignal<f64>,
    total: RwSignal<f64>,
    audio: NodeRef<leptos::html::Audio>,
    /// The browser's voice, when there is no recording.
    speech: Option<StoredValue<SpeechEngine, LocalStorage>>,
}

impl PlayerState {
    fn new(data: &PlayerData) -> Self {
        let total = match &data.audio {
            Some(audio) => f64::from(audio.duration_seconds),
            None => f64::from(data.spoken_seconds),
        };
        Self {
            open: RwSignal::new(false),
            playing: RwSignal::new(false),
            elapsed: RwSignal::new(0.0),
            total: RwSignal::new(total),
            audio: NodeRef::new(),
            speech: data
                .audio
                .is_none()
                .then(|| StoredValue::new_local(SpeechEngine::new())),
        }
    }

    fn speak_from(self, seconds: f64) {
        if let Some(speech) = self.speech {
            let total = self.total.get_untracked();
            speech.update_value(|engine| {
                engine.speak_from(seconds, total, self.elapsed, self.playing)
            });
        }
    }

    fn play_pause(self) {
        let now_playing = !self.playing.get_untracked();
        if let Some(audio) = self.audio.get_untracked() {
            if now_playing {
                let _ = audio.play();
            } else {
                let _ = audio.pause();
            }
        } else if now_playing {
            self.speak_from(self.elapsed.get_untracked());
        } else if let Some(speech) = self.speech {
            speech.update_value(SpeechEngine::stop);
        }
        self.playing.set(now_playing);
    }

    fn seek(self, seconds: f64) {
        self.elapsed.set(seconds);
        if let Some(audio) = self.audio.get_untracked() {
            audio.set_current_time(seconds);
        } else if self.playing.get_untracked() {
            self.speak_from(seconds);
        }
    }

    /// Silences the player. Also runs as the page is torn down, when the signals may already
    /// be gone: hence `try_`.
    fn stop(self) {
        if let Some(audio) = self.audio.try_get_untracked().flatten() {
            let _ = audio.pause();
        }
        if let Some(speech) = self.speech {
            speech.try_update_value(SpeechEngine::stop);
        }
        self.playing.try_set(false);
    }

    /// Moves the voice's clock along between boundary events, while it speaks.
    fn tick_while_speaking(self) {
        let Some(speech) = self.speech else {
            return;
        };
        let ticker = StoredValue::new_local(None::<gloo_timers::callback::Interval>);
        Effect::new(move |_| {
            let interval = self.playing.get().then(|| {
                gloo_timers::callback::Interval::new(500, move || {
                    let total = self.total.get_untracked();
                    if let Some(position) = speech.try_with_value(|engine| engine.position(total)) {
                        self.elapsed.set(position);
                    }
                })
            });
            ticker.set_value(interval);
        });
    }
}

#[component]
fn PlayerControls(data: PlayerData) -> impl IntoView {
    let player = PlayerState::new(&data);
    player.tick_while_speaking();
    on_cleanup(move || player.stop());
    let recording = data.audio.map(|audio| audio.url);
    view! {
        <div class="player" data-testid="player">
            {move || if player.open.get() {
                Either::Left(view! { <PlayerBar player /> })
            } else {
                Either::Right(view! { <PlayerOpen player /> })
            }}
            {recording.map(|src| view! { <Recording player src /> })}
        </div>
    }
}

/// The button that opens the player, with the reading's length.
#[component]
fn PlayerOpen(player: PlayerState) -> impl IntoView {
    view! {
        <button type="button" class="button button--quiet player__open" id=OPEN_ID on:click=move |_| {
            player.open.set(true);
            // The button pressed is gone: the reader goes on from Play.
            focus_when_drawn(TOGGLE_ID);
        }>
            <span aria-hidden="true">"▶ "</span>
            "Listen to this article"
            <span class="player__length">{move || format!(" ({})", format::clock(player.total.get()))}</span>
        </button>
    }
}

/// The open player: play or pause, the time, the seek bar, Close.
#[component]
fn PlayerBar(player: PlayerState) -> impl IntoView {
    let PlayerState {
        playing,
        elapsed,
        total,
        ..
    } = player;
    view! {
        <div class="player__bar" role="region" aria-label="Listen to this article">
            <button
                type="button"
                class="button player__toggle"
                id=TOGGLE_ID
                aria-label=move || if playing.get() { "Pause" } else { "Play" }
                on:click=move |_| player.play_pause()
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
                    player.seek(if seconds.is_finite() { seconds } else { 0.0 })
                }
            />
            <span class="player__time" data-testid="player-total">{move || format::clock(total.get())}</span>
            <button
                type="button"
                class="button button--quiet player__close"
                on:click=move |_| {
                    player.stop();
                    player.open.set(false);
                    focus_when_drawn(OPEN_ID);
                }
            >
                "Close"
            </button>
        </div>
    }
}

/// The recording's element, unseen: the player's buttons drive it, its events drive them.
#[component]
fn Recording(player: PlayerState, src: String) -> impl IntoView {
    let PlayerState {
        playing,
        elapsed,
        total,
        ..
    } = player;
    // The page may have loaded the recording's length before the app took the page over.
    Effect::new(move |_| {
        let duration = player
            .audio
            .get()
            .map_or(f64::NAN, |audio| audio.duration());
        if duration.is_finite() && duration > 0.0 {
            total.set(duration);
        }
    });
    view! {
        <audio
            node_ref=player.audio
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
    }
}
