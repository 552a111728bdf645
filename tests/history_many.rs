//! `keyward history` over many repositories (`REPO…`, `--repos`, `--shard`, `--shards`)
//! and `keyward report merge`: each finding names its repository, SARIF has one run per
//! repository with its provenance (valid against the schema), a repository that fails
//! makes the run exit 2 while the others are still reported, shards split a list, and
//! merged shard reports equal one run over the whole list.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;
use std::process::Output;

fn key(seed: u64) -> String {
    key_for(rules().get("anthropic-api-key").unwrap(), &mut rng(seed))
}

/// Repositories `a`, `b` (with a key each) and `c` (clean) under one folder, each with
/// a remote.
fn org() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    for (name, content) in [
        ("a", format!("ANTHROPIC_API_KEY={}\n", key(1))),
        ("b", format!("ANTHROPIC_API_KEY={}\n", key(2))),
        ("c", "nothing here\n".to_string()),
    ] {
        let dir = root.path().join(name);
        std::fs::create_dir(&dir).unwrap();
        git(&dir, &["init", "-q"]);
        git(
            &dir,
            &[
                "remote",
                "add",
                "origin",
                &format!("https://example.invalid/org/{name}.git"),
            ],
        );
        commit(
            &dir,
            &[("settings.env", &content)],
            "one",
            "2024-01-01T10:00:00Z",
        );
    }
    root
}

fn history(root: &Path, args: &[&str]) -> Output {
    run(keyward()
        .current_dir(root)
        .args(["history", "--no-progress"])
        .args(args))
}

fn lines(out: &Output) -> Vec<Value> {
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn repositories(findings: &[Value]) -> Vec<String> {
    let mut r: Vec<String> = findings
        .iter()
        .map(|f| field(f, "repository").to_string())
        .collect();
    r.sort();
    r
}

fn validate_schema(sarif: &Value) {
    let schema: Value = serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::draft4::new(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "schema errors: {errors:#?}");
}

#[test]
fn each_finding_names_its_repository() {
    let root = org();
    let out = history(root.path(), &["a", "b", "c", "-f", "jsonl"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(repositories(&lines(&out)), ["a", "b"]);
    // JSON: one array.
    let out = history(root.path(), &["a", "c", "-f", "json"]);
    let all: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(repositories(&all), ["a"]);
    // Text: a prefix.
    let out = history(root.path(), &["a", "b", "c"]);
    let text = stdout(&out);
    assert!(text.lines().any(|l| l.starts_with("a: ")), "{text}");
    assert!(text.lines().any(|l| l.starts_with("b: ")), "{text}");
    // Only clean repositories: exit 0.
    let out = history(root.path(), &["c", "c"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_repository_that_fails_exits_2_and_the_others_are_still_reported() {
    let root = org();
    let out = history(root.path(), &["a", "missing", "c", "-f", "jsonl"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(repositories(&lines(&out)), ["a"]);
    let err = stderr(&out);
    assert!(
        err.contains("missing") && err.contains("not a git repository"),
        "{err}"
    );
    assert!(
        err.contains("1 of 3 repositories could not be scanned"),
        "{err}"
    );
}

#[test]
fn sarif_has_one_run_per_repository_with_its_provenance() {
    let root = org();
    let out = history(root.path(), &["a", "b", "c", "-f", "sarif"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    validate_schema(&sarif);
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 3);
    for (run, name) in runs.iter().zip(["a", "b", "c"]) {
        assert_eq!(run["properties"]["repository"], name);
        assert_eq!(
            run["versionControlProvenance"][0]["repositoryUri"],
            format!("https://example.invalid/org/{name}.git")
        );
    }
    assert_eq!(runs[2]["results"].as_array().unwrap().len(), 0);
}

#[test]
fn a_list_file_and_shards_split_the_repositories() {
    let root = org();
    std::fs::write(
        root.path().join("repos.txt"),
        "# the organisation\na\n\nb  # payments\nc\n",
    )
    .unwrap();
    let whole = history(root.path(), &["--repos", "repos.txt", "-f", "jsonl"]);
    assert_eq!(whole.status.code(), Some(1), "{}", stderr(&whole));
    let mut from_shards = Vec::new();
    for i in 1..=3 {
        let shard = format!("{i}/3");
        let out = history(
            root.path(),
            &["--repos", "repos.txt", "--shard", &shard, "-f", "jsonl"],
        );
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
        from_shards.extend(lines(&out));
        // The Indexed Job form takes the same shard.
        let job = run(keyward()
            .current_dir(root.path())
            .env("JOB_COMPLETION_INDEX", (i - 1).to_string())
            .args(["history", "--no-progress", "--repos", "repos.txt"])
            .args(["--shards", "3", "-f", "jsonl"]));
        assert_eq!(stdout(&job), stdout(&out));
    }
    assert_eq!(repositories(&from_shards), repositories(&lines(&whole)));
    // --list-repos prints each shard's repositories: together, the list, once each.
    let mut listed: Vec<String> = (1..=3)
        .flat_map(|i| {
            let shard = format!("{i}/3");
            let out = history(
                root.path(),
                &["--repos", "repos.txt", "--shard", &shard, "--list-repos"],
            );
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            stdout(&out).lines().map(String::from).collect::<Vec<_>>()
        })
        .collect();
    listed.sort();
    assert_eq!(listed, ["a", "b", "c"]);
    // Without JOB_COMPLETION_INDEX, --shards says what is missing.
    let out = history(root.path(), &["--repos", "repos.txt", "--shards", "3"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("JOB_COMPLETION_INDEX"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn merged_shard_reports_are_one_report() {
    let root = org();
    let dir = root.path();
    std::fs::write(dir.join("repos.txt"), "a\nb\nc\n").unwrap();
    for i in 1..=2 {
        for (format, ext) in [("jsonl", "jsonl"), ("sarif", "sarif")] {
            let shard = format!("{i}/2");
            let file = format!("shard-{i}.{ext}");
            let out = history(
                dir,
                &[
                    "--repos",
                    "repos.txt",
                    "--shard",
                    &shard,
                    "-f",
                    format,
                    "-o",
                    &file,
                ],
            );
            assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
        }
    }
    let merge = |files: &[&str]| {
        run(keyward()
            .current_dir(dir)
            .args(["report", "merge"])
            .args(files))
    };
    let out = merge(&["shard-1.jsonl", "shard-2.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(repositories(&lines(&out)), ["a", "b"]);
    let out = merge(&["shard-1.sarif", "shard-2.sarif"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    validate_schema(&sarif);
    let mut names: Vec<String> = sarif["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert!(r["versionControlProvenance"][0]["repositoryUri"].is_string());
            r["properties"]["repository"].as_str().unwrap().to_string()
        })
        .collect();
    names.sort();
    assert_eq!(names, ["a", "b", "c"]);
    // Mixed formats are refused, naming both.
    let out = merge(&["shard-1.jsonl", "shard-2.sarif"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("different formats") && err.contains("shard-2.sarif"),
        "{err}"
    );
    // -o writes a file.
    let out = run(keyward().current_dir(dir).args([
        "report",
        "merge",
        "shard-1.jsonl",
        "shard-2.jsonl",
        "-o",
        "all.jsonl",
    ]));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.join("all.jsonl"))
            .unwrap()
            .lines()
            .count(),
        2
    );
}
