//! The Budapest Post server: the JSON API over SQLite, and the built app, from one address.

pub mod api;
pub mod config;
pub mod content;
pub mod http;
pub mod store;
pub mod web;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use tokio::net::TcpListener;

use config::ServeOptions;
use store::Store;

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
    let router = Router::new()
        .nest(budapest_post_contract::paths::API_PREFIX, api::router())
        .merge(web::router(options.dist.clone(), policy.csp.clone()))
        .with_state(AppState {
            store: store.clone(),
        });
    http::wrap(router, policy, store)
}

/// Loads the content, binds, prints the address and serves until Ctrl-C or SIGTERM.
pub async fn serve(store: Store, options: ServeOptions) -> Result<(), String> {
    let loaded = content::load(&store, &options.content).map_err(|e| {
        format!(
            "cannot load content from {}: {e}",
            options.content.display()
        )
    })?;
    tracing::info!(articles = loaded, "content loaded");
    let listener = TcpListener::bind(options.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", options.addr))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
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
