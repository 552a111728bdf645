//! Coding agents' files: MCP server configurations, agent settings and saved
//! permissions are read for what they configure, and their findings name the agent and
//! the server; JSON Lines transcripts place a key inside an escaped string on its line.
//! Every key is made at run time.

mod common;

use common::*;
use keyward::rules::template::{expand_unfiltered, Context};

fn github(seed: u64) -> String {
    key_for(rules().get("github-pat").unwrap(), &mut rng(seed))
}

fn anthropic(seed: u64) -> String {
    key_for(rules().get("anthropic-api-key").unwrap(), &mut rng(seed))
}

/// A random value no provider rule knows (a vendor's opaque token).
fn opaque(seed: u64) -> String {
    let ctx = Context {
        checksum: None,
        key_template: None,
    };
    expand_unfiltered("{alnum:20}Q7{alnum:10}", ctx, &mut rng(seed)).unwrap()
}

fn agent_of(f: &serde_json::Value) -> (String, String, String) {
    let a = &f["agent"];
    (
        a["agent"].as_str().unwrap_or("").to_string(),
        a["server"].as_str().unwrap_or("").to_string(),
        a["field"].as_str().unwrap_or("").to_string(),
    )
}

#[test]
fn an_mcp_server_key_is_reported_with_the_agent_and_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let (gh, vendor) = (github(1), opaque(2));
    write(
        dir.path(),
        ".mcp.json",
        format!(
            r#"{{
  "mcpServers": {{
    "github": {{
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github"],
      "env": {{ "GITHUB_PERSONAL_ACCESS_TOKEN": "{gh}" }}
    }},
    "vendor": {{
      "type": "http",
      "url": "https://mcp.vendor.example/mcp",
      "headers": {{ "Authorization": "Bearer {vendor}" }}
    }},
    "quiet": {{
      "command": "npx",
      "env": {{ "API_KEY": "${{VENDOR_API_KEY}}", "OTHER_TOKEN": "your-token-here", "LOG_LEVEL": "debug" }}
    }}
  }}
}}
"#
        ),
    );
    let (findings, out) = scan_json(dir.path(), &["."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(findings.len(), 2, "{findings:#?}");
    let by_secret = |s: &str| {
        findings
            .iter()
            .find(|f| field(f, "secret") == s)
            .unwrap_or_else(|| panic!("{s} not found: {findings:#?}"))
    };
    let f = by_secret(&gh);
    assert_eq!(field(f, "rule_id"), "github-pat");
    assert_eq!(
        agent_of(f),
        (
            "Claude Code".into(),
            "github".into(),
            "env.GITHUB_PERSONAL_ACCESS_TOKEN".into()
        )
    );
    assert_eq!(f["line"], 6);
    let f = by_secret(&vendor);
    assert_eq!(field(f, "rule_id"), "agent-config-literal");
    assert_eq!(
        agent_of(f),
        (
            "Claude Code".into(),
            "vendor".into(),
            "headers.Authorization".into()
        )
    );
    assert_eq!(f["line"], 11);
}

#[test]
fn human_output_names_the_agent_and_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let vendor = opaque(3);
    write(
        dir.path(),
        ".cursor/mcp.json",
        format!(
            r#"{{"mcpServers": {{"linear": {{"command": "npx", "env": {{"LINEAR_API_KEY": "{vendor}"}}}}}}}}"#
        ),
    );
    let out = run(keyward().current_dir(dir.path()).args(["scan", "."]));
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("agent Cursor, MCP server linear, env.LINEAR_API_KEY"),
        "{text}"
    );
    assert!(!text.contains(&vendor), "the secret is redacted: {text}");
}

#[test]
fn codex_gemini_and_vscode_configurations_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (opaque(4), opaque(5), opaque(6));
    write(
        dir.path(),
        ".codex/config.toml",
        format!(
            "model = \"o4\"\n\n[mcp_servers.search]\ncommand = \"npx\"\nargs = [\"-y\", \"search-mcp\", \"--api-key\", \"{a}\"]\nenv_http_headers = {{ \"X-Api-Key\" = \"SEARCH_API_KEY\" }}\n"
        ),
    );
    write(
        dir.path(),
        ".gemini/settings.json",
        format!(
            r#"{{"mcpServers": {{"db": {{"command": "db-mcp", "env": {{"DB_PASSWORD": "{b}", "DB_HOST": "localhost"}}}}}}}}"#
        ),
    );
    write(
        dir.path(),
        ".vscode/mcp.json",
        format!(
            r#"{{"inputs": [{{"id": "token", "type": "promptString", "password": true}}],
 "servers": {{"ok": {{"env": {{"TOKEN": "${{input:token}}"}}}},
             "bad": {{"url": "https://mcp.example.dev/sse?api_key={c}"}}}}}}"#
        ),
    );
    let (findings, out) = scan_json(dir.path(), &["."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let mut places: Vec<_> = findings.iter().map(agent_of).collect();
    places.sort();
    assert_eq!(
        places,
        vec![
            ("Codex".into(), "search".into(), "args".into()),
            ("Gemini CLI".into(), "db".into(), "env.DB_PASSWORD".into()),
            (
                "VS Code (GitHub Copilot)".into(),
                "bad".into(),
                "url".into()
            ),
        ],
        "{findings:#?}"
    );
}

#[test]
fn saved_permissions_with_a_bearer_token_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let token = opaque(7);
    write(
        dir.path(),
        ".claude/settings.local.json",
        format!(
            r#"{{
  "permissions": {{
    "allow": [
      "Bash(npm test)",
      "Bash(curl -H \"Authorization: Bearer {token}\" https://api.example.dev/v1/items)"
    ]
  }},
  "env": {{ "SERVICE_TOKEN": "${{SERVICE_TOKEN}}" }}
}}
"#
        ),
    );
    let (findings, out) = scan_json(dir.path(), &["."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(field(&findings[0], "secret"), token);
    assert_eq!(
        agent_of(&findings[0]),
        ("Claude Code".into(), "".into(), "permissions.allow".into())
    );
    assert_eq!(findings[0]["line"], 5);
}

#[test]
fn references_and_placeholders_stay_quiet() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".mcp.json",
        r#"{"mcpServers": {
  "a": {"env": {"GITHUB_TOKEN": "${GITHUB_TOKEN}", "OPENAI_API_KEY": "env:OPENAI_API_KEY",
                "SLACK_BOT_TOKEN": "<your-slack-token>", "STRIPE_SECRET_KEY": "sk_test_your_key_here",
                "NOTION_TOKEN": "${env:NOTION_TOKEN}", "PASSWORD_FILE": "/run/secrets/db"}},
  "b": {"url": "https://mcp.example.dev/mcp", "headers": {"Authorization": "Bearer ${API_TOKEN}"}},
  "c": {"command": "docker", "args": ["run", "-e", "GITHUB_TOKEN", "ghcr.io/github/github-mcp-server"]}
}}"#,
    );
    write(
        dir.path(),
        ".codex/config.toml",
        "[mcp_servers.x]\ncommand = \"x\"\nbearer_token_env_var = \"X_TOKEN\"\nenv = { \"X_API_KEY\" = \"{{X_API_KEY}}\" }\n",
    );
    let (findings, out) = scan_json(dir.path(), &["."]);
    assert_eq!(out.status.code(), Some(0), "{findings:#?}");
}

#[test]
fn a_key_after_an_escaped_newline_in_a_transcript_is_placed_on_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let key = anthropic(8);
    let rel = ".claude/projects/-home-ada-app/5f0c.jsonl";
    write(
        dir.path(),
        rel,
        format!(
            "{{\"type\":\"user\",\"message\":{{\"content\":\"hello\"}}}}\n{{\"type\":\"user\",\"message\":{{\"content\":\"here it is:\\n{key}\\nthanks\"}}}}\n"
        ),
    );
    let (findings, out) = scan_json(dir.path(), &[rel]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = &findings[0];
    assert_eq!(field(f, "secret"), key);
    assert_eq!(f["line"], 2);
    let line2 = format!("{{\"type\":\"user\",\"message\":{{\"content\":\"here it is:\\n{key}");
    assert_eq!(f["column"], line2.chars().count() - key.chars().count() + 1);
    assert_eq!(
        agent_of(f),
        ("Claude Code".into(), "".into(), "transcript".into())
    );
}

#[test]
fn an_agent_config_key_is_caught_when_staged_and_in_history() {
    let dir = new_repo();
    let vendor = opaque(9);
    let config = format!(r#"{{"mcpServers": {{"crm": {{"env": {{"CRM_TOKEN": "{vendor}"}}}}}}}}"#);
    commit(
        dir.path(),
        &[("README.md", "hi\n")],
        "init",
        "2026-01-01T00:00:00Z",
    );
    write(dir.path(), ".cursor/mcp.json", &config);
    git(dir.path(), &["add", ".cursor/mcp.json"]);
    let out = run(keyward()
        .current_dir(dir.path())
        .args(["staged", "-f", "json"]));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("env.CRM_TOKEN"), "{}", stdout(&out));
    git(dir.path(), &["commit", "-q", "-m", "mcp"]);
    let (findings, out) = history_json(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(
        agent_of(&findings[0]),
        ("Cursor".into(), "crm".into(), "env.CRM_TOKEN".into())
    );
}

#[test]
fn jsonc_configurations_with_comments_and_trailing_commas_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (opaque(10), opaque(11));
    // VS Code's mcp.json, as its documentation shows it: comments, an input for the
    // key the person is asked for, and a trailing comma.
    write(
        dir.path(),
        ".vscode/mcp.json",
        format!(
            r#"{{
  // Ask for the key once; VS Code keeps it.
  "inputs": [
    {{ "type": "promptString", "id": "perplexity-key", "password": true, }},
  ],
  "servers": {{
    /* a server that reads its key from the input */
    "perplexity": {{
      "type": "stdio",
      "command": "npx",
      "env": {{ "PERPLEXITY_API_KEY": "${{input:perplexity-key}}" }},
    }},
    "tracker": {{
      "type": "stdio",
      "command": "tracker-mcp",
      "env": {{
        "TRACKER_TOKEN": "{a}", // pasted while trying it out
      }},
    }},
  }},
}}
"#
        ),
    );
    // Gemini CLI's settings.json, with a comment and a trailing comma.
    write(
        dir.path(),
        ".gemini/settings.json",
        format!(
            "{{\n  // MCP servers\n  \"mcpServers\": {{\n    \"search\": {{\n      \"httpUrl\": \"https://search.example.dev/mcp\",\n      \"headers\": {{ \"Authorization\": \"Bearer {b}\" }},\n    }},\n  }},\n}}\n"
        ),
    );
    let (findings, out) = scan_json(dir.path(), &["."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let mut got: Vec<_> = findings
        .iter()
        .map(|f| (agent_of(f), f["line"].as_u64().unwrap()))
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            (
                (
                    "Gemini CLI".into(),
                    "search".into(),
                    "headers.Authorization".into()
                ),
                6
            ),
            (
                (
                    "VS Code (GitHub Copilot)".into(),
                    "tracker".into(),
                    "env.TRACKER_TOKEN".into()
                ),
                17
            ),
        ],
        "{findings:#?}"
    );
}

#[test]
fn aider_yaml_configuration_keys_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let openai = key_for(rules().get("openai-api-key").unwrap(), &mut rng(12));
    let (gemini, vendor) = (opaque(13), opaque(14));
    // Aider reads OpenAI's and Anthropic's keys from their own entries, any other
    // provider's from `api-key` as `provider=key`, and `set-env` as `NAME=value`.
    write(
        dir.path(),
        ".aider.conf.yml",
        format!(
            "# aider settings\nmodel: sonnet\nopenai-api-key: {openai}\nanthropic-api-key: ${{ANTHROPIC_API_KEY}}\napi-key:\n  - gemini={gemini}\n  - deepseek=<your-key>\nset-env:\n  - VENDOR_API_KEY={vendor}\n  - OPENAI_API_BASE=https://llm.example.dev/v1\ndark-mode: true\n"
        ),
    );
    let (findings, out) = scan_json(dir.path(), &["."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let mut got: Vec<_> = findings
        .iter()
        .map(|f| {
            (
                field(f, "secret").to_string(),
                agent_of(f).2,
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    got.sort_by_key(|g| g.2);
    assert_eq!(
        got,
        vec![
            (openai.clone(), "openai-api-key".to_string(), 3),
            (gemini, "api-key".to_string(), 6),
            (vendor, "set-env".to_string(), 9),
        ],
        "{findings:#?}"
    );
    assert!(findings.iter().all(|f| agent_of(f).0 == "Aider"));
    let f = findings
        .iter()
        .find(|f| field(f, "secret") == openai)
        .unwrap();
    assert_eq!(field(f, "rule_id"), "openai-api-key");
}

#[test]
fn continue_yaml_models_and_mcp_servers_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let (model_key, server_token, block_token) = (opaque(15), opaque(16), opaque(17));
    // Continue's config.yaml: models with an apiKey, mcpServers as a list of blocks
    // each with its name; `${{ secrets.NAME }}` is a reference.
    write(
        dir.path(),
        ".continue/config.yaml",
        format!(
            "name: Local Config\nversion: 0.0.1\nschema: v1\nmodels:\n  - name: Vendor model\n    provider: openai\n    model: vendor-large\n    apiBase: https://llm.example.dev/v1\n    apiKey: {model_key}\n  - name: Hub model\n    provider: anthropic\n    apiKey: ${{{{ secrets.ANTHROPIC_API_KEY }}}}\nmcpServers:\n  - name: Issue tracker\n    command: npx\n    args: [\"-y\", \"tracker-mcp\"]\n    env:\n      TRACKER_TOKEN: \"{server_token}\"\n      TRACKER_URL: https://tracker.example.dev\n"
        ),
    );
    write(
        dir.path(),
        ".continue/mcpServers/db.yaml",
        format!(
            "name: Database\nversion: 0.0.1\nschema: v1\nmcpServers:\n  - name: Postgres MCP\n    command: db-mcp\n    env:\n      DB_PASSWORD: '{block_token}'\n      DB_USER: ${{{{ secrets.DB_USER }}}}\n"
        ),
    );
    let (findings, out) = scan_json(dir.path(), &["."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let mut got: Vec<_> = findings
        .iter()
        .map(|f| (agent_of(f), f["line"].as_u64().unwrap()))
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            (("Continue".into(), "".into(), "models.apiKey".into()), 9),
            (
                (
                    "Continue".into(),
                    "Issue tracker".into(),
                    "env.TRACKER_TOKEN".into()
                ),
                18
            ),
            (
                (
                    "Continue".into(),
                    "Postgres MCP".into(),
                    "env.DB_PASSWORD".into()
                ),
                8
            ),
        ],
        "{findings:#?}"
    );
}

#[test]
fn agents_reads_the_vscode_user_profile_with_comments() {
    let home = tempfile::tempdir().unwrap();
    let token = opaque(18);
    write(
        home.path(),
        ".config/Code/User/settings.json",
        format!(
            "{{\n  \"editor.fontSize\": 14,\n  // MCP servers for Copilot's agent mode\n  \"mcp\": {{\n    \"servers\": {{\n      \"notes\": {{ \"command\": \"notes-mcp\", \"env\": {{ \"NOTES_API_KEY\": \"{token}\" }} }},\n    }},\n  }},\n}}\n"
        ),
    );
    let out = run(keyward()
        .env("HOME", home.path())
        .args(["agents", "-f", "json", "--no-redact"]));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(field(&findings[0], "secret"), token);
    assert_eq!(findings[0]["line"], 6);
    assert_eq!(
        agent_of(&findings[0]),
        (
            "VS Code (GitHub Copilot)".into(),
            "notes".into(),
            "env.NOTES_API_KEY".into()
        )
    );
    // Standard error is no terminal here: no progress bar is drawn.
    let err = stderr(&out);
    assert!(!err.contains("scanning") && !err.contains('\r'), "{err}");
}

#[test]
fn aider_api_key_as_one_provider_pair_reports_the_key_alone() {
    let dir = tempfile::tempdir().unwrap();
    let key = opaque(19);
    write(
        dir.path(),
        "app/.aider.conf.yml",
        format!("model: deepseek\napi-key: deepseek={key}\n"),
    );
    let (findings, out) = scan_json(dir.path(), &["."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(findings.len(), 1, "{findings:#?}");
    // A generic assignment rule may take the pair whole; the key is in it either way.
    assert!(
        field(&findings[0], "secret").ends_with(&key),
        "{findings:#?}"
    );
    assert_eq!(
        agent_of(&findings[0]),
        ("Aider".into(), "".into(), "api-key".into())
    );
    assert_eq!(findings[0]["line"], 2);
}
