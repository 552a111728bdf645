//! Evidence lines: a finding as `path:line rule (provider) redacted-value`, the findings
//! in a set of files, and the cap on how many lines one item lists.
//!
//! It must not know what a check concludes from them; it never prints a secret (values
//! are redacted here).

use crate::audit::Inventory;
use crate::finding::Finding;

/// One finding as evidence: place, rule, redacted value (and commit for history).
pub fn finding_evidence(f: &Finding) -> String {
    let mut s = format!(
        "{}:{} {} ({}, {} confidence) {}",
        f.path,
        f.line,
        f.rule_id,
        f.provider,
        f.confidence,
        f.secret.redacted()
    );
    if let Some(g) = &f.git {
        s.push_str(&format!(
            ", committed in {} on {}{}",
            &g.commit[..g.commit.len().min(12)],
            g.date.get(..10).unwrap_or(&g.date),
            if g.in_head { ", still at HEAD" } else { "" }
        ));
    }
    s
}

/// Do these findings make a failure? A finding of medium or high confidence does; a
/// low-confidence one (a generic value, or an example in documentation or tests) is a
/// warning.
pub fn convincing(findings: &[&Finding]) -> bool {
    findings
        .iter()
        .any(|f| f.confidence >= crate::finding::Confidence::Medium)
}

/// Variables of a dotenv text whose name says they hold a secret and whose value is a
/// literal that is neither a reference nor a placeholder (what the scanner may not
/// recognise: a short password).
pub fn secret_named_literals(text: &str) -> Vec<String> {
    use super::values::{false_secret_name, is_dummy, is_reference, SECRET_NAME};
    crate::dotenv::parse_dotenv(text)
        .entries
        .into_iter()
        .filter(|e| SECRET_NAME.is_match(&e.name) && !false_secret_name(&e.name))
        .filter(|e| !is_reference(&e.value) && !is_dummy(&e.value))
        .map(|e| e.name)
        .collect()
}

/// At most this many evidence lines per item; the rest are counted.
pub const MAX_EVIDENCE: usize = 25;

/// Cap `lines`, ending with a count of what was left out.
pub fn capped(mut lines: Vec<String>) -> Vec<String> {
    if lines.len() > MAX_EVIDENCE {
        let more = lines.len() - MAX_EVIDENCE;
        lines.truncate(MAX_EVIDENCE);
        lines.push(format!("… and {more} more"));
    }
    lines
}

/// Scanner findings in `files`, as evidence.
pub fn findings_in(inv: &Inventory, files: &[&str]) -> Vec<String> {
    inv.findings
        .iter()
        .filter(|f| files.contains(&f.path.as_str()))
        .map(finding_evidence)
        .collect()
}
