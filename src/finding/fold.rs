//! One finding per secret: the findings of a history scan that hold the same secret
//! value for the same rule (a file renamed and edited, a copy, the same key on another
//! branch) folded into one. The first sighting (walk order: reachable commits oldest
//! first, then unreachable ones; then path, line) is the finding; the first sighting at
//! each other path becomes one of its [`Location`]s, at most [`MAX_LOCATIONS`] of them,
//! with a count of the rest.
//!
//! The finding keeps its own fingerprint, path and line hash, so a baseline or ignore
//! file that named the first place still names it; suppression runs before folding, on
//! every place. It must not know sources, reports or commands: it reads findings only.

use super::Finding;
use std::collections::{HashMap, HashSet};

/// How many other places a folded finding lists; the rest are counted.
pub const MAX_LOCATIONS: usize = 20;

/// Another place where a folded finding's secret was first seen at a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: String,
    /// 1-based start and end (exclusive) positions, as in [`Finding`].
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// The same columns in UTF-16 code units (for SARIF).
    pub column_utf16: usize,
    pub end_column_utf16: usize,
    /// The commit (hex) that brought the secret to this path; empty for a blob no
    /// commit carries.
    pub commit: String,
    /// Its author date, ISO 8601.
    pub date: String,
    pub blob: String,
    /// Some ref reaches the commit.
    pub reachable: bool,
    /// The fingerprint this place had as a finding of its own (an ignore file entry).
    pub fingerprint: String,
}

impl Location {
    fn of(f: &Finding) -> Location {
        let g = f.git.as_deref();
        Location {
            path: f.path.clone(),
            line: f.line,
            column: f.column,
            end_line: f.end_line,
            end_column: f.end_column,
            column_utf16: f.column_utf16,
            end_column_utf16: f.end_column_utf16,
            commit: g.map(|g| g.commit.clone()).unwrap_or_default(),
            date: g.map(|g| g.date.clone()).unwrap_or_default(),
            blob: g.map(|g| g.blob.clone()).unwrap_or_default(),
            reachable: g.is_some_and(|g| g.reachable),
            fingerprint: f.fingerprint.clone(),
        }
    }
}

/// Walk order of a finding: its commit's place in the walk, then path and position.
fn order(f: &Finding) -> (u64, &str, usize, usize) {
    let seq = f.git.as_deref().map_or(u64::MAX, |g| g.sequence);
    (seq, &f.path, f.line, f.column)
}

/// Fold `findings` into one per (rule, secret), keeping at most `cap` other locations
/// on each; the result is sorted as reports expect ([`Finding::sort_key`]). Findings
/// without git provenance are kept as they are.
pub fn fold(findings: Vec<Finding>, cap: usize) -> Vec<Finding> {
    let mut groups: Vec<Vec<Finding>> = Vec::new();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    let mut out = Vec::new();
    for f in findings {
        if f.git.is_none() {
            out.push(f);
            continue;
        }
        let key = (f.rule_id.clone(), f.secret.expose().to_string());
        match index.get(&key) {
            Some(&i) => groups[i].push(f),
            None => {
                index.insert(key, groups.len());
                groups.push(vec![f]);
            }
        }
    }
    for mut group in groups {
        group.sort_by(|a, b| order(a).cmp(&order(b)));
        let mut rest = group.into_iter();
        let Some(mut first) = rest.next() else {
            continue;
        };
        let mut paths: HashSet<String> = HashSet::from([first.path.clone()]);
        let mut places = Vec::new();
        let (mut other_places, mut in_head) = (0, false);
        for f in rest {
            let g = f.git.as_deref().expect("grouped findings have provenance");
            // The first place counts its other places itself; each other finding is
            // one more place, with its own.
            other_places += 1 + g.other_places;
            in_head |= g.in_head;
            if paths.insert(f.path.clone()) {
                places.push(Location::of(&f));
            }
        }
        if let Some(g) = first.git.as_deref_mut() {
            g.other_places += other_places;
            g.in_head |= in_head;
            g.locations_omitted = places.len().saturating_sub(cap);
            places.truncate(cap);
            g.locations = places;
        }
        out.push(first);
    }
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Confidence, GitProvenance};
    use crate::rules::Severity;
    use crate::secret::Secret;

    fn found(path: &str, secret: &str, sequence: u64, in_head: bool) -> Finding {
        Finding {
            rule_id: "r".into(),
            rule_name: "R".into(),
            provider: "P".into(),
            severity: Severity::High,
            confidence: Confidence::High,
            path: path.into(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 5,
            column_utf16: 1,
            end_column_utf16: 5,
            secret: Secret::new(secret.as_bytes()),
            fingerprint: crate::finding::fingerprint("r", path, secret),
            line_hash: String::new(),
            revoke_url: String::new(),
            rotation_days: 90,
            client_exposed: false,
            decoded: None,
            agent: None,
            git: Some(Box::new(GitProvenance {
                commit: format!("{sequence:040}"),
                author: String::new(),
                email: String::new(),
                date: String::new(),
                summary: String::new(),
                blob: String::new(),
                other_places: 1,
                in_head,
                reachable: true,
                sequence,
                locations: Vec::new(),
                locations_omitted: 0,
            })),
        }
    }

    #[test]
    fn the_oldest_sighting_leads_and_the_others_are_its_locations() {
        let folded = fold(
            vec![
                found("b.env", "one", 2, true),
                found("a.env", "one", 1, false),
                found("c.env", "two", 3, false),
            ],
            MAX_LOCATIONS,
        );
        assert_eq!(folded.len(), 2);
        let g = folded[0].git.as_deref().unwrap();
        assert_eq!(folded[0].path, "a.env");
        assert_eq!(g.locations.len(), 1);
        assert_eq!(g.locations[0].path, "b.env");
        assert_eq!(
            g.locations[0].fingerprint,
            crate::finding::fingerprint("r", "b.env", "one")
        );
        assert!(g.in_head, "in_head is per secret");
        assert_eq!(g.other_places, 1 + 1 + 1);
        assert_eq!(
            folded[0].fingerprint,
            crate::finding::fingerprint("r", "a.env", "one")
        );
    }

    #[test]
    fn locations_are_capped_and_counted() {
        let many: Vec<Finding> = (0..30)
            .map(|i| found(&format!("f{i:02}"), "k", i, false))
            .collect();
        let folded = fold(many, 5);
        let g = folded[0].git.as_deref().unwrap();
        assert_eq!(folded[0].path, "f00");
        assert_eq!(g.locations.len(), 5);
        assert_eq!(g.locations[0].path, "f01");
        assert_eq!(g.locations_omitted, 24);
    }
}
