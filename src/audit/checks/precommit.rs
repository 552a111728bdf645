//! The pre-commit secret scan: configured for every clone (`.pre-commit-config.yaml`,
//! husky, lefthook), or, a warning, only as a git hook of this clone (in the hooks
//! folder of the repository opened with `crate::source::git::open_as_user`).
//!
//! It must not know the CI checks beyond the list of scanners they share.

use super::ci::mentions_scanner;
use crate::audit::{practices, Check, Group, Inventory, Item, Status};
use crate::source::git;

pub const PRECOMMIT: Check = Check {
    id: "pre-commit-secret-scan",
    title: "A pre-commit secret scan is configured for every clone",
    group: Group::Development,
    guidance: &[&practices::SCAN_FOR_SECRETS],
    fix: "Add keyward to .pre-commit-config.yaml (`- repo: https://github.com/keyward/keyward` with hook `keyward`), or run `keyward hook install` in each clone.",
    automated: true,
};

pub fn precommit_check(inv: &Inventory, files: &[&str]) -> Item {
    let shared = [
        ".pre-commit-config.yaml",
        ".pre-commit-config.yml",
        ".husky/pre-commit",
        "lefthook.yml",
        ".lefthook.yml",
    ];
    for f in shared {
        if let Some(text) = inv.read(f) {
            if let Some(s) = mentions_scanner(&text) {
                return Item::new(&PRECOMMIT, Status::Pass)
                    .with([format!("{f}: runs {s} before each commit")]);
            }
        }
    }
    let _ = files;
    // A hook in this clone only.
    let hooks_dir = git::open_as_user(&inv.root).ok().map(|r| {
        r.config_snapshot()
            .trusted_path("core.hooksPath")
            .ok()
            .flatten()
            .map(|p| inv.root.join(p))
            .unwrap_or_else(|| r.common_dir().join("hooks"))
    });
    if let Some(dir) = hooks_dir {
        let hook = dir.join("pre-commit");
        if let Ok(text) = std::fs::read_to_string(&hook) {
            let runs = mentions_scanner(&text).or_else(|| {
                (text.contains("pre-commit")
                    && inv
                        .read(".pre-commit-config.yaml")
                        .is_some_and(|c| mentions_scanner(&c).is_some()))
                .then_some("pre-commit")
            });
            if let Some(s) = runs {
                return Item::new(&PRECOMMIT, Status::Warn).with([format!(
                    "{}: runs {s}, but only in this clone; commit a .pre-commit-config.yaml so every clone has it",
                    hook.strip_prefix(&inv.root).unwrap_or(&hook).display()
                )]);
            }
        }
    }
    Item::new(&PRECOMMIT, Status::Warn).with([
        "no pre-commit secret scan in .pre-commit-config.yaml, .husky, lefthook or the git hooks"
            .to_string(),
    ])
}
