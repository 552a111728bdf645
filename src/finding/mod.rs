//! Findings: a candidate placed in its file (path, line, column), named (rule, provider,
//! severity), fingerprinted and carrying its secret (redacted unless asked).
//!
//! The fingerprint is stable when unrelated lines move: it is derived from the rule id,
//! the path and the secret, never from a line number.
//!
//! Findings must not know sources, reports or commands.

pub mod fold;
pub mod line_hash;
pub mod repeated;
mod root;

pub use fold::Location;
pub use root::Root;

/// The repository a scan covered, as SARIF's `versionControlProvenance` names it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vcs {
    /// The remote's URL with any credentials, query and fragment removed.
    pub repository_uri: Option<String>,
    /// The commit scanned (or checked out, for a work-tree scan).
    pub revision: Option<String>,
    /// The branch checked out.
    pub branch: Option<String>,
}

use crate::rules::{RuleSet, Severity};
use crate::scan::{text, Candidate, LineIndex};
use crate::secret::Secret;
use sha2::{Digest, Sha256};

/// How sure keyward is that a finding is a real secret of the kind it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// A generic rule: a random-looking value assigned to a secret-looking name.
    Low,
    /// Attributed by context: a look-alike format named by the words or the variable
    /// around it, a credential in a connection string, a generic value in a provider's
    /// variable.
    Medium,
    /// A checksum, or a format no other text has (a distinctive prefix or marker),
    /// outside test code and documentation examples.
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

impl std::fmt::Display for Confidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The confidence of a candidate: high for a checksum or a unique format (or a precise
/// format with a fixed prefix), medium for what context attributes, low for generic rules.
pub fn confidence(rules: &RuleSet, c: &Candidate, value: &[u8]) -> Confidence {
    use crate::rules::Precision;
    let rule = &rules.rules[c.rule];
    let spec = &rule.spec;
    if spec.generic {
        return if spec.precision >= Precision::Medium || c.named_by.is_some() {
            Confidence::Medium
        } else {
            Confidence::Low
        };
    }
    if crate::scan::unique_format(rule)
        || (spec.precision >= Precision::High
            && rule.variants.is_empty()
            && rule.fixed_prefix_len(value) >= 3)
    {
        Confidence::High
    } else {
        Confidence::Medium
    }
}

/// Whether a candidate stands where values are examples: a documentation file, test
/// code, or a documentation block inside code.
fn is_example(path: &str, text: &[u8], at: usize) -> bool {
    use crate::scan::examples;
    examples::is_documentation_path(path)
        || examples::is_test_path(path)
        || examples::in_example_block(text, at)
}

/// A secret found in a blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule_id: String,
    pub rule_name: String,
    pub provider: String,
    pub severity: Severity,
    pub confidence: Confidence,
    /// The path as given on the command line (relative when the argument was).
    pub path: String,
    /// 1-based line and column (in characters) of the first character of the secret.
    pub line: usize,
    pub column: usize,
    /// 1-based line and column just past the last character of the secret (exclusive).
    pub end_line: usize,
    pub end_column: usize,
    /// The same start and end columns counted in UTF-16 code units (for SARIF).
    pub column_utf16: usize,
    pub end_column_utf16: usize,
    pub secret: Secret,
    pub fingerprint: String,
    /// GitHub code scanning's `primaryLocationLineHash` of the start line, computed over
    /// the blob the finding was made in (so history findings carry their own).
    pub line_hash: String,
    pub revoke_url: String,
    pub rotation_days: u32,
    /// The key was assigned to a name shipped to browsers or apps (`NEXT_PUBLIC_…`).
    pub client_exposed: bool,
    /// How the secret was written when it was found in decoded text (`base64`,
    /// `percent`, `concatenated`): the position is that of the encoded text.
    pub decoded: Option<&'static str>,
    /// Where a finding in git history came from.
    pub git: Option<Box<GitProvenance>>,
    /// The coding agent whose configuration or transcript holds the secret.
    pub agent: Option<Box<AgentPlace>>,
}

/// Which coding agent a secret configures, and where in its configuration it sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentPlace {
    /// The agent, as its makers name it (`Claude Code`, `Cursor`, `Codex`, …).
    pub agent: String,
    /// The MCP server the entry configures, when it is one.
    pub server: Option<String>,
    /// The entry (`env.GITHUB_TOKEN`, `headers.Authorization`, `args`,
    /// `permissions.allow`), or `transcript` for a session log.
    pub field: String,
}

/// Where a secret in git history was introduced: the oldest commit that added the blob,
/// and how widely the blob spread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitProvenance {
    /// Commit id (hex) that introduced the blob.
    pub commit: String,
    pub author: String,
    pub email: String,
    /// Author date, ISO 8601.
    pub date: String,
    /// First line of the commit message.
    pub summary: String,
    /// Blob id (hex).
    pub blob: String,
    /// Other places (tree entries, or other blobs with the same secret at the same path)
    /// that carry the secret.
    pub other_places: usize,
    /// The secret is still in some file of HEAD.
    pub in_head: bool,
    /// Some ref (or HEAD) reaches the commit (false for a dangling commit, a reflog or
    /// dropped stash entry, or a blob no commit carries).
    pub reachable: bool,
    /// Where the commit stands in the walk (reachable commits oldest first, then
    /// unreachable ones): orders sightings of a secret; never printed.
    pub sequence: u64,
    /// With the same secret found at other paths and folded into this finding: the first
    /// sighting at each other path, oldest first, at most [`fold::MAX_LOCATIONS`].
    pub locations: Vec<Location>,
    /// Other paths beyond those listed in `locations`.
    pub locations_omitted: usize,
}

impl Finding {
    /// Sort key: path, line, column, rule.
    pub fn sort_key(&self) -> (&str, usize, usize, &str) {
        (&self.path, self.line, self.column, &self.rule_id)
    }
}

/// The fingerprint of a secret found by `rule_id` in `path`: 16 hex digits (64 bits) of
/// HMAC-SHA-256, keyed as [`secret_hash`] is, over a versioned tag, the rule id, the path
/// (without a leading `./`) and the secret. Like the secret hash it lets a reader confirm
/// a guess of the secret only when they know the key: set `KEYWARD_HASH_KEY` where
/// reports are public.
pub fn fingerprint(rule_id: &str, path: &str, secret: &str) -> String {
    keyed_fingerprint(hash_key(), rule_id, path, secret)
}

fn keyed_fingerprint(key: &[u8], rule_id: &str, path: &str, secret: &str) -> String {
    use hmac::{Hmac, Mac};
    let path = path.strip_prefix("./").unwrap_or(path);
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    for part in ["keyward-fingerprint-v2", rule_id, path, secret] {
        mac.update(part.as_bytes());
        mac.update(&[0]);
    }
    hex(&mac.finalize().into_bytes()[..8])
}

/// Every fingerprint of a finding that an ignore file may hold: the current one, the one
/// made with the built-in key (an ignore file written where `KEYWARD_HASH_KEY` was not
/// set), and the unkeyed SHA-256 form that earlier keyward printed (see the README).
pub fn accepted_fingerprints(rule_id: &str, path: &str, secret: &str) -> Vec<String> {
    let mut out = vec![fingerprint(rule_id, path, secret)];
    if hash_key() != BUILTIN_HASH_KEY {
        out.push(keyed_fingerprint(BUILTIN_HASH_KEY, rule_id, path, secret));
    }
    out.push(legacy_fingerprint(rule_id, path, secret));
    out
}

/// The unkeyed fingerprint of earlier versions: 16 hex digits of SHA-256 over a versioned
/// tag, the rule id, the path and the secret. Only read (in ignore files), never printed.
fn legacy_fingerprint(rule_id: &str, path: &str, secret: &str) -> String {
    let path = path.strip_prefix("./").unwrap_or(path);
    let mut h = Sha256::new();
    for part in ["keyward-fingerprint-v1", rule_id, path, secret] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    hex(&h.finalize()[..8])
}

/// The environment variable that holds the key of [`secret_hash`] and [`fingerprint`].
pub const HASH_KEY_VAR: &str = "KEYWARD_HASH_KEY";

/// The key used when `KEYWARD_HASH_KEY` is not set: public, so it hides nothing from a
/// reader who guesses the secret.
const BUILTIN_HASH_KEY: &[u8] = b"keyward-secret-hash-key-v1";

/// The key of [`secret_hash`] and [`fingerprint`]: `KEYWARD_HASH_KEY` when it is set (and
/// not empty), the built-in key otherwise.
fn hash_key() -> &'static [u8] {
    static KEY: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    KEY.get_or_init(|| match std::env::var(HASH_KEY_VAR) {
        Ok(k) if !k.is_empty() => k.into_bytes(),
        _ => BUILTIN_HASH_KEY.to_vec(),
    })
}

/// A keyed hash of a secret: 32 hex digits of HMAC-SHA-256 over a versioned tag and the
/// secret, keyed with `KEYWARD_HASH_KEY` when it is set (and not empty) or with a
/// built-in key otherwise. It identifies a secret across files, commits and runs (SARIF
/// fingerprints, baselines) without revealing it. With a private key (a CI secret), a
/// reader of the hash cannot even confirm a guess; with the built-in key they can, so
/// set one where reports are public.
pub fn secret_hash(secret: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac =
        Hmac::<Sha256>::new_from_slice(hash_key()).expect("HMAC takes a key of any length");
    mac.update(b"keyward-secret-v1\0");
    mac.update(secret.as_bytes());
    hex(&mac.finalize().into_bytes()[..16])
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The secret of a candidate: the decoded value when it was found in decoded text.
fn value_of<'a>(c: &'a Candidate, text: &'a [u8]) -> &'a [u8] {
    c.decoded
        .as_ref()
        .map_or(&text[c.start..c.end], |d| &d.value[..])
}

/// Turn a blob's candidates into findings: those to report, and those an inline
/// `keyward:allow` comment suppressed.
pub fn build(
    rules: &RuleSet,
    path: &str,
    text: &[u8],
    candidates: &[Candidate],
) -> (Vec<Finding>, Vec<Finding>) {
    if candidates.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let index = LineIndex::new(text);
    let lines: std::collections::HashSet<usize> = candidates
        .iter()
        .map(|c| index.line_of(c.start).0)
        .collect();
    let hashes = line_hash::line_hashes_of(text, |l| lines.contains(&l), lines.len());
    // Candidates come in start order: each locator counts columns onwards from the last.
    let (mut starts, mut ends) = (
        text::Locator::new(text, &index),
        text::Locator::new(text, &index),
    );
    // In test code and documentation examples a value is most often made for the test
    // or the page: a generic one is not reported (even in a provider's variable, or in
    // a precise context such as a git URL), any other (unless its checksum proves it
    // was issued) is one level less sure.
    let candidates: Vec<(&Candidate, Confidence)> = candidates
        .iter()
        .filter_map(|c| {
            let conf = confidence(rules, c, value_of(c, text));
            let spec = &rules.rules[c.rule].spec;
            if !is_example(path, text, c.start) || spec.checksum.is_some() {
                return Some((c, conf));
            }
            if spec.generic {
                return None;
            }
            match conf {
                Confidence::Low => None,
                Confidence::Medium => Some((c, Confidence::Low)),
                Confidence::High => Some((c, Confidence::Medium)),
            }
        })
        .collect();
    let all = candidates.iter().map(|&(c, confidence)| {
        let rule = &rules.rules[c.rule];
        let (rule_id, rule_name, mut provider, revoke_url, rotation_days) = match c.variant {
            Some(v) => {
                let v = &rule.variants[v];
                (
                    &v.id,
                    &v.name,
                    v.provider.clone(),
                    &v.revoke_url,
                    v.rotation_days,
                )
            }
            None => (
                &rule.spec.id,
                &rule.spec.name,
                rule.spec.provider.clone(),
                &rule.spec.revoke_url,
                rule.spec.rotation_days,
            ),
        };
        let mut revoke_url = revoke_url.clone();
        if let Some((r, v)) = c.named_by {
            let owner = &rules.rules[r];
            let (p, url) = match v {
                Some(v) => (&owner.variants[v].provider, &owner.variants[v].revoke_url),
                None => (&owner.spec.provider, &owner.spec.revoke_url),
            };
            provider = p.clone();
            revoke_url = url.clone();
        }
        let (start, end) = (starts.locate(c.start), ends.locate(c.end));
        let line = start.line;
        let value = value_of(c, text);
        let secret = Secret::with_prefix(value, rule.fixed_prefix_len(value));
        Finding {
            rule_id: rule_id.clone(),
            rule_name: rule_name.clone(),
            provider,
            severity: c.severity,
            confidence,
            path: path.to_string(),
            line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            column_utf16: start.column_utf16,
            end_column_utf16: end.column_utf16,
            fingerprint: fingerprint(rule_id, path, secret.expose()),
            line_hash: hashes.get(&line).cloned().unwrap_or_default(),
            secret,
            revoke_url,
            rotation_days,
            client_exposed: c.client_exposed,
            decoded: c.decoded.as_ref().map(|d| d.encoding.as_str()),
            git: None,
            agent: None,
        }
    });
    let (mut reported, mut inline) = (Vec::new(), Vec::new());
    for ((c, _), f) in candidates.iter().zip(all) {
        if c.allowed_inline {
            inline.push(f);
        } else {
            reported.push(f);
        }
    }
    (reported, inline)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_ignores_a_leading_dot_slash_only() {
        assert_eq!(fingerprint("r", "./a/b", "s"), fingerprint("r", "a/b", "s"));
        assert_ne!(fingerprint("r", "a/b", "s"), fingerprint("r", "a/c", "s"));
        assert_ne!(fingerprint("r", "a/b", "s"), fingerprint("q", "a/b", "s"));
        assert_eq!(fingerprint("r", "a", "s").len(), 16);
    }

    #[test]
    fn fingerprint_is_keyed_and_the_unkeyed_form_is_still_accepted() {
        let unkeyed = legacy_fingerprint("r", "a", "hunter22");
        assert_ne!(
            keyed_fingerprint(BUILTIN_HASH_KEY, "r", "a", "hunter22"),
            unkeyed
        );
        assert_ne!(
            keyed_fingerprint(b"one key", "r", "a", "hunter22"),
            keyed_fingerprint(b"another key", "r", "a", "hunter22")
        );
        let accepted = accepted_fingerprints("r", "./a", "hunter22");
        assert_eq!(accepted[0], fingerprint("r", "a", "hunter22"));
        assert!(accepted.contains(&unkeyed));
    }
}
