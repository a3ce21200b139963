//! A throwaway PostgreSQL cluster for the test and bench steps: initialised into a fresh
//! temporary folder, listening on a free port of 127.0.0.1 only, stopped and removed again
//! when its guard is dropped (on success and on failure alike).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::steps::{announce, capture, Failure};

/// Where Debian puts each installed PostgreSQL version's programs (`<version>/bin`).
const DEBIAN_POSTGRES_ROOT: &str = "/usr/lib/postgresql";

/// The unprivileged account that runs the cluster when xtask runs as root (initdb refuses
/// root); Debian's `postgresql` package creates it.
const CLUSTER_USER: &str = "postgres";

/// How many lines of the server's log a failure shows.
const LOG_TAIL_LINES: usize = 30;

const STEP: &str = "start a throwaway PostgreSQL (initdb into a temporary folder, 127.0.0.1 only)";

/// A running throwaway PostgreSQL cluster; dropping it stops the server and removes its folder.
pub struct Postgres {
    programs: PathBuf,
    folder: PathBuf,
    as_cluster_user: bool,
    url: String,
}

impl Postgres {
    /// Initialises and starts a cluster; fails saying why (with the server log's tail) if it
    /// cannot.
    pub fn start() -> Result<Self, Failure> {
        announce(STEP);
        let programs = newest_programs(Path::new(DEBIAN_POSTGRES_ROOT))
            .map_err(|detail| Failure::new(STEP, detail))?;
        let as_cluster_user = running_as_root();
        let folder = std::env::temp_dir().join(format!(
            "bp-postgres-{}-{}",
            std::process::id(),
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or_default()
        ));
        std::fs::create_dir(&folder)
            .map_err(|e| Failure::new(STEP, format!("cannot create {}: {e}", folder.display())))?;
        // From here on the guard exists, so every failure below removes the folder again.
        let mut cluster = Self {
            programs,
            folder,
            as_cluster_user,
            url: String::new(),
        };
        cluster.initialise()?;
        cluster.url = cluster.start_server()?;
        println!(
            "    ok: PostgreSQL at {} (data in {})",
            cluster.url,
            cluster.folder.display()
        );
        Ok(cluster)
    }

    /// The superuser URL of the cluster's `postgres` database.
    pub fn url(&self) -> &str {
        &self.url
    }

    fn data(&self) -> PathBuf {
        self.folder.join("data")
    }

    fn log(&self) -> PathBuf {
        self.folder.join("postgres.log")
    }

    /// One of the cluster's programs, run as the cluster's user when xtask is root.
    fn program(&self, name: &str) -> Command {
        let program = self.programs.join(name);
        let mut command = if self.as_cluster_user {
            let mut command = Command::new("runuser");
            command.args(["-u", CLUSTER_USER, "--"]).arg(program);
            command
        } else {
            Command::new(program)
        };
        // The cluster's user may not be allowed into the workspace.
        command.current_dir(&self.folder).stdin(Stdio::null());
        command
    }

    fn initialise(&self) -> Result<(), Failure> {
        if self.as_cluster_user {
            let owner = format!("{CLUSTER_USER}:{CLUSTER_USER}");
            let chown = Command::new("chown").arg(&owner).arg(&self.folder).output();
            if !chown.as_ref().is_ok_and(|o| o.status.success()) {
                return Err(Failure::new(
                    STEP,
                    format!(
                        "running as root, the cluster runs as the `{CLUSTER_USER}` user, but \
                         `chown {owner} {}` failed ({}); is Debian's postgresql package \
                         installed (it creates the user)?",
                        self.folder.display(),
                        describe_output(&chown)
                    ),
                ));
            }
        }
        // No fsync while initialising a throwaway cluster; the server itself runs with fsync on.
        let initdb = self
            .program("initdb")
            .arg("--pgdata")
            .arg(self.data())
            .args([
                "--auth=trust",
                "--username=postgres",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ])
            .output();
        if initdb.as_ref().is_ok_and(|o| o.status.success()) {
            Ok(())
        } else {
            Err(Failure::new(
                STEP,
                format!(
                    "initdb into {} failed: {}",
                    self.data().display(),
                    describe_output(&initdb)
                ),
            ))
        }
    }

    /// Starts the server on a free port; answers its URL once it answered a query.
    fn start_server(&self) -> Result<String, Failure> {
        let port = free_port().map_err(|e| Failure::new(STEP, e))?;
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=on",
            self.folder.display()
        );
        let started = self
            .program("pg_ctl")
            .arg("--pgdata")
            .arg(self.data())
            .arg("--log")
            .arg(self.log())
            .args(["--wait", "--timeout=60", "--options", &options, "start"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if !started.as_ref().is_ok_and(|s| s.success()) {
            let status = match started {
                Ok(status) => format!("exited with {status}"),
                Err(e) => format!("could not be started: {e}"),
            };
            return Err(self.failure(&format!("pg_ctl start {status}")));
        }
        let answer = capture(
            Command::new(self.programs.join("psql"))
                .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-U", "postgres"])
                .args(["-d", "postgres", "-Atc", "select 1"])
                .stdin(Stdio::null()),
        );
        match answer {
            Ok(one) if one.trim() == "1" => {
                Ok(format!("postgres://postgres@127.0.0.1:{port}/postgres"))
            }
            _ => Err(self.failure(&format!(
                "the server started but did not answer `select 1` on 127.0.0.1:{port}"
            ))),
        }
    }

    /// A start failure: `what`, then the end of the server's log.
    fn failure(&self, what: &str) -> Failure {
        let log = std::fs::read_to_string(self.log()).unwrap_or_default();
        Failure::new(
            STEP,
            format!(
                "{what}. The end of {}:\n{}",
                self.log().display(),
                tail(&log, LOG_TAIL_LINES)
            ),
        )
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if self.data().join("postmaster.pid").exists() {
            // `fast` ends the sessions and shuts down cleanly; `immediate` if that hangs.
            let stopped = ["fast", "immediate"].iter().any(|mode| {
                self.program("pg_ctl")
                    .arg("--pgdata")
                    .arg(self.data())
                    .args(["--wait", "--timeout=30", "--mode", mode, "stop"])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success())
            });
            if !stopped {
                eprintln!(
                    "warning: the throwaway PostgreSQL in {} did not stop (pg_ctl stop failed)",
                    self.folder.display()
                );
            }
        }
        match std::fs::remove_dir_all(&self.folder) {
            Ok(()) => println!("    PostgreSQL stopped, {} removed", self.folder.display()),
            Err(e) => eprintln!(
                "warning: could not remove the throwaway PostgreSQL folder {}: {e}",
                self.folder.display()
            ),
        }
    }
}

/// The `bin` folder of the newest PostgreSQL version under `root` that has `initdb`.
fn newest_programs(root: &Path) -> Result<PathBuf, String> {
    let versions: Vec<String> = std::fs::read_dir(root)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|entry| entry.path().join("bin/initdb").exists())
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    newest_version(&versions)
        .map(|version| root.join(version).join("bin"))
        .ok_or_else(|| {
            format!(
                "no PostgreSQL programs under {} (looked for {}/<version>/bin/initdb); \
                 install Debian's postgresql package (`cargo xtask setup` does)",
                root.display(),
                root.display()
            )
        })
}

/// The highest of version folder names such as `15`, `9.6`, `16`, compared number by number;
/// names that are not versions are passed over.
fn newest_version(names: &[String]) -> Option<&str> {
    names
        .iter()
        .filter_map(|name| {
            let numbers: Option<Vec<u32>> = name.split('.').map(|part| part.parse().ok()).collect();
            numbers.map(|numbers| (numbers, name.as_str()))
        })
        .max()
        .map(|(_, name)| name)
}

fn running_as_root() -> bool {
    capture(Command::new("id").arg("-u")).is_ok_and(|id| id.trim() == "0")
}

/// A port on 127.0.0.1 that nothing listens on right now.
fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|e| format!("cannot find a free port on 127.0.0.1: {e}"))
}

/// The last `lines` lines of `text`, or a note that it is empty.
fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    if all.is_empty() {
        return "(empty)".to_owned();
    }
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// A finished command's status and error output, in words.
fn describe_output(output: &std::io::Result<std::process::Output>) -> String {
    match output {
        Ok(output) => format!(
            "{}; its output:\n{}",
            output.status,
            tail(
                &format!(
                    "{}{}",
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr)
                ),
                LOG_TAIL_LINES
            )
        ),
        Err(e) => format!("could not be started: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn the_newest_version_is_chosen_number_by_number() {
        assert_eq!(newest_version(&names(&["9.6", "15", "13"])), Some("15"));
        assert_eq!(newest_version(&names(&["9.6", "10"])), Some("10"));
        assert_eq!(newest_version(&names(&["16", "README", "15"])), Some("16"));
        assert_eq!(newest_version(&names(&["README"])), None);
        assert_eq!(newest_version(&[]), None);
    }

    #[test]
    fn a_folder_without_programs_names_where_it_looked() {
        let root = std::env::temp_dir().join(format!("bp-xtask-pg-{}", std::process::id()));
        std::fs::create_dir_all(root.join("17/share")).unwrap();
        std::fs::create_dir_all(root.join("14/bin")).unwrap();
        std::fs::write(root.join("14/bin/initdb"), "").unwrap();
        let found = newest_programs(&root);
        let empty = newest_programs(&root.join("17"));
        std::fs::remove_dir_all(&root).unwrap();
        // 17 has no initdb, so 14 is the newest usable one.
        assert_eq!(found, Ok(root.join("14/bin")));
        let message = empty.unwrap_err();
        assert!(message.contains("postgresql"), "{message}");
        assert!(
            message.contains(&*root.join("17").to_string_lossy()),
            "{message}"
        );
    }

    #[test]
    fn the_tail_keeps_the_last_lines() {
        assert_eq!(tail("a\nb\nc\n", 2), "b\nc");
        assert_eq!(tail("a", 5), "a");
        assert_eq!(tail("", 5), "(empty)");
    }

    /// The real thing: the cluster answers a query, and after the guard is dropped no server
    /// runs on its port and its folder is gone. Needs Debian's postgresql package.
    #[test]
    fn a_cluster_answers_and_is_gone_once_dropped() {
        let cluster = Postgres::start().unwrap();
        let port = cluster
            .url()
            .rsplit(':')
            .next()
            .unwrap()
            .split('/')
            .next()
            .unwrap()
            .to_owned();
        let folder = cluster.folder.clone();
        let answer = capture(Command::new(cluster.programs.join("psql")).args([
            "-h",
            "127.0.0.1",
            "-p",
            &port,
            "-U",
            "postgres",
            "-Atc",
            "select 40 + 2",
        ]));
        let postmaster = std::fs::read_to_string(cluster.data().join("postmaster.pid")).unwrap();
        let pid = postmaster.lines().next().unwrap().trim().to_owned();
        drop(cluster);
        assert_eq!(answer.unwrap().trim(), "42");
        assert!(!folder.exists(), "{} is still there", folder.display());
        // pg_ctl stop returns once the pid file is gone, a moment before the process ends.
        let gone = (0..50).any(|_| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let ended = stat
                .rsplit(')')
                .next()
                .is_none_or(|rest| rest.trim_start().starts_with(['Z', 'X']));
            if !ended {
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            ended
        });
        assert!(gone, "the server (pid {pid}) still runs");
        assert!(std::net::TcpStream::connect(format!("127.0.0.1:{port}")).is_err());
    }
}
