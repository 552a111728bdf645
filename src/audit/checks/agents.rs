//! Coding agents: their settings and MCP configurations that hold secrets are neither
//! tracked nor left unignored; MCP servers read their keys from the environment (or a
//! secrets manager), not from literals; an agent hook scans prompts, commands and file
//! writes for keys where the repository configures agents.
//!
//! The checks are listed only for a repository that configures a coding agent.
//!
//! It must not know how agent files are recognised beyond `agentfile::known`, nor the
//! other checks.

use crate::agentfile::{self, Kind};
use crate::audit::{practices, Check, Group, Inventory, Item, Status};

pub const AGENT_SETTINGS_UNTRACKED: Check = Check {
    id: "agent-settings-untracked",
    title: "Coding agents' local settings and MCP configurations with keys are neither tracked nor unignored",
    group: Group::Development,
    guidance: &[&practices::NEVER_COMMIT_KEYS, &practices::ENV_OUT_OF_GIT],
    fix: "Revoke the keys, `git rm --cached` the file (.claude/settings.local.json, an MCP configuration with literal keys) and add it to .gitignore; keep shared settings free of keys.",
    automated: true,
};

pub const MCP_KEYS_FROM_ENV: Check = Check {
    id: "mcp-keys-from-environment",
    title: "MCP servers read their keys from the environment or a secrets manager, not from literals",
    group: Group::Development,
    guidance: &[&practices::RUNTIME_INJECTION, &practices::SECRETS_MANAGER],
    fix: "Replace each literal with a reference: `\"${VAR}\"` in .mcp.json, .cursor/mcp.json and Gemini's settings.json, `${input:id}` in .vscode/mcp.json, `env_vars`/`bearer_token_env_var` in Codex's config.toml; then revoke the key that was written there.",
    automated: true,
};

pub const AGENT_HOOK: Check = Check {
    id: "agent-hook-secret-scan",
    title: "Coding agents configured here run a secret scan on prompts, commands and file writes",
    group: Group::Development,
    guidance: &[&practices::SCAN_FOR_SECRETS, &practices::NEVER_COMMIT_KEYS],
    fix: "Run `keyward hook install --agent claude` (or cursor, gemini, codex) and commit the configuration it writes, so every clone's agent blocks keys before they leave.",
    automated: true,
};

/// The coding-agent checks, for a repository that configures an agent (none otherwise).
pub fn agent_checks(inv: &Inventory) -> Vec<Item> {
    if !uses_agents(inv) {
        return Vec::new();
    }
    vec![settings_check(inv), env_check(inv), hook_check(inv)]
}

/// Whether the repository configures a coding agent (its settings, hooks or MCP servers).
fn uses_agents(inv: &Inventory) -> bool {
    inv.all_files().iter().any(|f| {
        agentfile::known(f).is_some_and(|k| k.kind == Kind::Config)
            || [".claude/", ".cursor/", ".gemini/", ".codex/"]
                .iter()
                .any(|d| f.starts_with(d) || f.contains(&format!("/{d}")))
    })
}

/// Agent configuration files (not transcripts) among `files`.
fn agent_configs<'a>(files: &[&'a str]) -> Vec<&'a str> {
    files
        .iter()
        .copied()
        .filter(|f| agentfile::known(f).is_some_and(|k| k.kind == Kind::Config))
        .collect()
}

/// Files whose findings put a key in an agent's configuration.
fn with_keys(inv: &Inventory) -> Vec<&str> {
    let mut out: Vec<&str> = inv
        .findings
        .iter()
        .filter(|f| f.agent.as_ref().is_some_and(|a| a.field != "transcript"))
        .map(|f| f.path.as_str())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

pub fn settings_check(inv: &Inventory) -> Item {
    let all = inv.all_files();
    if agent_configs(&all).is_empty() {
        return Item::new(&AGENT_SETTINGS_UNTRACKED, Status::NotApplicable)
            .with(["no coding agent's settings or MCP configuration".to_string()]);
    }
    let tracked = |p: &str| inv.tracked.iter().any(|t| t == p);
    let mut fail = Vec::new();
    let mut warn = Vec::new();
    for t in &inv.tracked {
        if t.ends_with(".claude/settings.local.json") || t == ".claude/settings.local.json" {
            fail.push(format!(
                "{t}: tracked (Claude Code's local settings are personal)"
            ));
        }
    }
    for p in with_keys(inv) {
        if tracked(p) {
            fail.push(format!("{p}: tracked, and holds a key"));
        } else {
            // The work-tree scan skips ignored files: a finding here means not ignored.
            warn.push(format!("{p}: holds a key and is not ignored"));
        }
    }
    if !fail.is_empty() {
        fail.extend(warn);
        return Item::new(&AGENT_SETTINGS_UNTRACKED, Status::Fail).with(fail);
    }
    if !warn.is_empty() {
        return Item::new(&AGENT_SETTINGS_UNTRACKED, Status::Warn).with(warn);
    }
    Item::new(&AGENT_SETTINGS_UNTRACKED, Status::Pass)
        .with(["no agent settings with keys are tracked or unignored".to_string()])
}

pub fn env_check(inv: &Inventory) -> Item {
    let all = inv.all_files();
    let configs = agent_configs(&all);
    if configs.is_empty() {
        return Item::new(&MCP_KEYS_FROM_ENV, Status::NotApplicable)
            .with(["no MCP configuration".to_string()]);
    }
    let literal: Vec<String> = inv
        .findings
        .iter()
        .filter_map(|f| {
            let a = f.agent.as_ref()?;
            (a.field != "transcript").then(|| {
                let server = a
                    .server
                    .as_deref()
                    .map(|s| format!(" (MCP server {s})"))
                    .unwrap_or_default();
                format!("{}:{}: {} {}{server}", f.path, f.line, a.field, f.rule_id)
            })
        })
        .collect();
    if literal.is_empty() {
        Item::new(&MCP_KEYS_FROM_ENV, Status::Pass)
            .with([format!("{}: no literal key", configs.join(", "))])
    } else {
        Item::new(&MCP_KEYS_FROM_ENV, Status::Fail).with(literal)
    }
}

/// Agent hook configurations, and whether each runs a secret scan.
const HOOK_FILES: &[&str] = &[
    ".claude/settings.json",
    ".claude/settings.local.json",
    ".cursor/hooks.json",
    ".gemini/settings.json",
    ".codex/hooks.json",
];

pub fn hook_check(inv: &Inventory) -> Item {
    for f in HOOK_FILES {
        if let Some(text) = inv.read(f) {
            if text.contains("keyward agent-hook") {
                return Item::new(&AGENT_HOOK, Status::Pass)
                    .with([format!("{f}: runs `keyward agent-hook`")]);
            }
        }
    }
    Item::new(&AGENT_HOOK, Status::Warn).with([
        "no agent hook runs a secret scan (.claude/settings.json, .cursor/hooks.json, .gemini/settings.json, .codex/hooks.json)"
            .to_string(),
    ])
}
