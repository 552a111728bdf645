//! Coding agents' hooks: what each agent sends a hook on standard input ([`payload`]),
//! how it is told to block ([`Answer`]), and the hook configuration each agent reads
//! ([`install`]).
//!
//! | agent | events read | blocks with |
//! | --- | --- | --- |
//! | Claude Code | `UserPromptSubmit` (`prompt`), `PreToolUse` (`Bash`, `Write`, `Edit`, `MultiEdit`, `NotebookEdit`) | exit code 2, the reason on standard error |
//! | Codex | `UserPromptSubmit`, `PreToolUse` (`Bash`, `apply_patch`, `shell`) | exit code 2, the reason on standard error |
//! | Gemini CLI | `BeforeAgent` (`prompt`), `BeforeTool` (`run_shell_command`, `write_file`, `replace`) | exit code 2, the reason on standard error |
//! | Cursor | `beforeSubmitPrompt`, `beforeShellExecution`, `preToolUse` (`Write`, `Edit`, `StrReplace`, `Shell`) | JSON on standard output: `{"continue": false}` for a prompt, `{"permission": "deny"}` for an action |
//!
//! It must not know the matcher or the configuration: the command scans what
//! [`payload::read`] returns and hands the findings' description back to [`answer`].

pub mod install;
pub mod payload;

/// The agents keyward hooks into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agent {
    Claude,
    Cursor,
    Gemini,
    Codex,
}

impl Agent {
    /// The agent as its makers name it.
    pub fn name(self) -> &'static str {
        match self {
            Agent::Claude => "Claude Code",
            Agent::Cursor => "Cursor",
            Agent::Gemini => "Gemini CLI",
            Agent::Codex => "Codex",
        }
    }

    /// The `--agent` value.
    pub fn id(self) -> &'static str {
        match self {
            Agent::Claude => "claude",
            Agent::Cursor => "cursor",
            Agent::Gemini => "gemini",
            Agent::Codex => "codex",
        }
    }
}

/// What a hook prints and how it exits.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Answer {
    pub exit: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The exit code by which Claude Code, Codex and Gemini CLI block an action.
pub const BLOCK_EXIT: i32 = 2;

/// The answer that blocks `kind` with `reason`, in the agent's own convention.
pub fn answer(agent: Agent, kind: payload::Kind, reason: &str) -> Answer {
    match agent {
        Agent::Claude | Agent::Codex | Agent::Gemini => Answer {
            exit: BLOCK_EXIT,
            stdout: String::new(),
            stderr: format!("{reason}\n"),
        },
        Agent::Cursor => {
            let json = match kind {
                payload::Kind::Prompt => serde_json::json!({
                    "continue": false,
                    "user_message": reason,
                }),
                _ => serde_json::json!({
                    "permission": "deny",
                    "user_message": reason,
                    "agent_message": reason,
                }),
            };
            Answer {
                exit: 0,
                stdout: format!("{json}\n"),
                stderr: String::new(),
            }
        }
    }
}

/// The answer to a payload that is not what the agent documents: Claude Code, Codex and
/// Gemini CLI block the one action with exit code 2 (fail closed: the agent goes on, the
/// person sees why). For Cursor, whose answer's shape depends on the event keyward could
/// not read, keyward exits 1 with the reason on standard error and claims to have blocked
/// nothing: it does not count on Cursor blocking an action whose hook failed (no such
/// setting was found in Cursor's own hook documentation; see docs/agents.md).
pub fn malformed(agent: Agent, why: &str) -> Answer {
    let what = format!(
        "keyward: the {} hook payload could not be read ({why})",
        agent.name()
    );
    match agent {
        Agent::Cursor => Answer {
            exit: 1,
            stdout: String::new(),
            stderr: format!("{what}; keyward could not check this action for keys\n"),
        },
        _ => Answer {
            exit: BLOCK_EXIT,
            stdout: String::new(),
            stderr: format!(
                "{what}; the action is blocked so that no key slips through unchecked\n"
            ),
        },
    }
}
