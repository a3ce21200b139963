//! For the reliability tests: the real server binary started, stopped and killed as a process,
//! and HTTP/1.1 clients that each speak from their own loopback address (127.0.0.0/8 is all
//! local on Linux), so the server sees — and rate-limits — them as different readers.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper::{HeaderMap, Method, Request};
use hyper_util::rt::TokioIo;
use tokio::net::TcpSocket;

/// Rate budgets far above what a run sends, for the tests whose subject is not rate limits.
pub const NO_RATE_LIMITS: &[&str] = &[
    "--write-rate-per-minute",
    "1000000",
    "--global-write-rate-per-minute",
    "1000000",
    "--read-rate-per-minute",
    "1000000",
];

/// The clients' runtime: two worker threads, as many as the machine's cores.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// The server binary under test: `$BP_SERVER_BIN` (the xtask step sets it to the release
/// build), else the one cargo built for these tests.
pub fn server_binary() -> PathBuf {
    std::env::var_os("BP_SERVER_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_budapest-post-server")))
}

/// Which build `binary` is, for the printed figures.
pub fn build_of(binary: &Path) -> &'static str {
    if binary.components().any(|c| c.as_os_str() == "release") {
        "release"
    } else {
        "debug"
    }
}

/// A server process on a SQLite file.
pub struct ServerProcess {
    /// The process.
    pub child: Child,
    /// Where it listens, once it said so.
    pub addr: Option<SocketAddr>,
    /// Kept open so that the server never writes into a closed pipe.
    _stdout: BufReader<ChildStdout>,
}

/// Starts `binary` on `database` with the repo's content, the small app build in `dist`, at
/// `addr` (port 0: any free port), with `args` after `serve`. Answers at once, without waiting
/// for the server to listen: see [`ServerProcess::wait_listening`].
pub fn spawn(
    binary: &Path,
    database: &Path,
    dist: &Path,
    addr: SocketAddr,
    args: &[&str],
) -> ServerProcess {
    let mut child = Command::new(binary)
        .arg("--database")
        .arg(database)
        .arg("serve")
        .arg("--addr")
        .arg(addr.to_string())
        .arg("--content")
        .arg(content())
        .arg("--dist")
        .arg(dist)
        .args(["--site-url", "http://127.0.0.1"])
        .args(args)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
    let stdout = BufReader::new(child.stdout.take().unwrap());
    ServerProcess {
        child,
        addr: None,
        _stdout: stdout,
    }
}

impl ServerProcess {
    /// Waits for the line with the address; `None` when the process ended first.
    pub fn wait_listening(&mut self) -> Option<SocketAddr> {
        let mut line = String::new();
        self._stdout.read_line(&mut line).ok()?;
        let addr = line
            .trim()
            .strip_prefix("Budapest Post is running at http://")?
            .strip_suffix('/')?
            .parse()
            .ok()?;
        self.addr = Some(addr);
        self.addr
    }

    /// The process id, for `/proc`.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL: no shutdown, no flush, nothing after it.
    pub fn kill(&mut self) {
        self.child.kill().unwrap();
        let status = self.child.wait().unwrap();
        assert!(!status.success(), "{status}");
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The repo's content folder.
pub fn content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

/// The slugs of every article in the repo's content folder.
pub fn article_slugs() -> Vec<String> {
    let mut slugs: Vec<String> = std::fs::read_dir(content().join("articles"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    slugs.sort();
    assert!(slugs.len() > 10, "{slugs:?}");
    slugs
}

/// A process's resident memory in KiB (`VmRSS` in `/proc/<pid>/status`).
pub fn rss_kib(pid: u32) -> Option<u64> {
    status_kib(pid, "VmRSS")
}

/// A figure in KiB from `/proc/<pid>/status`, e.g. `RssAnon` (heap and stacks), `RssFile`
/// (mapped files), `RssShmem` (shared memory, such as SQLite's WAL index).
pub fn status_kib(pid: u32, name: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| {
        l.strip_prefix(name)
            .is_some_and(|rest| rest.starts_with(':'))
    })?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// How many files a process has open at `path` (for a SQLite file: its connections).
pub fn open_files_named(pid: u32, path: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return 0;
    };
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    entries
        .filter_map(|entry| std::fs::read_link(entry.ok()?.path()).ok())
        .filter(|target| *target == path)
        .count()
}

/// The `n`-th loopback address a client speaks from: 127.0.1.n, 127.0.2.n, ...
pub fn loopback(n: usize) -> IpAddr {
    let n = n + 1;
    IpAddr::V4(Ipv4Addr::new(
        127,
        1 + (n / 250) as u8,
        0,
        (n % 250) as u8 + 1,
    ))
}

/// An answer read whole.
pub struct Reply {
    /// The status code.
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    /// The body as JSON, if it is.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Whether the body is the contract's error shape, `{"error":{"code":…,"message":…}}`
    /// with both texts non-empty, sent `no-store`.
    pub fn is_error_shape(&self) -> bool {
        let Some(json) = self.json() else {
            return false;
        };
        let text = |name: &str| {
            json["error"][name]
                .as_str()
                .is_some_and(|value| !value.is_empty())
        };
        text("code") && text("message") && self.header("cache-control") == Some("no-store")
    }
}

/// Why a request got no answer.
#[derive(Debug)]
pub enum NoAnswer {
    /// The connection could not be made (nobody listening, or refused).
    Connect(std::io::Error),
    /// The connection broke before the whole answer came.
    Broken(hyper::Error),
    /// No whole answer within the time limit.
    TimedOut,
}

/// How long one request may take before the client gives up on it (a hang guard, never a
/// measure of speed).
const REQUEST_LIMIT: Duration = Duration::from_secs(30);

/// One client: one address of its own and one keep-alive connection, made again after it
/// breaks.
pub struct Client {
    local: IpAddr,
    server: SocketAddr,
    connection: Option<SendRequest<Full<Bytes>>>,
}

impl Client {
    /// A client at `local` talking to the server at `server`.
    pub fn new(local: IpAddr, server: SocketAddr) -> Self {
        Self {
            local,
            server,
            connection: None,
        }
    }

    async fn connect(&self) -> Result<SendRequest<Full<Bytes>>, NoAnswer> {
        let socket = TcpSocket::new_v4().map_err(NoAnswer::Connect)?;
        socket
            .bind(SocketAddr::new(self.local, 0))
            .map_err(NoAnswer::Connect)?;
        let stream = socket
            .connect(self.server)
            .await
            .map_err(NoAnswer::Connect)?;
        stream.set_nodelay(true).map_err(NoAnswer::Connect)?;
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(NoAnswer::Broken)?;
        tokio::spawn(async move {
            // Ends when the server closes or the sender is dropped; the request that was on it
            // sees the error.
            let _ = connection.await;
        });
        Ok(sender)
    }

    /// Sends one request and reads the whole answer; after a failure the next request makes a
    /// new connection.
    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Result<Reply, NoAnswer> {
        match tokio::time::timeout(REQUEST_LIMIT, self.send_once(method, path, headers, body)).await
        {
            Ok(Ok(reply)) => Ok(reply),
            Ok(Err(error)) => {
                self.connection = None;
                Err(error)
            }
            Err(_) => {
                self.connection = None;
                Err(NoAnswer::TimedOut)
            }
        }
    }

    async fn send_once(
        &mut self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Result<Reply, NoAnswer> {
        let mut sender = match self.connection.take() {
            Some(sender) if !sender.is_closed() => sender,
            _ => self.connect().await?,
        };
        sender.ready().await.map_err(NoAnswer::Broken)?;
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header("host", self.server.to_string());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if body.is_some() {
            request = request.header("content-type", "application/json");
        }
        let request = request
            .body(Full::new(Bytes::copy_from_slice(body.unwrap_or_default())))
            .unwrap();
        let response = sender
            .send_request(request)
            .await
            .map_err(NoAnswer::Broken)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(NoAnswer::Broken)?
            .to_bytes();
        self.connection = Some(sender);
        Ok(Reply {
            status,
            headers,
            body,
        })
    }

    /// A `GET` of `path`.
    pub async fn get(&mut self, path: &str) -> Result<Reply, NoAnswer> {
        self.send(Method::GET, path, &[], None).await
    }

    /// A JSON `POST` of `json` to `path`.
    pub async fn post_json(
        &mut self,
        path: &str,
        json: &serde_json::Value,
    ) -> Result<Reply, NoAnswer> {
        let body = serde_json::to_vec(json).unwrap();
        self.send(Method::POST, path, &[], Some(&body)).await
    }
}

/// The `q`-quantile (0 to 1) of sorted `values`.
pub fn quantile(sorted: &[u64], q: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}
