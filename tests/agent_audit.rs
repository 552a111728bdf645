//! The audit's coding-agent checks: agent settings with keys neither tracked nor
//! unignored, MCP servers reading keys from the environment, an agent hook that scans.

mod common;

use common::audit::*;
use common::*;
use keyward::rules::template::{expand_unfiltered, Context};
use serde_json::Value;
use std::path::Path;

fn audit_json(dir: &Path) -> (Value, std::process::Output) {
    let out = run(isolated(&mut keyward())
        .current_dir(dir)
        .args(["audit", "-f", "json"]));
    (report_of(&out), out)
}

#[test]
fn a_tracked_mcp_configuration_with_a_literal_key_fails() {
    let repo = new_repo();
    let dir = repo.path();
    let ctx = Context {
        checksum: None,
        key_template: None,
    };
    let token = expand_unfiltered("{alnum:24}Z9{alnum:8}", ctx, &mut rng(21)).unwrap();
    commit(
        dir,
        &[
            (
                ".mcp.json",
                &format!(r#"{{"mcpServers": {{"crm": {{"env": {{"CRM_TOKEN": "{token}"}}}}}}}}"#),
            ),
            (".claude/settings.local.json", "{}\n"),
        ],
        "agents",
        "2026-01-01T00:00:00Z",
    );
    let (report, _) = audit_json(dir);
    assert_eq!(status(&report, "agent-settings-untracked"), "fail");
    let ev = evidence(&report, "agent-settings-untracked");
    assert!(ev.contains(".claude/settings.local.json: tracked"), "{ev}");
    assert!(ev.contains(".mcp.json: tracked, and holds a key"), "{ev}");
    assert_eq!(status(&report, "mcp-keys-from-environment"), "fail");
    assert!(evidence(&report, "mcp-keys-from-environment").contains("MCP server crm"));
    assert_eq!(status(&report, "agent-hook-secret-scan"), "warn");
}

#[test]
fn references_and_an_installed_hook_pass() {
    let repo = new_repo();
    let dir = repo.path();
    commit(
        dir,
        &[(
            ".mcp.json",
            r#"{"mcpServers": {"crm": {"env": {"CRM_TOKEN": "${CRM_TOKEN}"}}}}"#,
        )],
        "agents",
        "2026-01-01T00:00:00Z",
    );
    let out = run(keyward()
        .current_dir(dir)
        .args(["hook", "install", "--agent", "claude"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let (report, _) = audit_json(dir);
    assert_eq!(status(&report, "agent-settings-untracked"), "pass");
    assert_eq!(status(&report, "mcp-keys-from-environment"), "pass");
    assert_eq!(status(&report, "agent-hook-secret-scan"), "pass");
}

#[test]
fn a_repository_without_agents_is_not_concerned() {
    let repo = new_repo();
    commit(
        repo.path(),
        &[("README.md", "hi\n")],
        "init",
        "2026-01-01T00:00:00Z",
    );
    let (report, _) = audit_json(repo.path());
    for id in [
        "agent-settings-untracked",
        "mcp-keys-from-environment",
        "agent-hook-secret-scan",
    ] {
        let listed = report["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == id);
        assert!(!listed, "{id} is listed only where an agent is configured");
    }
}
