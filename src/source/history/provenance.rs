//! What a finding of the history says about where it came from: the commit that first
//! added the secret at its path (author, date, summary), the blob, how many other places
//! hold the same secret, and whether HEAD still holds it. Later copies of a secret at
//! the same path are folded into the first.
//!
//! This file must not walk history or scan blobs for rules: it works on the findings the
//! blob readers gave and the commit list the walk made (`head` reads HEAD's blobs only to
//! look for secrets already found).

use super::blobs::Raw;
use super::head::{secrets_at_head, HeadMemo};
use crate::finding::{Finding, GitProvenance};
use crate::source::git::CommitNode;
use gix::ObjectId;
use std::collections::{HashMap, HashSet};

/// What the walk knows about the commits and blobs it listed.
pub(super) struct Walked<'a> {
    /// Every commit walked: those some ref reaches first, then the others.
    pub(super) commits: &'a [CommitNode],
    /// How many of `commits` (from the start) some ref reaches.
    pub(super) reachable: usize,
    /// Blobs a ref points at directly (reachable without a commit).
    pub(super) ref_blobs: HashSet<ObjectId>,
    /// How many tree entries carry each blob.
    pub(super) blob_places: &'a crate::source::git::IdMap<u32>,
}

/// Attach provenance, fold later copies of a secret into the first, mark what is still
/// at HEAD, and sort.
pub(super) fn finish(
    repo: &gix::Repository,
    walked: &Walked<'_>,
    raws: Vec<Raw>,
    max_size: u64,
    head_memo: Option<&mut HeadMemo>,
) -> Vec<Finding> {
    let commits = walked.commits;
    let kept = fold_copies(walked.blob_places, raws);
    let secrets: Vec<String> = {
        let mut s: Vec<String> = kept
            .iter()
            .map(|(r, _)| r.finding.secret.expose().to_string())
            .collect();
        s.sort();
        s.dedup();
        s
    };
    let at_head = secrets_at_head(repo, &secrets, max_size, head_memo);
    let mut details: HashMap<ObjectId, CommitDetails> = HashMap::new();
    let mut out = Vec::with_capacity(kept.len());
    for (raw, other_places) in kept {
        let mut f = raw.finding;
        let d = match raw.commit {
            Some(i) => details
                .entry(commits[i as usize].id)
                .or_insert_with(|| commit_details(repo, commits[i as usize].id))
                .clone(),
            None => CommitDetails::default(),
        };
        f.git = Some(Box::new(GitProvenance {
            commit: d.id,
            author: d.author,
            email: d.email,
            date: d.date,
            summary: d.summary,
            blob: raw.blob.to_string(),
            other_places,
            in_head: at_head.contains(f.secret.expose()),
            reachable: match raw.commit {
                Some(i) => (i as usize) < walked.reachable,
                None => walked.ref_blobs.contains(&raw.blob),
            },
            sequence: raw.commit.map_or(u64::MAX, u64::from),
            locations: Vec::new(),
            locations_omitted: 0,
        }));
        out.push(f);
    }
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out
}

/// The findings in commit order (oldest first), each secret kept once per path: later
/// copies of it, and the other tree entries that carry the same blob, are counted as
/// its other places.
fn fold_copies(
    blob_places: &crate::source::git::IdMap<u32>,
    mut raws: Vec<Raw>,
) -> Vec<(Raw, usize)> {
    raws.sort_by(|a, b| {
        (
            a.commit.unwrap_or(u32::MAX),
            &a.finding.path,
            a.finding.line,
            a.finding.column,
        )
            .cmp(&(
                b.commit.unwrap_or(u32::MAX),
                &b.finding.path,
                b.finding.line,
                b.finding.column,
            ))
    });
    let mut first: HashMap<(String, String, String), usize> = HashMap::new();
    let mut kept: Vec<(Raw, usize)> = Vec::new();
    for raw in raws {
        let places = blob_places
            .get(&raw.blob)
            .copied()
            .unwrap_or(1)
            .saturating_sub(1) as usize;
        let key = (
            raw.finding.rule_id.clone(),
            raw.finding.secret.expose().to_string(),
            raw.finding.path.clone(),
        );
        match first.get(&key) {
            Some(&i) => kept[i].1 += 1 + places,
            None => {
                first.insert(key, kept.len());
                kept.push((raw, places));
            }
        }
    }
    kept
}

#[derive(Debug, Clone, Default)]
struct CommitDetails {
    id: String,
    author: String,
    email: String,
    date: String,
    summary: String,
}

fn commit_details(repo: &gix::Repository, id: ObjectId) -> CommitDetails {
    let mut d = CommitDetails {
        id: id.to_string(),
        ..CommitDetails::default()
    };
    if let Ok(commit) = repo.find_commit(id) {
        if let Ok(author) = commit.author() {
            d.author = author.name.to_string();
            d.email = author.email.to_string();
            if let Ok(t) = author.time() {
                d.date = t
                    .format(gix::date::time::format::ISO8601_STRICT)
                    .unwrap_or_default();
            }
        }
        if let Ok(m) = commit.message() {
            d.summary = m.summary().to_string();
        }
    }
    d
}
