//! `keyward.toml` (or `.keyward.toml`) at the repository root, or `--config FILE`.
//!
//! Every table and key is known: an unknown one is an error that names it and its line,
//! so a typo never silently turns a setting off.
//!
//! ```toml
//! [rules]
//! builtin = true             # false: only the custom rules below
//! disable = ["generic-password"]
//! [rules.severity]           # change a rule's severity
//! generic-api-key = "low"
//!
//! [[rule]]                   # a custom rule: the schema of rules/*.toml
//! id = "acme-internal-token"
//! # …
//!
//! [allowlist]                # findings to leave out (counted as suppressed)
//! paths = ["tests/fixtures/**"]      # globs on the repository-relative path
//! regexes = ["^AKIAIOSFODNN7"]        # on the secret
//! stopwords = ["example"]            # in the secret, any case
//! [allowlist.rules.generic-api-key]  # the same, for one rule
//! paths = ["docs/**"]
//!
//! [scan]
//! max_file_size = "10M"
//!
//! [rotation]
//! high = 90          # days, for high-sensitivity keys (OpenAI, Anthropic, AWS, …)
//! medium = 180
//! low = 365
//! warn_days = 14     # warn when a rotation is due this soon
//!
//! [rotation.keys]    # a period for one key name
//! OPENAI_API_KEY = 30
//!
//! [rotation.last_rotated]   # a rotation record kept here instead of .key_rotation_dates.json
//! OPENAI_API_KEY = "2026-10-01"
//!
//! [[attest]]         # a manual checklist item, attested
//! check = "incident-response"
//! by = "Dana (security lead)"
//! date = "2026-09-01"
//! note = "runbook: docs/incident-response.md"
//! valid_days = 365   # default 365
//! ```

use crate::rules::{RuleSpec, Severity};
use anyhow::Result;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The names looked for at the repository root, in order.
pub const FILE_NAMES: [&str; 2] = ["keyward.toml", ".keyward.toml"];

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub rules: RulesConfig,
    /// Custom rules, in the schema of `rules/*.toml`.
    #[serde(default)]
    pub rule: Vec<RuleSpec>,
    #[serde(default)]
    pub allowlist: Allowlist,
    #[serde(default)]
    pub scan: ScanConfig,
    #[serde(default)]
    pub rotation: Rotation,
    #[serde(default)]
    pub attest: Vec<Attestation>,
    /// Where the configuration was read from (not part of the file).
    #[serde(skip)]
    pub source: Option<PathBuf>,
    /// The user named it (`--config`), rather than the scanned repository supplying it.
    #[serde(skip)]
    pub user_supplied: bool,
}

/// Which rules run, and how severe their findings are.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    /// Use the built-in rules (false: only the custom `[[rule]]`s).
    #[serde(default = "yes")]
    pub builtin: bool,
    /// Rule (or variant) ids whose findings are suppressed (and counted).
    #[serde(default)]
    pub disable: Vec<String>,
    /// Rule (or variant) id -> severity.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
}

impl Default for RulesConfig {
    fn default() -> Self {
        RulesConfig {
            builtin: true,
            disable: Vec::new(),
            severity: BTreeMap::new(),
        }
    }
}

fn yes() -> bool {
    true
}

/// Findings to leave out: by path, by a regex on the secret, or by a word in it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Allowlist {
    /// Globs on the repository-relative path (`tests/fixtures/**`, `**/*.snap`).
    #[serde(default)]
    pub paths: Vec<String>,
    /// Regexes on the repository-relative path.
    #[serde(default)]
    pub path_regexes: Vec<String>,
    /// Regexes matched against the secret.
    #[serde(default)]
    pub regexes: Vec<String>,
    /// Words that, anywhere in the secret (any case), mark it as not a secret.
    #[serde(default)]
    pub stopwords: Vec<String>,
    /// The same, for one rule id each.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleAllowlist>,
}

/// An allowlist for one rule.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleAllowlist {
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub path_regexes: Vec<String>,
    #[serde(default)]
    pub regexes: Vec<String>,
    #[serde(default)]
    pub stopwords: Vec<String>,
}

impl RuleAllowlist {
    /// Add `other`'s entries to these.
    pub fn absorb(&mut self, other: RuleAllowlist) {
        self.paths.extend(other.paths);
        self.path_regexes.extend(other.path_regexes);
        self.regexes.extend(other.regexes);
        self.stopwords.extend(other.stopwords);
    }
}

/// Scan settings (command-line options win).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScanConfig {
    /// Skip files larger than this (`50M`, `1G`, bytes).
    #[serde(default)]
    pub max_file_size: Option<String>,
}

/// The rotation policy, and a rotation record.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rotation {
    #[serde(default = "high")]
    pub high: u32,
    #[serde(default = "medium")]
    pub medium: u32,
    #[serde(default = "low")]
    pub low: u32,
    #[serde(default = "warn_days")]
    pub warn_days: u32,
    /// Periods for single key names (days).
    #[serde(default)]
    pub keys: BTreeMap<String, u32>,
    /// When each key was last rotated (`YYYY-MM-DD`).
    #[serde(default)]
    pub last_rotated: BTreeMap<String, String>,
}

fn high() -> u32 {
    90
}
fn medium() -> u32 {
    180
}
fn low() -> u32 {
    365
}
fn warn_days() -> u32 {
    14
}

impl Default for Rotation {
    fn default() -> Self {
        Rotation {
            high: high(),
            medium: medium(),
            low: low(),
            warn_days: warn_days(),
            keys: BTreeMap::new(),
            last_rotated: BTreeMap::new(),
        }
    }
}

/// Someone vouches that a manual checklist item is in place.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Attestation {
    /// The checklist item's id.
    pub check: String,
    pub by: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    #[serde(default)]
    pub note: String,
    /// After this many days the attestation lapses and the item is a warning again.
    #[serde(default = "attest_days")]
    pub valid_days: u32,
}

fn attest_days() -> u32 {
    365
}

impl Config {
    /// Parse `text` (read from `path`, for messages).
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let table: toml::Table = toml::from_str(text)
            .map_err(|e| anyhow::anyhow!(crate::parse_error::toml_error(path, text, &e)))?;
        crate::rules::fields::check_rule_tables(&path.display().to_string(), table.get("rule"))
            .map_err(anyhow::Error::msg)?;
        let mut config: Config = toml::from_str(text)
            .map_err(|e| anyhow::anyhow!(crate::parse_error::toml_error(path, text, &e)))?;
        let classes = [
            ("high", config.rotation.high),
            ("medium", config.rotation.medium),
            ("low", config.rotation.low),
        ];
        for (name, days) in config
            .rotation
            .keys
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .chain(classes)
        {
            if days == 0 {
                anyhow::bail!(
                    "{}: [rotation] {name} = 0: a rotation period is a number of days, at least 1",
                    path.display()
                );
            }
        }
        config.source = Some(path.to_path_buf());
        Ok(config)
    }

    /// Read `explicit`, or the first of [`FILE_NAMES`] in `root`, or nothing.
    pub fn load(root: &Path, explicit: Option<&Path>) -> Result<Config> {
        match explicit {
            Some(p) => Ok(Config::parse(&read_user_config(p)?, p)?.user_supplied()),
            None => match read_repository_config(root)? {
                Some((path, text)) => Config::parse(&text, &path),
                None => Ok(Config::default()),
            },
        }
    }

    /// Was this configuration found in the scanned repository (rather than named with
    /// `--config`)?
    pub fn from_repository(&self) -> bool {
        self.source.is_some() && !self.user_supplied
    }
}

/// The text of a configuration file the user named (`--config`): links are followed;
/// it must be a regular file of at most 1 MiB.
pub fn read_user_config(path: &Path) -> Result<String> {
    let bytes = crate::repofile::read_user_file(path)
        .map_err(|e| anyhow::anyhow!("cannot read the configuration: {e}"))?;
    Ok(crate::repofile::text(path, bytes)?)
}

/// The first of [`FILE_NAMES`] in the repository at `root`, and its text: a link out
/// of the repository, a file that is not regular, or one over 1 MiB is an error.
pub fn read_repository_config(root: &Path) -> Result<Option<(PathBuf, String)>> {
    for name in FILE_NAMES {
        let path = root.join(name);
        match crate::repofile::read_repository_file(root, &path) {
            Ok(bytes) => return Ok(Some((path.clone(), crate::repofile::text(&path, bytes)?))),
            Err(e) if e.is_missing() => continue,
            Err(e) => return Err(anyhow::anyhow!("cannot read the configuration: {e}")),
        }
    }
    Ok(None)
}

impl Config {
    /// Mark this configuration as named on the command line (trusted).
    pub fn user_supplied(mut self) -> Config {
        self.user_supplied = true;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_name_the_key_and_line() {
        let err = Config::parse("[rotation]\nhigh = 30\nmedum = 10\n", Path::new("k.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("k.toml"), "{err}");
        assert!(err.contains("line 3, column 1"), "{err}");
        // The name itself is not repeated (it may be anything); a close one is offered.
        assert!(err.contains("did you mean `medium`?"), "{err}");
    }

    #[test]
    fn defaults_and_records() {
        let c = Config::parse(
            "[rotation.keys]\nOPENAI_API_KEY = 30\n[rotation.last_rotated]\nOPENAI_API_KEY = \"2026-01-01\"\n[[attest]]\ncheck = \"training\"\nby = \"Dana\"\ndate = \"2026-01-02\"\n",
            Path::new("k.toml"),
        )
        .unwrap();
        assert_eq!(c.rotation.high, 90);
        assert_eq!(c.rotation.keys["OPENAI_API_KEY"], 30);
        assert_eq!(c.attest[0].valid_days, 365);
        assert!(Config::parse("[rotation]\nlow = 0\n", Path::new("k.toml")).is_err());
    }
}

/// A gitleaks configuration (`.gitleaks.toml`) translated into keyward's: its
/// `[[rules]]` become custom rules, its allowlists keyward allowlists. What has no
/// counterpart is listed in `notes`, never dropped silently.
#[derive(Debug, Clone)]
pub struct GitleaksImport {
    pub config: Config,
    pub notes: Vec<String>,
}

impl GitleaksImport {
    /// A gitleaks file has `[[rules]]` (keyward's is `[rules]` and `[[rule]]`),
    /// `[[allowlists]]`, `[extend]` or a `title`.
    pub fn looks_like(text: &str) -> bool {
        let Ok(toml::Value::Table(t)) = text.parse::<toml::Value>() else {
            return false;
        };
        matches!(t.get("rules"), Some(toml::Value::Array(_)))
            || t.contains_key("allowlists")
            || t.contains_key("extend")
            || t.contains_key("title")
    }

    pub fn parse(text: &str, path: &Path) -> Result<GitleaksImport> {
        let shown = path.display().to_string();
        let value: toml::Value = toml::from_str(text)
            .map_err(|e| anyhow::anyhow!(crate::parse_error::toml_error(path, text, &e)))?;
        let table = value.as_table().cloned().unwrap_or_default();
        let mut config = Config {
            source: Some(path.to_path_buf()),
            ..Config::default()
        };
        let mut notes = Vec::new();
        let mut note = |s: String| notes.push(format!("{shown}: {s}"));

        // [extend]: gitleaks' own default rules are replaced by keyward's built-in ones.
        let extend = table.get("extend").and_then(toml::Value::as_table);
        config.rules.builtin = extend
            .and_then(|e| e.get("useDefault"))
            .and_then(toml::Value::as_bool)
            .unwrap_or(false);
        if config.rules.builtin {
            note("[extend] useDefault: keyward's built-in rules stand in for gitleaks' default rules".into());
        }
        if let Some(e) = extend {
            if e.contains_key("path") {
                note("[extend] path: extending another file is not supported; translate that file too".into());
            }
            if e.contains_key("disabledRules") {
                note("[extend] disabledRules name gitleaks' default rules; disable keyward rules with [rules] disable".into());
            }
        }
        for key in table.keys() {
            if !matches!(
                key.as_str(),
                "title"
                    | "description"
                    | "extend"
                    | "rules"
                    | "allowlist"
                    | "allowlists"
                    | "minVersion"
            ) {
                note(format!(
                    "top-level key `{key}` has no keyward counterpart and is ignored"
                ));
            }
        }

        let mut ids = Vec::new();
        for (n, rule) in table
            .get("rules")
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let Some(r) = rule.as_table() else { continue };
            let raw_id = r.get("id").and_then(toml::Value::as_str).unwrap_or("");
            let id = kebab(raw_id);
            let what = format!("rule {} ({raw_id:?})", n + 1);
            if id.is_empty() {
                note(format!("{what}: no id; not translated"));
                continue;
            }
            let Some(regex) = r.get("regex").and_then(toml::Value::as_str) else {
                note(format!("{what}: a path-only rule (no regex) has no keyward counterpart; not translated"));
                continue;
            };
            let mut keywords: Vec<String> = r
                .get("keywords")
                .and_then(toml::Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect();
            if keywords.is_empty() {
                match literal_prefix(regex) {
                    Some(k) => {
                        note(format!(
                            "{what}: no keywords; using {k:?}, taken from its regex"
                        ));
                        keywords.push(k);
                    }
                    None => {
                        note(format!("{what}: no keywords and no literal in its regex to prefilter on; add `keywords` to translate it"));
                        continue;
                    }
                }
            }
            let groups = regex_syntax::Parser::new()
                .parse(regex)
                .map(|h| h.properties().explicit_captures_len())
                .unwrap_or(0);
            let secret_group = match r.get("secretGroup").and_then(toml::Value::as_integer) {
                Some(g) if g >= 0 => Some(g as usize),
                _ if groups > 0 => Some(1),
                _ => None,
            };
            if r.contains_key("path") {
                note(format!("{what}: `path` (a rule limited to some files) is not supported; the rule runs on every file"));
            }
            for key in r.keys() {
                if !matches!(
                    key.as_str(),
                    "id" | "description"
                        | "regex"
                        | "secretGroup"
                        | "entropy"
                        | "keywords"
                        | "path"
                        | "tags"
                        | "allowlist"
                        | "allowlists"
                ) {
                    note(format!("{what}: `{key}` is ignored"));
                }
            }
            let description = crate::rules::fields::without_controls(
                r.get("description")
                    .and_then(toml::Value::as_str)
                    .unwrap_or_default(),
            );
            config.rule.push(RuleSpec {
                id: id.clone(),
                name: if description.is_empty() {
                    crate::rules::fields::without_controls(raw_id)
                } else {
                    description.clone()
                },
                provider: "custom (gitleaks)".to_string(),
                severity: Severity::High,
                precision: crate::rules::Precision::Medium,
                description,
                keywords,
                regex: Some(regex.to_string()),
                assignment: None,
                secret_group,
                entropy: r.get("entropy").and_then(toml::Value::as_float),
                checksum: None,
                boundary: crate::rules::Boundary::None,
                window: None,
                placeholder_filter: true,
                generic: false,
                env_vars: Vec::new(),
                revoke_url: String::new(),
                rotation_days: 90,
                variants: Vec::new(),
                key: None,
                examples: Vec::new(),
                negative_examples: Vec::new(),
            });
            ids.push(id.clone());
            let lists = allowlists_of(r.get("allowlist"), r.get("allowlists"));
            for (m, a) in lists.iter().enumerate() {
                let w = format!("{what} allowlist {}", m + 1);
                let list = translate_allowlist(a, &w, &mut note);
                config
                    .allowlist
                    .rules
                    .entry(id.clone())
                    .or_default()
                    .absorb(list);
            }
        }
        let global = allowlists_of(table.get("allowlist"), table.get("allowlists"));
        for (m, a) in global.iter().enumerate() {
            let w = format!("global allowlist {}", m + 1);
            let targets: Vec<String> = a
                .get("targetRules")
                .and_then(toml::Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|t| t.as_str().map(kebab))
                .collect();
            if targets.is_empty() {
                let list = translate_allowlist(a, &w, &mut note);
                let g = &mut config.allowlist;
                g.paths.extend(list.paths);
                g.path_regexes.extend(list.path_regexes);
                g.regexes.extend(list.regexes);
                g.stopwords.extend(list.stopwords);
            } else {
                for t in targets {
                    if !ids.contains(&t) {
                        note(format!(
                            "{w}: targetRules names {t:?}, not a rule of this file; skipped"
                        ));
                        continue;
                    }
                    let list = translate_allowlist(a, &w, &mut note);
                    config.allowlist.rules.entry(t).or_default().absorb(list);
                }
            }
        }
        config.allowlist.rules.retain(|_, a| {
            !(a.paths.is_empty()
                && a.path_regexes.is_empty()
                && a.regexes.is_empty()
                && a.stopwords.is_empty())
        });
        Ok(GitleaksImport { config, notes })
    }
}

/// gitleaks ids are free-form; keyward's are kebab-case.
fn kebab(id: &str) -> String {
    let mut out = String::new();
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A literal every match starts with, to prefilter on (at least 3 characters).
fn literal_prefix(regex: &str) -> Option<String> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let hir = regex_syntax::Parser::new().parse(regex).ok()?;
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    let lits = seq.literals()?;
    let first = lits.first()?;
    let common = lits.iter().fold(first.as_bytes().to_vec(), |acc, l| {
        acc.iter()
            .zip(l.as_bytes())
            .take_while(|(a, b)| a.eq_ignore_ascii_case(b))
            .map(|(a, _)| *a)
            .collect()
    });
    let s = String::from_utf8(common).ok()?;
    (s.trim().len() >= 3).then(|| s.trim().to_string())
}

/// The old single `[allowlist]` table and the newer `[[allowlists]]` array.
fn allowlists_of(one: Option<&toml::Value>, many: Option<&toml::Value>) -> Vec<toml::Table> {
    let mut out = Vec::new();
    if let Some(t) = one.and_then(toml::Value::as_table) {
        out.push(t.clone());
    }
    for v in many.and_then(toml::Value::as_array).into_iter().flatten() {
        if let Some(t) = v.as_table() {
            out.push(t.clone());
        }
    }
    out
}

fn strings(t: &toml::Table, key: &str) -> Vec<String> {
    t.get(key)
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// One gitleaks allowlist as keyward's (what does not translate goes to `note`).
fn translate_allowlist(
    a: &toml::Table,
    what: &str,
    note: &mut impl FnMut(String),
) -> RuleAllowlist {
    let target = a
        .get("regexTarget")
        .and_then(toml::Value::as_str)
        .unwrap_or("secret");
    let mut regexes = strings(a, "regexes");
    if target != "secret" && !regexes.is_empty() {
        note(format!(
            "{what}: regexTarget = {target:?}: keyward matches allowlist regexes against the secret only; {} regex(es) not translated",
            regexes.len()
        ));
        regexes.clear();
    }
    if a.get("condition").and_then(toml::Value::as_str) == Some("AND") {
        note(format!("{what}: condition = \"AND\": keyward applies each entry on its own (OR), which allows more"));
    }
    if !strings(a, "commits").is_empty() {
        note(format!("{what}: `commits` (allowing findings by commit) is not supported: use a baseline; not translated"));
    }
    for key in a.keys() {
        if !matches!(
            key.as_str(),
            "description"
                | "regexes"
                | "paths"
                | "stopwords"
                | "commits"
                | "regexTarget"
                | "condition"
                | "targetRules"
        ) {
            note(format!("{what}: `{key}` is ignored"));
        }
    }
    // gitleaks paths are regexes.
    RuleAllowlist {
        paths: Vec::new(),
        path_regexes: strings(a, "paths"),
        regexes,
        stopwords: strings(a, "stopwords"),
    }
}
