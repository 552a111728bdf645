//! What the source code does with keys: it does not print or log key variables, and
//! it does not keep keys in a file-based key store (`.api_keys.json`).
//!
//! It must not know which files are source code (see `kinds`), nor the other checks.

use super::evidence::capped;
use super::kinds::is_code;
use crate::audit::{guide, Check, Group, Inventory, Item, Status};
use regex::Regex;
use std::sync::LazyLock;

pub const LOGGING: Check = Check {
    id: "no-key-logging",
    title: "Code does not print or log key variables",
    group: Group::Development,
    guidance: &[
        guide("002", "Security Best Practices › DON'T (3. log keys)"),
        guide("000", "Checklist de Sécurité › Monitoring (logs sécurisés, pas de clés en clair)"),
    ],
    fix: "Log whether a key is set, or its provider prefix and length, never the value (`logger.info(\"OpenAI key configured: %s\", bool(key))`).",
    automated: true,
};

pub const FILE_STORE: Check = Check {
    id: "no-file-key-store",
    title: "No file-based key store (.api_keys.json) in the repository",
    group: Group::Production,
    guidance: &[guide(
        "004",
        "NEVER DO THIS (.api_keys.json) and Security Checklist › Production (never use file-based keys)",
    )],
    fix: "Load keys from the environment in development and from a secrets manager (Vault, AWS Secrets Manager, GCP Secret Manager, Azure Key Vault) in production; delete the file and revoke its keys.",
    automated: true,
};

pub fn logging_check(inv: &Inventory, files: &[&str]) -> Item {
    static LOG_CALL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(print|println!?|printf|console\.(log|info|debug|warn|error)|logger\.\w+|logging\.\w+|log\.\w+|fmt\.Print\w*|System\.out\.print\w*|puts|echo)\s*[(!]?")
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
        for (n, line) in text.lines().enumerate() {
            let Some(call) = LOG_CALL.find(line) else {
                continue;
            };
            let rest = &line[call.start()..];
            let Some(key) = KEY_REF.find(rest) else {
                continue;
            };
            if MASKED.is_match(rest) {
                continue;
            }
            found.push(format!(
                "{f}:{}: {} prints {}",
                n + 1,
                call.as_str().trim_end_matches(['(', '!']).trim(),
                key.as_str()
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
