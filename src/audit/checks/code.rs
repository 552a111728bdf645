//! What the source code does with keys: it does not print or log key variables, and
//! it does not keep keys in a file-based key store (`.api_keys.json`).
//!
//! It must not know which files are source code (see `kinds`), nor the other checks.

use super::evidence::capped;
use super::kinds::is_code;
use super::quoting::{code_mask, is_code_at, output_redirected, Syntax};
use crate::audit::{practices, Check, Group, Inventory, Item, Status};
use regex::Regex;
use std::sync::LazyLock;

pub const LOGGING: Check = Check {
    id: "no-key-logging",
    title: "Code does not print or log key variables",
    group: Group::Development,
    guidance: &[&practices::NO_KEYS_IN_LOGS],
    fix: "Log whether a key is set, or its provider prefix and length, never the value (`logger.info(\"key configured: %s\", bool(key))`).",
    automated: true,
};

pub const FILE_STORE: Check = Check {
    id: "no-file-key-store",
    title: "No file-based key store (.api_keys.json) in the repository",
    group: Group::Production,
    guidance: &[&practices::NO_FILE_KEY_STORE, &practices::SECRETS_MANAGER],
    fix: "Load keys from the environment in development and from a secrets manager (Vault, AWS Secrets Manager, GCP Secret Manager, Azure Key Vault) in production; delete the file and revoke its keys.",
    automated: true,
};

pub fn logging_check(inv: &Inventory, files: &[&str]) -> Item {
    static LOG_CALL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(print|println|printf|console\.(log|info|debug|warn|error)|logger\.\w+|logging\.\w+|log\.\w+|fmt\.Print\w*|System\.out\.print\w*|puts|echo)\b\s*[(!]?")
            .expect("valid regex")
    });
    static KEY_REF: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?i)(getenv\(\s*["'][A-Z0-9_]*(KEY|TOKEN|SECRET|PASSWORD)[A-Z0-9_]*["']|environ(\.get\(|\[)\s*["'][A-Z0-9_]*(KEY|TOKEN|SECRET|PASSWORD)[A-Z0-9_]*["']|process\.env\.[A-Z0-9_]*(KEY|TOKEN|SECRET|PASSWORD)|\$[A-Z0-9_]*(API_KEY|TOKEN|SECRET|PASSWORD)\b|\{\s*[a-z_]*(api_?key|secret|token|password)\s*\}|\b(api_?key|apiKey|secret_key|secretKey|access_token|accessToken|auth_token|password)\b)"#)
            .expect("valid regex")
    });
    static MASKED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(\[\s*:\s*\d+\s*\]|\[\s*-\d+\s*:\s*\]|mask|redact|len\(|\.length|bool\(|is not None|is None|!= *null|\?\s*'|configured|missing|not set|\.slice\(|\.substring\()")
            .expect("valid regex")
    });
    let mut found = Vec::new();
    let mut read = 0usize;
    for f in files.iter().copied().filter(|f| is_code(f)) {
        let Some(text) = inv.read(f) else { continue };
        read += 1;
        let syntax = Syntax::of(f);
        for (n, line) in text.lines().enumerate() {
            if !LOG_CALL.is_match(line) {
                continue;
            }
            let mask = code_mask(line, syntax);
            // The call must be code, not a word in a string or a comment.
            let Some(call) = LOG_CALL
                .find_iter(line)
                .find(|m| is_code_at(&mask, m.start()))
            else {
                continue;
            };
            let rest = &line[call.start()..];
            // Output written to a file or a pipe is not printed.
            if syntax.shell && output_redirected(line, &mask, call.end()) {
                continue;
            }
            // So must the variable: a name inside a sentence is not one, and in a
            // shell only `$NAME` is a variable (a bare word is a literal).
            let Some(key) = KEY_REF.find_iter(rest).find(|m| {
                let at = call.start() + m.start();
                (m.start()..m.end()).any(|i| is_code_at(&mask, call.start() + i))
                    && (!syntax.shell || m.as_str().starts_with('$') || line[..at].ends_with('$'))
            }) else {
                continue;
            };
            if MASKED.is_match(rest) {
                continue;
            }
            found.push(format!(
                "{f}:{}: `{}` prints {}",
                n + 1,
                call.as_str().trim_end_matches(['(', '!']).trim(),
                variable_name(key.as_str())
            ));
        }
    }
    if read == 0 {
        return Item::new(&LOGGING, Status::NotApplicable).with(["no source code".to_string()]);
    }
    if found.is_empty() {
        Item::new(&LOGGING, Status::Pass).with([format!("{read} source file(s) read")])
    } else {
        Item::new(&LOGGING, Status::Warn).with(capped(found))
    }
}

/// The variable a key reference names: `OPENAI_API_KEY` of `getenv("OPENAI_API_KEY"`,
/// `$DB_PASSWORD`, `process.env.X`, `{api_key}`.
pub fn variable_name(reference: &str) -> String {
    static NAME: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[A-Za-z_][A-Za-z0-9_]*").expect("valid regex"));
    NAME.find_iter(reference)
        .map(|m| m.as_str())
        .filter(|n| {
            let l = n.to_ascii_lowercase();
            ["key", "token", "secret", "password"]
                .iter()
                .any(|w| l.contains(w))
        })
        .last()
        .unwrap_or(reference)
        .to_string()
}

pub fn file_store_check(inv: &Inventory, files: &[&str]) -> Item {
    let mut found: Vec<String> = inv
        .all_files()
        .into_iter()
        .filter(|f| {
            let name = f.rsplit('/').next().unwrap_or(f);
            name == ".api_keys.json" || name == "api_keys.json"
        })
        .map(|f| format!("{f}: a file-based key store"))
        .collect();
    for f in files.iter().copied().filter(|f| is_code(f)) {
        let Some(text) = inv.read(f) else { continue };
        for (n, line) in text.lines().enumerate() {
            if line.contains(".api_keys.json") {
                found.push(format!("{f}:{}: reads keys from .api_keys.json", n + 1));
            }
        }
    }
    if found.is_empty() {
        Item::new(&FILE_STORE, Status::Pass)
            .with(["no .api_keys.json file and no code that reads one".to_string()])
    } else {
        Item::new(&FILE_STORE, Status::Warn).with(capped(found))
    }
}
