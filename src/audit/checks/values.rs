//! Names and values in configuration: which names hold secrets (`OPENAI_API_KEY`,
//! `db_password`), `NAME: value` and `NAME=value` assignments, and whether a value is
//! a reference to a secret kept elsewhere (`${{ secrets.X }}`, `$X`, `vault:`) or a
//! dummy.
//!
//! It must not know which files these lines come from, nor what a check concludes.

use crate::scan::filters::is_placeholder;
use regex::Regex;
use std::sync::LazyLock;

/// Names that hold secrets (`OPENAI_API_KEY`, `db_password`, `slackToken`).
pub static SECRET_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(api[_-]?key|apikey|token|secret|passw(or)?d|credentials?|private[_-]?key|access[_-]?key)")
        .expect("valid regex")
});

/// Names that merely look like it.
pub fn false_secret_name(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    l.contains("token_url")
        || l.contains("secret_name")
        || l.contains("secretname")
        || l.ends_with("_file")
        || l.ends_with("_path")
        || l.ends_with("_id")
        || l == "id-token"
        || l.contains("max_tokens")
        || l.contains("tokenizer")
}

/// A value that refers to a secret kept elsewhere, or no value at all.
pub fn is_reference(value: &str) -> bool {
    let v = value.trim().trim_matches(['"', '\'']);
    v.is_empty()
        || v.starts_with('$')
        || v.contains("${{")
        || v.contains("{{")
        || v.starts_with("secret:")
        || v.starts_with("vault:")
        || v.starts_with("arn:aws:secretsmanager")
        || v.starts_with("projects/") && v.contains("/secrets/")
        || matches!(
            v,
            "read" | "write" | "none" | "true" | "false" | "null" | "~" | "|" | ">" | "|-" | ">-"
        )
}

pub fn is_dummy(value: &str) -> bool {
    let v = value.trim().trim_matches(['"', '\'']);
    is_placeholder(v.as_bytes())
        || v.len() < 6
        || [
            "test",
            "dummy",
            "fake",
            "example",
            "changeme",
            "placeholder",
            "xxx",
            "redacted",
        ]
        .iter()
        .any(|w| v.to_ascii_lowercase().contains(w))
}

/// A value that names something (a file, a path, a snake_case identifier such as
/// `kafka_keystore_creds`) rather than holding a secret: lowercase words joined by
/// `_`, `-`, `.` or `/`, with no digits mixed into them.
pub fn looks_like_a_name(value: &str) -> bool {
    let v = value.trim().trim_matches(['"', '\'']);
    let words: Vec<&str> = v.split(['_', '-', '.', '/']).collect();
    v.len() >= 3
        && words.len() >= 2
        && words
            .iter()
            .all(|w| w.bytes().all(|b| b.is_ascii_lowercase()))
        && words.iter().filter(|w| !w.is_empty()).count() >= 2
}

/// A development default for a local service (a database's stock password such as
/// `postgres` or `root`): fine in a compose or devcontainer file for development, and
/// no secret.
pub fn is_dev_default(value: &str) -> bool {
    let v = value.trim().trim_matches(['"', '\'']).to_ascii_lowercase();
    is_dummy(&v)
        || matches!(
            v.as_str(),
            "postgres"
                | "postgresql"
                | "root"
                | "example"
                | "password"
                | "secret"
                | "mysql"
                | "mariadb"
                | "admin"
                | "redis"
                | "mongo"
                | "mongodb"
                | "guest"
                | "dev"
                | "development"
                | "local"
                | "localhost"
                | "pass"
                | "changeme"
                | "docker"
                | "rabbitmq"
                | "keycloak"
                | "minioadmin"
                | "elastic"
        )
}

/// `NAME: value`, `NAME=value`, `- NAME=value` on a line, with the name secret-like.
pub fn secret_assignment(line: &str) -> Option<(&str, &str)> {
    static ASSIGN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"^\s*(?:-\s+)?(?:export\s+)?["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*[:=]\s*(.*?)\s*(?:\s#.*)?$"#)
            .expect("valid regex")
    });
    let c = ASSIGN.captures(line)?;
    let name = c.get(1)?.as_str();
    let value = c.get(2)?.as_str();
    (SECRET_NAME.is_match(name) && !false_secret_name(name)).then_some((name, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignments() {
        assert_eq!(
            secret_assignment("      OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}"),
            Some(("OPENAI_API_KEY", "${{ secrets.OPENAI_API_KEY }}"))
        );
        assert!(is_reference("${{ secrets.OPENAI_API_KEY }}"));
        assert_eq!(
            secret_assignment("  - DB_PASSWORD=hunter22"),
            Some(("DB_PASSWORD", "hunter22"))
        );
        assert_eq!(secret_assignment("  id-token: write"), None);
        assert_eq!(secret_assignment("  max_tokens: 4096"), None);
        assert_eq!(secret_assignment("  name: build"), None);
        assert!(is_dev_default("postgres"));
        assert!(is_dev_default("'root'"));
        assert!(!is_dev_default("Qz7vK2-mW9pLx"));
        assert!(looks_like_a_name("'kafka_keystore_creds'"));
        assert!(looks_like_a_name("/run/secrets/db_password"));
        assert!(!looks_like_a_name("Qz7vK2-mW9pLx-2026"));
        assert!(!looks_like_a_name("hunter22"));
    }
}
