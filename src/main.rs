//! Starts the app in the page.

fn main() {
    console_error_panic_hook::set_once();
    budapest_post::prerendered::take_over();
    leptos::mount::mount_to_body(budapest_post::app::App);
}
