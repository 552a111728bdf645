//! Ignore rules are git's own, bounded by the repository: a `.gitignore` (or `.ignore`)
//! in a folder above the repository's root, which git does not read, hides nothing
//! from `scan` or the audit; the repository's own `.gitignore` files still apply, also
//! when a subfolder is scanned; outside a repository `.gitignore` means nothing.

mod common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn openai(seed: u64) -> String {
    key_for(rules().get("openai-api-key").expect("rule"), &mut rng(seed))
}

/// `<tmp>` with ignore files that hide every key, and `<tmp>/repo` holding the keys.
fn layout() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), ".gitignore", "*.env\nsecret*\nsub/\n");
    write(tmp.path(), ".ignore", "*.env\nsecret*\nsub/\n");
    let repo = tmp.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    write(&repo, "app.env", format!("OPENAI_API_KEY={}\n", openai(1)));
    write(
        &repo,
        "secret.txt",
        format!("OPENAI_API_KEY={}\n", openai(2)),
    );
    write(
        &repo,
        "sub/deep.env",
        format!("OPENAI_API_KEY={}\n", openai(3)),
    );
    (tmp, repo)
}

fn paths(findings: &[Value]) -> Vec<String> {
    let mut p: Vec<String> = findings
        .iter()
        .map(|f| field(f, "path").trim_start_matches("./").to_string())
        .collect();
    p.sort();
    p
}

#[test]
fn an_ignore_file_above_the_repository_hides_nothing_from_scan() {
    let (_tmp, repo) = layout();
    let (findings, out) = scan_json(&repo, &["--no-config", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        paths(&findings),
        ["app.env", "secret.txt", "sub/deep.env"],
        "{findings:?}"
    );
    // The same for a subfolder, and for the repository named from outside.
    let (findings, _) = scan_json(&repo, &["--no-config", "sub"]);
    assert_eq!(findings.len(), 1, "{findings:?}");
    let (findings, _) = scan_json(repo.parent().unwrap(), &["--no-config", "repo"]);
    assert_eq!(findings.len(), 3, "{findings:?}");
}

#[test]
fn the_repositorys_own_ignore_rules_still_apply_in_a_subfolder_scan() {
    let (_tmp, repo) = layout();
    write(&repo, ".gitignore", "deep.env\n");
    let (findings, _) = scan_json(&repo, &["--no-config", "sub"]);
    assert!(findings.is_empty(), "{findings:?}");
    let (findings, _) = scan_json(&repo.join("sub"), &["--no-config", "."]);
    assert!(findings.is_empty(), "{findings:?}");
}

#[test]
fn outside_a_repository_gitignore_hides_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".gitignore", "*.env\n");
    write(
        dir.path(),
        "app.env",
        format!("OPENAI_API_KEY={}\n", openai(4)),
    );
    let (findings, _) = scan_json(dir.path(), &["--no-config", "."]);
    assert_eq!(findings.len(), 1, "{findings:?}");
}

fn audit(repo: &Path) -> Value {
    let out = run(keyward()
        .current_dir(repo)
        .args(["audit", "--no-config", "-f", "json"]));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stderr(&out)))
}

#[test]
fn an_ignore_file_above_the_repository_hides_nothing_from_the_audit() {
    let (_tmp, repo) = layout();
    let report = audit(&repo);
    let item = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "no-keys-in-worktree")
        .expect("the worktree key check");
    assert_eq!(item["status"], "fail", "{item}");
    let evidence = item["evidence"].to_string();
    for p in ["app.env", "secret.txt", "sub/deep.env"] {
        assert!(evidence.contains(p), "{p}: {evidence}");
    }
    // The .env check reads the repository's rules only: the parent's `*.env` does not
    // make app.env count as ignored.
    let env = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "env-files-ignored")
        .expect("the .env check");
    assert_ne!(env["status"], "pass", "{env}");
}
