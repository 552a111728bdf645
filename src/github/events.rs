//! The events whose payload names commits: `push` (including a new or deleted branch),
//! `pull_request`/`pull_request_target` and `merge_group`, and reading that payload
//! (`GITHUB_EVENT_PATH`).
//!
//! This file must not print anything or know the command line: it turns an event into
//! a [`Plan`].

use super::range::{between, merge_base_range, only_head, open_history, resolve, short};
use super::{Kind, Plan, Request};
use crate::source::git;
use anyhow::{anyhow, bail, Context as _, Result};
use gix::ObjectId;
use serde_json::Value;

/// `push`: the pushed commits.
pub(super) fn push(req: &Request) -> Result<Plan> {
    let ev = load_event(req)?;
    let git_ref = string_at(&ev, &["ref"]).unwrap_or_default();
    let before = string_at(&ev, &["before"]).filter(|s| !is_zero(s));
    let after = string_at(&ev, &["after"]).filter(|s| !is_zero(s));
    let deleted = ev.get("deleted").and_then(Value::as_bool).unwrap_or(false);
    let created = ev.get("created").and_then(Value::as_bool).unwrap_or(false);
    let head = match (&req.head, after) {
        (Some(h), _) => h.clone(),
        (None, Some(a)) if !deleted => a,
        _ => {
            return Ok(Plan::new(
                Kind::None,
                String::new(),
                format!("push deleted {}: nothing to scan", shown(&git_ref)),
            ))
        }
    };
    let repo = open_history(&req.repo)?;
    if let Some(base) = &req.base {
        return between(&repo, base, &head, "push (base input)", &req.repo);
    }
    let what = format!("push to {}", shown(&git_ref));
    let head_id = resolve(&repo, &head, "the pushed commit (after)", &req.repo)?;
    match before {
        Some(before) if !created => match git::resolve_commit(&repo, &before) {
            Ok(before_id) => merge_base_range(&repo, before_id, head_id, &what),
            Err(_) => Ok(Plan::full(format!(
                "{what}: before {} is not in the repository; the whole history of every ref",
                short(&before)
            ))
            .warn(format!(
                "the commit the branch pointed at before this push ({before}) is not in the \
                 repository (a force push rewrote it, or it was not fetched): scanning the \
                 whole history instead of the pushed commits"
            ))),
        },
        _ => new_branch(&repo, head_id, &git_ref, &what),
    }
}

/// A new branch (or tag): its commits that no other remote-tracking ref has.
fn new_branch(repo: &gix::Repository, head: ObjectId, git_ref: &str, what: &str) -> Result<Plan> {
    let own = git_ref
        .strip_prefix("refs/heads/")
        .map(|b| format!("refs/remotes/origin/{b}"));
    let mut excluded = Vec::new();
    let mut names = 0usize;
    let platform = repo
        .references()
        .context("cannot read the repository's refs")?;
    for r in platform
        .remote_branches()
        .context("cannot list the remote-tracking refs")?
    {
        let mut r = r.map_err(|e| anyhow!("cannot read a remote-tracking ref: {e}"))?;
        // A symbolic ref (origin/HEAD) names another remote-tracking ref, listed itself.
        if matches!(r.target(), gix::refs::TargetRef::Symbolic(_)) {
            continue;
        }
        let name = r.name().as_bstr().to_string();
        if own.as_deref() == Some(name.as_str()) {
            continue;
        }
        if let Ok(c) = r.peel_to_commit() {
            excluded.push(c.id);
            names += 1;
        }
    }
    excluded.sort();
    excluded.dedup();
    let range = short_rev_list(repo, head, &excluded);
    let reason = if names == 0 {
        format!(
            "{what} (a new branch): no other remote-tracking ref, so every commit of {}",
            short(&head.to_string())
        )
    } else {
        format!(
            "{what} (a new branch): the commits of {} that none of the other {names} \
             remote-tracking refs has",
            short(&head.to_string())
        )
    };
    Ok(Plan::new(Kind::Range, range, reason))
}

/// `head ^X ^Y…` for `head` without what `excluded` reaches, written with the fewest
/// exclusions: the parents of the listed commits that are not listed themselves (those
/// are what the excluded refs share with the branch). The same commits and the same
/// baseline, however many refs a repository has, so the list stays short enough for a
/// command line. If the walk fails, every excluded commit is listed instead.
fn short_rev_list(repo: &gix::Repository, head: ObjectId, excluded: &[ObjectId]) -> String {
    let listed = |ids: &mut dyn Iterator<Item = &ObjectId>| {
        let mut out = head.to_string();
        for x in ids {
            out.push_str(" ^");
            out.push_str(&x.to_string());
        }
        out
    };
    if excluded.is_empty() {
        return head.to_string();
    }
    let Ok((commits, notes)) = git::commits(repo, &[head], excluded) else {
        return listed(&mut excluded.iter());
    };
    if !notes.is_empty() {
        return listed(&mut excluded.iter());
    }
    if commits.is_empty() {
        // Every commit of the branch is on another ref already.
        return listed(&mut std::iter::once(&head));
    }
    let kept: std::collections::HashSet<ObjectId> = commits.iter().map(|c| c.id).collect();
    let mut boundary: Vec<ObjectId> = commits
        .iter()
        .flat_map(|c| c.parents.iter().copied())
        .filter(|p| !kept.contains(p))
        .collect();
    boundary.sort();
    boundary.dedup();
    listed(&mut boundary.iter())
}

/// `pull_request`, `pull_request_target`: merge-base(base, head)..head.
pub(super) fn pull_request(req: &Request, event: &str) -> Result<Plan> {
    let ev = load_event(req)?;
    let head = match &req.head {
        Some(h) => h.clone(),
        None => string_at(&ev, &["pull_request", "head", "sha"])
            .ok_or_else(|| anyhow!("the {event} event has no pull_request.head.sha"))?,
    };
    let base = match &req.base {
        Some(b) => Some(b.clone()),
        None => string_at(&ev, &["pull_request", "base", "sha"]),
    };
    let repo = open_history(&req.repo)?;
    let what = match ev
        .get("number")
        .or_else(|| ev.get("pull_request").and_then(|p| p.get("number")))
        .and_then(Value::as_u64)
    {
        Some(n) => format!("{event} #{n}"),
        None => event.to_string(),
    };
    let hint = if event == "pull_request_target" {
        "the pull request's head (pull_request_target checks out the base branch: check out \
         the head commit with fetch-depth: 0)"
    } else {
        "the pull request's head (head.sha)"
    };
    let head_id = resolve(&repo, &head, hint, &req.repo)?;
    let Some(base) = base else {
        return only_head(&repo, &head, &what, &req.repo);
    };
    match git::resolve_commit(&repo, &base) {
        Ok(base_id) => merge_base_range(&repo, base_id, head_id, &what),
        Err(_) => Ok(Plan::full(format!(
            "{what}: base {} is not in the repository; the whole history of every ref",
            short(&base)
        ))
        .warn(format!(
            "the pull request's base commit ({base}) is not in the repository: scanning the \
             whole history instead of the pull request's commits"
        ))),
    }
}

/// `merge_group`: base_sha..head_sha.
pub(super) fn merge_group(req: &Request) -> Result<Plan> {
    let ev = load_event(req)?;
    let head = match &req.head {
        Some(h) => h.clone(),
        None => string_at(&ev, &["merge_group", "head_sha"])
            .ok_or_else(|| anyhow!("the merge_group event has no merge_group.head_sha"))?,
    };
    let base = match &req.base {
        Some(b) => Some(b.clone()),
        None => string_at(&ev, &["merge_group", "base_sha"]),
    };
    let repo = open_history(&req.repo)?;
    let head_id = resolve(&repo, &head, "the merge group's head (head_sha)", &req.repo)?;
    let Some(base) = base else {
        return only_head(&repo, &head, "merge_group", &req.repo);
    };
    match git::resolve_commit(&repo, &base) {
        Ok(base_id) => Ok(Plan::new(
            Kind::Range,
            format!("{base_id}..{head_id}"),
            format!(
                "merge_group: the commits of {}..{}",
                short(&base_id.to_string()),
                short(&head_id.to_string())
            ),
        )),
        Err(_) => Ok(Plan::full(format!(
            "merge_group: base {} is not in the repository; the whole history of every ref",
            short(&base)
        ))
        .warn(format!(
            "the merge group's base commit ({base}) is not in the repository: scanning the \
             whole history instead of the merge group's commits"
        ))),
    }
}

/// The event payload.
fn load_event(req: &Request) -> Result<Value> {
    let event = req.event_name.as_deref().unwrap_or("the");
    let Some(path) = &req.event_path else {
        bail!(
            "{event} event: GITHUB_EVENT_PATH is not set, so the event payload cannot be read \
             (pass --event-path FILE)"
        );
    };
    let text = std::fs::read(path).with_context(|| {
        format!(
            "cannot read the {event} event payload {} (GITHUB_EVENT_PATH or --event-path)",
            path.display()
        )
    })?;
    let value: Value = serde_json::from_slice(&text)
        .with_context(|| format!("the {event} event payload {} is not JSON", path.display()))?;
    if !value.is_object() {
        bail!(
            "the {event} event payload {} is not a JSON object",
            path.display()
        );
    }
    Ok(value)
}

/// The string at `path` in the payload, if any (and not empty).
fn string_at(v: &Value, path: &[&str]) -> Option<String> {
    let mut cur = v;
    for p in path {
        cur = cur.get(*p)?;
    }
    cur.as_str().filter(|s| !s.is_empty()).map(str::to_string)
}

/// `0000…`: git's "no commit" (a new or deleted ref).
fn is_zero(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b == b'0')
}

/// A ref name for a message.
fn shown(git_ref: &str) -> &str {
    if git_ref.is_empty() {
        "a ref"
    } else {
        git_ref
    }
}
