//! `keyward hook install`: git hooks that run `keyward staged` (and `pre-push`), or
//! with `--agent`, a coding agent's hooks that run `keyward agent-hook`.
//!
//! It must not know the hook's text: `hooks` and `agenthook::install` write it.

use crate::agenthook::{self, Agent};
use crate::exit::CLEAN as EXIT_CLEAN;
use crate::hooks::{self, Hook};
use anyhow::Result;
use std::path::PathBuf;

/// What `keyward hook install` is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub repo: PathBuf,
    /// `--pre-push`: the pre-push hook too.
    pub pre_push: bool,
    /// `--force`: replace hooks keyward did not write (a backup is kept).
    pub force: bool,
    /// `--agent`: the coding agents whose hooks to install instead of git's.
    pub agents: Vec<Agent>,
    /// `--scope user`: the agent's configuration in the home directory, not the project's.
    pub user_scope: bool,
}

/// Install the agents' hooks, saying where each went and what was kept.
fn install_agents(args: &Options) -> Result<i32> {
    let (base, inside) = if args.user_scope {
        let home = std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(PathBuf::from)
            .ok_or_else(|| {
                anyhow::anyhow!("HOME is not set: cannot find the user's configuration")
            })?;
        (home, None)
    } else {
        (args.repo.clone(), Some(args.repo.clone()))
    };
    for &agent in &args.agents {
        let command = format!("keyward agent-hook --agent {}", agent.id());
        let done = agenthook::install::install(agent, &base, inside.as_deref(), &command)?;
        if let Some(b) = &done.backup {
            eprintln!("keyward: kept the previous file as {}", b.display());
        }
        if done.added.is_empty() {
            eprintln!(
                "keyward: {} already runs keyward ({}): nothing changed",
                done.path.display(),
                done.already.join(", ")
            );
        } else {
            eprintln!(
                "keyward: {} hooks installed in {} ({})",
                agent.name(),
                done.path.display(),
                done.added.join(", ")
            );
        }
        if agent == Agent::Codex {
            eprintln!(
                "keyward: Codex versions before hooks were on by default need `[features] codex_hooks = true` in ~/.codex/config.toml"
            );
        }
    }
    Ok(EXIT_CLEAN)
}

/// Install the hooks asked for, saying where each went and what was kept.
pub fn run(args: &Options) -> Result<i32> {
    if !args.agents.is_empty() {
        return install_agents(args);
    }
    let mut which = vec![Hook::PreCommit];
    if args.pre_push {
        which.push(Hook::PrePush);
    }
    for hook in which {
        let done = hooks::install(&args.repo, hook, args.force)?;
        if let Some(b) = &done.backup {
            eprintln!("keyward: kept the previous hook as {}", b.display());
        }
        eprintln!("keyward: installed {}", done.path.display());
    }
    Ok(EXIT_CLEAN)
}
