//! Does the repository keep or expect env files for its own use? The signs: an env
//! template (`.env.example`), a compose file's `env_file:`, a tracked env file that
//! holds a secret, an env file on disk, or setup documentation that tells developers
//! to create one. Each sign names the folder an env file would sit in.
//!
//! A library that only documents env files for its users' applications shows none of
//! these signs. It must not know what the ignore check concludes from them.

use super::evidence::convincing;
use super::kinds::{env_file, file_name, is_compose};
use crate::audit::Inventory;
use crate::finding::Finding;
use regex::Regex;
use std::sync::LazyLock;

/// A sign that the repository uses env files: the folder (`""` for the root) and what
/// shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sign {
    pub folder: String,
    pub evidence: String,
}

fn folder_of(rel: &str) -> String {
    rel.rsplit_once('/')
        .map_or(String::new(), |(d, _)| d.to_string())
}

/// `folder/rel`, with `.` and `..` resolved (a path outside the repository gives None).
fn join(folder: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for p in rel.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Is `rel` a setup document: a README, CONTRIBUTING or a page of `docs/` about
/// development?
fn is_setup_doc(rel: &str) -> bool {
    let name = file_name(rel).to_ascii_lowercase();
    let doc = name.ends_with(".md") || name.ends_with(".rst") || name.ends_with(".txt");
    let top = !rel.contains('/') || rel.starts_with("docs/") || rel.starts_with(".github/");
    doc && top
        && [
            "readme",
            "contributing",
            "development",
            "setup",
            "install",
            "getting",
        ]
        .iter()
        .any(|w| name.starts_with(w) || rel.starts_with("docs/") && name.contains(w))
}

/// The signs, at most a few per kind.
pub fn signs(inv: &Inventory) -> Vec<Sign> {
    let mut out = Vec::new();
    for f in inv.all_files() {
        if env_file(file_name(f)) == Some(true) {
            out.push(Sign {
                folder: folder_of(f),
                evidence: format!("{f}: an env template"),
            });
        }
    }
    for f in &inv.on_disk {
        if env_file(file_name(f)) == Some(false) && !inv.tracked.contains(f) {
            out.push(Sign {
                folder: folder_of(f),
                evidence: format!("{f}: an env file on disk"),
            });
        }
    }
    for t in &inv.tracked {
        if env_file(file_name(t)) == Some(false) {
            let found: Vec<&Finding> = inv.findings_in(t).collect();
            if convincing(&found) {
                out.push(Sign {
                    folder: folder_of(t),
                    evidence: format!("{t}: a tracked env file that holds a secret"),
                });
            }
        }
    }
    for f in inv.tracked.iter().filter(|f| is_compose(f)) {
        let Some(text) = inv.read(f) else { continue };
        let mut in_env_file = false;
        for (n, line) in text.lines().enumerate() {
            let t = line.trim();
            // `env_file: x`, or a list of `- x` / `- path: x` under `env_file:`.
            let value = if let Some(v) = t.strip_prefix("env_file:") {
                in_env_file = true;
                v
            } else if in_env_file && t.starts_with('-') {
                t[1..].trim_start().trim_start_matches("path:")
            } else if in_env_file && (t.starts_with("path:") || t.starts_with("required:")) {
                t.strip_prefix("path:").unwrap_or_default()
            } else {
                in_env_file = false;
                ""
            };
            let value = value.trim().trim_matches(['"', '\'']);
            if value.is_empty() || value.starts_with(['[', '$', '{']) {
                continue;
            }
            if let Some(target) = join(&folder_of(f), value) {
                out.push(Sign {
                    folder: folder_of(&target),
                    evidence: format!("{f}:{}: env_file: {target}", n + 1),
                });
            }
        }
    }
    static CREATE_ENV: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(\bcp\s+\S*\.env\S*\s+\S*\.env\b|\b(create|copy|add|make|rename)\b[^.\n]{0,40}[\s`'\x22]\.env\b[^.\w]?(\s+file)?)")
            .expect("valid regex")
    });
    for f in inv.tracked.iter().filter(|f| is_setup_doc(f)) {
        let Some(text) = inv.read(f) else { continue };
        if let Some(n) = text.lines().position(|l| CREATE_ENV.is_match(l)) {
            out.push(Sign {
                folder: String::new(),
                evidence: format!("{f}:{}: tells developers to create a .env file", n + 1),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_stay_inside() {
        assert_eq!(join("app", "../.env").as_deref(), Some(".env"));
        assert_eq!(join("", "./config/.env").as_deref(), Some("config/.env"));
        assert_eq!(join("", "../.env"), None);
    }

    #[test]
    fn setup_docs() {
        assert!(is_setup_doc("README.md"));
        assert!(is_setup_doc("CONTRIBUTING.rst"));
        assert!(is_setup_doc("docs/development.md"));
        assert!(!is_setup_doc("docs/config.rst"));
        assert!(!is_setup_doc("src/readme.py"));
    }
}
