//! The command line of `keyward github-range`, and its mapping into the
//! `github` module's options.

use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct GithubRangeArgs {
    /// The repository (default: the current directory).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub repo: PathBuf,
    /// The event (default: GITHUB_EVENT_NAME): push, pull_request, merge_group, schedule, …
    #[arg(long, value_name = "NAME")]
    pub event_name: Option<String>,
    /// The event payload, JSON (default: GITHUB_EVENT_PATH).
    #[arg(long, value_name = "FILE")]
    pub event_path: Option<PathBuf>,
    /// The start of the range instead of the event's (a commit or ref); the range is
    /// merge-base(base, head)..head.
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    /// The end of the range instead of the event's (a commit or ref).
    #[arg(long, value_name = "REV")]
    pub head: Option<String>,
    /// `auto`: the range the event names; `full`: the whole history; `worktree`: the files.
    #[arg(long, value_enum, default_value_t = GithubMode::Auto)]
    pub mode: GithubMode,
}

/// What the Action scans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GithubMode {
    /// The range the event names (the pushed commits, the pull request's commits).
    Auto,
    /// The whole history of every ref.
    Full,
    /// The checked-out files only.
    Worktree,
}

impl From<GithubMode> for crate::github::Mode {
    fn from(mode: GithubMode) -> Self {
        match mode {
            GithubMode::Auto => Self::Auto,
            GithubMode::Full => Self::Full,
            GithubMode::Worktree => Self::Worktree,
        }
    }
}

impl From<&GithubRangeArgs> for crate::github::Options {
    fn from(args: &GithubRangeArgs) -> Self {
        Self {
            repo: args.repo.clone(),
            event_name: args.event_name.clone(),
            event_path: args.event_path.clone(),
            base: args.base.clone(),
            head: args.head.clone(),
            mode: args.mode.into(),
        }
    }
}
