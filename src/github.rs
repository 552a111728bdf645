//! `keyward github-range`: which commits a GitHub Actions event asks to scan.
//!
//! The Action (`action.yml`) asks this module what to scan and then runs `keyward
//! history --rev RANGE`, `keyward history` or `keyward scan`. The answer is a [`Plan`]:
//!
//! | event | plan |
//! | --- | --- |
//! | `push` | `merge-base(before, after)..after` |
//! | `push` of a new branch (`created`, or `before` all zeros) | `after ^X ^Y…`: what no remote-tracking ref but the branch's own `refs/remotes/origin/<branch>` has (written as the commits where the branch meets them) |
//! | `push` whose `before` is not in the repository (a force push) | the whole history, with a warning |
//! | `push` that deletes a branch (`deleted`, or `after` all zeros) | nothing |
//! | `pull_request`, `pull_request_target` | `merge-base(base.sha, head.sha)..head.sha`, never the synthetic merge commit |
//! | `merge_group` | `base_sha..head_sha` |
//! | `schedule`, `workflow_dispatch`, any other event | the whole history |
//!
//! The revisions come from the event payload (`GITHUB_EVENT_PATH`) and are resolved in the
//! repository, which is opened like `keyward history` opens it (gix, nothing executed);
//! the range printed holds object ids only. A shallow clone cannot answer these
//! questions, so it is refused with what to change in the workflow.

use crate::source::git;
use anyhow::{anyhow, bail, Context as _, Result};
use gix::ObjectId;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// What the Action scans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// The range the event names (the pushed commits, the pull request's commits).
    Auto,
    /// The whole history of every ref.
    Full,
    /// The checked-out files only.
    Worktree,
}

/// The kind of scan a plan asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `keyward history --rev RANGE`.
    Range,
    /// `keyward history`: every ref.
    Full,
    /// Nothing to scan (a deleted branch).
    None,
    /// `keyward scan`: the working tree.
    Worktree,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Range => "range",
            Kind::Full => "full",
            Kind::None => "none",
            Kind::Worktree => "worktree",
        }
    }
}

/// What to scan, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub kind: Kind,
    /// A revision list for `keyward history --rev` (object ids only); empty unless
    /// `kind` is [`Kind::Range`].
    pub range: String,
    /// One line for a human: the event and what it means.
    pub reason: String,
    /// What the user should know: a scan wider than the event asked for, and why.
    pub warnings: Vec<String>,
}

impl Plan {
    fn new(kind: Kind, range: String, reason: String) -> Plan {
        Plan {
            kind,
            range,
            reason,
            warnings: Vec::new(),
        }
    }

    fn full(reason: String) -> Plan {
        Plan::new(Kind::Full, String::new(), reason)
    }

    fn warn(mut self, warning: String) -> Plan {
        self.warnings.push(warning);
        self
    }

    /// The lines for `$GITHUB_OUTPUT`: `kind=…` and `range=…`.
    pub fn outputs(&self) -> String {
        format!("kind={}\nrange={}\n", self.kind.as_str(), self.range)
    }
}

/// The question: an event, a repository, and the user's overrides.
#[derive(Debug, Clone)]
pub struct Request {
    /// `GITHUB_EVENT_NAME`.
    pub event_name: Option<String>,
    /// `GITHUB_EVENT_PATH`: the event payload (JSON).
    pub event_path: Option<PathBuf>,
    pub repo: PathBuf,
    /// Replaces the event's base (`before`, `pull_request.base.sha`, `base_sha`).
    pub base: Option<String>,
    /// Replaces the event's head (`after`, `pull_request.head.sha`, `head_sha`).
    pub head: Option<String>,
    pub mode: Mode,
}

/// Plan the scan `req` asks for and print it: warnings and the reason on standard error
/// (as workflow commands inside GitHub Actions), the step outputs on standard output.
pub fn print_plan(req: &Request) -> Result<i32> {
    let plan = plan(req)?;
    let in_actions = std::env::var_os("GITHUB_ACTIONS").is_some_and(|v| v == "true");
    for w in &plan.warnings {
        if in_actions {
            // A workflow command: the warning is shown on the run's page too.
            eprintln!("::warning title=keyward::{}", escape_command(w));
        } else {
            eprintln!("keyward: warning: {w}");
        }
    }
    eprintln!("keyward: {}", plan.reason);
    crate::output::print(&plan.outputs(), "the step outputs")?;
    Ok(crate::exit::CLEAN)
}

/// Escape a workflow command's message (`%`, CR and LF), so it stays one command.
fn escape_command(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Decide what to scan.
pub fn plan(req: &Request) -> Result<Plan> {
    match req.mode {
        Mode::Worktree => {
            return Ok(Plan::new(
                Kind::Worktree,
                String::new(),
                "mode worktree: the checked-out files".into(),
            ))
        }
        Mode::Full => {
            let _ = open_history(&req.repo)?;
            let mut plan = Plan::full("mode full: the whole history of every ref".into());
            if req.base.is_some() || req.head.is_some() {
                plan = plan.warn("base and head are ignored in mode full".into());
            }
            return Ok(plan);
        }
        Mode::Auto => {}
    }
    if let (Some(base), Some(head)) = (&req.base, &req.head) {
        let repo = open_history(&req.repo)?;
        return between(&repo, base, head, "the base and head inputs", &req.repo);
    }
    let Some(event) = req.event_name.as_deref() else {
        bail!(
            "no GitHub event: GITHUB_EVENT_NAME is not set (keyward github-range runs inside \
             GitHub Actions; elsewhere pass --event-name and --event-path, or --base and --head)"
        );
    };
    match event {
        "push" => push(req),
        "pull_request" | "pull_request_target" => pull_request(req, event),
        "merge_group" => merge_group(req),
        "schedule" | "workflow_dispatch" => {
            let repo = open_history(&req.repo)?;
            Ok(match &req.head {
                Some(head) => only_head(&repo, head, event, &req.repo)?,
                None => Plan::full(format!("{event}: the whole history of every ref")),
            })
        }
        other => {
            let repo = open_history(&req.repo)?;
            Ok(match &req.head {
                Some(head) => only_head(&repo, head, other, &req.repo)?,
                None => Plan::full(format!(
                    "{other}: no range for this event; the whole history of every ref"
                ))
                .warn(format!(
                    "event {other:?} names no commits to scan: scanning the whole history \
                     (set the action's base and head inputs to scan a range)"
                )),
            })
        }
    }
}

/// `push`: the pushed commits.
fn push(req: &Request) -> Result<Plan> {
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
fn pull_request(req: &Request, event: &str) -> Result<Plan> {
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
fn merge_group(req: &Request) -> Result<Plan> {
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

/// Both ends given: merge-base(base, head)..head.
fn between(
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
fn only_head(repo: &gix::Repository, head: &str, what: &str, path: &Path) -> Result<Plan> {
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
fn merge_base_range(
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
fn open_history(path: &Path) -> Result<gix::Repository> {
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
fn resolve(repo: &gix::Repository, rev: &str, what: &str, path: &Path) -> Result<ObjectId> {
    git::resolve_commit(repo, rev).with_context(|| {
        format!(
            "{what} {rev:?} is not a commit in {}: check it out with fetch-depth: 0 on \
             actions/checkout (or fetch it) before running keyward",
            path.display()
        )
    })
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

/// The first ten characters of an id, for messages.
fn short(id: &str) -> &str {
    id.get(..10).unwrap_or(id)
}
