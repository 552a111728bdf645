//! The inventory: what the audit looks at, gathered once and shared by the checks: the
//! files the index tracks and those on disk (by git's own ignore rules), and the
//! scanner's findings in the work tree and, with `--history`, in every commit. The
//! repository is opened with `crate::source::git::open_as_user`, in the folder given or the
//! nearest one above it that holds a repository.
//!
//! It must not know any check: what a file means (a dotenv file, a key store) and what
//! makes an item pass or fail live in `checks/`.

use super::AuditOptions;
use crate::finding::Finding;
use crate::rules::RuleSet;
use crate::source::{git, history, worktree};
use anyhow::{anyhow, bail, Context as _, Result};
use gix::bstr::ByteSlice;
use std::path::{Path, PathBuf};

/// What the audit looks at, gathered once and shared by the checks.
#[derive(Debug, Default)]
pub struct Inventory {
    /// The root of the work tree.
    pub root: PathBuf,
    /// Files in the index (repository-relative, `/`-separated).
    pub tracked: Vec<String>,
    /// Files on disk (repository-relative), ignored ones included; `.git` excluded.
    pub on_disk: Vec<String>,
    /// Findings of a scan of the work tree as git would see it (ignored files skipped),
    /// with repository-relative paths.
    pub findings: Vec<Finding>,
    /// Findings in history (with `--history`).
    pub history_findings: Option<Vec<Finding>>,
}

impl Inventory {
    /// The text of a file on disk (lossy UTF-8), if it is small enough to be config.
    /// A link out of the repository, a file that is not regular or one over the size
    /// limit is not read.
    pub fn read(&self, rel: &str) -> Option<String> {
        let path = self.root.join(rel);
        crate::repofile::read_repository_file_capped(&self.root, &path, MAX_CONFIG_FILE)
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    }

    /// Tracked files and files on disk, each once, sorted.
    pub fn all_files(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self
            .tracked
            .iter()
            .chain(&self.on_disk)
            .map(String::as_str)
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    /// Scanner findings in `rel`.
    pub fn findings_in<'a>(&'a self, rel: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| f.path == rel)
    }
}

/// Files larger than this are not read as configuration.
pub const MAX_CONFIG_FILE: u64 = 2 << 20;

/// A file of the work tree, if it is small, regular and inside the repository.
pub fn read_small(inv: &Inventory, rel: &str) -> Option<Vec<u8>> {
    crate::repofile::read_repository_file_capped(&inv.root, &inv.root.join(rel), MAX_CONFIG_FILE)
        .ok()
}

/// Ignored folders with these names are still looked into: they hold keys, not builds.
const KEY_FOLDERS: [&str; 9] = [
    "secrets",
    "secret",
    "keys",
    "certs",
    "credentials",
    "private",
    ".ssh",
    ".aws",
    ".docker",
];

/// Gather what the checks look at.
pub fn gather(rules: &RuleSet, opts: &AuditOptions) -> Result<Inventory> {
    let repo = open_repository(&opts.repo)?;
    let Some(root) = repo.workdir().map(Path::to_path_buf) else {
        bail!(
            "{}: a bare repository has no work tree to audit; audit a clone of it",
            opts.repo.display()
        );
    };
    let index = repo
        .index_or_empty()
        .with_context(|| format!("cannot read the index of {}", root.display()))?;
    let tracked: Vec<String> = index
        .entries()
        .iter()
        .filter(|e| !e.mode.is_submodule() && !e.mode.is_sparse())
        .map(|e| e.path(&index).to_str_lossy().into_owned())
        .collect();
    let on_disk = files_on_disk(&repo, &index, &root)?;
    let mut findings = worktree_findings(rules, &root, opts);
    // A file committed before a rule ignored it is still tracked, and in every clone;
    // the work-tree walk skips it, so it is scanned here.
    findings.extend(tracked_but_ignored_findings(
        rules, &repo, &index, &root, &tracked, opts,
    )?);
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let history_findings = if opts.history {
        Some(history_findings(rules, &root, opts)?)
    } else {
        None
    };
    Ok(Inventory {
        root,
        tracked,
        on_disk,
        findings,
        history_findings,
    })
}

/// The repository `path` is in: `path` itself or the nearest folder above it (walked
/// physically, as git does) that `crate::source::git::open_as_user` opens.
fn open_repository(path: &Path) -> Result<gix::Repository> {
    let found = git::open_as_user(path).ok().or_else(|| {
        let physical = std::fs::canonicalize(path).ok()?;
        physical
            .ancestors()
            .skip(1)
            .find_map(|dir| git::open_as_user(dir).ok())
    });
    found
        .ok_or_else(|| {
            anyhow!(
                "Could not find a git repository in '{}' or in any of its parents",
                path.display()
            )
        })
        .with_context(|| {
            format!(
                "{}: not in a git repository; the audit checks a repository (run `git init`, or give its path)",
                path.display()
            )
        })
}

/// Files on disk, ignored ones included (an ignored .env is what the permission check
/// is about), but not inside ignored folders (dependencies, build output, vendored
/// checkouts) unless the folder's name says it holds keys.
fn files_on_disk(
    repo: &gix::Repository,
    index: &gix::index::State,
    root: &Path,
) -> Result<Vec<String>> {
    let mut on_disk = Vec::new();
    let mut excludes = repo
        .excludes(
            index,
            None,
            gix::worktree::stack::state::ignore::Source::WorktreeThenIdMappingIfNotSkipped,
        )
        .context("cannot read the repository's ignore rules")?;
    let mut dirs = vec![String::new()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(root.join(&dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if dir.is_empty() {
                name.clone()
            } else {
                format!("{dir}/{name}")
            };
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if name == ".git" {
                    continue;
                }
                let keys = KEY_FOLDERS.contains(&name.to_ascii_lowercase().as_str());
                let ignored = excludes
                    .at_entry(rel.as_str(), Some(gix::index::entry::Mode::DIR))
                    .is_ok_and(|p| p.is_excluded());
                if keys || !ignored {
                    dirs.push(rel);
                }
            } else if kind.is_file() {
                on_disk.push(rel);
            }
        }
    }
    on_disk.sort_unstable();
    Ok(on_disk)
}

/// Findings in tracked files that an ignore rule matches (the work-tree walk skips
/// them).
fn tracked_but_ignored_findings(
    rules: &RuleSet,
    repo: &gix::Repository,
    index: &gix::index::State,
    root: &Path,
    tracked: &[String],
    opts: &AuditOptions,
) -> Result<Vec<Finding>> {
    let mut excludes = repo
        .excludes(
            index,
            None,
            gix::worktree::stack::state::ignore::Source::WorktreeThenIdMappingIfNotSkipped,
        )
        .context("cannot read the repository's ignore rules")?;
    let mut matcher = crate::scan::Matcher::new(rules);
    let mut found = Vec::new();
    for t in tracked {
        let ignored = excludes
            .at_entry(t.as_str(), Some(gix::index::entry::Mode::FILE))
            .is_ok_and(|p| p.is_excluded());
        if !ignored {
            continue;
        }
        let Ok(bytes) =
            crate::repofile::read_repository_file_capped(root, &root.join(t), opts.max_file_size)
        else {
            continue;
        };
        found.extend(crate::pipeline::scan_blob(&mut matcher, t, &bytes).findings);
    }
    Ok(found)
}

/// Findings of the work tree as git would see it, with repository-relative paths.
fn worktree_findings(rules: &RuleSet, root: &Path, opts: &AuditOptions) -> Vec<Finding> {
    let wopts = worktree::WalkOptions {
        no_ignore: false,
        follow: false,
        max_file_size: opts.max_file_size,
        threads: opts.threads,
        progress: None,
    };
    let roots = [root.to_path_buf()];
    let (mut findings, _) = worktree::scan_paths(rules, &roots, &wopts);
    for f in &mut findings {
        let rel = Path::new(&f.path)
            .strip_prefix(root)
            .map(|p| {
                // `\` separates folders only on Windows; elsewhere it is part of a name.
                let p = p.to_string_lossy();
                if cfg!(windows) {
                    p.replace('\\', "/")
                } else {
                    p.into_owned()
                }
            })
            .unwrap_or_else(|_| f.path.clone());
        f.path = rel;
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings
}

/// Findings in every commit; an incomplete history scan is an error unless
/// `--allow-partial`.
fn history_findings(rules: &RuleSet, root: &Path, opts: &AuditOptions) -> Result<Vec<Finding>> {
    let hopts = history::HistoryOptions {
        repo: root.to_path_buf(),
        selection: history::Selection::All,
        since: None,
        all_objects: false,
        threads: opts.threads,
        max_file_size: opts.max_file_size,
        progress: false,
        recurse_submodules: false,
        cache: None,
    };
    let (found, summary) = history::scan_history(rules, &hopts)?;
    if summary.incomplete() && !opts.allow_partial {
        let what = if summary.unreadable.is_empty() {
            summary.scan.errors.first().cloned().unwrap_or_default()
        } else {
            summary.unreadable.describe()
        };
        bail!(
            "--history: the history of {} could not be read whole (could not read {what}); \
             repair the repository (`git fsck` names the damage), or accept a partial \
             history scan with --allow-partial",
            root.display()
        );
    }
    Ok(found)
}
