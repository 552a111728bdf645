//! Configurations that suppress everything. An allowlist entry that matches every path
//! or every secret, or a `[rules] disable` list that names every rule, hides every
//! finding; the summary only counts them. A scanned repository's own `keyward.toml`
//! can do that, so keyward says so as a warning, naming the file and the entry.
//!
//! It must not know how findings are suppressed; it reads the configuration only.

use crate::config::{Config, RuleAllowlist};
use crate::rules::RuleSet;
use globset::GlobBuilder;
use regex::Regex;

/// Paths a catch-all path pattern matches (all of them).
const PROBE_PATHS: &[&str] = &[
    "a",
    ".env",
    "src/main.rs",
    "config/settings.yaml",
    "deploy/prod/secrets.json",
    "a/b/c/d/e/f/g.txt",
    "README.md",
    "Dockerfile",
    "x y/z.pem",
    ".github/workflows/ci.yml",
];

/// The shapes of secrets: a secret pattern or stopword that matches (nearly) all of
/// them matches (nearly) every secret. Prefixes and short made-up bodies only.
fn probe_secrets() -> Vec<String> {
    let body = "Q7vK2mP9wL4nR8tY3uB6xZ1c";
    vec![
        format!("sk-proj-{body}"),
        format!("AKIA{}", body.to_ascii_uppercase()),
        format!("ghp_{body}"),
        format!("xoxb-1234-5678-{body}"),
        body.to_ascii_lowercase(),
        "0123456789abcdef0123456789abcdef".to_string(),
        format!("eyJhbGciOiJIUzI1NiJ9.{body}.{body}"),
        format!("postgres://app:{body}@db.internal/app"),
        "-----BEGIN OPENSSH PRIVATE KEY-----".to_string(),
        "hunter2!".to_string(),
        format!("{body}/+=="),
        "P@ssw0rd-2026".to_string(),
    ]
}

/// The share of `probes` matched, as (matched, total).
fn share(probes: &[String], matches: impl Fn(&str) -> bool) -> (usize, usize) {
    (probes.iter().filter(|p| matches(p)).count(), probes.len())
}

/// Does the allowlist (or one rule's) hold an entry that matches every path, or
/// every or nearly every secret? Each such entry, as `field entry N: what it matches`.
fn catch_alls(
    paths: &[String],
    path_regexes: &[String],
    regexes: &[String],
    stopwords: &[String],
) -> Vec<String> {
    let mut out = Vec::new();
    let secrets = probe_secrets();
    for (n, p) in paths.iter().enumerate() {
        // As the suppression filter compiles them (`*` crosses `/`).
        let Ok(g) = GlobBuilder::new(p).build() else {
            continue;
        };
        let m = g.compile_matcher();
        if PROBE_PATHS.iter().all(|p| m.is_match(p)) {
            out.push(format!("paths entry {}: matches every path", n + 1));
        }
    }
    for (n, r) in path_regexes.iter().enumerate() {
        let Ok(r) = Regex::new(r) else { continue };
        if PROBE_PATHS.iter().all(|p| r.is_match(p)) {
            out.push(format!("path_regexes entry {}: matches every path", n + 1));
        }
    }
    for (n, r) in regexes.iter().enumerate() {
        let Ok(r) = Regex::new(r) else { continue };
        let (hit, all) = share(&secrets, |s| r.is_match(s));
        if r.is_match("") || hit == all {
            out.push(format!("regexes entry {}: matches every secret", n + 1));
        } else if hit + 2 >= all {
            out.push(format!(
                "regexes entry {}: matches nearly every secret",
                n + 1
            ));
        }
    }
    for (n, w) in stopwords.iter().enumerate() {
        let w = w.to_lowercase();
        let (hit, all) = share(&secrets, |s| s.to_lowercase().contains(&w));
        if w.is_empty() || hit == all {
            out.push(format!("stopwords entry {}: matches every secret", n + 1));
        } else if hit * 2 >= all || w.chars().count() < 3 {
            out.push(format!(
                "stopwords entry {}: a word this short or common matches most secrets",
                n + 1
            ));
        }
    }
    out
}

fn rule_catch_alls(a: &RuleAllowlist) -> Vec<String> {
    catch_alls(&a.paths, &a.path_regexes, &a.regexes, &a.stopwords)
}

/// Warnings (for standard error) about a configuration that suppresses everything or
/// nearly everything, each naming the file and the entry.
pub fn warnings(config: &Config, rules: &RuleSet) -> Vec<String> {
    let Some(source) = &config.source else {
        return Vec::new();
    };
    let file = source.display();
    let whose = if config.from_repository() {
        " (a configuration the scanned repository supplies)"
    } else {
        ""
    };
    let mut out = Vec::new();
    let a = &config.allowlist;
    for entry in catch_alls(&a.paths, &a.path_regexes, &a.regexes, &a.stopwords) {
        out.push(format!(
            "{file}{whose}: [allowlist] {entry}: every finding it matches is suppressed and only counted (--no-config scans without it)"
        ));
    }
    // Rules silenced one by one: disabled, or allowlisted everywhere.
    let mut silenced = 0usize;
    let mut named = Vec::new();
    for r in &rules.rules {
        if config.rules.disable.iter().any(|d| d == r.id()) {
            silenced += 1;
            continue;
        }
        if let Some(list) = config.allowlist.rules.get(r.id()) {
            let alls = rule_catch_alls(list);
            if alls.iter().any(|e| e.contains("every")) {
                silenced += 1;
                named.push(format!("[allowlist.rules.{}] {}", r.id(), alls[0]));
            }
        }
    }
    let total = rules.rules.len();
    if total > 0 && silenced * 10 >= total * 9 {
        let mut what = format!(
            "{silenced} of the {total} rules are disabled ([rules] disable) or allowlisted for every path or secret"
        );
        if let Some(first) = named.first() {
            what.push_str(&format!(" (such as {first})"));
        }
        out.push(format!(
            "{file}{whose}: {what}: their findings are suppressed and only counted"
        ));
    }
    if !config.rules.builtin && config.from_repository() {
        out.push(format!(
            "{file}{whose}: [rules] builtin = false: none of keyward's built-in rules run, only the {} custom rule(s) of this file (--no-config scans with the built-in rules)",
            config.rule.len()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn warn(toml: &str) -> Vec<String> {
        let config = Config::parse(toml, Path::new("keyward.toml")).unwrap();
        warnings(&config, &config.rule_set().unwrap())
    }

    #[test]
    fn catch_all_entries_are_named() {
        for (toml, want) in [
            (
                "[allowlist]\npaths = [\"docs/**\", \"**\"]\n",
                "[allowlist] paths entry 2: matches every path",
            ),
            (
                "[allowlist]\npaths = [\"*\"]\n",
                "paths entry 1: matches every path",
            ),
            (
                "[allowlist]\npath_regexes = [\".*\"]\n",
                "path_regexes entry 1: matches every path",
            ),
            (
                "[allowlist]\nregexes = [\"^\"]\n",
                "regexes entry 1: matches every secret",
            ),
            (
                "[allowlist]\nregexes = [\"[A-Za-z]\"]\n",
                "regexes entry 1: matches every secret",
            ),
            (
                "[allowlist]\nregexes = [\"[a-z]\"]\n",
                "regexes entry 1: matches nearly every secret",
            ),
            (
                "[allowlist]\nstopwords = [\"\"]\n",
                "stopwords entry 1: matches every secret",
            ),
            (
                "[allowlist]\nstopwords = [\"e\"]\n",
                "stopwords entry 1: a word this short",
            ),
        ] {
            let w = warn(toml).join("\n");
            assert!(w.contains(want), "{toml}: {w}");
            assert!(w.contains("keyward.toml"), "{w}");
        }
    }

    #[test]
    fn narrow_entries_are_not_warned_about() {
        for toml in [
            "[allowlist]\npaths = [\"tests/fixtures/**\", \"**/*.snap\"]\nregexes = [\"^AKIAIOSFODNN7\"]\nstopwords = [\"example\"]\npath_regexes = [\"^docs/\"]\n",
            "[rules]\ndisable = [\"generic-password\"]\n",
            "",
        ] {
            assert!(warn(toml).is_empty(), "{toml}: {:?}", warn(toml));
        }
    }

    #[test]
    fn disabling_every_rule_is_warned_about() {
        let all: Vec<String> = crate::rules::builtin_rules()
            .unwrap()
            .iter()
            .map(|r| format!("{:?}", r.id()))
            .collect();
        let w = warn(&format!("[rules]\ndisable = [{}]\n", all.join(", "))).join("\n");
        assert!(w.contains("rules are disabled"), "{w}");
    }
}
