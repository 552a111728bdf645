//! The command line of the coding-agent commands: `keyward agent-hook`, `keyward agents`
//! and the `--agent`/`--scope` options of `keyward hook install`.

use super::{ConfigArgs, OutputArgs};
use crate::agenthook::Agent;
use crate::cmd;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

/// A coding agent, as the command line names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AgentArg {
    /// Claude Code (settings.json hooks: UserPromptSubmit, PreToolUse).
    Claude,
    /// Cursor (hooks.json: beforeSubmitPrompt, beforeShellExecution, preToolUse).
    Cursor,
    /// Gemini CLI (settings.json hooks: BeforeAgent, BeforeTool).
    Gemini,
    /// Codex (hooks.json: UserPromptSubmit, PreToolUse).
    Codex,
}

impl From<AgentArg> for Agent {
    fn from(a: AgentArg) -> Agent {
        match a {
            AgentArg::Claude => Agent::Claude,
            AgentArg::Cursor => Agent::Cursor,
            AgentArg::Gemini => Agent::Gemini,
            AgentArg::Codex => Agent::Codex,
        }
    }
}

/// Whose agent configuration a hook goes into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scope {
    /// The project's (`.claude/settings.json`, `.cursor/hooks.json`, …).
    Project,
    /// The user's, in the home directory (`~/.claude/settings.json`, …).
    User,
}

#[derive(Debug, Args)]
pub struct AgentHookArgs {
    /// The agent whose hook payload is on standard input.
    #[arg(long, value_enum, value_name = "AGENT")]
    pub agent: AgentArg,
}

#[derive(Debug, Args)]
pub struct AgentsArgs {
    /// Directories or files to scan [default: the current user's agent homes:
    /// ~/.claude, ~/.claude.json, ~/.codex, ~/.gemini, ~/.cursor, Windsurf's, Claude
    /// Desktop's, Continue's, Aider's and VS Code's configurations].
    #[arg(value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Rewrite each transcript that holds a key with the key replaced, after keeping a
    /// copy as `<file>.keyward-backup` (mode 600; delete it once checked).
    #[arg(long)]
    pub redact: bool,
    /// Worker threads (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub filter: ConfigArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

impl AgentsArgs {
    pub fn into_options(self) -> cmd::agents::Options {
        cmd::agents::Options {
            dirs: self.dirs,
            redact: self.redact,
            threads: self.threads,
            filter: self.filter.into(),
            output: self.output.into(),
        }
    }
}
