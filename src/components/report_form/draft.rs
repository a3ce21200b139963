//! The report as the reader writes it, and the draft kept in the browser's storage until the
//! API has accepted it, so that a closed tab or a failed request loses nothing.

use budapest_post_contract::ReportRequest;
use leptos::prelude::*;

use crate::browser;

const DRAFT_PREFIX: &str = "bp-report-draft:";
/// Marks a draft that the reader sent while offline: it is sent when the network returns,
/// even after a reload.
const WAITING_PREFIX: &str = "bp-report-waiting:";

pub(super) fn draft_key(article_slug: &str) -> String {
    format!("{DRAFT_PREFIX}{article_slug}")
}

pub(super) fn waiting_key(article_slug: &str) -> String {
    format!("{WAITING_PREFIX}{article_slug}")
}

/// Reads a slug from what a reader typed: a slug, or a link to an article page.
pub fn slug_from_input(input: &str) -> String {
    let input = input.trim();
    match input.split_once("/articles/") {
        Some((_, rest)) => rest
            .split(['/', '?', '#'])
            .next()
            .unwrap_or_default()
            .to_owned(),
        None => input.to_owned(),
    }
}

/// Whether two reports say the same, whatever their keys.
pub(super) fn same_report(a: &ReportRequest, b: &ReportRequest) -> bool {
    ReportRequest {
        idempotency_key: String::new(),
        ..a.clone()
    } == ReportRequest {
        idempotency_key: String::new(),
        ..b.clone()
    }
}

/// What the reader has typed into each field, and the key the report goes out with.
#[derive(Clone, Copy)]
pub(super) struct ReportFields {
    pub article: RwSignal<String>,
    pub passage: RwSignal<String>,
    pub wrong: RwSignal<String>,
    pub correction: RwSignal<String>,
    pub source_url: RwSignal<String>,
    pub email: RwSignal<String>,
    pub honeypot: RwSignal<String>,
    pub key: StoredValue<String>,
    /// The article the draft is kept under (the address's, not what the field says now).
    pub storage_slug: StoredValue<String>,
}

impl ReportFields {
    /// Fields for `article_slug`, the passage holding `quote`.
    pub fn new(article_slug: Option<&str>, quote: Option<&str>) -> Self {
        Self {
            article: RwSignal::new(article_slug.unwrap_or_default().to_owned()),
            passage: RwSignal::new(quote.unwrap_or_default().to_owned()),
            wrong: RwSignal::new(String::new()),
            correction: RwSignal::new(String::new()),
            source_url: RwSignal::new(String::new()),
            email: RwSignal::new(String::new()),
            honeypot: RwSignal::new(String::new()),
            key: StoredValue::new(String::new()),
            storage_slug: StoredValue::new(article_slug.unwrap_or_default().to_owned()),
        }
    }

    /// The report as it would be sent now (tracked, so an effect reruns on every keystroke).
    pub fn request(&self) -> ReportRequest {
        let optional = |text: String| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        ReportRequest {
            article_slug: slug_from_input(&self.article.get()),
            quoted_passage: self.passage.get(),
            what_is_wrong: self.wrong.get(),
            correction: self.correction.get(),
            source_url: optional(self.source_url.get()),
            email: optional(self.email.get()),
            idempotency_key: self.key.get_value(),
            website: Some(self.honeypot.get()).filter(|w| !w.is_empty()),
        }
    }

    /// Puts `draft` into the fields, kept under `slug`.
    fn fill(&self, slug: String, draft: ReportRequest) {
        self.storage_slug.set_value(slug);
        self.key.set_value(draft.idempotency_key);
        self.article.set(draft.article_slug);
        self.passage.set(draft.quoted_passage);
        self.wrong.set(draft.what_is_wrong);
        self.correction.set(draft.correction);
        self.source_url.set(draft.source_url.unwrap_or_default());
        self.email.set(draft.email.unwrap_or_default());
    }

    /// Once the app has taken the form over, what only the browser knows replaces the page as
    /// it was rendered: the address (an exported page is rendered without its query), a kept
    /// draft, a fresh idempotency key. Returns nothing; the fields change.
    pub fn restore(self, rendered_slug: Option<String>) {
        let slug = browser::query_value("article")
            .or(rendered_slug)
            .unwrap_or_default();
        let mut draft = load_draft(&slug).unwrap_or_else(|| ReportRequest {
            article_slug: slug.clone(),
            idempotency_key: browser::random_key(),
            ..Default::default()
        });
        if let Some(quote) = browser::query_value("quote") {
            draft.quoted_passage = quote;
        }
        self.fill(slug, draft);
    }

    /// Saves the draft on every change, until `accepted`.
    pub fn keep_saved(self, accepted: impl Fn() -> bool + 'static) {
        Effect::new(move |_| {
            let report = self.request();
            if accepted() {
                return;
            }
            if let Some(json) = crate::json::to_json(&report) {
                browser::save(&draft_key(&self.storage_slug.get_value()), &json);
            }
        });
    }
}

/// The draft kept in storage: the report as it will be sent.
fn load_draft(article_slug: &str) -> Option<ReportRequest> {
    crate::json::from_json(&browser::load(&draft_key(article_slug))?)
}
