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
//!
//! [[waive]]          # a reviewed failure of an automated check, accepted
//! check = "secret-files-untracked"
//! path = "tests/fixtures/**"   # optional: only when every file it names matches
//! reason = "test keys, revoked; tracked on purpose"
//! expires = "2027-06-30"       # optional: it fails again after this day
//! ```
//!
//! It must not know how a scan runs: it only says what the configuration holds.

use crate::rules::{self, RuleSet, RuleSpec, Severity};
use anyhow::Context as _;
use anyhow::Result;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod gitleaks;
mod size;
mod waive;

pub use gitleaks::GitleaksImport;
pub use size::{parse_size, DEFAULT_MAX_FILE_SIZE};
pub use waive::Waiver;

/// What is said when keyward's own rules do not load: the binary is damaged or was built
/// from broken rule files, which the user cannot fix but can replace and report.
pub const BUILTIN_RULES_BROKEN: &str = "keyward's built-in rules do not load, so this keyward \
     binary cannot scan: install a released version again, and report it at \
     https://github.com/keyward/keyward/issues with the output of `keyward --version`";

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
    /// Reviewed failures of automated audit checks, accepted with a reason.
    #[serde(default)]
    pub waive: Vec<Waiver>,
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
    /// The built-in rules plus the configuration's: custom rules appended, all of them
    /// dropped when `builtin = false`.
    pub fn rule_set(&self) -> Result<RuleSet> {
        let mut list = if self.rules.builtin {
            rules::builtin_rules().context(BUILTIN_RULES_BROKEN)?
        } else {
            Vec::new()
        };
        let source = self
            .source
            .as_ref()
            .map_or("keyward.toml".to_string(), |p| p.display().to_string());
        for spec in &self.rule {
            list.push(rules::compile(&source, spec.clone())?);
        }
        if list.is_empty() {
            anyhow::bail!(
                "{source}: `builtin = false` and no [[rule]]: there is nothing to scan for"
            );
        }
        Ok(RuleSet::new(list)?)
    }

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
    fn toml_errors_never_quote_the_line() {
        let key = "QzX9vK2mP7wL4nR8tY3uB6";
        let docs = [
            format!("[rotation]\nhigh = \"{key}\"\n"),
            format!("[rotation]\nhigh = {key}\n"),
            format!("{key} = 1\n"),
            format!("[rules]\n{key} = true\n"),
            format!("[rules]\nseverity = {{ x = \"{key}\" }}\n"),
            format!("x = \"{key}\n"),
            format!("x = '{key}\n"),
            format!("[{key}\n"),
            format!("x = [\"{key}\",\n"),
            format!("a = 1\na = \"{key}\"\n[{key}]\n[{key}]\n"),
            format!("[[rule]]\nid = \"x\"\nseverity = \"{key}\"\n"),
            format!("[[rule]]\nid = \"x\"\nname = \"n\"\nprovider = \"p\"\nseverity = \"high\"\nkeywords = [\"{key}\"]\nregex = \"x\"\nrevoke_url = \"\"\nrotation_days = \"{key}\"\n"),
            format!("x = \"\\q{key}\"\n"),
            format!("x = 1{key}\n"),
            format!("x = {{ {key} }}\n"),
            format!("\"{key}\" = 1\n"),
            format!("[rules]\nbuiltin = \"{key}\"\n"),
            format!("[rules]\ndisable = \"{key}\"\n"),
            format!("[rotation.keys]\nA = \"{key}\"\n"),
        ];
        for doc in &docs {
            let e = toml::from_str::<Config>(doc).unwrap_err();
            let shown = crate::parse_error::toml_error(Path::new("k.toml"), doc, &e);
            for w in key.as_bytes().windows(8) {
                let w = std::str::from_utf8(w).unwrap();
                assert!(!shown.contains(w), "{doc:?} -> {shown}");
            }
            assert!(shown.starts_with("k.toml: line "), "{shown}");
            let e = toml::from_str::<toml::Value>(doc).err();
            if let Some(e) = e {
                let shown = crate::parse_error::toml_error(Path::new("k.toml"), doc, &e);
                assert!(!shown.contains(&key[..8]), "{doc:?} -> {shown}");
            }
        }
    }

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
