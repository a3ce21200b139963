//! Starts the app in the page.

fn main() {
    // Panic messages in the browser console are for developers. Release builds leave the hook
    // out (about 1 KiB brotli of wasm and glue): a panic stops the app either way, and readers
    // never see the console.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    budapest_post::prerendered::take_over();
    leptos::mount::mount_to_body(budapest_post::app::App);
}
