//! An exit code of 0 means "scanned, nothing found": a repository scan (`history`,
//! `pre-push`, `staged`) that could not read a tree, a blob, a commit or a ref exits 2,
//! names what it could not read and how much it covered, unless `--allow-partial`
//! accepts the partial scan (then the findings decide). A repository with no commits at
//! all says there was nothing to scan; a path that is not a repository is an error.

mod common;

use common::*;
use std::path::Path;

fn key(seed: u64) -> String {
    key_for(rules().get("anthropic-api-key").unwrap(), &mut rng(seed))
}

fn history(dir: &Path, extra: &[&str]) -> std::process::Output {
    run(keyward()
        .current_dir(dir)
        .args(["history", "--no-config"])
        .args(extra)
        .arg("."))
}

/// Overwrite the loose object `id` with bytes that do not inflate.
fn corrupt_loose(dir: &Path, id: &str) {
    let path = dir.join(".git/objects").join(&id[..2]).join(&id[2..]);
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&path, perms).unwrap();
    std::fs::write(&path, b"this is not a zlib stream").unwrap();
}

/// Run `cmd` with `input` on standard input, which it may not read.
fn run_ignoring_stdin(cmd: &mut std::process::Command, input: &str) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("keyward starts");
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    child.wait_with_output().expect("keyward finishes")
}

/// A repository with two directories, `ok/` and `hidden/`, each in its own commit.
fn two_dirs(ok: &str, hidden: &str) -> tempfile::TempDir {
    let repo = new_repo();
    commit(
        repo.path(),
        &[("ok/a.env", ok)],
        "ok",
        "2024-01-01T00:00:00Z",
    );
    commit(
        repo.path(),
        &[("hidden/b.env", hidden)],
        "hidden",
        "2024-01-02T00:00:00Z",
    );
    repo
}

#[test]
fn an_unreadable_tree_makes_history_exit_2_unless_partial_scans_are_allowed() {
    let (seen, unseen) = (key(1), key(2));
    let repo = two_dirs(
        &format!("ANTHROPIC_API_KEY={seen}\n"),
        &format!("ANTHROPIC_API_KEY={unseen}\n"),
    );
    let dir = repo.path();
    let tree = git(dir, &["rev-parse", "HEAD:hidden"]);
    corrupt_loose(dir, &tree);

    let out = history(dir, &["-f", "json", "--no-redact"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("the scan is incomplete"), "{err}");
    assert!(err.contains("--allow-partial"), "{err}");
    // The tree is named, and counted; the blobs under it are not known.
    assert!(err.contains(&format!("1 tree ({})", &tree[..12])), "{err}");
    assert!(err.contains("unknown and not counted"), "{err}");
    // What could be read is still reported.
    assert!(stdout(&out).contains(&seen));
    assert!(!stdout(&out).contains(&unseen));

    let out = history(dir, &["--allow-partial", "-q"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains(&tree), "{}", stderr(&out));

    // Nothing found in what was read: exit 0 only when partial scans are allowed.
    let repo = two_dirs("A=1\n", &format!("ANTHROPIC_API_KEY={unseen}\n"));
    let tree = git(repo.path(), &["rev-parse", "HEAD:hidden"]);
    corrupt_loose(repo.path(), &tree);
    let out = history(repo.path(), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no secrets found in what could be read"),
        "{}",
        stderr(&out)
    );
    let out = history(repo.path(), &["--allow-partial"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_corrupt_blob_in_a_pack_is_named_and_counted() {
    let (seen, unseen) = (key(3), key(4));
    let repo = two_dirs(
        &format!("ANTHROPIC_API_KEY={seen}\n"),
        &format!("ANTHROPIC_API_KEY={unseen}\n"),
    );
    let dir = repo.path();
    git(dir, &["gc", "-q"]);
    let blob = git(dir, &["rev-parse", "HEAD:hidden/b.env"]);
    // Overwrite the blob's compressed data in the pack, after its header.
    damage_packed_blob(dir, &blob, 4);

    let out = history(dir, &["-f", "json", "--no-redact"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(&blob), "the blob is named: {err}");
    assert!(
        err.contains(&format!("1 corrupt blob ({})", &blob[..12])),
        "{err}"
    );
    assert!(err.contains("read 1 of the 2 blobs found"), "{err}");
    assert!(stdout(&out).contains(&seen));

    let out = history(dir, &["--allow-partial", "-q"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn an_empty_repository_has_nothing_to_scan_and_broken_refs_are_errors() {
    let repo = new_repo();
    let dir = repo.path();
    let out = history(dir, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the repository has no commits yet: nothing to scan"),
        "{}",
        stderr(&out)
    );

    // A ref to an object the repository does not have.
    let missing = "0123456789abcdef0123456789abcdef01234567";
    write(dir, ".git/refs/heads/ghost", format!("{missing}\n"));
    let out = history(dir, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("refs/heads/ghost"), "{err}");
    assert!(!err.contains("no secrets found\n"), "{err}");

    // The same next to a ref that does resolve: what it reaches is scanned, and the
    // scan is still incomplete.
    let k = key(5);
    commit(
        dir,
        &[("a.env", &format!("ANTHROPIC_API_KEY={k}\n"))],
        "a",
        "2024-01-01T00:00:00Z",
    );
    let out = history(dir, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1 ref (refs/heads/ghost)"),
        "{}",
        stderr(&out)
    );
    let out = history(dir, &["-q", "--allow-partial"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn a_path_that_is_not_a_repository_is_an_error_for_every_git_command() {
    let plain = tempfile::tempdir().unwrap();
    let nowhere = plain.path().join("does-not-exist");
    for dir in [plain.path(), nowhere.as_path()] {
        let d = dir.to_str().unwrap();
        let push = "refs/heads/main 1111111111111111111111111111111111111111 refs/heads/main 2222222222222222222222222222222222222222\n";
        for (args, input) in [
            (vec!["history", d], ""),
            (vec!["staged", d], ""),
            (vec!["pre-push", "--repo", d], ""),
            (vec!["pre-push", "--repo", d], push),
            (
                vec!["pre-push", "--repo", d, "--from-ref", "a", "--to-ref", "b"],
                "",
            ),
        ] {
            let out = run_ignoring_stdin(keyward().current_dir(plain.path()).args(&args), input);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
            assert!(err.contains("not a git repository"), "{args:?}: {err}");
            assert!(err.contains(d), "{args:?} names the path: {err}");
        }
    }
}

#[test]
fn staged_and_pre_push_exit_2_on_unreadable_objects_unless_allowed() {
    let repo = new_repo();
    let dir = repo.path();
    commit(
        dir,
        &[("README.md", "hi\n")],
        "first",
        "2024-01-01T00:00:00Z",
    );
    // Two staged files: one with a key, one whose blob is then damaged.
    write(dir, "a.env", format!("ANTHROPIC_API_KEY={}\n", key(6)));
    write(dir, "b.env", format!("ANTHROPIC_API_KEY={}\n", key(7)));
    git(dir, &["add", "a.env", "b.env"]);
    let blob = git(dir, &["rev-parse", ":b.env"]);
    corrupt_loose(dir, &blob);
    let out = run(keyward().current_dir(dir).arg("staged"));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&blob) && err.contains("--allow-partial"),
        "{err}"
    );
    let out = run(keyward()
        .current_dir(dir)
        .args(["staged", "--allow-partial"]));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    git(dir, &["rm", "-q", "--cached", "a.env"]);
    let out = run(keyward()
        .current_dir(dir)
        .args(["staged", "--allow-partial"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // pre-push: a pushed commit whose tree cannot be read.
    let repo = new_repo();
    let dir = repo.path();
    let base = commit(
        dir,
        &[("README.md", "hi\n")],
        "first",
        "2024-01-01T00:00:00Z",
    );
    let tip = commit(
        dir,
        &[("sub/x.txt", "x\n")],
        "second",
        "2024-01-02T00:00:00Z",
    );
    let tree = git(dir, &["rev-parse", "HEAD:sub"]);
    corrupt_loose(dir, &tree);
    let input = format!("refs/heads/main {tip} refs/heads/main {base}\n");
    let out = run_with_stdin(keyward().current_dir(dir).arg("pre-push"), &input);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(&tree[..12]), "{err}");
    let out = run_with_stdin(
        keyward()
            .current_dir(dir)
            .args(["pre-push", "--allow-partial"]),
        &input,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn audit_history_exits_2_on_an_unreadable_tree_unless_allowed() {
    let repo = two_dirs("A=1\n", "B=2\n");
    let dir = repo.path();
    let tree = git(dir, &["rev-parse", "HEAD:hidden"]);
    corrupt_loose(dir, &tree);
    let out = run(keyward().current_dir(dir).args([
        "audit",
        "--no-config",
        "--history",
        "-f",
        "json",
        ".",
    ]));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&tree[..12]) && err.contains("--allow-partial"),
        "{err}"
    );
    let out = run(keyward().current_dir(dir).args([
        "audit",
        "--no-config",
        "--history",
        "--allow-partial",
        "-f",
        "json",
        ".",
    ]));
    assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));
}
