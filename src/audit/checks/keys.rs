//! Keys the scanner found: none in the files git would commit, and, with `--history`,
//! none anywhere in the history. The findings come from the inventory; this file only
//! turns them into checklist items.
//!
//! It must not know how the scan ran, nor any file kind.

use super::evidence::{capped, finding_evidence};
use crate::audit::{practices, Check, Group, Item, Status};
use crate::finding::{Confidence, Finding};

pub const NO_KEYS_WORKTREE: Check = Check {
    id: "no-keys-in-worktree",
    title: "No key in the files git would commit",
    group: Group::Development,
    guidance: &[&practices::NEVER_COMMIT_KEYS],
    fix: "Revoke each key listed, move it to the environment (an untracked .env at mode 600, the CI's secret store or a secrets manager) and read it from there.",
    automated: true,
};

pub const NO_KEYS_HISTORY: Check = Check {
    id: "no-keys-in-history",
    title: "No key anywhere in the git history",
    group: Group::Development,
    guidance: &[&practices::CLEAN_HISTORY],
    fix: "Revoke every key listed (they are in every clone); `keyward history` shows each with the commit that introduced it.",
    automated: true,
};

pub fn keys_check(check: &Check, findings: &[Finding], keep: impl Fn(&Finding) -> bool) -> Item {
    let kept: Vec<&Finding> = findings.iter().filter(|f| keep(f)).collect();
    if kept.is_empty() {
        return Item::new(check, Status::Pass).with(["the scanner found no key".to_string()]);
    }
    // Convincing findings first: they are what the item fails on.
    let (strong, weak): (Vec<&Finding>, Vec<&Finding>) = kept
        .iter()
        .partition(|f| f.confidence >= Confidence::Medium);
    let status = if strong.is_empty() {
        Status::Warn
    } else {
        Status::Fail
    };
    let mut item = Item::new(check, status);
    if !strong.is_empty() {
        item = item
            .with([format!(
                "{} key(s) of medium or high confidence:",
                strong.len()
            )])
            .with(capped(strong.iter().map(|f| finding_evidence(f)).collect()));
    }
    if !weak.is_empty() {
        item = item
            .with([format!(
                "{} low-confidence value(s) (a generic value, or an example in documentation or tests): check them by hand",
                weak.len()
            )])
            .with(capped(weak.iter().map(|f| finding_evidence(f)).collect()));
    }
    item
}
