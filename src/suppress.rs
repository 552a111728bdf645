//! Suppression: findings left out on purpose, and why. A disabled rule, a config
//! allowlist (path glob, regex or stopword, global or per rule), a `.keywardignore`
//! entry, a baseline entry, or an inline `keyward:allow` comment each suppress a finding;
//! every suppressed finding is counted by reason, and `--show-suppressed` lists them, so
//! a change to the configuration in the scanned repository cannot hide a leak silently.
//!
//! Baseline and ignore entries never name a line or a commit: a baseline entry is the
//! rule id, a keyed hash of the secret and the path; an ignore entry is a fingerprint
//! (rule id, path and secret). Moving code or rebasing keeps them valid, and another
//! secret on the same line is still reported.

use crate::config::{Allowlist, Config, RuleAllowlist};
use crate::finding::Root;
use crate::finding::{self, Finding};
use crate::rules::{RuleSet, Severity};
use anyhow::{bail, Context as _, Result};
use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Why a finding was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    InlineComment,
    DisabledRule,
    AllowlistPath,
    AllowlistRegex,
    AllowlistStopword,
    IgnoreFile,
    Baseline,
    /// `staged`: the secret is already in HEAD's version of the file.
    AlreadyInHead,
    /// A generic (low-confidence) value found in many files of the scan: a sample.
    RepeatedValue,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::InlineComment => "inline-comment",
            Reason::DisabledRule => "disabled-rule",
            Reason::AllowlistPath => "allowlist-path",
            Reason::AllowlistRegex => "allowlist-regex",
            Reason::AllowlistStopword => "allowlist-stopword",
            Reason::IgnoreFile => "ignore-file",
            Reason::Baseline => "baseline",
            Reason::AlreadyInHead => "already-in-head",
            Reason::RepeatedValue => "repeated-value",
        }
    }

    /// In-source suppressions (SARIF `kind: inSource`) against external ones.
    pub fn in_source(self) -> bool {
        self == Reason::InlineComment
    }
}

/// A finding that was left out.
#[derive(Debug, Clone)]
pub struct Suppressed {
    pub finding: Finding,
    pub reason: Reason,
    /// What matched: the glob, the regex, the entry's line.
    pub detail: String,
}

/// Counts of suppressed findings by reason, in reason order.
pub fn counts(suppressed: &[Suppressed]) -> BTreeMap<Reason, usize> {
    let mut out = BTreeMap::new();
    for s in suppressed {
        *out.entry(s.reason).or_default() += 1;
    }
    out
}

/// `2 baseline, 1 inline-comment` for a summary line.
pub fn describe_counts(suppressed: &[Suppressed]) -> String {
    counts(suppressed)
        .into_iter()
        .map(|(r, n)| format!("{n} {}", r.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

struct Compiled {
    globs: GlobSet,
    glob_text: Vec<String>,
    path_regexes: Vec<Regex>,
    regexes: Vec<Regex>,
    stopwords: Vec<String>,
    /// How each path regex, regex and stopword is named in a suppression's detail: an
    /// entry may hold the very secret it allows, so it is shown redacted.
    shown_path_regexes: Vec<String>,
    shown_regexes: Vec<String>,
    shown_stopwords: Vec<String>,
}

fn compile_regexes(what: &str, field: &str, list: &[String]) -> Result<Vec<Regex>> {
    list.iter()
        .enumerate()
        .map(|(n, r)| {
            Regex::new(r).map_err(|e| {
                anyhow::anyhow!(
                    "{what}: {field}: entry {} is not a regex: {}",
                    n + 1,
                    crate::parse_error::regex_crate_error(r, &e)
                )
            })
        })
        .collect()
}

impl Compiled {
    fn new(
        what: &str,
        paths: &[String],
        path_regexes: &[String],
        regexes: &[String],
        stopwords: &[String],
        rules: Option<&RuleSet>,
    ) -> Result<Compiled> {
        let shown = |list: &[String]| -> Vec<String> {
            list.iter()
                .map(|t| match rules {
                    Some(r) => crate::scan::redact::redact_text(r, t),
                    None => t.clone(),
                })
                .collect()
        };
        let stopwords: Vec<String> = stopwords.iter().map(|s| s.to_lowercase()).collect();
        let (shown_path_regexes, shown_regexes) = (shown(path_regexes), shown(regexes));
        let mut b = GlobSetBuilder::new();
        for (n, p) in paths.iter().enumerate() {
            let glob = Glob::new(p).map_err(|e| {
                anyhow::anyhow!("{what}: paths: entry {} is not a glob: {}", n + 1, e.kind())
            })?;
            b.add(glob);
        }
        let regexes = compile_regexes(what, "regexes", regexes)?;
        let path_regexes = compile_regexes(what, "path_regexes", path_regexes)?;
        Ok(Compiled {
            globs: b
                .build()
                .with_context(|| format!("{what}: the path globs do not compile"))?,
            glob_text: shown(paths),
            path_regexes,
            regexes,
            shown_path_regexes,
            shown_regexes,
            shown_stopwords: shown(&stopwords),
            stopwords,
        })
    }

    fn from_allowlist(what: &str, a: &Allowlist, rules: &RuleSet) -> Result<Compiled> {
        let (p, pr, r, s) = (&a.paths, &a.path_regexes, &a.regexes, &a.stopwords);
        Compiled::new(what, p, pr, r, s, Some(rules))
    }

    fn from_rule(what: &str, a: &RuleAllowlist, rules: &RuleSet) -> Result<Compiled> {
        let (p, pr, r, s) = (&a.paths, &a.path_regexes, &a.regexes, &a.stopwords);
        Compiled::new(what, p, pr, r, s, Some(rules))
    }

    fn check(&self, path: &str, secret: &str) -> Option<(Reason, String)> {
        if let Some(&i) = self.globs.matches(path).first() {
            return Some((Reason::AllowlistPath, self.glob_text[i].clone()));
        }
        if let Some(i) = self.path_regexes.iter().position(|r| r.is_match(path)) {
            return Some((Reason::AllowlistPath, self.shown_path_regexes[i].clone()));
        }
        if let Some(i) = self.regexes.iter().position(|r| r.is_match(secret)) {
            return Some((Reason::AllowlistRegex, self.shown_regexes[i].clone()));
        }
        let lower = secret.to_lowercase();
        self.stopwords
            .iter()
            .position(|w| lower.contains(w.as_str()))
            .map(|i| (Reason::AllowlistStopword, self.shown_stopwords[i].clone()))
    }
}

/// A baseline entry: what a reviewed finding is, without its line or commit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Entry {
    pub rule_id: String,
    pub secret_hash: String,
    pub path: String,
}

impl Entry {
    pub fn of(f: &Finding, path: &str) -> Entry {
        Entry {
            rule_id: f.rule_id.clone(),
            secret_hash: finding::secret_hash(f.secret.expose()),
            path: path.to_string(),
        }
    }
}

/// The header of a baseline file.
pub const BASELINE_HEADER: &str = "# keyward baseline: reviewed findings, one per line: rule id, keyed secret hash, path (tab-separated).\n# Made by `keyward baseline create`; `keyward baseline prune` drops entries that match nothing. Sorted, so it merges cleanly.\n";

/// A baseline file.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    pub path: PathBuf,
    pub entries: Vec<Entry>,
}

impl Baseline {
    /// Read the baseline at `path`: one the user named (`repository` is `None`: links
    /// are followed), or one found in the repository at `repository` (a link out of it
    /// is refused). Either must be a regular file of at most 1 MiB.
    pub fn load(path: &Path, repository: Option<&Path>) -> Result<Baseline> {
        let read = match repository {
            Some(root) => crate::repofile::read_repository_file(root, path),
            None => crate::repofile::read_user_file(path),
        }
        .and_then(|b| crate::repofile::text(path, b));
        let text = match read {
            Ok(t) => t,
            Err(e) if e.is_missing() => bail!(
                "cannot read the baseline {} (create one with `keyward baseline create -o {}`)",
                path.display(),
                path.display()
            ),
            Err(e) => bail!("cannot read the baseline: {e}"),
        };
        let mut entries = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.splitn(3, '\t');
            let (Some(rule_id), Some(hash), Some(p)) = (parts.next(), parts.next(), parts.next())
            else {
                bail!(
                    "{}:{}: expected `rule-id<TAB>secret-hash<TAB>path` (three fields separated by tabs), found {} field(s)",
                    path.display(),
                    n + 1,
                    line.split('\t').count().min(2)
                );
            };
            if hash.len() != 32 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
                bail!(
                    "{}:{}: the second field is not a secret hash (expected 32 hex digits)",
                    path.display(),
                    n + 1
                );
            }
            entries.push(Entry {
                rule_id: rule_id.to_string(),
                secret_hash: hash.to_ascii_lowercase(),
                path: p.to_string(),
            });
        }
        Ok(Baseline {
            path: path.to_path_buf(),
            entries,
        })
    }

    /// The file's text: header, then the entries sorted and without duplicates.
    pub fn render(entries: &[Entry]) -> String {
        let set: BTreeSet<&Entry> = entries.iter().collect();
        let mut out = BASELINE_HEADER.to_string();
        for e in set {
            out.push_str(&format!("{}\t{}\t{}\n", e.rule_id, e.secret_hash, e.path));
        }
        out
    }
}

/// `.keywardignore`: fingerprints, one per line, each with an optional `# comment`.
#[derive(Debug, Clone, Default)]
pub struct IgnoreFile {
    pub path: PathBuf,
    /// Fingerprint -> line number.
    pub entries: BTreeMap<String, usize>,
}

/// The ignore file's name at the repository root.
pub const IGNORE_FILE: &str = ".keywardignore";

impl IgnoreFile {
    /// Read the ignore file at `path`: one the user named (`repository` is `None`), or
    /// the one found in the repository at `repository` (a link out of it is refused).
    pub fn load(path: &Path, repository: Option<&Path>) -> Result<IgnoreFile> {
        let text = match repository {
            Some(root) => crate::repofile::read_repository_file(root, path),
            None => crate::repofile::read_user_file(path),
        }
        .and_then(|b| crate::repofile::text(path, b))
        .map_err(|e| anyhow::anyhow!("cannot read the ignore file: {e}"))?;
        let mut entries = BTreeMap::new();
        for (n, line) in text.lines().enumerate() {
            let body = line.split('#').next().unwrap_or_default().trim();
            if body.is_empty() {
                continue;
            }
            if body.len() != 16 || !body.bytes().all(|b| b.is_ascii_hexdigit()) {
                bail!(
                    "{}:{}: not a fingerprint (expected 16 hex digits, as every output prints them, then an optional `# comment`)",
                    path.display(),
                    n + 1
                );
            }
            entries.insert(body.to_ascii_lowercase(), n + 1);
        }
        Ok(IgnoreFile {
            path: path.to_path_buf(),
            entries,
        })
    }
}

/// Everything that can leave a finding out, ready to apply.
pub struct Filter {
    disabled: HashSet<String>,
    severity: HashMap<String, Severity>,
    global: Compiled,
    per_rule: HashMap<String, Compiled>,
    pub baseline: Option<Baseline>,
    baseline_used: HashSet<usize>,
    pub ignore: Option<IgnoreFile>,
    ignore_used: HashSet<String>,
}

impl Filter {
    /// Build from the configuration (rule ids are checked against `rules`).
    pub fn new(
        config: &Config,
        rules: &RuleSet,
        baseline: Option<Baseline>,
        ignore: Option<IgnoreFile>,
    ) -> Result<Filter> {
        let source = config
            .source
            .as_ref()
            .map_or("the configuration".to_string(), |p| p.display().to_string());
        let known = |id: &str| {
            rules
                .rules
                .iter()
                .any(|r| r.id() == id || r.variants.iter().any(|v| v.id == id))
        };
        for id in config
            .rules
            .disable
            .iter()
            .chain(config.rules.severity.keys())
            .chain(config.allowlist.rules.keys())
        {
            if !known(id) {
                bail!("{source}: no rule has the id {id:?} (see `keyward rules list`)");
            }
        }
        let mut per_rule = HashMap::new();
        for (id, a) in &config.allowlist.rules {
            per_rule.insert(
                id.clone(),
                Compiled::from_rule(&format!("{source}: [allowlist.rules.{id}]"), a, rules)?,
            );
        }
        Ok(Filter {
            disabled: config.rules.disable.iter().cloned().collect(),
            severity: config
                .rules
                .severity
                .iter()
                .map(|(k, v)| (k.clone(), *v))
                .collect(),
            global: Compiled::from_allowlist(
                &format!("{source}: [allowlist]"),
                &config.allowlist,
                rules,
            )?,
            per_rule,
            baseline,
            baseline_used: HashSet::new(),
            ignore,
            ignore_used: HashSet::new(),
        })
    }

    /// A filter that leaves everything in.
    pub fn none() -> Filter {
        Filter {
            disabled: HashSet::new(),
            severity: HashMap::new(),
            global: Compiled::new("", &[], &[], &[], &[], None)
                .expect("an empty allowlist compiles"),
            per_rule: HashMap::new(),
            baseline: None,
            baseline_used: HashSet::new(),
            ignore: None,
            ignore_used: HashSet::new(),
        }
    }

    fn reason(&mut self, f: &Finding, path: &str) -> Option<(Reason, String)> {
        if self.disabled.contains(&f.rule_id) {
            return Some((Reason::DisabledRule, f.rule_id.clone()));
        }
        let secret = f.secret.expose();
        if let Some(r) = self
            .per_rule
            .get(&f.rule_id)
            .and_then(|c| c.check(path, secret))
        {
            return Some((r.0, format!("[allowlist.rules.{}] {}", f.rule_id, r.1)));
        }
        if let Some(r) = self.global.check(path, secret) {
            return Some((r.0, format!("[allowlist] {}", r.1)));
        }
        if let Some(ignore) = &self.ignore {
            // The printed fingerprint, or an older form of it (see
            // `finding::accepted_fingerprints`).
            let hit = std::iter::once(f.fingerprint.clone())
                .chain(finding::accepted_fingerprints(&f.rule_id, path, secret))
                .find_map(|fp| ignore.entries.get(&fp).map(|&line| (fp, line)));
            if let Some((fp, line)) = hit {
                self.ignore_used.insert(fp);
                return Some((
                    Reason::IgnoreFile,
                    format!("{}:{line}", ignore.path.display()),
                ));
            }
        }
        if let Some(b) = &self.baseline {
            let hash = finding::secret_hash(secret);
            let hit = b
                .entries
                .iter()
                .position(|e| e.rule_id == f.rule_id && e.secret_hash == hash && e.path == path);
            if let Some(i) = hit {
                self.baseline_used.insert(i);
                return Some((Reason::Baseline, b.path.display().to_string()));
            }
        }
        None
    }

    /// Split `findings` into those to report (with severities overridden) and those
    /// left out. `root` makes paths repository-relative for globs and the baseline.
    pub fn apply(
        &mut self,
        findings: Vec<Finding>,
        root: &Root,
    ) -> (Vec<Finding>, Vec<Suppressed>) {
        self.apply_with(findings, &|p| root.relative(p))
    }

    /// [`Filter::apply`] with the repository-relative path of each finding from `rel`.
    pub fn apply_with(
        &mut self,
        findings: Vec<Finding>,
        rel: &dyn Fn(&str) -> String,
    ) -> (Vec<Finding>, Vec<Suppressed>) {
        let mut kept = Vec::with_capacity(findings.len());
        let mut left = Vec::new();
        for mut f in findings {
            let path = rel(&f.path);
            match self.reason(&f, &path) {
                Some((reason, detail)) => left.push(Suppressed {
                    finding: f,
                    reason,
                    detail,
                }),
                None => {
                    if let Some(&s) = self.severity.get(&f.rule_id) {
                        f.severity = s;
                    }
                    kept.push(f);
                }
            }
        }
        (kept, left)
    }

    /// Baseline entries that matched no finding.
    pub fn unused_baseline(&self) -> Vec<&Entry> {
        self.baseline.as_ref().map_or_else(Vec::new, |b| {
            b.entries
                .iter()
                .enumerate()
                .filter(|(i, _)| !self.baseline_used.contains(i))
                .map(|(_, e)| e)
                .collect()
        })
    }

    /// Ignore-file entries (fingerprint, line) that matched no finding.
    pub fn unused_ignores(&self) -> Vec<(&str, usize)> {
        self.ignore.as_ref().map_or_else(Vec::new, |i| {
            i.entries
                .iter()
                .filter(|(fp, _)| !self.ignore_used.contains(*fp))
                .map(|(fp, l)| (fp.as_str(), *l))
                .collect()
        })
    }
}
