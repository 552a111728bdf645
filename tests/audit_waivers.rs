//! `keyward audit` waivers (`[[waive]]` in keyward.toml): a reviewed failure is waived
//! with its reason in every format; an expired waiver fails again; an unused one is
//! reported; configuration errors never quote the file. And the Markdown report's
//! layout on a small fixture (a snapshot).

mod common;

use common::audit::*;
use common::*;
use serde_json::Value;
use std::path::Path;

fn audit(dir: &Path, args: &[&str]) -> std::process::Output {
    run(keyward()
        .current_dir(dir)
        .args(["audit", ".", "--as-of", AS_OF])
        .args(args))
}

fn audit_json(dir: &Path) -> (Value, std::process::Output) {
    let out = audit(dir, &["-f", "json"]);
    (report_of(&out), out)
}

/// A repository whose only failure is a test key committed under `tests/fixtures/`.
fn fixture_key_repo(seed: u64) -> (tempfile::TempDir, String) {
    let repo = new_repo();
    let dir = repo.path();
    let k = seeded_key("openai-api-key", seed);
    commit(
        dir,
        &[("tests/fixtures/.env", &format!("OPENAI_API_KEY={k}\n"))],
        "a fixture",
        "2026-01-01T00:00:00Z",
    );
    // Ignored from now on; the fixture stays tracked.
    commit(
        dir,
        &[(".gitignore", ".env\n.env.*\n")],
        "ignore env files",
        "2026-01-02T00:00:00Z",
    );
    (repo, k)
}

#[test]
fn a_waiver_turns_a_reviewed_failure_into_waived_in_every_format() {
    let (repo, k) = fixture_key_repo(41);
    let dir = repo.path();
    let (report, out) = audit_json(dir);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(item(&report, "secret-files-untracked")["status"], "fail");
    write(
        dir,
        "keyward.toml",
        "[[waive]]\ncheck = \"secret-files-untracked\"\npath = \"tests/fixtures/**\"\nreason = \"revoked test key, kept as a fixture\"\nexpires = \"2027-01-31\"\n\n[[waive]]\ncheck = \"no-keys-in-worktree\"\nreason = \"the same revoked test key\"\n",
    );
    let (report, out) = audit_json(dir);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let it = item(&report, "secret-files-untracked");
    assert_eq!(it["status"], "waived");
    assert_eq!(
        it["waiver"],
        "secret-files-untracked for tests/fixtures/**, until 2027-01-31: revoked test key, kept as a fixture"
    );
    assert_eq!(report["counts"]["waived"], 2);
    assert_eq!(report["waivers"][0]["outcome"], "applied");
    for (format, want) in [
        ("human", "WAIVED"),
        ("markdown", "revoked test key, kept as a fixture"),
        ("sarif", "\"justification\""),
    ] {
        let text = stdout(&audit(dir, &["-f", format]));
        assert!(text.contains(want), "{format}: {text}");
        assert!(
            text.contains("revoked test key, kept as a fixture"),
            "{format}"
        );
        assert!(!text.contains(&k), "{format} holds the key");
    }
    let md = stdout(&audit(dir, &["-f", "markdown"]));
    assert!(md.contains("| **Total** | "), "{md}");
    assert!(md.contains("## Waived failures"), "{md}");
}

#[test]
fn an_expired_waiver_fails_again_and_says_so() {
    let (repo, _) = fixture_key_repo(42);
    let dir = repo.path();
    write(
        dir,
        "keyward.toml",
        "[[waive]]\ncheck = \"secret-files-untracked\"\nreason = \"until the fixture is rewritten\"\nexpires = \"2026-11-21\"\n",
    );
    let (report, out) = audit_json(dir);
    assert_eq!(out.status.code(), Some(1));
    let it = item(&report, "secret-files-untracked");
    assert_eq!(it["status"], "fail");
    let ev = it["evidence"].to_string();
    assert!(ev.contains("waiver expired on 2026-11-21"), "{ev}");
    assert_eq!(report["waivers"][0]["outcome"], "expired");
    // The last day still holds.
    let out =
        run(keyward()
            .current_dir(dir)
            .args(["audit", ".", "--as-of", "2026-11-21", "-f", "json"]));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(item(&v, "secret-files-untracked")["status"], "waived");
}

#[test]
fn unused_waivers_are_reported() {
    let (repo, _) = fixture_key_repo(43);
    let dir = repo.path();
    write(
        dir,
        "keyward.toml",
        "[[waive]]\ncheck = \"k8s-no-secret-values\"\nreason = \"old manifests\"\n\n[[waive]]\ncheck = \"secret-files-untracked\"\npath = \"docs/**\"\nreason = \"documentation samples\"\n",
    );
    let (report, out) = audit_json(dir);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(report["waivers"][0]["outcome"], "unused");
    assert!(report["waivers"][0]["note"]
        .as_str()
        .unwrap()
        .contains("does not fail"));
    assert_eq!(report["waivers"][1]["outcome"], "unused");
    assert!(report["waivers"][1]["note"]
        .as_str()
        .unwrap()
        .contains("tests/fixtures/.env"));
    assert_eq!(item(&report, "secret-files-untracked")["status"], "fail");
    let human = stdout(&audit(dir, &["-f", "human"]));
    assert!(
        human.contains("[[waive]] 1 (k8s-no-secret-values): unused"),
        "{human}"
    );
}

#[test]
fn waiver_errors_are_explained_without_quoting_the_file() {
    let (repo, k) = fixture_key_repo(44);
    let dir = repo.path();
    for (toml, want) in [
        (
            format!("[[waive]]\ncheck = \"secret-files-untracked\"\nnote = \"{k}\"\n"),
            "reason",
        ),
        (
            "[[waive]]\ncheck = \"security-training\"\nreason = \"x\"\n".to_string(),
            "not an automated checklist item",
        ),
        (
            "[[waive]]\ncheck = \"secret-files-untracked\"\nreason = \"  \"\n".to_string(),
            "`reason` is empty",
        ),
        (
            "[[waive]]\ncheck = \"secret-files-untracked\"\nreason = \"x\"\nexpires = \"soon\"\n"
                .to_string(),
            "`expires` is not a date",
        ),
        (
            "[[waive]]\ncheck = \"secret-files-untracked\"\nreason = \"x\"\npath = \"a[\"\n"
                .to_string(),
            "`path` is not a valid glob",
        ),
    ] {
        write(dir, "keyward.toml", &toml);
        let out = audit(dir, &["-f", "json"]);
        assert_eq!(out.status.code(), Some(2), "{toml}");
        let err = stderr(&out);
        assert!(err.contains(want), "{toml}: {err}");
        assert!(err.contains("keyward.toml"), "{err}");
        assert!(!err.contains(&k), "quotes the file: {err}");
    }
}

/// The Markdown report on a small fixture: summary table, failures with evidence and
/// fix, warnings, waived failures, manual items, then what passed.
#[test]
fn markdown_report_snapshot() {
    let repo = new_repo();
    let dir = repo.path();
    let k = seeded_key("openai-api-key", 45);
    commit(
        dir,
        &[
            (".gitignore", "target/\n"),
            (".env.example", "OPENAI_API_KEY=\n"),
            ("app/settings.py", &format!("OPENAI_API_KEY = \"{k}\"\n")),
            ("tests/fixtures/.env", &format!("OPENAI_API_KEY={k}\n")),
            (
                "keyward.toml",
                "[[waive]]\ncheck = \"secret-files-untracked\"\npath = \"tests/fixtures/**\"\nreason = \"revoked test key\"\n\n[[attest]]\ncheck = \"security-training\"\nby = \"Dana\"\ndate = \"2026-06-01\"\n",
            ),
        ],
        "init",
        "2026-01-01T00:00:00Z",
    );
    let out = audit(dir, &["-f", "markdown"]);
    assert_eq!(out.status.code(), Some(1));
    let md = stdout(&out);
    assert!(!md.contains(&k));
    insta::assert_snapshot!("audit_markdown_small", md);
}
