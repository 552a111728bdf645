//! `keyward rules check`: every rule's examples are expanded into fresh random keys and
//! must be found by that rule (or variant); every example must contain one of the
//! rule's keywords (else the prefilter would never select the rule); no negative example
//! may match any rule. Ids and patterns were already checked when the set was built.

use crate::rules::template::{self, Context, Rng};
use crate::rules::RuleSet;
use crate::scan::Matcher;

/// What `rules check` found.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub rules: usize,
    pub examples: usize,
    pub negatives: usize,
    pub problems: Vec<String>,
}

impl CheckReport {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

fn found_ids(matcher: &mut Matcher<'_>, text: &str) -> Vec<String> {
    let rules = matcher.rules();
    matcher
        .scan(text.as_bytes())
        .iter()
        .map(|c| {
            let rule = &rules.rules[c.rule];
            c.variant
                .map_or_else(|| rule.spec.id.clone(), |v| rule.variants[v].id.clone())
        })
        .collect()
}

/// Check every rule of `set`, drawing random keys from `rng`.
pub fn check_rules(set: &RuleSet, rng: &mut Rng) -> CheckReport {
    let mut report = CheckReport {
        rules: set.len(),
        ..CheckReport::default()
    };
    let mut matcher = Matcher::new(set);
    for rule in &set.rules {
        if let Err(e) = rule.compile_now() {
            report.problems.push(e.to_string());
        }
        let spec = &rule.spec;
        let ctx = Context {
            checksum: spec.checksum,
            key_template: spec.key.as_deref(),
        };
        let lowered: Vec<String> = spec
            .keywords
            .iter()
            .map(|k| k.to_ascii_lowercase())
            .collect();
        let mut positives: Vec<(&str, &str)> = spec
            .examples
            .iter()
            .map(|e| (spec.id.as_str(), e.as_str()))
            .collect();
        for v in &rule.variants {
            positives.extend(v.examples.iter().map(|e| (v.id.as_str(), e.as_str())));
        }
        if spec.examples.is_empty() {
            report.problems.push(format!("{}: no examples", spec.id));
        }
        for (want, template) in positives {
            report.examples += 1;
            let text = match template::expand(template, ctx, rng) {
                Ok(t) => t,
                Err(e) => {
                    report
                        .problems
                        .push(format!("{want}: example {template:?}: {e}"));
                    continue;
                }
            };
            let lower = text.to_ascii_lowercase();
            if !lowered.iter().any(|k| lower.contains(k.as_str())) {
                report.problems.push(format!(
                    "{want}: example {template:?} contains none of the keywords {:?}",
                    spec.keywords
                ));
            }
            let ids = found_ids(&mut matcher, &text);
            if !ids.iter().any(|id| id == want) {
                report.problems.push(format!(
                    "{want}: example {template:?} was not found by its rule (found: {ids:?})"
                ));
            }
        }
        for negative in &spec.negative_examples {
            report.negatives += 1;
            let ids = found_ids(&mut matcher, negative);
            if !ids.is_empty() {
                report.problems.push(format!(
                    "{}: negative example {negative:?} matches {ids:?}",
                    spec.id
                ));
            }
        }
    }
    report
}
