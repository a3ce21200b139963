//! The Budapest Post reader app, in Leptos: every page is rendered by this crate (the `ssr`
//! feature) for the server and the exporter, and in the browser (WebAssembly, the `hydrate`
//! feature) the app takes over the parts of a page that respond to the reader (its
//! [`islands`]) and moves between pages without leaving ([`navigation`]).
//!
//! `app` holds the router; `pages` has one file per route; `components` the pieces pages
//! share; `api` is the only module that talks to the API; `head` each page's `<head>`;
//! `render` (with `ssr`) turns a page into a whole HTML document.

#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod browser;
pub mod components;
pub mod config;
pub mod embed;
pub mod format;
pub mod head;
pub mod islands;
pub mod json;
#[cfg(target_arch = "wasm32")]
pub mod navigation;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod render;
#[cfg(target_arch = "wasm32")]
mod start;

#[cfg(target_arch = "wasm32")]
pub use start::start;
