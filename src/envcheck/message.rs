//! The English of the verdicts: what a mismatch or a malformed value means and what to do
//! (which variable a key belongs in, the expected length, where keys are managed), and
//! the small helpers that make it read well (articles, length ranges).
//!
//! It must not decide a verdict, and it never quotes a value: at most its length and the
//! public prefix of its format.

use super::shape::Shape;
use super::verdict::{Checker, Hit};
use super::{Detected, Owner};

impl Checker<'_> {
    /// A key of another provider than `expected` in `name`: which variable it belongs
    /// in, and what to set `name` to.
    pub(super) fn mismatch_message(
        &self,
        name: &str,
        expected: &str,
        hit: &Hit,
        detected: &Detected,
    ) -> String {
        let r = &self.rules.rules[hit.rule];
        let home = match hit.variant {
            Some(v) => r.variants[v].env_vars.first(),
            None => r.spec.env_vars.first(),
        };
        let mut m = format!(
            "holds {} ({}), but {name} is for {expected} keys",
            a(&detected.name),
            detected.provider
        );
        match home {
            Some(home) if !home.eq_ignore_ascii_case(name) => {
                m.push_str(&format!(
                    ": move it to {home} and set {name} to your {expected} key"
                ));
            }
            _ => m.push_str(&format!(": set {name} to your {expected} key")),
        }
        m
    }

    /// Why `value` does not meet its owners' format, and what to do; sets `prefix` to
    /// the public prefix of the owner format it starts like, if any.
    pub(super) fn malformed_message(
        &mut self,
        owners: &[Owner],
        value: &str,
        prefix: &mut Option<String>,
    ) -> String {
        // One owner per rule.
        let mut rules: Vec<Owner> = Vec::new();
        for &o in owners {
            if !rules.iter().any(|r| r.0 == o.0) {
                rules.push(o);
            }
        }
        let url = {
            let r = &self.rules.rules[owners[0].0];
            owners[0]
                .1
                .map_or(&r.spec.revoke_url, |v| &r.variants[v].revoke_url)
                .clone()
        };
        let again = format!(
            "copy the whole key again (keys are managed at {})",
            crate::rules::revoke_at(&url)
        );
        // The owner whose prefix the value starts with, if any.
        let mut best: Option<(Owner, String)> = None;
        for &o in &rules {
            if let Some(p) = self.prefix_in(o.0, value) {
                if best.as_ref().is_none_or(|(_, b)| p.len() > b.len()) {
                    best = Some((o, p));
                }
            }
        }
        match best {
            Some((o, p)) => {
                let message = self.starts_like_message(&rules, o, &p, value, &again);
                *prefix = Some(p);
                message
            }
            None => self.unlike_message(&rules, value, &again),
        }
    }

    /// `value` starts with `owner`'s public prefix `p`: it has a possible length (a
    /// character outside the alphabet, a failed checksum) or not (truncated, extra
    /// characters).
    fn starts_like_message(
        &mut self,
        rules: &[Owner],
        owner: Owner,
        p: &str,
        value: &str,
        again: &str,
    ) -> String {
        let len = value.chars().count();
        let name = self.describe(owner).name;
        // Every owner format with this prefix (xAI keys come in two lengths).
        let mut shapes: Vec<Shape> = Vec::new();
        for &(rule, _) in rules {
            if self.prefix_in(rule, value).as_deref() == Some(p) {
                shapes.push(self.shape(rule).clone());
            }
        }
        let fits = shapes
            .iter()
            .any(|shape| shape.min.is_none_or(|m| len >= m) && shape.max.is_none_or(|m| len <= m));
        if fits {
            return format!(
                "starts like {} and has a possible length ({len} characters) but does not match the format (a character outside its alphabet, a failed checksum, or a copy error): {again}",
                a(&name)
            );
        }
        let mut lengths: Vec<String> = Vec::new();
        for shape in &shapes {
            let l = length_range(shape);
            if !lengths.contains(&l) {
                lengths.push(l);
            }
        }
        format!(
            "starts like {} but has {len} characters where the format has {}: it is truncated or has extra characters; {again}",
            a(&name),
            lengths.join(" or ")
        )
    }

    /// `value` starts like none of the owner formats: name them (at most three), and for
    /// a single rule, how its keys start and how long they are.
    fn unlike_message(&mut self, rules: &[Owner], value: &str, again: &str) -> String {
        let len = value.chars().count();
        let names: Vec<String> = rules.iter().map(|&o| self.describe(o).name).collect();
        let mut listed = names.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
        if names.len() > 3 {
            listed.push_str(&format!(" and {} more", names.len() - 3));
        }
        let mut hint = String::new();
        if let [(rule, _)] = rules[..] {
            let shape = self.shape(rule).clone();
            let starts = common_prefix(&shape.prefixes);
            let mut parts = Vec::new();
            if !starts.is_empty() {
                parts.push(format!("starts with {starts}"));
            }
            if shape.min.is_some() {
                parts.push(format!("has {}", length_range(&shape)));
            }
            if !parts.is_empty() {
                hint = format!("; the format {}", parts.join(" and "));
            }
        }
        format!(
            "does not match the format of {} ({len} characters{hint}): {again}",
            a(&listed)
        )
    }
}

/// `name` with its indefinite article: `an Anthropic API key`, `a GitHub token`,
/// `an sk- key` (a short code or acronym is read letter by letter).
pub(super) fn a(name: &str) -> String {
    let word = name.split_whitespace().next().unwrap_or("");
    let mut chars = word.chars();
    let (Some(first), second) = (chars.next(), chars.next()) else {
        return name.to_string();
    };
    let spelled = word.len() <= 4
        && (word.chars().filter(char::is_ascii_uppercase).count() >= 2
            || word.contains('-')
            || (first.is_ascii_lowercase() && second.is_some_and(|c| c.is_ascii_uppercase())));
    let first = first.to_ascii_uppercase();
    let vowel = if spelled {
        "AEFHILMNORSX".contains(first)
    } else {
        "AEIOU".contains(first)
    };
    format!("{} {name}", if vowel { "an" } else { "a" })
}

/// `108 characters`, `84 to 124 characters`, `at least 20 characters`.
fn length_range(shape: &Shape) -> String {
    match (shape.min, shape.max) {
        (Some(a), Some(b)) if a == b => format!("{a} characters"),
        (Some(a), Some(b)) => format!("{a} to {b} characters"),
        (Some(a), None) => format!("at least {a} characters"),
        _ => "another length".to_string(),
    }
}

/// The longest common prefix of `items` (empty when there are none).
fn common_prefix(items: &[String]) -> String {
    let Some(first) = items.first() else {
        return String::new();
    };
    let mut n = first.len();
    for s in &items[1..] {
        n = n.min(
            first
                .bytes()
                .zip(s.bytes())
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    first[..n].to_string()
}
