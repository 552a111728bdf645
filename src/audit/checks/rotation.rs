//! Rotation: where a rotation record exists (`.key_rotation_dates.json`, as the Secrets Management Guide
//! keeps one, or `[rotation.last_rotated]` in `keyward.toml`), keys past their period
//! fail and keys due soon warn. A key's period is its own (`[rotation.keys]`) or that
//! of its sensitivity: high 90 days, medium 180, low 365 by default, the sensitivity
//! coming from the rule that knows the variable name.
//!
//! It must not know the other checks, nor how the configuration was loaded.

use super::kinds::env_file;
use crate::audit::{days_to_date, parse_date, practices, Check, Group, Inventory, Item, Status};
use crate::config::Config;
use crate::rules::RuleSet;
use std::collections::BTreeMap;
use std::path::Path;

pub const ROTATION: Check = Check {
    id: "rotation-schedule",
    title: "Keys are rotated on schedule",
    group: Group::Operations,
    guidance: &[&practices::ROTATE_KEYS],
    fix: "Keep a rotation record: for each key the project uses, the date it was last rotated, in .key_rotation_dates.json (`{\"KEY_NAME\": \"YYYY-MM-DD\"}`) or in keyward.toml under [rotation.last_rotated].",
    automated: true,
};

/// The rotation record file the Secrets Management Guide describes.
pub const RECORD_FILE: &str = ".key_rotation_dates.json";

/// The period of `name` in days, and the sensitivity it comes from.
pub fn period(rules: &RuleSet, config: &Config, name: &str) -> (u32, &'static str) {
    let r = &config.rotation;
    if let Some(&days) = r.keys.get(name) {
        return (days, "set for this key");
    }
    let rule_days = rules.env_vars.get(name).map(|&(rule, variant)| {
        let rule = &rules.rules[rule];
        match variant {
            Some(v) => rule.variants[v].rotation_days,
            None => rule.spec.rotation_days,
        }
    });
    match rule_days {
        Some(d) if d > 180 => (r.low, "low sensitivity"),
        Some(d) if d > 90 => (r.medium, "medium sensitivity"),
        Some(_) => (r.high, "high sensitivity"),
        None => (r.high, "unknown key, treated as high sensitivity"),
    }
}

pub fn check(inv: &Inventory, rules: &RuleSet, config: &Config, today: i64) -> Item {
    let mut problems = Vec::new();
    let records = records(inv, config, &mut problems);
    if records.is_empty() && problems.is_empty() {
        return Item::new(&ROTATION, Status::Warn).with([format!(
            "no rotation record: neither {RECORD_FILE} nor [rotation.last_rotated] in keyward.toml"
        )]);
    }
    let warn_days = i64::from(config.rotation.warn_days);
    let (mut overdue, mut due, mut fine) = (Vec::new(), Vec::new(), Vec::new());
    for (name, (date, source)) in &records {
        let (days, why) = period(rules, config, name);
        let Some(when) = parse_date(date) else {
            problems.push(format!(
                "{source}: the date of {name} is not a date (expected YYYY-MM-DD)"
            ));
            continue;
        };
        let next = when + i64::from(days);
        let line = format!(
            "{name}: rotated {}, every {days} days ({why}), due {}",
            days_to_date(when),
            days_to_date(next)
        );
        if today > next {
            overdue.push((
                name.clone(),
                format!("{line}: overdue by {} days", today - next),
            ));
        } else if next - today < warn_days {
            due.push((
                name.clone(),
                format!("{line}: due in {} days", next - today),
            ));
        } else {
            fine.push(format!("{line}: in {} days", next - today));
        }
    }
    let unrecorded = unrecorded(inv, rules, &records);
    let status = if !overdue.is_empty() {
        Status::Fail
    } else if !due.is_empty() || !problems.is_empty() || !unrecorded.is_empty() {
        Status::Warn
    } else {
        Status::Pass
    };
    let fix = rotation_fix(&overdue, &due, &problems, &unrecorded);
    let item = Item::new(&ROTATION, status)
        .with(overdue.iter().map(|(_, l)| l.clone()))
        .with(due.iter().map(|(_, l)| l.clone()))
        .with(problems)
        .with(
            unrecorded
                .iter()
                .map(|n| format!("{n}: listed in a template, no rotation date recorded")),
        )
        .with(fine);
    match fix {
        Some(fix) => item.with_fix(fix),
        None => item,
    }
}

/// The fix for what was found: the keys to rotate and to record, by name, with the
/// date to record (the audit's own date).
fn rotation_fix(
    overdue: &[(String, String)],
    due: &[(String, String)],
    problems: &[String],
    unrecorded: &[String],
) -> Option<String> {
    let names = |v: &[(String, String)]| {
        v.iter()
            .map(|(n, _)| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    if !overdue.is_empty() {
        parts.push(format!(
            "Rotate {} now (create a new key, deploy it, revoke the old one) and record the date of each rotation.",
            names(overdue)
        ));
    }
    if !due.is_empty() {
        parts.push(format!(
            "Plan the rotation of {} before its due date.",
            names(due)
        ));
    }
    if !unrecorded.is_empty() {
        parts.push(format!(
            "Record when {} was last rotated.",
            unrecorded
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !problems.is_empty() {
        parts.push(
            "Correct the rotation record: a JSON object of key names and `YYYY-MM-DD` dates."
                .to_string(),
        );
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// Rotation dates by key name, with where each was recorded: the record file, then
/// `[rotation.last_rotated]` (the later of the two wins). What cannot be read is added
/// to `problems`.
fn records(
    inv: &Inventory,
    config: &Config,
    problems: &mut Vec<String>,
) -> BTreeMap<String, (String, &'static str)> {
    let mut records: BTreeMap<String, (String, &'static str)> = BTreeMap::new();
    let file_exists = inv.root.join(RECORD_FILE).is_file();
    if file_exists {
        match inv
            .read(RECORD_FILE)
            .map(|t| serde_json::from_str::<BTreeMap<String, serde_json::Value>>(&t))
        {
            Some(Ok(map)) => {
                for (k, v) in map {
                    match v.as_str() {
                        Some(d) => {
                            records.insert(k, (d.to_string(), RECORD_FILE));
                        }
                        None => problems.push(format!("{RECORD_FILE}: {k} is not a date string")),
                    }
                }
            }
            Some(Err(e)) => problems.push(format!(
                "{}; expected a JSON object of key names and dates",
                crate::parse_error::json_error(Path::new(RECORD_FILE), &e)
            )),
            None => problems.push(format!(
                "{RECORD_FILE}: cannot be read (it must be a regular file of at most 2 MiB, inside the repository)"
            )),
        }
    }
    for (k, d) in &config.rotation.last_rotated {
        // The later of the two records wins.
        let newer = match records.get(k) {
            Some((old, _)) => parse_date(d) >= parse_date(old),
            None => true,
        };
        if newer {
            records.insert(k.clone(), (d.clone(), "keyward.toml"));
        }
    }
    records
}

/// Keys the templates list that the record does not.
fn unrecorded(
    inv: &Inventory,
    rules: &RuleSet,
    records: &BTreeMap<String, (String, &'static str)>,
) -> Vec<String> {
    let mut unrecorded: Vec<String> = Vec::new();
    for f in inv.all_files() {
        if env_file(f.rsplit('/').next().unwrap_or(f)) != Some(true) {
            continue;
        }
        let parsed = crate::dotenv::parse_dotenv(&inv.read(f).unwrap_or_default());
        for entry in parsed.entries {
            let name = entry.name;
            if rules.env_vars.contains_key(&name)
                && !records.contains_key(&name)
                && !unrecorded.contains(&name)
            {
                unrecorded.push(name);
            }
        }
    }
    unrecorded
}
