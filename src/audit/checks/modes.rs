//! File modes: untracked files on disk that hold secrets (by the scanner, or a dotenv
//! variable with a secret's name and a literal value) are readable by their owner only
//! (mode 600). Tracked files are not judged: git keeps no mode but the executable bit,
//! so their mode is this clone's. On a platform without Unix mode bits the item does
//! not apply.
//!
//! It must not know what the files hold beyond their kind (`kinds`), nor the other
//! checks.

use super::evidence::{capped, convincing, finding_evidence, secret_named_literals};
use super::kinds::secret_file_kind;
use crate::audit::inventory::read_small;
use crate::audit::{practices, Check, Group, Inventory, Item, Status};
use crate::finding::Finding;
use crate::rules::RuleSet;

pub const PERMISSIONS: Check = Check {
    id: "secret-file-permissions",
    title: "Untracked files that hold secrets are readable by their owner only (mode 600)",
    group: Group::Development,
    guidance: &[&practices::OWNER_ONLY_FILES],
    fix: "chmod 600 each file listed (and 700 on folders that hold only keys).",
    automated: true,
};

/// The scanner's findings in a file of the work tree (one the work-tree scan skipped:
/// an untracked, ignored file).
fn scan_file(inv: &Inventory, rules: &RuleSet, rel: &str) -> Vec<Finding> {
    let Some(bytes) = read_small(inv, rel) else {
        return Vec::new();
    };
    let mut matcher = crate::scan::Matcher::new(rules);
    crate::pipeline::scan_blob(&mut matcher, rel, &bytes).findings
}

pub fn permissions_check(inv: &Inventory, rules: &RuleSet) -> Item {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mut lines: Vec<(Status, String)> = Vec::new();
        let (mut fine, mut without) = (0usize, Vec::new());
        for f in &inv.on_disk {
            // git keeps no mode beyond the executable bit: a tracked file's mode is
            // this clone's, and what it holds is the tracked-files check's.
            if inv.tracked.binary_search(f).is_ok() || inv.tracked.contains(f) {
                continue;
            }
            let Some(kind) = secret_file_kind(f, || read_small(inv, f)) else {
                continue;
            };
            let found = scan_file(inv, rules, f);
            let names = if found.is_empty() {
                inv.read(f)
                    .map(|t| secret_named_literals(&t))
                    .unwrap_or_default()
            } else {
                Vec::new()
            };
            if found.is_empty() && names.is_empty() {
                without.push(f.as_str());
                continue;
            }
            let Ok(meta) = std::fs::metadata(inv.root.join(f)) else {
                continue;
            };
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 == 0 {
                fine += 1;
                continue;
            }
            let who = match (mode & 0o070 != 0, mode & 0o007 != 0) {
                (true, true) => "its group and everyone else",
                (true, false) => "its group",
                _ => "everyone else",
            };
            let found_refs: Vec<&Finding> = found.iter().collect();
            let (status, what) = if found.is_empty() {
                (
                    Status::Warn,
                    format!("{} hold(s) a literal value", names.join(", ")),
                )
            } else {
                let values: Vec<String> = found.iter().map(finding_evidence).collect();
                (
                    if convincing(&found_refs) {
                        Status::Fail
                    } else {
                        Status::Warn
                    },
                    format!("holds {}", values.join("; ")),
                )
            };
            lines.push((
                status,
                format!("{f}: {kind}, untracked, mode {mode:03o}: {who} can read it; it {what}"),
            ));
        }
        let mut notes = Vec::new();
        if !without.is_empty() {
            notes.push(format!(
                "not judged (no secret-looking value in them): {}",
                without
                    .iter()
                    .take(10)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if lines.is_empty() && fine == 0 {
            return Item::new(&PERMISSIONS, Status::NotApplicable)
                .with(["no untracked file on disk holds a secret".to_string()])
                .with(notes);
        }
        let worst = lines.iter().map(|(s, _)| *s).min().unwrap_or(Status::Pass);
        lines.sort_by_key(|(s, _)| *s);
        let mut item = Item::new(&PERMISSIONS, worst);
        if fine > 0 {
            item = item.with([format!(
                "{fine} untracked secret file(s) on disk at mode 600 or stricter"
            )]);
        }
        item.with(capped(lines.into_iter().map(|(_, l)| l).collect()))
            .with(notes)
    }
    #[cfg(not(unix))]
    {
        let _ = (inv, rules);
        Item::new(&PERMISSIONS, Status::NotApplicable).with([
            "this platform has no Unix mode bits; restrict the files with its ACLs".to_string(),
        ])
    }
}
