//! `keyward.toml` (or `.keyward.toml`) at the repository root, or `--config FILE`.
//!
//! Every table and key is known: an unknown one is an error that names it and its line,
//! so a typo never silently turns a setting off.
//!
//! ```toml
//! [rotation]
//! high = 90          # days, for high-sensitivity keys (OpenAI, Anthropic, AWS, …)
//! medium = 180
//! low = 365
//! warn_days = 14     # warn when a rotation is due this soon
//!
//! [rotation.keys]    # a period for one key name
//! OPENAI_API_KEY = 30
//!
//! [rotation.last_rotated]   # a rotation record kept here instead of .key_rotation_dates.json
//! OPENAI_API_KEY = "2026-10-01"
//!
//! [[attest]]         # a manual checklist item, attested
//! check = "incident-response"
//! by = "Dana (security lead)"
//! date = "2026-09-01"
//! note = "runbook: docs/incident-response.md"
//! valid_days = 365   # default 365
//! ```

use anyhow::{Context as _, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The names looked for at the repository root, in order.
pub const FILE_NAMES: [&str; 2] = ["keyward.toml", ".keyward.toml"];

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub rotation: Rotation,
    #[serde(default)]
    pub attest: Vec<Attestation>,
    /// Where the configuration was read from (not part of the file).
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

/// The rotation policy, and a rotation record.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rotation {
    #[serde(default = "high")]
    pub high: u32,
    #[serde(default = "medium")]
    pub medium: u32,
    #[serde(default = "low")]
    pub low: u32,
    #[serde(default = "warn_days")]
    pub warn_days: u32,
    /// Periods for single key names (days).
    #[serde(default)]
    pub keys: BTreeMap<String, u32>,
    /// When each key was last rotated (`YYYY-MM-DD`).
    #[serde(default)]
    pub last_rotated: BTreeMap<String, String>,
}

fn high() -> u32 {
    90
}
fn medium() -> u32 {
    180
}
fn low() -> u32 {
    365
}
fn warn_days() -> u32 {
    14
}

impl Default for Rotation {
    fn default() -> Self {
        Rotation {
            high: high(),
            medium: medium(),
            low: low(),
            warn_days: warn_days(),
            keys: BTreeMap::new(),
            last_rotated: BTreeMap::new(),
        }
    }
}

/// Someone vouches that a manual checklist item is in place.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Attestation {
    /// The checklist item's id.
    pub check: String,
    pub by: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    #[serde(default)]
    pub note: String,
    /// After this many days the attestation lapses and the item is a warning again.
    #[serde(default = "attest_days")]
    pub valid_days: u32,
}

fn attest_days() -> u32 {
    365
}

impl Config {
    /// Parse `text` (read from `path`, for messages).
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            anyhow::anyhow!(
                "{}: {}",
                path.display(),
                e.to_string().trim_end().replace('\n', "\n  ")
            )
        })?;
        let classes = [
            ("high", config.rotation.high),
            ("medium", config.rotation.medium),
            ("low", config.rotation.low),
        ];
        for (name, days) in config
            .rotation
            .keys
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .chain(classes)
        {
            if days == 0 {
                anyhow::bail!(
                    "{}: [rotation] {name} = 0: a rotation period is a number of days, at least 1",
                    path.display()
                );
            }
        }
        config.source = Some(path.to_path_buf());
        Ok(config)
    }

    /// Read `explicit`, or the first of [`FILE_NAMES`] in `root`, or nothing.
    pub fn load(root: &Path, explicit: Option<&Path>) -> Result<Config> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => match FILE_NAMES
                .iter()
                .map(|n| root.join(n))
                .find(|p| p.is_file())
            {
                Some(p) => p,
                None => return Ok(Config::default()),
            },
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read the configuration {}", path.display()))?;
        Config::parse(&text, &path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_name_the_key_and_line() {
        let err = Config::parse("[rotation]\nhigh = 30\nmedum = 10\n", Path::new("k.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("k.toml"), "{err}");
        assert!(err.contains("line 3"), "{err}");
        assert!(err.contains("medum"), "{err}");
    }

    #[test]
    fn defaults_and_records() {
        let c = Config::parse(
            "[rotation.keys]\nOPENAI_API_KEY = 30\n[rotation.last_rotated]\nOPENAI_API_KEY = \"2026-01-01\"\n[[attest]]\ncheck = \"training\"\nby = \"Dana\"\ndate = \"2026-01-02\"\n",
            Path::new("k.toml"),
        )
        .unwrap();
        assert_eq!(c.rotation.high, 90);
        assert_eq!(c.rotation.keys["OPENAI_API_KEY"], 30);
        assert_eq!(c.attest[0].valid_days, 365);
        assert!(Config::parse("[rotation]\nlow = 0\n", Path::new("k.toml")).is_err());
    }
}
