//! The entries of an agent's configuration that hold a literal secret: a value under a
//! secret-looking name (`*_TOKEN`, `*_KEY`, `*_SECRET`, `Authorization`, `apiKey`) in an
//! MCP server's `env`, `headers` or anywhere else in the file; a flag, `NAME=value` or
//! header in `args`, in a saved permission (`Bash(curl -H "Authorization: Bearer …")`)
//! or in a command; a key or password in a server's URL. References (`${VAR}`,
//! `${env:VAR}`, `env:VAR`, `${input:…}`, `{{…}}`, `op://…`) and placeholders are not
//! entries.
//!
//! It must not know the matcher or findings: it reads a parsed document.

use serde_json::Value;

/// One literal in an agent's configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The MCP server it configures, when it sits in one.
    pub server: Option<String>,
    /// Where it sits (`env.GITHUB_TOKEN`, `headers.Authorization`, `args`, …).
    pub field: String,
    /// The literal secret, without a scheme word (`Bearer `).
    pub value: String,
}

/// Tables that list MCP servers by name, across agents.
const SERVER_TABLES: &[&str] = &["mcpServers", "servers", "mcp_servers", "context_servers"];

/// Keys whose values name environment variables rather than hold secrets (Codex).
const NAME_ONLY: &[&str] = &["env_http_headers", "bearer_token_env_var", "env_vars"];

/// Keys whose values are lists of `NAME=value` settings (Aider's `set-env`).
const SETTING_LISTS: &[&str] = &["set-env"];

/// Keys whose string values are command lines.
const COMMAND_KEYS: &[&str] = &["command", "apiKeyHelper", "awsAuthRefresh"];

/// Whether a name says its value is a secret.
pub fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase().replace('-', "_");
    let lower = lower.trim_start_matches('_');
    if lower.ends_with("_env_var") || lower.ends_with("_file") || lower.ends_with("_path") {
        return false;
    }
    const WORDS: &[&str] = &[
        "token",
        "key",
        "secret",
        "password",
        "passwd",
        "pwd",
        "apikey",
        "authorization",
        "auth",
        "credential",
        "credentials",
        "pat",
        "bearer",
        "cookie",
    ];
    lower.split('_').any(|w| WORDS.contains(&w))
        || ["token", "apikey", "secret", "password", "accesskey"]
            .iter()
            .any(|s| lower.ends_with(s))
        || (lower.ends_with("key") && lower.len() > 3 && !lower.ends_with("monkey"))
}

/// The secret in a value, if the value is a literal one rather than a reference,
/// a placeholder, a path or a word.
pub fn literal(value: &str) -> Option<&str> {
    let mut v = value.trim();
    for scheme in ["Bearer ", "Basic ", "token ", "Token "] {
        if let Some(rest) = v.strip_prefix(scheme) {
            v = rest.trim();
        }
    }
    let v = v.trim_matches(|c| c == '"' || c == '\'');
    let lower = v.to_ascii_lowercase();
    let reference = v.contains("${")
        || v.starts_with('$')
        || lower.starts_with("env:")
        || v.contains("{env:")
        || v.contains("{{")
        || v.starts_with('<')
        || (v.starts_with('%') && v.ends_with('%'))
        || lower.starts_with("op://")
        || lower.starts_with("vault:")
        || v.contains("://")
        || v.starts_with('/')
        || v.starts_with("./")
        || v.starts_with("~/");
    if reference || v.chars().count() < 8 || v.chars().any(char::is_whitespace) {
        return None;
    }
    // An environment variable's name, a word, a number, a boolean.
    if v.bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        && v.bytes().any(|b| b == b'_')
    {
        return None;
    }
    if v.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        || v.bytes().all(|b| b.is_ascii_digit() || b == b'.')
    {
        return None;
    }
    if crate::rules::placeholder::is_placeholder(v.as_bytes())
        || crate::rules::placeholder::is_known_placeholder(v.as_bytes())
    {
        return None;
    }
    Some(v)
}

/// The key in Aider's `api-key` entry, written `provider=key` (as a string or a list);
/// any other value as it is.
fn provider_value<'a>(name: &str, value: &'a str) -> &'a str {
    match value.split_once('=') {
        Some((provider, key))
            if name == "api-key"
                && !provider.is_empty()
                && provider
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') =>
        {
            key
        }
        _ => value,
    }
}

fn push(out: &mut Vec<Entry>, server: Option<&str>, field: String, value: &str) {
    if let Some(v) = literal(value) {
        out.push(Entry {
            server: server.map(str::to_string),
            field,
            value: v.to_string(),
        });
    }
}

/// Secrets on a command line or in a list of arguments: `--token VALUE`,
/// `--api-key=VALUE`, `NAME_TOKEN=VALUE`, `Authorization: Bearer VALUE`.
pub fn command_secrets(words: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i].trim_matches(|c| c == '"' || c == '\'');
        let lower = w.to_ascii_lowercase();
        if let Some(rest) = lower
            .strip_prefix("authorization:")
            .or_else(|| lower.strip_prefix("x-api-key:"))
            .or_else(|| lower.strip_prefix("api-key:"))
        {
            // The header's value is in this word or the next one or two.
            let here = &w[w.len() - rest.len()..];
            let mut value = here.trim().to_string();
            let mut j = i + 1;
            while literal(&value).is_none() && j < words.len() && j <= i + 2 {
                value = format!("{value} {}", words[j]).trim().to_string();
                let last = words[j].trim_matches(|c| c == '"' || c == '\'' || c == ')');
                if literal(last).is_some() {
                    value = last.to_string();
                }
                j += 1;
            }
            out.push(value);
            i = j.max(i + 1);
            continue;
        }
        if let Some(flag) = w.strip_prefix('-') {
            let flag = flag.trim_start_matches('-');
            if let Some((name, value)) = flag.split_once('=') {
                if is_secret_name(name) {
                    out.push(value.to_string());
                }
            } else if is_secret_name(flag) && i + 1 < words.len() {
                out.push(words[i + 1].clone());
                i += 2;
                continue;
            }
        } else if let Some((name, value)) = w.split_once('=') {
            let name = name.rsplit(['(', ' ']).next().unwrap_or(name);
            if is_secret_name(name) {
                out.push(value.to_string());
            }
        }
        i += 1;
    }
    out.retain(|v| literal(v).is_some());
    out
}

/// Split a command line into words, keeping quoted text together.
pub fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => quote = Some(c),
            (None, c) if c.is_whitespace() || c == '(' || c == ')' || c == ',' => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            (None, c) => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Secrets in a URL: a password in its user information, a secret-named query value.
fn url_secrets(url: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some((_, rest)) = url.split_once("://") {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        if let Some((userinfo, _)) = authority.rsplit_once('@') {
            if let Some((_, password)) = userinfo.split_once(':') {
                out.push(password.to_string());
            }
        }
    }
    if let Some((_, query)) = url.split_once('?') {
        for pair in query.split(['&', '#']) {
            if let Some((name, value)) = pair.split_once('=') {
                if is_secret_name(name) {
                    out.push(value.to_string());
                }
            }
        }
    }
    out
}

fn walk(v: &Value, server: Option<&str>, path: &str, depth: usize, out: &mut Vec<Entry>) {
    if depth > 12 {
        return;
    }
    let join = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                if NAME_ONLY.contains(&k.as_str()) {
                    continue;
                }
                if SERVER_TABLES.contains(&k.as_str()) {
                    if let Value::Object(servers) = child {
                        for (name, s) in servers {
                            walk(s, Some(name), "", depth + 1, out);
                        }
                        continue;
                    }
                    // A list of servers, each with its `name` (Continue's YAML).
                    if let Value::Array(servers) = child {
                        for s in servers {
                            let name = s.get("name").and_then(Value::as_str);
                            walk(s, name.or(server), "", depth + 1, out);
                        }
                        continue;
                    }
                }
                match child {
                    Value::String(s) if is_secret_name(k) => {
                        push(out, server, join(k), provider_value(k, s))
                    }
                    Value::String(s) if k.to_ascii_lowercase().ends_with("url") => {
                        for secret in url_secrets(s) {
                            push(out, server, join(k), &secret);
                        }
                    }
                    Value::String(s) if COMMAND_KEYS.contains(&k.as_str()) => {
                        for secret in command_secrets(&words(s)) {
                            push(out, server, join(k), &secret);
                        }
                    }
                    // A list under a secret's name: `api-key: [gemini=VALUE]` (Aider).
                    Value::Array(items) if is_secret_name(k) => {
                        for item in items {
                            if let Some(item) = item.as_str() {
                                push(out, server, join(k), provider_value(k, item));
                            } else {
                                walk(item, server, &join(k), depth + 1, out);
                            }
                        }
                    }
                    Value::Array(items)
                        if k == "args"
                            || path == "permissions"
                            || SETTING_LISTS.contains(&k.as_str()) =>
                    {
                        let strings: Vec<String> = items
                            .iter()
                            .filter_map(|i| i.as_str().map(str::to_string))
                            .collect();
                        let lists = if k == "args" || SETTING_LISTS.contains(&k.as_str()) {
                            vec![strings]
                        } else {
                            strings.iter().map(|s| words(s)).collect()
                        };
                        for list in lists {
                            for secret in command_secrets(&list) {
                                push(out, server, join(k), &secret);
                            }
                        }
                    }
                    _ => walk(child, server, &join(k), depth + 1, out),
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                walk(item, server, path, depth + 1, out);
            }
        }
        _ => {}
    }
}

/// The literal secrets of a JSON configuration, comments and trailing commas allowed
/// (JSONC, [`super::jsonc`]); none when it does not parse.
pub fn from_json(text: &[u8]) -> Vec<Entry> {
    let doc = serde_json::from_slice::<Value>(text).or_else(|e| {
        super::jsonc::blank(text).map_or(Err(e), |t| serde_json::from_slice::<Value>(&t))
    });
    let Ok(doc) = doc else {
        return Vec::new();
    };
    from_value(&doc)
}

/// The literal secrets of a parsed configuration (JSON, TOML or YAML, as JSON values).
pub fn from_value(doc: &Value) -> Vec<Entry> {
    let mut out = Vec::new();
    walk(doc, None, "", 0, &mut out);
    out
}

/// The literal secrets of a TOML configuration (Codex's `config.toml`).
pub fn from_toml(text: &[u8]) -> Vec<Entry> {
    let Ok(text) = std::str::from_utf8(text) else {
        return Vec::new();
    };
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let Ok(doc) = serde_json::to_value(doc) else {
        return Vec::new();
    };
    from_value(&doc)
}
