//! `keyward history --all-objects` on temp repositories: commits no ref reaches (an
//! amended commit, a reset commit, a dropped stash) give the blobs they introduced full
//! provenance, marked unreachable; a blob no commit carries stays a bare blob.

mod common;

use common::*;

fn key(seed: u64) -> String {
    key_for(rules().get("anthropic-api-key").unwrap(), &mut rng(seed))
}

/// git with fixed dates (for `commit --amend` and `stash`, which `commit` does not cover).
fn git_at(dir: &std::path::Path, date: &str, args: &[&str]) -> String {
    let out = git_command(dir)
        .args(args)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn by_path<'a>(findings: &'a [serde_json::Value], path: &str) -> &'a serde_json::Value {
    findings
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("no finding at {path}: {findings:#?}"))
}

#[test]
fn amended_reset_and_stashed_commits_are_named_and_marked_unreachable() {
    let repo = new_repo();
    let dir = repo.path();
    let (amended, reset, stashed) = (key(41), key(42), key(43));
    commit(
        dir,
        &[("README.md", "hi\n")],
        "first",
        "2024-01-01T00:00:00Z",
    );
    // An amended commit: the key was in the first version only.
    let before_amend = commit(
        dir,
        &[("app/amend.env", &format!("ANTHROPIC_API_KEY={amended}\n"))],
        "add settings",
        "2024-01-02T00:00:00Z",
    );
    write(dir, "app/amend.env", "ANTHROPIC_API_KEY=\n");
    git(dir, &["add", "app/amend.env"]);
    git_at(
        dir,
        "2024-01-02T01:00:00Z",
        &["commit", "-q", "--amend", "-m", "add settings (no key)"],
    );
    // A commit taken back with reset --hard.
    let reset_commit = commit(
        dir,
        &[("reset.env", &format!("ANTHROPIC_API_KEY={reset}\n"))],
        "oops",
        "2024-01-03T00:00:00Z",
    );
    git(dir, &["reset", "-q", "--hard", "HEAD~1"]);
    // A stash, dropped.
    write(dir, "stash.env", format!("ANTHROPIC_API_KEY={stashed}\n"));
    git(dir, &["add", "stash.env"]);
    git_at(dir, "2024-01-04T00:00:00Z", &["stash", "-q"]);
    let stash = git(dir, &["rev-parse", "stash@{0}"]);
    let stash_index = git(dir, &["rev-parse", "stash@{0}^2"]);
    git(dir, &["stash", "drop", "-q"]);

    let (findings, out) = history_json(dir, &["."]);
    assert!(
        findings.is_empty(),
        "refs reach none of them: {findings:#?}"
    );
    assert_eq!(out.status.code(), Some(0));

    let (findings, out) = history_json(dir, &["--all-objects", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(findings.len(), 3, "{findings:#?}");
    for (path, commit_id, summary, secret) in [
        ("app/amend.env", &before_amend, "add settings", &amended),
        ("reset.env", &reset_commit, "oops", &reset),
        ("stash.env", &stash_index, "index on main", &stashed),
    ] {
        let f = by_path(&findings, path);
        assert_eq!(field(f, "commit"), commit_id.as_str(), "{f}");
        assert_eq!(field(f, "secret"), secret.as_str());
        assert_eq!(f["reachable"], false, "{f}");
        assert_eq!(f["in_head"], false, "{f}");
        assert_eq!(field(f, "author"), "Ada Author");
        assert!(field(f, "summary").starts_with(summary), "{f}");
        assert!(!field(f, "date").is_empty(), "{f}");
    }
    assert_ne!(stash, stash_index);
    assert!(
        stderr(&out).contains("no ref reaches"),
        "the summary counts unreachable commits: {}",
        stderr(&out)
    );

    // Text output marks them.
    let out = run(keyward()
        .current_dir(dir)
        .args(["history", "--all-objects", "."]));
    assert!(
        stdout(&out).contains("(unreachable: no ref reaches it)"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_reachable_sighting_is_preferred_and_a_blob_no_commit_carries_stays_bare() {
    let repo = new_repo();
    let dir = repo.path();
    let (kept, bare) = (key(44), key(45));
    let content = format!("ANTHROPIC_API_KEY={kept}\n");
    let intro = commit(dir, &[("a.env", &content)], "one", "2024-01-01T00:00:00Z");
    // The same blob in a commit reset away: the reachable commit keeps it.
    commit(dir, &[("b.env", &content)], "two", "2024-01-02T00:00:00Z");
    git(dir, &["reset", "-q", "--hard", "HEAD~1"]);
    git(dir, &["reflog", "expire", "--expire=now", "--all"]);
    // A blob written to the object database only.
    write(dir, "loose.txt", format!("token {bare}\n"));
    git(dir, &["hash-object", "-w", "loose.txt"]);
    std::fs::remove_file(dir.join("loose.txt")).unwrap();

    let (findings, _) = history_json(dir, &["--all-objects", "."]);
    assert_eq!(findings.len(), 2, "{findings:#?}");
    let f = by_path(&findings, "a.env");
    assert_eq!(field(f, "commit"), intro);
    assert_eq!(f["reachable"], true);
    let loose = findings
        .iter()
        .find(|f| field(f, "path").starts_with("(unreachable blob "))
        .expect("the bare blob is reported");
    assert_eq!(field(loose, "commit"), "");
    assert_eq!(loose["reachable"], false);
}

#[test]
fn all_objects_with_a_range_names_only_commits_no_ref_reaches() {
    let repo = new_repo();
    let dir = repo.path();
    let old = commit(
        dir,
        &[("old.env", &format!("ANTHROPIC_API_KEY={}\n", key(46)))],
        "old",
        "2024-01-01T00:00:00Z",
    );
    commit(dir, &[("README.md", "hi\n")], "new", "2024-01-02T00:00:00Z");
    let gone = commit(
        dir,
        &[("gone.env", &format!("ANTHROPIC_API_KEY={}\n", key(47)))],
        "gone",
        "2024-01-03T00:00:00Z",
    );
    git(dir, &["reset", "-q", "--hard", "HEAD~1"]);
    let (findings, _) = history_json(
        dir,
        &["--all-objects", "--rev", &format!("{old}..HEAD"), "."],
    );
    let gone_finding = by_path(&findings, "gone.env");
    assert_eq!(field(gone_finding, "commit"), gone);
    assert_eq!(gone_finding["reachable"], false);
    assert!(
        findings.iter().all(|f| f["commit"] != old.as_str()),
        "a reachable commit outside the range is not called unreachable: {findings:#?}"
    );
}
