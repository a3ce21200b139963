//! JSON in and out. In the browser the browser's own `JSON.parse` and `JSON.stringify` do the
//! text work (with `serde-wasm-bindgen` between their values and ours), so the wasm carries no
//! JSON parser of its own; rendering ahead of time uses `serde_json`.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// The value `text` holds, if it is JSON of that shape.
pub fn from_json<T: DeserializeOwned>(text: &str) -> Option<T> {
    #[cfg(target_arch = "wasm32")]
    return serde_wasm_bindgen::from_value(js_sys::JSON::parse(text).ok()?).ok();
    #[cfg(not(target_arch = "wasm32"))]
    serde_json::from_str(text).ok()
}

/// `value` as JSON text. Fields that are `None` are left out in the browser (the API reads a
/// missing optional field as absent).
pub fn to_json<T: Serialize>(value: &T) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    return js_sys::JSON::stringify(&serde_wasm_bindgen::to_value(value).ok()?)
        .ok()?
        .as_string();
    #[cfg(not(target_arch = "wasm32"))]
    serde_json::to_string(value).ok()
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use budapest_post_contract::{ErrorBody, ErrorCode, ReportRequest};
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn reports_and_errors_travel_through_the_browsers_json() {
        let report = ReportRequest {
            article_slug: "a-slug".into(),
            quoted_passage: "“Quoted” \u{1F600} <b>".into(),
            idempotency_key: "k".repeat(16),
            ..Default::default()
        };
        let text = to_json(&report).unwrap();
        assert_eq!(from_json::<ReportRequest>(&text), Some(report));
        let refused = r#"{"error":{"code":"rate_limited","message":"Slow down."}}"#;
        let body: ErrorBody = from_json(refused).unwrap();
        assert_eq!(body.error.code, ErrorCode::RateLimited);
        assert_eq!(from_json::<ErrorBody>("{not json"), None);
        assert_eq!(from_json::<ErrorBody>(r#"{"error":1}"#), None);
    }
}
