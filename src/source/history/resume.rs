//! Resuming a cached walk: when every commit of the last full walk is still reachable
//! and the commits added since come after all of them in the walk's order (oldest
//! first), a full walk would visit the old commits exactly as before and then the new
//! ones. So the walk starts from the state the last one left (trees and blobs seen,
//! first sightings) and walks only the new commits' trees: the same jobs, in the same
//! order, with the same commit numbers, for a fraction of the reads.
//!
//! Anything else (a rebase or a deleted branch dropped commits, a new commit sorts
//! before an old one, a commit cannot be read) means no resume: the caller walks
//! everything. This file must not scan blobs or know about findings.

use super::cache::WalkState;
use super::walk::{self, Job};
use super::HistorySummary;
use crate::source::git::{self, CommitNode, TreeWalker};
use gix::ObjectId;
use std::collections::{HashMap, HashSet};

/// A resumed walk: every commit (oldest first), the walker after them, and every blob
/// at its first sighting.
pub(super) struct Resumed {
    pub(super) commits: Vec<CommitNode>,
    pub(super) walker: TreeWalker,
    pub(super) jobs: Vec<Job>,
    /// How many commits were new.
    pub(super) new_commits: usize,
}

/// Resume `state` up to `tips`, or `None` when a full walk is needed.
pub(super) fn resume(
    repo: &gix::Repository,
    tips: &[ObjectId],
    state: WalkState,
    summary: &mut HistorySummary,
) -> Option<Resumed> {
    let index: HashMap<ObjectId, usize> = state
        .commits
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id, i))
        .collect();
    let new = new_commits(repo, tips, &index)?;
    if !all_still_reachable(&state.commits, &index, tips, &new) {
        return None;
    }
    let old = state.commits.len();
    let mut merged = state.commits;
    merged.extend(new.iter().cloned());
    let ordered = git::oldest_first(merged);
    let same_start = ordered
        .iter()
        .take(old)
        .enumerate()
        .all(|(i, c)| index.get(&c.id) == Some(&i));
    if !same_start {
        return None;
    }
    let mut walker = TreeWalker::resumed(state.trees, state.blobs, state.trees_read);
    let mut jobs = state.jobs;
    walk::commit_jobs(
        repo,
        &ordered,
        old,
        &mut walker,
        summary,
        &mut jobs,
        &mut |_, _| false,
    );
    Some(Resumed {
        commits: ordered,
        walker,
        jobs,
        new_commits: new.len(),
    })
}

/// The commits reachable from `tips` that the cache does not hold (reading only those).
fn new_commits(
    repo: &gix::Repository,
    tips: &[ObjectId],
    index: &HashMap<ObjectId, usize>,
) -> Option<Vec<CommitNode>> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut stack: Vec<ObjectId> = tips
        .iter()
        .filter(|t| !index.contains_key(*t))
        .copied()
        .collect();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        let commit = repo.find_commit(id).ok()?;
        let time = commit.time().ok()?.seconds;
        let parents: Vec<ObjectId> = commit.parent_ids().map(|p| p.detach()).collect();
        stack.extend(
            parents
                .iter()
                .filter(|p| !index.contains_key(*p) && !seen.contains(*p)),
        );
        out.push(CommitNode { id, parents, time });
    }
    Some(out)
}

/// Whether every cached commit is still reachable from `tips` (through the new commits
/// and the cached parents).
fn all_still_reachable(
    cached: &[CommitNode],
    index: &HashMap<ObjectId, usize>,
    tips: &[ObjectId],
    new: &[CommitNode],
) -> bool {
    let mut reached = vec![false; cached.len()];
    let mut stack: Vec<usize> = tips
        .iter()
        .chain(new.iter().flat_map(|c| c.parents.iter()))
        .filter_map(|id| index.get(id).copied())
        .collect();
    let mut count = 0;
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut reached[i], true) {
            continue;
        }
        count += 1;
        stack.extend(
            cached[i]
                .parents
                .iter()
                .filter_map(|p| index.get(p).copied()),
        );
    }
    count == cached.len()
}
