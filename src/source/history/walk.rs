//! Which commits and which blobs a history scan covers: the tips and hidden commits of a
//! [`Selection`], and the walk of every commit's tree (oldest first) that lists each
//! blob once, at its first sighting, as a [`Job`] for the blob readers. Also the blobs
//! refs point at directly and, with `--all-objects`, the commits no ref reaches (walked
//! after the others) and the blobs no commit carries (see `unreachable`).
//!
//! This file must not read blob contents or know about matching, findings or their
//! provenance: it only says which blobs to read and where they were first seen.

use super::{parse_rev_list, HistoryOptions, HistorySummary, RevTerm, Selection};
use crate::source::git::{self, BlobSighting, CommitNode, TreeWalker};
use anyhow::{Context as _, Result};
use gix::ObjectId;
use std::collections::HashSet;

/// A blob to scan: where it was first seen. Kept small: a large history has hundreds of
/// thousands of them.
#[derive(Clone)]
pub(super) struct Job {
    pub(super) id: ObjectId,
    pub(super) path: Box<str>,
    /// Index into the commit list; `None` for unreachable objects.
    pub(super) commit: Option<u32>,
}

/// The commits to walk from (`tips`) and those whose history is left out (`hidden`),
/// as `opts.selection` names them. Refs that cannot be followed are added to `errors`
/// and to `summary.unreadable`; a revision that cannot be resolved is an error.
pub(super) fn tips_and_hidden(
    repo: &gix::Repository,
    opts: &HistoryOptions,
    summary: &mut HistorySummary,
    errors: &mut Vec<String>,
) -> Result<(Vec<ObjectId>, Vec<ObjectId>)> {
    Ok(match &opts.selection {
        Selection::All => {
            let tips = git::tips(repo)?;
            summary.notes.extend(tips.notes);
            summary.extra_blobs = tips.blobs;
            summary.empty = tips.refs == 0;
            for (name, why) in tips.broken {
                errors.push(format!("{why}; what it reaches was not scanned"));
                summary.unreadable.refs.push(name);
            }
            (tips.commits, Vec::new())
        }
        Selection::Rev(spec) => {
            let mut tips = Vec::new();
            let mut hidden = Vec::new();
            for term in parse_rev_list(spec)? {
                let (RevTerm::Include(r) | RevTerm::Exclude(r)) = term;
                let id = git::resolve_commit(repo, r).with_context(|| {
                    format!(
                        "--rev {spec:?}: {r:?} is not a commit in {} (a typo, or not fetched?)",
                        opts.repo.display()
                    )
                })?;
                match term {
                    RevTerm::Include(_) => tips.push(id),
                    RevTerm::Exclude(_) => hidden.push(id),
                }
            }
            (tips, hidden)
        }
        Selection::Ranges(ranges) => {
            let mut tips = Vec::new();
            let mut hidden = Vec::new();
            for (from, to) in ranges {
                tips.push(git::resolve_commit(repo, to).with_context(|| {
                    format!(
                        "the commit being pushed, {to:?}, is not in {}",
                        opts.repo.display()
                    )
                })?);
                match from.as_deref().map(|f| git::resolve_commit(repo, f)) {
                    Some(Ok(id)) => hidden.push(id),
                    // A new branch, or a remote tip we do not have: what no
                    // remote-tracking ref already has is being pushed.
                    Some(Err(_)) | None => hidden.extend(git::remote_tips(repo)?),
                }
            }
            (tips, hidden)
        }
    })
}

/// Walk the trees of `commits[from..]` (oldest first), adding each blob not seen
/// before to `jobs` at its first sighting; trees are read with `read` first (see
/// [`TreeWalker::walk_with`]: a reader that returns false leaves them to the database).
pub(super) fn commit_jobs(
    repo: &gix::Repository,
    commits: &[CommitNode],
    from: usize,
    walker: &mut TreeWalker,
    summary: &mut HistorySummary,
    jobs: &mut Vec<Job>,
    read: &mut dyn FnMut(&ObjectId, &mut Vec<u8>) -> bool,
) {
    let mut buf = Vec::new();
    for (i, c) in commits.iter().enumerate().skip(from) {
        let tree = match git::tree_of(repo, c.id, &mut buf) {
            Ok(t) => t,
            Err(e) => {
                walker
                    .errors
                    .push(format!("{e}; its files were not scanned"));
                summary.unreadable.commits.push(c.id.to_string());
                continue;
            }
        };
        walker.walk_with(repo, tree, read, |b: BlobSighting| {
            jobs.push(Job {
                id: b.id,
                path: git::display_path(&b.path).into(),
                commit: Some(i as u32),
            })
        });
    }
}

/// The blobs refs point at directly and, with `--all-objects`, the commits no ref
/// reaches (appended to `commits`, oldest first, their trees walked) and the blobs no
/// commit carries: after the commits' blobs.
pub(super) fn extra_jobs(
    repo: &gix::Repository,
    commits: &mut Vec<CommitNode>,
    walker: &mut TreeWalker,
    opts: &HistoryOptions,
    summary: &mut HistorySummary,
    jobs: &mut Vec<Job>,
) {
    for (name, id) in &summary.extra_blobs {
        if walker.blobs.insert(*id, 1).is_none() {
            jobs.push(Job {
                id: *id,
                path: format!("(blob of {name})").into(),
                commit: None,
            });
        }
    }
    if opts.all_objects {
        let found = super::unreachable::find(repo, commits, opts, walker, summary);
        let first = commits.len();
        commits.extend(found.commits);
        commit_jobs(repo, commits, first, walker, summary, jobs, &mut |_, _| {
            false
        });
        for id in found.blobs {
            if let gix::hashtable::hash_map::Entry::Vacant(slot) = walker.blobs.entry(id) {
                slot.insert(1);
                jobs.push(Job {
                    id,
                    path: format!("(unreachable blob {id})").into(),
                    commit: None,
                });
            }
        }
    }
}

/// Mark the trees of the parents just below the scanned commits as seen: what was there
/// before the range is the baseline, not news.
pub(super) fn mark_baseline(
    repo: &gix::Repository,
    commits: &[CommitNode],
    walker: &mut TreeWalker,
    summary: &mut HistorySummary,
    buf: &mut Vec<u8>,
) {
    let kept: HashSet<ObjectId> = commits.iter().map(|c| c.id).collect();
    let boundary: HashSet<ObjectId> = commits
        .iter()
        .flat_map(|c| c.parents.iter().copied())
        .filter(|p| !kept.contains(p))
        .collect();
    for parent in boundary {
        match git::tree_of(repo, parent, buf) {
            // What cannot be marked is scanned (again) if the range has it.
            Ok(tree) => summary.notes.extend(
                walker
                    .mark_seen(repo, tree)
                    .into_iter()
                    .map(|e| format!("below the scanned commits: {e}")),
            ),
            Err(e) => summary
                .notes
                .push(format!("history is cut below the scanned commits: {e}")),
        }
    }
}
