//! Starts the app in the page.

fn main() {
    #[cfg(target_arch = "wasm32")]
    budapest_post::start();
}
