//! Moving from page to page without leaving the app.
//!
//! A link inside the site is followed by fetching the next page as the server or the exporter
//! rendered it, and putting its main content and its head in place of the current ones: the
//! reader gets the very page a reload would give, at the cost of one small fetch, and the app
//! carries no code for pages that need none. Pages are kept in memory for a while, and fetched
//! ahead as soon as a reader points at a link, so going to a page seen before (or about to be
//! seen) is immediate. After each change of page, focus moves to its heading and its title is
//! announced; going back restores where the reader was.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};

use budapest_post_contract::Page;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::api::{self, ApiFailure, Fetched};
use crate::components::status::{ArticleSkeleton, ListSkeleton, LoadError};
use crate::head::MANAGED_ATTRIBUTE;
use crate::islands::{take_over, waiting_within, TakenOver};

/// How long a page fetched once is shown again without asking.
const PAGE_LIFETIME_MS: f64 = 5.0 * 60.0 * 1000.0;
/// How many pages are kept in memory; the oldest goes first.
const PAGES_KEPT: usize = 40;
/// How long a page may take before the reader sees its outline instead of the last page.
const OUTLINE_AFTER_MS: u32 = 200;
/// The element whose text announces each new page to assistive technology.
pub const ANNOUNCER_ID: &str = "route-announcer";

/// A page held in memory.
struct Held {
    fetched_at: f64,
    page: Fetched,
}

/// Where the navigation stands.
#[derive(Default)]
struct Navigator {
    pages: HashMap<String, Held>,
    /// Addresses being fetched ahead, so a second hover does not fetch again.
    under_way: Vec<String>,
    /// The islands of the current page.
    islands: TakenOver,
    /// Counts navigations, so an answer for an older one is dropped.
    latest: u64,
    /// The key of the page on screen (or on its way), so that moving within it (its
    /// fragments, back and forth) is left to the browser.
    current: String,
    /// What is shown while a slow page loads, until it replaces it.
    outline: Option<Box<dyn std::any::Any>>,
    /// The page last fetched ahead, parsed while the reader was still pointing at its link,
    /// so that the click only moves its nodes; used once (the nodes move), by its key.
    ready: Option<(String, web_sys::Document)>,
}

thread_local! {
    static NAVIGATOR: RefCell<Navigator> = RefCell::new(Navigator::default());
}

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

fn document() -> Option<web_sys::Document> {
    window()?.document()
}

fn main_element() -> Option<web_sys::HtmlElement> {
    document()?
        .get_element_by_id("main")?
        .dyn_into::<web_sys::HtmlElement>()
        .ok()
}

/// The address `href` points at, resolved against the page, if it is one of the site's
/// pages that this app shows (not a file, another site or the same page's fragment).
fn page_address(href: &str) -> Option<web_sys::Url> {
    let location = window()?.location();
    let url = web_sys::Url::new_with_base(href, &location.href().ok()?).ok()?;
    if url.origin() != location.origin().ok()? {
        return None;
    }
    let same_document =
        url.pathname() == location.pathname().ok()? && url.search() == location.search().ok()?;
    if same_document && !url.hash().is_empty() {
        return None;
    }
    match crate::config::paths().page_at(&url.pathname()) {
        // Embeds are whole documents of their own, for partners' frames, not app pages; the
        // report status page runs a script of its own, which only a document load starts.
        Some(
            Page::NotFound
            | Page::EmbedHeadlines { .. }
            | Page::EmbedArticle { .. }
            | Page::ReportStatus,
        )
        | None => None,
        Some(_) => Some(url),
    }
}

/// The key a page is kept under: its path and query.
fn key_of(url: &web_sys::Url) -> String {
    format!("{}{}", url.pathname(), url.search())
}

fn held_page(key: &str) -> Option<Fetched> {
    let now = js_sys::Date::now();
    NAVIGATOR.with(|navigator| {
        navigator
            .borrow()
            .pages
            .get(key)
            .filter(|held| now - held.fetched_at < PAGE_LIFETIME_MS)
            .map(|held| held.page.clone())
    })
}

fn keep_page(key: String, page: Fetched) {
    NAVIGATOR.with(|navigator| {
        let mut navigator = navigator.borrow_mut();
        navigator.under_way.retain(|k| *k != key);
        if navigator.ready.as_ref().is_some_and(|(k, _)| *k == key) {
            navigator.ready = None;
        }
        if navigator.pages.len() >= PAGES_KEPT {
            let oldest = navigator
                .pages
                .iter()
                .min_by(|a, b| a.1.fetched_at.total_cmp(&b.1.fetched_at))
                .map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                navigator.pages.remove(&oldest);
            }
        }
        navigator.pages.insert(
            key,
            Held {
                fetched_at: js_sys::Date::now(),
                page,
            },
        );
    });
}

/// Whether `page` is a rendered page this app can put in place (else the browser loads it).
fn is_page(page: &Fetched) -> bool {
    page.media_type == "text/html"
}

/// Fetches the page at `url` into memory, unless it is there or on its way.
fn fetch_ahead(url: web_sys::Url) {
    let key = key_of(&url);
    let known = held_page(&key).is_some()
        || NAVIGATOR.with(|navigator| navigator.borrow().under_way.contains(&key));
    if known {
        return;
    }
    NAVIGATOR.with(|navigator| navigator.borrow_mut().under_way.push(key.clone()));
    leptos::task::spawn_local(async move {
        match api::send_get(&url.href()).await {
            Ok(page) if page.status == 200 && is_page(&page) => {
                let parsed = parse(&page.text);
                keep_page(key.clone(), page);
                NAVIGATOR.with(|navigator| {
                    navigator.borrow_mut().ready = parsed.map(|document| (key, document));
                });
            }
            _ => NAVIGATOR.with(|navigator| navigator.borrow_mut().under_way.retain(|k| *k != key)),
        }
    });
}

/// How a page is reached.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Arrival {
    /// A link: a new entry in the history, at the top of the page.
    Link,
    /// Back or forward: where the reader was on it.
    History,
    /// Trying again after a failure: the same entry.
    Retry,
}

/// Shows the page at `url`.
fn go(url: web_sys::Url, arrival: Arrival) {
    let key = key_of(&url);
    NAVIGATOR.with(|navigator| navigator.borrow_mut().current = key.clone());
    if arrival == Arrival::Link {
        remember_scroll();
        if let Some(history) = window().and_then(|w| w.history().ok()) {
            let _ =
                history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url.href()));
        }
    }
    let this = NAVIGATOR.with(|navigator| {
        let mut navigator = navigator.borrow_mut();
        navigator.latest += 1;
        navigator.latest
    });
    if let Some(page) = held_page(&key) {
        show(&page, &url, arrival);
        return;
    }
    let outline_url = url.clone();
    let outline = gloo_timers::callback::Timeout::new(OUTLINE_AFTER_MS, move || {
        if is_latest(this) {
            show_outline(&outline_url);
        }
    });
    leptos::task::spawn_local(async move {
        let fetched = api::send_get(&url.href()).await;
        drop(outline);
        if !is_latest(this) {
            return;
        }
        match fetched {
            Ok(page) if is_page(&page) => {
                if page.status == 200 {
                    keep_page(key, page.clone());
                }
                show(&page, &url, arrival);
            }
            Ok(page) if page.status >= 500 => show_failure(ApiFailure::Server(page.status), url),
            Ok(_) => {
                // Not a page of ours after all (a file): let the browser have it.
                if let Some(location) = window().map(|w| w.location()) {
                    let _ = location.replace(&url.href());
                }
            }
            Err(failure) => show_failure(failure, url),
        }
    });
}

fn is_latest(navigation: u64) -> bool {
    NAVIGATOR.with(|navigator| navigator.borrow().latest == navigation)
}

/// Notes where the reader is on the current page, for coming back to it.
fn remember_scroll() {
    let Some(window) = window() else {
        return;
    };
    let y = window.scroll_y().unwrap_or(0.0);
    if let Ok(history) = window.history() {
        let state = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&state, &"scrollY".into(), &y.into());
        let _ = history.replace_state(&state, "");
    }
}

fn remembered_scroll() -> f64 {
    window()
        .and_then(|w| w.history().ok())
        .and_then(|h| h.state().ok())
        .and_then(|state| js_sys::Reflect::get(&state, &"scrollY".into()).ok())
        .and_then(|y| y.as_f64())
        .unwrap_or(0.0)
}

/// The current page's islands and whatever is shown while loading, no longer the app's;
/// dropping them releases them.
fn take_current() -> (TakenOver, Option<Box<dyn std::any::Any>>) {
    NAVIGATOR.with(|navigator| {
        let mut navigator = navigator.borrow_mut();
        (
            std::mem::take(&mut navigator.islands),
            navigator.outline.take(),
        )
    })
}

/// Releases the current page's islands and whatever is shown while loading.
fn release_current() {
    drop(take_current());
}

/// `html` parsed into a document of its own (nothing in it runs or loads).
fn parse(html: &str) -> Option<web_sys::Document> {
    web_sys::DomParser::new()
        .ok()?
        .parse_from_string(html, web_sys::SupportedType::TextHtml)
        .ok()
}

/// The page kept under `key` as parsed ahead, if it was, else `page` parsed now.
fn parsed_page(key: &str, page: &Fetched) -> Option<web_sys::Document> {
    let ready = NAVIGATOR.with(|navigator| {
        let mut navigator = navigator.borrow_mut();
        match &navigator.ready {
            Some((k, _)) if k == key => navigator.ready.take().map(|(_, document)| document),
            _ => None,
        }
    });
    ready.or_else(|| parse(&page.text))
}

/// Runs `work` once the browser has painted the next frame: what the reader sees first is
/// not held up by it.
fn after_next_paint(work: impl FnOnce() + 'static) {
    let Some(window) = window() else {
        return;
    };
    let frame = Closure::once_into_js(move || {
        gloo_timers::callback::Timeout::new(0, work).forget();
    });
    let _ = window.request_animation_frame(frame.unchecked_ref());
}

/// Puts `page`'s main content and head in place of the current ones; a page without a main
/// content is not one of ours, and the reader is told something went wrong. The page's
/// islands are taken over after its text has been painted.
fn show(page: &Fetched, url: &web_sys::Url, arrival: Arrival) {
    let parsed = parsed_page(&key_of(url), page);
    let new_main = parsed.as_ref().and_then(|p| p.get_element_by_id("main"));
    let (Some(parsed), Some(new_main)) = (parsed, new_main) else {
        show_failure(ApiFailure::Malformed, url.clone());
        return;
    };
    let (Some(document), Some(main)) = (document(), main_element()) else {
        return;
    };
    // The page's nodes go at once; its islands are released after the new page is painted
    // (their nodes are out of the page by then, so that costs the reader nothing).
    let released = take_current();
    main.set_text_content(None);
    // The parsed nodes move over as they are: serialising them and parsing the text again
    // would double the work of every page change.
    if let Ok(adopted) = document.adopt_node(&new_main) {
        while let Some(child) = adopted.first_child() {
            if main.append_child(&child).is_err() {
                break;
            }
        }
    }
    replace_head(&document, &parsed);
    settle(&document, &main, url, arrival);
    let this = NAVIGATOR.with(|navigator| navigator.borrow().latest);
    after_next_paint(move || {
        drop(released);
        take_over_in_turn(waiting_within(&main).into(), this, || {});
    });
}

/// Takes over `waiting` islands one task each, so that the reader is answered between them
/// (each may first need its code compiled, which would otherwise be one long task), unless
/// another page has been shown since `navigation`. `then` runs when none is left.
fn take_over_in_turn(
    mut waiting: VecDeque<web_sys::HtmlElement>,
    navigation: u64,
    then: impl FnOnce() + 'static,
) {
    gloo_timers::callback::Timeout::new(0, move || match waiting.pop_front() {
        // A page shown since has released this one's islands already.
        Some(element) if is_latest(navigation) => {
            let taken = take_over(element);
            NAVIGATOR.with(|navigator| navigator.borrow_mut().islands.extend(taken));
            take_over_in_turn(waiting, navigation, then);
        }
        _ => then(),
    })
    .forget();
}

/// Makes `document`'s title and managed head tags those of `parsed`.
fn replace_head(document: &web_sys::Document, parsed: &web_sys::Document) {
    document.set_title(&parsed.title());
    let (Some(head), Some(new_head)) = (document.head(), parsed.head()) else {
        return;
    };
    let selector = format!("[{MANAGED_ATTRIBUTE}]");
    if let Ok(old) = head.query_selector_all(&selector) {
        for index in 0..old.length() {
            if let Some(node) = old.item(index) {
                let _ = head.remove_child(&node);
            }
        }
    }
    if let Ok(fresh) = new_head.query_selector_all(&selector) {
        for index in 0..fresh.length() {
            if let Some(node) = fresh.item(index) {
                if let Ok(imported) = document.import_node_with_deep(&node, true) {
                    let _ = head.append_child(&imported);
                }
            }
        }
    }
}

/// After a change of page: where the view is, where focus is, and what is announced.
fn settle(
    document: &web_sys::Document,
    main: &web_sys::HtmlElement,
    url: &web_sys::Url,
    arrival: Arrival,
) {
    if let Some(window) = window() {
        let fragment = url.hash();
        let target = fragment
            .strip_prefix('#')
            .filter(|id| !id.is_empty())
            .and_then(|id| document.get_element_by_id(id));
        match (arrival, target) {
            (Arrival::History, _) => window.scroll_to_with_x_and_y(0.0, remembered_scroll()),
            (_, Some(target)) => target.scroll_into_view(),
            (_, None) => window.scroll_to_with_x_and_y(0.0, 0.0),
        }
    }
    let heading = main
        .query_selector("h1")
        .ok()
        .flatten()
        .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok());
    let focus_target = heading.unwrap_or_else(|| main.clone());
    let _ = focus_target.set_attribute("tabindex", "-1");
    let options = web_sys::FocusOptions::new();
    options.set_prevent_scroll(true);
    let _ = focus_target.focus_with_options(&options);
    if let Some(announcer) = document.get_element_by_id(ANNOUNCER_ID) {
        announcer.set_text_content(Some(&document.title()));
    }
}

/// While a slow page loads: its outline, in place of the page the reader left.
fn show_outline(url: &web_sys::Url) {
    let Some(main) = main_element() else {
        return;
    };
    release_current();
    main.set_inner_html("");
    let path = url.pathname();
    let is_article = matches!(
        crate::config::paths().page_at(&path),
        Some(Page::Article { .. })
    );
    let handle: Box<dyn std::any::Any> = if is_article {
        Box::new(leptos::mount::mount_to(main, || {
            view! { <ArticleSkeleton page_heading=true /> }
        }))
    } else {
        Box::new(leptos::mount::mount_to(
            main,
            || view! { <ListSkeleton rows=10 page_heading=true /> },
        ))
    };
    NAVIGATOR.with(|navigator| navigator.borrow_mut().outline = Some(handle));
}

/// The page could not be fetched: says so in plain words, with a way to try again.
fn show_failure(failure: ApiFailure, url: web_sys::Url) {
    let Some(main) = main_element() else {
        return;
    };
    release_current();
    main.set_inner_html("");
    let retry = Callback::new(move |()| go(url.clone(), Arrival::Retry));
    let handle = leptos::mount::mount_to(
        main,
        // The page's one h1 stays, saying what the reader got instead of the page.
        move || {
            view! {
                <section class="page-failure">
                    <h1>"The page could not be loaded"</h1>
                    <LoadError failure=failure.clone() on_retry=retry />
                </section>
            }
        },
    );
    NAVIGATOR.with(|navigator| navigator.borrow_mut().outline = Some(Box::new(handle)));
}

/// The link an event happened on, if it is one this app follows.
fn followed_link(event: &web_sys::Event) -> Option<web_sys::Url> {
    let target = event.target()?.dyn_into::<web_sys::Element>().ok()?;
    let link = target.closest("a[href]").ok()??;
    let opens_elsewhere = link
        .get_attribute("target")
        .is_some_and(|t| !t.is_empty() && t != "_self");
    if opens_elsewhere || link.has_attribute("download") {
        return None;
    }
    page_address(&link.get_attribute("href")?)
}

/// A link to a place on this page (the skip link, an error summary's link to its field):
/// focus goes there, which scrolls it into view, so the next Tab continues from it. True when
/// the place was found: the browser's own fragment navigation is then not wanted, as its
/// `popstate` would render the page again and reset its forms.
fn follow_fragment(event: &web_sys::Event) -> bool {
    let Some(href) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|t| t.closest("a[href^='#']").ok().flatten())
        .and_then(|link| link.get_attribute("href"))
    else {
        return false;
    };
    let target = href
        .strip_prefix('#')
        .filter(|id| !id.is_empty())
        .and_then(|id| document()?.get_element_by_id(id))
        .and_then(|target| target.dyn_into::<web_sys::HtmlElement>().ok());
    let Some(target) = target else {
        return false;
    };
    // A field keeps its place in the Tab order; other targets become focusable.
    if target.tab_index() < 0 && !target.has_attribute("tabindex") {
        let _ = target.set_attribute("tabindex", "-1");
    }
    let _ = target.focus();
    // The address names the place, as the browser's own fragment link would (it can be
    // shared, and Back returns from it), without the `popstate` that would reset the page.
    if let Some(history) = window().and_then(|w| w.history().ok()) {
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&href));
    }
    true
}

fn on_click(event: web_sys::MouseEvent) {
    let modified = event.meta_key() || event.ctrl_key() || event.shift_key() || event.alt_key();
    if event.default_prevented() || event.button() != 0 || modified {
        return;
    }
    if follow_fragment(&event) {
        event.prevent_default();
        return;
    }
    if let Some(url) = followed_link(&event) {
        event.prevent_default();
        go(url, Arrival::Link);
    }
}

fn on_intent(event: web_sys::Event) {
    if let Some(url) = followed_link(&event) {
        fetch_ahead(url);
    }
}

fn on_history(_: web_sys::Event) {
    let Some(href) = window().and_then(|w| w.location().href().ok()) else {
        return;
    };
    let Ok(url) = web_sys::Url::new(&href) else {
        return;
    };
    // Back or forward between places of the page on screen (its fragments): the browser moves
    // there itself, and showing the page again would undo what the reader did on it.
    let same_page = NAVIGATOR.with(|navigator| navigator.borrow().current == key_of(&url));
    if !same_page {
        go(url, Arrival::History);
    }
}

/// Keeps the page the reader arrived on, as it arrived, for coming back to it.
pub fn remember_arrival(html: &str) {
    let Some(url) = window()
        .and_then(|w| w.location().href().ok())
        .and_then(|href| web_sys::Url::new(&href).ok())
    else {
        return;
    };
    let page = Fetched {
        status: 200,
        media_type: "text/html".into(),
        text: format!("<!DOCTYPE html>{html}"),
    };
    NAVIGATOR.with(|navigator| navigator.borrow_mut().current = key_of(&url));
    keep_page(key_of(&url), page);
}

/// Follows the site's links from now on, and takes over the islands inside `root` one at a
/// time; `then` runs when they all are.
pub fn start(root: &web_sys::Element, then: impl FnOnce() + 'static) {
    let (Some(window), Some(document)) = (window(), document()) else {
        return;
    };
    let this = NAVIGATOR.with(|navigator| navigator.borrow().latest);
    take_over_in_turn(waiting_within(root).into(), this, then);
    if let Ok(history) = window.history() {
        // Going back restores where the reader was; the app says where that is.
        let _ = history.set_scroll_restoration(web_sys::ScrollRestoration::Manual);
    }
    let click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(on_click);
    let intent = Closure::<dyn Fn(web_sys::Event)>::new(on_intent);
    let history = Closure::<dyn Fn(web_sys::Event)>::new(on_history);
    let _ = document.add_event_listener_with_callback("click", click.as_ref().unchecked_ref());
    for name in ["pointerover", "focusin", "touchstart"] {
        let _ = document.add_event_listener_with_callback(name, intent.as_ref().unchecked_ref());
    }
    let _ = window.add_event_listener_with_callback("popstate", history.as_ref().unchecked_ref());
    // They listen as long as the page lives.
    click.forget();
    intent.forget();
    history.forget();
}
