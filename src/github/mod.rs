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
//!
//! This file owns the options, the [`Plan`] and which event asks for what; the events'
//! payloads are read in `events`, and revisions are resolved and ranges written in
//! `range`. This module must not know the command line (clap): `cli` maps its arguments
//! to [`Options`].

mod events;
mod range;

use anyhow::{bail, Result};
use range::{between, only_head, open_history};
use std::path::PathBuf;

/// What the Action scans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// What the user gave `keyward github-range`; what is not given comes from the
/// environment GitHub Actions sets (see [`Request::new`]).
#[derive(Debug, Clone)]
pub struct Options {
    /// The repository.
    pub repo: PathBuf,
    /// The event's name, instead of `GITHUB_EVENT_NAME`.
    pub event_name: Option<String>,
    /// The event payload, instead of `GITHUB_EVENT_PATH`.
    pub event_path: Option<PathBuf>,
    /// Replaces the event's base.
    pub base: Option<String>,
    /// Replaces the event's head.
    pub head: Option<String>,
    pub mode: Mode,
}

impl Request {
    /// The question `opts` asks: the event from `opts`, else from `GITHUB_EVENT_NAME` and
    /// `GITHUB_EVENT_PATH`; an empty value counts as not given.
    pub fn new(opts: &Options) -> Request {
        let non_empty = |s: String| (!s.is_empty()).then_some(s);
        Request {
            event_name: opts
                .event_name
                .clone()
                .or_else(|| std::env::var("GITHUB_EVENT_NAME").ok())
                .and_then(non_empty),
            event_path: opts
                .event_path
                .clone()
                .or_else(|| std::env::var_os("GITHUB_EVENT_PATH").map(PathBuf::from))
                .filter(|p| !p.as_os_str().is_empty()),
            repo: opts.repo.clone(),
            base: opts.base.clone().and_then(non_empty),
            head: opts.head.clone().and_then(non_empty),
            mode: opts.mode,
        }
    }
}

/// `keyward github-range`: print the plan for `$GITHUB_OUTPUT` on standard output, the
/// reason and any warning on standard error.
pub fn run_command(opts: &Options) -> Result<i32> {
    let req = Request::new(opts);
    let plan = plan(&req)?;
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
        "push" => events::push(req),
        "pull_request" | "pull_request_target" => events::pull_request(req, event),
        "merge_group" => events::merge_group(req),
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
