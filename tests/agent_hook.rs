//! `keyward agent-hook`: the payloads each agent documents (written here in our own
//! words), the decision in each agent's convention, and the message. Keys are made at
//! run time.

mod common;

use common::*;
use serde_json::json;

fn key(seed: u64) -> String {
    key_for(rules().get("anthropic-api-key").unwrap(), &mut rng(seed))
}

fn hook(agent: &str, payload: &serde_json::Value) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    run_with_stdin(
        keyward()
            .current_dir(dir.path())
            .args(["agent-hook", "--agent", agent]),
        &payload.to_string(),
    )
}

fn claude_base(event: &str) -> serde_json::Value {
    json!({
        "session_id": "3f1c2a",
        "transcript_path": "/tmp/none.jsonl",
        "cwd": "/nonexistent/project",
        "hook_event_name": event,
    })
}

#[test]
fn claude_blocks_a_prompt_with_a_key_by_exit_code_2() {
    let k = key(1);
    let mut p = claude_base("UserPromptSubmit");
    p["prompt"] = json!(format!("use this key: {k} to call the API"));
    let out = hook("claude", &p);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
    let err = stderr(&out);
    assert!(err.contains("blocked this prompt"), "{err}");
    assert!(err.contains("Anthropic"), "{err}");
    assert!(!err.contains(&k), "the key is never printed: {err}");
    assert!(err.contains("keyward:allow"), "{err}");
}

#[test]
fn claude_blocks_a_write_an_edit_and_a_command_that_carry_a_key() {
    let k = key(2);
    let mut write = claude_base("PreToolUse");
    write["tool_name"] = json!("Write");
    write["tool_input"] =
        json!({"file_path": "/p/src/config.py", "content": format!("API_KEY = \"{k}\"\n")});
    let mut edit = claude_base("PreToolUse");
    edit["tool_name"] = json!("Edit");
    edit["tool_input"] = json!({"file_path": "/p/app.env", "old_string": "KEY=", "new_string": format!("ANTHROPIC_API_KEY={k}")});
    let mut multi = claude_base("PreToolUse");
    multi["tool_name"] = json!("MultiEdit");
    multi["tool_input"] = json!({"file_path": "/p/a.ts", "edits": [{"old_string": "a", "new_string": "b"}, {"old_string": "c", "new_string": format!("const k = '{k}';")}]});
    let mut bash = claude_base("PreToolUse");
    bash["tool_name"] = json!("Bash");
    bash["tool_input"] = json!({"command": format!("curl https://api.anthropic.com/v1/messages -H \"x-api-key: {k}\""), "description": "call"});
    for (p, what) in [
        (write, "file write"),
        (edit, "file write"),
        (multi, "file write"),
        (bash, "shell command"),
    ] {
        let out = hook("claude", &p);
        assert_eq!(out.status.code(), Some(2), "{p}");
        assert!(
            stderr(&out).contains(&format!("blocked this {what}")),
            "{}",
            stderr(&out)
        );
        assert!(!stderr(&out).contains(&k));
    }
}

#[test]
fn clean_payloads_and_other_events_pass_silently() {
    let mut prompt = claude_base("UserPromptSubmit");
    prompt["prompt"] =
        json!("read OPENAI_API_KEY from the environment, e.g. sk-proj-your_openai_key_here");
    let mut bash = claude_base("PreToolUse");
    bash["tool_name"] = json!("Bash");
    bash["tool_input"] =
        json!({"command": "curl -H \"Authorization: Bearer $API_TOKEN\" https://x.example"});
    let mut read = claude_base("PreToolUse");
    read["tool_name"] = json!("Read");
    read["tool_input"] = json!({"file_path": "/p/.env"});
    let stop = claude_base("Stop");
    for p in [prompt, bash, read, stop] {
        let out = hook("claude", &p);
        assert_eq!(out.status.code(), Some(0), "{p}: {}", stderr(&out));
        assert!(stdout(&out).is_empty() && stderr(&out).is_empty(), "{p}");
    }
}

#[test]
fn an_inline_allow_lets_a_reviewed_value_through() {
    let k = key(3);
    let mut bash = claude_base("PreToolUse");
    bash["tool_name"] = json!("Bash");
    bash["tool_input"] = json!({"command": format!("echo {k} # keyward:allow")});
    let out = hook("claude", &bash);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_malformed_payload_fails_closed_where_exit_2_blocks_only_the_action() {
    for agent in ["claude", "codex", "gemini"] {
        let out = run_with_stdin(
            keyward().args(["agent-hook", "--agent", agent]),
            "{not json",
        );
        assert_eq!(out.status.code(), Some(2), "{agent}");
        assert!(
            stderr(&out).contains("could not be read"),
            "{}",
            stderr(&out)
        );
    }
    let out = run_with_stdin(keyward().args(["agent-hook", "--agent", "cursor"]), "[1");
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    // Cursor is not counted on to block when its hook fails: keyward does not say it did.
    let err = stderr(&out);
    assert!(err.contains("could not check this action"), "{err}");
    assert!(!err.contains("blocked"), "{err}");
}

#[test]
fn cursor_answers_with_its_json_permission_and_continue_fields() {
    let k = key(4);
    let base = json!({
        "conversation_id": "c-1",
        "generation_id": "g-1",
        "workspace_roots": ["/nonexistent"],
    });
    let mut shell = base.clone();
    shell["hook_event_name"] = json!("beforeShellExecution");
    shell["command"] = json!(format!("export ANTHROPIC_API_KEY={k} && npm start"));
    shell["cwd"] = json!("/nonexistent");
    let out = hook("cursor", &shell);
    assert_eq!(out.status.code(), Some(0));
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["permission"], "deny");
    assert!(answer["user_message"]
        .as_str()
        .unwrap()
        .contains("shell command"));
    assert!(!stdout(&out).contains(&k));

    let mut prompt = base.clone();
    prompt["hook_event_name"] = json!("beforeSubmitPrompt");
    prompt["prompt"] = json!(format!("my key is {k}"));
    prompt["attachments"] = json!([]);
    let out = hook("cursor", &prompt);
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["continue"], false);

    let mut clean = base;
    clean["hook_event_name"] = json!("beforeShellExecution");
    clean["command"] = json!("ls -la");
    let out = hook("cursor", &clean);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).is_empty());
}

#[test]
fn gemini_and_codex_block_with_exit_code_2() {
    let k = key(5);
    let gemini = json!({
        "session_id": "s", "cwd": "/nonexistent", "hook_event_name": "BeforeTool",
        "timestamp": "2026-12-06T08:00:00Z", "tool_name": "write_file",
        "tool_input": {"file_path": "settings.py", "content": format!("KEY = '{k}'\n")}
    });
    let out = hook("gemini", &gemini);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("settings.py"), "{}", stderr(&out));
    let gemini_prompt = json!({"hook_event_name": "BeforeAgent", "prompt": format!("use {k}")});
    assert_eq!(hook("gemini", &gemini_prompt).status.code(), Some(2));
    let codex = json!({
        "session_id": "s", "cwd": "/nonexistent", "hook_event_name": "PreToolUse",
        "tool_name": "Bash", "tool_input": {"command": format!("ANTHROPIC_API_KEY={k} python app.py")}
    });
    assert_eq!(hook("codex", &codex).status.code(), Some(2));
    let patch = json!({
        "hook_event_name": "PreToolUse", "tool_name": "apply_patch",
        "tool_input": {"command": format!("*** Begin Patch\n*** Add File: cfg.py\n+KEY = '{k}'\n*** End Patch\n")}
    });
    assert_eq!(hook("codex", &patch).status.code(), Some(2));
}
