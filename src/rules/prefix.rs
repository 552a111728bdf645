//! The fixed prefix of a rule's format: the literal text its secret starts with
//! (`sk-ant-api03-`, `AKIA`, `ghp_`), which is public and which redaction shows. Derived
//! from the pattern of the secret's capture group; small classes (`api0[0-9]-`) count
//! only when a separator follows them, so a prefix never holds a character of the random
//! body. Generic rules (free-form values) have none.
//!
//! It must not know the matcher or findings.

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind};

/// The sub-expression of capture group `index` (0: the whole pattern).
fn capture(hir: &Hir, index: usize) -> Option<&Hir> {
    if index == 0 {
        return Some(hir);
    }
    match hir.kind() {
        HirKind::Capture(c) if c.index as usize == index => Some(&c.sub),
        HirKind::Capture(c) => capture(&c.sub, index),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => hs.iter().find_map(|h| capture(h, index)),
        HirKind::Repetition(r) => capture(&r.sub, index),
        _ => None,
    }
}

/// The fixed prefixes the secret of `pattern` (group `secret_group`) may start with,
/// longest first.
pub fn fixed_prefixes(pattern: &str, secret_group: usize) -> Vec<Vec<u8>> {
    let Ok(hir) = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(pattern)
    else {
        return Vec::new();
    };
    let Some(secret) = capture(&hir, secret_group) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (limit_class, separator_only) in [(1, false), (10, true)] {
        let seq = Extractor::new()
            .kind(ExtractKind::Prefix)
            .limit_class(limit_class)
            .extract(secret);
        for lit in seq.literals().unwrap_or(&[]) {
            let b = lit.as_bytes();
            let printable = b.iter().all(|c| c.is_ascii_graphic() || *c == b' ');
            let separated = matches!(b.last(), Some(b'-' | b'_' | b'.'));
            if !b.is_empty() && !lit.is_exact() && printable && (separated || !separator_only) {
                out.push(b.to_vec());
            }
        }
    }
    out.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    out.dedup();
    out
}

/// The length in bytes of the longest of `prefixes` that `secret` starts with and that
/// is shorter than it (0 when none).
pub fn prefix_len(prefixes: &[Vec<u8>], secret: &[u8]) -> usize {
    prefixes
        .iter()
        .find(|p| p.len() < secret.len() && secret.starts_with(p))
        .map_or(0, Vec::len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(pattern: &str, group: usize, secret: &str) -> String {
        let p = fixed_prefixes(pattern, group);
        secret[..prefix_len(&p, secret.as_bytes())].to_string()
    }

    #[test]
    fn prefixes_are_the_literal_start_of_the_format() {
        let body = "x".repeat(93);
        assert_eq!(
            of(
                "sk-ant-api0[0-9]-[A-Za-z0-9_-]{93}AA",
                0,
                &format!("sk-ant-api03-{body}AA")
            ),
            "sk-ant-api03-"
        );
        assert_eq!(
            of(
                "(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}",
                0,
                // Built here, so no key-shaped literal is committed.
                &format!("ASIA{}", "Q".repeat(16))
            ),
            "ASIA"
        );
        assert_eq!(
            of(
                "github_pat_[0-9][A-Za-z0-9]{21}_[A-Za-z0-9]{59}",
                0,
                "github_pat_1abc"
            ),
            "github_pat_"
        );
        assert_eq!(of("ghp_[A-Za-z0-9]{36}", 0, "ghp_a-b_c"), "ghp_");
        assert_eq!(
            of(
                r"(?i:key)\s*=\s*(?P<secret>[A-Za-z0-9][A-Za-z0-9_-]{15,})",
                1,
                "Ab_cd-efghijklmnopq"
            ),
            ""
        );
    }
}
