//! The build, run and test steps, each announced, timed, and named when it fails.

use std::process::{Command, Stdio};
use std::time::Instant;

use crate::tools::Env;

/// A step that failed, and why.
#[derive(Debug)]
pub struct Failure {
    /// The step, as announced.
    pub step: String,
    /// What went wrong.
    pub detail: String,
}

impl Failure {
    /// A failure of `step`.
    pub fn new(step: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            step: step.into(),
            detail: detail.into(),
        }
    }
}

/// Prints the step about to run.
pub fn announce(step: &str) {
    println!("==> {step}");
}

/// Runs `command` with its output shown; fails naming `step` if it does not succeed.
pub fn run_checked(step: &str, command: &mut Command) -> Result<(), Failure> {
    let started = Instant::now();
    let status = command.status().map_err(|e| {
        Failure::new(
            step,
            format!("could not start {:?}: {e}", command.get_program()),
        )
    })?;
    if status.success() {
        println!("    ok: {step} ({:.0?})", started.elapsed());
        Ok(())
    } else {
        Err(Failure::new(
            step,
            format!("{:?} exited with {status}", command.get_program()),
        ))
    }
}

/// Runs `command` quietly and answers what it printed.
pub fn capture(command: &mut Command) -> Result<String, std::io::Error> {
    let output = command.stderr(Stdio::null()).output()?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(std::io::Error::other("command failed"))
    }
}

fn step(env: &Env, name: &str, program: &str, args: &[&str]) -> Result<(), Failure> {
    announce(name);
    run_checked(name, env.command(program).args(args))
}

/// Builds the release bundle into `dist/`.
pub fn build_bundle(env: &Env) -> Result<(), Failure> {
    step(
        env,
        "build the release bundle (trunk build --release)",
        "trunk",
        &["build", "--release"],
    )
}

/// Builds the release bundle and the release build of `package`; answers its binary's path.
fn bundle_and_release_binary(env: &Env, package: &str) -> Result<std::path::PathBuf, Failure> {
    build_bundle(env)?;
    step(
        env,
        &format!("build {package} (release)"),
        "cargo",
        &["build", "--release", "--package", package],
    )?;
    Ok(env.target_dir().join("release").join(package))
}

/// Builds everything, then starts the server in the foreground.
pub fn run(env: &Env, server_args: &[String]) -> Result<(), Failure> {
    let server = bundle_and_release_binary(env, "budapest-post-server")?;
    announce("start the server (SQLite database in data/; Ctrl-C stops it)");
    run_checked(
        "run the server",
        env.command(&server.to_string_lossy()).args(server_args),
    )
}

/// The test steps, in order; `only` names a subset (`fmt`, `clippy`, `unit`, `wasm`, `e2e`).
pub fn test(env: &Env, only: &[String]) -> Result<(), Failure> {
    let wanted = |name: &str| only.is_empty() || only.iter().any(|o| o == name);
    let started = Instant::now();
    if wanted("fmt") {
        step(
            env,
            "cargo fmt --check",
            "cargo",
            &["fmt", "--all", "--", "--check"],
        )?;
    }
    if wanted("clippy") {
        step(
            env,
            "cargo clippy (native, every crate and target)",
            "cargo",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        )?;
        step(
            env,
            "cargo clippy (the app for wasm32)",
            "cargo",
            &[
                "clippy",
                "--package",
                "budapest-post",
                "--target",
                "wasm32-unknown-unknown",
                "--features",
                "hydrate",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        )?;
    }
    if wanted("unit") {
        step(
            env,
            "native unit and HTTP tests (cargo test)",
            "cargo",
            &["test", "--workspace"],
        )?;
    }
    if wanted("wasm") {
        let name = "wasm-bindgen-test component tests in headless Chromium";
        announce(name);
        run_checked(
            name,
            env.command("cargo")
                .args([
                    "test",
                    "--package",
                    "budapest-post",
                    "--target",
                    "wasm32-unknown-unknown",
                    "--features",
                    "hydrate",
                    "--lib",
                ])
                .env(
                    "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                    "wasm-bindgen-test-runner",
                )
                .env("CHROMEDRIVER", "/usr/bin/chromedriver")
                .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
        )?;
    }
    if wanted("e2e") {
        build_bundle(env)?;
        step(
            env,
            "build the server and the exporter for the end-to-end tests",
            "cargo",
            &[
                "build",
                "--package",
                "budapest-post-server",
                "--package",
                "budapest-post-export",
            ],
        )?;
        let name = "end-to-end tests: Playwright in Chromium against the real server and database";
        announce(name);
        run_checked(
            name,
            env.command("npx")
                .args([
                    "playwright",
                    "test",
                    "--config",
                    "tests/playwright.config.ts",
                ])
                .env(
                    "BP_SERVER_BIN",
                    env.target_dir().join("debug/budapest-post-server"),
                )
                .env(
                    "BP_EXPORT_BIN",
                    env.target_dir().join("debug/budapest-post-export"),
                )
                .env("BP_DIST", env.root.join("dist"))
                .env("BP_CONTENT", env.root.join("content")),
        )?;
    }
    println!("\nAll test steps passed in {:.0?}.", started.elapsed());
    Ok(())
}

/// The benchmark: release bundle and release server, measured from a real Chromium.
pub fn bench(env: &Env) -> Result<(), Failure> {
    let server = bundle_and_release_binary(env, "budapest-post-server")?;
    let name = "run the benchmark (tests/bench/bench.mjs)";
    announce(name);
    run_checked(
        name,
        env.command("node")
            .arg("tests/bench/bench.mjs")
            .env("BP_SERVER_BIN", server)
            .env("BP_DIST", env.root.join("dist"))
            .env("BP_CONTENT", env.root.join("content")),
    )
}

/// Builds the bundle and exports the whole site as static files; arguments go to the exporter
/// (`--out`, `--base-path`, `--api-write-base`, `--site-url`, ...).
pub fn export(env: &Env, export_args: &[String]) -> Result<(), Failure> {
    let exporter = bundle_and_release_binary(env, "budapest-post-export")?;
    let name = "export the site";
    announce(name);
    run_checked(
        name,
        env.command(&exporter.to_string_lossy()).args(export_args),
    )
}
