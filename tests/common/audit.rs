//! Helpers for the audit's tests: a fixed "today", seeded fake keys (snapshots need the
//! same key each run) and the items of a JSON report.

use super::{key_for, rules, stderr, stdout};
use keyward::rules::template::Rng;
use serde_json::Value;
use std::path::Path;
use std::process::Output;

/// The date the audit's tests run "as of", so rotation ages do not drift.
pub const AS_OF: &str = "2026-11-22";

/// A fake key for `rule_id` from a fixed seed.
pub fn seeded_key(rule_id: &str, seed: u64) -> String {
    key_for(
        rules().get(rule_id).expect("rule exists"),
        &mut Rng::new(seed),
    )
}

/// Set `path`'s permission bits.
pub fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// The JSON report on standard output (a panic that shows both streams if it is not JSON).
pub fn report_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(out), stderr(out)))
}

/// The checklist item `id` of a JSON report.
pub fn item<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no item {id}"))
}

/// The status of item `id` (`pass`, `warn`, `fail`, `waived`, …).
pub fn status<'a>(report: &'a Value, id: &str) -> &'a str {
    item(report, id)["status"].as_str().unwrap()
}

/// The evidence lines of item `id`, joined by newlines.
pub fn evidence(report: &Value, id: &str) -> String {
    item(report, id)["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}
