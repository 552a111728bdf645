//! Waivers: `[[waive]]` entries of the configuration turn a reviewed failure of an
//! automated check into "waived", with the reason shown wherever the item is. A waiver
//! with a path glob covers the failure only when every file its evidence names matches;
//! an expired waiver leaves the item failing and says so; a waiver that covered nothing
//! is reported, so stale ones get removed.
//!
//! It must not know how checks decide, nor how the report is written.

use super::{checks, parse_date, Item, Status};
use crate::config::{Config, Waiver};
use anyhow::{bail, Result};
use globset::{Glob, GlobMatcher};
use serde::Serialize;

/// What became of a waiver.
#[derive(Debug, Clone, Serialize)]
pub struct WaiverUse {
    /// Its place in the configuration (1-based).
    pub index: usize,
    pub check: String,
    pub path: Option<String>,
    pub reason: String,
    pub expires: Option<String>,
    /// `applied`, `expired` or `unused`.
    pub outcome: &'static str,
    /// What happened, in a sentence.
    pub note: String,
}

fn source_name(config: &Config) -> String {
    config
        .source
        .as_ref()
        .map_or("keyward.toml".to_string(), |p| p.display().to_string())
}

/// Waivers must name an automated check, give a reason, and carry a valid date and glob.
pub fn validate(config: &Config) -> Result<()> {
    let source = source_name(config);
    for (n, w) in config.waive.iter().enumerate() {
        let n = n + 1;
        if !checks::AUTOMATED.iter().any(|c| c.id == w.check) {
            let ids: Vec<&str> = checks::AUTOMATED.iter().map(|c| c.id).collect();
            bail!(
                "{source}: [[waive]] {n}: `check` is not an automated checklist item; these can be waived: {}",
                ids.join(", ")
            );
        }
        if w.reason.trim().is_empty() {
            bail!(
                "{source}: [[waive]] {n} ({}): `reason` is empty; say why the failure is accepted",
                w.check
            );
        }
        if let Some(d) = &w.expires {
            if parse_date(d).is_none() {
                bail!(
                    "{source}: [[waive]] {n} ({}): `expires` is not a date (use YYYY-MM-DD)",
                    w.check
                );
            }
        }
        if let Some(p) = &w.path {
            if Glob::new(p).is_err() {
                bail!(
                    "{source}: [[waive]] {n} ({}): `path` is not a valid glob",
                    w.check
                );
            }
        }
    }
    Ok(())
}

/// The files an item's evidence names: the first word of each line, when it is a path
/// (`path:line …`, `path: …`).
fn named_files(item: &Item) -> Vec<&str> {
    item.evidence
        .iter()
        .filter_map(|e| {
            let head = e.split([':', ' ', ',']).next()?;
            (head.contains('/') || head.contains('.') && !head.ends_with('.')).then_some(head)
        })
        .collect()
}

fn matcher(w: &Waiver) -> Option<GlobMatcher> {
    w.path
        .as_ref()
        .and_then(|p| Glob::new(p).ok())
        .map(|g| g.compile_matcher())
}

fn describe(w: &Waiver) -> String {
    let path = w
        .path
        .as_ref()
        .map_or(String::new(), |p| format!(" for {p}"));
    let until = w
        .expires
        .as_ref()
        .map_or(String::new(), |d| format!(", until {d}"));
    format!("{}{path}{until}: {}", w.check, w.reason)
}

/// Apply the waivers to the failed items; returns what became of each waiver.
pub fn apply(items: &mut [Item], config: &Config, today: i64) -> Vec<WaiverUse> {
    let source = source_name(config);
    let mut uses = Vec::new();
    for (n, w) in config.waive.iter().enumerate() {
        let index = n + 1;
        let expired = w
            .expires
            .as_deref()
            .and_then(parse_date)
            .is_some_and(|d| today > d);
        let glob = matcher(w);
        let item = items.iter_mut().find(|i| i.id == w.check);
        let (outcome, note) = match item {
            None => ("unused", "the check did not run".to_string()),
            Some(item) if item.status != Status::Fail => (
                "unused",
                format!(
                    "{} does not fail ({}); remove the waiver",
                    w.check,
                    item.status.as_str()
                ),
            ),
            Some(item) => {
                let files = named_files(item);
                let covered = match &glob {
                    None => true,
                    Some(g) => !files.is_empty() && files.iter().all(|f| g.is_match(f)),
                };
                if !covered {
                    let outside: Vec<&str> = files
                        .iter()
                        .copied()
                        .filter(|f| glob.as_ref().is_some_and(|g| !g.is_match(f)))
                        .take(5)
                        .collect();
                    (
                        "unused",
                        if outside.is_empty() {
                            format!("{} fails, but its evidence names no file", w.check)
                        } else {
                            format!(
                                "{} fails on files the path does not cover: {}",
                                w.check,
                                outside.join(", ")
                            )
                        },
                    )
                } else if expired {
                    item.evidence.push(format!(
                        "waiver expired on {} ({source}, [[waive]] {index}: {}): review the failure, then renew or remove the waiver",
                        w.expires.as_deref().unwrap_or_default(),
                        w.reason
                    ));
                    (
                        "expired",
                        format!(
                            "expired on {}: {} fails again",
                            w.expires.as_deref().unwrap_or_default(),
                            w.check
                        ),
                    )
                } else {
                    item.status = Status::Waived;
                    item.waiver = Some(describe(w));
                    ("applied", format!("{} is waived", w.check))
                }
            }
        };
        uses.push(WaiverUse {
            index,
            check: w.check.clone(),
            path: w.path.clone(),
            reason: w.reason.clone(),
            expires: w.expires.clone(),
            outcome,
            note,
        });
    }
    uses
}
