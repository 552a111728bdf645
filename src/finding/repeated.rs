//! Values repeated across many files: a generic (low-confidence) value that occurs in
//! [`MIN_FILES`] or more distinct files of one scan is a sample copied from page to page
//! (the same sample token in five module docs, a test password in every fixture), not a
//! secret someone leaked. Findings of a format (a unique prefix, a checksum, a provider's
//! context, a private key), even when a test path made them `low`, are never judged by
//! this: the caller says which findings are generic.
//!
//! It knows findings only: the caller decides what to do with the ones it names.

use super::{Confidence, Finding};
use std::collections::{HashMap, HashSet};

/// How many distinct files a low-confidence value must occur in to be an example.
pub const MIN_FILES: usize = 4;

/// The indexes of the low-confidence findings of a generic rule (`generic` says which
/// rule ids are) whose value occurs in at least [`MIN_FILES`] distinct files (counted over
/// every finding given), with the number of files.
pub fn repeated(findings: &[&Finding], generic: impl Fn(&str) -> bool) -> Vec<(usize, usize)> {
    let judged = |f: &Finding| f.confidence == Confidence::Low && generic(&f.rule_id);
    let mut files: HashMap<&str, HashSet<&str>> = HashMap::new();
    for f in findings {
        if judged(f) {
            files.entry(f.secret.expose()).or_default();
        }
    }
    if files.is_empty() {
        return Vec::new();
    }
    for f in findings {
        if let Some(paths) = files.get_mut(f.secret.expose()) {
            paths.insert(f.path.as_str());
        }
    }
    findings
        .iter()
        .enumerate()
        .filter(|(_, f)| judged(f))
        .filter_map(|(i, f)| {
            let n = files[f.secret.expose()].len();
            (n >= MIN_FILES).then_some((i, n))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Severity;
    use crate::secret::Secret;

    fn finding(path: &str, value: &str, confidence: Confidence) -> Finding {
        Finding {
            rule_id: "generic-api-key".into(),
            rule_name: "Generic API key".into(),
            provider: "generic".into(),
            severity: Severity::Medium,
            confidence,
            path: path.into(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 2,
            column_utf16: 1,
            end_column_utf16: 2,
            secret: Secret::with_prefix(value.as_bytes(), 0),
            fingerprint: String::new(),
            line_hash: String::new(),
            revoke_url: String::new(),
            rotation_days: 90,
            client_exposed: false,
            decoded: None,
            agent: None,
            git: None,
        }
    }

    #[test]
    fn a_low_value_in_four_files_is_repeated_and_a_format_never_is() {
        let mut all = Vec::new();
        for p in ["a", "b", "c", "d"] {
            all.push(finding(p, "s4mple-t0ken", Confidence::Low));
            all.push(finding(p, "h1gh-format", Confidence::High));
        }
        // The same file twice counts once.
        all.push(finding("e", "thr33-files", Confidence::Low));
        all.push(finding("e", "thr33-files", Confidence::Low));
        all.push(finding("f", "thr33-files", Confidence::Low));
        all.push(finding("g", "thr33-files", Confidence::Medium));
        // A key of a format that a test path made `low` is never judged.
        for p in ["h", "i", "j", "k"] {
            let mut f = finding(p, "t3st-k3y", Confidence::Low);
            f.rule_id = "private-key".into();
            all.push(f);
        }
        let refs: Vec<&Finding> = all.iter().collect();
        let got = repeated(&refs, |id| id == "generic-api-key");
        let values: Vec<&str> = got.iter().map(|&(i, _)| all[i].secret.expose()).collect();
        assert_eq!(values, vec!["s4mple-t0ken"; 4]);
        assert!(got.iter().all(|&(_, n)| n == 4));
    }
}
