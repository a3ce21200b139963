//! The Budapest Post server: the JSON API over SQLite, and the built app, from one address.

pub mod api;
pub mod config;
pub mod editors;
pub mod http;
pub mod pages;
pub mod site_files;
pub mod web;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::serve::ListenerExt;
use axum::Router;
use tokio::net::TcpListener;

use budapest_post_store::{Content, Store};
use config::ServeOptions;

/// How often the server reads the content generation from the database, so content another
/// process changes (an editors' command, a second server loading content) replaces cached
/// answers within about this time.
pub const CONTENT_REFRESH_PERIOD: Duration = Duration::from_millis(500);

/// How often reports older than the email retention period lose their address.
pub const RETENTION_RUN_PERIOD: Duration = Duration::from_secs(60 * 60);

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// The settings of the pages the server renders (public address, base path); shared, as
    /// the state is cloned for every request.
    pub pages: Arc<budapest_post::config::SiteConfig>,
}

/// The whole site: the API under `/api/v1`, the app everywhere else, and around both the
/// layers of [`http::wrap`] (request logging, security headers, CORS, panics answered `500`,
/// rate limits, a time limit, the read cache, compression, `ETag`s).
pub fn app(store: Store, options: &ServeOptions) -> Router {
    let policy = Arc::new(http::HttpPolicy::new(options));
    let state = AppState {
        store: store.clone(),
        pages: Arc::new(page_config(options)),
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
        .merge(site_files::router())
        .merge(web::router(options.dist.clone(), pages))
        .with_state(state);
    http::wrap(router, policy, store)
}

/// The app's run-time settings in every page the server renders: the API at the site's own
/// origin, canonical addresses from `--site-url`.
pub(crate) fn page_config(options: &ServeOptions) -> budapest_post::config::SiteConfig {
    budapest_post::config::SiteConfig {
        base_path: String::new(),
        api_base: String::new(),
        api_write_base: String::new(),
        site_url: options.site_url.trim_end_matches('/').to_owned(),
    }
}

/// Loads the content folder into the database. When the database cannot be written (full,
/// read-only, locked), says so and carries on: the server serves what the database holds, and
/// refuses writes with `503` until it can write again.
async fn load_content(store: &Store, options: &ServeOptions) -> Result<(), String> {
    if options.skip_content {
        tracing::info!("serving the database as it is (--skip-content)");
        return Ok(());
    }
    let folder = options.content.display();
    let content = Content::read_dir(&options.content)
        .map_err(|e| format!("cannot load content from {folder}: {e}"))?;
    match store.load_content(content).await {
        Ok(loaded) => {
            tracing::info!(
                articles = loaded.articles,
                withdrawn = loaded.withdrawn,
                "content loaded"
            );
            Ok(())
        }
        Err(error) if error.unavailability().is_some() => {
            tracing::warn!(
                %error,
                "cannot write the content from {folder} into the database; serving the content \
                 the database already holds, and answering reports and sign-ups 503 until it \
                 can be written"
            );
            Ok(())
        }
        Err(error) => Err(format!(
            "cannot load content from {folder} into the database: {error}"
        )),
    }
}

/// Clears the address of reports older than `days` days, and logs what it did or why it
/// could not.
pub async fn apply_email_retention(store: &Store, days: u32) {
    match store.forget_old_emails(days).await {
        Ok(done) if done.emails_cleared > 0 || done.spam_removed > 0 => tracing::info!(
            emails_cleared = done.emails_cleared,
            spam_removed = done.spam_removed,
            days,
            "reports past the email retention period"
        ),
        Ok(_) => {}
        Err(error) => {
            tracing::warn!(%error, "cannot apply the email retention period; retrying within the hour")
        }
    }
}

/// Loads the content, applies the email retention period, binds, prints the address and
/// serves until Ctrl-C or SIGTERM; meanwhile follows other processes' content changes and
/// applies the retention period every hour.
pub async fn serve(store: Store, options: ServeOptions) -> Result<(), String> {
    load_content(&store, &options).await?;
    apply_email_retention(&store, options.email_retention_days).await;
    let retention = {
        let store = store.clone();
        let days = options.email_retention_days;
        tokio::spawn(async move {
            let start = tokio::time::Instant::now() + RETENTION_RUN_PERIOD;
            let mut runs = tokio::time::interval_at(start, RETENTION_RUN_PERIOD);
            loop {
                runs.tick().await;
                apply_email_retention(&store, days).await;
            }
        })
    };
    let watch = store.watch_content_generation(CONTENT_REFRESH_PERIOD);
    let served = listen_and_serve(store, options).await;
    retention.abort();
    watch.abort();
    served
}

/// Binds, prints the address and serves until Ctrl-C or SIGTERM.
async fn listen_and_serve(store: Store, options: ServeOptions) -> Result<(), String> {
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
    axum::serve(listener.tap_io(send_at_once), service)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("server failed: {e}"))
}

/// Turns Nagle's algorithm off on a reader's connection. An answer's head and its body can go
/// out as two writes (a file is read after its head is sent), and with Nagle's algorithm the
/// second waits for the reader's delayed ACK: tens of milliseconds on a page's stylesheet, which
/// held the first paint back. nginx does the same (`tcp_nodelay on`).
fn send_at_once(connection: &mut tokio::net::TcpStream) {
    if let Err(error) = connection.set_nodelay(true) {
        tracing::debug!(%error, "cannot set TCP_NODELAY on a connection");
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_readers_connection_sends_without_waiting_for_acks() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (_reader, accepted) =
            tokio::join!(tokio::net::TcpStream::connect(addr), listener.accept());
        let (mut connection, _) = accepted.unwrap();
        assert!(
            !connection.nodelay().unwrap(),
            "Nagle's algorithm is on by default"
        );
        send_at_once(&mut connection);
        assert!(connection.nodelay().unwrap());
    }
}
