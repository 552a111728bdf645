//! Helpers shared by keyward's fuzz targets and the seed generator
//! (`examples/seed.rs`): the built-in rules compiled once, a scratch file per process,
//! the checks every finding must pass, and a small git repository with fixed commit ids
//! for the GitHub event target.

use keyward::finding::Finding;
use keyward::pipeline::BlobOutcome;
use keyward::rules::RuleSet;
use keyward::scan::{decode, Decoded};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The built-in rules, compiled once per process.
pub fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().expect("the built-in rules load"))
}

/// A file that holds one input at a time: written, read by the code under test, then
/// removed by [`Scratch::drop`], so a run leaves nothing behind.
pub struct Scratch(PathBuf);

impl Scratch {
    pub fn write(name: &str, bytes: &[u8]) -> Scratch {
        let path = std::env::temp_dir().join(format!(
            "keyward-fuzz-{}-{name}",
            std::process::id()
        ));
        std::fs::write(&path, bytes).expect("the scratch file can be written");
        Scratch(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// What every finding of a scan of `input` must satisfy: 1-based positions, an end
/// that does not come before the start, a start line inside the text, a non-empty
/// secret and a well-formed fingerprint.
pub fn check_findings(input: &[u8], outcome: &BlobOutcome) {
    let text = match decode(input) {
        Decoded::Binary => {
            assert!(outcome.binary, "a binary blob was scanned");
            assert!(outcome.findings.is_empty() && outcome.inline.is_empty());
            return;
        }
        Decoded::Text(t) => t,
    };
    assert!(!outcome.binary, "a text blob was reported as binary");
    let lines = memchr_count(&text) + 1;
    for f in outcome.findings.iter().chain(&outcome.inline) {
        check_finding(f, lines);
    }
}

fn memchr_count(text: &[u8]) -> usize {
    text.iter().filter(|&&b| b == b'\n').count()
}

fn check_finding(f: &Finding, lines: usize) {
    let at = format!(
        "{} at {}:{}-{}:{} (utf-16 columns {}-{})",
        f.rule_id, f.line, f.column, f.end_line, f.end_column, f.column_utf16, f.end_column_utf16
    );
    assert!(f.line >= 1 && f.column >= 1 && f.column_utf16 >= 1, "{at}");
    assert!(f.end_line >= 1 && f.end_column >= 1 && f.end_column_utf16 >= 1, "{at}");
    assert!(f.line <= lines && f.end_line <= lines, "{at}: past the last line {lines}");
    assert!(f.end_line >= f.line, "{at}: ends before it starts");
    if f.end_line == f.line {
        assert!(f.end_column >= f.column, "{at}: ends before it starts");
        assert!(f.end_column_utf16 >= f.column_utf16, "{at}: ends before it starts");
    }
    assert!(!f.secret.expose().is_empty(), "{at}: empty secret");
    assert!(
        f.fingerprint.len() == 16 && f.fingerprint.bytes().all(|b| b.is_ascii_hexdigit()),
        "{at}: fingerprint {:?}",
        f.fingerprint
    );
}

/// A small repository for `keyward::github::plan`, made once with git and reused by
/// every run (its commit ids are fixed, so seeds can name them):
///
/// ```text
/// main:    c1 - c2 - c3            refs/remotes/origin/main, origin/HEAD -> origin/main
///                 \
/// feature:         c4              refs/remotes/origin/feature
/// orphan:  c5 (no common ancestor) refs/heads/orphan only
/// tags:    v1 (annotated, on c2), blob (a blob, not a commit)
/// ```
pub struct EventRepo {
    pub path: PathBuf,
    /// Name (`c1`…`c5`, `tree`, `blob`, `v1`) -> object id.
    pub ids: BTreeMap<&'static str, String>,
}

pub fn event_repo() -> &'static EventRepo {
    static REPO: OnceLock<EventRepo> = OnceLock::new();
    REPO.get_or_init(|| {
        let path = std::env::temp_dir().join("keyward-fuzz-event-repo-v1");
        if !path.join(".git").join("keyward-fuzz-ready").is_file() {
            let tmp = std::env::temp_dir().join(format!(
                "keyward-fuzz-event-repo-v1.{}",
                std::process::id()
            ));
            let _ = std::fs::remove_dir_all(&tmp);
            make_event_repo(&tmp);
            // Another process may have won the race; its repository is the same.
            if std::fs::rename(&tmp, &path).is_err() {
                let _ = std::fs::remove_dir_all(&tmp);
            }
        }
        let mut ids = BTreeMap::new();
        for (name, rev) in [
            ("c1", "main~2"),
            ("c2", "main~1"),
            ("c3", "main"),
            ("c4", "feature"),
            ("c5", "orphan"),
            ("tree", "main^{tree}"),
            ("blob", "blob"),
            ("v1", "v1"),
        ] {
            ids.insert(name, git(&path, &["rev-parse", rev]).trim().to_string());
        }
        EventRepo { path, ids }
    })
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Fuzz")
        .env("GIT_AUTHOR_EMAIL", "fuzz@keyward.invalid")
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_NAME", "Fuzz")
        .env("GIT_COMMITTER_EMAIL", "fuzz@keyward.invalid")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("git prints UTF-8")
}

fn make_event_repo(dir: &Path) {
    std::fs::create_dir_all(dir).expect("the repository directory can be made");
    git(dir, &["init", "-q", "-b", "main"]);
    let commit = |n: &str| {
        std::fs::write(dir.join("file.txt"), format!("version {n}\n")).unwrap();
        git(dir, &["add", "file.txt"]);
        git(dir, &["commit", "-q", "-m", &format!("commit {n}")]);
    };
    commit("1");
    commit("2");
    git(dir, &["tag", "-a", "v1", "-m", "tag v1"]);
    git(dir, &["branch", "feature"]);
    commit("3");
    git(dir, &["checkout", "-q", "feature"]);
    commit("4");
    git(dir, &["checkout", "-q", "--orphan", "orphan"]);
    commit("5");
    git(dir, &["checkout", "-q", "main"]);
    let blob = git(dir, &["rev-parse", "main:file.txt"]);
    git(dir, &["update-ref", "refs/tags/blob", blob.trim()]);
    for b in ["main", "feature"] {
        let id = git(dir, &["rev-parse", b]);
        git(dir, &["update-ref", &format!("refs/remotes/origin/{b}"), id.trim()]);
    }
    git(
        dir,
        &["symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main"],
    );
    std::fs::write(dir.join(".git").join("keyward-fuzz-ready"), "").unwrap();
}
