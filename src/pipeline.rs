//! One blob through the pipeline: decode, match, filter, locate. Every source (worktree,
//! stdin, history, staged) calls [`scan_blob`] with its own per-thread [`Matcher`].
//!
//! Coding agents' files (`agentfile`) are read as their format asks and their findings
//! name the agent.
//!
//! This file must not know where the bytes come from (files, git objects, standard
//! input), nor about configuration, baselines, reports or exit codes.

use crate::agentfile::{self, Syntax};
use crate::finding::{self, Finding};
use crate::rules::RuleSet;
use crate::scan::{decode, Decoded, Matcher};

/// What scanning one blob gave.
#[derive(Debug, Default)]
pub struct BlobOutcome {
    pub findings: Vec<Finding>,
    /// Findings allowed by an inline marker (`keyward:allow`).
    pub inline: Vec<Finding>,
    /// The blob was binary and was not scanned.
    pub binary: bool,
}

/// Scan one blob's bytes; `path` is the display path for its findings.
pub fn scan_blob(matcher: &mut Matcher<'_>, path: &str, bytes: &[u8]) -> BlobOutcome {
    let text = match decode(bytes) {
        Decoded::Binary => return binary_blob(matcher, path, bytes),
        Decoded::Text(t) => t,
    };
    // An agent's file: JSON Lines are read with their escapes blanked out, and the
    // findings name the agent (and configurations add their literals).
    let known = agentfile::known(path);
    let masked = match known {
        Some(k) if k.syntax == Syntax::JsonLines => agentfile::mask_escapes(&text),
        _ => None,
    };
    let text: &[u8] = masked.as_deref().unwrap_or(&text);
    let rules = matcher.rules();
    let candidates = matcher.scan_path(path, text);
    let (mut findings, inline) = finding::build(rules, path, text, candidates);
    if known.is_some() {
        agentfile::annotate(path, text, &mut findings);
    }
    BlobOutcome {
        findings,
        inline,
        binary: false,
    }
}

/// Whether [`scan_blob`] reads a blob at `path` differently from a scan without a path
/// (a rule for files of that name, an agent's file): only then does a blob that scanned
/// clean without its path need a second look with it.
pub fn path_sensitive(rules: &RuleSet, path: &str) -> bool {
    let mut named = false;
    rules.path_rules.allowed(path, |_| named = true);
    named || agentfile::known(path).is_some()
}

/// A binary blob is not scanned; a rule for binary files of its name (a keystore) sees
/// `sha256:` and the hex SHA-256 of its bytes, so the file itself is reported.
fn binary_blob(matcher: &mut Matcher<'_>, path: &str, bytes: &[u8]) -> BlobOutcome {
    let mut out = BlobOutcome {
        binary: true,
        ..BlobOutcome::default()
    };
    let rules = matcher.rules();
    let mut named = false;
    rules
        .path_rules
        .allowed(path, |r| named |= rules.rules[r].spec.binary);
    if !named {
        return out;
    }
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(bytes);
    let mut text = b"sha256:".to_vec();
    for b in digest {
        text.extend_from_slice(format!("{b:02x}").as_bytes());
    }
    let candidates: Vec<_> = matcher
        .scan_path(path, &text)
        .iter()
        .filter(|c| rules.rules[c.rule].spec.binary)
        .cloned()
        .collect();
    let (findings, inline) = finding::build(rules, path, &text, &candidates);
    out.findings = findings;
    out.inline = inline;
    out
}
