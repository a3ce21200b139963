//! The one API client: every request the app makes goes through here, and every way a request
//! can fail becomes one [`ApiFailure`] that pages show in plain words.

use std::cell::RefCell;
use std::collections::HashMap;

use budapest_post_contract::{
    paths, ApiError, ArticleList, ArticleSummary, ErrorBody, NewsletterReceipt, NewsletterSignup,
    NewsletterUnsubscribe, ReportReceipt, ReportRequest, UnsubscribeReceipt,
};
use serde::de::DeserializeOwned;

use crate::json::{from_json, to_json};
use serde::Serialize;

/// How long a request may take before the reader is told it timed out.
const REQUEST_TIMEOUT_MS: u32 = 10_000;
/// How long a response read once is served from memory without asking again.
const CACHE_LIFETIME_MS: f64 = 5.0 * 60.0 * 1000.0;

/// Why a request did not give the app what it asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiFailure {
    /// The API could not be reached at all (offline, DNS, refused, CORS).
    Unreachable,
    /// The API did not answer in time.
    TimedOut,
    /// Nothing at that address.
    NotFound,
    /// The API refused the request and said why.
    Rejected(ApiError),
    /// The API failed with this 5xx (or other unexpected) status.
    Server(u16),
    /// The API answered with something that is not the JSON it promised.
    Malformed,
}

impl ApiFailure {
    /// What happened, in words a reader understands.
    pub fn message(&self) -> String {
        match self {
            ApiFailure::Unreachable => {
                "We could not reach the Budapest Post. Check your connection and try again.".into()
            }
            ApiFailure::TimedOut => {
                "The Budapest Post is taking too long to answer. Please try again.".into()
            }
            ApiFailure::NotFound => "We could not find that page.".into(),
            ApiFailure::Rejected(error) => error.message.clone(),
            ApiFailure::Server(_) | ApiFailure::Malformed => {
                "Something went wrong on our side. Please try again in a moment.".into()
            }
        }
    }
}

/// An answer held in memory: when it was read, its status and its body.
#[derive(Clone)]
struct Held {
    stored_at: f64,
    status: u16,
    text: String,
}

thread_local! {
    static CACHE: RefCell<HashMap<String, Held>> = RefCell::new(HashMap::new());
}

/// The full address of an API read path (see [`crate::config`]).
pub fn url(path: &str) -> String {
    format!("{}{path}", crate::config::get().api_base)
}

/// The full address of an API write path.
fn write_url(path: &str) -> String {
    format!("{}{path}", crate::config::get().api_write_base)
}

fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    return js_sys::Date::now();
    #[cfg(not(target_arch = "wasm32"))]
    0.0
}

/// Puts an answer in memory as if it had just been read from `path`: the data a page was
/// rendered from, embedded in it, so the app's first render in the browser has it too.
pub fn seed(path: &str, status: u16, text: String) {
    let held = Held {
        stored_at: now_ms(),
        status,
        text,
    };
    CACHE.with(|cache| cache.borrow_mut().insert(path.to_owned(), held));
}

/// Forgets every answer held in memory (a renderer does, between pages).
pub fn forget_all() {
    CACHE.with(|cache| cache.borrow_mut().clear());
}

/// What the answer at `path` says, if it is in memory now; never fetches. Pages read their
/// data this way: the renderer has put every answer a page shows in memory before it renders.
pub fn peek<T: DeserializeOwned>(path: &str) -> Option<Result<T, ApiFailure>> {
    cached(path).map(|held| interpret(held.status, &held.text))
}

fn cached(path: &str) -> Option<Held> {
    CACHE.with(|cache| {
        cache
            .borrow()
            .get(path)
            .filter(|held| now_ms() - held.stored_at < CACHE_LIFETIME_MS)
            .cloned()
    })
}

/// A whole answer: its status, its media type and its body.
#[derive(Clone, Debug)]
pub struct Fetched {
    pub status: u16,
    /// The `Content-Type`'s media type, lower case, without parameters.
    pub media_type: String,
    /// The body, read as text whatever its type, so that a wrong type can be said plainly.
    pub text: String,
}

/// Sends `request` to `url` and reads the whole answer. Any failure (refused, offline, CORS,
/// aborted, unreadable body) is `Err(())`: the caller knows whether it aborted the request.
async fn fetch_text(url: &str, request: &web_sys::RequestInit) -> Result<Fetched, ()> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    let window = web_sys::window().ok_or(())?;
    let response = JsFuture::from(window.fetch_with_str_and_init(url, request))
        .await
        .map_err(drop)?;
    let response: web_sys::Response = response.dyn_into().map_err(drop)?;
    let status = response.status();
    let media_type = response
        .headers()
        .get("content-type")
        .ok()
        .flatten()
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let text = JsFuture::from(response.text().map_err(drop)?)
        .await
        .map_err(drop)?;
    Ok(Fetched {
        status,
        media_type,
        text: text.as_string().ok_or(())?,
    })
}

/// GETs `url`, giving up after [`REQUEST_TIMEOUT_MS`].
pub async fn send_get(url: &str) -> Result<Fetched, ApiFailure> {
    let controller = web_sys::AbortController::new().map_err(|_| ApiFailure::Unreachable)?;
    let signal = controller.signal();
    let request = web_sys::RequestInit::new();
    request.set_method("GET");
    request.set_signal(Some(&signal));
    let timer = gloo_timers::callback::Timeout::new(REQUEST_TIMEOUT_MS, move || controller.abort());
    let result = fetch_text(url, &request).await;
    drop(timer);
    result.map_err(|()| {
        if signal.aborted() {
            ApiFailure::TimedOut
        } else {
            ApiFailure::Unreachable
        }
    })
}

/// POSTs `json` to `url`.
async fn send_post(url: &str, json: &str) -> Result<Fetched, ApiFailure> {
    // A POST is never aborted by a timer: once sent it may have been stored, and the
    // idempotency key makes a resend safe, so the reader decides when to retry.
    let headers = web_sys::Headers::new().map_err(|_| ApiFailure::Unreachable)?;
    headers
        .set("Content-Type", "application/json")
        .map_err(|_| ApiFailure::Unreachable)?;
    let request = web_sys::RequestInit::new();
    request.set_method("POST");
    request.set_headers(&headers);
    request.set_body(&wasm_bindgen::JsValue::from_str(json));
    fetch_text(url, &request)
        .await
        .map_err(|()| ApiFailure::Unreachable)
}

/// Turns a status and body into the expected value or the failure it describes.
pub fn interpret<T: DeserializeOwned>(status: u16, text: &str) -> Result<T, ApiFailure> {
    match status {
        200..=299 => from_json(text).ok_or(ApiFailure::Malformed),
        404 => Err(ApiFailure::NotFound),
        // A refusal or an outage the API explains (429, 503 `unavailable`) in its own words;
        // anything else (a proxy's page, a crash) is a plain server failure.
        _ => match from_json::<ErrorBody>(text) {
            Some(body) if status >= 400 => Err(ApiFailure::Rejected(body.error)),
            _ => Err(ApiFailure::Server(status)),
        },
    }
}

/// GETs `path` as JSON, from memory when it was read in the last few minutes.
async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiFailure> {
    if let Some(Ok(value)) = peek(path) {
        return Ok(value);
    }
    let answer = send_get(&url(path)).await?;
    if (200..300).contains(&answer.status) && answer.media_type != "application/json" {
        // A proxy's or a host's page instead of the API's JSON.
        return Err(ApiFailure::Malformed);
    }
    let value = interpret(answer.status, &answer.text)?;
    seed(path, answer.status, answer.text);
    Ok(value)
}

/// POSTs `body` as JSON to `path`.
async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiFailure> {
    let json = to_json(body).ok_or(ApiFailure::Malformed)?;
    let answer = send_post(&write_url(path), &json).await?;
    interpret(answer.status, &answer.text)
}

/// Page `page` of the article list (1 is the front page).
pub async fn article_list(page: u32) -> Result<ArticleList, ApiFailure> {
    if page <= 1 {
        get(&paths::article_index()).await
    } else {
        get(&paths::article_page(page)).await
    }
}

/// An article's list entry (headline, section, dates), read from the article's own answer
/// without reading its body: a page that only names an article carries no code for bodies.
pub async fn article_summary(slug: &str) -> Result<ArticleSummary, ApiFailure> {
    get(&paths::article(slug)).await
}

/// Sends a reader's inaccuracy report.
pub async fn submit_report(report: &ReportRequest) -> Result<ReportReceipt, ApiFailure> {
    post(&paths::reports(), report).await
}

/// Signs a reader up for the newsletter.
pub async fn subscribe(signup: &NewsletterSignup) -> Result<NewsletterReceipt, ApiFailure> {
    post(&paths::newsletter(), signup).await
}

/// Takes the address of an unsubscribe link's token off the newsletter list.
pub async fn unsubscribe(
    request: &NewsletterUnsubscribe,
) -> Result<UnsubscribeReceipt, ApiFailure> {
    post(&paths::newsletter_unsubscribe(), request).await
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use budapest_post_contract::{ErrorCode, Site};
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn statuses_become_typed_failures() {
        assert_eq!(interpret::<Site>(404, ""), Err(ApiFailure::NotFound));
        assert_eq!(
            interpret::<Site>(503, "<html>"),
            Err(ApiFailure::Server(503))
        );
        assert_eq!(
            interpret::<Site>(200, "{not json"),
            Err(ApiFailure::Malformed)
        );
        assert_eq!(
            interpret::<Site>(200, r#"{"name":1}"#),
            Err(ApiFailure::Malformed)
        );
        let refused = r#"{"error":{"code":"rate_limited","message":"Slow down."}}"#;
        match interpret::<Site>(429, refused) {
            Err(ApiFailure::Rejected(e)) => assert_eq!(e.code, ErrorCode::RateLimited),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[wasm_bindgen_test]
    async fn a_get_answers_the_status_and_body_of_a_real_response() {
        // The test runner's own server has no such file: a real 404 travels the whole path.
        let answer = send_get("/no-such-file.json").await.unwrap();
        assert_eq!(answer.status, 404);
        let answer = send_post("/no-such-file.json", "{}").await.unwrap();
        assert!((400..=499).contains(&answer.status), "{}", answer.status);
    }

    #[wasm_bindgen_test]
    async fn a_refused_connection_is_unreachable_not_a_timeout() {
        // Port 9 (discard) is closed on the test machine: the browser's fetch rejects at once.
        let refused = "http://127.0.0.1:9/api/v1/site.json";
        assert_eq!(send_get(refused).await.err(), Some(ApiFailure::Unreachable));
        assert_eq!(
            send_post(refused, "{}").await.err(),
            Some(ApiFailure::Unreachable)
        );
    }

    #[wasm_bindgen_test]
    fn every_failure_has_plain_words() {
        for failure in [
            ApiFailure::Unreachable,
            ApiFailure::TimedOut,
            ApiFailure::NotFound,
            ApiFailure::Server(500),
            ApiFailure::Malformed,
        ] {
            assert!(failure.message().ends_with('.'));
        }
    }
}
