//! Redaction of what a report prints besides the secret itself: a file name, a commit
//! message, an author, or a rule field from a repository's configuration may hold a key
//! too. Unless `--no-redact`, every such text goes through the matcher and each key in
//! it is redacted ([`crate::scan::redact::redact_text`]); fingerprints, hashes and
//! baselines are computed before, from the real values.
//!
//! It must not know the formats: it hands them redacted copies.

use crate::finding::Finding;
use crate::rules::RuleSet;
use crate::scan::redact::redact_text;
use crate::suppress::Suppressed;
use std::collections::HashMap;

/// Redacts texts, remembering each one (a report repeats paths and rule names).
pub struct Redactor<'r> {
    rules: &'r RuleSet,
    seen: HashMap<String, String>,
}

impl<'r> Redactor<'r> {
    pub fn new(rules: &'r RuleSet) -> Redactor<'r> {
        Redactor {
            rules,
            seen: HashMap::new(),
        }
    }

    pub fn text(&mut self, s: &str) -> String {
        if let Some(r) = self.seen.get(s) {
            return r.clone();
        }
        let r = redact_text(self.rules, s);
        self.seen.insert(s.to_string(), r.clone());
        r
    }

    /// `f` with its path, rule texts and commit data redacted.
    pub fn finding(&mut self, f: &Finding) -> Finding {
        let mut f = f.clone();
        f.path = self.text(&f.path);
        f.rule_name = self.text(&f.rule_name);
        f.provider = self.text(&f.provider);
        f.revoke_url = self.text(&f.revoke_url);
        if let Some(g) = f.git.as_deref_mut() {
            g.author = self.text(&g.author);
            g.email = self.text(&g.email);
            g.summary = self.text(&g.summary);
            for l in &mut g.locations {
                l.path = self.text(&l.path);
            }
        }
        if let Some(a) = f.agent.as_deref_mut() {
            a.server = a.server.as_deref().map(|s| self.text(s));
            a.field = self.text(&a.field);
        }
        f
    }

    pub fn findings(&mut self, findings: &[Finding]) -> Vec<Finding> {
        findings.iter().map(|f| self.finding(f)).collect()
    }

    pub fn suppressed(&mut self, suppressed: &[Suppressed]) -> Vec<Suppressed> {
        suppressed
            .iter()
            .map(|s| Suppressed {
                finding: self.finding(&s.finding),
                reason: s.reason,
                detail: self.text(&s.detail),
            })
            .collect()
    }
}
