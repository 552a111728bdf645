//! What a known name's owners (the rules and variants that list it) accept: the
//! providers they stand for, whether a key found in a value belongs to them, and whether
//! the name is loose (may hold values of other kinds than their formats).
//!
//! It knows rules and the matcher through the [`Checker`]; it must not know verdict
//! steps, messages, or where values come from.

use super::classify::{only_generic_words, same_provider};
use super::verdict::{Checker, Hit};
use super::{Detected, KnownVar, Owner};
use crate::rules::template::{expand_key, Rng};

impl<'r> Checker<'r> {
    /// The rule or variant `owner` is, as a report shows it.
    pub(super) fn describe(&self, (rule, variant): Owner) -> Detected {
        let r = &self.rules.rules[rule];
        match variant {
            Some(v) => {
                let v = &r.variants[v];
                Detected {
                    rule: v.id.clone(),
                    name: v.name.clone(),
                    provider: v.provider.clone(),
                }
            }
            None => Detected {
                rule: r.spec.id.clone(),
                name: r.spec.name.clone(),
                provider: r.spec.provider.clone(),
            },
        }
    }

    fn provider(&self, (rule, variant): Owner) -> &'r str {
        let r = &self.rules.rules[rule];
        match variant {
            Some(v) => &r.variants[v].provider,
            None => &r.spec.provider,
        }
    }

    /// The providers a name's owners stand for, e.g. `OpenAI`.
    pub(super) fn expected(&self, owners: &[Owner]) -> String {
        let mut seen: Vec<&str> = Vec::new();
        for &o in owners {
            let p = self.provider(o);
            if !seen.contains(&p) {
                seen.push(p);
            }
        }
        seen.join(" or ")
    }

    /// Whether a key of `hit`'s rule and variant belongs in a variable with `owners`:
    /// the owner's own rule (its variant, or no variant told by context), the same
    /// provider, or a family of look-alike keys one of whose variants is the owner's
    /// provider.
    pub(super) fn compatible(&self, owners: &[Owner], hit: &Hit) -> bool {
        let found = self.provider((hit.rule, hit.variant));
        owners.iter().any(|&(rule, variant)| {
            if rule == hit.rule
                && (variant.is_none() || hit.variant.is_none() || variant == hit.variant)
            {
                return true;
            }
            let owner = self.provider((rule, variant));
            same_provider(found, owner)
                || (hit.variant.is_none()
                    && self.rules.rules[hit.rule]
                        .variants
                        .iter()
                        .any(|v| same_provider(&v.provider, owner)))
        })
    }

    /// Whether a known name may hold values of other kinds than its owners' formats, so
    /// that an unrecognised value is an unknown format rather than an error, and another
    /// provider's key is not a mismatch: names that name no provider (`ACCESS_TOKEN`,
    /// `PRIVATE_KEY`), passwords (`DOCKER_PASSWORD` may be a password rather than a
    /// token), and names whose owners cannot recognise a bare key assigned to them (a
    /// connection string, a credentials document: the key is inside a larger value,
    /// which may hold none).
    pub fn is_loose(&mut self, known: &KnownVar) -> bool {
        self.leniency(known).0
    }

    /// (loose, container): container names are those whose owners cannot recognise a
    /// bare key assigned to them; they are loose too.
    pub(super) fn leniency(&mut self, known: &KnownVar) -> (bool, bool) {
        let upper = known.name.to_ascii_uppercase();
        let i = self.index.get(&upper).copied();
        if let Some(l) = i.and_then(|i| self.leniency.get(&i)) {
            return *l;
        }
        let words_generic = only_generic_words(&upper);
        let password = upper.contains("PASSWORD") || upper.contains("PASSWD");
        let container = !self.any_owner_direct(known);
        let l = (words_generic || password || container, container);
        if let Some(i) = i {
            self.leniency.insert(i, l);
        }
        l
    }

    /// Whether some owner, with a key template, recognises a key of its own assigned
    /// to the name (`NAME=key`).
    fn any_owner_direct(&mut self, known: &KnownVar) -> bool {
        let mut rng = Rng::new(0x656e_7663);
        let mut owner_rules: Vec<usize> = known.owners.iter().map(|o| o.0).collect();
        owner_rules.dedup();
        owner_rules.into_iter().any(|r| {
            let rule = &self.rules.rules[r];
            if rule.spec.generic {
                return false;
            }
            let Some(Ok(key)) = rule
                .spec
                .key
                .as_deref()
                .map(|t| expand_key(t, rule.spec.checksum, &mut rng))
            else {
                return false;
            };
            let line = format!("{}={key}", known.name);
            let off = known.name.len() + 1;
            self.matcher
                .scan(line.as_bytes())
                .iter()
                .any(|c| c.rule == r && c.start == off && c.end == line.len())
        })
    }
}
