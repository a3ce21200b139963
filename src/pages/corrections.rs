//! `/corrections`: every published correction, newest first, each linked to its article.

use budapest_post_contract::{paths, CorrectionEntry, CorrectionList};
use leptos::prelude::*;

use crate::api;
use crate::components::status::{loaded, ListSkeleton};
use crate::head::{use_head, PageHead};
use crate::{config, format};

/// What the corrections page's head says.
pub fn corrections_head() -> PageHead {
    PageHead {
        title: "Corrections — Budapest Post".into(),
        description: "Every correction the Budapest Post has published, newest first.".into(),
        path: Some(config::paths().corrections()),
        og_type: "website",
        json_ld: None,
        oembed: None,
    }
}

/// The corrections page.
#[component]
pub fn CorrectionsPage() -> impl IntoView {
    use_head(corrections_head());
    let list = api::peek::<CorrectionList>(&paths::corrections());
    view! {
        <section class="corrections-page" data-testid="corrections-page">
            <h1>"Corrections"</h1>
            <p class="corrections-page__intro">
                "When an article gets something wrong, we correct it and say so here and at the \
                 foot of the article. To report an inaccuracy, use "
                <a href=config::paths().contact()>"Contact Us"</a>"."
            </p>
            {loaded(
                list,
                || view! { <ListSkeleton rows=4 /> }.into_any(),
                |list| view! { <CorrectionEntries list /> }.into_any(),
            )}
        </section>
    }
}

/// The loaded list, or a line saying there is nothing to correct yet.
#[component]
fn CorrectionEntries(list: CorrectionList) -> impl IntoView {
    if list.corrections.is_empty() {
        return view! { <p class="notice">"No corrections have been published."</p> }.into_any();
    }
    view! {
        <ol class="corrections-page__list" data-testid="corrections-list">
            {list.corrections.into_iter().map(|entry| view! { <CorrectionItem entry /> }).collect_view()}
        </ol>
    }
    .into_any()
}

/// One correction: the article's headline (a link to its note), the date and the note.
#[component]
fn CorrectionItem(entry: CorrectionEntry) -> impl IntoView {
    let href = format!(
        "{}#correction-{}",
        config::paths().article(&entry.article.slug),
        entry.correction.id
    );
    let published = entry.correction.published_at;
    view! {
        <li class="corrections-page__item">
            <h2 class="corrections-page__headline"><a href=href>{entry.article.headline}</a></h2>
            <p class="corrections-page__date">
                <time datetime=published.clone()>{format::datetime(&published).unwrap_or_default()}</time>
            </p>
            <p class="corrections-page__note">{entry.correction.note}</p>
        </li>
    }
}
