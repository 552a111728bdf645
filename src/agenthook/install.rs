//! The hook configuration each agent documents, merged into the file the agent reads:
//! the hooks and settings already there are kept, an entry keyward already wrote is not
//! added twice, and the previous file is kept as `<name>.keyward-backup`. Files are
//! written atomically through [`crate::output`].
//!
//! | agent | user scope | project scope | events |
//! | --- | --- | --- | --- |
//! | Claude Code | `~/.claude/settings.json` | `.claude/settings.json` | `UserPromptSubmit`, `PreToolUse` (`Bash\|Write\|Edit\|MultiEdit\|NotebookEdit`) |
//! | Codex | `~/.codex/hooks.json` | `.codex/hooks.json` | `UserPromptSubmit`, `PreToolUse` (`Bash\|apply_patch\|shell`) |
//! | Gemini CLI | `~/.gemini/settings.json` | `.gemini/settings.json` | `BeforeAgent`, `BeforeTool` (`run_shell_command\|write_file\|replace`) |
//! | Cursor | `~/.cursor/hooks.json` | `.cursor/hooks.json` | `beforeSubmitPrompt`, `beforeShellExecution`, `preToolUse` (`Write\|Edit\|StrReplace`) |
//!
//! It must not know the command line; it takes the agent, the directory and the command.

use super::Agent;
use anyhow::{bail, Context as _, Result};
use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};

/// The largest configuration file read for merging.
const MAX_CONFIG: u64 = 4 << 20;

/// Where a hook was installed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    pub path: PathBuf,
    pub backup: Option<PathBuf>,
    /// Events that already ran keyward (left as they were).
    pub already: Vec<String>,
    pub added: Vec<String>,
}

/// The configuration file of `agent` under `base` (the home directory for the user
/// scope, the project's root for the project scope).
pub fn config_path(agent: Agent, base: &Path) -> PathBuf {
    match agent {
        Agent::Claude => base.join(".claude").join("settings.json"),
        Agent::Codex => base.join(".codex").join("hooks.json"),
        Agent::Gemini => base.join(".gemini").join("settings.json"),
        Agent::Cursor => base.join(".cursor").join("hooks.json"),
    }
}

/// The events to hook, with their matcher (none for prompt events).
fn events(agent: Agent) -> &'static [(&'static str, Option<&'static str>)] {
    match agent {
        Agent::Claude => &[
            ("UserPromptSubmit", None),
            ("PreToolUse", Some("Bash|Write|Edit|MultiEdit|NotebookEdit")),
        ],
        Agent::Codex => &[
            ("UserPromptSubmit", None),
            ("PreToolUse", Some("Bash|apply_patch|shell")),
        ],
        Agent::Gemini => &[
            ("BeforeAgent", None),
            ("BeforeTool", Some("run_shell_command|write_file|replace")),
        ],
        Agent::Cursor => &[
            ("beforeSubmitPrompt", None),
            ("beforeShellExecution", None),
            ("preToolUse", Some("Write|Edit|StrReplace")),
        ],
    }
}

/// One hook entry for `event`, in the agent's shape.
fn entry(agent: Agent, matcher: Option<&str>, command: &str) -> Value {
    match agent {
        Agent::Cursor => {
            // Only the fields Cursor documents: no `failClosed` (see docs/agents.md).
            let mut e = json!({ "command": command });
            if let Some(m) = matcher {
                e["matcher"] = json!(m);
            }
            e
        }
        _ => {
            let mut hook = json!({ "type": "command", "command": command, "timeout": 10 });
            if agent == Agent::Gemini {
                hook["name"] = json!("keyward");
                hook["timeout"] = json!(10_000);
            }
            let mut e = json!({ "hooks": [hook] });
            if let Some(m) = matcher {
                e["matcher"] = json!(m);
            }
            e
        }
    }
}

/// Whether a hook entry (any agent's shape) already runs `keyward agent-hook`.
fn runs_keyward(e: &Value) -> bool {
    let is = |v: &Value| {
        v.get("command")
            .and_then(Value::as_str)
            .is_some_and(|c| c.contains("keyward") && c.contains("agent-hook"))
    };
    is(e)
        || e.get("hooks")
            .and_then(Value::as_array)
            .is_some_and(|hs| hs.iter().any(is))
}

/// Merge keyward's hooks for `agent` into `doc` (an existing configuration, or `{}`).
pub fn merge(agent: Agent, doc: &mut Value, command: &str) -> Result<(Vec<String>, Vec<String>)> {
    let Some(root) = doc.as_object_mut() else {
        bail!("the file does not hold a JSON object");
    };
    if agent == Agent::Cursor {
        root.entry("version").or_insert(json!(1));
    }
    let hooks = root
        .entry("hooks")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(hooks) = hooks.as_object_mut() else {
        bail!("its \"hooks\" is not a JSON object");
    };
    let (mut added, mut already) = (Vec::new(), Vec::new());
    for &(event, matcher) in events(agent) {
        let list = hooks
            .entry(event)
            .or_insert_with(|| Value::Array(Vec::new()));
        let Some(list) = list.as_array_mut() else {
            bail!("its \"hooks.{event}\" is not a list");
        };
        if list.iter().any(runs_keyward) {
            already.push(event.to_string());
        } else {
            list.push(entry(agent, matcher, command));
            added.push(event.to_string());
        }
    }
    Ok((added, already))
}

/// Install keyward's hooks for `agent` in its configuration under `base`; `inside` is
/// the directory writes must stay in (the project, for the project scope).
pub fn install(
    agent: Agent,
    base: &Path,
    inside: Option<&Path>,
    command: &str,
) -> Result<Installed> {
    let path = config_path(agent, base);
    let shown = path.display().to_string();
    let old = match std::fs::metadata(&path) {
        Ok(m) if !m.is_file() => bail!("{shown} is not a regular file"),
        Ok(m) if m.len() > MAX_CONFIG => bail!("{shown} is larger than 4 MiB; not merged"),
        Ok(_) => Some(std::fs::read(&path).with_context(|| format!("cannot read {shown}"))?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => bail!("cannot read {shown}: {e}"),
    };
    let mut doc = match &old {
        Some(bytes) if !bytes.iter().all(u8::is_ascii_whitespace) => {
            serde_json::from_slice::<Value>(bytes).map_err(|e| {
                anyhow::anyhow!(
                    "{shown} is not JSON (line {}, column {}): fix it or move it aside; it was not changed",
                    e.line(),
                    e.column()
                )
            })?
        }
        _ => json!({}),
    };
    let (added, already) =
        merge(agent, &mut doc, command).with_context(|| format!("{shown}: not changed"))?;
    if added.is_empty() {
        return Ok(Installed {
            path,
            backup: None,
            already,
            added,
        });
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let place = |p: &Path| match inside {
        Some(root) => crate::output::Place::Inside(root),
        None => {
            let _ = p;
            crate::output::Place::Named
        }
    };
    let mut backup = None;
    if let Some(bytes) = &old {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let saved = path.with_file_name(format!("{name}.keyward-backup"));
        crate::output::write(&saved, place(&saved), None, |w| w.write_all(bytes))?;
        backup = Some(saved);
    }
    let mut text = serde_json::to_string_pretty(&doc)?;
    text.push('\n');
    crate::output::write(&path, place(&path), None, |w| w.write_all(text.as_bytes()))?;
    Ok(Installed {
        path,
        backup,
        already,
        added,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging_keeps_other_hooks_and_is_idempotent() {
        let mut doc = json!({
            "model": "opus",
            "hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "lint.sh"}]}]}
        });
        let (added, already) =
            merge(Agent::Claude, &mut doc, "keyward agent-hook --agent claude").unwrap();
        assert_eq!(added, ["UserPromptSubmit", "PreToolUse"]);
        assert!(already.is_empty());
        assert_eq!(doc["model"], "opus");
        assert_eq!(doc["hooks"]["PreToolUse"].as_array().unwrap().len(), 2);
        assert_eq!(
            doc["hooks"]["PreToolUse"][0]["hooks"][0]["command"],
            "lint.sh"
        );
        let (added, already) =
            merge(Agent::Claude, &mut doc, "keyward agent-hook --agent claude").unwrap();
        assert!(added.is_empty());
        assert_eq!(already.len(), 2);
    }

    #[test]
    fn cursor_entries_are_flat_and_versioned() {
        let mut doc = json!({});
        merge(Agent::Cursor, &mut doc, "keyward agent-hook --agent cursor").unwrap();
        assert_eq!(doc["version"], 1);
        assert_eq!(
            doc["hooks"]["beforeShellExecution"][0]["command"],
            "keyward agent-hook --agent cursor"
        );
    }
}
