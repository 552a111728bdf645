//! Which of the secrets a history scan found are still in a file at HEAD: every blob of
//! HEAD's tree searched for them (a substring search, so a key in a test file counts
//! too). With a history cache, the blobs of HEAD known to hold none of the same secrets
//! are not read again: what a blob holds is fixed by its id, and the set of secrets is
//! fixed by which blobs (at which paths) held findings, so a [`HeadMemo`] is kept under a
//! digest of those, never of the secrets themselves.
//!
//! This file must not scan for rules or attach provenance: it answers one question.

use super::blobs::Raw;
use crate::source::git;
use gix::prelude::Find as _;
use gix::ObjectId;
use sha2::{Digest, Sha256};
use std::collections::HashSet;

/// The blobs of HEAD that hold none of the secrets found, as far as they were read.
#[derive(Default)]
pub(super) struct HeadMemo {
    /// The digest the blobs in `clean` were searched under ([`findings_digest`]).
    pub(super) key: [u8; 32],
    pub(super) clean: HashSet<ObjectId>,
    /// This scan's digest, set before the search.
    pub(super) want: [u8; 32],
}

/// A digest of which blobs held findings, at which paths: the same blobs at the same
/// paths (with the same rules) give the same secrets.
pub(super) fn findings_digest(raws: &[Raw]) -> [u8; 32] {
    let mut places: Vec<(ObjectId, &str)> = raws
        .iter()
        .map(|r| (r.blob, r.finding.path.as_str()))
        .collect();
    places.sort();
    places.dedup();
    let mut h = Sha256::new();
    for (id, path) in places {
        h.update(id.as_bytes());
        h.update((path.len() as u64).to_le_bytes());
        h.update(path.as_bytes());
    }
    h.finalize().into()
}

/// Which of `secrets` occur in some file of HEAD (blobs up to `max_size`).
pub(super) fn secrets_at_head(
    repo: &gix::Repository,
    secrets: &[String],
    max_size: u64,
    memo: Option<&mut HeadMemo>,
) -> HashSet<String> {
    let mut found = HashSet::new();
    if secrets.is_empty() {
        return found;
    }
    let Some(tree) = repo
        .head_commit()
        .ok()
        .and_then(|c| c.tree_id().ok())
        .map(|t| t.detach())
    else {
        return found;
    };
    let Ok(ac) = aho_corasick::AhoCorasick::new(secrets) else {
        return found;
    };
    let empty = HashSet::new();
    let known = match &memo {
        Some(m) if m.key == m.want => &m.clean,
        _ => &empty,
    };
    let mut clean = HashSet::new();
    let mut buf = Vec::new();
    for b in git::all_blobs(repo, tree) {
        if known.contains(&b.id) {
            clean.insert(b.id);
            continue;
        }
        if let Ok(Some(data)) = repo.objects.try_find(&b.id, &mut buf) {
            let mut hit = false;
            if data.data.len() as u64 <= max_size {
                for m in ac.find_overlapping_iter(data.data) {
                    found.insert(secrets[m.pattern().as_usize()].clone());
                    hit = true;
                }
            }
            if !hit {
                clean.insert(b.id);
            }
        }
    }
    if let Some(m) = memo {
        m.key = m.want;
        m.clean = clean;
    }
    found
}
