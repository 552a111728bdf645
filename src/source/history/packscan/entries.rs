//! The entries of one pack in pack order: where each starts, what kind of object it is
//! (a delta has its base's kind), which entry it is a delta of, and how many deltas are
//! still to be made from it (so a base is kept only while it is needed).
//!
//! Only entry headers are read here (nothing is inflated). This file must not inflate
//! objects, apply deltas or know what is scanned.

use gix::odb::pack::data::entry::Header;
use gix::odb::pack::{data, index};
use std::sync::atomic::AtomicU32;

/// No entry (a base that is not in this pack, or none).
pub(super) const NONE: u32 = u32::MAX;

/// What an entry holds, as far as the prescan cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Blob,
    Tree,
    Other,
    /// The header could not be read, or the delta's base is not in this pack: left to the
    /// object database.
    Unknown,
}

/// The entries of a pack, by rank (their order in the pack).
pub(super) struct Entries {
    pub(super) offsets: Vec<u64>,
    /// Rank of the entry at each position of the index (the index is in object-id order).
    pub(super) rank_of: Vec<u32>,
    pub(super) kind: Vec<Kind>,
    /// Rank of the base of a delta; [`NONE`] for a whole object.
    pub(super) base: Vec<u32>,
    /// How many deltas of this entry are still to be made.
    pub(super) children: Vec<AtomicU32>,
}

impl Entries {
    pub(super) fn read(pack: &data::File, idx: &index::File) -> Entries {
        let n = idx.num_objects() as usize;
        let mut by_offset: Vec<(u64, u32)> = (0..n as u32)
            .map(|pos| (idx.pack_offset_at_index(pos), pos))
            .collect();
        by_offset.sort_unstable();
        let mut rank_of = vec![NONE; n];
        for (rank, &(_, pos)) in by_offset.iter().enumerate() {
            rank_of[pos as usize] = rank as u32;
        }
        let mut offsets: Vec<u64> = Vec::with_capacity(n);
        offsets.extend(by_offset.iter().map(|&(o, _)| o));
        drop(by_offset);
        // What each header says: its own kind, or the rank of its base.
        let mut kind = vec![Kind::Unknown; n];
        let mut base = vec![NONE; n];
        for (rank, &offset) in offsets.iter().enumerate() {
            let Ok(entry) = pack.entry(offset) else {
                continue;
            };
            match entry.header {
                Header::Blob => kind[rank] = Kind::Blob,
                Header::Tree => kind[rank] = Kind::Tree,
                Header::Commit | Header::Tag => kind[rank] = Kind::Other,
                Header::OfsDelta { base_distance } => {
                    if let Some(b) = offset
                        .checked_sub(base_distance)
                        .and_then(|o| offsets.binary_search(&o).ok())
                    {
                        base[rank] = b as u32;
                    }
                }
                Header::RefDelta { base_id } => {
                    if let Some(pos) = idx.lookup(base_id) {
                        base[rank] = rank_of[pos as usize];
                    }
                }
            }
        }
        // A delta has its base's kind: follow each chain down once (a chain that loops or
        // leaves the pack stays unknown).
        for rank in 0..n {
            if base[rank] == NONE || kind[rank] != Kind::Unknown {
                continue;
            }
            let mut chain = vec![rank];
            let mut r = base[rank] as usize;
            let found = loop {
                if kind[r] != Kind::Unknown || base[r] == NONE || chain.len() > n {
                    break kind[r];
                }
                chain.push(r);
                r = base[r] as usize;
            };
            for c in chain {
                kind[c] = found;
            }
        }
        let children: Vec<AtomicU32> = (0..n).map(|_| AtomicU32::new(0)).collect();
        for rank in 0..n {
            if base[rank] != NONE && kind[rank] == Kind::Blob {
                children[base[rank] as usize].fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
        Entries {
            offsets,
            rank_of,
            kind,
            base,
            children,
        }
    }
}
