//! Small wrappers over browser APIs that may be missing or refuse (private mode, old browsers).

/// The value of `name` in the page address's query string, unless it is blank.
pub fn query_value(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get(name).filter(|value| !value.trim().is_empty())
}

/// Whether the browser believes it is online (true where it cannot say).
pub fn is_online() -> bool {
    #[cfg(target_arch = "wasm32")]
    return web_sys::window().is_none_or(|w| w.navigator().on_line());
    #[cfg(not(target_arch = "wasm32"))]
    true
}

/// The value stored under `key` in local storage.
pub fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Stores `value` under `key`; false when the browser refused (private mode, quota).
pub fn save(key: &str, value: &str) -> bool {
    storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

/// Forgets `key`.
pub fn forget(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}

fn storage() -> Option<web_sys::Storage> {
    #[cfg(target_arch = "wasm32")]
    return web_sys::window()?.local_storage().ok().flatten();
    #[cfg(not(target_arch = "wasm32"))]
    None
}

/// A fresh random key for idempotent requests (a UUID without dashes, 32 hex digits).
#[cfg(target_arch = "wasm32")]
pub fn random_key() -> String {
    let from_crypto = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid().replace('-', ""));
    from_crypto.unwrap_or_else(|| {
        // Browsers without crypto.randomUUID: Math.random is enough to tell drafts apart.
        (0..4)
            .map(|_| {
                format!(
                    "{:08x}",
                    (js_sys::Math::random() * f64::from(u32::MAX)) as u32
                )
            })
            .collect()
    })
}

/// Pages rendered ahead of time have no browser; their form keys are replaced on load.
#[cfg(not(target_arch = "wasm32"))]
pub fn random_key() -> String {
    String::new()
}

/// Whether the browser can read text aloud.
#[cfg(target_arch = "wasm32")]
pub fn has_speech_synthesis() -> bool {
    web_sys::window().is_some_and(|w| {
        js_sys::Reflect::has(&w, &wasm_bindgen::JsValue::from_str("speechSynthesis"))
            .unwrap_or(false)
    })
}

/// Pages rendered ahead of time show the player as every current browser can read aloud, so
/// the page does not shift when the app takes over.
#[cfg(not(target_arch = "wasm32"))]
pub fn has_speech_synthesis() -> bool {
    true
}

/// The browser's speech synthesiser, when it has one.
pub fn speech() -> Option<web_sys::SpeechSynthesis> {
    #[cfg(target_arch = "wasm32")]
    return web_sys::window()?.speech_synthesis().ok();
    #[cfg(not(target_arch = "wasm32"))]
    None
}

/// Moves focus to the element `id`, if the page has it.
pub fn focus(id: &str) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let element = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            let _ = element.focus();
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = id;
}

/// Moves focus to the element `id` once it has been drawn (an error summary or a confirmation
/// appears with the state just set), so a screen reader reads it and a keyboard reader goes on
/// from there, not from the top of the page.
pub fn focus_when_drawn(id: &str) {
    let id = id.to_owned();
    leptos::prelude::request_animation_frame(move || focus(&id));
}
