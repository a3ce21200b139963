//! The Budapest Post reader app: a Leptos app compiled to WebAssembly, whose pages are also
//! rendered ahead of time by the same code (the `ssr` feature) for the server and the exporter.
//!
//! `app` holds the router; `pages` has one file per route; `components` the pieces pages
//! share; `api` is the only module that talks to the server; `head` each page's `<head>`;
//! `render` (with `ssr`) turns a page into a whole HTML document.

#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod browser;
pub mod components;
pub mod config;
pub mod format;
pub mod head;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod render;
#[cfg(target_arch = "wasm32")]
mod start;

#[cfg(target_arch = "wasm32")]
pub use start::start;
