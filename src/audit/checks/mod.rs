//! The automated checks, one file per group: ignore rules, secret files (tracked and in
//! history), file modes, keys in the work tree and history, templates, the pre-commit
//! scan, CI, images and compose files, Kubernetes, source code (logging and file key
//! stores), coding agents' settings and hooks (`agents`), and rotation. Shared helpers: what a file is by its name (`kinds`), which
//! names and values hold secrets (`values`), evidence lines (`evidence`).
//!
//! Each check reads the [`Inventory`] and returns an [`Item`]; it must not know how the
//! inventory was gathered, how the checklist is written (`report`), the manual items,
//! or the command line.

pub mod agents;
pub mod ci;
pub mod code;
pub mod env_use;
pub mod evidence;
pub mod ignore;
pub mod images;
pub mod keys;
pub mod kinds;
pub mod kubernetes;
pub mod modes;
pub mod precommit;
pub mod quoting;
pub mod rotation;
pub mod secret_files;
pub mod templates;
pub mod values;

use super::{AuditOptions, Inventory, Item, Status};
use crate::rules::RuleSet;
use crate::source::git;
use anyhow::{Context as _, Result};

/// Every automated check, in checklist order.
pub const AUTOMATED: [&super::Check; 17] = [
    &ignore::ENV_IGNORED,
    &secret_files::SECRET_FILES_UNTRACKED,
    &secret_files::SECRET_FILES_HISTORY,
    &modes::PERMISSIONS,
    &keys::NO_KEYS_WORKTREE,
    &keys::NO_KEYS_HISTORY,
    &templates::TEMPLATES,
    &precommit::PRECOMMIT,
    &code::LOGGING,
    &ci::CI_STORE,
    &ci::CI_LOGS,
    &ci::CI_SCAN,
    &images::IMAGES,
    &images::COMPOSE,
    &kubernetes::KUBERNETES,
    &code::FILE_STORE,
    &rotation::ROTATION,
];

/// The checks of files: ignore rules, secret files, modes, keys and templates.
pub fn file_checks(inv: &Inventory, rules: &RuleSet, opts: &AuditOptions) -> Result<Vec<Item>> {
    let repo = git::open_as_user(&inv.root)
        .with_context(|| format!("cannot open the repository at {}", inv.root.display()))?;
    let mut items = vec![ignore::ignore_check(&repo, inv)?];
    items.push(secret_files::untracked_check(inv));
    items.push(if opts.history {
        secret_files::history_files_check(inv)?
    } else {
        Item::new(&secret_files::SECRET_FILES_HISTORY, Status::NotApplicable)
            .with(["not checked: run `keyward audit --history` to walk every commit".to_string()])
    });
    items.push(modes::permissions_check(inv, rules));
    items.push(keys::keys_check(
        &keys::NO_KEYS_WORKTREE,
        &inv.findings,
        |_| true,
    ));
    items.push(match &inv.history_findings {
        Some(found) => keys::keys_check(&keys::NO_KEYS_HISTORY, found, |_| true),
        None => Item::new(&keys::NO_KEYS_HISTORY, Status::NotApplicable)
            .with(["not checked: run `keyward audit --history` to scan every commit".to_string()]),
    });
    items.push(templates::templates_check(inv));
    Ok(items)
}

/// The checks of contents: the pre-commit scan, code, CI, images, compose files,
/// Kubernetes and file key stores.
pub fn content_checks(inv: &Inventory) -> Vec<Item> {
    let files = repo_files(inv);
    let ci: Vec<&str> = files
        .iter()
        .copied()
        .filter(|f| kinds::is_ci_file(f))
        .collect();
    let mut items = vec![
        precommit::precommit_check(inv, &files),
        code::logging_check(inv, &files),
        ci::ci_store_check(inv, &ci),
        ci::ci_logs_check(inv, &ci),
        ci::ci_scan_check(inv, &ci),
        images::image_check(inv, &files),
        images::compose_check(inv, &files),
        kubernetes::k8s_check(inv, &files),
        code::file_store_check(inv, &files),
    ];
    items.extend(agents::agent_checks(inv));
    items
}

/// Files the repository has (tracked), or on disk when nothing is tracked yet.
fn repo_files(inv: &Inventory) -> Vec<&str> {
    if inv.tracked.is_empty() {
        inv.on_disk.iter().map(String::as_str).collect()
    } else {
        inv.tracked.iter().map(String::as_str).collect()
    }
}
