//! An article's published corrections: the "Corrected" mark beside its date and the notes at
//! its foot that the mark links to.

use budapest_post_contract::Correction;
use leptos::prelude::*;

use crate::{config, format};

/// The id of the notes' section, which the "Corrected" mark links to.
pub const CORRECTIONS_ID: &str = "corrections";

/// "Corrected", beside the article's date, linking to its correction notes; nothing when it
/// has none.
#[component]
pub fn CorrectedMark(corrections: Vec<Correction>) -> impl IntoView {
    (!corrections.is_empty()).then(|| {
        view! {
            <a class="article__corrected" href=format!("#{CORRECTIONS_ID}") data-testid="corrected">
                "Corrected"
            </a>
        }
    })
}

/// The correction notes at the article's foot, oldest first, each with its date; nothing when
/// it has none.
#[component]
pub fn CorrectionNotes(corrections: Vec<Correction>) -> impl IntoView {
    (!corrections.is_empty()).then(|| {
        view! {
            <section class="corrections" id=CORRECTIONS_ID aria-labelledby="corrections-heading"
                data-testid="corrections">
                <h2 id="corrections-heading" class="corrections__heading">
                    {if corrections.len() == 1 { "Correction" } else { "Corrections" }}
                </h2>
                {corrections.into_iter().map(|c| view! { <CorrectionNote correction=c /> }).collect_view()}
                <p class="corrections__all">
                    <a href=config::paths().corrections()>"All corrections"</a>
                </p>
            </section>
        }
    })
}

#[component]
fn CorrectionNote(correction: Correction) -> impl IntoView {
    let published = correction.published_at;
    view! {
        <p class="corrections__note" id=format!("correction-{}", correction.id)>
            <time datetime=published.clone()>{format::datetime(&published).unwrap_or_default()}</time>
            ": "{correction.note}
        </p>
    }
}
