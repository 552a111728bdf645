//! The history cache (`keyward history --cache FILE`): what earlier scans of a
//! repository learnt, so a re-scan reads only the blobs it has not seen.
//!
//! It remembers, under a key (a digest of keyward's version, the rules and the effective
//! configuration, made by the caller), what each blob held when read at a path: clean
//! text (with its length), binary, too large, or findings. It holds no secret: a blob
//! that held findings is read and scanned again on every run, so the findings are the
//! scan's own. It also keeps the state of the last full walk (the commits oldest first,
//! the trees and blobs seen, the blobs' first sightings), which `resume` extends by the
//! commits added since.
//!
//! The file is keyward's own, never the scanned repository's: it is read with a size
//! cap and a checksum, and anything wrong with it (damage, another format, another key)
//! means it is not used: the scan is a full one, and the file is rewritten (mode 0600,
//! atomically). This file must not walk history, scan blobs or know the command line.

mod codec;

use super::blobs::Outcome;
use super::head::HeadMemo;
use super::walk::Job;
use crate::source::git::CommitNode;
use crate::source::ScanSummary;
use gix::ObjectId;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::io::Read as _;
use std::path::PathBuf;

/// The largest cache file read (a repository of a million blobs needs about 100 MiB).
const MAX_CACHE_BYTES: u64 = 2 << 30;

/// Where a history scan keeps its cache, and the key its contents must have been made
/// under (see [`key`]).
#[derive(Debug, Clone)]
pub struct CacheSpec {
    pub path: PathBuf,
    pub key: [u8; 32],
}

/// The digest a cache is kept under: keyward's version and cache format, and the given
/// parts (the caller's serialised rules and configuration, the size limit).
pub fn key<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"keyward history cache\0");
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.finalize().into()
}

/// 16 bytes of SHA-256 of a path: which path a blob's result was made at (whether a
/// match counts can depend on the path, e.g. test files).
pub(super) type PathTag = [u8; 16];

pub(super) fn path_tag(path: &str) -> PathTag {
    let d = Sha256::digest(path.as_bytes());
    let mut t = [0; 16];
    t.copy_from_slice(&d[..16]);
    t
}

/// The state of a finished walk of every ref's commits.
pub(super) struct WalkState {
    /// Oldest first, as the walk visited them.
    pub(super) commits: Vec<CommitNode>,
    pub(super) trees: crate::source::git::IdSet,
    pub(super) blobs: crate::source::git::IdMap<u32>,
    pub(super) trees_read: u64,
    /// Every blob at its first sighting, in walk order.
    pub(super) jobs: Vec<Job>,
}

/// A history cache in memory.
pub(super) struct Cache {
    key: [u8; 32],
    results: HashMap<ObjectId, (PathTag, Outcome)>,
    /// The last full walk, when it can be resumed.
    pub(super) walk: Option<WalkState>,
    /// HEAD's blobs known to hold none of the secrets found.
    pub(super) head: HeadMemo,
}

impl Cache {
    /// The cache at `spec.path`: empty when there is none yet, when it was made under
    /// another key (a note says so), or when it cannot be used (a warning says why).
    pub(super) fn load(
        spec: &CacheSpec,
        notes: &mut Vec<String>,
        warnings: &mut Vec<String>,
    ) -> Cache {
        let empty = Cache {
            key: spec.key,
            results: HashMap::new(),
            walk: None,
            head: HeadMemo::default(),
        };
        let shown = spec.path.display();
        let bytes = match read_capped(&spec.path) {
            Ok(Some(b)) => b,
            Ok(None) => return empty,
            Err(e) => {
                warnings.push(format!(
                    "the history cache {shown} cannot be read ({e}); scanning everything"
                ));
                return empty;
            }
        };
        match codec::decode(&bytes) {
            Ok(c) if c.key == spec.key => c,
            Ok(_) => {
                notes.push(format!(
                    "the history cache {shown} was made by another keyward version or with \
                     other rules or configuration; scanning everything and starting it afresh"
                ));
                empty
            }
            Err(e) => {
                warnings.push(format!(
                    "the history cache {shown} is not used: {e}; scanning everything and \
                     writing it afresh"
                ));
                empty
            }
        }
    }

    /// Split `jobs` into those to read and those whose result is known (counted into
    /// `summary` as a read would have). Blobs that held findings are always read.
    pub(super) fn split(&self, jobs: Vec<Job>, summary: &mut ScanSummary) -> Vec<Job> {
        let mut read = Vec::new();
        for job in jobs {
            let known = self
                .results
                .get(&job.id)
                .filter(|(tag, _)| *tag == path_tag(&job.path))
                .map(|(_, o)| *o);
            if !known.is_some_and(|o| super::blobs::count_known(&job, o, summary)) {
                read.push(job);
            }
        }
        read
    }

    /// Remember what the blobs just read held (`tags`: the path each was read at).
    /// With `only`, forget every blob not in it (a full walk's blobs: what no ref reaches
    /// any more is dropped).
    pub(super) fn record(
        &mut self,
        tags: HashMap<ObjectId, PathTag>,
        outcomes: Vec<(ObjectId, Outcome)>,
        only: Option<&HashSet<ObjectId>>,
    ) {
        for (id, outcome) in outcomes {
            if let Some(tag) = tags.get(&id) {
                self.results.insert(id, (*tag, outcome));
            }
        }
        if let Some(keep) = only {
            self.results.retain(|id, _| keep.contains(id));
        }
    }

    /// Write the cache to `path` (atomically, mode 0600).
    pub(super) fn save(&self, path: &std::path::Path) -> anyhow::Result<()> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let bytes = codec::encode(self);
        crate::output::write(path, crate::output::Place::Named, Some(0o600), |w| {
            w.write_all(&bytes)
        })
    }
}

/// The bytes of `path`, or `None` when there is no such file; a file larger than
/// [`MAX_CACHE_BYTES`] or not a regular file is an error.
fn read_capped(path: &std::path::Path) -> std::io::Result<Option<Vec<u8>>> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    if meta.len() > MAX_CACHE_BYTES {
        return Err(std::io::Error::other(format!(
            "{} bytes, more than the {} a cache may have",
            meta.len(),
            MAX_CACHE_BYTES
        )));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_CACHE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_CACHE_BYTES {
        return Err(std::io::Error::other(
            "it grew past the size a cache may have",
        ));
    }
    Ok(Some(bytes))
}
