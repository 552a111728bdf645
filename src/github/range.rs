//! Revisions and ranges: opening the repository for a history scan (a shallow clone is
//! refused), resolving a revision of the event with a message that says what to fetch,
//! and writing `merge-base(base, head)..head` (or every commit of a head).
//!
//! This file must not read the event payload: it is given revisions.

use super::{Kind, Plan};
use crate::source::git;
use anyhow::{anyhow, bail, Context as _, Result};
use gix::ObjectId;
use std::path::Path;

/// Both ends given: merge-base(base, head)..head.
pub(super) fn between(
    repo: &gix::Repository,
    base: &str,
    head: &str,
    what: &str,
    path: &Path,
) -> Result<Plan> {
    let head_id = resolve(repo, head, "head", path)?;
    let base_id = resolve(repo, base, "base", path)?;
    merge_base_range(repo, base_id, head_id, what)
}

/// Only a head: every commit reachable from it.
pub(super) fn only_head(
    repo: &gix::Repository,
    head: &str,
    what: &str,
    path: &Path,
) -> Result<Plan> {
    let id = resolve(repo, head, "head", path)?;
    Ok(Plan::new(
        Kind::Range,
        id.to_string(),
        format!(
            "{what}: no base, so every commit of {}",
            short(&id.to_string())
        ),
    ))
}

/// `merge-base(base, head)..head`; with no common ancestor, every commit of head.
pub(super) fn merge_base_range(
    repo: &gix::Repository,
    base: ObjectId,
    head: ObjectId,
    what: &str,
) -> Result<Plan> {
    let bases = repo
        .merge_bases_many(base, &[head])
        .map_err(|e| anyhow!("{what}: cannot compute the merge base of {base} and {head}: {e}"))?;
    Ok(match bases.first() {
        Some(mb) => {
            let mb = mb.detach();
            let mut reason = format!(
                "{what}: the commits of {}..{}",
                short(&mb.to_string()),
                short(&head.to_string())
            );
            if mb != base {
                reason.push_str(&format!(
                    " (where {} and {} meet)",
                    short(&base.to_string()),
                    short(&head.to_string())
                ));
            }
            Plan::new(Kind::Range, format!("{mb}..{head}"), reason)
        }
        None => Plan::new(
            Kind::Range,
            head.to_string(),
            format!(
                "{what}: {} and {} have no common ancestor, so every commit of {}",
                short(&base.to_string()),
                short(&head.to_string()),
                short(&head.to_string())
            ),
        )
        .warn(format!(
            "{base} and {head} share no history: scanning every commit of {head}"
        )),
    })
}

/// Open the repository for a history scan: a shallow clone is refused, since its cut
/// history cannot say which commits are new.
pub(super) fn open_history(path: &Path) -> Result<gix::Repository> {
    let repo = git::open(path)?;
    if repo.is_shallow() {
        bail!(
            "{} is a shallow clone: a history scan needs the whole history. Set \
             `fetch-depth: 0` on actions/checkout (or run `git fetch --unshallow`), or scan \
             only the checked-out files with `mode: worktree`",
            path.display()
        );
    }
    Ok(repo)
}

/// Resolve a revision of the event to a commit; `what` says what it is, for the error.
pub(super) fn resolve(
    repo: &gix::Repository,
    rev: &str,
    what: &str,
    path: &Path,
) -> Result<ObjectId> {
    git::resolve_commit(repo, rev).with_context(|| {
        format!(
            "{what} {rev:?} is not a commit in {}: check it out with fetch-depth: 0 on \
             actions/checkout (or fetch it) before running keyward",
            path.display()
        )
    })
}

/// The first ten characters of an id, for messages.
pub(super) fn short(id: &str) -> &str {
    id.get(..10).unwrap_or(id)
}
