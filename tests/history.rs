//! `keyward history` on temp repositories built with the git CLI: introducing commits,
//! dedupe of blobs across branches and paths, unreachable objects, ranges, dates, bare
//! and shallow repositories, and keys still at HEAD.

mod common;

use common::*;

fn key(seed: u64) -> String {
    key_for(rules().get("anthropic-api-key").unwrap(), &mut rng(seed))
}

#[test]
fn a_key_added_then_deleted_is_found_with_its_introducing_commit() {
    let repo = new_repo();
    let dir = repo.path();
    let k = key(1);
    commit(
        dir,
        &[("README.md", "hello\n")],
        "first",
        "2024-01-01T10:00:00Z",
    );
    let intro = commit(
        dir,
        &[("app/.env", &format!("\nANTHROPIC_API_KEY={k}\n"))],
        "add settings",
        "2024-02-01T10:00:00Z",
    );
    commit(
        dir,
        &[("app/.env", "ANTHROPIC_API_KEY=\n")],
        "remove the key",
        "2024-03-01T10:00:00Z",
    );
    let (findings, out) = history_json(dir, &["."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(findings.len(), 1, "{findings:?}");
    let f = &findings[0];
    assert_eq!(field(f, "commit"), intro);
    assert_eq!(field(f, "path"), "app/.env");
    assert_eq!(f["line"].as_u64(), Some(2));
    assert_eq!(field(f, "author"), "Ada Author");
    assert_eq!(field(f, "email"), "ada@example.invalid");
    assert!(field(f, "date").starts_with("2024-02-01T10:00:00"), "{f}");
    assert_eq!(field(f, "summary"), "add settings");
    assert_eq!(f["in_head"].as_bool(), Some(false));
    assert_eq!(field(f, "blob").len(), 40);
}

#[test]
fn a_key_still_at_head_is_marked_and_later_versions_fold_into_the_first() {
    let repo = new_repo();
    let dir = repo.path();
    let k = key(2);
    let intro = commit(
        dir,
        &[("config.py", &format!("KEY = \"{k}\"\n"))],
        "add key",
        "2024-01-01T00:00:00Z",
    );
    commit(
        dir,
        &[("config.py", &format!("# edited\nKEY = \"{k}\"\n"))],
        "edit",
        "2024-01-02T00:00:00Z",
    );
    let (findings, _) = history_json(dir, &["."]);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(field(&findings[0], "commit"), intro);
    assert_eq!(findings[0]["in_head"].as_bool(), Some(true));
    assert_eq!(findings[0]["other_places"].as_u64(), Some(1));
}

#[test]
fn one_blob_on_many_branches_and_paths_is_reported_once() {
    let repo = new_repo();
    let dir = repo.path();
    let content = format!("ANTHROPIC_API_KEY={}\n", key(3));
    commit(
        dir,
        &[("a/key.env", &content)],
        "one",
        "2024-01-01T00:00:00Z",
    );
    for b in ["b1", "b2", "b3"] {
        git(dir, &["checkout", "-q", "-b", b, "main"]);
        // Different file names, so each branch has its own tree (identical subtrees are
        // one place: keyward counts distinct tree entries).
        commit(
            dir,
            &[(&format!("{b}/copy-{b}.env"), &content)],
            b,
            "2024-01-05T00:00:00Z",
        );
    }
    let (findings, _) = history_json(dir, &["."]);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(field(&findings[0], "path"), "a/key.env");
    assert_eq!(findings[0]["other_places"].as_u64(), Some(3));
}

#[test]
fn all_objects_finds_keys_no_ref_reaches() {
    let repo = new_repo();
    let dir = repo.path();
    commit(
        dir,
        &[("README.md", "hi\n")],
        "first",
        "2024-01-01T00:00:00Z",
    );
    commit(
        dir,
        &[("leak.txt", &format!("token {}\n", key(4)))],
        "oops",
        "2024-01-02T00:00:00Z",
    );
    git(dir, &["reset", "-q", "--hard", "HEAD~1"]);
    git(dir, &["reflog", "expire", "--expire=now", "--all"]);
    let (findings, out) = history_json(dir, &["."]);
    assert!(findings.is_empty(), "{findings:?}");
    assert_eq!(out.status.code(), Some(0));
    let (findings, _) = history_json(dir, &["--all-objects", "."]);
    assert_eq!(findings.len(), 1, "{findings:?}");
    // The commit is still in the object database: it is named, and marked.
    assert_eq!(field(&findings[0], "path"), "leak.txt");
    assert_eq!(field(&findings[0], "summary"), "oops");
    assert_eq!(findings[0]["reachable"], false);
}

#[test]
fn rev_and_since_limit_the_scan() {
    let repo = new_repo();
    let dir = repo.path();
    let old = commit(
        dir,
        &[("old.env", &format!("ANTHROPIC_API_KEY={}\n", key(5)))],
        "old",
        "2020-01-01T00:00:00Z",
    );
    let new = commit(
        dir,
        &[("new.env", &format!("ANTHROPIC_API_KEY={}\n", key(6)))],
        "new",
        "2024-06-01T00:00:00Z",
    );
    let paths = |args: &[&str]| -> Vec<String> {
        let (f, _) = history_json(dir, args);
        f.iter().map(|f| field(f, "path").to_string()).collect()
    };
    assert_eq!(paths(&["."]), vec!["new.env", "old.env"]);
    assert_eq!(
        paths(&["--rev", &format!("{old}..{new}"), "."]),
        vec!["new.env"]
    );
    assert_eq!(
        paths(&["--rev", &format!("{old}..HEAD"), "."]),
        vec!["new.env"]
    );
    assert_eq!(paths(&["--rev", &old, "."]), vec!["old.env"]);
    assert_eq!(paths(&["--since", "2023-01-01", "."]), vec!["new.env"]);
    let out = run(keyward()
        .current_dir(dir)
        .args(["history", "--rev", "nope..HEAD", "."]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("\"nope\" is not a commit in .")
            && stderr(&out).contains("no branch, tag or commit id \"nope\" here"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn rev_lists_include_and_exclude_like_rev_list() {
    let repo = new_repo();
    let dir = repo.path();
    let base = commit(
        dir,
        &[("README.md", "hi\n")],
        "base",
        "2024-01-01T00:00:00Z",
    );
    git(dir, &["checkout", "-q", "-b", "one"]);
    let one = commit(
        dir,
        &[("one.env", &format!("ANTHROPIC_API_KEY={}\n", key(30)))],
        "one",
        "2024-01-02T00:00:00Z",
    );
    git(dir, &["checkout", "-q", "-b", "two", &base]);
    let two = commit(
        dir,
        &[("two.env", &format!("ANTHROPIC_API_KEY={}\n", key(31)))],
        "two",
        "2024-01-03T00:00:00Z",
    );
    // `three` holds both branches and a commit of its own.
    git(dir, &["checkout", "-q", "-b", "three", &one]);
    git(dir, &["merge", "-q", "--no-edit", "two"]);
    commit(
        dir,
        &[("three.env", &format!("ANTHROPIC_API_KEY={}\n", key(32)))],
        "three",
        "2024-01-04T00:00:00Z",
    );
    let paths = |rev: &str| -> Vec<String> {
        let (f, out) = history_json(dir, &["--rev", rev, "."]);
        assert!(out.status.code() != Some(2), "{rev}: {}", stderr(&out));
        f.iter().map(|f| field(f, "path").to_string()).collect()
    };
    assert_eq!(paths("three ^one ^two"), vec!["three.env"]);
    assert_eq!(
        paths(&format!("three ^{one}")),
        vec!["three.env", "two.env"]
    );
    assert_eq!(paths("one..three ^two"), vec!["three.env"]);
    assert_eq!(
        paths(&format!("{one} {two} ^{base}")),
        vec!["one.env", "two.env"]
    );
    assert_eq!(paths("  three\n^three "), Vec::<String>::new());
    for (rev, named) in [
        ("three ^nope", "\"nope\""),
        ("missing..three", "\"missing\""),
        ("three ghost", "\"ghost\""),
    ] {
        let out = run(keyward()
            .current_dir(dir)
            .args(["history", "--rev", rev, "."]));
        assert_eq!(out.status.code(), Some(2), "{rev}");
        let err = stderr(&out);
        assert!(
            err.contains(named) && err.contains("not a commit"),
            "{rev}: {err}"
        );
    }
    let out = run(keyward()
        .current_dir(dir)
        .args(["history", "--rev", "^one", "."]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("only excludes"), "{}", stderr(&out));
}

#[test]
fn bare_and_shallow_repositories() {
    let repo = new_repo();
    let dir = repo.path();
    commit(
        dir,
        &[("a.env", &format!("ANTHROPIC_API_KEY={}\n", key(7)))],
        "a",
        "2024-01-01T00:00:00Z",
    );
    commit(
        dir,
        &[("b.env", &format!("ANTHROPIC_API_KEY={}\n", key(8)))],
        "b",
        "2024-01-02T00:00:00Z",
    );
    let bare = tempfile::tempdir().unwrap();
    let bare_path = bare.path().join("r.git");
    git(
        bare.path(),
        &["clone", "-q", "--bare", dir.to_str().unwrap(), "r.git"],
    );
    let (findings, _) = history_json(&bare_path, &["."]);
    assert_eq!(findings.len(), 2);

    let shallow = tempfile::tempdir().unwrap();
    let url = format!("file://{}", dir.display());
    git(shallow.path(), &["clone", "-q", "--depth", "1", &url, "s"]);
    let (findings, out) = history_json(&shallow.path().join("s"), &["."]);
    assert_eq!(findings.len(), 2, "{findings:?}");
    assert!(stderr(&out).contains("shallow clone"), "{}", stderr(&out));
}

#[test]
fn not_a_repository_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(keyward().current_dir(dir.path()).args(["history", "."]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not a git repository"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn keyward_own_history_is_clean() {
    let root = env!("CARGO_MANIFEST_DIR");
    if !std::path::Path::new(root).join(".git").exists() {
        return;
    }
    let out = run(keyward().current_dir(root).args(["history", "-q", "."]));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
}

#[test]
fn sha256_repositories_are_scanned() {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "--object-format=sha256"]);
    commit(
        dir.path(),
        &[("k.env", &format!("ANTHROPIC_API_KEY={}\n", key(20)))],
        "add",
        "2024-01-01T00:00:00Z",
    );
    let (findings, out) = history_json(dir.path(), &["."]);
    assert_eq!(findings.len(), 1, "{}", stderr(&out));
    assert_eq!(field(&findings[0], "blob").len(), 64);
    assert_eq!(field(&findings[0], "commit").len(), 64);
}

#[test]
fn a_partial_clone_reports_missing_blobs_and_scans_the_rest() {
    let src = new_repo();
    let (old, new) = (key(21), key(22));
    commit(
        src.path(),
        &[("old.env", &format!("A={old}\n"))],
        "old",
        "2024-01-01T00:00:00Z",
    );
    commit(
        src.path(),
        &[("old.env", "A=\n"), ("new.env", &format!("A={new}\n"))],
        "new",
        "2024-01-02T00:00:00Z",
    );
    git(src.path(), &["config", "uploadpack.allowFilter", "true"]);
    let dst = tempfile::tempdir().unwrap();
    let url = format!("file://{}", src.path().display());
    git(
        dst.path(),
        &["clone", "-q", "--filter=blob:none", &url, "c"],
    );
    let clone = dst.path().join("c");
    let (findings, out) = history_json(&clone, &["."]);
    let err = stderr(&out);
    // HEAD's blobs were fetched by the checkout; the old version's were not.
    let secrets: Vec<&str> = findings.iter().map(|f| field(f, "secret")).collect();
    assert_eq!(secrets, vec![new.as_str()], "{err}");
    assert!(err.contains("missing from the object database"), "{err}");
    assert!(err.contains("read 2 of the 3 blobs found"), "{err}");
    assert!(err.contains("1 missing blob ("), "{err}");
    // A partial scan is an error unless accepted; then the findings decide.
    assert_eq!(out.status.code(), Some(2));
    let (_, out) = history_json(&clone, &["--allow-partial", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn submodules_are_followed_only_when_asked() {
    let sub = new_repo();
    commit(
        sub.path(),
        &[("s.env", &format!("A={}\n", key(23)))],
        "sub",
        "2024-01-01T00:00:00Z",
    );
    let top = new_repo();
    commit(
        top.path(),
        &[("README.md", "top\n")],
        "top",
        "2024-01-01T00:00:00Z",
    );
    git(
        top.path(),
        &[
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "add",
            "-q",
            sub.path().to_str().unwrap(),
            "vendor/sub",
        ],
    );
    git(top.path(), &["commit", "-q", "-m", "add submodule"]);
    let (findings, _) = history_json(top.path(), &["."]);
    assert!(findings.is_empty(), "{findings:?}");
    let (findings, _) = history_json(top.path(), &["--recurse-submodules", "."]);
    assert_eq!(findings.len(), 1);
    assert_eq!(field(&findings[0], "path"), "vendor/sub/s.env");
}
