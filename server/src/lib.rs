//! The Budapest Post server: the JSON API over SQLite, and the built app, from one address.

pub mod api;
pub mod config;
pub mod http;
pub mod pages;
pub mod web;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use tokio::net::TcpListener;

use budapest_post_store::{Content, Store};
use config::ServeOptions;

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
}

/// The whole site: the API under `/api/v1`, the app everywhere else, and around both the
/// layers of [`http::wrap`] (request logging, security headers, CORS, panics answered `500`,
/// rate limits, a time limit, the read cache, compression, `ETag`s).
pub fn app(store: Store, options: &ServeOptions) -> Router {
    let policy = Arc::new(http::HttpPolicy::new(options));
    let state = AppState {
        store: store.clone(),
    };
    let api = Router::new()
        .nest(budapest_post_contract::paths::API_PREFIX, api::router())
        .with_state(state.clone());
    let pages = pages::PageRenderer::new(
        options.dist.clone(),
        page_config(options),
        api,
        policy.csp.clone(),
    );
    let router = Router::new()
        .nest(budapest_post_contract::paths::API_PREFIX, api::router())
        .merge(web::router(options.dist.clone(), pages))
        .with_state(state);
    http::wrap(router, policy, store)
}

/// The app's run-time settings in every page the server renders: the API at the site's own
/// origin, canonical addresses from `--site-url`.
fn page_config(options: &ServeOptions) -> budapest_post::config::SiteConfig {
    budapest_post::config::SiteConfig {
        base_path: String::new(),
        api_base: String::new(),
        api_write_base: String::new(),
        site_url: options.site_url.trim_end_matches('/').to_owned(),
    }
}

/// Loads the content, binds, prints the address and serves until Ctrl-C or SIGTERM.
pub async fn serve(store: Store, options: ServeOptions) -> Result<(), String> {
    let content = Content::read_dir(&options.content).map_err(|e| {
        format!(
            "cannot load content from {}: {e}",
            options.content.display()
        )
    })?;
    let loaded = store.load_content(content).await.map_err(|e| {
        format!(
            "cannot load content from {} into the database: {e}",
            options.content.display()
        )
    })?;
    tracing::info!(articles = loaded.articles, "content loaded");
    let listener = TcpListener::bind(options.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", options.addr))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let mut options = options;
    if options.site_url.is_empty() {
        options.site_url = format!("http://{addr}");
        eprintln!(
            "warning: no --site-url given: pages name http://{addr} as their public address \
             (canonical links, sharing tags, structured data); set --site-url to the address \
             readers use"
        );
    }
    println!("Budapest Post is running at http://{addr}/");
    let service = app(store, &options).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("server failed: {e}"))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
