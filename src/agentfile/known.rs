//! Which paths belong to a coding agent: its MCP server configuration, its settings
//! (with saved permissions), or its session transcripts. Knowledge of names only: the
//! file's contents are read elsewhere.
//!
//! The files, as each agent documents them:
//!
//! | agent | file | what it holds |
//! | --- | --- | --- |
//! | Claude Code | `.mcp.json`, `~/.claude.json` | `mcpServers.<name>.{env, headers, args, url}` |
//! | Claude Code | `.claude/settings.json`, `.claude/settings.local.json` | `env`, `permissions.allow`, `apiKeyHelper` |
//! | Claude Desktop | `claude_desktop_config.json` | `mcpServers` |
//! | Cursor | `.cursor/mcp.json` | `mcpServers` |
//! | VS Code (GitHub Copilot) | `.vscode/mcp.json` | `servers` (and `inputs`) |
//! | Codex | `.codex/config.toml` | `[mcp_servers.<name>]` with `env`, `http_headers`, `bearer_token` |
//! | Gemini CLI | `.gemini/settings.json` | `mcpServers.<name>.{env, headers, args}` |
//! | Windsurf | `mcp_config.json` | `mcpServers` |
//! | VS Code (GitHub Copilot) | `Code/User/mcp.json`, `Code/User/settings.json` (the user profile) | `servers`, `mcp.servers` |
//! | Continue | `.continue/config.json` | `models[].apiKey` |
//! | Continue | `.continue/config.yaml`, `.continue/mcpServers/*.yaml` | `models[].apiKey`, `mcpServers[]` (a list, each with its `name`) |
//! | Aider | `.aider.conf.yml` | `openai-api-key`, `anthropic-api-key`, `api-key` (`provider=key` list), `set-env` |
//! | Roo Code, Cline, Amazon Q | `.roo/mcp.json`, `cline_mcp_settings.json`, `.amazonq/mcp.json` | `mcpServers` |
//!
//! VS Code's and Gemini CLI's JSON files may hold comments and trailing commas (JSONC).
//!
//! Transcripts: `~/.claude/projects/**/*.jsonl` (Claude Code), `~/.codex/sessions/**`
//! (Codex), `~/.gemini/tmp/**` (Gemini CLI); any other `.jsonl` file is read as JSON
//! Lines too.

/// What an agent's file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// MCP servers (and, for settings files, environment and permissions).
    Config,
    /// A session transcript (JSON Lines or JSON).
    Transcript,
}

/// How the file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// JSON, comments and trailing commas allowed (JSONC: VS Code, Gemini CLI).
    Json,
    Toml,
    /// YAML (Aider, Continue).
    Yaml,
    /// JSON Lines: one JSON value a line.
    JsonLines,
}

/// An agent's file, as its path tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    /// The agent, as its makers name it.
    pub agent: &'static str,
    pub kind: Kind,
    pub syntax: Syntax,
}

const fn config(agent: &'static str, syntax: Syntax) -> Option<Known> {
    Some(Known {
        agent,
        kind: Kind::Config,
        syntax,
    })
}

/// Where agents keep their own credentials by design (`codex login`, `claude login`,
/// `gemini` sign-in): `keyward agents` does not report them.
pub fn is_credential_store(path: &str) -> bool {
    let path = path.replace('\\', "/");
    [
        ".codex/auth.json",
        ".claude/.credentials.json",
        ".gemini/oauth_creds.json",
    ]
    .iter()
    .any(|s| path.ends_with(s))
}

/// The agent file `path` is, if it is one (`/` or `\` separated, relative or absolute).
pub fn known(path: &str) -> Option<Known> {
    let path: std::borrow::Cow<'_, str> = if path.contains('\\') {
        path.replace('\\', "/").into()
    } else {
        path.into()
    };
    let mut parts = path.rsplit('/');
    let name = parts.next().unwrap_or("");
    let parent = parts.next().unwrap_or("");
    let transcript = |agent| {
        let syntax = if name.ends_with(".jsonl") {
            Syntax::JsonLines
        } else {
            Syntax::Json
        };
        Some(Known {
            agent,
            kind: Kind::Transcript,
            syntax,
        })
    };
    let json_like = name.ends_with(".jsonl") || name.ends_with(".json");
    if json_like && path.contains(".claude/projects/") {
        return transcript("Claude Code");
    }
    if json_like && path.contains(".codex/sessions/") {
        return transcript("Codex");
    }
    if json_like && path.contains(".gemini/tmp/") {
        return transcript("Gemini CLI");
    }
    let grandparent = parts.next().unwrap_or("");
    let yaml = name.ends_with(".yaml") || name.ends_with(".yml");
    // VS Code's user profile: `~/.config/Code/User/`, `%APPDATA%\Code\User\`, and
    // `Code - Insiders`.
    if parent == "User"
        && (grandparent == "Code" || grandparent == "Code - Insiders")
        && (name == "mcp.json" || name == "settings.json")
    {
        return config("VS Code (GitHub Copilot)", Syntax::Json);
    }
    // Continue's blocks: `.continue/mcpServers/*.yaml` (or a copied `.mcp.json`).
    if parent == "mcpServers" && grandparent == ".continue" {
        if yaml {
            return config("Continue", Syntax::Yaml);
        }
        if name.ends_with(".json") {
            return config("Continue", Syntax::Json);
        }
    }
    match (parent, name) {
        (_, ".aider.conf.yml" | ".aider.conf.yaml") => config("Aider", Syntax::Yaml),
        (".continue", "config.yaml") => config("Continue", Syntax::Yaml),
        (_, ".mcp.json" | ".claude.json") => config("Claude Code", Syntax::Json),
        (".claude", "settings.json" | "settings.local.json") => config("Claude Code", Syntax::Json),
        (_, "claude_desktop_config.json") => config("Claude Desktop", Syntax::Json),
        (".cursor", "mcp.json") => config("Cursor", Syntax::Json),
        (".vscode", "mcp.json") => config("VS Code (GitHub Copilot)", Syntax::Json),
        (".codex", "config.toml") => config("Codex", Syntax::Toml),
        (".gemini", "settings.json") => config("Gemini CLI", Syntax::Json),
        (_, "mcp_config.json") => config("Windsurf", Syntax::Json),
        (".continue", "config.json") => config("Continue", Syntax::Json),
        (".roo", "mcp.json") => config("Roo Code", Syntax::Json),
        (_, "cline_mcp_settings.json") => config("Cline", Syntax::Json),
        (".amazonq", "mcp.json") => config("Amazon Q", Syntax::Json),
        _ if name.ends_with(".jsonl") || name.ends_with(".ndjson") => Some(Known {
            agent: "",
            kind: Kind::Transcript,
            syntax: Syntax::JsonLines,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_files_are_named_by_their_paths() {
        for (path, agent, kind) in [
            (".mcp.json", "Claude Code", Kind::Config),
            ("app/.cursor/mcp.json", "Cursor", Kind::Config),
            (".vscode/mcp.json", "VS Code (GitHub Copilot)", Kind::Config),
            ("/home/a/.codex/config.toml", "Codex", Kind::Config),
            (".claude/settings.local.json", "Claude Code", Kind::Config),
            (".gemini/settings.json", "Gemini CLI", Kind::Config),
            ("x\\.cursor\\mcp.json", "Cursor", Kind::Config),
            (
                "/h/.claude/projects/-src-app/0b1c.jsonl",
                "Claude Code",
                Kind::Transcript,
            ),
            (
                "/h/.codex/sessions/2026/12/01/rollout-a.jsonl",
                "Codex",
                Kind::Transcript,
            ),
            (
                "/h/.gemini/tmp/ab12/chats/session-1.json",
                "Gemini CLI",
                Kind::Transcript,
            ),
        ] {
            let k = known(path).unwrap_or_else(|| panic!("{path}"));
            assert_eq!((k.agent, k.kind), (agent, kind), "{path}");
        }
        for (path, agent, syntax) in [
            ("/h/.aider.conf.yml", "Aider", Syntax::Yaml),
            (".continue/config.yaml", "Continue", Syntax::Yaml),
            (".continue/mcpServers/db.yaml", "Continue", Syntax::Yaml),
            (".continue/mcpServers/copied.json", "Continue", Syntax::Json),
            (
                "/h/.config/Code/User/mcp.json",
                "VS Code (GitHub Copilot)",
                Syntax::Json,
            ),
            (
                "C:\\Users\\a\\AppData\\Roaming\\Code\\User\\settings.json",
                "VS Code (GitHub Copilot)",
                Syntax::Json,
            ),
        ] {
            let k = known(path).unwrap_or_else(|| panic!("{path}"));
            assert_eq!((k.agent, k.kind, k.syntax), (agent, Kind::Config, syntax));
        }
        for path in [
            "settings.json",
            "src/mcp.json",
            "config.toml",
            "a.json",
            "config.yaml",
            "mcpServers/a.yaml",
            "User/settings.json",
        ] {
            assert_eq!(known(path), None, "{path}");
        }
    }
}
