//! Installs the Debian packages the test suite starts, skipping apt when all are present.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::steps::{announce, capture, Failure};
use crate::tools::Env;

/// Each Debian package the suite starts, with the file that shows it is installed.
/// Adding a package is one line here.
pub const DEBIAN_PACKAGES: &[(&str, &str)] = &[
    ("chromium", "/usr/bin/chromium"),
    ("chromium-driver", "/usr/bin/chromedriver"),
    ("nginx", "/usr/sbin/nginx"),
    ("wrk", "/usr/bin/wrk"),
    ("espeak-ng", "/usr/bin/espeak-ng"),
    ("sox", "/usr/bin/sox"),
    ("postgresql", "/usr/lib/postgresql/15/bin/initdb"),
    // `python3 -m venv` with pip, for the fuzz step's schemathesis; the package's only file.
    ("python3-venv", "/usr/share/doc/python3-venv"),
];

/// How long to wait for another apt or dpkg (another engineer's setup, unattended upgrades)
/// to let go of its lock before giving up.
const LOCK_PATIENCE: Duration = Duration::from_secs(15 * 60);
const LOCK_RETRY_EVERY: Duration = Duration::from_secs(10);

/// The packages in `table` whose file is absent, each with that file.
pub fn missing<'a>(table: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    table
        .iter()
        .copied()
        .filter(|(_, file)| !Path::new(file).exists())
        .collect()
}

fn describe(packages: &[(&str, &str)]) -> String {
    packages
        .iter()
        .map(|(package, file)| format!("{package} ({file})"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Installs, in one `apt-get install`, every package of [`DEBIAN_PACKAGES`] that is missing.
pub fn install_missing(env: &Env) -> Result<(), Failure> {
    let all: Vec<&str> = DEBIAN_PACKAGES
        .iter()
        .map(|(package, _)| *package)
        .collect();
    let missing = missing(DEBIAN_PACKAGES);
    if missing.is_empty() {
        announce(&format!(
            "install Debian packages ({}): already installed",
            all.join(", ")
        ));
        return Ok(());
    }
    let names: Vec<&str> = missing.iter().map(|(package, _)| *package).collect();
    let step = format!(
        "install Debian packages {} (missing: {})",
        names.join(", "),
        describe(&missing)
    );
    announce(&format!("{step} (one time, a few minutes)"));
    let started = Instant::now();
    let privilege = privilege().map_err(|detail| Failure::new(&step, detail))?;
    apt_get(env, privilege, &["update"])
        .map_err(|detail| Failure::new(&step, format!("apt-get update failed: {detail}")))?;
    let mut install = vec!["install", "-y"];
    install.extend(&names);
    apt_get(env, privilege, &install).map_err(|detail| {
        Failure::new(
            &step,
            format!(
                "apt-get install -y {} failed: {detail}\nStill missing: {}",
                names.join(" "),
                describe(&self::missing(&missing))
            ),
        )
    })?;
    let still_missing = self::missing(&missing);
    if !still_missing.is_empty() {
        return Err(Failure::new(
            &step,
            format!(
                "apt-get succeeded, yet these files are still absent: {}",
                describe(&still_missing)
            ),
        ));
    }
    println!("    ok: {step} ({:.0?})", started.elapsed());
    Ok(())
}

/// The command apt-get runs under: itself as root, else `sudo`.
fn privilege() -> Result<Option<&'static str>, String> {
    if capture(Command::new("id").arg("-u")).is_ok_and(|id| id.trim() == "0") {
        return Ok(None);
    }
    if capture(Command::new("sudo").args(["-n", "true"])).is_ok() {
        return Ok(Some("sudo"));
    }
    Err(
        "installing Debian packages needs root: run as root, or with sudo that works \
         without a password (`sudo -n true`)"
            .to_owned(),
    )
}

/// Runs `apt-get args`, waiting politely while another apt or dpkg holds the lock.
fn apt_get(env: &Env, privilege: Option<&str>, args: &[&str]) -> Result<(), String> {
    let waiting_since = Instant::now();
    loop {
        let mut command = match privilege {
            Some(sudo) => {
                let mut command = env.command(sudo);
                command.args(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]);
                command
            }
            None => env.command("apt-get"),
        };
        command
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdin(Stdio::null())
            .stderr(Stdio::piped());
        let output = command
            .spawn()
            .and_then(|child| child.wait_with_output())
            .map_err(|e| format!("could not start apt-get: {e}"))?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        // apt's progress goes to stdout (shown as it comes); its errors are shown afterwards.
        let _ = std::io::stderr().write_all(stderr.as_bytes());
        if output.status.success() {
            return Ok(());
        }
        if !lock_is_held(&stderr) {
            return Err(format!("apt-get exited with {}", output.status));
        }
        if waiting_since.elapsed() >= LOCK_PATIENCE {
            return Err(format!(
                "another apt or dpkg held the lock for {} minutes; try again when it is done",
                LOCK_PATIENCE.as_secs() / 60
            ));
        }
        println!(
            "    another apt or dpkg holds the lock; trying again in {} s",
            LOCK_RETRY_EVERY.as_secs()
        );
        sleep(LOCK_RETRY_EVERY);
    }
}

/// Whether apt-get failed only because another apt or dpkg holds its lock.
fn lock_is_held(stderr: &str) -> bool {
    [
        "Could not get lock",
        "Unable to lock directory",
        "Unable to acquire the dpkg frontend lock",
    ]
    .iter()
    .any(|sign| stderr.contains(sign))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_package_is_missing_exactly_when_its_file_is_absent() {
        let here = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
        let table = [("present", here), ("absent", "/nonexistent/bp-xtask-probe")];
        assert_eq!(
            missing(&table),
            vec![("absent", "/nonexistent/bp-xtask-probe")]
        );
    }

    #[test]
    fn every_package_names_an_absolute_file() {
        for (package, file) in DEBIAN_PACKAGES {
            assert!(
                !package.is_empty() && file.starts_with('/'),
                "{package}: {file}"
            );
        }
    }

    #[test]
    fn a_held_lock_is_told_apart_from_other_failures() {
        assert!(lock_is_held(
            "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 42 (apt-get)"
        ));
        assert!(lock_is_held(
            "E: Unable to lock directory /var/lib/apt/lists/"
        ));
        assert!(!lock_is_held("E: Unable to locate package wrk"));
    }
}
