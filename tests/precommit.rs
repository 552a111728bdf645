//! The real pre-commit framework against `.pre-commit-hooks.yaml`: the manifest
//! validates, a staged generated key blocks the hook, a clean index passes, and the
//! pre-push hook blocks a pushed range that added and then removed a key.
//!
//! Needs `pre-commit` on PATH (`.ci/run` installs it from the Python package index).
//! Without it (found missing when the tests are built, see build.rs) the test is
//! reported as ignored, with the reason; under CI it runs and fails.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn pre_commit(dir: &Path, home: &Path, args: &[&str]) -> std::process::Output {
    let bin_dir = PathBuf::from(env!("CARGO_BIN_EXE_keyward"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = Command::new("pre-commit");
    cmd.args(args)
        .current_dir(dir)
        .env("PATH", path)
        .env("PRE_COMMIT_HOME", home);
    isolated(&mut cmd).output().expect("pre-commit runs")
}

#[test]
#[cfg_attr(
    keyward_no_precommit,
    ignore = "needs pre-commit on PATH (pip install pre-commit)"
)]
fn pre_commit_framework_runs_the_hooks() {
    let root = env!("CARGO_MANIFEST_DIR");
    let manifest = Path::new(root).join(".pre-commit-hooks.yaml");
    let home = tempfile::tempdir().unwrap();
    let out = pre_commit(
        Path::new(root),
        home.path(),
        &["validate-manifest", manifest.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let repo = new_repo();
    let dir = repo.path();
    commit(
        dir,
        &[("README.md", "hello\n")],
        "first",
        "2024-01-01T00:00:00Z",
    );
    let base = git(dir, &["rev-parse", "HEAD"]);
    let key = key_for(rules().get("anthropic-api-key").unwrap(), &mut rng(77));

    // A staged key blocks the commit hook.
    write(dir, "app.env", format!("ANTHROPIC_API_KEY={key}\n"));
    git(dir, &["add", "app.env"]);
    let out = pre_commit(dir, home.path(), &["try-repo", root, "keyward-system"]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("anthropic-api-key"), "{text}");
    assert!(!text.contains(&key), "the secret reached the hook's output");

    // A clean index passes.
    git(dir, &["reset", "-q", "app.env"]);
    std::fs::remove_file(dir.join("app.env")).unwrap();
    write(dir, "notes.md", "nothing secret\n");
    git(dir, &["add", "notes.md"]);
    let out = pre_commit(dir, home.path(), &["try-repo", root, "keyward-system"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // The push hook blocks a range that added and then removed a key.
    commit(
        dir,
        &[("app.env", &format!("ANTHROPIC_API_KEY={key}\n"))],
        "add",
        "2024-01-02T00:00:00Z",
    );
    let tip = commit(
        dir,
        &[("app.env", "ANTHROPIC_API_KEY=\n")],
        "remove",
        "2024-01-03T00:00:00Z",
    );
    let out = pre_commit(
        dir,
        home.path(),
        &[
            "try-repo",
            root,
            "keyward-push-system",
            "--hook-stage",
            "pre-push",
            "--from-ref",
            &base,
            "--to-ref",
            &tip,
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(!text.contains(&key));
}
