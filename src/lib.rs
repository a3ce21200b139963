//! The Budapest Post reader app: a Leptos single-page app compiled to WebAssembly.
//!
//! `app` holds the router; `pages` has one file per route; `components` the pieces pages
//! share; `api` is the only module that talks to the server.

#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod browser;
pub mod components;
pub mod config;
pub mod format;
pub mod links;
pub mod pages;
pub mod prerendered;
