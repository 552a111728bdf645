//! Secret-bearing files (.env, key files, credential stores, state files): none tracked
//! in the index, and, with `--history`, none committed in any commit on any ref (walked
//! with `crate::source::git`).
//!
//! It must not know what the scanner finds inside files (see `keys`), nor how the
//! inventory was gathered.

use super::evidence::capped;
use super::kinds::secret_file_kind;
use crate::audit::inventory::read_small;
use crate::audit::{days_to_date, guide, Check, Group, Inventory, Item, Status, MAX_CONFIG_FILE};
use crate::source::git;
use anyhow::Result;
use std::collections::BTreeMap;

pub const SECRET_FILES_UNTRACKED: Check = Check {
    id: "secret-files-untracked",
    title: "No secret-bearing file is tracked (.env, key files, credential files, state files)",
    group: Group::Development,
    guidance: &[
        guide("002", "Security Best Practices › DON'T commit keys"),
        guide("004", "NEVER DO THIS (.api_keys.json) and Security Checklist › Development"),
        guide("001", "Environment Variable Best Practices (1. never commit .env files)"),
    ],
    fix: "Remove the file from the index (`git rm --cached FILE`), add it to .gitignore, and revoke every key it held: it is in the history and in every clone.",
    automated: true,
};

pub const SECRET_FILES_HISTORY: Check = Check {
    id: "secret-files-history",
    title: "No secret-bearing file was ever committed",
    group: Group::Development,
    guidance: &[
        guide("002", "Production Environment (NEVER store API keys in git history)"),
        guide("002", "Compliance Checklist (no secrets in git history)"),
    ],
    fix: "Revoke every key the file held; then, if the repository is shared, rewrite history (git filter-repo) and ask everyone to re-clone. Rewriting without revoking does not help: the keys are already copied.",
    automated: true,
};

pub fn untracked_check(inv: &Inventory) -> Item {
    let found: Vec<String> = inv
        .tracked
        .iter()
        .filter_map(|t| {
            secret_file_kind(t, || read_small(inv, t)).map(|kind| format!("{t}: {kind}, tracked"))
        })
        .collect();
    if found.is_empty() {
        Item::new(&SECRET_FILES_UNTRACKED, Status::Pass).with([format!(
            "{} tracked file(s) checked by name (and content for .pem, .key, .json, .npmrc, .pypirc)",
            inv.tracked.len()
        )])
    } else {
        Item::new(&SECRET_FILES_UNTRACKED, Status::Fail).with(capped(found))
    }
}

pub fn history_files_check(inv: &Inventory) -> Result<Item> {
    let repo = git::open_as_user(&inv.root)?;
    let tips = git::tips(&repo)?;
    let (commits, _) = git::commits(&repo, &tips.commits, &[])?;
    let mut walker = git::TreeWalker::default();
    let mut buf = Vec::new();
    let mut first: BTreeMap<String, String> = BTreeMap::new();
    for c in &commits {
        let Ok(tree) = git::tree_of(&repo, c.id, &mut buf) else {
            continue;
        };
        let mut sightings = Vec::new();
        walker.walk(&repo, tree, |b| sightings.push(b));
        for b in sightings {
            let path = git::display_path(&b.path);
            if first.contains_key(&path) {
                continue;
            }
            let kind = secret_file_kind(&path, || {
                repo.find_object(b.id)
                    .ok()
                    .filter(|o| o.data.len() as u64 <= MAX_CONFIG_FILE)
                    .map(|o| o.data.clone())
            });
            if let Some(kind) = kind {
                let date = days_to_date(c.time.div_euclid(86_400));
                first.insert(
                    path.clone(),
                    format!(
                        "{path}: {kind}, first committed in {} on {date}",
                        &c.id.to_string()[..12]
                    ),
                );
            }
        }
    }
    let n = commits.len();
    Ok(if first.is_empty() {
        Item::new(&SECRET_FILES_HISTORY, Status::Pass).with([format!(
            "{n} commit(s) on every ref walked; no secret file found"
        )])
    } else {
        Item::new(&SECRET_FILES_HISTORY, Status::Fail)
            .with([format!("{n} commit(s) on every ref walked")])
            .with(capped(first.into_values().collect()))
    })
}
