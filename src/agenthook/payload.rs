//! The payloads agents send their hooks, read into what keyward checks: the prompt, the
//! shell command, or the text a file write or edit would put into a file (with the
//! file's path, so a key written into test code is weighed as the scan weighs it).
//! Events and tools keyward does not check are passed through.
//!
//! It must not know the matcher: it returns texts to scan.

use super::Agent;
use serde_json::Value;

/// What an action is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A prompt about to be sent to the model.
    Prompt,
    /// A shell command about to run.
    Command,
    /// A file about to be written or edited.
    Write,
}

impl Kind {
    /// How a blocking message names the action.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Prompt => "prompt",
            Kind::Command => "shell command",
            Kind::Write => "file write",
        }
    }
}

/// An action to check: its kind, the name its findings are reported under (the file's
/// path for a write), and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub kind: Kind,
    pub name: String,
    pub texts: Vec<String>,
    /// The working directory the agent reported (its configuration applies).
    pub cwd: Option<String>,
}

fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn strings(v: &Value, keys: &[&str]) -> Vec<String> {
    keys.iter()
        .filter_map(|k| str_of(v, k).map(str::to_string))
        .collect()
}

/// The texts a write or edit adds, from a tool's input, whichever of the agents' field
/// names it uses.
fn written(input: &Value) -> Vec<String> {
    let mut out = strings(
        input,
        &[
            "content",
            "contents",
            "new_string",
            "newString",
            "new_source",
            "new_str",
        ],
    );
    if let Some(edits) = input.get("edits").and_then(Value::as_array) {
        for e in edits {
            out.extend(strings(e, &["new_string", "newString", "new_str"]));
        }
    }
    out
}

fn write_request(input: &Value, cwd: Option<String>) -> Option<Request> {
    let name = [
        "file_path",
        "path",
        "filePath",
        "notebook_path",
        "target_file",
    ]
    .iter()
    .find_map(|k| str_of(input, k))
    .unwrap_or("<edit>")
    .to_string();
    Some(Request {
        kind: Kind::Write,
        name,
        texts: written(input),
        cwd,
    })
}

fn command_request(command: &str, cwd: Option<String>) -> Option<Request> {
    Some(Request {
        kind: Kind::Command,
        name: "<command>".to_string(),
        texts: vec![command.to_string()],
        cwd,
    })
}

fn prompt_request(prompt: &str, cwd: Option<String>) -> Option<Request> {
    Some(Request {
        kind: Kind::Prompt,
        name: "<prompt>".to_string(),
        texts: vec![prompt.to_string()],
        cwd,
    })
}

/// A tool input's command: a string, or a list of words (Codex's `shell`).
fn command_of(input: &Value) -> Option<String> {
    match input.get("command")? {
        Value::String(s) => Some(s.clone()),
        Value::Array(words) => Some(
            words
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(" "),
        ),
        _ => None,
    }
}

/// Read a payload: `Ok(None)` for an event or tool keyward lets through unchecked,
/// `Err` for a payload that is not a JSON object.
pub fn read(agent: Agent, bytes: &[u8]) -> Result<Option<Request>, String> {
    let v: Value = serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
    if !v.is_object() {
        return Err("not a JSON object".to_string());
    }
    let event = str_of(&v, "hook_event_name").unwrap_or("");
    let cwd = str_of(&v, "cwd").map(str::to_string).or_else(|| {
        v.get("workspace_roots")
            .and_then(|r| r.get(0))
            .and_then(Value::as_str)
            .map(str::to_string)
    });
    let tool = str_of(&v, "tool_name").unwrap_or("");
    let input = v.get("tool_input").cloned().unwrap_or(Value::Null);
    // Cursor's MCP inputs may come as a JSON string.
    let input = match input {
        Value::String(s) => serde_json::from_str(&s).unwrap_or(Value::Null),
        other => other,
    };
    Ok(match agent {
        Agent::Claude | Agent::Codex => match event {
            "UserPromptSubmit" => str_of(&v, "prompt").and_then(|p| prompt_request(p, cwd)),
            "PreToolUse" => match tool {
                "Bash" | "shell" | "local_shell" | "exec_command" => {
                    command_of(&input).and_then(|c| command_request(&c, cwd))
                }
                "Write" | "Edit" | "MultiEdit" | "NotebookEdit" => write_request(&input, cwd),
                // Codex's patches: the command (or input) is the patch text.
                "apply_patch" => command_of(&input)
                    .or_else(|| str_of(&input, "input").map(str::to_string))
                    .or_else(|| str_of(&input, "patch").map(str::to_string))
                    .map(|patch| Request {
                        kind: Kind::Write,
                        name: "<patch>".to_string(),
                        texts: vec![added_lines(&patch)],
                        cwd,
                    }),
                _ => None,
            },
            _ => None,
        },
        Agent::Gemini => match event {
            "BeforeAgent" => str_of(&v, "prompt").and_then(|p| prompt_request(p, cwd)),
            "BeforeTool" => match tool {
                "run_shell_command" => command_of(&input).and_then(|c| command_request(&c, cwd)),
                "write_file" | "replace" => write_request(&input, cwd),
                _ => None,
            },
            _ => None,
        },
        Agent::Cursor => match event {
            "beforeSubmitPrompt" => str_of(&v, "prompt").and_then(|p| prompt_request(p, cwd)),
            "beforeShellExecution" => str_of(&v, "command").and_then(|c| command_request(c, cwd)),
            "preToolUse" => match tool {
                "Shell" | "Bash" | "run_terminal_cmd" => {
                    command_of(&input).and_then(|c| command_request(&c, cwd))
                }
                "Write" | "Edit" | "StrReplace" | "MultiEdit" | "edit_file" => {
                    write_request(&input, cwd)
                }
                _ => None,
            },
            _ => None,
        },
    })
}

/// The lines a patch adds (`+…`, without the marker), or the whole text when it has
/// none.
fn added_lines(patch: &str) -> String {
    let added: Vec<&str> = patch
        .lines()
        .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
        .map(|l| &l[1..])
        .collect();
    if added.is_empty() {
        patch.to_string()
    } else {
        added.join("\n")
    }
}
