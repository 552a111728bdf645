//! `keyward history --cache`: a re-scan with a cache reports exactly what a full scan
//! reports (JSON compared) while the repository gains commits, a branch and a rebase;
//! a damaged cache is ignored with a warning; other rules or configuration start it
//! afresh.

mod common;

use common::*;
use std::path::Path;
use std::process::Output;

fn key(seed: u64) -> String {
    key_for(rules().get("anthropic-api-key").unwrap(), &mut rng(seed))
}

/// `keyward history` in `dir` as JSON (with whole secrets), and `extra` arguments.
fn history(dir: &Path, extra: &[&str]) -> (String, Output) {
    let out = run(keyward()
        .current_dir(dir)
        .args(["history", ".", "-f", "json", "--no-redact", "--no-progress"])
        .args(extra));
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "exit {:?}: {}",
        out.status.code(),
        stderr(&out)
    );
    (stdout(&out), out)
}

/// A full scan and a cached scan agree; returns the cached run's standard error.
fn same_as_full(dir: &Path, cache: &Path) -> String {
    let (full, full_out) = history(dir, &[]);
    let (cached, out) = history(dir, &["--cache", cache.to_str().unwrap()]);
    assert_eq!(
        cached,
        full,
        "cached scan differs; stderr: {}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), full_out.status.code());
    stderr(&out)
}

/// How many blobs the cached run read, of how many, from its note.
fn blobs_read(err: &str) -> (u64, u64) {
    let line = err
        .lines()
        .find(|l| l.contains("history cache:") && l.contains("blobs read"))
        .unwrap_or_else(|| panic!("no cache note in: {err}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    let at = words.iter().position(|w| *w == "of").unwrap();
    (
        words[at - 1].parse().unwrap(),
        words[at + 1].parse().unwrap(),
    )
}

#[test]
fn a_cached_rescan_reports_what_a_full_scan_does_as_the_history_changes() {
    let repo = new_repo();
    let dir = repo.path();
    let state = tempfile::tempdir().unwrap();
    let cache = state.path().join("history.cache");
    let (k1, k2, k3, k4) = (key(1), key(2), key(3), key(4));
    commit(
        dir,
        &[("README.md", "hello\n")],
        "first",
        "2024-01-01T10:00:00Z",
    );
    commit(
        dir,
        &[("app/.env", &format!("ANTHROPIC_API_KEY={k1}\n"))],
        "settings",
        "2024-01-02T10:00:00Z",
    );
    commit(
        dir,
        &[("tests/fixture.py", &format!("KEY = \"{k2}\"\n"))],
        "a test",
        "2024-01-03T10:00:00Z",
    );
    // The first cached run reads everything.
    let err = same_as_full(dir, &cache);
    let (read, all) = blobs_read(&err);
    assert_eq!(read, all, "{err}");

    // Nothing changed: nothing is read but the blobs that held findings.
    let err = same_as_full(dir, &cache);
    assert!(err.contains("0 new commits walked"), "{err}");
    let (read, all) = blobs_read(&err);
    assert!(read < all, "{err}");
    // A range scan with the same cache leaves the walk to resume for the next full one.
    let c = cache.to_str().unwrap();
    let (ranged, _) = history(dir, &["--rev", "HEAD~1..HEAD", "--cache", c]);
    let (ranged_full, _) = history(dir, &["--rev", "HEAD~1..HEAD"]);
    assert_eq!(ranged, ranged_full);
    let err = same_as_full(dir, &cache);
    assert!(err.contains("0 new commits walked"), "{err}");

    // New commits: one copies a key to a new path, one removes a key.
    commit(
        dir,
        &[
            ("deploy/env", &format!("ANTHROPIC_API_KEY={k1}\n")),
            ("app/.env", "ANTHROPIC_API_KEY=\n"),
        ],
        "move the key",
        "2024-01-04T10:00:00Z",
    );
    let err = same_as_full(dir, &cache);
    assert!(err.contains("1 new commits walked"), "{err}");

    // A branch with a key of its own, and more on main.
    git(dir, &["checkout", "-q", "-b", "feature"]);
    commit(
        dir,
        &[("feature.txt", &format!("token: {k3}\n"))],
        "feature",
        "2024-01-05T10:00:00Z",
    );
    git(dir, &["checkout", "-q", "main"]);
    commit(
        dir,
        &[("main.txt", &format!("ANTHROPIC_API_KEY={k4}\n"))],
        "main work",
        "2024-01-06T10:00:00Z",
    );
    let err = same_as_full(dir, &cache);
    assert!(err.contains("2 new commits walked"), "{err}");

    // A rebase: the branch's commit is replaced; the old one no ref reaches any more.
    git(dir, &["checkout", "-q", "feature"]);
    let rebase = git_command(dir)
        .args(["rebase", "-q", "main"])
        .env("GIT_COMMITTER_DATE", "2024-01-07T10:00:00Z")
        .output()
        .unwrap();
    assert!(
        rebase.status.success(),
        "{}",
        String::from_utf8_lossy(&rebase.stderr)
    );
    git(dir, &["checkout", "-q", "main"]);
    same_as_full(dir, &cache);
    // And the branch deleted.
    git(dir, &["branch", "-q", "-D", "feature"]);
    same_as_full(dir, &cache);
    // An amended tip, with a commit date before the others (the walk cannot be resumed).
    let amend = git_command(dir)
        .args(["commit", "-q", "--amend", "-m", "main work, amended"])
        .env("GIT_COMMITTER_DATE", "2023-12-01T10:00:00Z")
        .output()
        .unwrap();
    assert!(amend.status.success());
    same_as_full(dir, &cache);
    // SARIF too.
    let sarif = |extra: &[&str]| {
        stdout(&run(keyward()
            .current_dir(dir)
            .args(["history", ".", "-f", "sarif", "--no-progress"])
            .args(extra)))
    };
    assert_eq!(sarif(&["--cache", cache.to_str().unwrap()]), sarif(&[]));
}

#[test]
fn a_keystore_reported_by_name_is_reported_again_by_a_cached_rescan() {
    let repo = new_repo();
    let dir = repo.path();
    let bytes: Vec<u8> = (0u8..=255).cycle().take(2048).collect();
    write(dir, "app/release.p12", &bytes);
    git(dir, &["add", "-A"]);
    commit(dir, &[], "keystore", "2024-01-01T00:00:00Z");
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = cache_dir.path().join("history.cache");
    same_as_full(dir, &cache);
    commit(dir, &[("README", "more\n")], "more", "2024-01-02T00:00:00Z");
    same_as_full(dir, &cache);
    let (report, _) = history(dir, &["--cache", cache.to_str().unwrap()]);
    assert!(report.contains("keystore-file"), "{report}");
}

#[test]
fn a_damaged_cache_is_ignored_with_a_warning() {
    let repo = new_repo();
    let dir = repo.path();
    let state = tempfile::tempdir().unwrap();
    let cache = state.path().join("c");
    commit(
        dir,
        &[("a.env", &format!("ANTHROPIC_API_KEY={}\n", key(5)))],
        "one",
        "2024-01-01T10:00:00Z",
    );
    commit(
        dir,
        &[("b.txt", "nothing\n")],
        "two",
        "2024-01-02T10:00:00Z",
    );
    same_as_full(dir, &cache);
    let good = std::fs::read(&cache).unwrap();
    let mut flipped = good.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x40;
    let damaged: Vec<(&str, Vec<u8>)> = vec![
        ("cut short", good[..good.len() / 2].to_vec()),
        ("one byte changed", flipped),
        ("empty", Vec::new()),
        ("not a cache", b"hello\n".to_vec()),
        ("only a header", good[..40].to_vec()),
    ];
    for (what, bytes) in damaged {
        std::fs::write(&cache, &bytes).unwrap();
        let err = same_as_full(dir, &cache);
        assert!(
            err.contains("warning: the history cache") && err.contains("is not used"),
            "{what}: {err}"
        );
        let (read, all) = blobs_read(&err);
        assert_eq!(read, all, "{what}: everything is read again");
        // It was rewritten, and is good again.
        let err = same_as_full(dir, &cache);
        assert!(!err.contains("warning"), "{what}: {err}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&cache).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn other_configuration_or_size_limits_start_the_cache_afresh() {
    let repo = new_repo();
    let dir = repo.path();
    let state = tempfile::tempdir().unwrap();
    let cache = state.path().join("c");
    let c = cache.to_str().unwrap();
    commit(
        dir,
        &[("a.env", &format!("ANTHROPIC_API_KEY={}\n", key(6)))],
        "one",
        "2024-01-01T10:00:00Z",
    );
    // With a small size limit the blob is skipped as too large...
    let (small, _) = history(dir, &["--cache", c, "--max-file-size", "10"]);
    assert_eq!(small.trim(), "[]");
    // ... which must not be remembered for a scan without that limit.
    let (full, _) = history(dir, &[]);
    let (cached, out) = history(dir, &["--cache", c]);
    assert_eq!(cached, full);
    assert!(full.contains("anthropic"), "{full}");
    assert!(
        stderr(&out).contains("with other rules or configuration"),
        "{}",
        stderr(&out)
    );
    // A configuration file changes the key too.
    let conf = state.path().join("keyward.toml");
    std::fs::write(&conf, "[scan]\nmax_file_size = \"10\"\n").unwrap();
    let conf = conf.to_str().unwrap();
    let (with_conf, out) = history(dir, &["--cache", c, "--config", conf]);
    assert_eq!(with_conf.trim(), "[]");
    assert!(stderr(&out).contains("with other rules or configuration"));
    let (cached, _) = history(dir, &["--cache", c]);
    assert_eq!(cached, full);
}

#[test]
fn a_cache_dir_keeps_one_file_per_repository() {
    let (a, b) = (new_repo(), new_repo());
    commit(a.path(), &[("x", "1\n")], "a", "2024-01-01T10:00:00Z");
    commit(b.path(), &[("y", "2\n")], "b", "2024-01-01T10:00:00Z");
    let state = tempfile::tempdir().unwrap();
    let out = run(keyward()
        .env("KEYWARD_CACHE_DIR", state.path())
        .args(["history", "--no-progress", "-f", "jsonl"])
        .arg(a.path())
        .arg(b.path()));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(state.path()).unwrap().count(), 2);
    // --cache names one file: with two repositories it is refused.
    let out = run(keyward()
        .args(["history", "--cache"])
        .arg(state.path().join("one"))
        .arg(a.path())
        .arg(b.path()));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--cache-dir"), "{}", stderr(&out));
}
