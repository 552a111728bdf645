//! Redaction of free text (audit evidence, notes, suppression details): every secret the
//! matcher finds in it is replaced by its redacted form ([`crate::secret::redact`]).

use super::Matcher;
use crate::rules::RuleSet;
use crate::secret;

/// `text` with every secret the rules find in it redacted.
pub fn redact_text(rules: &RuleSet, text: &str) -> String {
    let bytes = text.as_bytes();
    let mut matcher = Matcher::new(rules);
    let spans: Vec<(usize, usize, usize)> = matcher
        .scan(bytes)
        .iter()
        .map(|c| (c.start, c.end, c.rule))
        .collect();
    if spans.is_empty() {
        return text.to_string();
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    for (start, end, rule) in spans {
        if start < at {
            continue;
        }
        out.extend_from_slice(&bytes[at..start]);
        let value = &bytes[start..end];
        let fixed = rules.rules[rule].fixed_prefix_len(value);
        let shown = String::from_utf8_lossy(value);
        let fixed_chars = String::from_utf8_lossy(&value[..fixed]).chars().count();
        out.extend_from_slice(secret::redact(&shown, fixed_chars).as_bytes());
        at = end;
    }
    out.extend_from_slice(&bytes[at..]);
    String::from_utf8_lossy(&out).into_owned()
}
