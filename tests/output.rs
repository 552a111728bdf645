//! Where keyward writes: files a scanned repository cannot redirect (planted links at
//! the output or at a temporary name), and standard output that is full (an error, exit
//! 2) or closed (not an error: the command's own exit code, nothing on standard error).

mod common;

use common::*;
use std::fs::File;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn openai(seed: u64) -> String {
    key_for(rules().get("openai-api-key").expect("rule"), &mut rng(seed))
}

/// A checkout at `<tmp>/repo` with one key committed, and `<tmp>/victim` beside it.
fn checkout() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    let text = format!("OPENAI_API_KEY={}\n", openai(1));
    commit(&repo, &[("app.env", &text)], "add", "2024-01-01T00:00:00Z");
    std::fs::write(tmp.path().join("victim"), "the user's file\n").unwrap();
    (tmp, repo)
}

fn victim(repo: &Path) -> String {
    std::fs::read_to_string(repo.join("../victim")).unwrap()
}

#[cfg(unix)]
fn link(target: &str, at: &Path) {
    std::os::unix::fs::symlink(target, at).unwrap();
}

/// No temporary file is left anywhere in `dir`.
fn no_leftovers(dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let planted = entry.file_type().unwrap().is_symlink();
        assert!(
            planted || !name.ends_with(".keyward-tmp"),
            "{name} was left in {}",
            dir.display()
        );
    }
}

#[cfg(unix)]
#[test]
fn a_link_at_the_old_temporary_name_does_not_redirect_baseline_create() {
    let (_tmp, repo) = checkout();
    link("../victim", &repo.join("..keyward-baseline.keyward-tmp"));
    let out = run(keyward()
        .current_dir(&repo)
        .args(["baseline", "create", "--no-config"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(victim(&repo), "the user's file\n");
    let baseline = std::fs::read_to_string(repo.join(".keyward-baseline")).unwrap();
    assert!(baseline.contains("openai-api-key"), "{baseline}");
    no_leftovers(&repo);
}

#[cfg(unix)]
#[test]
fn a_default_baseline_that_is_a_link_is_refused() {
    let (_tmp, repo) = checkout();
    link("../victim", &repo.join(".keyward-baseline"));
    for args in [
        &["baseline", "create", "--no-config"][..],
        &["baseline", "prune", "--no-config"][..],
    ] {
        let out = run(keyward().current_dir(&repo).args(args));
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        // `prune` may already fail reading the link's target as a baseline.
        assert!(
            err.contains(".keyward-baseline")
                && (err.contains("symbolic link") || args[1] == "prune"),
            "{err}"
        );
        assert_eq!(victim(&repo), "the user's file\n");
        no_leftovers(&repo);
    }
}

#[cfg(unix)]
#[test]
fn planted_temporary_names_do_not_redirect_reports_or_the_audit() {
    let (_tmp, repo) = checkout();
    for name in ["findings.json", "report.sarif", "audit.md"] {
        link("../victim", &repo.join(format!(".{name}.keyward-tmp")));
        link("../victim", &repo.join(format!("{name}.keyward-tmp")));
    }
    let out = run(keyward().current_dir(&repo).args([
        "scan",
        "--no-config",
        "-f",
        "json",
        "-o",
        "findings.json",
        "--report",
        "sarif:report.sarif",
        ".",
    ]));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let out = run(keyward()
        .current_dir(&repo)
        .args(["audit", "--no-config", "-o", "audit.md"]));
    assert!(out.status.code().is_some_and(|c| c < 2), "{}", stderr(&out));
    assert_eq!(victim(&repo), "the user's file\n");
    for name in ["findings.json", "report.sarif", "audit.md"] {
        let meta = repo.join(name).symlink_metadata().unwrap();
        assert!(meta.is_file(), "{name} is a regular file");
    }
    no_leftovers(&repo);
}

#[cfg(unix)]
#[test]
fn an_output_the_user_named_may_be_a_link() {
    let (_tmp, repo) = checkout();
    link("../victim", &repo.join("out.json"));
    let out = run(keyward().current_dir(&repo).args([
        "scan",
        "--no-config",
        "-f",
        "json",
        "-o",
        "out.json",
        "app.env",
    ]));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(victim(&repo).contains("openai-api-key"));
    assert!(repo
        .join("out.json")
        .symlink_metadata()
        .unwrap()
        .is_symlink());
}

#[cfg(unix)]
#[test]
fn a_hook_file_that_is_a_link_is_refused() {
    let (_tmp, repo) = checkout();
    std::fs::create_dir(repo.join("githooks")).unwrap();
    link("../../victim", &repo.join("githooks/pre-commit"));
    git(&repo, &["config", "core.hooksPath", "githooks"]);
    for force in [false, true] {
        let mut cmd = keyward();
        cmd.current_dir(&repo).args(["hook", "install"]);
        if force {
            cmd.arg("--force");
        }
        let out = run(&mut cmd);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
        assert_eq!(victim(&repo), "the user's file\n");
    }
    // A hooks folder that is a link out of the repository is refused too.
    std::fs::remove_file(repo.join("githooks/pre-commit")).unwrap();
    std::fs::remove_dir(repo.join("githooks")).unwrap();
    link("..", &repo.join("githooks"));
    let out = run(keyward().current_dir(&repo).args(["hook", "install"]));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("outside"), "{}", stderr(&out));
    assert!(!repo.join("../pre-commit").exists());
}

#[test]
fn a_failing_write_leaves_no_temporary_file() {
    let (_tmp, repo) = checkout();
    // A report into a folder that cannot be written fails before anything is written;
    // a directory as the output is refused; neither leaves a file behind.
    let out =
        run(keyward()
            .current_dir(&repo)
            .args(["scan", "--no-config", "-o", ".git", "app.env"]));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("directory"), "{}", stderr(&out));
    let out = run(keyward().current_dir(&repo).args([
        "scan",
        "--no-config",
        "-o",
        "missing/dir/out.json",
        "app.env",
    ]));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("missing/dir/out.json"),
        "{}",
        stderr(&out)
    );
    no_leftovers(&repo);
}

/// Run `cmd` with standard output on `/dev/full`.
fn to_full(cmd: &mut Command) -> Output {
    let full = File::options().write(true).open("/dev/full").unwrap();
    cmd.stdout(Stdio::from(full))
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

#[test]
fn a_full_disk_is_an_error_that_says_what_was_not_written() {
    if !Path::new("/dev/full").exists() {
        eprintln!("no /dev/full here");
        return;
    }
    let (_tmp, repo) = checkout();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["github-range", "--mode", "full", "--repo", "."],
            "outputs",
        ),
        (vec!["rules", "list"], "rules"),
        (vec!["rules", "check", "--seed", "1"], "results"),
        (vec!["rules", "show", "openai-api-key"], "rule"),
        (vec!["scan", "--no-config", "-f", "json", "."], "findings"),
        (vec!["audit", "--no-config", "-f", "json"], "audit"),
        (vec!["config", "show"], "configuration"),
    ];
    for (args, what) in cases {
        let out = to_full(keyward().current_dir(&repo).args(&args));
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("cannot write") && err.contains(what) && err.contains("standard output"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

/// Run `cmd` with standard output a pipe whose reader has gone.
fn to_closed_pipe(cmd: &mut Command) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_pipe_ends_the_output_quietly_with_the_commands_exit_code() {
    let (_tmp, repo) = checkout();
    // Enough findings that the report overflows any pipe buffer.
    let mut text = String::new();
    for i in 0..1500 {
        text.push_str(&format!("OPENAI_API_KEY={}\n", openai(100 + i)));
    }
    write(&repo, "many.env", &text);
    let cases: Vec<(Vec<&str>, i32)> = vec![
        (vec!["rules", "list"], 0),
        (vec!["rules", "list", "-f", "json"], 0),
        (vec!["rules", "check", "--seed", "1"], 0),
        (vec!["rules", "show", "openai-api-key"], 0),
        (vec!["github-range", "--mode", "full", "--repo", "."], 0),
        (
            vec![
                "scan",
                "--no-config",
                "-q",
                "-f",
                "json",
                "--no-redact",
                ".",
            ],
            1,
        ),
        (vec!["scan", "--no-config", "-q", "."], 1),
        (vec!["config", "show"], 0),
    ];
    for (args, code) in cases {
        let out = to_closed_pipe(keyward().current_dir(&repo).args(&args));
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        assert!(
            !err.contains("error") && !err.contains("panicked"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_full_standard_error_is_exit_2_without_a_panic() {
    if !Path::new("/dev/full").exists() {
        eprintln!("no /dev/full here");
        return;
    }
    let (_tmp, repo) = checkout();
    let on_full_stderr = |args: &[&str]| {
        let full = File::options().write(true).open("/dev/full").unwrap();
        keyward()
            .current_dir(&repo)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::from(full))
            .output()
            .unwrap()
    };
    // `hook install` has only standard error to say what it did: it cannot, so exit 2
    // (never a panic, 101).
    assert_eq!(on_full_stderr(&["hook", "install"]).status.code(), Some(2));
    // A scan's results went to standard output; its summary is best effort.
    let scan = on_full_stderr(&["scan", "--no-config", "."]);
    assert_ne!(scan.status.code(), Some(101));
}
