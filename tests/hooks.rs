//! `keyward staged`, `keyward pre-push` and `keyward hook install` on temp repositories:
//! only added lines count, first commits, renames, deletions, binaries, `git commit -a`
//! through the installed hook, linked work trees, pushed ranges and new branches.

mod common;

use common::*;

fn key(seed: u64) -> String {
    key_for(rules().get("anthropic-api-key").unwrap(), &mut rng(seed))
}

fn staged(dir: &std::path::Path) -> (Vec<serde_json::Value>, std::process::Output) {
    let out = run(keyward()
        .current_dir(dir)
        .args(["staged", "-f", "json", "--no-redact"]));
    let findings = serde_json::from_slice(&out.stdout).unwrap_or_default();
    (findings, out)
}

#[test]
fn staged_reports_only_added_lines_with_staged_line_numbers() {
    let repo = new_repo();
    let dir = repo.path();
    let (old, new) = (key(1), key(2));
    commit(
        dir,
        &[("app.env", &format!("A={old}\n"))],
        "old key",
        "2024-01-01T00:00:00Z",
    );
    write(dir, "app.env", format!("# header\nA={old}\nB={new}\n"));
    git(dir, &["add", "app.env"]);
    // An unstaged change is not what would be committed.
    write(
        dir,
        "app.env",
        format!("# header\nA={old}\nB={new}\nC={}\n", key(3)),
    );
    let (findings, out) = staged(dir);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(field(&findings[0], "secret"), new);
    assert_eq!(field(&findings[0], "path"), "app.env");
    assert_eq!(findings[0]["line"].as_u64(), Some(3));
    assert!(stderr(&out).contains("commit blocked"));
}

#[test]
fn staged_first_commit_rename_delete_and_binary() {
    let repo = new_repo();
    let dir = repo.path();
    write(dir, "k.env", format!("A={}\n", key(4)));
    git(dir, &["add", "k.env"]);
    let (findings, _) = staged(dir);
    assert_eq!(findings.len(), 1, "first commit: {findings:?}");
    commit(dir, &[], "first", "2024-01-01T00:00:00Z");

    git(dir, &["mv", "k.env", "renamed.env"]);
    let (findings, out) = staged(dir);
    assert!(findings.is_empty(), "rename: {findings:?}");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out).trim(), "[]");
    let human = run(keyward().current_dir(dir).args(["staged"]));
    assert_eq!(human.status.code(), Some(0));
    assert!(
        human.stdout.is_empty() && human.stderr.is_empty(),
        "clean runs are silent"
    );
    commit(dir, &[], "rename", "2024-01-02T00:00:00Z");

    git(dir, &["rm", "-q", "renamed.env"]);
    let (findings, _) = staged(dir);
    assert!(findings.is_empty(), "delete: {findings:?}");

    let mut bin = b"\0\x01binary".to_vec();
    bin.extend(format!("A={}\n", key(5)).as_bytes());
    write(dir, "blob.bin", bin);
    git(dir, &["add", "blob.bin"]);
    let (findings, _) = staged(dir);
    assert!(findings.is_empty(), "binary: {findings:?}");
}

#[test]
fn staged_works_in_a_linked_worktree() {
    let repo = new_repo();
    let dir = repo.path();
    commit(
        dir,
        &[("README.md", "hi\n")],
        "first",
        "2024-01-01T00:00:00Z",
    );
    let wt = tempfile::tempdir().unwrap();
    let wt_path = wt.path().join("wt");
    git(dir, &["worktree", "add", "-q", wt_path.to_str().unwrap()]);
    write(&wt_path, "x.env", format!("A={}\n", key(6)));
    git(&wt_path, &["add", "x.env"]);
    let (findings, _) = staged(&wt_path);
    assert_eq!(findings.len(), 1);
}

#[cfg(unix)]
#[test]
fn installed_hook_blocks_commit_a_and_lets_clean_commits_through() {
    let repo = new_repo();
    let dir = repo.path();
    commit(dir, &[("app.env", "A=\n")], "first", "2024-01-01T00:00:00Z");
    let out = run(keyward()
        .current_dir(dir)
        .args(["hook", "install", "--pre-push"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let hook = std::fs::read_to_string(dir.join(".git/hooks/pre-commit")).unwrap();
    assert!(hook.contains("staged"));
    assert!(dir.join(".git/hooks/pre-push").exists());

    // `git commit -a` stages through GIT_INDEX_FILE: the hook must see it.
    write(dir, "app.env", format!("A={}\n", key(7)));
    let blocked = git_command(dir)
        .args(["commit", "-a", "-q", "-m", "leak"])
        .output()
        .unwrap();
    assert!(!blocked.status.success(), "the commit went through");
    assert!(String::from_utf8_lossy(&blocked.stderr).contains("commit blocked"));
    write(dir, "app.env", "A=\nB=1\n");
    git(dir, &["commit", "-a", "-q", "-m", "clean"]);
}

#[test]
fn hook_install_refuses_foreign_hooks_unless_forced_and_honours_hooks_path() {
    let repo = new_repo();
    let dir = repo.path();
    write(dir, ".git/hooks/pre-commit", "#!/bin/sh\necho mine\n");
    let out = run(keyward().current_dir(dir).args(["hook", "install"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    let out = run(keyward()
        .current_dir(dir)
        .args(["hook", "install", "--force"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(dir.join(".git/hooks/pre-commit.keyward-backup")).unwrap(),
        "#!/bin/sh\necho mine\n"
    );
    // Installing again over our own hook needs no force.
    assert!(run(keyward().current_dir(dir).args(["hook", "install"]))
        .status
        .success());

    git(dir, &["config", "core.hooksPath", "githooks"]);
    let out = run(keyward().current_dir(dir).args(["hook", "install"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.join("githooks/pre-commit").exists());
}

fn pre_push(dir: &std::path::Path, input: &str) -> (Vec<serde_json::Value>, std::process::Output) {
    let out = run_with_stdin(
        keyward().current_dir(dir).args([
            "pre-push",
            "-f",
            "json",
            "--no-redact",
            "origin",
            "file:///remote",
        ]),
        input,
    );
    (serde_json::from_slice(&out.stdout).unwrap_or_default(), out)
}

#[test]
fn pre_push_scans_exactly_the_pushed_commits() {
    let repo = new_repo();
    let dir = repo.path();
    let remote = tempfile::tempdir().unwrap();
    git(remote.path(), &["init", "-q", "--bare"]);
    git(
        dir,
        &["remote", "add", "origin", remote.path().to_str().unwrap()],
    );
    let old = key(8);
    commit(
        dir,
        &[("old.env", &format!("A={old}\n"))],
        "already pushed",
        "2024-01-01T00:00:00Z",
    );
    git(dir, &["push", "-q", "origin", "main"]);
    let base = git(dir, &["rev-parse", "HEAD"]);
    let new = key(9);
    commit(
        dir,
        &[("new.env", &format!("A={new}\n"))],
        "add",
        "2024-01-02T00:00:00Z",
    );
    let tip = commit(
        dir,
        &[("new.env", "A=\n")],
        "remove again",
        "2024-01-03T00:00:00Z",
    );

    // An update: base..tip, which added and then removed a key.
    let (findings, out) = pre_push(
        dir,
        &format!("refs/heads/main {tip} refs/heads/main {base}\n"),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let secrets: Vec<&str> = findings.iter().map(|f| field(f, "secret")).collect();
    assert_eq!(secrets, vec![new.as_str()]);

    // A new branch: what no remote-tracking ref has.
    let zeros = "0".repeat(40);
    let (findings, _) = pre_push(
        dir,
        &format!("refs/heads/topic {tip} refs/heads/topic {zeros}\n"),
    );
    assert_eq!(findings.len(), 1, "{findings:?}");

    // A deletion pushes nothing.
    let (findings, out) = pre_push(dir, &format!("(delete) {zeros} refs/heads/old {base}\n"));
    assert!(findings.is_empty());
    assert_eq!(out.status.code(), Some(0));

    // The pre-commit framework's variables.
    let out = run(keyward()
        .current_dir(dir)
        .args(["pre-push", "-q"])
        .env("PRE_COMMIT_FROM_REF", &base)
        .env("PRE_COMMIT_TO_REF", &tip));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_blocked_push_says_how_to_unblock_it() {
    let repo = new_repo();
    let dir = repo.path();
    let base = commit(
        dir,
        &[("README.md", "hi\n")],
        "first",
        "2024-01-01T00:00:00Z",
    );
    let leak = commit(
        dir,
        &[("new.env", &format!("A={}\n", key(10)))],
        "add settings",
        "2024-01-02T00:00:00Z",
    );
    // Deleting the key in a later commit leaves it in the pushed history.
    let tip = commit(
        dir,
        &[("new.env", "A=\n")],
        "remove",
        "2024-01-03T00:00:00Z",
    );
    let (findings, out) = pre_push(
        dir,
        &format!("refs/heads/main {tip} refs/heads/main {base}\n"),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("push blocked"), "{err}");
    assert!(
        err.contains(&format!("{} add settings", &leak[..10]))
            && err.contains(&format!("git rebase -i {}^", &leak[..10])),
        "the commit that added the key is named: {err}"
    );
    let fingerprint = field(&findings[0], "fingerprint");
    assert!(
        err.contains(&format!("{fingerprint}  # anthropic-api-key new.env")),
        "{err}"
    );
    assert!(err.contains(".keywardignore"), "{err}");
    assert!(
        !err.contains("add a `keyward:allow`"),
        "a new commit with keyward:allow does not unblock a push: {err}"
    );
}

#[test]
fn a_blocked_commit_offers_the_inline_comment_and_the_fingerprint() {
    let repo = new_repo();
    let dir = repo.path();
    write(dir, "app.env", format!("A={}\n", key(11)));
    git(dir, &["add", "app.env"]);
    let (findings, out) = staged(dir);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("commit blocked"), "{err}");
    assert!(err.contains("`keyward:allow` comment on its line"), "{err}");
    let fingerprint = field(&findings[0], "fingerprint");
    assert!(
        err.contains(&format!("{fingerprint}  # anthropic-api-key app.env")),
        "{err}"
    );
    // The advice works: the inline comment on the staged line lets the commit through.
    write(
        dir,
        "app.env",
        format!("A={}  # keyward:allow reviewed\n", key(11)),
    );
    git(dir, &["add", "app.env"]);
    let (_, out) = staged(dir);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn hook_install_in_a_linked_work_tree_names_a_clean_path() {
    let repo = new_repo();
    let dir = repo.path();
    commit(
        dir,
        &[("README.md", "hi\n")],
        "first",
        "2024-01-01T00:00:00Z",
    );
    let wt = tempfile::tempdir().unwrap();
    let wt_path = wt.path().join("wt");
    git(dir, &["worktree", "add", "-q", wt_path.to_str().unwrap()]);
    let out = run(keyward()
        .current_dir(&wt_path)
        .args(["hook", "install", "--pre-push"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    // The hooks of a linked work tree are the main repository's.
    let hooks = dir.join(".git").join("hooks");
    for name in ["pre-commit", "pre-push"] {
        let line = format!("keyward: installed {}\n", hooks.join(name).display());
        assert!(err.contains(&line), "expected {line:?} in {err}");
    }
    for noise in ["/./", "/../", "worktrees"] {
        assert!(!err.contains(noise), "{noise:?} in {err}");
    }
}
