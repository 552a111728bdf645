//! One prescan worker: makes each blob it is given from the pack (inflating it, or
//! applying its delta to its base), scans it without a path (only around the delta's
//! changes when the base scanned clean as plain text), and keeps the bases later deltas
//! will need, up to a memory cap; a base no longer held is made again from its chain.
//!
//! This file must not know paths or build findings: it records what each blob gave.

use super::delta;
use super::entries::NONE;
use super::{status, Pack, Prescan};
use crate::rules::RuleSet;
use crate::scan::{decode, ranges, Decoded, Matcher};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use std::sync::atomic::Ordering;

/// The bases one worker keeps, at most this many bytes.
const BASES_BYTES: usize = 24 << 20;
/// Objects larger than this are not made here (left to the ordinary reading).
const LARGEST: u64 = 1 << 30;
/// A delta whose changes, widened, cover more than this share of it is scanned whole.
const RANGED_SHARE: f64 = 0.75;

/// The bases a worker holds, least recently used first out.
#[derive(Default)]
struct Bases {
    held: HashMap<u32, (Rc<Vec<u8>>, u64)>,
    by_use: BTreeMap<u64, u32>,
    bytes: usize,
    tick: u64,
}

impl Bases {
    fn get(&mut self, rank: u32) -> Option<Rc<Vec<u8>>> {
        let (data, used) = self.held.get_mut(&rank)?;
        self.by_use.remove(used);
        self.tick += 1;
        *used = self.tick;
        self.by_use.insert(self.tick, rank);
        Some(Rc::clone(data))
    }

    fn put(&mut self, rank: u32, data: Rc<Vec<u8>>) {
        self.remove(rank);
        self.tick += 1;
        self.bytes += data.len();
        self.held.insert(rank, (data, self.tick));
        self.by_use.insert(self.tick, rank);
        while self.bytes > BASES_BYTES && self.held.len() > 1 {
            let Some((_, oldest)) = self.by_use.pop_first() else {
                break;
            };
            if let Some((d, _)) = self.held.remove(&oldest) {
                self.bytes -= d.len();
            }
        }
    }

    fn remove(&mut self, rank: u32) {
        if let Some((d, used)) = self.held.remove(&rank) {
            self.by_use.remove(&used);
            self.bytes -= d.len();
        }
    }
}

pub(super) struct Worker<'a> {
    pack: &'a Pack,
    prescan: &'a Prescan,
    matcher: Matcher<'a>,
    inflate: gix::zlib::Inflate,
    bases: Bases,
    changed: Vec<(usize, usize)>,
}

impl<'a> Worker<'a> {
    pub(super) fn new(rules: &'a RuleSet, pack: &'a Pack, prescan: &'a Prescan) -> Worker<'a> {
        Worker {
            pack,
            prescan,
            matcher: Matcher::new(rules),
            inflate: gix::zlib::Inflate::default(),
            bases: Bases::default(),
            changed: Vec::new(),
        }
    }

    /// Make and scan the blob at `rank`, and record what it gave.
    pub(super) fn process(&mut self, rank: u32) {
        let r = rank as usize;
        let entries = &self.pack.entries;
        let base = entries.base[r];
        self.changed.clear();
        let mut ranged = false;
        let made = if base == NONE {
            self.inflated(rank)
        } else {
            ranged = self.pack.status[base as usize].load(Ordering::Acquire) == status::CLEAN_PLAIN;
            let stats = &self.prescan.stats;
            stats.deltas.fetch_add(1, Ordering::Relaxed);
            stats
                .clean_base
                .fetch_add(u64::from(ranged), Ordering::Relaxed);
            let made = self.applied(rank, ranged);
            if entries.children[base as usize].fetch_sub(1, Ordering::Relaxed) == 1 {
                self.bases.remove(base);
            }
            made
        };
        let Some(bytes) = made else {
            self.pack.status[r].store(status::READ_AGAIN, Ordering::Release);
            return;
        };
        let stats = &self.prescan.stats;
        stats.blobs.fetch_add(1, Ordering::Relaxed);
        stats.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        self.pack.len[r].store(bytes.len() as u64, Ordering::Relaxed);
        let outcome = if bytes.len() as u64 > self.prescan.max_file_size {
            status::TOO_LARGE
        } else {
            self.scan(&bytes, ranged)
        };
        self.pack.status[r].store(outcome, Ordering::Release);
        if entries.children[r].load(Ordering::Relaxed) > 0 {
            self.bases.put(rank, Rc::new(bytes));
        }
    }

    /// Scan a made blob; `ranged`: it is a delta of a clean plain text, and `changed`
    /// says what the delta wrote.
    fn scan(&mut self, bytes: &[u8], ranged: bool) -> u8 {
        let stats = &self.prescan.stats;
        let (clean, plain) = match decode(bytes) {
            Decoded::Binary => return status::BINARY,
            Decoded::Text(Cow::Owned(text)) => {
                stats
                    .searched
                    .fetch_add(text.len() as u64, Ordering::Relaxed);
                (self.matcher.scan(&text).is_empty(), false)
            }
            Decoded::Text(Cow::Borrowed(text)) => {
                let spans = ranged.then(|| ranges::Ranges::new(text, &self.changed));
                let found = match spans {
                    Some(spans) if (spans.covered() as f64) < RANGED_SHARE * text.len() as f64 => {
                        stats.ranged.fetch_add(1, Ordering::Relaxed);
                        stats
                            .searched
                            .fetch_add(spans.covered() as u64, Ordering::Relaxed);
                        self.matcher.scan_ranges(text, &spans).is_empty()
                    }
                    _ => {
                        stats
                            .searched
                            .fetch_add(text.len() as u64, Ordering::Relaxed);
                        self.matcher.scan(text).is_empty()
                    }
                };
                // A text holding a far rule's keyword is no base to scan edits of by
                // their changes.
                (found, !self.matcher.read_far())
            }
        };
        match (clean, plain) {
            (true, true) => status::CLEAN_PLAIN,
            (true, false) => status::CLEAN_DECODED,
            (false, _) => status::READ_AGAIN,
        }
    }

    /// The whole object at `rank`, inflated.
    fn inflated(&mut self, rank: u32) -> Option<Vec<u8>> {
        let offset = self.pack.entries.offsets[rank as usize];
        let entry = self.pack.data.entry(offset).ok()?;
        if entry.decompressed_size > LARGEST {
            return None;
        }
        let mut out = vec![0; entry.decompressed_size as usize];
        self.pack
            .data
            .decompress_entry(&entry, &mut self.inflate, &mut out)
            .ok()?;
        Some(out)
    }

    /// The object at `rank`, a delta, applied to its base (made again if not held); with
    /// `track`, what the delta wrote is left in `changed`.
    fn applied(&mut self, rank: u32, track: bool) -> Option<Vec<u8>> {
        let base = self.pack.entries.base[rank as usize];
        let base_bytes = self.base(base)?;
        let delta = self.inflated(rank)?;
        if delta::result_size(&delta).ok()? > LARGEST {
            return None;
        }
        let mut out = Vec::new();
        let changed = track.then_some(&mut self.changed);
        delta::apply(&base_bytes, &delta, &mut out, changed).ok()?;
        Some(out)
    }

    /// The object at `rank`, from the bases held or made again down its delta chain.
    fn base(&mut self, rank: u32) -> Option<Rc<Vec<u8>>> {
        if let Some(b) = self.bases.get(rank) {
            return Some(b);
        }
        let entries = &self.pack.entries;
        let mut chain = vec![rank];
        let mut made: Option<Rc<Vec<u8>>> = None;
        loop {
            let last = *chain.last()? as usize;
            let below = entries.base[last];
            if below == NONE {
                break;
            }
            if let Some(b) = self.bases.get(below) {
                made = Some(b);
                break;
            }
            if chain.len() > entries.offsets.len() {
                return None; // a loop: a damaged pack
            }
            chain.push(below);
        }
        let stats = &self.prescan.stats;
        for &r in chain.iter().rev() {
            stats.remade.fetch_add(1, Ordering::Relaxed);
            let bytes = match made.take() {
                None => self.inflated(r)?,
                Some(below) => {
                    let delta = self.inflated(r)?;
                    let mut out = Vec::new();
                    delta::apply(&below, &delta, &mut out, None).ok()?;
                    out
                }
            };
            let bytes = Rc::new(bytes);
            self.bases.put(r, Rc::clone(&bytes));
            made = Some(bytes);
        }
        made
    }
}
