//! Secret-bearing files (.env, key files, credential stores, state files): none tracked
//! in the index, and, with `--history`, none committed in any commit on any ref (walked
//! with `crate::source::git`).
//!
//! It must not know what the scanner finds inside files (see `keys`), nor how the
//! inventory was gathered.

use super::evidence::{capped, convincing, finding_evidence, secret_named_literals};
use super::kinds::secret_file_kind;
use crate::audit::inventory::read_small;
use crate::audit::{
    days_to_date, practices, Check, Group, Inventory, Item, Status, MAX_CONFIG_FILE,
};
use crate::finding::Finding;
use crate::source::git;
use anyhow::Result;
use std::collections::BTreeMap;

pub const SECRET_FILES_UNTRACKED: Check = Check {
    id: "secret-files-untracked",
    title: "No secret-bearing file is tracked (.env, key files, credential files, state files)",
    group: Group::Development,
    guidance: &[&practices::NEVER_COMMIT_KEYS, &practices::ENV_OUT_OF_GIT],
    fix: "Remove the file from the index (`git rm --cached FILE`), add it to .gitignore, and revoke every key it held: it is in the history and in every clone.",
    automated: true,
};

pub const SECRET_FILES_HISTORY: Check = Check {
    id: "secret-files-history",
    title: "No secret-bearing file was ever committed",
    group: Group::Development,
    guidance: &[&practices::CLEAN_HISTORY],
    fix: "Revoke every key the file held; then, if the repository is shared, rewrite history (git filter-repo) and ask everyone to re-clone. Rewriting without revoking does not help: the keys are already copied.",
    automated: true,
};

/// What a secret-bearing file holds, by the scanner (and, for a dotenv file the
/// scanner finds nothing in, by the names of its variables): the status it earns and
/// the evidence line, which starts with `head` (the path and what the file is).
fn judge(kind: &str, head: &str, found: &[&Finding], text: Option<&str>) -> (Status, String) {
    if !found.is_empty() {
        let status = if convincing(found) {
            Status::Fail
        } else {
            Status::Warn
        };
        let values: Vec<String> = found.iter().map(|f| finding_evidence(f)).collect();
        return (
            status,
            format!(
                "{head}; it holds {} secret-looking value(s): {}",
                found.len(),
                values.join("; ")
            ),
        );
    }
    let names = text.map(secret_named_literals).unwrap_or_default();
    if !names.is_empty() {
        return (
            Status::Warn,
            format!(
                "{head}; the scanner finds no key in it, but {} hold(s) a literal value: check by hand",
                names.join(", ")
            ),
        );
    }
    if kind == "dotenv file" {
        (
            Status::Pass,
            format!("{head}; the scanner finds no secret-looking value in it"),
        )
    } else {
        (
            Status::Warn,
            format!("{head}; the scanner finds no key in it (it may be binary, encrypted or a dummy): check by hand"),
        )
    }
}

pub fn untracked_check(inv: &Inventory) -> Item {
    let mut worst = Status::Pass;
    let mut lines: Vec<(Status, String)> = Vec::new();
    for t in &inv.tracked {
        let Some(kind) = secret_file_kind(t, || read_small(inv, t)) else {
            continue;
        };
        let found: Vec<&Finding> = inv.findings_in(t).collect();
        let text = inv.read(t);
        let (status, line) = judge(
            kind,
            &format!("{t}: {kind}, tracked"),
            &found,
            text.as_deref(),
        );
        worst = worst.min(status);
        lines.push((status, line));
    }
    lines.sort_by_key(|(s, _)| *s);
    let checked = format!(
        "{} tracked file(s) checked by name (and content for .pem, .key, .json, .npmrc, .pypirc); a secret-bearing file fails when the scanner finds a secret-looking value in it",
        inv.tracked.len()
    );
    Item::new(&SECRET_FILES_UNTRACKED, worst)
        .with([checked])
        .with(capped(lines.into_iter().map(|(_, l)| l).collect()))
}

pub fn history_files_check(inv: &Inventory) -> Result<Item> {
    let repo = git::open_as_user(&inv.root)?;
    let tips = git::tips(&repo)?;
    let (commits, _) = git::commits(&repo, &tips.commits, &[])?;
    let mut walker = git::TreeWalker::default();
    let mut buf = Vec::new();
    let mut first: BTreeMap<String, (&str, String, Option<String>)> = BTreeMap::new();
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
            let mut data = None;
            let kind = secret_file_kind(&path, || {
                let bytes = repo
                    .find_object(b.id)
                    .ok()
                    .filter(|o| o.data.len() as u64 <= MAX_CONFIG_FILE)
                    .map(|o| o.data.clone());
                data.clone_from(&bytes);
                bytes
            });
            if let Some(kind) = kind {
                if data.is_none() && kind == "dotenv file" {
                    data = repo
                        .find_object(b.id)
                        .ok()
                        .filter(|o| o.data.len() as u64 <= MAX_CONFIG_FILE)
                        .map(|o| o.data.clone());
                }
                let date = days_to_date(c.time.div_euclid(86_400));
                let text = data.map(|d| String::from_utf8_lossy(&d).into_owned());
                first.insert(
                    path.clone(),
                    (
                        kind,
                        format!(
                            "{path}: {kind}, first committed in {} on {date}",
                            &c.id.to_string()[..12]
                        ),
                        text,
                    ),
                );
            }
        }
    }
    let none = Vec::new();
    let history = inv.history_findings.as_ref().unwrap_or(&none);
    let mut worst = Status::Pass;
    let mut lines: Vec<(Status, String)> = Vec::new();
    for (path, (kind, place, text)) in &first {
        let found: Vec<&Finding> = history.iter().filter(|f| &f.path == path).collect();
        let (status, line) = judge(kind, place, &found, text.as_deref());
        worst = worst.min(status);
        lines.push((status, line));
    }
    lines.sort_by_key(|(s, _)| *s);
    let n = commits.len();
    Ok(Item::new(&SECRET_FILES_HISTORY, worst)
        .with([format!(
            "{n} commit(s) on every ref walked; {} secret-bearing file(s) ever committed",
            first.len()
        )])
        .with(capped(lines.into_iter().map(|(_, l)| l).collect())))
}
