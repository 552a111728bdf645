//! The [`Checker`]: what the scanner's matcher finds in a value, and the verdict on it,
//! in named steps tried in order (see the table in the module above):
//!
//! 1. [`unusable`]: not UTF-8, or empty;
//! 2. [`Checker::whole_key`]: a key spans the whole value;
//! 3. [`Checker::embedded_key`]: a key where the owner's format puts it in a larger value;
//! 4. [`Checker::key_with_extra`]: a key with other characters around it;
//! 5. [`Checker::no_key`]: no key: a file path, a placeholder, an unknown format, or a
//!    broken key.
//!
//! It knows settings, rules and the matcher; it must not know where settings come from
//! (files, the environment) or how results are printed.

use super::classify::{is_quoted, is_reference, looks_like_path};
use super::message::a;
use super::shape::{self, Shape};
use super::{known_vars, Checked, KnownVar, Owner, Setting, Status};
use crate::rules::RuleSet;
use crate::scan::{filters, Matcher};
use std::collections::HashMap;

/// A key the matcher found in a value (positions in the trimmed value).
#[derive(Debug, Clone, Copy)]
pub(super) struct Hit {
    pub(super) rule: usize,
    pub(super) variant: Option<usize>,
    pub(super) start: usize,
    pub(super) end: usize,
    /// Found in the value alone (not only after `NAME=`).
    pub(super) alone: bool,
}

/// Checks values against the rules. Holds one matcher and caches what it learns of
/// rules and names.
pub struct Checker<'r> {
    pub(super) rules: &'r RuleSet,
    pub(super) matcher: Matcher<'r>,
    known: Vec<KnownVar>,
    /// Upper-case name -> index in `known`.
    pub(super) index: HashMap<String, usize>,
    shapes: HashMap<usize, Shape>,
    /// Known-name index -> (loose, container); see [`Checker::is_loose`].
    pub(super) leniency: HashMap<usize, (bool, bool)>,
}

/// A value under check, with what its name allows.
struct Subject<'a> {
    name: &'a str,
    owners: &'a [Owner],
    /// The providers the owners stand for.
    expected: &'a str,
    /// The value as set.
    raw: &'a str,
    /// The value without the whitespace around it.
    value: &'a str,
    /// See [`Checker::is_loose`].
    loose: bool,
    /// The owners cannot recognise a bare key assigned to the name.
    container: bool,
}

impl<'r> Checker<'r> {
    pub fn new(rules: &'r RuleSet) -> Checker<'r> {
        let known = known_vars(rules);
        let index = known
            .iter()
            .enumerate()
            .map(|(i, k)| (k.name.to_ascii_uppercase(), i))
            .collect();
        Checker {
            rules,
            matcher: Matcher::new(rules),
            known,
            index,
            shapes: HashMap::new(),
            leniency: HashMap::new(),
        }
    }

    /// Every known name, sorted.
    pub fn known(&self) -> &[KnownVar] {
        &self.known
    }

    /// The known variable `name` is (case-insensitively: loaders such as
    /// pydantic-settings match names without case).
    pub fn lookup(&self, name: &str) -> Option<&KnownVar> {
        self.index
            .get(&name.to_ascii_uppercase())
            .map(|&i| &self.known[i])
    }

    pub(super) fn shape(&mut self, rule: usize) -> &Shape {
        let rules = self.rules;
        self.shapes
            .entry(rule)
            .or_insert_with(|| shape::shape_of(&rules.rules[rule]))
    }

    /// The longest public prefix of `rule`'s format that `value` starts with, if it is
    /// shorter than the value.
    pub(super) fn prefix_in(&self, rule: usize, value: &str) -> Option<String> {
        shape::prefix_in(&self.rules.rules[rule], value)
    }

    /// What the matcher finds in `value` assigned to `name` and alone. Generic rules
    /// count only when they own the name.
    fn hits(&mut self, name: &str, value: &str, owners: &[Owner]) -> Vec<Hit> {
        let rules = self.rules;
        let counts =
            |rule: usize| !rules.rules[rule].spec.generic || owners.iter().any(|o| o.0 == rule);
        let mut hits = Vec::new();
        let line = format!("{name}={value}");
        let off = name.len() + 1;
        for c in self.matcher.scan(line.as_bytes()) {
            if c.start >= off && counts(c.rule) {
                hits.push(Hit {
                    rule: c.rule,
                    variant: c.variant,
                    start: c.start - off,
                    end: c.end - off,
                    alone: false,
                });
            }
        }
        for c in self.matcher.scan(value.as_bytes()) {
            if counts(c.rule) {
                hits.push(Hit {
                    rule: c.rule,
                    variant: c.variant,
                    start: c.start,
                    end: c.end,
                    alone: true,
                });
            }
        }
        hits
    }

    /// Check one setting; `None` when the rules do not know its name.
    pub fn check(&mut self, setting: &Setting) -> Option<Checked> {
        let known = self.lookup(&setting.name)?.clone();
        Some(self.verdict(&known, setting))
    }

    /// The verdict: the first step that recognises the value decides.
    fn verdict(&mut self, known: &KnownVar, setting: &Setting) -> Checked {
        let owners = &known.owners;
        let raw = setting.value.as_str();
        let mut out = Checked {
            name: setting.name.clone(),
            origin: Some(setting.origin.clone()),
            status: Status::Valid,
            length: Some(raw.chars().count()),
            prefix: None,
            expected: self.expected(owners),
            detected: None,
            message: String::new(),
        };
        let expected = out.expected.clone();
        let value = raw.trim();
        if let Some((status, message)) = unusable(setting, value, &expected) {
            out.status = status;
            out.message = message;
            return out;
        }
        let (loose, container) = self.leniency(known);
        let hits = self.hits(&setting.name, value, owners);
        let s = Subject {
            name: &setting.name,
            owners,
            expected: &expected,
            raw,
            value,
            loose,
            container,
        };
        if self.whole_key(&s, &hits, &mut out)
            || self.embedded_key(&s, &hits, &mut out)
            || self.key_with_extra(&s, &hits, &mut out)
        {
            return out;
        }
        self.no_key(&s, &mut out);
        out
    }

    /// Step 2: a key spans the whole value (one the owners accept, if any does): valid, a
    /// mismatch, or malformed for the whitespace around it.
    fn whole_key(&mut self, s: &Subject<'_>, hits: &[Hit], out: &mut Checked) -> bool {
        let whole = |h: &&Hit| h.start == 0 && h.end == s.value.len();
        let full = hits
            .iter()
            .filter(whole)
            .find(|h| self.compatible(s.owners, h))
            .or_else(|| hits.iter().find(whole))
            .copied();
        let Some(h) = full else {
            return false;
        };
        let detected = self.describe((h.rule, h.variant));
        out.prefix = self.prefix_in(h.rule, s.value);
        if !self.compatible(s.owners, &h) && !s.loose {
            out.status = Status::Mismatch;
            out.message = self.mismatch_message(s.name, s.expected, &h, &detected);
        } else if s.value.len() != s.raw.len() {
            out.status = Status::Malformed;
            out.message = format!(
                "holds {} with whitespace around it (a trailing newline or space): remove it, clients send the value as it is",
                a(&detected.name)
            );
        } else {
            out.message = format!("well-formed: {}", detected.name);
        }
        out.detected = Some(detected);
        true
    }

    /// Step 3: a key inside a larger value where the owner's format puts it (the password
    /// of a connection string, the private key of a credentials document): valid.
    fn embedded_key(&self, s: &Subject<'_>, hits: &[Hit], out: &mut Checked) -> bool {
        let embedded = hits
            .iter()
            .find(|h| {
                h.alone
                    && self.rules.rules[h.rule].secret_group() != 0
                    && self.compatible(s.owners, h)
            })
            .copied();
        let Some(h) = embedded else {
            return false;
        };
        let detected = self.describe((h.rule, h.variant));
        out.message = format!("well-formed: {} inside the value", detected.name);
        out.detected = Some(detected);
        true
    }

    /// Step 4: a key with something around it: inside a container name's longer value,
    /// another provider's key, or a key in quotes or with extra characters.
    fn key_with_extra(&self, s: &Subject<'_>, hits: &[Hit], out: &mut Checked) -> bool {
        let Some(h) = hits.first().copied() else {
            return false;
        };
        let detected = self.describe((h.rule, h.variant));
        out.prefix = self
            .prefix_in(h.rule, &s.value[h.start..])
            .filter(|_| h.start == 0);
        let compatible = self.compatible(s.owners, &h);
        let (status, message) = if s.container && compatible {
            // A longer value (a connection string, a document) with a key inside.
            (
                Status::Valid,
                format!("well-formed: {} inside the value", detected.name),
            )
        } else if s.container {
            (
                Status::UnknownFormat,
                format!(
                    "holds {} inside a longer value; {} may hold one, so this is not an error",
                    a(&detected.name),
                    s.name
                ),
            )
        } else if !compatible && !s.loose {
            let m = self.mismatch_message(s.name, s.expected, &h, &detected);
            (
                Status::Mismatch,
                format!("{m} (with other characters around it)"),
            )
        } else if is_quoted(s.value) {
            (
                Status::Malformed,
                format!(
                    "holds {} inside quotes that were not removed (docker --env-file and some loaders keep them): remove the quotes",
                    a(&detected.name)
                ),
            )
        } else {
            (
                Status::Malformed,
                format!(
                    "holds {} with other characters around it: keep only the key",
                    a(&detected.name)
                ),
            )
        };
        out.status = status;
        out.message = message;
        out.detected = Some(detected);
        true
    }

    /// Step 5: no key in the value: a file path, a placeholder, an unknown format for a
    /// loose name, or else a broken key (malformed, saying why).
    fn no_key(&mut self, s: &Subject<'_>, out: &mut Checked) {
        if looks_like_path(s.value) {
            (out.status, out.message) = if s.loose {
                (
                    Status::UnknownFormat,
                    format!(
                        "looks like a file path; {} may hold one, so this is not an error",
                        s.name
                    ),
                )
            } else {
                (
                    Status::Malformed,
                    format!(
                        "looks like a file path, not a key: set {} to the {} key itself",
                        s.name, s.expected
                    ),
                )
            };
            return;
        }
        if self.is_placeholder(s.owners, s.value) {
            out.status = Status::Placeholder;
            out.message = "is a placeholder or a reference, not a key: not configured".to_string();
            return;
        }
        // A value that starts like an owner's format is a broken key, whatever the name.
        let starts_like = s
            .owners
            .iter()
            .any(|&(rule, _)| self.prefix_in(rule, s.value).is_some());
        if s.loose && !starts_like {
            out.status = Status::UnknownFormat;
            out.message = format!(
                "holds no key format the rules know; {} may hold other kinds of value, so this is not an error",
                s.name
            );
            return;
        }
        out.status = Status::Malformed;
        out.message = self.malformed_message(s.owners, s.value, &mut out.prefix);
    }

    /// Whether `value` is documentation, not a key: the placeholder filter of the
    /// scanner on what follows the format's prefix, or a reference to a variable.
    fn is_placeholder(&self, owners: &[Owner], value: &str) -> bool {
        if is_reference(value) {
            return true;
        }
        if value.contains('\n') {
            return false; // documentation fillers are one line; a PEM block is not one
        }
        let mut body = value;
        for &(rule, _) in owners {
            if let Some(p) = self.prefix_in(rule, value) {
                if value.len() - p.len() < body.len() {
                    body = &value[p.len()..];
                }
            }
        }
        filters::is_placeholder(body.as_bytes())
    }
}

/// Step 1: values no key can be: not UTF-8 (malformed: no client can send it) or empty
/// once trimmed (a placeholder).
fn unusable(setting: &Setting, value: &str, expected: &str) -> Option<(Status, String)> {
    if !setting.utf8 {
        return Some((
            Status::Malformed,
            format!(
                "is not valid UTF-8, so no client can send it: set it again to the {expected} key"
            ),
        ));
    }
    if value.is_empty() {
        return Some((Status::Placeholder, "is empty: not configured".to_string()));
    }
    None
}
