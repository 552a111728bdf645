//! Ignore rules: are `.env` files ignored by git where the repository keeps or expects
//! them (see `env_use`; the root otherwise, as a warning), by a rule
//! every clone has (a committed `.gitignore`) rather than one on this machine only
//! (`.git/info/exclude`, a global excludes file), and are templates left committable.
//! git's own rules are read with gix, from the repository the inventory found.
//!
//! It must not know how the inventory was gathered, nor the other checks.

use super::env_use;
use super::evidence::capped;
use super::kinds::{env_file, file_name};
use crate::audit::{practices, Check, Group, Inventory, Item, Status};
use anyhow::{Context as _, Result};
use std::collections::BTreeMap;

pub const ENV_IGNORED: Check = Check {
    id: "env-files-ignored",
    title: ".env files are ignored by git where the repository uses them",
    group: Group::Development,
    guidance: &[&practices::ENV_OUT_OF_GIT],
    fix: "Add these lines to the .gitignore at the root of the repository (patterns without a slash apply in every folder):\n.env\n.env.*\n!.env.example\n!.env.sample\n!.env.template",
    automated: true,
};

/// Where an ignore rule came from, and whether every clone has it.
fn describe_match(repo: &gix::Repository, m: &gix::ignore::search::Match<'_>) -> (String, bool) {
    let root = repo.workdir().unwrap_or(repo.git_dir());
    let (source, shared) = match m.source {
        Some(p) => match p.strip_prefix(root) {
            Ok(rel) if !rel.starts_with(".git") => (rel.display().to_string(), true),
            Ok(rel) => (rel.display().to_string(), false),
            Err(_) => (p.display().to_string(), false),
        },
        None => ("(built in)".to_string(), false),
    };
    (
        format!("{source}:{} `{}`", m.sequence_number, m.pattern),
        shared,
    )
}

pub fn ignore_check(repo: &gix::Repository, inv: &Inventory) -> Result<Item> {
    let index = repo.index_or_empty()?;
    let mut stack = repo
        .excludes(
            &index,
            None,
            gix::worktree::stack::state::ignore::Source::WorktreeThenIdMappingIfNotSkipped,
        )
        .context("cannot read the repository's ignore rules")?;
    let signs = env_use::signs(inv);
    let candidates = env_candidates(inv, &signs);
    let found = match_candidates(repo, &mut stack, &candidates)?;
    let templates_ignored = ignored_templates(repo, &mut stack, inv)?;

    let rules_line = |rules_seen: &BTreeMap<String, usize>| -> Vec<String> {
        rules_seen
            .iter()
            .map(|(r, n)| format!("ignored by {r} ({n} path(s) checked)"))
            .collect()
    };
    let mut folders: Vec<&str> = signs.iter().map(|s| s.folder.as_str()).collect();
    folders.sort_unstable();
    folders.dedup();
    let why = if signs.is_empty() {
        vec!["the repository shows no sign of keeping env files for its own use (no env template, no compose env_file:, no env file on disk, no setup document asking for one): only the root is checked, and a gap is a warning".to_string()]
    } else {
        let mut lines = vec![format!(
            "the repository keeps or expects env files, in {}:",
            folders
                .iter()
                .map(|f| if f.is_empty() { "the root" } else { f })
                .collect::<Vec<_>>()
                .join(", ")
        )];
        lines.extend(capped(signs.iter().map(|s| s.evidence.clone()).collect()));
        lines
    };
    let Matches {
        not_ignored,
        local_only,
        rules_seen,
    } = found;
    let not_ignored = summarize_paths(&not_ignored);
    let item = if !not_ignored.is_empty() {
        let status = if signs.is_empty() {
            Status::Warn
        } else {
            Status::Fail
        };
        Item::new(&ENV_IGNORED, status)
            .with(why)
            .with(not_ignored)
            .with(local_only)
            .with(templates_ignored)
    } else if !local_only.is_empty() || !templates_ignored.is_empty() {
        Item::new(&ENV_IGNORED, Status::Warn)
            .with(why)
            .with(capped(local_only))
            .with(templates_ignored)
            .with(rules_line(&rules_seen))
    } else {
        Item::new(&ENV_IGNORED, Status::Pass)
            .with(why)
            .with(rules_line(&rules_seen))
    };
    Ok(item)
}

/// Paths where a .env could appear and must be ignored: the usual names in the root
/// and in every folder a sign points at, and every env file on disk.
fn env_candidates(inv: &Inventory, signs: &[env_use::Sign]) -> Vec<String> {
    let mut candidates: Vec<String> = Vec::new();
    let mut dirs: Vec<&str> = vec![""];
    dirs.extend(signs.iter().map(|s| s.folder.as_str()));
    dirs.sort_unstable();
    dirs.dedup();
    for d in dirs {
        for n in [".env", ".env.local", ".env.production"] {
            candidates.push(if d.is_empty() {
                n.to_string()
            } else {
                format!("{d}/{n}")
            });
        }
    }
    for f in &inv.on_disk {
        if env_file(file_name(f)) == Some(false) && !inv.tracked.contains(f) {
            candidates.push(f.clone());
        }
    }
    candidates.sort_unstable();
    candidates.dedup();
    candidates
}

/// How the candidate paths fare against the ignore rules.
#[derive(Default)]
struct Matches {
    /// Paths no rule ignores, and why.
    not_ignored: Vec<(String, String)>,
    /// Paths ignored by a rule of this machine only.
    local_only: Vec<String>,
    /// Shared rules that ignore candidates, with how many each.
    rules_seen: BTreeMap<String, usize>,
}

fn match_candidates(
    repo: &gix::Repository,
    stack: &mut gix::AttributeStack<'_>,
    candidates: &[String],
) -> Result<Matches> {
    let mut found = Matches::default();
    for c in candidates {
        let platform = stack
            .at_entry(c.as_str(), Some(gix::index::entry::Mode::FILE))
            .with_context(|| format!("cannot check whether {c} is ignored"))?;
        let m = platform.matching_exclude_pattern();
        let excluded = platform.is_excluded();
        match m {
            Some(m) if excluded => {
                let (rule, shared) = describe_match(repo, &m);
                if shared {
                    *found.rules_seen.entry(rule).or_default() += 1;
                } else {
                    found
                        .local_only
                        .push(format!("{c}: ignored only on this machine, by {rule}"));
                }
            }
            Some(m) => {
                let (rule, _) = describe_match(repo, &m);
                found
                    .not_ignored
                    .push((c.clone(), format!("re-included by {rule}")));
            }
            None => found
                .not_ignored
                .push((c.clone(), "no rule matches".to_string())),
        }
    }
    Ok(found)
}

/// Templates should stay committable: untracked templates that a rule ignores.
fn ignored_templates(
    repo: &gix::Repository,
    stack: &mut gix::AttributeStack<'_>,
    inv: &Inventory,
) -> Result<Vec<String>> {
    let mut templates_ignored = Vec::new();
    for f in inv.all_files() {
        if env_file(file_name(f)) == Some(true) && !inv.tracked.iter().any(|t| t == f) {
            let platform = stack.at_entry(f, Some(gix::index::entry::Mode::FILE))?;
            if platform.is_excluded() {
                let rule = platform
                    .matching_exclude_pattern()
                    .map(|m| describe_match(repo, &m).0)
                    .unwrap_or_default();
                templates_ignored.push(format!(
                    "{f}: a template, but ignored by {rule}; add `!{}` so it can be committed",
                    file_name(f)
                ));
            }
        }
    }
    Ok(templates_ignored)
}

/// `(path, why)` pairs as evidence: one line per reason and folder, naming the files.
fn summarize_paths(paths: &[(String, String)]) -> Vec<String> {
    let mut by_place: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for (path, why) in paths {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        by_place.entry((why.as_str(), dir)).or_default().push(name);
    }
    by_place
        .into_iter()
        .map(|((why, dir), names)| {
            let place = if dir.is_empty() {
                "the root".to_string()
            } else {
                dir.to_string()
            };
            format!("not ignored ({why}) in {place}: {}", names.join(", "))
        })
        .collect()
}
