//! The request log: one line a request at `info`, quiet under the server's default filter.
//! Alone in its test binary: the log is captured with a thread's default subscriber, and
//! `tracing` caches whether a log site is wanted across threads, so another test's requests on
//! another thread at the same moment could switch this test's lines off.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::Site;

/// Log output, kept for a test to read.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What `requests` log with the log filter `filter`.
async fn logged(
    site: &Site,
    filter: &str,
    requests: Vec<axum::http::Request<axum::body::Body>>,
) -> String {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    for request in requests {
        site.send(request).await;
    }
    captured.text()
}

#[tokio::test]
async fn each_request_is_one_line_at_info_and_quiet_by_default() {
    let site = common::site().await;
    let log = logged(
        &site,
        "warn,tower_http=info",
        vec![
            common::get("/api/v1/site.json?secret=1"),
            common::get("/api/v1/nope"),
        ],
    )
    .await;
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 2, "{log}");
    for (line, status) in lines.iter().zip(["200", "404"]) {
        assert!(line.contains(" INFO "), "{line}");
        assert!(line.contains("method=GET"), "{line}");
        assert!(line.contains("path=/api/v1/"), "{line}");
        assert!(line.contains(&format!("status={status}")), "{line}");
        assert!(line.contains("latency="), "{line}");
    }
    assert!(!log.contains("secret"), "the query is not logged: {log}");
    // The server's default filter (`info,tower_http=warn`) keeps successful requests quiet.
    let quiet = logged(
        &site,
        "info,tower_http=warn",
        vec![common::get("/api/v1/site.json")],
    )
    .await;
    assert!(!quiet.contains("site.json"), "{quiet}");
}
