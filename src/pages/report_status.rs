//! `/reports/status#reference=…&token=…`: a reporter's private page saying what became of a
//! report. Not indexed, and it sends no `Referer`, so its address stays the reader's.

use budapest_post_contract::pages::REPORT_STATUS_SCRIPT_PATH;
use budapest_post_contract::paths;
use budapest_post_contract::reports::{
    REPORT_STATUS_REFERENCE_PARAMETER, REPORT_STATUS_TOKEN_PARAMETER,
};
use leptos::prelude::*;

use crate::components::correction_notes::CORRECTIONS_ID;
use crate::config;
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

/// The status page: the heading, and the status its own script looks up (the link's secret is
/// in the address's fragment, which a rendered page never sees). Everything the script needs
/// to know is written here, from the site's configuration.
#[component]
pub fn ReportStatusPage() -> impl IntoView {
    use_head(report_status_head());
    let site = config::get();
    let site_paths = site.paths();
    view! {
        <section class="contact">
            <h1>"Your report"</h1>
            <noscript><p>"This page looks your report up with JavaScript, which is turned off."</p></noscript>
            <div
                class="report-status"
                role="status"
                data-testid="report-status"
                data-report-status=""
                data-api=format!("{}{}", site.api_write_base, paths::report_status())
                data-reference-parameter=REPORT_STATUS_REFERENCE_PARAMETER
                data-token-parameter=REPORT_STATUS_TOKEN_PARAMETER
                data-article-path=site_paths.article("")
                data-corrections-fragment=CORRECTIONS_ID
                data-corrections-page=site_paths.corrections()
            >
                <p data-testid="report-status-said">
                    <strong data-part="state" data-testid="report-status-state"></strong>
                    " "
                    <span data-part="sentence">"Looking up your report…"</span>
                </p>
                <p data-part="links" hidden>
                    <a data-part="correction" href=site_paths.corrections() data-testid="report-status-correction">
                        "Read the correction"
                    </a>
                    " · "
                    <a href=site_paths.corrections()>"All corrections"</a>
                </p>
            </div>
            <script src=site_paths.under_base(REPORT_STATUS_SCRIPT_PATH) defer></script>
        </section>
    }
}
