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
use crate::finding::{self, Finding};
use crate::report::Root;
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

struct Compiled {
    globs: GlobSet,
    glob_text: Vec<String>,
    path_regexes: Vec<Regex>,
    regexes: Vec<Regex>,
    stopwords: Vec<String>,
}

fn compile_regexes(what: &str, field: &str, list: &[String]) -> Result<Vec<Regex>> {
    list.iter()
        .map(|r| Regex::new(r).with_context(|| format!("{what}: {field}: {r:?} is not a regex")))
        .collect()
}

impl Compiled {
    fn new(
        what: &str,
        paths: &[String],
        path_regexes: &[String],
        regexes: &[String],
        stopwords: &[String],
    ) -> Result<Compiled> {
        let mut b = GlobSetBuilder::new();
        for p in paths {
            let glob =
                Glob::new(p).with_context(|| format!("{what}: paths: {p:?} is not a glob"))?;
            b.add(glob);
        }
        let regexes = compile_regexes(what, "regexes", regexes)?;
        let path_regexes = compile_regexes(what, "path_regexes", path_regexes)?;
        Ok(Compiled {
            globs: b
                .build()
                .with_context(|| format!("{what}: the path globs do not compile"))?,
            glob_text: paths.to_vec(),
            path_regexes,
            regexes,
            stopwords: stopwords.iter().map(|s| s.to_lowercase()).collect(),
        })
    }

    fn from_allowlist(what: &str, a: &Allowlist) -> Result<Compiled> {
        Compiled::new(what, &a.paths, &a.path_regexes, &a.regexes, &a.stopwords)
    }

    fn from_rule(what: &str, a: &RuleAllowlist) -> Result<Compiled> {
        Compiled::new(what, &a.paths, &a.path_regexes, &a.regexes, &a.stopwords)
    }

    fn check(&self, path: &str, secret: &str) -> Option<(Reason, String)> {
        if let Some(&i) = self.globs.matches(path).first() {
            return Some((Reason::AllowlistPath, self.glob_text[i].clone()));
        }
        if let Some(r) = self.path_regexes.iter().find(|r| r.is_match(path)) {
            return Some((Reason::AllowlistPath, r.as_str().to_string()));
        }
        if let Some(r) = self.regexes.iter().find(|r| r.is_match(secret)) {
            return Some((Reason::AllowlistRegex, r.as_str().to_string()));
        }
        let lower = secret.to_lowercase();
        self.stopwords
            .iter()
            .find(|w| lower.contains(w.as_str()))
            .map(|w| (Reason::AllowlistStopword, w.clone()))
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
    pub fn load(path: &Path) -> Result<Baseline> {
        let text = std::fs::read_to_string(path).with_context(|| {
            format!(
                "cannot read the baseline {} (create one with `keyward baseline create -o {}`)",
                path.display(),
                path.display()
            )
        })?;
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
                    "{}:{}: expected `rule-id<TAB>secret-hash<TAB>path`, got {line:?}",
                    path.display(),
                    n + 1
                );
            };
            if hash.len() != 32 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
                bail!(
                    "{}:{}: {hash:?} is not a secret hash (32 hex digits)",
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
    pub fn load(path: &Path) -> Result<IgnoreFile> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let mut entries = BTreeMap::new();
        for (n, line) in text.lines().enumerate() {
            let body = line.split('#').next().unwrap_or_default().trim();
            if body.is_empty() {
                continue;
            }
            if body.len() != 16 || !body.bytes().all(|b| b.is_ascii_hexdigit()) {
                bail!(
                    "{}:{}: {body:?} is not a fingerprint (16 hex digits, as every output prints them)",
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
                Compiled::from_rule(&format!("{source}: [allowlist.rules.{id}]"), a)?,
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
            global: Compiled::from_allowlist(&format!("{source}: [allowlist]"), &config.allowlist)?,
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
            global: Compiled::new("", &[], &[], &[], &[]).expect("an empty allowlist compiles"),
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
            if let Some(line) = ignore.entries.get(&f.fingerprint) {
                self.ignore_used.insert(f.fingerprint.clone());
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
