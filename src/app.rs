//! The router: every route of the site, at a glance.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::masthead::{Masthead, SiteFooter};
use crate::components::site::provide_site;
use crate::config;
use crate::pages::{
    article::ArticlePage, contact::ContactPage, corrections::CorrectionsPage, home::HomePage,
    not_found::NotFoundPage, related::RelatedPage, report_status::ReportStatusPage,
    unsubscribe::UnsubscribePage,
};

/// The whole app: masthead, the page for the current address, footer.
#[component]
pub fn App() -> impl IntoView {
    provide_site();
    view! {
        <Router base=config::get().base_path>
            <Masthead />
            <main id="main" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/articles/:slug") view=ArticlePage />
                    <Route path=path!("/articles/:slug/related") view=RelatedPage />
                    <Route path=path!("/contact") view=ContactPage />
                    <Route path=path!("/corrections") view=CorrectionsPage />
                    <Route path=path!("/newsletter/unsubscribe") view=UnsubscribePage />
                    <Route path=path!("/reports/status") view=ReportStatusPage />
                </Routes>
            </main>
            <SiteFooter />
            // Each new page's title is read out here (see `navigation`).
            <p id="route-announcer" class="visually-hidden" aria-live="polite" aria-atomic="true"></p>
        </Router>
    }
}
