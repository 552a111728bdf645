//! `--all-objects`: what no ref reaches. Every object of the object database is listed
//! once; commits that no ref (nor HEAD) reaches (an amended or reset commit, a reflog
//! entry, a dropped stash and its index commit) are returned oldest first, so the walk
//! can give the blobs they introduced a commit, an author and a date; the blobs not
//! seen yet are returned too, and those no commit carries stay bare blobs.
//!
//! This file must not read blob contents or know about matching or reports: it only
//! says which commits and blobs exist beyond the refs.

use super::{HistoryOptions, HistorySummary, Selection};
use crate::source::git::{self, CommitNode, TreeWalker};
use gix::ObjectId;
use std::collections::HashSet;

/// Commits and blobs beyond the refs.
pub(super) struct Unreachable {
    /// Commits no ref reaches, parents before children, oldest first.
    pub(super) commits: Vec<CommitNode>,
    /// Blobs the walk had not seen when the objects were listed.
    pub(super) blobs: Vec<ObjectId>,
}

/// List the object database: the commits no ref reaches (`walked` are the commits the
/// scan walked; with a range or `--since`, what every ref reaches is walked again to
/// know) and the blobs `walker` has not seen. What cannot be listed or read is counted
/// in `summary` and `walker.errors`.
pub(super) fn find(
    repo: &gix::Repository,
    walked: &[CommitNode],
    opts: &HistoryOptions,
    walker: &mut TreeWalker,
    summary: &mut HistorySummary,
) -> Unreachable {
    let mut found = Unreachable {
        commits: Vec::new(),
        blobs: Vec::new(),
    };
    let reachable = reachable(repo, walked, opts, walker);
    let all = match repo.objects.iter() {
        Ok(all) => all,
        Err(e) => {
            walker
                .errors
                .push(format!("--all-objects: the objects cannot be listed: {e}"));
            summary
                .unreadable
                .objects
                .push("(the object database)".into());
            return found;
        }
    };
    let mut dangling = Vec::new();
    for id in all {
        let id = match id {
            Ok(id) => id,
            Err(e) => {
                walker
                    .errors
                    .push(format!("--all-objects: an object cannot be listed: {e}"));
                summary.unreadable.objects.push("(not listed)".into());
                continue;
            }
        };
        if walker.blobs.contains_key(&id) || reachable.contains(&id) {
            continue;
        }
        match repo.find_header(id).map(|h| h.kind()) {
            Ok(gix::object::Kind::Blob) => found.blobs.push(id),
            Ok(gix::object::Kind::Commit) => dangling.push(id),
            Ok(_) => {}
            Err(e) => {
                walker
                    .errors
                    .push(format!("--all-objects: object {id} cannot be read: {e}"));
                summary.unreadable.objects.push(id.to_string());
            }
        }
    }
    found.commits = nodes(repo, dangling, opts, walker, summary);
    found
}

/// The commits some ref or HEAD reaches.
fn reachable(
    repo: &gix::Repository,
    walked: &[CommitNode],
    opts: &HistoryOptions,
    walker: &mut TreeWalker,
) -> HashSet<ObjectId> {
    if matches!(opts.selection, Selection::All) && opts.since.is_none() {
        return walked.iter().map(|c| c.id).collect();
    }
    let tips = match git::tips(repo) {
        Ok(t) => t.commits,
        Err(e) => {
            walker.errors.push(format!("--all-objects: {e:#}"));
            return walked.iter().map(|c| c.id).collect();
        }
    };
    match git::commits(repo, &tips, &[]) {
        Ok((all, _)) => all.into_iter().map(|c| c.id).collect(),
        Err(e) => {
            walker.errors.push(format!("--all-objects: {e:#}"));
            walked.iter().map(|c| c.id).collect()
        }
    }
}

/// The commits `ids` with their parents and times, oldest first (and at or after
/// `--since`).
fn nodes(
    repo: &gix::Repository,
    ids: Vec<ObjectId>,
    opts: &HistoryOptions,
    walker: &mut TreeWalker,
    summary: &mut HistorySummary,
) -> Vec<CommitNode> {
    let mut nodes = Vec::with_capacity(ids.len());
    for id in ids {
        let commit = match repo.find_commit(id) {
            Ok(c) => c,
            Err(e) => {
                walker.errors.push(format!(
                    "--all-objects: commit {id} cannot be read: {e}; its files were not scanned"
                ));
                summary.unreadable.commits.push(id.to_string());
                continue;
            }
        };
        let time = commit.time().map(|t| t.seconds).unwrap_or(0);
        if opts.since.is_some_and(|since| time < since) {
            continue;
        }
        nodes.push(CommitNode {
            id,
            parents: commit.parent_ids().map(|p| p.detach()).collect(),
            time,
        });
    }
    git::oldest_first(nodes)
}
