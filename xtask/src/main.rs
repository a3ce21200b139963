//! Project automation, one entry point: `cargo xtask <command>`.
//!
//! - `setup`: installs whatever this machine lacks (wasm32 target, trunk, wasm-bindgen-cli,
//!   the Debian packages the suite starts, cargo-audit, the npm packages with wasm-opt and
//!   Playwright).
//! - `run`: setup, build the release bundle, start the server, print the address.
//! - `test`: setup, then every check and test the project has (RELIABILITY.md describes the
//!   crash, load and fuzz steps).
//! - `build`: setup, then build the release bundle into `dist/`.
//! - `export`: the whole site as static files for any static host.
//! - `bench`: the benchmark described in BENCHMARKS.md.

mod apt;
mod postgres;
mod reliability;
mod steps;
mod tools;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = args.first().map(String::as_str).unwrap_or("help");
    let rest = &args[args.len().min(1)..];
    let outcome = match command {
        "setup" => tools::setup().map(|_| ()),
        "build" => tools::setup().and_then(|env| steps::build_bundle(&env)),
        "run" => tools::setup().and_then(|env| steps::run(&env, rest)),
        "test" => tools::setup().and_then(|env| steps::test(&env, rest)),
        "bench" => tools::setup().and_then(|env| steps::bench(&env)),
        "export" => tools::setup().and_then(|env| steps::export(&env, rest)),
        "help" | "--help" | "-h" => {
            println!("{}", HELP);
            Ok(())
        }
        other => Err(steps::Failure::new(
            "choose a command",
            format!("`{other}` is not a command.\n{HELP}"),
        )),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("\nFAILED at step: {}\n{}", failure.step, failure.detail);
            ExitCode::FAILURE
        }
    }
}

const HELP: &str = "usage: cargo xtask <command>
  setup   install the tools this machine lacks (skips what is installed)
  build   setup, then build the release bundle into dist/
  run     setup, build, then start the server (SQLite in data/) and print its address
          extra arguments go to the server, e.g. `cargo xtask run --addr 127.0.0.1:9000`
  test    setup, then fmt, audit, clippy, native tests, wasm tests in Chromium, end-to-end
          tests, crash and load tests against the server, schemathesis fuzzing;
          name steps to run only those, e.g. `cargo xtask test audit`
          (fmt, audit, clippy, unit, wasm, e2e, reliability, fuzz)
  export  setup, build, then export the site as static files, e.g.
          `cargo xtask export --out site --base-path /news/ --api-write-base https://api.example`
  bench   setup, build, then measure against plain HTML: bundle size and budgets, text visible, LCP, CLS,
          navigation, Lighthouse, API load with wrk (server and nginx; by database size), server memory,
          export time, the API on SQLite and on PostgreSQL (one and three nodes);
          BENCH_ONLY=visits,navigation,embed,lighthouse,api,export,corpora,stores runs some parts";
