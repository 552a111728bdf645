//! One prescan worker: makes each blob it is given from the pack (inflating it, or
//! applying its delta to its base), scans it without a path (only around the delta's
//! changes when the base scanned clean as plain text), and keeps the bases later deltas
//! will need, up to a memory cap; a base no longer held is made again from its chain.
//!
//! This file must not know paths or build findings: it records what each blob gave.

use super::delta;
use super::entries::NONE;
use super::reader::{Reader, LARGEST};
use super::{status, Pack, Prescan};
use crate::rules::RuleSet;
use crate::scan::{decode, ranges, Decoded, Matcher};
use std::borrow::Cow;
use std::rc::Rc;
use std::sync::atomic::Ordering;

/// The bases one worker keeps, at most this many bytes.
const BASES_BYTES: usize = 8 << 20;
/// A delta whose changes, widened, cover more than this share of it is scanned whole.
const RANGED_SHARE: f64 = 0.75;

pub(super) struct Worker<'a> {
    pack: &'a Pack,
    prescan: &'a Prescan,
    matcher: Matcher<'a>,
    reader: Reader<'a>,
    changed: Vec<(usize, usize)>,
}

impl<'a> Worker<'a> {
    pub(super) fn new(rules: &'a RuleSet, pack: &'a Pack, prescan: &'a Prescan) -> Worker<'a> {
        Worker {
            pack,
            prescan,
            matcher: Matcher::new(rules),
            reader: Reader::new(pack, BASES_BYTES),
            changed: Vec::new(),
        }
    }

    /// Add what this worker counted to the prescan's counts.
    pub(super) fn finish(self) {
        let stats = &self.prescan.stats;
        stats
            .remade
            .fetch_add(self.reader.remade, Ordering::Relaxed);
    }

    /// Make and scan the blob at `rank`, and record what it gave; returns its length.
    pub(super) fn process(&mut self, rank: u32) -> u64 {
        let r = rank as usize;
        let entries = &self.pack.entries;
        let base = entries.base[r];
        self.changed.clear();
        let mut ranged = false;
        let made = if base == NONE {
            self.reader.inflated(rank)
        } else {
            ranged = self.pack.status[base as usize].load(Ordering::Acquire) == status::CLEAN_PLAIN;
            let stats = &self.prescan.stats;
            stats.deltas.fetch_add(1, Ordering::Relaxed);
            stats
                .clean_base
                .fetch_add(u64::from(ranged), Ordering::Relaxed);
            let made = self.applied(rank, ranged);
            if entries.children[base as usize].fetch_sub(1, Ordering::Relaxed) == 1 {
                self.reader.release(base);
            }
            made
        };
        let Some(bytes) = made else {
            self.pack.status[r].store(status::READ_AGAIN, Ordering::Release);
            return 0;
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
        let len = bytes.len() as u64;
        if entries.children[r].load(Ordering::Relaxed) > 0 {
            self.reader.hold(rank, Rc::new(bytes));
        }
        len
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

    /// The object at `rank`, a delta, applied to its base (made again if not held); with
    /// `track`, what the delta wrote is left in `changed`.
    fn applied(&mut self, rank: u32, track: bool) -> Option<Vec<u8>> {
        let base = self.pack.entries.base[rank as usize];
        let base_bytes = self.reader.object(base)?;
        let delta = self.reader.inflated(rank)?;
        if delta::result_size(&delta).ok()? > LARGEST {
            return None;
        }
        let mut out = Vec::new();
        let changed = track.then_some(&mut self.changed);
        delta::apply(&base_bytes, &delta, &mut out, changed).ok()?;
        Some(out)
    }
}
