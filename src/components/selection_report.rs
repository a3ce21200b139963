//! The offer to report a passage: when a reader selects text in an article, a link to the
//! Contact Us form with that passage already quoted. The island also holds the newsletter
//! prompt offered at the article's end.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::components::newsletter_prompt::NewsletterPrompt;
use crate::config;
use crate::islands::{island, Island};

/// What the offer is made from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectionReportData {
    /// The article's slug.
    pub slug: String,
}

/// The offer as an island of the article page, after the article's text.
pub fn selection_report_island(slug: &str) -> impl IntoView {
    let data = SelectionReportData {
        slug: slug.to_owned(),
    };
    island(
        Island::SelectionReport,
        &data,
        view! { <SelectionReport data=data.clone() /> },
    )
}

/// The link, shown while text in the article is selected, and the newsletter prompt.
#[component]
pub fn SelectionReport(
    /// What it is made from.
    data: SelectionReportData,
) -> impl IntoView {
    let selection = RwSignal::new(None::<String>);
    #[cfg(target_arch = "wasm32")]
    {
        let check = move || selection.set(selected_text());
        let handles = [
            window_event_listener(leptos::ev::mouseup, move |_| check()),
            window_event_listener(leptos::ev::keyup, move |_| check()),
            window_event_listener(leptos::ev::touchend, move |_| check()),
        ];
        on_cleanup(move || handles.into_iter().for_each(|handle| handle.remove()));
    }
    let slug = data.slug;
    let offer = move || {
        selection.get().map(|text| {
            view! {
                <div class="selection-report" role="region" aria-label="Selected text">
                    <a class="button" href=config::paths().report_about(&slug, Some(&text)) data-testid="report-selection">
                        "Report an inaccuracy"
                    </a>
                </div>
            }
        })
    };
    view! { {offer} <NewsletterPrompt /> }
}

/// The text the reader has selected inside the article, when there is some worth reporting.
#[cfg(target_arch = "wasm32")]
fn selected_text() -> Option<String> {
    let window = web_sys::window()?;
    let selection = window.get_selection().ok()??;
    let anchor = selection.anchor_node()?;
    let article = window.document()?.query_selector(".article__text").ok()??;
    if !article.contains(Some(&anchor)) {
        return None;
    }
    let text = String::from(selection.to_string());
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let short_enough = text.chars().count() <= budapest_post_contract::limits::QUOTED_PASSAGE_MAX;
    (!text.is_empty() && short_enough).then_some(text)
}
