//! Test harness: run the real binary on temp trees, and build fake keys at run time from
//! the rules' templates (the repository never holds a format-valid key literal).

#![allow(dead_code)]

pub mod audit;

use keyward::rules::template::{expand, expand_key, Context, Rng};
use keyward::rules::{Rule, RuleSet};
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The built-in rules, compiled once per test binary.
pub fn rules() -> &'static RuleSet {
    static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().expect("built-in rules load"))
}

/// A generator seeded from `KEYWARD_TEST_SEED` when set (to reproduce a failure),
/// else from `default`.
pub fn rng(default: u64) -> Rng {
    let seed = std::env::var("KEYWARD_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default);
    Rng::new(seed)
}

/// A fresh fake key for `rule`.
pub fn key_for(rule: &Rule, rng: &mut Rng) -> String {
    let template = rule.spec.key.as_deref().expect("rule has a key template");
    expand_key(template, rule.spec.checksum, rng).expect("key template expands")
}

/// Expand an example-style template (`{key}` draws a key of `rule`).
pub fn text_for(rule: &Rule, template: &str, rng: &mut Rng) -> String {
    let ctx = Context {
        checksum: rule.spec.checksum,
        key_template: rule.spec.key.as_deref(),
    };
    expand(template, ctx, rng).expect("template expands")
}

/// The keyward binary with a clean environment.
pub fn keyward() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_keyward"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    cmd
}

pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("keyward runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Scan `args` in `dir` with `--format json --no-redact` and parse the findings.
pub fn scan_json(dir: &Path, args: &[&str]) -> (Vec<serde_json::Value>, Output) {
    let out = run(keyward()
        .current_dir(dir)
        .arg("scan")
        .args(["-f", "json", "--no-redact"])
        .args(args));
    let findings = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", stdout(&out), stderr(&out)));
    (findings, out)
}

pub fn write(dir: &Path, rel: &str, content: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

pub fn field<'a>(f: &'a serde_json::Value, name: &str) -> &'a str {
    f[name]
        .as_str()
        .unwrap_or_else(|| panic!("finding has no string {name}: {f}"))
}

/// Give `cmd` an environment isolated from the user's and system's git config, with a
/// fixed author.
pub fn isolated(cmd: &mut Command) -> &mut Command {
    cmd.env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Ada Author")
        .env("GIT_AUTHOR_EMAIL", "ada@example.invalid")
        .env("GIT_COMMITTER_NAME", "Ada Author")
        .env("GIT_COMMITTER_EMAIL", "ada@example.invalid")
}

/// git (trusted in tests) in `dir`, isolated, without signing.
pub fn git_command(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.args([
        "-c",
        "init.defaultBranch=main",
        "-c",
        "commit.gpgsign=false",
        "-c",
        "tag.gpgsign=false",
    ])
    .current_dir(dir);
    isolated(&mut cmd);
    cmd
}

/// Run git in `dir` and return its standard output; a failure fails the test.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = git_command(dir).args(args).output().expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A new repository in a temp dir.
pub fn new_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]);
    dir
}

/// Write `files` and commit them with `message` at `date` (ISO 8601); returns the id.
pub fn commit(dir: &Path, files: &[(&str, &str)], message: &str, date: &str) -> String {
    for (rel, content) in files {
        write(dir, rel, content);
        git(dir, &["add", "--", rel]);
    }
    let out = git_command(dir)
        .args(["commit", "-q", "--allow-empty", "-m", message])
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git commit runs");
    assert!(
        out.status.success(),
        "commit failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    git(dir, &["rev-parse", "HEAD"])
}

/// `keyward history` with JSON output.
pub fn history_json(dir: &Path, args: &[&str]) -> (Vec<serde_json::Value>, Output) {
    let out = run(keyward()
        .current_dir(dir)
        .arg("history")
        .args(["-f", "json", "--no-redact"])
        .args(args));
    let findings = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", stdout(&out), stderr(&out)));
    (findings, out)
}

/// Run `cmd` with `input` on its standard input.
pub fn run_with_stdin(cmd: &mut Command, input: &str) -> Output {
    use std::io::Write;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .expect("stdin is written");
    child.wait_with_output().expect("the command finishes")
}

/// With `KEYWARD_SARIF_OUT` set, keep a SARIF report (its text) with a copy of the
/// repository it describes and the keys it must not contain, so `.ci/run` can run
/// GitHub's validators over it (`validate-sarif.sh --secrets-file … --repo …`).
#[allow(dead_code)]
pub fn export_sarif(name: &str, sarif: &str, repo: &Path, secrets: &[&str]) {
    let Some(out) = std::env::var_os("KEYWARD_SARIF_OUT") else {
        return;
    };
    let dir = Path::new(&out).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("report.sarif"), sarif).unwrap();
    std::fs::write(dir.join("secrets.txt"), secrets.join("\n") + "\n").unwrap();
    let status = Command::new("cp")
        .arg("-a")
        .arg(repo)
        .arg(dir.join("repo"))
        .status()
        .unwrap();
    assert!(status.success());
}

/// Overwrite the compressed data of blob `blob` in the repository's pack with bytes that
/// do not inflate, keeping the first `keep` bytes of its entry (the header).
pub fn damage_packed_blob(dir: &Path, blob: &str, keep: usize) {
    let pack_dir = dir.join(".git/objects/pack");
    let idx = std::fs::read_dir(&pack_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "idx"))
        .expect("the repository has a pack");
    let listing = git(dir, &["verify-pack", "-v", idx.to_str().unwrap()]);
    let fields: Vec<&str> = listing
        .lines()
        .find(|l| l.starts_with(blob))
        .expect("the blob is in the pack")
        .split_whitespace()
        .collect();
    let (in_pack, offset): (usize, usize) =
        (fields[3].parse().unwrap(), fields[4].parse().unwrap());
    let pack = idx.with_extension("pack");
    let mut perms = std::fs::metadata(&pack).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&pack, perms).unwrap();
    let mut bytes = std::fs::read(&pack).unwrap();
    for b in &mut bytes[offset + keep..offset + in_pack] {
        *b = 0x55;
    }
    std::fs::write(&pack, bytes).unwrap();
}
