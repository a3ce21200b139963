//! The reliability steps of `cargo xtask test`: crashes and load against the (debug) server,
//! and schemathesis fuzzing every endpoint (installed into a venv under the target folder).
//! RELIABILITY.md describes each test and its last figures.

use std::path::{Path, PathBuf};

use crate::steps::{announce, run_checked, run_tests_checked, Failure, TEST_POSTGRES_URL_VAR};
use crate::tools::Env;

/// The pinned Python packages of the fuzz run: schemathesis and all it pulls in.
const FUZZ_REQUIREMENTS: &str = "tests/fuzz/requirements.txt";

/// `cargo test` of the server's ignored (process-level) test files `tests`, one at a time, with
/// their output shown. Cargo builds the server binary they start as part of it.
fn server_process_tests(env: &Env, tests: &[&str]) -> std::process::Command {
    let mut command = env.command("cargo");
    command.args(["test", "--package", "budapest-post-server"]);
    for test in tests {
        command.args(["--test", test]);
    }
    command.args(["--", "--ignored", "--nocapture", "--test-threads=1"]);
    command
}

/// Crash under load (SIGKILLs at random moments while readers post reports), a mixed load
/// from 64 clients (no failure but deliberate 429s, memory levelling off), and three nodes
/// behind nginx on one PostgreSQL database (`postgres_url`, the throwaway cluster's superuser
/// URL; SIGKILL of a node, the same key at several nodes, nothing acknowledged lost), all
/// against the debug build of the server (overflow-checked, and already built by the
/// end-to-end step: a release build would add minutes to every suite run), one after the other.
pub fn reliability(env: &Env, postgres_url: &str) -> Result<(), Failure> {
    let name = "reliability: crash under load (SIGKILLs at random moments), a mixed load from 64 clients, \
                three nodes behind nginx on PostgreSQL, against the debug server";
    announce(name);
    run_tests_checked(
        name,
        server_process_tests(env, &["crash_under_load", "load", "multi_node"])
            .env(
                "BP_SERVER_BIN",
                env.target_dir().join("debug/budapest-post-server"),
            )
            .env(TEST_POSTGRES_URL_VAR, postgres_url)
            // 500 requests a client (about 32,000 in all, half a minute against the debug
            // build): enough to see memory level off, short enough for every suite run.
            .env("BP_LOAD_REQUESTS_PER_CLIENT", "500"),
    )
}

/// schemathesis against the OpenAPI document of the real (debug, so overflow-checked) server.
pub fn fuzz(env: &Env) -> Result<(), Failure> {
    let schemathesis = install_schemathesis(env)?;
    let name = "fuzz every endpoint: schemathesis against the served OpenAPI document";
    announce(name);
    run_tests_checked(
        name,
        server_process_tests(env, &["fuzz_openapi"]).env("BP_SCHEMATHESIS", schemathesis),
    )
}

/// Where the fuzz run's Python packages live: beside the build, out of the repo.
fn fuzz_venv(env: &Env) -> PathBuf {
    env.target_dir().join("fuzz-venv")
}

/// The venv's copy of the requirements it was made from: when it matches the repo's, the venv
/// is up to date.
fn installed_marker(venv: &Path) -> PathBuf {
    venv.join("requirements.installed")
}

/// Makes the venv with the pinned packages unless it already has exactly them; answers the
/// path of its `schemathesis`.
fn install_schemathesis(env: &Env) -> Result<PathBuf, Failure> {
    let step = format!("install schemathesis ({FUZZ_REQUIREMENTS}) into a venv");
    let requirements = env.root.join(FUZZ_REQUIREMENTS);
    let wanted = std::fs::read_to_string(&requirements)
        .map_err(|e| Failure::new(&step, format!("cannot read {FUZZ_REQUIREMENTS}: {e}")))?;
    let venv = fuzz_venv(env);
    let schemathesis = venv.join("bin/schemathesis");
    let installed = std::fs::read_to_string(installed_marker(&venv)).unwrap_or_default();
    if schemathesis.exists() && installed == wanted {
        announce(&format!("{step}: already installed"));
        return Ok(schemathesis);
    }
    announce(&format!(
        "{step} at {} (one time, about a minute)",
        venv.display()
    ));
    // `python3 -m venv` with pip in it: Debian's python3 needs python3-venv for that, which
    // `cargo xtask setup` installs (apt.rs).
    run_checked(
        &step,
        env.command("python3")
            .args(["-m", "venv", "--clear"])
            .arg(&venv),
    )
    .map_err(|failure| {
        Failure::new(
            &step,
            format!(
                "{}: `python3 -m venv` needs Python 3 with its venv module and ensurepip \
                 (on Debian: apt-get install python3-venv)",
                failure.detail
            ),
        )
    })?;
    run_checked(
        &step,
        env.command(&venv.join("bin/python").to_string_lossy())
            .args([
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--no-input",
                "--quiet",
                "--requirement",
            ])
            .arg(&requirements),
    )?;
    std::fs::write(installed_marker(&venv), wanted)
        .map_err(|e| Failure::new(&step, format!("cannot write into {}: {e}", venv.display())))?;
    Ok(schemathesis)
}
