//! `keyward staged`: the blobs that would be committed (the index), against HEAD.
//!
//! Only entries whose blob differs from HEAD's blob at the same path are read; content
//! that HEAD already has anywhere (a rename, a copy) adds nothing. A finding counts
//! unless its secret value is already in HEAD's version of the file (compared as decoded
//! text): a commit is blocked for the secrets it adds, and a secret that was already
//! committed is counted in the summary, not reported again. A line is no proof: a key
//! below a `-----BEGIN … PRIVATE KEY-----` line that HEAD has, or a key rotated in place,
//! is new. Git's `GIT_INDEX_FILE` (set for `git commit -a` and `git commit <paths>`) is
//! honoured.
//!
//! This file must not know about reports or exit codes, nor about history walks.

use super::git::{self, BlobSighting};
use super::ScanSummary;
use crate::finding::Finding;
use crate::pipeline::scan_blob;
use crate::rules::RuleSet;
use crate::scan::{decode, Decoded, Matcher};
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
        // HEAD's version, when it can be read; one that cannot counts as empty (every
        // finding is reported).
        let old = match head.get(path.as_bytes()) {
            Some(old) => match repo.objects.try_find(old, &mut old_buf) {
                Ok(Some(d)) => Some(d.data),
                _ => None,
            },
            None => None,
        };
        let (added, known) = split_known(old, outcome.findings);
        findings.extend(added);
        summary.at_head.extend(known);
        let (inline, known) = split_known(old, outcome.inline);
        summary.suppressed_inline += inline.len() as u64;
        summary.inline.extend(inline);
        summary.at_head.extend(known);
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    summary.sort();
    Ok((findings, summary))
}

/// Split a staged file's findings into those it adds and those whose secret value is
/// already in HEAD's version of the file (`head`, its raw bytes; `None` when HEAD has no
/// such file). HEAD's version is decoded as the scan decodes (UTF-16 with a byte-order
/// mark becomes UTF-8), so the secret is looked for in the same text it was found in.
pub fn split_known(head: Option<&[u8]>, findings: Vec<Finding>) -> (Vec<Finding>, Vec<Finding>) {
    let Some(head) = head.filter(|h| !h.is_empty()) else {
        return (findings, Vec::new());
    };
    if findings.is_empty() {
        return (findings, Vec::new());
    }
    let text = match decode(head) {
        Decoded::Text(t) => t,
        // A binary version is searched as it is.
        Decoded::Binary => std::borrow::Cow::Borrowed(head),
    };
    // Each distinct secret once, looked for in one pass over HEAD's text.
    let mut ids: HashMap<&str, usize> = HashMap::new();
    for f in &findings {
        let next = ids.len();
        ids.entry(f.secret.expose()).or_insert(next);
    }
    let mut secrets = vec![""; ids.len()];
    for (s, &i) in &ids {
        secrets[i] = s;
    }
    let present: HashSet<usize> = match aho_corasick::AhoCorasick::new(&secrets) {
        Ok(ac) => ac
            .find_overlapping_iter(&*text)
            .map(|m| m.pattern().as_usize())
            .collect(),
        // Cannot happen for literal patterns; if it did, every finding is reported.
        Err(_) => HashSet::new(),
    };
    let known_ids: HashSet<usize> = present
        .into_iter()
        .filter(|&i| !secrets[i].is_empty())
        .collect();
    let flags: Vec<bool> = findings
        .iter()
        .map(|f| known_ids.contains(&ids[f.secret.expose()]))
        .collect();
    let (mut added, mut known) = (Vec::new(), Vec::new());
    for (f, at_head) in findings.into_iter().zip(flags) {
        if at_head {
            known.push(f);
        } else {
            added.push(f);
        }
    }
    (added, known)
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
