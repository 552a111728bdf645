//! `keyward hook install --agent …`: the configuration each agent reads is merged (other
//! settings and hooks kept), a backup is kept, and a second install changes nothing.

mod common;

use common::*;

fn read_json(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn claude_project_settings_are_merged_with_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".claude/settings.json",
        r#"{"model": "opus", "hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "./lint.sh"}]}]}}"#,
    );
    let out = run(keyward()
        .current_dir(dir.path())
        .args(["hook", "install", "--agent", "claude"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = read_json(&dir.path().join(".claude/settings.json"));
    assert_eq!(doc["model"], "opus");
    let pre = doc["hooks"]["PreToolUse"].as_array().unwrap();
    assert_eq!(pre.len(), 2);
    assert_eq!(pre[0]["hooks"][0]["command"], "./lint.sh");
    assert_eq!(
        pre[1]["hooks"][0]["command"],
        "keyward agent-hook --agent claude"
    );
    assert_eq!(
        doc["hooks"]["UserPromptSubmit"][0]["hooks"][0]["command"],
        "keyward agent-hook --agent claude"
    );
    assert!(dir
        .path()
        .join(".claude/settings.json.keyward-backup")
        .is_file());
    let out = run(keyward()
        .current_dir(dir.path())
        .args(["hook", "install", "--agent", "claude"]));
    assert!(stderr(&out).contains("nothing changed"), "{}", stderr(&out));
    assert_eq!(read_json(&dir.path().join(".claude/settings.json")), doc);
}

#[test]
fn user_scope_writes_each_agents_file_in_home() {
    let home = tempfile::tempdir().unwrap();
    let out = run(keyward()
        .env("HOME", home.path())
        .args(["hook", "install", "--scope", "user"])
        .args(["--agent", "cursor", "--agent", "gemini", "--agent", "codex"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let cursor = read_json(&home.path().join(".cursor/hooks.json"));
    assert_eq!(cursor["version"], 1);
    assert_eq!(
        cursor["hooks"]["beforeSubmitPrompt"][0]["command"],
        "keyward agent-hook --agent cursor"
    );
    // Only the fields Cursor documents are written.
    for event in ["beforeSubmitPrompt", "beforeShellExecution", "preToolUse"] {
        let entry = cursor["hooks"][event][0].as_object().unwrap();
        assert!(!entry.contains_key("failClosed"), "{event}: {entry:?}");
    }
    let gemini = read_json(&home.path().join(".gemini/settings.json"));
    assert_eq!(
        gemini["hooks"]["BeforeTool"][0]["matcher"],
        "run_shell_command|write_file|replace"
    );
    let codex = read_json(&home.path().join(".codex/hooks.json"));
    assert!(codex["hooks"]["PreToolUse"][0]["matcher"]
        .as_str()
        .unwrap()
        .contains("Bash"));
}

#[test]
fn a_file_that_is_not_json_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".cursor/hooks.json", "{ broken");
    let out = run(keyward()
        .current_dir(dir.path())
        .args(["hook", "install", "--agent", "cursor"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not JSON"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".cursor/hooks.json")).unwrap(),
        "{ broken"
    );
}

#[test]
fn agents_reports_a_transcript_key_and_redacts_it_when_asked() {
    let home = tempfile::tempdir().unwrap();
    let k = key_for(rules().get("anthropic-api-key").unwrap(), &mut rng(11));
    let rel = ".claude/projects/-home-ada-app/9a.jsonl";
    let line = format!("{{\"type\":\"user\",\"message\":{{\"content\":\"key:\\n{k}\"}}}}\n");
    write(
        home.path(),
        rel,
        format!("{{\"type\":\"summary\"}}\n{line}"),
    );
    let out = run(keyward()
        .env("HOME", home.path())
        .args(["agents", "-f", "json"]));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["line"], 2);
    assert_eq!(findings[0]["agent"]["agent"], "Claude Code");
    assert!(field(&findings[0], "path").ends_with("9a.jsonl"));
    assert!(!stdout(&out).contains(&k));
    assert!(stderr(&out).contains("--redact"), "{}", stderr(&out));
    // Nothing is rewritten unless asked.
    assert!(std::fs::read_to_string(home.path().join(rel))
        .unwrap()
        .contains(&k));
    let out = run(keyward()
        .env("HOME", home.path())
        .args(["agents", "--redact", "-q"]));
    assert_eq!(out.status.code(), Some(1));
    let now = std::fs::read_to_string(home.path().join(rel)).unwrap();
    assert!(!now.contains(&k), "{now}");
    assert!(now.contains("REDACTED-BY-KEYWARD"));
    for l in now.lines() {
        serde_json::from_str::<serde_json::Value>(l).expect("each line is still JSON");
    }
    let backup = home.path().join(format!("{rel}.keyward-backup"));
    assert!(std::fs::read_to_string(&backup).unwrap().contains(&k));
    let out = run(keyward()
        .args(["agents", "-q"])
        .arg(home.path().join(".claude")));
    assert_eq!(out.status.code(), Some(1), "the backup still holds the key");
}
