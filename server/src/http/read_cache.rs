//! A memory cache of finished API read answers, site files (the feed, the sitemap) and rendered
//! pages, so a read that was answered before costs a lookup instead of SQL, JSON, rendering,
//! hashing and compression.
//!
//! It sits outside compression, `ETag`s and the handlers, and inside rate limits, CORS and
//! security headers, which still run on every request. An answer is cached exactly as those
//! inner layers made it: a `GET` under the API prefix, of a site file or of a page, without a
//! query string, is answered once through them, and its status, headers and (already encoded)
//! body are kept under its path and `Accept-Encoding`, so every representation carries the
//! headers it always had and nothing is compressed twice. A page is also rendered in the app's
//! page shell (`dist/index.html`), so its key names the shell's version too: a rebuilt app is
//! in the very next page served. The `304` a conditional request gets is
//! learnt the same way, by asking the inner layers once with the answer's own tag, at the
//! first conditional request (so a miss costs one pass through them). Entries belong to one
//! [content generation](budapest_post_store::Store::content_generation): when content is (re)loaded
//! the whole cache is dropped, and an answer computed from older content is never served.
//! The cache is bounded by the bytes it holds; the least useful entries are evicted first.
//! Misses of one answer that arrive together are computed once: the others wait for the first
//! (as nginx's `proxy_cache_lock` does), so a cold or just-emptied cache under load runs each
//! query, serialisation and compression once, not once per waiting reader.

use std::collections::HashMap;
use std::convert::Infallible;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Version};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use budapest_post_contract::paths::API_PREFIX;
use budapest_post_contract::{Page, SitePaths};
use tokio::sync::OnceCell;

use super::cache::matching_tag;
use super::early::AnswerEarly;
use crate::api::error::AppError;
use crate::site_files;
use budapest_post_store::Store;

/// `Accept-Encoding` values longer than this are answered without the cache, so odd clients
/// cannot fill it with copies of one answer.
const MAX_ACCEPT_ENCODING_LEN: usize = 128;

/// The largest body read to be cached: the `ETag` layer tags no larger plain body, and an
/// encoding never grows one by much.
const MAX_CACHED_BODY_BYTES: usize = 9 * 1024 * 1024;

/// About how many headers the layers outside the cache add to an answer.
const OUTER_HEADERS: usize = 8;

/// Bytes counted per entry besides its key, headers and body.
const ENTRY_OVERHEAD_BYTES: u64 = 256;

/// One cached answer and what a conditional request for it gets.
struct Entry {
    /// The content generation it was computed from.
    generation: u64,
    /// The `200` answer's headers, as the inner layers made them.
    headers: HeaderMap,
    /// Its body, encoded as `headers` say.
    body: Bytes,
    /// Whether the inner layers gave the body's length up front (a plain body does; a
    /// compressed one is streamed, so it goes out chunked, as it always did).
    sized: bool,
    /// The HTTP version the inner layers answered with.
    version: Version,
    /// What a conditional request gets, learnt from the inner layers at the first such
    /// request, so that a miss costs one pass through them, not two. `None` once learnt that
    /// they did not answer `304` to the answer's own tag: such requests go to them.
    conditional: OnceCell<Option<NotModified>>,
}

/// The `304` the inner layers give a client that holds an entry's body.
struct NotModified {
    /// The strong tag of the plain body, which `If-None-Match` is compared with.
    plain_tag: String,
    /// The `304`'s headers besides its `ETag`.
    headers: HeaderMap,
}

impl Entry {
    fn weight(&self, key: &str) -> u64 {
        let headers: usize = self
            .headers
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len())
            .sum();
        // The `304` learnt later is about as large as the `200`'s headers.
        (key.len() + 2 * headers + self.body.len()) as u64 + ENTRY_OVERHEAD_BYTES
    }

    /// The `200`.
    fn answer(&self) -> Response {
        let mut response = Response::new(body_of(self.body.clone(), self.sized));
        // Room for the headers the layers outside add (security, CSP, CORS), so that they do
        // not grow the map again on every hit.
        let mut headers = HeaderMap::with_capacity(self.headers.len() + OUTER_HEADERS);
        headers.extend(
            self.headers
                .iter()
                .map(|(name, value)| (name.clone(), value.clone())),
        );
        *response.headers_mut() = headers;
        *response.version_mut() = self.version;
        response
    }
}

impl NotModified {
    /// The `304` for `If-None-Match: matched`, with the tag `conditional` would echo.
    fn answer(&self, matched: &str, version: Version) -> Response {
        let echoed = if matched == "*" {
            self.plain_tag.as_str()
        } else {
            matched.trim_start_matches("W/")
        };
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        *response.headers_mut() = self.headers.clone();
        if let Ok(value) = HeaderValue::from_str(echoed) {
            response.headers_mut().insert(header::ETAG, value);
        }
        *response.version_mut() = version;
        response
    }
}

/// A body in one piece that does not declare its length.
struct Unsized(Option<Bytes>);

impl HttpBody for Unsized {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Infallible>>> {
        Poll::Ready(self.0.take().map(|data| Ok(http_body::Frame::data(data))))
    }
}

/// `bytes` as a body that declares its length only if `sized`.
fn body_of(bytes: Bytes, sized: bool) -> Body {
    if sized {
        Body::from(bytes)
    } else {
        Body::new(Unsized(Some(bytes)))
    }
}

#[derive(Clone)]
struct ByteWeight;

impl quick_cache::Weighter<String, Arc<Entry>> for ByteWeight {
    fn weight(&self, key: &String, entry: &Arc<Entry>) -> u64 {
        entry.weight(key)
    }
}

/// An answer being computed, and what it made: `None` when the answer is not one to cache.
type Filling = OnceCell<Option<Arc<Entry>>>;

/// The cached answers, and the content generation they belong to.
pub struct ReadCache {
    entries: Option<quick_cache::sync::Cache<String, Arc<Entry>, ByteWeight>>,
    generation: AtomicU64,
    /// The answers being computed, by content generation and key.
    filling: Mutex<HashMap<(u64, String), Arc<Filling>>>,
}

/// One request's share in computing the answer under `key`; the last to leave an unfinished
/// computation, or the first to leave a finished one, takes it off the list.
struct FillingShare<'a> {
    list: &'a Mutex<HashMap<(u64, String), Arc<Filling>>>,
    key: (u64, String),
    filling: Arc<Filling>,
}

impl Drop for FillingShare<'_> {
    fn drop(&mut self) {
        let mut list = self.list.lock().unwrap_or_else(PoisonError::into_inner);
        let listed = list
            .get(&self.key)
            .is_some_and(|listed| Arc::ptr_eq(listed, &self.filling));
        // Two holders: the list and this share, so no one else is waiting for it.
        if listed && (self.filling.initialized() || Arc::strong_count(&self.filling) <= 2) {
            list.remove(&self.key);
        }
    }
}

impl ReadCache {
    /// A cache holding up to `max_bytes` of answers; `0` caches nothing.
    pub fn new(max_bytes: u64) -> Self {
        // About one plain and one encoded article per slot at the seed article's size.
        let estimated_items = usize::try_from(max_bytes / (16 * 1024))
            .unwrap_or(usize::MAX)
            .max(16);
        Self {
            entries: (max_bytes > 0).then(|| {
                quick_cache::sync::Cache::with_weighter(estimated_items, max_bytes, ByteWeight)
            }),
            generation: AtomicU64::new(0),
            filling: Mutex::new(HashMap::new()),
        }
    }

    /// A share in computing the answer under `key` from content generation `generation`:
    /// the computation already under way, or a new one.
    fn share_in_filling(&self, generation: u64, key: &str) -> FillingShare<'_> {
        let key = (generation, key.to_owned());
        let filling = self
            .filling
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(key.clone())
            .or_default()
            .clone();
        FillingShare {
            list: &self.filling,
            key,
            filling,
        }
    }

    /// The cached answer under `key` for content generation `generation`, first dropping
    /// every entry if the content has changed since the last look.
    fn get(&self, key: &str, generation: u64) -> Option<Arc<Entry>> {
        let entries = self.entries.as_ref()?;
        if self.generation.swap(generation, Ordering::AcqRel) != generation {
            entries.clear();
        }
        entries
            .get(key)
            .filter(|entry| entry.generation == generation)
    }

    fn insert(&self, key: String, entry: Arc<Entry>) {
        if let Some(entries) = &self.entries {
            entries.insert(key, entry);
        }
    }

    /// Whether it may hold anything.
    pub fn is_enabled(&self) -> bool {
        self.entries.is_some()
    }

    /// How many answers are cached.
    pub fn len(&self) -> usize {
        self.entries.as_ref().map_or(0, |entries| entries.len())
    }

    /// Whether no answer is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    #[cfg(test)]
    fn nothing_filling(&self) -> bool {
        self.filling
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_empty()
    }
}

/// What the cache layer needs: the cache, the store whose content it mirrors, and which
/// requests are pages.
#[derive(Clone)]
pub struct ReadCacheState {
    /// The cached answers.
    pub cache: Arc<ReadCache>,
    /// The database, for its content generation.
    pub store: Store,
    /// Which requests are pages, and their shell's version.
    pub pages: Arc<PageKeys>,
}

/// Which requests are for the site's rendered pages, and the version of the page shell they
/// are rendered in.
pub struct PageKeys {
    paths: SitePaths,
    /// The app's `index.html`, which every page is rendered into.
    shell: PathBuf,
}

impl PageKeys {
    /// The pages of a site with `paths`, rendered into the shell file `shell`.
    pub fn new(paths: SitePaths, shell: PathBuf) -> Self {
        Self { paths, shell }
    }

    /// What a page's key carries besides its path: the shell's version, the one the renderer
    /// reloads it by. `None` when `path` is not a page of
    /// the app, or the app is not built.
    fn shell_version(&self, path: &str) -> Option<String> {
        let is_page = path == "/index.html"
            || !matches!(self.paths.page_at(path), None | Some(Page::NotFound));
        if !is_page {
            return None;
        }
        let modified = crate::pages::shell_version(&self.shell)?;
        let since_epoch = modified.duration_since(std::time::UNIX_EPOCH).ok()?;
        Some(since_epoch.as_nanos().to_string())
    }
}

/// The key of a cacheable request: its path, its one `Accept-Encoding` value and, for a page,
/// the version of the shell; `None` when the request is not one the cache answers.
fn cache_key(request: &Request, pages: &PageKeys) -> Option<String> {
    let uri = request.uri();
    if request.method() != Method::GET || uri.query().is_some() {
        return None;
    }
    let path = uri.path();
    let version = if path.starts_with(API_PREFIX) || site_files::is_site_file(path) {
        String::new()
    } else {
        pages.shell_version(path)?
    };
    let mut encodings = request.headers().get_all(header::ACCEPT_ENCODING).iter();
    let encoding = match (encodings.next(), encodings.next()) {
        (None, _) => "",
        (Some(value), None) => value.to_str().ok()?,
        (Some(_), Some(_)) => return None,
    };
    if encoding.len() > MAX_ACCEPT_ENCODING_LEN {
        return None;
    }
    Some(format!("{path}\n{encoding}\n{version}"))
}

/// A `GET` like `template` (same path, version, headers and routing extensions), with `If-None-Match: tag`.
fn conditional_like(template: &Request<()>, tag: &HeaderValue) -> Request {
    let mut request = Request::new(Body::empty());
    *request.method_mut() = Method::GET;
    *request.uri_mut() = template.uri().clone();
    *request.version_mut() = template.version();
    *request.headers_mut() = template.headers().clone();
    *request.extensions_mut() = template.extensions().clone();
    request
        .headers_mut()
        .insert(header::IF_NONE_MATCH, tag.clone());
    request
}

/// Answers `request` through the inner layers and keeps what they said, if it is a tagged
/// `200`; `Err` carries an answer that is not to be cached, to be sent as it is.
async fn compute(request: Request, next: Next, generation: u64) -> Result<Entry, Response> {
    let response = next.run(request).await;
    if response.status() != StatusCode::OK || !response.headers().contains_key(header::ETAG) {
        return Err(response);
    }
    let (parts, body) = response.into_parts();
    let sized = body.size_hint().exact().is_some();
    let body = match axum::body::to_bytes(body, MAX_CACHED_BODY_BYTES).await {
        Ok(body) => body,
        Err(error) => {
            tracing::error!(%error, "cannot read a response body to cache it");
            return Err(AppError::internal().into_response());
        }
    };
    Ok(Entry {
        generation,
        headers: parts.headers,
        body,
        sized,
        version: parts.version,
        conditional: OnceCell::new(),
    })
}

/// What a client holding the very body of `template`'s answer would be told, asked with `*`
/// so the echoed tag is the plain body's own; `None` if that is not a `304`.
async fn learn_not_modified(template: Request<()>, next: Next) -> Option<NotModified> {
    let star = HeaderValue::from_static("*");
    let answer = next.run(conditional_like(&template, &star)).await;
    let plain_tag = answer
        .headers()
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (Some(plain_tag), StatusCode::NOT_MODIFIED) = (plain_tag, answer.status()) else {
        tracing::warn!("an answer's own tag did not give 304; conditional requests skip the cache");
        return None;
    };
    let mut headers = answer.headers().clone();
    headers.remove(header::ETAG);
    Some(NotModified { plain_tag, headers })
}

/// Answers a cached read at once (in an [`EarlyLayer`](super::early::EarlyLayer), ahead of
/// [`serve`] and the time limit); misses, conditional requests and what the cache does not hold
/// go on to [`serve`]. The most frequent answer of all.
#[derive(Clone)]
pub struct Hits(pub ReadCacheState);

impl AnswerEarly for Hits {
    fn answer_early(&self, request: &Request) -> Option<Response> {
        if request.headers().contains_key(header::IF_NONE_MATCH) {
            return None;
        }
        let key = cache_key(request, &self.0.pages)?;
        let generation = self.0.store.content_generation();
        Some(self.0.cache.get(&key, generation)?.answer())
    }
}

/// Answers cacheable reads (API, site files, pages) from the cache, filling it on a miss;
/// passes everything else on.
pub async fn serve(
    State(state): State<ReadCacheState>,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(key) = cache_key(&request, &state.pages).filter(|_| state.cache.is_enabled()) else {
        return next.run(request).await;
    };
    // Read before any SQL runs, so an answer computed during a content load is kept under the
    // older generation and never served.
    let generation = state.store.content_generation();
    let cached = state.cache.get(&key, generation);
    // Plain hits were answered by [`Hits`] above; one may still land here when the entry was
    // stored between the two looks.
    let conditional = request.headers().contains_key(header::IF_NONE_MATCH);
    let conditions = request.headers().clone();
    request.headers_mut().remove(header::IF_NONE_MATCH);
    let (parts, body) = request.into_parts();
    let template = Request::from_parts(parts.clone(), ());
    let entry = match cached {
        Some(entry) => entry,
        None => {
            // Whoever computes first does it with their own request; the others wait and
            // share the entry, or, when it made none to cache, each goes on as before.
            let share = state.cache.share_in_filling(generation, &key);
            let mut own_request = Some(Request::from_parts(parts, body));
            let mut not_cached = None;
            let made = share
                .filling
                .get_or_init(|| async {
                    let request = own_request.take()?;
                    match compute(request, next.clone(), generation).await {
                        Ok(entry) => {
                            let entry = Arc::new(entry);
                            state.cache.insert(key, entry.clone());
                            Some(entry)
                        }
                        Err(response) => {
                            not_cached = Some(response);
                            None
                        }
                    }
                })
                .await
                .clone();
            drop(share);
            match (made, not_cached, own_request) {
                (Some(entry), _, _) => entry,
                (None, Some(response), _) => return response,
                (None, None, Some(request)) => return next.run(request).await,
                (None, None, None) => return AppError::internal().into_response(),
            }
        }
    };
    if !conditional {
        return entry.answer();
    }
    let learnt = entry
        .conditional
        .get_or_init(|| learn_not_modified(template.clone(), next.clone()))
        .await;
    // Learnt from newer content than the entry's: the tag may not be the entry's body's.
    let learnt = learnt
        .as_ref()
        .filter(|_| state.store.content_generation() == entry.generation);
    let Some(not_modified) = learnt else {
        let (mut parts, ()) = template.into_parts();
        parts.headers = conditions;
        return next.run(Request::from_parts(parts, Body::empty())).await;
    };
    match matching_tag(&conditions, &not_modified.plain_tag) {
        Some(matched) => not_modified.answer(&matched, entry.version),
        None => entry.answer(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    use axum::routing::get as route_get;
    use axum::Router;
    use budapest_post_store::Database;
    use tower::ServiceExt;

    use super::*;

    /// A site whose one read, `/api/v1/slow.json`, takes `delay` the first time it is computed
    /// and is tagged (so cached); `/api/v1/missing.json` is a slow `404`. Answers the router
    /// and how many times the inner handlers ran.
    async fn slow_site(
        delay: Duration,
    ) -> (Router, Arc<AtomicUsize>, Arc<ReadCache>, tempfile::TempDir) {
        let folder = tempfile::tempdir().unwrap();
        let store = Store::open(&Database::sqlite(folder.path().join("t.sqlite3")))
            .await
            .unwrap();
        let cache = Arc::new(ReadCache::new(1024 * 1024));
        let state = ReadCacheState {
            cache: cache.clone(),
            store,
            pages: Arc::new(no_app()),
        };
        let runs = Arc::new(AtomicUsize::new(0));
        let (slow_runs, missing_runs) = (runs.clone(), runs.clone());
        let router = Router::new()
            .route(
                "/api/v1/slow.json",
                route_get(move || async move {
                    if slow_runs.fetch_add(1, Ordering::SeqCst) == 0 {
                        tokio::time::sleep(delay).await;
                    }
                    ([(header::ETAG, "\"t\"")], "{}")
                }),
            )
            .route(
                "/api/v1/missing.json",
                route_get(move || async move {
                    missing_runs.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    StatusCode::NOT_FOUND
                }),
            )
            .layer(axum::middleware::from_fn_with_state(state, serve));
        (router, runs, cache, folder)
    }

    async fn status_and_body(router: &Router, uri: &str) -> (StatusCode, Bytes) {
        let response = router.clone().oneshot(get(uri, None)).await.unwrap();
        let status = response.status();
        (
            status,
            axum::body::to_bytes(response.into_body(), 1024)
                .await
                .unwrap(),
        )
    }

    /// A read of `uri` started on its own task, as a reader's request is.
    fn reader(router: &Router, uri: &'static str) -> tokio::task::JoinHandle<(StatusCode, Bytes)> {
        let router = router.clone();
        tokio::spawn(async move { status_and_body(&router, uri).await })
    }

    #[tokio::test]
    async fn misses_that_arrive_together_compute_the_answer_once() {
        let (router, runs, cache, _folder) = slow_site(Duration::from_millis(100)).await;
        let readers: Vec<_> = (0..16)
            .map(|_| reader(&router, "/api/v1/slow.json"))
            .collect();
        for reader in readers {
            assert_eq!(
                reader.await.unwrap(),
                (StatusCode::OK, Bytes::from_static(b"{}"))
            );
        }
        assert_eq!(
            runs.load(Ordering::SeqCst),
            1,
            "one computation for 16 readers"
        );
        assert!(cache.nothing_filling());
    }

    #[tokio::test]
    async fn an_answer_not_to_cache_sends_each_waiting_reader_on_alone() {
        let (router, runs, cache, _folder) = slow_site(Duration::ZERO).await;
        let readers: Vec<_> = (0..8)
            .map(|_| reader(&router, "/api/v1/missing.json"))
            .collect();
        for reader in readers {
            assert_eq!(reader.await.unwrap().0, StatusCode::NOT_FOUND);
        }
        assert_eq!(
            runs.load(Ordering::SeqCst),
            8,
            "a 404 is never shared or cached"
        );
        assert!(cache.nothing_filling());
    }

    #[tokio::test]
    async fn a_reader_who_leaves_mid_computation_leaves_it_to_the_next() {
        let (router, runs, cache, _folder) = slow_site(Duration::from_secs(3600)).await;
        let first = reader(&router, "/api/v1/slow.json");
        while runs.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        let second = reader(&router, "/api/v1/slow.json");
        tokio::task::yield_now().await;
        first.abort();
        assert_eq!(
            second.await.unwrap(),
            (StatusCode::OK, Bytes::from_static(b"{}"))
        );
        assert_eq!(runs.load(Ordering::SeqCst), 2);
        assert!(
            cache.nothing_filling(),
            "the abandoned computation is off the list"
        );
    }

    fn get(uri: &str, encoding: Option<&str>) -> Request {
        let mut builder = Request::builder().uri(uri);
        if let Some(encoding) = encoding {
            builder = builder.header(header::ACCEPT_ENCODING, encoding);
        }
        builder.body(Body::empty()).unwrap()
    }

    /// Page keys of a site whose app is not built: no page is cached.
    fn no_app() -> PageKeys {
        PageKeys::new(
            SitePaths::new(""),
            PathBuf::from("/nonexistent/bp-read-cache/index.html"),
        )
    }

    #[test]
    fn only_plain_gets_of_the_api_and_the_site_files_are_cached() {
        let pages = no_app();
        let key = |request: &Request| cache_key(request, &pages);
        assert_eq!(
            key(&get("/api/v1/site.json", Some("gzip, br"))).as_deref(),
            Some("/api/v1/site.json\ngzip, br\n")
        );
        assert_eq!(
            key(&get("/api/v1/site.json", None)).as_deref(),
            Some("/api/v1/site.json\n\n")
        );
        assert!(key(&get("/api/v1/site.json?x=1", None)).is_none());
        assert!(key(&get("/articles/x", None)).is_none(), "no app built");
        for site_file in ["/feed.xml", "/sitemap.xml", "/sitemap/2.xml", "/robots.txt"] {
            assert_eq!(key(&get(site_file, None)), Some(format!("{site_file}\n\n")));
        }
        assert!(key(&get("/feed.xml?x=1", None)).is_none());
        assert!(key(&get("/feed.xml.bak", None)).is_none());
        let long = "gzip, ".repeat(40);
        assert!(key(&get("/api/v1/site.json", Some(&long))).is_none());
        let mut post = get("/api/v1/site.json", None);
        *post.method_mut() = Method::POST;
        assert!(key(&post).is_none());
        let mut head = get("/api/v1/site.json", None);
        *head.method_mut() = Method::HEAD;
        assert!(key(&head).is_none());
    }

    #[test]
    fn a_pages_key_names_the_shell_it_is_rendered_in() {
        let folder = tempfile::tempdir().unwrap();
        let shell = folder.path().join("index.html");
        std::fs::write(&shell, "<!doctype html>").unwrap();
        let pages = PageKeys::new(SitePaths::new(""), shell.clone());
        let key = |uri: &str| cache_key(&get(uri, Some("br")), &pages);
        let article = key("/articles/a-slug").unwrap();
        assert!(article.starts_with("/articles/a-slug\nbr\n"), "{article}");
        for page in ["/", "/index.html", "/contact", "/embed/headlines"] {
            assert!(key(page).is_some(), "{page}");
        }
        // Files, unknown addresses and pages asked with a query are not cached.
        for other in [
            "/favicon.svg",
            "/no/such/page",
            "/articles/Not_A_Slug",
            "/contact?article=a",
        ] {
            assert!(key(other).is_none(), "{other}");
        }
        // A rebuilt app is a new key.
        let rebuilt = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
        std::fs::File::options()
            .write(true)
            .open(&shell)
            .unwrap()
            .set_modified(rebuilt)
            .unwrap();
        assert_ne!(key("/articles/a-slug").unwrap(), article);
    }

    #[test]
    fn a_cache_of_no_bytes_holds_nothing() {
        let cache = ReadCache::new(0);
        cache.insert(
            "k".into(),
            Arc::new(Entry {
                generation: 0,
                headers: HeaderMap::new(),
                body: Bytes::from_static(b"{}"),
                sized: true,
                version: Version::HTTP_11,
                conditional: OnceCell::new(),
            }),
        );
        assert!(cache.is_empty());
        assert!(cache.get("k", 0).is_none());
    }

    #[test]
    fn a_new_generation_drops_every_entry() {
        let cache = ReadCache::new(1024 * 1024);
        let entry = |generation| Entry {
            generation,
            headers: HeaderMap::new(),
            body: Bytes::from_static(b"{}"),
            sized: true,
            version: Version::HTTP_11,
            conditional: OnceCell::new(),
        };
        cache.insert("k".into(), Arc::new(entry(0)));
        assert!(cache.get("k", 0).is_some());
        assert!(cache.get("k", 1).is_none());
        assert!(cache.is_empty(), "dropped when the generation moved on");
        // An answer computed from the older content, stored late, is not served.
        cache.insert("k".into(), Arc::new(entry(0)));
        assert!(cache.get("k", 1).is_none());
    }
}
