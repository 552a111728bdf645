//! Files a work-tree walk left out because git ignores them, counted where that is
//! cheap: the files named like secret stores (`.env`, `.env.local`, key files,
//! credential files) in each folder the walk entered. A gitignored `.env` is the file a
//! user most often expects a scan to read, so the summary says it was skipped and how
//! to include it (`--no-ignore`).
//!
//! This file knows file names only: it must not read files, nor know ignore rules,
//! findings or reports.

use std::path::{Path, PathBuf};

/// Names of dotenv files that are templates (no secret expected).
const TEMPLATE_WORDS: [&str; 6] = ["example", "sample", "template", "dist", "defaults", "tmpl"];

/// Is `name` the name of a file that usually holds secrets: a dotenv file (not a
/// template), a private key or key store, a credential file, Terraform state?
pub fn secret_file_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let dotenv = lower == ".env"
        || lower.starts_with(".env.")
        || (lower.ends_with(".env") && lower.len() > 4);
    if dotenv {
        return !lower
            .split(['.', '-', '_'])
            .any(|w| TEMPLATE_WORDS.contains(&w));
    }
    let by_name = matches!(
        lower.as_str(),
        ".api_keys.json"
            | "api_keys.json"
            | "id_rsa"
            | "id_dsa"
            | "id_ecdsa"
            | "id_ed25519"
            | ".git-credentials"
            | ".netrc"
            | "_netrc"
            | ".npmrc"
            | ".pypirc"
            | ".vault-token"
            | ".dockercfg"
            | "credentials.json"
            | "terraform.tfvars"
    );
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    by_name
        || matches!(
            ext,
            "pem" | "key" | "p12" | "pfx" | "jks" | "keystore" | "ppk" | "tfstate"
        )
}

/// What a walk saw of secret-named files: those present in the folders it entered, and
/// those it visited. The difference is what its ignore rules left out.
#[derive(Debug, Default)]
pub struct SecretNames {
    present: Vec<PathBuf>,
    visited: Vec<PathBuf>,
}

impl SecretNames {
    /// The walk entered `dir`: note its secret-named files (one directory read).
    pub fn entered(&mut self, dir: &Path) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let name = e.file_name();
            let is_file = e.file_type().is_ok_and(|t| t.is_file());
            if is_file && name.to_str().is_some_and(secret_file_name) {
                self.present.push(dir.join(name));
            }
        }
    }

    /// The walk visited the file `path`.
    pub fn visited(&mut self, path: &Path) {
        if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(secret_file_name)
        {
            self.visited.push(path.to_path_buf());
        }
    }

    pub fn merge(&mut self, other: SecretNames) {
        self.present.extend(other.present);
        self.visited.extend(other.visited);
    }

    /// The secret-named files present but not visited, sorted.
    pub fn ignored(mut self) -> Vec<PathBuf> {
        self.visited.sort();
        let mut out: Vec<PathBuf> = self
            .present
            .into_iter()
            .filter(|p| self.visited.binary_search(p).is_err())
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::secret_file_name;

    #[test]
    fn secret_file_names() {
        for yes in [
            ".env",
            ".env.local",
            "prod.env",
            "server.pem",
            "id_ed25519",
            ".npmrc",
        ] {
            assert!(secret_file_name(yes), "{yes}");
        }
        for no in [
            ".env.example",
            ".env.sample",
            "env.rs",
            "README.md",
            ".envrc.d",
            "key",
        ] {
            assert!(!secret_file_name(no), "{no}");
        }
    }
}
