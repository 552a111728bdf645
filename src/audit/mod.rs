//! The audit: how a repository handles its secrets, checked against the practices
//! keyward enforces (see `practices`: each with its summary and source documents), and
//! written as the checklist an auditor would write: every item with a status, the
//! evidence, and the fix.
//!
//! ```text
//!  Inventory (tracked files, files on disk, ignore rules, a scan of the work tree
//!  [and of the history]) ──► checks/ (one file per group) + manual items ──► Report
//! ```
//!
//! Automated checks read the repository; manual items (what no program can see, such as
//! an incident-response plan) are listed and can be attested in `keyward.toml`.
//!
//! This file owns the checklist's types (status, group, item, report), the audit's
//! options and the order of the run; the inventory, the checks, the manual items and
//! the writers live in their own modules. The audit must not know the command line
//! (clap, exit codes) nor any command: it takes [`AuditOptions`] and returns a
//! [`Report`].

pub mod checks;
pub mod inventory;
pub mod manual;
pub mod practices;
pub mod report;
pub mod waivers;

pub use inventory::{Inventory, MAX_CONFIG_FILE};
pub use practices::Practice;

use crate::config::Config;
use crate::rules::RuleSet;
use anyhow::Result;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The state of a checklist item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Fail,
    Warn,
    /// A failure accepted by a `[[waive]]` entry, with its reason.
    Waived,
    Manual,
    Pass,
    NotApplicable,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Warn => "warn",
            Status::Waived => "waived",
            Status::NotApplicable => "not-applicable",
            Status::Manual => "manual",
        }
    }

    /// The mark shown in the checklist.
    pub fn mark(self) -> &'static str {
        match self {
            Status::Pass => "✅",
            Status::Fail => "❌",
            Status::Warn => "⚠️",
            Status::Waived => "🔕",
            Status::NotApplicable => "➖",
            Status::Manual => "📝",
        }
    }
}

/// The part of the life of a key an item belongs to, as the guides group them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Group {
    Development,
    CiCd,
    Production,
    Operations,
    Compliance,
}

impl Group {
    pub fn title(self) -> &'static str {
        match self {
            Group::Development => "Development",
            Group::CiCd => "CI/CD",
            Group::Production => "Production",
            Group::Operations => "Operations",
            Group::Compliance => "Compliance",
        }
    }

    pub const ALL: [Group; 5] = [
        Group::Development,
        Group::CiCd,
        Group::Production,
        Group::Operations,
        Group::Compliance,
    ];
}

/// What an item is, whatever its outcome.
#[derive(Debug, Clone, Copy)]
pub struct Check {
    /// Stable id (used in the config, SARIF and JSON).
    pub id: &'static str,
    pub title: &'static str,
    pub group: Group,
    pub guidance: &'static [&'static Practice],
    /// What to do when it fails (or, for a manual item, what to have in place).
    pub fix: &'static str,
    /// Checked by reading the repository (false: a manual item).
    pub automated: bool,
}

/// One line of the checklist.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub id: &'static str,
    pub title: &'static str,
    pub group: Group,
    pub guidance: &'static [&'static Practice],
    pub automated: bool,
    pub status: Status,
    /// What was found: paths, lines, the ignore rule that matched, the mode bits.
    pub evidence: Vec<String>,
    /// What to do: the check's fix, or one written for what was found.
    pub fix: String,
    /// The waiver that accepts this failure (check, path, expiry and reason).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver: Option<String>,
}

impl Item {
    pub fn new(check: &Check, status: Status) -> Item {
        Item {
            id: check.id,
            title: check.title,
            group: check.group,
            guidance: check.guidance,
            automated: check.automated,
            status,
            evidence: Vec::new(),
            fix: check.fix.to_string(),
            waiver: None,
        }
    }

    /// A fix written for what was found (names and dates from the evidence).
    pub fn with_fix(mut self, fix: String) -> Item {
        self.fix = fix;
        self
    }

    pub fn with(mut self, evidence: impl IntoIterator<Item = String>) -> Item {
        self.evidence.extend(evidence);
        self
    }
}

/// How to run the audit.
#[derive(Debug, Clone)]
pub struct AuditOptions {
    pub repo: PathBuf,
    /// Also scan the history and list secret files ever committed.
    pub history: bool,
    /// Today, as days since 1970-01-01 (`--as-of`).
    pub today: i64,
    pub threads: usize,
    pub max_file_size: u64,
    /// With `history`: accept a history scan that could not read every object.
    pub allow_partial: bool,
}

/// The checklist.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The repository audited, as given.
    pub repository: String,
    /// The date the audit is as of (`YYYY-MM-DD`).
    pub date: String,
    pub history: bool,
    pub items: Vec<Item>,
    /// What became of each `[[waive]]` entry.
    pub waivers: Vec<waivers::WaiverUse>,
}

impl Report {
    pub fn count(&self, status: Status) -> usize {
        self.items.iter().filter(|i| i.status == status).count()
    }

    /// Items that apply (all but not-applicable) and those that passed.
    pub fn score(&self) -> (usize, usize) {
        let applicable = self.items.len() - self.count(Status::NotApplicable);
        (self.count(Status::Pass), applicable)
    }
}

/// Run every check on the repository at `opts.repo`.
pub fn run(rules: &RuleSet, config: &Config, opts: &AuditOptions) -> Result<Report> {
    let inv = inventory::gather(rules, opts)?;
    let mut items = Vec::new();
    items.extend(checks::file_checks(&inv, rules, opts)?);
    items.extend(checks::content_checks(&inv));
    items.push(checks::rotation::check(&inv, rules, config, opts.today));
    items.extend(manual::items(&inv, config, opts.today));
    items.sort_by_key(|i| i.group);
    let waivers = waivers::apply(&mut items, config, opts.today);
    // Evidence quotes names and paths from the repository; any secret in them is
    // redacted, whatever check wrote it.
    for item in &mut items {
        for e in &mut item.evidence {
            *e = crate::scan::redact::redact_text(rules, e);
        }
    }
    Ok(Report {
        repository: opts.repo.display().to_string(),
        date: days_to_date(opts.today),
        history: opts.history,
        items,
        waivers,
    })
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DD` of days since 1970-01-01.
pub fn days_to_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Parse a date: `YYYY-MM-DD`, optionally followed by a time (`T…` or ` …`), which is
/// ignored. Returns days since 1970-01-01.
pub fn parse_date(s: &str) -> Option<i64> {
    let s = s.trim();
    let date = s.get(..10)?;
    if s.len() > 10 && !s[10..].starts_with(['T', 't', ' ']) {
        return None;
    }
    let mut parts = date.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    if date.as_bytes()[4] != b'-' || date.as_bytes()[7] != b'-' || !(1..=12).contains(&m) {
        return None;
    }
    let days = days_from_civil(y, m, d);
    // Reject 2024-02-31 and the like: the date must survive a round trip.
    (days_to_date(days) == date).then_some(days)
}

/// Today (UTC) as days since 1970-01-01.
pub fn today() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    (secs / 86_400) as i64
}

/// `rel` joined to the root, for messages.
pub fn shown(root: &Path, rel: &str) -> String {
    if root.as_os_str().is_empty() || root == Path::new(".") {
        rel.to_string()
    } else {
        root.join(rel).display().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_to_date(0), "1970-01-01");
        assert_eq!(parse_date("2024-02-29"), Some(days_from_civil(2024, 2, 29)));
        assert_eq!(days_to_date(days_from_civil(2026, 11, 22)), "2026-11-22");
        assert_eq!(parse_date("2024-02-31"), None);
        assert_eq!(parse_date("2024-1-3"), None);
        assert_eq!(
            parse_date("2025-03-04T10:20:30Z"),
            Some(days_from_civil(2025, 3, 4))
        );
        assert_eq!(parse_date("yesterday"), None);
    }
}
