//! The commands, one module each: every command takes its own options type (plain
//! data, filled in by `cli` from clap's types), wires a source, the session and the
//! reports together, and returns the exit code (`crate::exit`). Commands know the layers
//! below them; nothing below knows the commands.
//!
//! | module | command |
//! | --- | --- |
//! | [`scan`] | `keyward scan` |
//! | [`history`] | `keyward history` |
//! | [`staged`] | `keyward staged` (pre-commit) |
//! | [`pre_push`] | `keyward pre-push` |
//! | [`audit`] | `keyward audit` |
//! | [`baseline`] | `keyward baseline create`, `prune` |
//! | [`config`] | `keyward config show` |
//! | [`hook`] | `keyward hook install` |
//! | [`rules`] | `keyward rules list`, `show`, `check` ([`rules_check`]) |
//! | [`github_range`] | `keyward github-range` |
//! | [`env`](mod@env) | `keyward env check` |
//! | [`agent_hook`] | `keyward agent-hook` (a coding agent's hook) |
//! | [`agents`] | `keyward agents` (agents' configurations and transcripts) |
//! | [`report_merge`] | `keyward report merge` |
//!
//! `keyward history` of many repositories is [`history_many`], over the list
//! [`repo_list`] makes. Shared by the scanning commands: [`collect`] (session + source → findings), [`emit`]
//! (reports and exit codes) and [`summary`] (the summary on standard error), [`bytes_progress`] (a progress bar of bytes); [`unblock`]
//! words what a blocked hook tells the person it stopped.

pub mod agent_hook;
pub mod agents;
pub mod audit;
pub mod baseline;
pub mod bytes_progress;
pub mod collect;
pub mod config;
pub mod emit;
pub mod env;
pub mod github_range;
pub mod history;
pub mod history_many;
pub mod hook;
pub mod options;
pub mod pre_push;
pub mod repo_list;
pub mod report_merge;
pub mod rules;
pub mod rules_check;
pub mod scan;
pub mod staged;
pub mod summary;
pub mod unblock;

pub use options::{ColorChoice, ConfigOptions, FailOn, ListFormat, OutputOptions};

use anyhow::Result;

/// A command and its options.
#[derive(Debug, Clone)]
pub enum Command {
    Scan(scan::Options),
    History(history::Options),
    Staged(staged::Options),
    PrePush(pre_push::Options),
    Audit(audit::Options),
    Baseline(baseline::Options),
    ConfigShow(config::Options),
    HookInstall(hook::Options),
    Rules(rules::Options),
    GithubRange(github_range::Options),
    EnvCheck(env::Options),
    AgentHook(agent_hook::Options),
    Agents(agents::Options),
    ReportMerge(report_merge::Options),
}

/// Run `command`; the result is the exit code (`crate::exit`), or an error for `main`
/// to print (exit 2).
pub fn run(command: &Command) -> Result<i32> {
    match command {
        Command::Scan(o) => scan::run(o),
        Command::History(o) => history::run(o),
        Command::Staged(o) => staged::run(o),
        Command::PrePush(o) => pre_push::run(o),
        Command::Audit(o) => audit::run(o),
        Command::Baseline(o) => baseline::run(o),
        Command::ConfigShow(o) => config::run(o),
        Command::HookInstall(o) => hook::run(o),
        Command::Rules(o) => rules::run(o),
        Command::GithubRange(o) => github_range::run(o),
        Command::EnvCheck(o) => env::run(o),
        Command::AgentHook(o) => agent_hook::run(o),
        Command::Agents(o) => agents::run(o),
        Command::ReportMerge(o) => report_merge::run(o),
    }
}
