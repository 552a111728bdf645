//! Path conditions: the rules that report only in files of a given name (credential
//! files such as `.npmrc`, `.pgpass`, a kubeconfig or a keystore), and which of them a
//! path allows. The patterns are checked when a rule is loaded and compiled into one
//! regex set the first time a path is asked about (a pre-commit run that touches no such
//! file never builds it).
//!
//! It must not know matching, findings or how files are read.

use regex::{RegexSet, RegexSetBuilder};
use std::sync::OnceLock;

/// The rules with a `paths` condition.
#[derive(Debug, Default)]
pub struct PathRules {
    /// Every pattern, in order, with the index of the rule it belongs to.
    patterns: Vec<String>,
    owners: Vec<usize>,
    /// Indexes of the rules with a condition (sorted, each once).
    pub rules: Vec<usize>,
    set: OnceLock<Option<RegexSet>>,
}

/// `path` as the patterns see it: `/`-separated, without a leading `./`.
pub fn normalized(path: &str) -> String {
    let p = path.replace('\\', "/");
    p.strip_prefix("./").map(str::to_string).unwrap_or(p)
}

/// Why a `paths` pattern cannot be used (it does not parse).
pub fn pattern_problem(pattern: &str) -> Option<String> {
    regex_syntax::Parser::new()
        .parse(pattern.strip_prefix('!').unwrap_or(pattern))
        .err()
        .map(|e| crate::parse_error::regex_error(&e))
}

impl PathRules {
    /// Collect the conditions of `rules` (`(index, patterns)` of each rule).
    pub fn new<'a>(rules: impl Iterator<Item = (usize, &'a [String])>) -> PathRules {
        let mut out = PathRules::default();
        for (i, patterns) in rules {
            if patterns.is_empty() {
                continue;
            }
            out.rules.push(i);
            for p in patterns {
                out.patterns.push(p.clone());
                out.owners.push(i);
            }
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Call `allow` with the index of every rule whose condition `path` meets: one of
    /// its patterns matches, and none of its `!` patterns (exclusions) does.
    pub fn allowed(&self, path: &str, mut allow: impl FnMut(usize)) {
        if self.rules.is_empty() {
            return;
        }
        let set = self.set.get_or_init(|| {
            RegexSetBuilder::new(
                self.patterns
                    .iter()
                    .map(|p| p.strip_prefix('!').unwrap_or(p)),
            )
            .case_insensitive(true)
            .build()
            .ok()
        });
        let Some(set) = set else { return };
        let path = normalized(path);
        let matched: Vec<usize> = set.matches(&path).iter().collect();
        let excluded = |owner: usize| {
            matched
                .iter()
                .any(|&m| self.owners[m] == owner && self.patterns[m].starts_with('!'))
        };
        let mut last = None;
        for &m in &matched {
            let owner = self.owners[m];
            if !self.patterns[m].starts_with('!') && last != Some(owner) && !excluded(owner) {
                last = Some(owner);
                allow(owner);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_meets_the_conditions_of_its_rules_only() {
        let a = vec![r"(?:^|/)\.npmrc$".to_string()];
        let b = vec![
            r"(?:^|/)\.pgpass$".to_string(),
            r"\.pgpass\.conf$".to_string(),
        ];
        let rules = PathRules::new([(3, a.as_slice()), (7, b.as_slice())].into_iter());
        let got = |p: &str| {
            let mut v = Vec::new();
            rules.allowed(p, |i| v.push(i));
            v
        };
        assert_eq!(got("./.npmrc"), vec![3]);
        assert_eq!(got("home\\ci\\.NPMRC"), vec![3]);
        assert_eq!(got("x/.pgpass"), vec![7]);
        assert!(got("x/npmrc.md").is_empty());
        let c = vec![r"\.jks$".to_string(), "!truststore".to_string()];
        let rules = PathRules::new([(1, c.as_slice())].into_iter());
        let mut hits = Vec::new();
        rules.allowed("a/client.keystore.jks", |i| hits.push(i));
        rules.allowed("a/kafka.truststore.jks", |i| hits.push(i));
        assert_eq!(hits, vec![1]);
        assert!(pattern_problem("(unclosed").is_some());
    }
}
