//! Ignore rules: are `.env` files ignored by git wherever they could appear, by a rule
//! every clone has (a committed `.gitignore`) rather than one on this machine only
//! (`.git/info/exclude`, a global excludes file), and are templates left committable.
//! git's own rules are read with gix, from the repository the inventory found.
//!
//! It must not know how the inventory was gathered, nor the other checks.

use super::evidence::capped;
use super::kinds::{env_file, file_name};
use crate::audit::{guide, Check, Group, Inventory, Item, Status};
use anyhow::{Context as _, Result};
use std::collections::BTreeMap;

pub const ENV_IGNORED: Check = Check {
    id: "env-files-ignored",
    title: ".env files are ignored by git, wherever they could appear",
    group: Group::Development,
    guidance: &[
        guide("002", "Environment Setup › Development Environment (verify .gitignore)"),
        guide("001", "Environment Variable Security › .env File Management"),
        guide("000", "Checklist de Sécurité › Configuration Initiale"),
        guide("004", "Security Checklist › Development"),
    ],
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
    let (candidates, folders) = env_candidates(inv);
    let found = match_candidates(repo, &mut stack, &candidates)?;
    let templates_ignored = ignored_templates(repo, &mut stack, inv)?;
    let tracked_env: Vec<String> = inv
        .tracked
        .iter()
        .filter(|t| env_file(file_name(t)) == Some(false))
        .map(|t| format!("{t}: tracked (see secret-files-untracked)"))
        .collect();

    let rules_line = |rules_seen: &BTreeMap<String, usize>| -> Vec<String> {
        rules_seen
            .iter()
            .map(|(r, n)| format!("ignored by {r} ({n} path(s) checked)"))
            .collect()
    };
    let checked = format!(
        "checked {} path(s): .env variants in the root and in {} folder(s), and every env file on disk",
        candidates.len(),
        folders
    );
    let Matches {
        not_ignored,
        local_only,
        rules_seen,
    } = found;
    let not_ignored = summarize_paths(&not_ignored);
    let item = if !not_ignored.is_empty() || !tracked_env.is_empty() {
        Item::new(&ENV_IGNORED, Status::Fail)
            .with([checked])
            .with(not_ignored)
            .with(tracked_env)
            .with(local_only)
            .with(templates_ignored)
    } else if !local_only.is_empty() || !templates_ignored.is_empty() {
        Item::new(&ENV_IGNORED, Status::Warn)
            .with([checked])
            .with(capped(local_only))
            .with(templates_ignored)
            .with(rules_line(&rules_seen))
    } else {
        Item::new(&ENV_IGNORED, Status::Pass)
            .with([checked])
            .with(rules_line(&rules_seen))
    };
    Ok(item)
}

/// Paths where a .env could appear: .env variants in the root and in every folder with
/// a tracked file, and every env file actually on disk. Also returns how many folders
/// besides the root were looked at.
fn env_candidates(inv: &Inventory) -> (Vec<String>, usize) {
    // Folders where a .env could appear: the root and every folder with a tracked file.
    let mut dirs: Vec<String> = vec![String::new()];
    for t in &inv.tracked {
        if let Some((d, _)) = t.rsplit_once('/') {
            dirs.push(d.to_string());
        }
    }
    dirs.sort_unstable();
    dirs.dedup();
    let mut candidates: Vec<String> = Vec::new();
    for d in &dirs {
        let names: &[&str] = if d.is_empty() {
            &[
                ".env",
                ".env.local",
                ".env.development",
                ".env.production",
                ".env.test",
            ]
        } else {
            &[".env", ".env.local"]
        };
        for n in names {
            candidates.push(if d.is_empty() {
                (*n).to_string()
            } else {
                format!("{d}/{n}")
            });
        }
    }
    // And every env file actually on disk.
    for f in &inv.on_disk {
        if env_file(file_name(f)) == Some(false) {
            candidates.push(f.clone());
        }
    }
    candidates.sort_unstable();
    candidates.dedup();
    (candidates, dirs.len().saturating_sub(1))
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

/// `(path, why)` pairs as evidence: one line per reason, with the paths in the root
/// named and those in folders counted per file name.
fn summarize_paths(paths: &[(String, String)]) -> Vec<String> {
    /// Paths in the root, and folders per file name.
    type Places<'a> = (Vec<&'a str>, BTreeMap<&'a str, Vec<&'a str>>);
    let mut by_why: BTreeMap<&str, Places<'_>> = BTreeMap::new();
    for (path, why) in paths {
        let entry = by_why.entry(why.as_str()).or_default();
        match path.rsplit_once('/') {
            None => entry.0.push(path),
            Some((dir, name)) => entry.1.entry(name).or_default().push(dir),
        }
    }
    let mut out = Vec::new();
    for (why, (top, nested)) in by_why {
        if !top.is_empty() {
            out.push(format!("not ignored ({why}): {}", top.join(", ")));
        }
        for (name, dirs) in nested {
            let shown: Vec<&str> = dirs.iter().take(6).copied().collect();
            let more = if dirs.len() > shown.len() {
                format!(" and {} more", dirs.len() - shown.len())
            } else {
                String::new()
            };
            out.push(format!(
                "not ignored ({why}): {name} in {} folder(s): {}{more}",
                dirs.len(),
                shown.join(", ")
            ));
        }
    }
    out
}
