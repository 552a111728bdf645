//! Keys the scanner found: none in the files git would commit, and, with `--history`,
//! none anywhere in the history. The findings come from the inventory; this file only
//! turns them into checklist items.
//!
//! It must not know how the scan ran, nor any file kind.

use super::evidence::{capped, finding_evidence};
use crate::audit::{guide, Check, Group, Item, Status};
use crate::finding::Finding;

pub const NO_KEYS_WORKTREE: Check = Check {
    id: "no-keys-in-worktree",
    title: "No key in the files git would commit",
    group: Group::Development,
    guidance: &[
        guide("001", "Pre-Deployment Security Checklist (no hardcoded credentials)"),
        guide("002", "Security Best Practices › DO (1. use environment variables)"),
        guide("004", "Option 1: Environment Variables"),
    ],
    fix: "Revoke each key listed, move it to the environment (an untracked .env at mode 600, the CI's secret store or a secrets manager) and read it from there.",
    automated: true,
};

pub const NO_KEYS_HISTORY: Check = Check {
    id: "no-keys-in-history",
    title: "No key anywhere in the git history",
    group: Group::Development,
    guidance: &[
        guide("002", "Compliance Checklist (no secrets in git history)"),
        guide("002", "Emergency Procedures (6. review git history for committed secrets)"),
    ],
    fix: "Revoke every key listed (they are in every clone); `keyward history` shows each with the commit that introduced it.",
    automated: true,
};

pub fn keys_check(check: &Check, findings: &[Finding], keep: impl Fn(&Finding) -> bool) -> Item {
    let found: Vec<String> = findings
        .iter()
        .filter(|f| keep(f))
        .map(finding_evidence)
        .collect();
    if found.is_empty() {
        Item::new(check, Status::Pass).with(["the scanner found no key".to_string()])
    } else {
        let n = found.len();
        Item::new(check, Status::Fail)
            .with([format!("{n} key(s) found:")])
            .with(capped(found))
    }
}
