//! Errors speak to the person who ran keyward: what failed, on which path, what to do;
//! never the names of the libraries or types inside keyward, nor internal traces.

mod common;

use common::*;

/// Words that belong to keyward's insides, not to its users.
const INTERNALS: [&str; 9] = [
    "gix",
    "anyhow",
    "delegate",
    "NthAncestor",
    "a bug",
    "bug in",
    "panicked",
    "Error {",
    "Some(",
];

#[test]
fn errors_name_no_internals() {
    let repo = new_repo();
    let d = repo.path();
    commit(d, &[("README.md", "hi\n")], "first", "2024-01-01T00:00:00Z");
    let plain = tempfile::tempdir().unwrap();
    let p = plain.path().to_str().unwrap().to_string();
    let missing = plain.path().join("missing");
    let m = missing.to_str().unwrap().to_string();
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        // (arguments, text the error must hold, what the user is told to do)
        (vec!["history", &p], "not a git repository", "top folder"),
        (
            vec!["history", &m],
            "not a git repository",
            "no such folder",
        ),
        (vec!["staged", &p], "not a git repository", "top folder"),
        (
            vec!["hook", "install", &p],
            "not a git repository",
            "top folder",
        ),
        (
            vec!["github-range", "--mode", "full", "--repo", &m],
            "not a git repository",
            "no such folder",
        ),
        (
            vec!["history", "--rev", "HEAD~5", "."],
            "\"HEAD~5\" is not a commit",
            "further than the history",
        ),
        (
            vec!["history", "--rev", "HEAD^{tree}", "."],
            "not a commit",
            "names a tree",
        ),
        (
            vec!["history", "--rev", "nope..HEAD", "."],
            "\"nope\" is not a commit",
            "no branch, tag or commit id",
        ),
        (
            vec!["pre-push", "--from-ref", "HEAD", "--to-ref", "deadbeef"],
            "the commit being pushed, \"deadbeef\"",
            "no branch, tag or commit id",
        ),
    ];
    for (args, what, todo) in cases {
        let out = run(keyward().current_dir(d).args(&args));
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(what) && err.contains(todo), "{args:?}: {err}");
        for word in INTERNALS {
            assert!(!err.contains(word), "{args:?} names {word:?}: {err}");
        }
    }
}
