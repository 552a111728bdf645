//! The rule model: what a rule file (`rules/*.toml`, or a user's custom rules) may say.
//!
//! A rule file holds `[[rules]]` tables. Each rule is data a reviewer can read: the
//! format (a regex, or an `assignment` of a value to a name), the prefilter keywords,
//! the filters (entropy, checksum, placeholder), where the key is revoked and how often
//! it should be rotated, and examples written as templates (see [`super::template`]).
//!
//! It must not know matching, findings or files on disk.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How bad a leak of this kind of secret is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// The next level up (used for keys assigned to client-exposed names).
    pub fn raised(self) -> Severity {
        match self {
            Severity::Low => Severity::Medium,
            Severity::Medium => Severity::High,
            Severity::High | Severity::Critical => Severity::Critical,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How sure a match of this rule is to be a real secret of the named kind.
/// When two rules match the same bytes, the more precise one wins.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Deserialize, Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Precision {
    Low,
    Medium,
    #[default]
    High,
    VeryHigh,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Low => "low",
            Precision::Medium => "medium",
            Precision::High => "high",
            Precision::VeryHigh => "very-high",
        }
    }
}

/// A checksum that some token formats carry; a match whose checksum is wrong is a fake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Checksum {
    /// GitHub classic tokens and npm tokens: the last 6 characters are the CRC32 of the
    /// random body (between the `_` after the prefix and the checksum), in base62.
    Crc32Base62,
    /// GitHub fine-grained PATs: 8 characters after the first 77 are the first 8 of the
    /// base32 SHA-256 of those 77 characters.
    GithubFineGrained,
    /// GitLab routable tokens: the last 7 characters are the CRC32 of everything before
    /// them, in lowercase base36.
    Crc32Base36,
}

/// What may stand right before and right after a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Boundary {
    /// Not preceded by a letter, digit or `_`, and not followed by a letter, digit, `_` or `-`.
    #[default]
    Word,
    /// As `word`, and also not followed by `+`, `/` or `=` (base64 bodies).
    Base64,
    /// No boundary check (the regex says where the secret ends).
    None,
}

/// A value assigned to a name: `NAME=value`, `name: "value"`, `"name": "value"`,
/// `name := 'value'`, `ENV NAME value`, `os.environ["NAME"] = "value"`, escaped quotes
/// in notebook JSON. The loader turns it into a regex whose `secret` group is the value.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AssignmentSpec {
    /// A regex (matched case-insensitively) that some part of the name must match.
    pub name: String,
    /// A regex for the value (case-sensitive).
    pub value: String,
}

/// A provider that a look-alike key family is attributed to when its context is near.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VariantSpec {
    pub id: String,
    pub name: String,
    pub provider: String,
    /// Words (case-insensitive) that attribute the key to this provider when they occur on
    /// the key's line, or failing that on the lines around it.
    pub context: Vec<String>,
    #[serde(default)]
    pub env_vars: Vec<String>,
    #[serde(default)]
    pub severity: Option<Severity>,
    #[serde(default)]
    pub revoke_url: Option<String>,
    #[serde(default)]
    pub rotation_days: Option<u32>,
    /// Example texts (templates) that must be attributed to this variant.
    #[serde(default)]
    pub examples: Vec<String>,
}

/// One rule as written in a rule file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub name: String,
    pub provider: String,
    pub severity: Severity,
    #[serde(default)]
    pub precision: Precision,
    #[serde(default)]
    pub description: String,
    /// Literal strings (case-insensitive); the rule's regex only runs near one of them.
    pub keywords: Vec<String>,
    #[serde(default)]
    pub regex: Option<String>,
    #[serde(default)]
    pub assignment: Option<AssignmentSpec>,
    /// Which capture group is the secret; default: the group named `secret`, else the
    /// whole match.
    #[serde(default)]
    pub secret_group: Option<usize>,
    /// Minimum Shannon entropy (bits per character) of the secret.
    #[serde(default)]
    pub entropy: Option<f64>,
    #[serde(default)]
    pub checksum: Option<Checksum>,
    #[serde(default)]
    pub boundary: Boundary,
    /// Bytes after a keyword that a match may span (multi-line formats such as PEM keys).
    /// Default: the keyword's line.
    #[serde(default)]
    pub window: Option<usize>,
    /// Drop matches that look like documentation placeholders (default true).
    #[serde(default = "yes")]
    pub placeholder_filter: bool,
    /// Treat the value like a free-form generic secret: reject identifiers, code
    /// references and values without a digit.
    #[serde(default)]
    pub generic: bool,
    #[serde(default)]
    pub env_vars: Vec<String>,
    /// Regexes (case-insensitive) over the file's path, `/`-separated: when given, the
    /// rule reports only in files whose path matches one of them (credential files known
    /// by name: `.npmrc`, `.pgpass`, kubeconfig). Text read without a path never matches.
    #[serde(default)]
    pub paths: Vec<String>,
    /// The rule reports binary files whose path matches `paths` (keystores): it sees
    /// `sha256:` and the hex SHA-256 of the file's bytes in place of their text.
    #[serde(default)]
    pub binary: bool,
    /// The path `rules check` reads the examples of a rule with `paths` as.
    #[serde(default)]
    pub example_path: Option<String>,
    pub revoke_url: String,
    pub rotation_days: u32,
    #[serde(default)]
    pub variants: Vec<VariantSpec>,
    /// Template of the bare key, used to build test inputs in many syntaxes.
    #[serde(default)]
    pub key: Option<String>,
    /// Text templates that must produce a finding of this rule.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Texts that must produce no finding of any rule.
    #[serde(default)]
    pub negative_examples: Vec<String>,
}

fn yes() -> bool {
    true
}

/// A rule file: `[[rules]]` tables.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    pub rules: Vec<RuleSpec>,
}
