//! Graceful shutdown of the real binary: a request in flight when SIGTERM arrives still gets
//! its whole answer, and the server then exits cleanly and takes no new connection.

mod binary;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::json;

const SEED_SLUG: &str = "russia-lays-out-demands-for-a-sweeping-new-security-deal-with-nato";

#[test]
fn a_request_in_flight_at_sigterm_is_answered_before_the_server_exits() {
    let (_dir, database, dist) = binary::workspace();
    let mut server = binary::start(&database, &dist, &["serve"]);
    let body = serde_json::to_vec(&json!({
        "article_slug": SEED_SLUG,
        "quoted_passage": "The Russian fFreign Ministry",
        "what_is_wrong": "A typo in Foreign.",
        "correction": "The Russian Foreign Ministry",
        "idempotency_key": "graceful-shutdown-0001",
    }))
    .unwrap();
    let (first_half, second_half) = body.split_at(body.len() / 2);

    // The request has begun: its head and half its body are sent, the rest is still to come.
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "POST /api/v1/reports HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n",
        server.addr,
        body.len()
    )
    .unwrap();
    stream.write_all(first_half).unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));

    let terminated = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(terminated.success());
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server exited with a request in flight"
    );

    stream.write_all(second_half).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    assert!(answer.contains("\"id\""), "{answer}");

    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the server still runs 10 s after SIGTERM with nothing in flight"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status}");
    assert!(
        TcpStream::connect(&server.addr).is_err(),
        "a new connection was taken after the shutdown"
    );
}
