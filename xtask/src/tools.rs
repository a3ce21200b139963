//! Installs the tools the project needs, skipping those already present.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::apt;
use crate::steps::{announce, capture, run_checked, Failure};

/// trunk 0.22 needs rustc 1.96; this is the newest that builds on 1.95.
const TRUNK_VERSION: &str = "0.21.14";

/// The newest cargo-audit; it needs rustc 1.88, and reads the advisory database format of
/// the snapshot in `../shared/advisory-db`.
const CARGO_AUDIT_VERSION: &str = "0.22.2";

/// Where the tools are, for the commands that follow.
pub struct Env {
    /// The workspace root.
    pub root: PathBuf,
    /// `PATH` with cargo's bin and `node_modules/.bin` in front.
    pub path: String,
}

impl Env {
    /// Where cargo puts what it builds: `CARGO_TARGET_DIR`, or `target/` in the workspace.
    pub fn target_dir(&self) -> PathBuf {
        std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| self.root.join("target"))
    }

    /// A command run at the workspace root with the tools on `PATH`.
    pub fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command.current_dir(&self.root).env("PATH", &self.path);
        command
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn cargo_bin() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
        .join("bin")
}

/// Installs what is missing and answers where everything is.
pub fn setup() -> Result<Env, Failure> {
    let root = workspace_root();
    let path = format!(
        "{}:{}:{}",
        root.join("node_modules/.bin").display(),
        cargo_bin().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let env = Env { root, path };
    // The quick installs first, so that a machine without apt or npm access fails in a
    // minute rather than after the long cargo builds.
    wasm_target(&env)?;
    apt::install_missing(&env)?;
    npm_packages(&env)?;
    cargo_audit(&env)?;
    trunk(&env)?;
    wasm_bindgen(&env)?;
    Ok(env)
}

fn wasm_target(env: &Env) -> Result<(), Failure> {
    let step = "install the wasm32-unknown-unknown target";
    let installed = capture(
        env.command("rustup")
            .args(["target", "list", "--installed"]),
    );
    if installed.is_ok_and(|list| list.lines().any(|l| l.trim() == "wasm32-unknown-unknown")) {
        announce(&format!("{step}: already installed"));
        return Ok(());
    }
    announce(step);
    run_checked(
        step,
        env.command("rustup")
            .args(["target", "add", "wasm32-unknown-unknown"]),
    )
}

fn trunk(env: &Env) -> Result<(), Failure> {
    let step = format!("install trunk {TRUNK_VERSION}");
    let version = capture(env.command("trunk").arg("--version")).unwrap_or_default();
    if version.contains(TRUNK_VERSION) {
        announce(&format!("{step}: already installed"));
        return Ok(());
    }
    announce(&format!("{step} (one time, about 6 minutes)"));
    run_checked(
        &step,
        env.command("cargo")
            .args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]),
    )
}

/// The wasm-bindgen version in Cargo.lock, which the CLI must match exactly.
pub fn locked_wasm_bindgen_version(root: &Path) -> Result<String, Failure> {
    let step = "read the wasm-bindgen version from Cargo.lock";
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| Failure::new(step, format!("cannot read Cargo.lock: {e}")))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
            {
                return Ok(version.trim_matches('"').to_owned());
            }
        }
    }
    Err(Failure::new(step, "Cargo.lock has no wasm-bindgen package"))
}

fn wasm_bindgen(env: &Env) -> Result<(), Failure> {
    let version = locked_wasm_bindgen_version(&env.root)?;
    let trunk_toml = std::fs::read_to_string(env.root.join("Trunk.toml")).unwrap_or_default();
    if !trunk_toml.contains(&format!("wasm_bindgen = \"{version}\"")) {
        return Err(Failure::new(
            "check Trunk.toml",
            format!("Trunk.toml must set `wasm_bindgen = \"{version}\"` to match Cargo.lock"),
        ));
    }
    let step = format!("install wasm-bindgen-cli {version}");
    let installed = capture(env.command("wasm-bindgen").arg("--version")).unwrap_or_default();
    let runner = cargo_bin().join("wasm-bindgen-test-runner").exists();
    if installed.split_whitespace().nth(1) == Some(version.as_str()) && runner {
        announce(&format!("{step}: already installed"));
        return Ok(());
    }
    announce(&format!("{step} (one time, about 3 minutes)"));
    // Not --locked: its lockfile wants a crate version the registry mirror lacks.
    run_checked(
        &step,
        env.command("cargo").args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &version,
            "--force",
        ]),
    )
}

fn cargo_audit(env: &Env) -> Result<(), Failure> {
    let step = format!("install cargo-audit {CARGO_AUDIT_VERSION}");
    let version = capture(env.command("cargo").args(["audit", "--version"])).unwrap_or_default();
    if version
        .split_whitespace()
        .any(|word| word == CARGO_AUDIT_VERSION)
    {
        announce(&format!("{step}: already installed"));
        return Ok(());
    }
    announce(&format!("{step} (one time, about 5 minutes)"));
    run_checked(
        &step,
        env.command("cargo").args([
            "install",
            "cargo-audit",
            "--version",
            CARGO_AUDIT_VERSION,
            "--locked",
        ]),
    )
}

fn npm_packages(env: &Env) -> Result<(), Failure> {
    let step =
        "install npm packages (binaryen's wasm-opt, terser, Playwright, axe-core, Lighthouse)";
    let bin = env.root.join("node_modules/.bin");
    let complete = ["wasm-opt", "terser", "playwright", "lighthouse"]
        .iter()
        .all(|tool| bin.join(tool).exists());
    let lock = env.root.join("package-lock.json");
    let installed_lock = env.root.join("node_modules/.package-lock.json");
    let fresh = match (std::fs::metadata(&lock), std::fs::metadata(&installed_lock)) {
        (Ok(l), Ok(i)) => match (l.modified(), i.modified()) {
            (Ok(l), Ok(i)) => i >= l,
            _ => false,
        },
        _ => false,
    };
    if complete && fresh {
        announce(&format!("{step}: already installed"));
        return Ok(());
    }
    if capture(env.command("npm").arg("--version")).is_err() {
        return Err(Failure::new(
            step,
            "npm is not installed: install Node.js 20 and npm",
        ));
    }
    announce(step);
    run_checked(
        step,
        env.command("npm").args(["ci", "--no-audit", "--no-fund"]),
    )?;
    let version = capture(env.command("wasm-opt").arg("--version")).unwrap_or_default();
    if !version.contains("132") {
        return Err(Failure::new(
            "check wasm-opt",
            format!("expected binaryen 132's wasm-opt on PATH, found: {version}"),
        ));
    }
    Ok(())
}
