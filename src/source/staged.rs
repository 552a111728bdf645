//! `keyward staged`: the blobs that would be committed (the index), against HEAD.
//!
//! Only entries whose blob differs from HEAD's blob at the same path are read; content
//! that HEAD already has anywhere (a rename, a copy) adds nothing. A finding counts only
//! on a line that HEAD's version of the file did not have, so a commit is blocked for
//! what it adds, not for what was already there. Git's `GIT_INDEX_FILE` (set for
//! `git commit -a` and `git commit <paths>`) is honoured.

use super::git::{self, BlobSighting};
use super::ScanSummary;
use crate::finding::Finding;
use crate::pipeline::scan_blob;
use crate::rules::RuleSet;
use crate::scan::Matcher;
use anyhow::{anyhow, Context as _, Result};
use gix::bstr::ByteSlice;
use gix::prelude::Find as _;
use gix::ObjectId;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Scan the staged changes of the repository at `repo_path`.
pub fn scan_staged(
    rules: &RuleSet,
    repo_path: &Path,
    max_file_size: u64,
) -> Result<(Vec<Finding>, ScanSummary)> {
    let repo = git::open(repo_path)?;
    let index = open_index(&repo)?;
    let head: HashMap<Vec<u8>, ObjectId> = match repo.head_commit() {
        Ok(commit) => {
            let tree = commit.tree_id().map_err(|e| anyhow!("HEAD: {e}"))?.detach();
            git::all_blobs(&repo, tree)
                .into_iter()
                .map(|BlobSighting { id, path }| (path.into(), id))
                .collect()
        }
        // An unborn branch (the first commit): everything staged is new.
        Err(_) => HashMap::new(),
    };
    let head_blobs: HashSet<ObjectId> = head.values().copied().collect();
    let mut matcher = Matcher::new(rules);
    let mut summary = ScanSummary::default();
    let mut findings = Vec::new();
    let (mut new_buf, mut old_buf) = (Vec::new(), Vec::new());
    for entry in index.entries() {
        let path = entry.path(&index);
        if entry.mode.is_submodule()
            || entry.mode.is_sparse()
            || entry.mode == gix::index::entry::Mode::SYMLINK
            || head_blobs.contains(&entry.id)
        {
            continue;
        }
        let display = git::display_path(path);
        let data = match repo.objects.try_find(&entry.id, &mut new_buf) {
            Ok(Some(d)) => d.data,
            Ok(None) => {
                summary
                    .errors
                    .push(format!("{display}: staged blob {} is missing", entry.id));
                continue;
            }
            Err(e) => {
                summary.errors.push(format!(
                    "{display}: staged blob {} cannot be read: {e}",
                    entry.id
                ));
                continue;
            }
        };
        if data.len() as u64 > max_file_size {
            summary.skipped.push(super::Skipped {
                path: display,
                reason: super::SkipReason::TooLarge(data.len() as u64),
            });
            continue;
        }
        let outcome = scan_blob(&mut matcher, &display, data);
        if outcome.binary {
            summary.binary_skipped += 1;
            continue;
        }
        summary.files_scanned += 1;
        summary.bytes_scanned += data.len() as u64;
        if outcome.findings.is_empty() && outcome.inline.is_empty() {
            continue;
        }
        let old_lines: HashSet<&[u8]> = match head.get(path.as_bytes()) {
            Some(old) => match repo.objects.try_find(old, &mut old_buf) {
                Ok(Some(d)) => d.data.lines().collect(),
                _ => HashSet::new(),
            },
            None => HashSet::new(),
        };
        let new_lines: Vec<&[u8]> = data.lines().collect();
        let added = |f: &Finding| {
            new_lines
                .get(f.line - 1)
                .is_none_or(|line| !old_lines.contains(line))
        };
        findings.extend(outcome.findings.into_iter().filter(|f| added(f)));
        let inline: Vec<Finding> = outcome.inline.into_iter().filter(|f| added(f)).collect();
        summary.suppressed_inline += inline.len() as u64;
        summary.inline.extend(inline);
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    summary.sort();
    Ok((findings, summary))
}

/// The index git would commit: `GIT_INDEX_FILE` when git set it, else the repository's.
fn open_index(repo: &gix::Repository) -> Result<gix::index::File> {
    if let Some(file) = std::env::var_os("GIT_INDEX_FILE") {
        let path = Path::new(&file);
        // Git runs hooks at the top of the work tree; a relative path is relative to it.
        let path = if path.is_absolute() {
            path.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(path)
        };
        return gix::index::File::at(&path, repo.object_hash(), false, Default::default())
            .with_context(|| {
                format!(
                    "cannot read the index {} (from GIT_INDEX_FILE)",
                    path.display()
                )
            });
    }
    match repo.open_index() {
        Ok(index) => Ok(index),
        // No index yet (nothing was ever staged): nothing to commit.
        Err(_) if !repo.index_path().exists() => Ok(gix::index::File::from_state(
            gix::index::State::new(repo.object_hash()),
            repo.index_path(),
        )),
        Err(e) => Err(anyhow!(
            "cannot read the index {}: {e}",
            repo.index_path().display()
        )),
    }
}
