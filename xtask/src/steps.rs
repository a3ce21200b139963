//! The build, run and test steps, each announced, timed, and named when it fails.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::postgres::Postgres;
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

/// Runs `cargo test` as `command` like [`run_checked`], and on failure names the failing tests
/// and their panics again at the end: CI keeps only the tail of what a run printed, and the
/// failures section of a test binary can be thousands of lines above it.
pub fn run_tests_checked(step: &str, command: &mut Command) -> Result<(), Failure> {
    let started = Instant::now();
    let program = command.get_program().to_owned();
    let could_not_start =
        |e: std::io::Error| Failure::new(step, format!("could not start {program:?}: {e}"));
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .map_err(could_not_start)?;
    let mut digest = FailureDigest::default();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            println!("{line}");
            digest.read(&line);
        }
    }
    let status = child
        .wait()
        .map_err(|e| Failure::new(step, format!("{program:?} was lost: {e}")))?;
    if status.success() {
        println!("    ok: {step} ({:.0?})", started.elapsed());
        return Ok(());
    }
    let mut detail = format!("{program:?} exited with {status}");
    if !digest.lines.is_empty() {
        detail.push_str("\nThe failing tests, again:\n");
        detail.push_str(&digest.lines.join("\n"));
    }
    Err(Failure::new(step, detail))
}

/// The lines of a `cargo test` run that say which tests failed and why: each failed test's
/// line, and the start of each failure's captured output (its panic message).
#[derive(Default)]
struct FailureDigest {
    lines: Vec<String>,
    /// Lines still kept of the failure block being read.
    block_left: usize,
}

impl FailureDigest {
    /// At most this many lines of one failure's output are kept.
    const BLOCK_LINES: usize = 12;
    /// At most this many lines in all, so a run where everything fails stays readable.
    const MOST_LINES: usize = 120;

    fn read(&mut self, line: &str) {
        let starts_block = line.starts_with("---- ") && line.ends_with(" ----");
        // A backtrace (RUST_BACKTRACE is set) says where, not why; the panic line said where.
        let ends_block =
            line == "failures:" || line.starts_with("test result:") || line == "stack backtrace:";
        if starts_block {
            self.block_left = Self::BLOCK_LINES;
        } else if ends_block {
            self.block_left = 0;
        }
        let failed_test = line.starts_with("test ") && line.ends_with(" ... FAILED");
        let in_block = self.block_left > 0 && !line.trim().is_empty();
        if (failed_test || in_block) && self.lines.len() < Self::MOST_LINES {
            self.lines.push(line.to_owned());
        }
        if in_block {
            self.block_left -= 1;
        }
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
    checked_step(name, env.command(program).args(args))
}

fn checked_step(name: &str, command: &mut Command) -> Result<(), Failure> {
    announce(name);
    run_checked(name, command)
}

/// The environment variable that hands the tests the throwaway cluster's superuser URL.
pub const TEST_POSTGRES_URL_VAR: &str = "BP_TEST_POSTGRES_URL";

/// The environment variable that hands the benchmark the throwaway cluster's superuser URL.
const BENCH_POSTGRES_URL_VAR: &str = "BP_BENCH_POSTGRES_URL";

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
fn bundle_and_release_binary(env: &Env, package: &str) -> Result<PathBuf, Failure> {
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

/// The names of the test steps, in the order they run.
pub const TEST_STEPS: &[&str] = &[
    "fmt",
    "audit",
    "clippy",
    "unit",
    "wasm",
    "e2e",
    "reliability",
    "fuzz",
];

/// The test steps, in order; `only` names a subset of [`TEST_STEPS`].
pub fn test(env: &Env, only: &[String]) -> Result<(), Failure> {
    if let Some(unknown) = only.iter().find(|o| !TEST_STEPS.contains(&o.as_str())) {
        return Err(Failure::new(
            "choose the test steps",
            format!(
                "`{unknown}` is not a test step; the steps are: {}",
                TEST_STEPS.join(", ")
            ),
        ));
    }
    let wanted = |name: &str| only.is_empty() || only.iter().any(|o| o == name);
    let started = Instant::now();
    // One throwaway cluster for every step that tests the PostgreSQL store, started first so
    // that a machine where it cannot start fails in seconds; dropped (stopped and removed)
    // when this function returns, whether the steps passed or not.
    let postgres = if wanted("unit") || wanted("reliability") {
        Some(Postgres::start()?)
    } else {
        None
    };
    let postgres_url = postgres.as_ref().map(Postgres::url).unwrap_or_default();
    if wanted("fmt") {
        step(
            env,
            "cargo fmt --check",
            "cargo",
            &["fmt", "--all", "--", "--check"],
        )?;
    }
    if wanted("audit") {
        audit(env)?;
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
        let name =
            "native unit and HTTP tests (cargo test; the store's against SQLite and PostgreSQL)";
        announce(name);
        run_tests_checked(
            name,
            env.command("cargo")
                // Every failing test binary is reported, not only the first.
                .args(["test", "--workspace", "--no-fail-fast"])
                .env(TEST_POSTGRES_URL_VAR, postgres_url),
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
    if wanted("reliability") {
        crate::reliability::reliability(env, postgres_url)?;
    }
    if wanted("fuzz") {
        crate::reliability::fuzz(env)?;
    }
    println!("\nAll test steps passed in {:.0?}.", started.elapsed());
    Ok(())
}

/// Checks Cargo.lock against the RustSec advisory database snapshot, offline.
fn audit(env: &Env) -> Result<(), Failure> {
    let name = "cargo audit (Cargo.lock against the RustSec advisory database)";
    let chosen = std::env::var_os(ADVISORY_DB_VAR).map(PathBuf::from);
    // A clone made elsewhere (`git clone /work/repo /tmp/fresh`) finds the snapshot beside the
    // repository it was cloned from.
    let database = advisory_db(&env.root, chosen.clone())
        .or_else(|beside_this| match (chosen, cloned_from(&env.root)) {
            (None, Some(origin)) => advisory_db(&origin, None).map_err(|_| beside_this),
            _ => Err(beside_this),
        })
        .map_err(|detail| Failure::new(name, detail))?;
    let database = database.to_string_lossy();
    announce(&format!("{name} in {database}"));
    // A vulnerability always fails (cargo-audit's own rule). An unsound advisory fails too: it
    // is a memory-safety bug reachable from safe code, a defect as real as a vulnerability.
    // Unmaintained and yanked crates are printed as warnings but do not fail: neither is a
    // defect in itself, a fresh advisory of that kind would otherwise stop every merge until
    // an upstream crate moves, and the lead reviews the printed list instead.
    run_checked(
        name,
        env.command("cargo").args([
            "audit",
            "--db",
            &database,
            "--no-fetch",
            "--deny",
            "unsound",
        ]),
    )
}

/// The local folder this checkout was cloned from, when its `origin` is one.
fn cloned_from(root: &Path) -> Option<PathBuf> {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["config", "--get", "remote.origin.url"])
        .output()
        .ok()?;
    let url = String::from_utf8(output.stdout).ok()?;
    let folder = PathBuf::from(url.trim().trim_start_matches("file://"));
    (folder.is_absolute() && folder.is_dir()).then_some(folder)
}

/// The environment variable that names the advisory database folder instead.
pub const ADVISORY_DB_VAR: &str = "BP_ADVISORY_DB";

/// The advisory database: `chosen` (from `$BP_ADVISORY_DB`), else `shared/advisory-db` beside
/// the workspace or beside one of its parent folders (a git worktree may sit deeper than the
/// clone).
pub fn advisory_db(root: &Path, chosen: Option<PathBuf>) -> Result<PathBuf, String> {
    let candidates: Vec<PathBuf> = match chosen {
        Some(path) => vec![path],
        None => root
            .ancestors()
            .skip(1)
            .map(|folder| folder.join("shared/advisory-db"))
            .collect(),
    };
    candidates
        .iter()
        .find(|folder| folder.join("crates").is_dir())
        .cloned()
        .ok_or_else(|| {
            let looked: Vec<String> = candidates
                .iter()
                .map(|c| format!("  {}", c.display()))
                .collect();
            format!(
                "no RustSec advisory database (a folder with crates/ in it) at:\n{}\n\
                 Put a snapshot of the advisory-db repository at ../shared/advisory-db or set \
                 {ADVISORY_DB_VAR} to its folder.",
                looked.join("\n")
            )
        })
}

/// The benchmark (BENCHMARKS.md): builds the release bundle, the release server and the
/// release exporter, then measures them from a real Chromium, nginx and wrk.
pub fn bench(env: &Env) -> Result<(), Failure> {
    build_bundle(env)?;
    step(
        env,
        "build budapest-post-server and budapest-post-export (release)",
        "cargo",
        &[
            "build",
            "--release",
            "--package",
            "budapest-post-server",
            "--package",
            "budapest-post-export",
        ],
    )?;
    let release = env.target_dir().join("release");
    // Stopped and removed when the benchmark ends, whether it passed or not.
    let postgres = Postgres::start()?;
    let name = "run the benchmark (tests/bench/bench.mjs; a Markdown report, ~12 minutes)";
    announce(name);
    run_checked(
        name,
        env.command("node")
            .arg("tests/bench/bench.mjs")
            .env("BP_SERVER_BIN", release.join("budapest-post-server"))
            .env("BP_EXPORT_BIN", release.join("budapest-post-export"))
            .env("BP_DIST", env.root.join("dist"))
            .env("BP_CONTENT", env.root.join("content"))
            .env(BENCH_POSTGRES_URL_VAR, postgres.url()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_advisory_database_is_found_beside_the_workspace_or_a_parent_folder() {
        let scratch = std::env::temp_dir().join(format!("bp-xtask-db-{}", std::process::id()));
        let root = scratch.join("worktrees/repo");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(scratch.join("shared/advisory-db/crates")).unwrap();
        let found = advisory_db(&root, None);
        let chosen_elsewhere = advisory_db(&root, Some(scratch.join("elsewhere")));
        std::fs::remove_dir_all(&scratch).unwrap();
        assert_eq!(found, Ok(scratch.join("shared/advisory-db")));
        let message = chosen_elsewhere.unwrap_err();
        assert!(
            message.contains(&*scratch.join("elsewhere").to_string_lossy()),
            "{message}"
        );
    }

    #[test]
    fn the_failure_digest_keeps_each_failed_test_and_its_panic_only() {
        let run = "running 3 tests
test a::passes ... ok
test a::breaks ... FAILED
test a::also_breaks ... FAILED

failures:

---- a::breaks stdout ----

thread 'a::breaks' panicked at server/tests/a.rs:10:5:
assertion failed: the answer
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
---- a::also_breaks stdout ----
thread 'a::also_breaks' panicked at server/tests/a.rs:20:5:
still the old answer
stack backtrace:
   0: __rustc::rust_begin_unwind

failures:
    a::breaks
    a::also_breaks

test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out";
        let mut digest = FailureDigest::default();
        for line in run.lines() {
            digest.read(line);
        }
        assert_eq!(
            digest.lines,
            [
                "test a::breaks ... FAILED",
                "test a::also_breaks ... FAILED",
                "---- a::breaks stdout ----",
                "thread 'a::breaks' panicked at server/tests/a.rs:10:5:",
                "assertion failed: the answer",
                "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
                "---- a::also_breaks stdout ----",
                "thread 'a::also_breaks' panicked at server/tests/a.rs:20:5:",
                "still the old answer",
            ]
        );
    }

    #[test]
    fn the_failure_digest_bounds_a_long_panic() {
        let mut digest = FailureDigest::default();
        digest.read("---- long stdout ----");
        for n in 0..100 {
            digest.read(&format!("line {n}"));
        }
        assert_eq!(digest.lines.len(), FailureDigest::BLOCK_LINES);
    }

    #[test]
    fn a_missing_advisory_database_names_where_it_was_looked_for() {
        let root = Path::new("/nonexistent/bp-xtask/repo");
        let message = advisory_db(root, None).unwrap_err();
        assert!(
            message.contains("/nonexistent/bp-xtask/shared/advisory-db"),
            "{message}"
        );
        assert!(message.contains(ADVISORY_DB_VAR), "{message}");
    }
}
