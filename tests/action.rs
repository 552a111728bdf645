//! The GitHub Action (`action.yml`) run locally, step by step, with
//! `tests/support/run_composite.py` and the test build of keyward as its `binary`
//! input, for each event it handles: the range it picks, its outputs, its exit status,
//! and that no secret reaches the job summary, the log or the SARIF file.
//!
//! Needs python3 with PyYAML. Without it (found missing when the tests are built, see
//! build.rs) the tests are reported as ignored, with the reason; under CI they run and
//! fail. A test that runs and finds the tool missing fails. With `KEYWARD_SARIF_OUT`
//! set, each SARIF file is exported with its repository and keys, for `.ci/run`'s
//! validators.

mod common;

use common::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

const ZERO: &str = "0000000000000000000000000000000000000000";

/// The runner script; a failure when it cannot run here.
fn runner() -> PathBuf {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/run_composite.py");
    assert!(script.is_file(), "{} is missing", script.display());
    match Command::new("python3").args(["-c", "import yaml"]).output() {
        Ok(o) if o.status.success() => script,
        Ok(_) => panic!("the Action tests need python3 with PyYAML (pip install pyyaml)"),
        Err(e) => panic!("the Action tests need python3, which cannot run ({e})"),
    }
}

/// What a run of the Action left behind.
struct Run {
    status: Option<i32>,
    /// Everything the steps printed.
    log: String,
    outputs: Value,
    summary: String,
    sarif: Option<String>,
}

impl Run {
    fn output(&self, name: &str) -> &str {
        self.outputs[name]
            .as_str()
            .unwrap_or_else(|| panic!("no output {name}: {}", self.log))
    }

    /// Neither the log, the summary nor the SARIF file holds any of `secrets`.
    fn assert_no_secret(&self, secrets: &[&str]) {
        for s in secrets {
            assert!(
                !self.log.contains(s),
                "a secret is in the log:\n{}",
                self.log
            );
            assert!(
                !self.summary.contains(s),
                "a secret is in the summary:\n{}",
                self.summary
            );
            if let Some(sarif) = &self.sarif {
                assert!(!sarif.contains(s), "a secret is in the SARIF file");
            }
        }
    }
}

/// Run the Action in `repo` for `event` with `payload` and `inputs`, with the test build
/// of keyward as its `binary` input.
fn run_action(
    script: &Path,
    repo: &Path,
    event: &str,
    payload: Value,
    inputs: &[(&str, &str)],
) -> Run {
    let binary = format!("binary={}", env!("CARGO_BIN_EXE_keyward"));
    run_action_with(script, repo, event, payload, inputs, Some(&binary), None)
}

/// Run the Action; `binary` is the `binary=...` input, if any; `bin_dir` goes first on
/// PATH (commands that stand in for the runner's own).
fn run_action_with(
    script: &Path,
    repo: &Path,
    event: &str,
    payload: Value,
    inputs: &[(&str, &str)],
    binary: Option<&str>,
    bin_dir: Option<&Path>,
) -> Run {
    let tmp = tempfile::tempdir().unwrap();
    let event_file = tmp.path().join("event.json");
    std::fs::write(&event_file, payload.to_string()).unwrap();
    let summary = tmp.path().join("summary.md");
    let mut cmd = Command::new("python3");
    cmd.arg(script)
        .arg(env!("CARGO_MANIFEST_DIR"))
        .arg("--workspace")
        .arg(repo)
        .args(["--event-name", event])
        .arg("--event")
        .arg(&event_file)
        .arg("--summary")
        .arg(&summary)
        // The runner's temporary directory (RUNNER_TEMP) and everything in it go in `tmp`.
        .env("TMPDIR", tmp.path())
        .env("NO_COLOR", "1");
    if let Some(binary) = binary {
        cmd.arg("--input").arg(binary);
    }
    if let Some(dir) = bin_dir {
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut dirs = vec![dir.to_path_buf()];
        dirs.extend(std::env::split_paths(&path));
        cmd.env("PATH", std::env::join_paths(dirs).unwrap());
    }
    for (k, v) in inputs {
        cmd.arg("--input").arg(format!("{k}={v}"));
    }
    let out = cmd.output().expect("python3 runs");
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let outputs: Value = log
        .lines()
        .find_map(|l| l.strip_prefix("=== outputs "))
        .map(|j| serde_json::from_str(j).expect("outputs are JSON"))
        .unwrap_or_else(|| panic!("the runner printed no outputs:\n{log}"));
    let summary = std::fs::read_to_string(&summary).unwrap_or_default();
    let sarif = outputs["sarif-file"].as_str().unwrap_or("");
    let sarif =
        (!sarif.is_empty()).then(|| std::fs::read_to_string(sarif).expect("the SARIF file exists"));
    Run {
        status: out.status.code(),
        log,
        outputs,
        summary,
        sarif,
    }
}

/// Keep the run's SARIF file with its repository and keys for `.ci/run`'s validators
/// when `KEYWARD_SARIF_OUT` is set.
fn export(name: &str, run: &Run, repo: &Path, secrets: &[&str]) {
    if let Some(sarif) = &run.sarif {
        export_sarif(&format!("action-{name}"), sarif, repo, secrets);
    }
}

/// A key file for anthropic-api-key, drawn from the rule's template.
fn secret(seed: u64) -> String {
    key_for(rules().get("anthropic-api-key").unwrap(), &mut rng(seed))
}

fn env_file(key: &str) -> String {
    format!("ANTHROPIC_API_KEY={key}\n")
}

/// main: c1 (clean) - c2 (adds old.env with A) - c3 (adds new.env with B).
struct Linear {
    repo: tempfile::TempDir,
    c1: String,
    c2: String,
    c3: String,
    a: String,
    b: String,
}

fn linear(seed: u64) -> Linear {
    let repo = new_repo();
    let d = repo.path();
    let (a, b) = (secret(seed), secret(seed + 1));
    let c1 = commit(d, &[("README.md", "hello\n")], "c1", "2024-01-01T00:00:00Z");
    let c2 = commit(
        d,
        &[("old.env", &env_file(&a))],
        "c2",
        "2024-01-02T00:00:00Z",
    );
    let c3 = commit(
        d,
        &[("new.env", &env_file(&b))],
        "c3",
        "2024-01-03T00:00:00Z",
    );
    Linear {
        repo,
        c1,
        c2,
        c3,
        a,
        b,
    }
}

#[test]
#[cfg_attr(
    keyward_no_pyyaml,
    ignore = "needs python3 with PyYAML (pip install pyyaml)"
)]
fn push_scans_the_pushed_commits_and_fails_after_the_upload() {
    let script = runner();
    let l = linear(100);
    let payload = json!({"ref": "refs/heads/main", "before": l.c2, "after": l.c3});
    let run = run_action(
        &script,
        l.repo.path(),
        "push",
        payload.clone(),
        &[("category", "keyward-test/push/")],
    );
    assert_eq!(run.output("range"), format!("{}..{}", l.c2, l.c3));
    assert_eq!(run.output("findings"), "1", "{}", run.log);
    assert_eq!(run.output("exit-code"), "1");
    assert_eq!(run.status, Some(1), "{}", run.log);
    // The upload step comes before the failing one.
    let upload = run.log.find("skip uses: github/codeql-action/upload-sarif");
    let fail = run.log.find("--- run Fail on findings");
    assert!(upload.is_some() && upload < fail, "{}", run.log);
    assert!(
        run.summary.contains("## keyward: 1 secret found"),
        "{}",
        run.summary
    );
    assert!(run.summary.contains("new.env"), "{}", run.summary);
    let sarif: Value = serde_json::from_str(run.sarif.as_deref().unwrap()).unwrap();
    assert_eq!(
        sarif["runs"][0]["automationDetails"]["id"],
        "keyward-test/push/"
    );
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 1);
    run.assert_no_secret(&[&l.a, &l.b]);
    export("push", &run, l.repo.path(), &[&l.a, &l.b]);

    // Findings without failing the job.
    let run = run_action(
        &script,
        l.repo.path(),
        "push",
        payload,
        &[("fail-on-findings", "false")],
    );
    assert_eq!(run.status, Some(0), "{}", run.log);
    assert_eq!(run.output("exit-code"), "1");
    assert_eq!(run.output("findings"), "1");
    assert!(run.log.contains("::warning title=keyward::"), "{}", run.log);
    run.assert_no_secret(&[&l.a, &l.b]);
}

#[test]
#[cfg_attr(
    keyward_no_pyyaml,
    ignore = "needs python3 with PyYAML (pip install pyyaml)"
)]
fn a_new_branch_scans_what_no_other_remote_branch_has() {
    let script = runner();
    let l = linear(110);
    let d = l.repo.path();
    let c = secret(112);
    git(d, &["checkout", "-q", "-b", "feature", &l.c1]);
    let f1 = commit(
        d,
        &[("feature.env", &env_file(&c))],
        "f1",
        "2024-01-04T00:00:00Z",
    );
    git(d, &["update-ref", "refs/remotes/origin/main", &l.c3]);
    git(d, &["update-ref", "refs/remotes/origin/feature", &f1]);
    let run = run_action(
        &script,
        d,
        "push",
        json!({"ref": "refs/heads/feature", "before": ZERO, "after": f1, "created": true}),
        &[],
    );
    // f1's parent is where it meets origin/main.
    assert_eq!(run.output("range"), format!("{f1} ^{}", l.c1));
    assert_eq!(run.output("findings"), "1", "{}", run.log);
    assert!(run.summary.contains("feature.env"), "{}", run.summary);
    assert_eq!(run.status, Some(1));
    run.assert_no_secret(&[&l.a, &l.b, &c]);
    export("new-branch", &run, d, &[&l.a, &l.b, &c]);
}

#[test]
#[cfg_attr(
    keyward_no_pyyaml,
    ignore = "needs python3 with PyYAML (pip install pyyaml)"
)]
fn a_force_push_whose_before_is_gone_scans_the_whole_history() {
    let script = runner();
    let l = linear(120);
    let run = run_action(
        &script,
        l.repo.path(),
        "push",
        json!({"ref": "refs/heads/main", "before": "1234567890123456789012345678901234567890", "after": l.c3, "forced": true}),
        &[("fail-on-findings", "false")],
    );
    assert_eq!(run.output("range"), "");
    assert_eq!(run.output("findings"), "2", "{}", run.log);
    assert_eq!(run.status, Some(0));
    assert!(run.log.contains("::warning title=keyward::"), "{}", run.log);
    assert!(run.log.contains("force push"), "{}", run.log);
    run.assert_no_secret(&[&l.a, &l.b]);
}

#[test]
#[cfg_attr(
    keyward_no_pyyaml,
    ignore = "needs python3 with PyYAML (pip install pyyaml)"
)]
fn a_deleted_branch_scans_nothing() {
    let script = runner();
    let l = linear(130);
    let run = run_action(
        &script,
        l.repo.path(),
        "push",
        json!({"ref": "refs/heads/gone", "before": l.c3, "after": ZERO, "deleted": true}),
        &[],
    );
    assert_eq!(run.status, Some(0), "{}", run.log);
    assert_eq!(run.output("range"), "");
    assert_eq!(run.output("findings"), "0");
    assert_eq!(run.output("exit-code"), "0");
    assert_eq!(run.output("sarif-file"), "");
    assert!(run.log.contains("skip Upload SARIF"), "{}", run.log);
    assert!(run.summary.contains("nothing to scan"), "{}", run.summary);
}

/// main: c1 - c2 (A); feature: c1 - f1 (B); HEAD: the merge of f1 into c2 that
/// actions/checkout makes for a pull request, here with a change of its own (C) that
/// only a scan of the merge commit would see.
fn pull_request_repo(seed: u64) -> (tempfile::TempDir, [String; 4], [String; 3]) {
    let repo = new_repo();
    let d = repo.path();
    let (a, b, c) = (secret(seed), secret(seed + 1), secret(seed + 2));
    let c1 = commit(d, &[("README.md", "hi\n")], "c1", "2024-01-01T00:00:00Z");
    let c2 = commit(
        d,
        &[("main.env", &env_file(&a))],
        "c2",
        "2024-01-03T00:00:00Z",
    );
    git(d, &["checkout", "-q", "-b", "feature", &c1]);
    let f1 = commit(
        d,
        &[("pr.env", &env_file(&b))],
        "f1",
        "2024-01-02T00:00:00Z",
    );
    git(d, &["checkout", "-q", "--detach", &c2]);
    git(d, &["merge", "-q", "--no-ff", "--no-commit", &f1]);
    let merge = commit(
        d,
        &[("merge.env", &env_file(&c))],
        "merge",
        "2024-01-04T00:00:00Z",
    );
    (repo, [c1, c2, f1, merge], [a, b, c])
}

#[test]
#[cfg_attr(
    keyward_no_pyyaml,
    ignore = "needs python3 with PyYAML (pip install pyyaml)"
)]
fn a_pull_request_scans_merge_base_to_head_not_the_merge_commit() {
    let script = runner();
    let (repo, [c1, c2, f1, merge], [a, b, c]) = pull_request_repo(140);
    for event in ["pull_request", "pull_request_target"] {
        let run = run_action(
            &script,
            repo.path(),
            event,
            json!({"number": 3, "pull_request": {"number": 3, "base": {"sha": c2}, "head": {"sha": f1}}}),
            &[],
        );
        assert_eq!(run.output("range"), format!("{c1}..{f1}"), "{}", run.log);
        assert!(!run.output("range").contains(&merge));
        assert_eq!(run.output("findings"), "1", "{}", run.log);
        assert!(run.summary.contains("pr.env"), "{}", run.summary);
        assert!(!run.summary.contains("merge.env"), "{}", run.summary);
        assert_eq!(run.status, Some(1));
        run.assert_no_secret(&[&a, &b, &c]);
        export(event, &run, repo.path(), &[&a, &b, &c]);
    }
}

#[test]
#[cfg_attr(
    keyward_no_pyyaml,
    ignore = "needs python3 with PyYAML (pip install pyyaml)"
)]
fn a_merge_group_scans_base_to_head() {
    let script = runner();
    let (repo, [_, c2, _, merge], [a, b, c]) = pull_request_repo(150);
    let run = run_action(
        &script,
        repo.path(),
        "merge_group",
        json!({"merge_group": {"base_sha": c2, "head_sha": merge}}),
        &[("fail-on-findings", "false")],
    );
    assert_eq!(run.output("range"), format!("{c2}..{merge}"));
    // The queued pull request's commit and the merge commit itself.
    assert_eq!(run.output("findings"), "2", "{}", run.log);
    assert!(!run.summary.contains("main.env"), "{}", run.summary);
    assert_eq!(run.status, Some(0));
    run.assert_no_secret(&[&a, &b, &c]);
    export("merge-group", &run, repo.path(), &[&a, &b, &c]);
}

#[test]
#[cfg_attr(
    keyward_no_pyyaml,
    ignore = "needs python3 with PyYAML (pip install pyyaml)"
)]
fn scheduled_and_manual_runs_scan_the_whole_history() {
    let script = runner();
    let l = linear(160);
    for event in ["schedule", "workflow_dispatch"] {
        let run = run_action(&script, l.repo.path(), event, json!({}), &[]);
        assert_eq!(run.output("range"), "", "{event}");
        assert_eq!(run.output("findings"), "2", "{event}: {}", run.log);
        assert_eq!(run.output("exit-code"), "1");
        assert_eq!(run.status, Some(1));
        let sarif: Value = serde_json::from_str(run.sarif.as_deref().unwrap()).unwrap();
        assert_eq!(
            sarif["runs"][0]["automationDetails"]["id"],
            "keyward/history/"
        );
        run.assert_no_secret(&[&l.a, &l.b]);
        export(event, &run, l.repo.path(), &[&l.a, &l.b]);
    }
}

#[test]
#[cfg_attr(
    keyward_no_pyyaml,
    ignore = "needs python3 with PyYAML (pip install pyyaml)"
)]
fn a_shallow_clone_is_refused_with_the_fetch_depth_fix() {
    let script = runner();
    let l = linear(170);
    let dst = tempfile::tempdir().unwrap();
    let url = format!("file://{}", l.repo.path().display());
    git(dst.path(), &["clone", "-q", "--depth", "1", &url, "s"]);
    let run = run_action(
        &script,
        &dst.path().join("s"),
        "push",
        json!({"ref": "refs/heads/main", "before": l.c2, "after": l.c3}),
        &[],
    );
    assert_eq!(run.status, Some(2), "{}", run.log);
    assert!(run.log.contains("fetch-depth: 0"), "{}", run.log);
    assert_eq!(run.output("exit-code"), "2");
    assert!(run.log.contains("skip Upload SARIF"), "{}", run.log);
    run.assert_no_secret(&[&l.a, &l.b]);
}

#[test]
#[cfg_attr(
    keyward_no_pyyaml,
    ignore = "needs python3 with PyYAML (pip install pyyaml)"
)]
fn worktree_mode_and_extra_args() {
    let script = runner();
    let l = linear(180);
    let payload = json!({"ref": "refs/heads/main", "before": l.c2, "after": l.c3});
    let run = run_action(
        &script,
        l.repo.path(),
        "push",
        payload.clone(),
        &[("mode", "worktree"), ("fail-on-findings", "false")],
    );
    assert_eq!(run.output("range"), "");
    assert_eq!(run.output("findings"), "2", "{}", run.log);
    run.assert_no_secret(&[&l.a, &l.b]);

    export("worktree", &run, l.repo.path(), &[&l.a, &l.b]);
    // extra-args are split into words: here every key file is too large to scan.
    let run = run_action(
        &script,
        l.repo.path(),
        "push",
        payload.clone(),
        &[("extra-args", "--max-file-size\t10 ")],
    );
    assert_eq!(run.output("findings"), "0", "{}", run.log);
    assert_eq!(run.status, Some(0), "{}", run.log);
    assert!(run.log.contains("--max-file-size"), "{}", run.log);

    // Whole secrets are never written.
    let run = run_action(
        &script,
        l.repo.path(),
        "push",
        payload.clone(),
        &[("extra-args", "--no-redact")],
    );
    assert_eq!(run.status, Some(2), "{}", run.log);
    assert!(run.log.contains("--no-redact is refused"), "{}", run.log);
    run.assert_no_secret(&[&l.a, &l.b]);

    // A bad input is named.
    let run = run_action(&script, l.repo.path(), "push", payload, &[("mode", "fast")]);
    assert_eq!(run.status, Some(2));
    assert!(
        run.log.contains("mode must be auto, full or worktree"),
        "{}",
        run.log
    );
}

#[test]
#[cfg_attr(
    keyward_no_pyyaml,
    ignore = "needs python3 with PyYAML (pip install pyyaml)"
)]
fn a_repository_below_the_workspace() {
    let script = runner();
    let l = linear(190);
    let ws = tempfile::tempdir().unwrap();
    let src = l.repo.path().to_str().unwrap();
    git(ws.path(), &["clone", "-q", src, "checkout"]);
    let (ws, name) = (ws.path(), "checkout");
    let payload = json!({"ref": "refs/heads/main", "before": l.c2, "after": l.c3});
    for mode in ["auto", "worktree"] {
        let run = run_action(
            &script,
            ws,
            "push",
            payload.clone(),
            &[
                ("path", name),
                ("mode", mode),
                ("fail-on-findings", "false"),
            ],
        );
        let want = if mode == "auto" { "1" } else { "2" };
        assert_eq!(run.output("findings"), want, "{mode}: {}", run.log);
        let sarif: Value = serde_json::from_str(run.sarif.as_deref().unwrap()).unwrap();
        for r in sarif["runs"][0]["results"].as_array().unwrap() {
            let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap();
            assert!(uri == "new.env" || uri == "old.env", "{mode}: {uri}");
        }
        run.assert_no_secret(&[&l.a, &l.b]);
    }
}

#[test]
#[cfg_attr(
    keyward_no_pyyaml,
    ignore = "needs python3 with PyYAML (pip install pyyaml)"
)]
fn the_config_input_reaches_the_scan() {
    let script = runner();
    let l = linear(170);
    // A configuration outside the repository allowlists old.env: one finding is left.
    let cfg_dir = tempfile::tempdir().unwrap();
    let cfg = cfg_dir.path().join("keyward.toml");
    std::fs::write(&cfg, "[allowlist]\npaths = [\"old.env\"]\n").unwrap();
    let cfg = cfg.display().to_string();
    let run = run_action(
        &script,
        l.repo.path(),
        "workflow_dispatch",
        json!({}),
        &[
            ("config", cfg.as_str()),
            ("extra-args", "--show-suppressed"),
        ],
    );
    assert_eq!(run.output("findings"), "1", "{}", run.log);
    assert_eq!(run.output("exit-code"), "1");
    assert!(
        run.log.contains("1 suppressed (1 allowlist-path"),
        "{}",
        run.log
    );
    assert!(
        run.summary
            .contains("1 finding(s) suppressed (1 allowlist-path)"),
        "{}",
        run.summary
    );
    let sarif: Value = serde_json::from_str(run.sarif.as_deref().unwrap()).unwrap();
    assert_eq!(
        sarif["runs"][0]["properties"]["suppressed"]["allowlist-path"],
        1
    );
    run.assert_no_secret(&[&l.a, &l.b]);
}

/// The release asset the Action downloads on this machine, as the release workflow
/// (`.github/workflows/release.yml`) names it.
fn release_target() -> &'static str {
    match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => "x86_64-unknown-linux-musl",
        ("linux", "aarch64") => "aarch64-unknown-linux-musl",
        ("macos", "x86_64") => "x86_64-apple-darwin",
        ("macos", "aarch64") => "aarch64-apple-darwin",
        (os, arch) => panic!("keyward publishes no release for {os} {arch}"),
    }
}

/// A fake release v1.2.3 laid out as the release workflow publishes it: the archive
/// `keyward-1.2.3-<target>.tar.gz` (holding `keyward-1.2.3-<target>/keyward`, a script
/// that runs the test build) and `SHA256SUMS`; and a `curl` that serves its files and
/// logs each URL asked for. `sums` turns the archive's true SHA256SUMS line into the
/// file's content.
struct FakeRelease {
    dir: tempfile::TempDir,
    asset: String,
    sha256: String,
}

impl FakeRelease {
    fn new(sums: impl Fn(&str) -> String) -> FakeRelease {
        use sha2::{Digest, Sha256};
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let (serve, bin, stage) = (
            dir.path().join("release"),
            dir.path().join("bin"),
            dir.path().join("stage"),
        );
        let name = format!("keyward-1.2.3-{}", release_target());
        for d in [&serve, &bin, &stage.join(&name)] {
            std::fs::create_dir_all(d).unwrap();
        }
        let exe = |path: &Path, text: String| {
            std::fs::write(path, text).unwrap();
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
        };
        exe(
            &stage.join(&name).join("keyward"),
            format!(
                "#!/bin/sh\nexec '{}' \"$@\"\n",
                env!("CARGO_BIN_EXE_keyward")
            ),
        );
        let asset = format!("{name}.tar.gz");
        let status = Command::new("tar")
            .arg("-czf")
            .arg(serve.join(&asset))
            .arg("-C")
            .arg(&stage)
            .arg(&name)
            .status()
            .expect("tar runs");
        assert!(status.success());
        let digest = Sha256::digest(std::fs::read(serve.join(&asset)).unwrap());
        let sha256: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        std::fs::write(
            serve.join("SHA256SUMS"),
            sums(&format!("{sha256}  {asset}\n")),
        )
        .unwrap();
        exe(
            &bin.join("curl"),
            format!(
                r#"#!/bin/sh
# Serves {serve}/<the URL's last part> to -o FILE.
out= url=
while [ $# -gt 0 ]; do
  case "$1" in -o) out=$2; shift 2 ;; -*) shift ;; *) url=$1; shift ;; esac
done
echo "$url" >> '{log}'
f='{serve}'/"${{url##*/}}"
[ -f "$f" ] || exit 22
cp "$f" "$out"
"#,
                serve = serve.display(),
                log = dir.path().join("curl.log").display(),
            ),
        );
        FakeRelease { dir, asset, sha256 }
    }

    fn bin(&self) -> PathBuf {
        self.dir.path().join("bin")
    }

    /// The URLs the Action asked for.
    fn urls(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.path().join("curl.log"))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }
}

#[test]
#[cfg_attr(
    keyward_no_pyyaml,
    ignore = "needs python3 with PyYAML (pip install pyyaml)"
)]
fn the_version_input_downloads_the_release_archive_and_checks_it() {
    let script = runner();
    let l = linear(200);
    let release = FakeRelease::new(|line| format!("{}{line}", "0".repeat(64) + "  other.zip\n"));
    let base = "https://github.com/keyward/keyward/releases/download/v1.2.3";
    let run_with = |inputs: &[(&str, &str)]| {
        run_action_with(
            &script,
            l.repo.path(),
            "push",
            json!({"ref": "refs/heads/main", "before": l.c2, "after": l.c3}),
            inputs,
            None,
            Some(&release.bin()),
        )
    };
    let sha = release.sha256.to_uppercase();
    let run = run_with(&[
        ("version", "v1.2.3"),
        ("sha256", &sha),
        ("mode", "worktree"),
        ("fail-on-findings", "false"),
    ]);
    assert_eq!(run.status, Some(0), "{}", run.log);
    assert_eq!(run.output("findings"), "2", "{}", run.log);
    assert_eq!(
        release.urls(),
        [
            format!("{base}/{}", release.asset),
            format!("{base}/SHA256SUMS")
        ]
    );
    run.assert_no_secret(&[&l.a, &l.b]);

    // A sha256 input the archive does not have stops before anything runs.
    let run = run_with(&[("version", "1.2.3"), ("sha256", &"ab".repeat(32))]);
    assert_eq!(run.status, Some(2), "{}", run.log);
    assert!(
        run.log
            .contains("does not have the SHA-256 of the sha256 input"),
        "{}",
        run.log
    );
    assert_eq!(run.output("exit-code"), "", "{}", run.log);
}

#[test]
#[cfg_attr(
    keyward_no_pyyaml,
    ignore = "needs python3 with PyYAML (pip install pyyaml)"
)]
fn a_release_archive_that_does_not_match_sha256sums_is_refused() {
    let script = runner();
    let l = linear(210);
    let payload = json!({"ref": "refs/heads/main", "before": l.c2, "after": l.c3});
    // SHA256SUMS names the archive with another digest.
    let tampered = FakeRelease::new(|line| format!("{}{}", "0".repeat(64), &line[64..]));
    // SHA256SUMS does not name the archive.
    let unlisted = FakeRelease::new(|line| line.replace(".tar.gz", ".zip"));
    for (release, message) in [
        (&tampered, "does not match SHA256SUMS"),
        (&unlisted, "SHA256SUMS of v1.2.3 does not list"),
    ] {
        let run = run_action_with(
            &script,
            l.repo.path(),
            "push",
            payload.clone(),
            &[("version", "1.2.3")],
            None,
            Some(&release.bin()),
        );
        assert_eq!(run.status, Some(2), "{}", run.log);
        assert!(run.log.contains(message), "{message}: {}", run.log);
        assert_eq!(run.output("exit-code"), "", "{}", run.log);
    }
}
