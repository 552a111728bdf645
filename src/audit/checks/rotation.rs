//! Rotation: where a rotation record exists (`.key_rotation_dates.json`, as guide 002
//! keeps one, or `[rotation.last_rotated]` in `keyward.toml`), keys past their period
//! fail and keys due soon warn. A key's period is its own (`[rotation.keys]`) or that
//! of its sensitivity: high 90 days, medium 180, low 365 by default, the sensitivity
//! coming from the rule that knows the variable name.
//!
//! It must not know the other checks, nor how the configuration was loaded.

use super::kinds::env_file;
use crate::audit::{days_to_date, guide, parse_date, Check, Group, Inventory, Item, Status};
use crate::config::Config;
use crate::rules::RuleSet;
use std::collections::BTreeMap;
use std::path::Path;

pub const ROTATION: Check = Check {
    id: "rotation-schedule",
    title: "Keys are rotated on schedule",
    group: Group::Operations,
    guidance: &[
        guide("002", "Overview (rotation frequency per key) and Automated Key Rotation"),
        guide("001", "Key Rotation"),
        guide("000", "Rotation des Clés (30 days)"),
        guide("004", "Security Checklist › Production (automatic rotation, 90 days max)"),
    ],
    fix: "Rotate each key listed (create a new key, deploy it, revoke the old one) and record the date in .key_rotation_dates.json (`{\"OPENAI_API_KEY\": \"2026-11-22\"}`) or in keyward.toml under [rotation.last_rotated].",
    automated: true,
};

/// The rotation record file guide 002 describes.
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
            overdue.push(format!("{line}: overdue by {} days", today - next));
        } else if next - today < warn_days {
            due.push(format!("{line}: due in {} days", next - today));
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
    Item::new(&ROTATION, status)
        .with(overdue)
        .with(due)
        .with(problems)
        .with(unrecorded)
        .with(fine)
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
        .into_iter()
        .map(|n| format!("{n}: listed in a template, no rotation date recorded"))
        .collect()
}
