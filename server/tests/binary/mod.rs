//! Runs the real server binary, and talks plain HTTP/1.1 to it over a TCP socket, as any
//! client would.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

/// The server binary cargo built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_budapest-post-server");

/// The repo's content folder.
pub fn content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

/// A running server process.
pub struct Server {
    /// The process.
    pub child: Child,
    /// `127.0.0.1:port`.
    pub addr: String,
}

/// Starts the binary with `args` (after `--database`), waits for the address it prints.
pub fn start(database: &Path, dist: &Path, args: &[&str]) -> Server {
    let mut child = Command::new(BIN)
        .arg("--database")
        .arg(database)
        .args(args)
        .args(["--addr", "127.0.0.1:0", "--content"])
        .arg(content())
        .arg("--dist")
        .arg(dist)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let addr = line
        .trim()
        .strip_prefix("Budapest Post is running at http://")
        .and_then(|rest| rest.strip_suffix('/'))
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_owned();
    Server { child, addr }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response: status, headers (lower-case names) and body.
pub struct Answer {
    /// The status code.
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked.
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let end = body.windows(2).position(|w| w == b"\r\n").unwrap();
        let size_text = std::str::from_utf8(&body[..end]).unwrap();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
        body = &body[end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[..size]);
        body = &body[size + 2..];
    }
}

/// Sends one request (`Connection: close`) with `headers` and `body`, reads the whole answer.
pub fn send(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut raw = Vec::new();
    // The server may answer before reading all of an oversized body and close; take what came.
    let _ = stream.read_to_end(&mut raw);
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Answer {
        status,
        headers,
        body,
    }
}

/// POSTs `json` to `path`.
pub fn post_json(addr: &str, path: &str, json: &serde_json::Value) -> Answer {
    let body = serde_json::to_vec(json).unwrap();
    let length = body.len().to_string();
    send(
        addr,
        "POST",
        path,
        &[
            ("Content-Type", "application/json"),
            ("Content-Length", &length),
        ],
        &body,
    )
}

/// Runs the binary to completion with `args`.
pub fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().unwrap()
}

/// What a run printed, standard output then standard error.
pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The editors' `reports list --json` of `database`, with `extra` arguments (a `--status`).
pub fn listed_reports(database: &str, extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["--database", database, "reports", "list", "--json"];
    args.extend_from_slice(extra);
    let output = run(&args);
    assert!(output.status.success(), "{}", text(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}

/// A folder with a database path and a small app build.
pub fn workspace() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!DOCTYPE html><html><head><script type=\"module\">import init from '/app-0123456789abcdef.js'; await init();</script></head><body></body></html>",
    )
    .unwrap();
    let database = dir.path().join("data/site.sqlite3");
    (dir, database, dist)
}
