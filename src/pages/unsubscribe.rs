//! `/newsletter/unsubscribe?token=…`: where a newsletter's unsubscribe link leads.

use leptos::prelude::*;

use crate::components::unsubscribe::unsubscribe_island;
use crate::head::{use_head, PageHead};

/// What the unsubscribe page's head says; it is not to be indexed.
pub fn unsubscribe_head() -> PageHead {
    PageHead {
        title: "Unsubscribe from the newsletter — Budapest Post".into(),
        description: "Stop receiving the Budapest Post newsletter.".into(),
        path: None,
        og_type: "website",
        json_ld: None,
        oembed: None,
    }
}

/// The unsubscribe page: what the button does, and the button.
#[component]
pub fn UnsubscribePage() -> impl IntoView {
    use_head(unsubscribe_head());
    view! {
        <section class="contact">
            <h1>"Unsubscribe from the newsletter"</h1>
            <p>"Press the button to stop receiving the Budapest Post newsletter at the address this link was sent to."</p>
            {unsubscribe_island()}
        </section>
    }
}
