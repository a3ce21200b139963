//! Fuzz every endpoint: schemathesis reads the OpenAPI document the real server serves
//! (`/api/v1/openapi.json`) and sends each operation a bounded number of generated requests —
//! schema-valid and schema-breaking bodies, paths, headers; examples, boundary values, random
//! inputs and chains of calls — with every one of its checks (no 5xx, statuses, content types,
//! headers and bodies as documented, schema-breaking input refused, schema-valid input
//! accepted, methods not served answered 405) and ours from `tests/fuzz/hooks.py` (every
//! answer of 400 or more in the contract's error shape). See `tests/fuzz/schemathesis.toml`
//! for the documented answers let through, and RELIABILITY.md for the last figures.
//!
//! Run by `cargo xtask test fuzz`, which installs the pinned schemathesis into a venv under the
//! target folder and names it in `BP_SCHEMATHESIS`. `BP_FUZZ_SEED` replays a run (each run
//! prints its seed); `BP_FUZZ_MAX_EXAMPLES` changes the inputs per operation (100).

mod binary;
mod loopback;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use loopback::{server_binary, spawn, Client, NO_RATE_LIMITS};

fn fuzz_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fuzz")
}

fn seed() -> String {
    std::env::var("BP_FUZZ_SEED").unwrap_or_else(|_| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        nanos.to_string()
    })
}

#[test]
#[ignore = "needs schemathesis: run by `cargo xtask test fuzz`, which installs it"]
fn every_endpoint_keeps_its_contract_under_schemathesis() {
    let schemathesis = std::env::var_os("BP_SCHEMATHESIS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("schemathesis"));
    let binary = server_binary();
    let (dir, database, dist) = binary::workspace();
    let mut server = spawn(
        &binary,
        &database,
        &dist,
        SocketAddr::from(([127, 0, 0, 1], 0)),
        NO_RATE_LIMITS,
    );
    let addr = server.wait_listening().expect("the server listens");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let document = runtime
        .block_on(Client::new(loopback::loopback(0), addr).get("/api/v1/openapi.json"))
        .ok()
        .and_then(|reply| reply.json())
        .expect("the server serves its OpenAPI document");
    let operations: usize = document["paths"]
        .as_object()
        .expect("the document has paths")
        .values()
        .map(|item| item.as_object().map_or(0, |methods| methods.len()))
        .sum();
    let seed = seed();
    println!(
        "fuzz: schemathesis against the {} server {}, seed {seed} (BP_FUZZ_SEED replays it)",
        loopback::build_of(&binary),
        binary.display()
    );
    let report = dir.path().join("schemathesis-report.json");
    let mut command = Command::new(&schemathesis);
    command
        // Nothing it writes lands in the repo.
        .current_dir(dir.path())
        .env("SCHEMATHESIS_HOOKS", fuzz_folder().join("hooks.py"))
        .arg("--config-file")
        .arg(fuzz_folder().join("schemathesis.toml"))
        .arg("run")
        .arg(format!("http://{addr}/api/v1/openapi.json"))
        // Without a filter schemathesis leaves out the operation that serves the document
        // itself; this one selects every operation, that one included.
        .args(["--include-path-regex", "^/api/v1/"])
        .args(["--seed", &seed, "--no-color", "--report", "json"])
        .arg("--report-json-path")
        .arg(&report);
    if let Ok(n) = std::env::var("BP_FUZZ_MAX_EXAMPLES") {
        command.args(["--max-examples", &n]);
    }
    let started = Instant::now();
    let status = command.status().unwrap_or_else(|e| {
        panic!(
            "cannot run {}: {e}; `cargo xtask test fuzz` installs it",
            schemathesis.display()
        )
    });
    let elapsed = started.elapsed();

    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).expect("schemathesis wrote its report"))
            .unwrap();
    let cases = &report["test_cases"];
    println!(
        "fuzz: {} inputs tried on {} of the document's {operations} operations in {elapsed:.1?} (seed {seed}); {} with failures, \
         {} unique failures, {} errors; phases: {}",
        cases["generated"],
        report["operations"]["tested"],
        cases["with_failures"],
        cases["unique_failures"],
        report["errors"].as_array().map_or(0, Vec::len),
        report["phases"]
            .as_object()
            .map(|phases| phases
                .iter()
                .map(|(name, phase)| format!("{name} {}", phase["status"].as_str().unwrap_or("?")))
                .collect::<Vec<_>>()
                .join(", "))
            .unwrap_or_default(),
    );

    // After all of it the server still runs, still answers, and its file is whole.
    assert!(server.is_running(), "the server died during the fuzz run");
    let answer = runtime.block_on(async {
        Client::new(loopback::loopback(0), addr)
            .get("/api/v1/site.json")
            .await
    });
    assert_eq!(answer.map(|reply| reply.status).ok(), Some(200));
    server.kill();
    let connection = rusqlite::Connection::open_with_flags(
        &database,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let integrity: String = connection
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    assert!(
        cases["generated"].as_u64().is_some_and(|n| n > 0),
        "no input was tried"
    );
    assert_eq!(
        report["operations"]["tested"].as_u64(),
        Some(operations as u64),
        "schemathesis did not test every operation of the document"
    );
    assert!(
        status.success(),
        "schemathesis found failures (above); BP_FUZZ_SEED={seed} replays the run"
    );
}
