//! `/reports/status#reference=…&token=…`: a reporter's private page saying what became of a
//! report. Not indexed, and it sends no `Referer`, so its address stays the reader's.

use leptos::prelude::*;

use crate::components::report_status::report_status_island;
use crate::head::{use_head, PageHead};

/// What the status page's head says; it is not to be indexed.
pub fn report_status_head() -> PageHead {
    PageHead {
        title: "Your report — Budapest Post".into(),
        description: "What became of the inaccuracy you reported.".into(),
        path: None,
        og_type: "website",
        json_ld: None,
        oembed: None,
    }
}

/// The status page: the heading, and the status the island looks up.
#[component]
pub fn ReportStatusPage() -> impl IntoView {
    use_head(report_status_head());
    view! {
        <section class="contact">
            <h1>"Your report"</h1>
            <noscript><p>"This page looks your report up with JavaScript, which is turned off."</p></noscript>
            {report_status_island()}
        </section>
    }
}
