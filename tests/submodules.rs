//! `history --recurse-submodules` follows only submodules inside the repository: a
//! `.gitmodules` path that leads out (`../other`, an absolute path, a link), the
//! repository itself (`path = .`) or a cycle is refused with an error naming the
//! submodule, and the scan exits 2 (incomplete) instead of reading elsewhere or
//! recursing forever.

mod common;

use common::*;
use std::path::Path;

fn openai(seed: u64) -> String {
    key_for(rules().get("openai-api-key").expect("rule"), &mut rng(seed))
}

/// `<tmp>/top` (a repository whose `.gitmodules` lists `path`) and `<tmp>/other` (a
/// repository with a key in its history).
fn layout(path: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    layout_in(tmp.path(), path);
    tmp
}

fn layout_in(root: &Path, path: &str) {
    let other = root.join("other");
    let top = root.join("top");
    for d in [&other, &top] {
        std::fs::create_dir(d).unwrap();
        git(d, &["init", "-q"]);
    }
    let text = format!("OPENAI_API_KEY={}\n", openai(5));
    commit(&other, &[("s.env", &text)], "other", "2024-01-01T00:00:00Z");
    let modules = format!("[submodule \"m\"]\n\tpath = {path}\n\turl = ./m\n");
    commit(
        &top,
        &[(".gitmodules", &modules), ("README.md", "top\n")],
        "top",
        "2024-01-01T00:00:00Z",
    );
}

fn history(top: &Path) -> std::process::Output {
    run(keyward().current_dir(top).args([
        "history",
        "--no-config",
        "-f",
        "json",
        "--recurse-submodules",
        ".",
    ]))
}

fn assert_refused(out: &std::process::Output, path: &str, why: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("submodule {path}: {why}")) && err.contains("not scanned"),
        "{err}"
    );
    assert!(!stdout(out).contains("openai-api-key"), "{}", stdout(out));
}

#[test]
fn a_submodule_path_out_of_the_repository_is_refused() {
    let tmp = layout("../other");
    let out = history(&tmp.path().join("top"));
    assert_refused(&out, "../other", "its path leads out of the repository");
}

#[test]
fn an_absolute_submodule_path_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    // The absolute path names the repository with a key beside the scanned one.
    let abs = tmp.path().join("other").to_str().unwrap().to_string();
    layout_in(tmp.path(), &abs);
    let out = history(&tmp.path().join("top"));
    assert_refused(&out, &abs, "its path leads out of the repository");
}

#[test]
fn a_submodule_at_the_repository_itself_does_not_recurse_forever() {
    for path in [".", "./", "a/.."] {
        let tmp = layout(path);
        let out = history(&tmp.path().join("top"));
        let why = if path == "a/.." {
            "its path leads out of the repository"
        } else {
            "its path is the repository itself"
        };
        assert_refused(&out, path, why);
    }
}

#[cfg(unix)]
#[test]
fn a_submodule_path_through_a_link_out_of_the_repository_is_refused() {
    let tmp = layout("vendor");
    let top = tmp.path().join("top");
    std::os::unix::fs::symlink("../other", top.join("vendor")).unwrap();
    let out = history(&top);
    assert_refused(&out, "vendor", "its path resolves to");
}

#[test]
fn a_cycle_of_submodules_is_refused() {
    let tmp = layout("inner");
    let top = tmp.path().join("top");
    // A checked-out "submodule" whose git folder is the top repository's own.
    std::fs::create_dir(top.join("inner")).unwrap();
    let git_dir = std::fs::canonicalize(top.join(".git")).unwrap();
    std::fs::write(
        top.join("inner/.git"),
        format!("gitdir: {}\n", git_dir.display()),
    )
    .unwrap();
    let out = history(&top);
    assert_refused(&out, "inner", "its repository was already scanned");
}
