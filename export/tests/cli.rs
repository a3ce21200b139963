//! The command line: help, the summary line, plain-worded refusals.

mod common;

use std::process::Command;

use common::*;

fn exporter() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_budapest-post-export"));
    for (name, _) in std::env::vars() {
        if name.starts_with("BP_EXPORT_") {
            command.env_remove(name);
        }
    }
    command
}

#[test]
fn help_names_every_option() {
    let output = exporter().arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for option in [
        "--out",
        "--force",
        "--dist",
        "--content",
        "--database",
        "--base-path",
        "--api-write-base",
        "--site-url",
        "--generate-corpus",
        "--corpus-database",
        "BP_EXPORT_OUT",
    ] {
        assert!(help.contains(option), "{option} in {help}");
    }
}

#[test]
fn an_export_prints_a_summary_and_a_second_one_needs_force() {
    let dist = fake_dist();
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let run = |force: bool| {
        let mut command = exporter();
        command
            .arg("--out")
            .arg(&site)
            .arg("--dist")
            .arg(dist.path())
            .arg("--content")
            .arg(content());
        if force {
            command.arg("--force");
        }
        command.output().unwrap()
    };
    let first = run(false);
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(stdout.starts_with("Exported 51 articles ("), "{stdout}");
    assert!(stdout.contains(" files) to "), "{stdout}");
    // No notice per head tag of every page (debug builds of the app may still warn), but one
    // that the public address is missing.
    let noise = String::from_utf8_lossy(&first.stderr);
    assert!(!noise.contains("ServerMetaContext"), "{noise}");
    assert!(noise.contains("warning: no --site-url given"), "{noise}");

    let second = run(false);
    assert!(!second.status.success());
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(stderr.contains(&site.display().to_string()), "{stderr}");
    assert!(stderr.contains("is not empty: pass --force"), "{stderr}");

    assert!(run(true).status.success());
}

#[test]
fn a_missing_app_build_is_named() {
    let out = tempfile::tempdir().unwrap();
    let output = exporter()
        .arg("--out")
        .arg(out.path().join("site"))
        .arg("--dist")
        .arg(out.path().join("no-dist"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no-dist/index.html"), "{stderr}");
    assert!(stderr.contains("cargo xtask build"), "{stderr}");
}

#[test]
fn a_generated_corpus_exports_with_related_pages() {
    let dist = fake_dist();
    let out = tempfile::tempdir().unwrap();
    let output = exporter()
        .arg("--out")
        .arg(out.path())
        .arg("--dist")
        .arg(dist.path())
        .args(["--generate-corpus", "45"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.starts_with("Exported 45 articles"), "{stdout}");
    let slug = budapest_post_export::corpus::slug(7);
    let html = read(out.path(), &format!("articles/{slug}/index.html"));
    assert!(html.contains("\"@type\":\"NewsArticle\""));
    assert!(out
        .path()
        .join(format!("articles/{slug}/related/index.html"))
        .is_file());
    assert_eq!(
        read(out.path(), "sitemap.xml").matches("<loc>").count(),
        3 + 45 * 2
    );
}

#[test]
fn a_generated_corpus_can_be_kept_in_a_new_database_file() {
    let dist = fake_dist();
    let scratch = tempfile::tempdir().unwrap();
    let database = scratch.path().join("corpus.sqlite3");
    let generate = |out: &str| {
        exporter()
            .arg("--out")
            .arg(scratch.path().join(out))
            .arg("--dist")
            .arg(dist.path())
            .args(["--generate-corpus", "12", "--corpus-database"])
            .arg(&database)
            .output()
            .unwrap()
    };
    let first = generate("first");
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let again = exporter()
        .arg("--out")
        .arg(scratch.path().join("again"))
        .arg("--dist")
        .arg(dist.path())
        .arg("--database")
        .arg(&database)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(stdout.starts_with("Exported 12 articles"), "{stdout}");

    let refused = generate("second");
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("--corpus-database"), "{stderr}");
    assert!(stderr.contains("exists"), "{stderr}");
}
