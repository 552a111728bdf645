//! What a rule's pattern says of its keys: the public prefixes a key starts with (from
//! [`crate::rules::prefix`], the same fixed prefixes redaction shows) and the length
//! range of the secret.
//!
//! It knows patterns, not values: it must not know variables, verdicts or messages.

use crate::rules::prefix::fixed_prefixes;
use crate::rules::Rule;
use regex_syntax::hir::{Hir, HirKind};

/// What a rule's pattern says of its secret: the literal prefixes it starts with and its
/// length range.
#[derive(Debug, Clone, Default)]
pub(super) struct Shape {
    pub(super) prefixes: Vec<String>,
    pub(super) min: Option<usize>,
    pub(super) max: Option<usize>,
}

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

/// The shape of `rule`'s secret; an empty shape when its pattern does not parse.
pub(super) fn shape_of(rule: &Rule) -> Shape {
    let parsed = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(rule.pattern());
    let Ok(hir) = parsed else {
        return Shape::default();
    };
    let Some(secret) = capture(&hir, rule.secret_group()) else {
        return Shape::default();
    };
    let props = secret.properties();
    // The fixed prefixes are printable ASCII, so the conversion loses nothing.
    let mut prefixes: Vec<String> = fixed_prefixes(rule.pattern(), rule.secret_group())
        .iter()
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect();
    prefixes.sort();
    Shape {
        prefixes,
        min: props.minimum_len(),
        max: props.maximum_len(),
    }
}

/// The longest public prefix of `rule`'s format that `value` starts with, if it is
/// shorter than the value.
pub(super) fn prefix_in(rule: &Rule, value: &str) -> Option<String> {
    let n = rule.fixed_prefix_len(value.as_bytes());
    // A fixed prefix is ASCII, so `n` is a character boundary of `value`.
    (n > 0).then(|| value[..n].to_string())
}
