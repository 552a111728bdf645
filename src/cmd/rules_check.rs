//! `keyward rules check`: every rule's examples are expanded into fresh random keys and
//! must be found by that rule (or variant); every example must contain one of the
//! rule's keywords (else the prefilter would never select the rule); no negative example
//! may match any rule. Ids and patterns were already checked when the set was built.
//!
//! It lives above the matcher, which it drives; rules must not know it.

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

/// Scan `text` as the file `path` (or as text read without a path).
fn scan_as<'m>(
    matcher: &'m mut Matcher<'_>,
    path: Option<&str>,
    text: &str,
) -> &'m [crate::scan::Candidate] {
    match path {
        Some(p) => matcher.scan_path(p, text.as_bytes()),
        None => matcher.scan(text.as_bytes()),
    }
}

/// The path a rule's examples are read as: its `example_path` when it has a path
/// condition.
fn example_path(spec: &crate::rules::RuleSpec) -> Option<&str> {
    if spec.paths.is_empty() {
        None
    } else {
        spec.example_path.as_deref()
    }
}

fn found_ids(matcher: &mut Matcher<'_>, path: Option<&str>, text: &str) -> Vec<String> {
    let rules = matcher.rules();
    scan_as(matcher, path, text)
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
        let path = example_path(spec);
        if !spec.paths.is_empty() {
            match path {
                None => report.problems.push(format!(
                    "{}: a rule with `paths` needs an `example_path`",
                    spec.id
                )),
                Some(p) => {
                    let mut meets = false;
                    let index = set.rules.iter().position(|r| r.id() == spec.id);
                    set.path_rules.allowed(p, |r| meets |= Some(r) == index);
                    if !meets {
                        report.problems.push(format!(
                            "{}: example_path {p:?} meets none of the rule's `paths`",
                            spec.id
                        ));
                    }
                }
            }
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
            if spec.paths.is_empty() && !lowered.iter().any(|k| lower.contains(k.as_str())) {
                report.problems.push(format!(
                    "{want}: example {template:?} contains none of the keywords {:?}",
                    spec.keywords
                ));
            }
            let ids = found_ids(&mut matcher, path, &text);
            if !ids.iter().any(|id| id == want) {
                report.problems.push(format!(
                    "{want}: example {template:?} was not found by its rule (found: {ids:?})"
                ));
            }
        }
        for negative in &spec.negative_examples {
            report.negatives += 1;
            let mut ids = found_ids(&mut matcher, None, negative);
            if path.is_some() {
                ids.extend(found_ids(&mut matcher, path, negative));
            }
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

/// What a property run of `rules check --samples N` found: for every rule, how many
/// random keys it was given and which ones it missed.
#[derive(Debug, Default)]
pub struct SampleReport {
    /// (rule or variant id, samples, missed).
    pub per_rule: Vec<(String, usize, usize)>,
    /// The same for the generic rules of the lowest precision: their values have no
    /// format, so their own heuristics (entropy, runs such as `01234`) may drop one now
    /// and then; counted, not a failure.
    pub generic: Vec<(String, usize, usize)>,
    /// The first misses, described (the keys are random fakes, safe to show).
    pub misses: Vec<String>,
}

impl SampleReport {
    pub fn samples(&self) -> usize {
        self.per_rule.iter().chain(&self.generic).map(|r| r.1).sum()
    }

    /// Keys of a format (every rule but the generic ones) that were missed.
    pub fn missed(&self) -> usize {
        self.per_rule.iter().map(|r| r.2).sum()
    }
}

/// Feed `per_rule` random keys of every rule (and variant) to the matcher, each in one of
/// the rule's example texts, and require every one to be found by that rule with its
/// provider. Random runs are drawn once, never again for looking like a placeholder
/// (except for generic rules, whose values have no format to be valid in): a format-valid
/// key must never be dropped by a heuristic.
pub fn check_samples(set: &RuleSet, rng: &mut Rng, per_rule: usize) -> SampleReport {
    let mut report = SampleReport::default();
    let mut matcher = Matcher::new(set);
    for rule in &set.rules {
        let spec = &rule.spec;
        let ctx = Context {
            checksum: spec.checksum,
            key_template: spec.key.as_deref(),
        };
        let mut targets: Vec<(&str, &str, Vec<&str>)> = vec![(
            spec.id.as_str(),
            spec.provider.as_str(),
            spec.examples.iter().map(String::as_str).collect(),
        )];
        for v in &rule.variants {
            targets.push((
                v.id.as_str(),
                v.provider.as_str(),
                v.examples.iter().map(String::as_str).collect(),
            ));
        }
        let path = example_path(spec);
        for (id, provider, examples) in targets {
            if examples.is_empty() {
                continue;
            }
            let mut missed = 0;
            for i in 0..per_rule {
                let template = examples[i % examples.len()];
                let (text, key) = match sample(template, ctx, spec.generic, rng) {
                    Ok(t) => t,
                    Err(e) => {
                        missed += 1;
                        if report.misses.len() < 20 {
                            report
                                .misses
                                .push(format!("{id}: example {template:?}: {e}"));
                        }
                        continue;
                    }
                };
                let candidates = scan_as(&mut matcher, path, &text);
                let hit = candidates.iter().any(|c| {
                    let (got_id, got_provider) = names(set, c);
                    got_id == id
                        && got_provider == provider
                        && key
                            .as_deref()
                            .is_none_or(|k| &text.as_bytes()[c.start..c.end] == k.as_bytes())
                });
                if !hit {
                    missed += 1;
                    if report.misses.len() < 20
                        && !(spec.generic && spec.precision == crate::rules::Precision::Low)
                    {
                        let found: Vec<&str> = scan_as(&mut matcher, path, &text)
                            .iter()
                            .map(|c| names(set, c).0)
                            .collect();
                        report.misses.push(format!(
                            "{id}: not found in {text:?} (example {template:?}; found: {found:?})"
                        ));
                    }
                }
            }
            let entry = (id.to_string(), per_rule, missed);
            if spec.generic && spec.precision == crate::rules::Precision::Low {
                report.generic.push(entry);
            } else {
                report.per_rule.push(entry);
            }
        }
    }
    report
}

/// The rule (or variant) id and the provider a candidate is reported with.
fn names<'a>(set: &'a RuleSet, c: &crate::scan::Candidate) -> (&'a str, &'a str) {
    let rule = &set.rules[c.rule];
    let id = c
        .variant
        .map_or(rule.spec.id.as_str(), |v| rule.variants[v].id.as_str());
    let provider = match (c.named_by, c.variant) {
        (Some((r, Some(v))), _) => set.rules[r].variants[v].provider.as_str(),
        (Some((r, None)), _) => set.rules[r].spec.provider.as_str(),
        (None, Some(v)) => rule.variants[v].provider.as_str(),
        (None, None) => rule.spec.provider.as_str(),
    };
    (id, provider)
}

/// One sample text of `template` and, when it holds `{key}`, the key drawn for it.
fn sample(
    template: &str,
    ctx: Context<'_>,
    generic: bool,
    rng: &mut Rng,
) -> Result<(String, Option<String>), template::TemplateError> {
    if generic {
        return Ok((template::expand(template, ctx, rng)?, None));
    }
    match ctx.key_template.filter(|_| template.contains("{key}")) {
        Some(key_template) => {
            let inner = Context {
                checksum: ctx.checksum,
                key_template: None,
            };
            let key = template::expand_unfiltered(key_template, inner, rng)?;
            let escaped = key.replace('{', "{{").replace('}', "}}");
            let text = template::expand_unfiltered(&template.replace("{key}", &escaped), ctx, rng)?;
            Ok((text, Some(key)))
        }
        None => Ok((template::expand_unfiltered(template, ctx, rng)?, None)),
    }
}
