//! Coding agents' files: which paths hold an agent's configuration or its session
//! transcripts ([`known`]), the literal secrets in a configuration ([`entries`], read
//! from JSON with comments ([`jsonc`]), TOML or YAML ([`yaml`])), and
//! what that adds to a blob's findings: every finding in an agent's file names the
//! agent (and the MCP server it configures), and a literal under a secret-looking name
//! is reported even when no provider rule knows its format, since these files have no
//! reason to hold literals. JSON Lines transcripts are read with their escape sequences
//! (`\n`, `\"`, `\u0041`) blanked out, so a key pasted after a newline in an escaped
//! JSON string is found on its line and column.
//!
//! It must not know sources, reports or commands: it takes a path, bytes and findings.

pub mod entries;
pub mod jsonc;
pub mod known;
pub mod yaml;

pub use known::{known, Kind, Known, Syntax};

use crate::finding::{self, AgentPlace, Confidence, Finding};
use crate::rules::Severity;
use crate::scan::text::{LineIndex, Locator};
use crate::secret::Secret;

/// The rule id of a literal in an agent's configuration that no provider rule matched.
pub const LITERAL_RULE: &str = "agent-config-literal";

/// The text to scan for a JSON Lines file: its escape sequences replaced by as many
/// spaces, so byte offsets (and so lines and columns) stay those of the file. `None`
/// when the text holds no backslash.
pub fn mask_escapes(text: &[u8]) -> Option<Vec<u8>> {
    memchr::memchr(b'\\', text)?;
    let mut out = text.to_vec();
    let mut i = 0;
    while let Some(at) = memchr::memchr(b'\\', &out[i..]) {
        let at = i + at;
        let width = match out.get(at + 1) {
            Some(b'u') => 6,
            Some(b'n' | b't' | b'r' | b'b' | b'f' | b'"' | b'\\' | b'/') => 2,
            _ => 1,
        };
        let end = (at + width).min(out.len());
        out[at..end].fill(b' ');
        i = end;
    }
    Some(out)
}

/// Name the agent in each finding of an agent's file, and add a finding for each literal
/// in its configuration that no finding covers.
pub fn annotate(path: &str, text: &[u8], findings: &mut Vec<Finding>) {
    let Some(k) = known(path) else { return };
    if k.kind == Kind::Transcript {
        if !k.agent.is_empty() {
            for f in findings.iter_mut() {
                f.agent = Some(Box::new(AgentPlace {
                    agent: k.agent.to_string(),
                    server: None,
                    field: "transcript".to_string(),
                }));
            }
        }
        return;
    }
    let found = match k.syntax {
        Syntax::Toml => entries::from_toml(text),
        Syntax::Yaml => yaml::documents(text)
            .iter()
            .flat_map(entries::from_value)
            .collect(),
        _ => entries::from_json(text),
    };
    for f in findings.iter_mut() {
        let entry = found.iter().find(|e| {
            let s = f.secret.expose();
            e.value.contains(s) || s.contains(e.value.as_str())
        });
        // A literal under a secret's name in an agent's configuration is no guess.
        if entry.is_some() && f.confidence < Confidence::Medium {
            f.confidence = Confidence::Medium;
        }
        f.agent = Some(Box::new(AgentPlace {
            agent: k.agent.to_string(),
            server: entry.and_then(|e| e.server.clone()),
            field: entry.map(|e| e.field.clone()).unwrap_or_default(),
        }));
    }
    let mut added = Vec::new();
    for e in &found {
        let covered = findings.iter().any(|f| {
            let s = f.secret.expose();
            e.value.contains(s) || s.contains(e.value.as_str())
        });
        if covered || added.iter().any(|f: &Finding| f.secret.expose() == e.value) {
            continue;
        }
        if let Some(f) = literal_finding(path, text, k.agent, e) {
            added.push(f);
        }
    }
    findings.extend(added);
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// Where an entry's value sits in the text: after its server's name when it has one.
fn offset_of(text: &[u8], e: &entries::Entry) -> Option<usize> {
    let value = e.value.as_bytes();
    let from = e
        .server
        .as_deref()
        .and_then(|s| memchr::memmem::find(text, s.as_bytes()))
        .unwrap_or(0);
    memchr::memmem::find(&text[from..], value)
        .map(|i| from + i)
        .or_else(|| memchr::memmem::find(text, value))
}

fn literal_finding(path: &str, text: &[u8], agent: &str, e: &entries::Entry) -> Option<Finding> {
    let start = offset_of(text, e)?;
    let end = start + e.value.len();
    let index = LineIndex::new(text);
    let (mut starts, mut ends) = (Locator::new(text, &index), Locator::new(text, &index));
    let (s, t) = (starts.locate(start), ends.locate(end));
    let line_hash = finding::line_hash::line_hashes_of(text, |l| l == s.line, 1)
        .remove(&s.line)
        .unwrap_or_default();
    let secret = Secret::new(e.value.as_bytes());
    Some(Finding {
        rule_id: LITERAL_RULE.to_string(),
        rule_name: "Literal secret in a coding agent's configuration".to_string(),
        provider: "unknown (a literal under a secret's name)".to_string(),
        severity: Severity::High,
        confidence: Confidence::Medium,
        path: path.to_string(),
        line: s.line,
        column: s.column,
        end_line: t.line,
        end_column: t.column,
        column_utf16: s.column_utf16,
        end_column_utf16: t.column_utf16,
        fingerprint: finding::fingerprint(LITERAL_RULE, path, secret.expose()),
        line_hash,
        secret,
        revoke_url: String::new(),
        rotation_days: 90,
        client_exposed: false,
        decoded: None,
        git: None,
        agent: Some(Box::new(AgentPlace {
            agent: agent.to_string(),
            server: e.server.clone(),
            field: e.field.clone(),
        })),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_blanked_in_place() {
        let text = br#"{"m":"a\nb\u0041c\"d"}"#;
        let masked = mask_escapes(text).unwrap();
        assert_eq!(masked.len(), text.len());
        assert_eq!(&masked, br#"{"m":"a  b      c  d"}"#);
        assert_eq!(mask_escapes(b"{}"), None);
    }
}
