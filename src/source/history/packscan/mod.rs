//! The prescan: every blob of the repository's pack files read once, in pack order, and
//! scanned without its path, by worker threads that run while the walk lists commits and
//! trees. A blob stored as a delta of a base that scanned clean is scanned only around
//! what the delta wrote (`scan::ranges`): the rest of its text was scanned in the base.
//! What each blob gave is kept by pack entry: clean (with its length), binary, too large,
//! or "read it again" (it held a candidate, or something could not be read).
//!
//! The history scan then settles each blob the walk found from here when its path does
//! not change how it is read (`pipeline::path_sensitive`), and reads the others (and
//! those not in a pack) as before, with their paths. So the result is the same as reading
//! every blob with its path; the prescan only decides which blobs need no second look.
//!
//! This file must not walk commits or trees, know paths, or build findings.

mod delta;
mod entries;
mod reader;
mod worker;

use super::blobs::{count_known, Outcome};
use super::progress::Progress;
use super::walk::Job;
use crate::pipeline;
use crate::rules::RuleSet;
use crate::source::ScanSummary;
use entries::{Entries, Kind};
use gix::odb::pack::{data, index};
use gix::ObjectId;
use std::sync::atomic::{AtomicU64, AtomicU8, AtomicUsize, Ordering};

/// What the prescan made of a pack entry.
mod status {
    /// Not (yet) scanned: read it again.
    pub const PENDING: u8 = 0;
    /// Text passed through as it is, with no candidate and no keyword of a rule that
    /// reads far: its deltas need only their changes scanned.
    pub const CLEAN_PLAIN: u8 = 1;
    /// Other text with no candidate (decoded first, or holding a far rule's keyword).
    pub const CLEAN_DECODED: u8 = 2;
    pub const BINARY: u8 = 3;
    pub const TOO_LARGE: u8 = 4;
    /// A candidate, or something that could not be read: read it again with its path.
    pub const READ_AGAIN: u8 = 5;
}

/// One pack file and what the prescan learnt of its entries.
struct Pack {
    data: data::File,
    index: index::File,
    entries: Entries,
    status: Vec<AtomicU8>,
    /// The object's length, once known.
    len: Vec<AtomicU64>,
    /// The blobs' ranks, in pack order.
    blobs: Vec<u32>,
}

/// What the prescan counted (for `KEYWARD_TIMINGS`).
#[derive(Default)]
pub(super) struct Stats {
    pub(super) blobs: AtomicU64,
    pub(super) bytes: AtomicU64,
    /// Bytes the keyword search read.
    pub(super) searched: AtomicU64,
    /// Deltas, and those of a base that scanned clean as plain text.
    pub(super) deltas: AtomicU64,
    pub(super) clean_base: AtomicU64,
    /// Deltas scanned only around their changes.
    pub(super) ranged: AtomicU64,
    /// Bases made again because no worker held them.
    pub(super) remade: AtomicU64,
}

impl Stats {
    /// The counts, for `KEYWARD_TIMINGS`.
    pub(super) fn describe(&self, settled: usize, read: usize) -> String {
        let mib = |a: &AtomicU64| a.load(Ordering::Relaxed) as f64 / f64::from(1 << 20);
        format!(
            "prescan: {} blobs, {:.0} MiB made, {:.0} MiB searched; {} deltas, {} of a clean base, \
             {} by their changes; {} bases made again; {settled} blobs settled, {read} to read",
            self.blobs.load(Ordering::Relaxed),
            mib(&self.bytes),
            mib(&self.searched),
            self.deltas.load(Ordering::Relaxed),
            self.clean_base.load(Ordering::Relaxed),
            self.ranged.load(Ordering::Relaxed),
            self.remade.load(Ordering::Relaxed),
        )
    }
}

/// Every pack of a repository, to prescan and then to ask.
pub(super) struct Prescan {
    packs: Vec<Pack>,
    max_file_size: u64,
    pub(super) stats: Stats,
}

/// Trees the walk's reader keeps, at most this many bytes.
const TREES_BYTES: usize = 12 << 20;

/// Reads trees from the packs (see [`Prescan::trees`]).
pub(super) struct Trees<'a> {
    readers: Vec<reader::Reader<'a>>,
}

impl Trees<'_> {
    /// The tree `id` into `buf`, if a pack has it as a tree (else the caller reads it
    /// from the object database, which says what is wrong with it).
    pub(super) fn read(&mut self, id: &ObjectId, buf: &mut Vec<u8>) -> bool {
        self.readers.iter_mut().any(|r| r.tree(id, buf))
    }
}

/// Packs with fewer entries than this are left to the ordinary reading.
const MIN_ENTRIES: u32 = 1024;

impl Prescan {
    /// The pack files of `repo` (their headers read, nothing inflated). Packs that cannot
    /// be opened are left out: their blobs are read the ordinary way.
    pub(super) fn open(repo: &gix::Repository, max_file_size: u64) -> Prescan {
        let idx_paths = crate::source::git::pack_indexes(repo);
        let hash = repo.object_hash();
        let packs = idx_paths
            .iter()
            .filter_map(|idx_path| {
                let index = index::File::at(idx_path, hash).ok()?;
                if index.num_objects() < MIN_ENTRIES {
                    return None;
                }
                let data = data::File::at(idx_path.with_extension("pack"), hash).ok()?;
                if data.num_objects() != index.num_objects() {
                    return None;
                }
                let entries = Entries::read(&data, &index);
                let n = entries.offsets.len();
                let blobs = (0..n as u32)
                    .filter(|&r| entries.kind[r as usize] == Kind::Blob)
                    .collect();
                Some(Pack {
                    status: (0..n).map(|_| AtomicU8::new(status::PENDING)).collect(),
                    len: (0..n).map(|_| AtomicU64::new(0)).collect(),
                    data,
                    index,
                    entries,
                    blobs,
                })
            })
            .collect();
        Prescan {
            packs,
            max_file_size,
            stats: Stats::default(),
        }
    }

    /// How many blobs and trees the packs hold (what a walk of everything will meet).
    pub(super) fn counts(&self) -> (usize, usize) {
        let trees = |p: &Pack| p.entries.kind.iter().filter(|&&k| k == Kind::Tree).count();
        (
            self.packs.iter().map(|p| p.blobs.len()).sum(),
            self.packs.iter().map(trees).sum(),
        )
    }

    /// Whether there is anything to prescan.
    pub(super) fn is_empty(&self) -> bool {
        self.packs.iter().all(|p| p.blobs.is_empty())
    }

    /// Scan every blob of every pack with `threads` workers.
    pub(super) fn run(&self, rules: &RuleSet, threads: usize, progress: &Progress) {
        for pack in &self.packs {
            let next = AtomicUsize::new(0);
            let chunk = (pack.blobs.len() / (threads.max(1) * 64)).clamp(64, 8192);
            std::thread::scope(|scope| {
                for _ in 0..threads.max(1) {
                    scope.spawn(|| {
                        let mut w = worker::Worker::new(rules, pack, self);
                        loop {
                            let start = next.fetch_add(chunk, Ordering::Relaxed);
                            if start >= pack.blobs.len() {
                                break;
                            }
                            let end = (start + chunk).min(pack.blobs.len());
                            for &rank in &pack.blobs[start..end] {
                                progress.add(w.process(rank));
                            }
                        }
                        w.finish();
                    });
                }
            });
        }
    }

    /// A reader of trees from the packs, for the walk: in the walk's order (oldest
    /// commit first) each tree is a delta of the next version, which it keeps.
    pub(super) fn trees(&self) -> Trees<'_> {
        Trees {
            readers: self
                .packs
                .iter()
                .map(|p| reader::Reader::new(p, TREES_BYTES))
                .collect(),
        }
    }

    /// Split `jobs` into those to read and those the prescan settled (counted into
    /// `summary` as reading them would have, and returned with their outcomes).
    pub(super) fn settle(
        &self,
        rules: &RuleSet,
        jobs: Vec<Job>,
        summary: &mut ScanSummary,
    ) -> (Vec<Job>, Vec<(ObjectId, Outcome)>) {
        let mut read = Vec::new();
        let mut settled = Vec::new();
        for job in jobs {
            let known = self
                .known(&job.id)
                .filter(|_| !pipeline::path_sensitive(rules, &job.path));
            match known {
                Some(o) if count_known(&job, o, summary) => settled.push((job.id, o)),
                _ => read.push(job),
            }
        }
        (read, settled)
    }

    /// What the prescan knows of blob `id`, if it needs no second look (given a path that
    /// does not change how it is read).
    pub(super) fn known(&self, id: &ObjectId) -> Option<Outcome> {
        for pack in &self.packs {
            let Some(pos) = pack.index.lookup(id) else {
                continue;
            };
            let rank = pack.entries.rank_of[pos as usize] as usize;
            let len = pack.len[rank].load(Ordering::Relaxed);
            return match pack.status[rank].load(Ordering::Relaxed) {
                status::CLEAN_PLAIN | status::CLEAN_DECODED => Some(Outcome::Clean(len)),
                status::BINARY => Some(Outcome::Binary(len)),
                status::TOO_LARGE => Some(Outcome::TooLarge(len)),
                _ => None,
            };
        }
        None
    }
}
