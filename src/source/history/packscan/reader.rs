//! Making objects from one pack: inflating a whole object, or applying a delta to its
//! base, with the objects made kept (up to a memory cap, least recently used out) so the
//! next delta of the same chain costs one delta. A base no longer held is made again
//! down its chain.
//!
//! This file must not scan objects or know paths.

use super::entries::{Kind, NONE};
use super::{delta, Pack};
use gix::ObjectId;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

/// Objects larger than this are not made here (left to the object database).
pub(super) const LARGEST: u64 = 1 << 30;

/// The objects a reader holds, least recently used first out.
struct Held {
    objects: HashMap<u32, (Rc<Vec<u8>>, u64)>,
    by_use: BTreeMap<u64, u32>,
    bytes: usize,
    cap: usize,
    tick: u64,
}

impl Held {
    fn get(&mut self, rank: u32) -> Option<Rc<Vec<u8>>> {
        let (data, used) = self.objects.get_mut(&rank)?;
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
        self.objects.insert(rank, (data, self.tick));
        self.by_use.insert(self.tick, rank);
        while self.bytes > self.cap && self.objects.len() > 1 {
            let Some((_, oldest)) = self.by_use.pop_first() else {
                break;
            };
            if let Some((d, _)) = self.objects.remove(&oldest) {
                self.bytes -= d.len();
            }
        }
    }

    fn remove(&mut self, rank: u32) {
        if let Some((d, used)) = self.objects.remove(&rank) {
            self.by_use.remove(&used);
            self.bytes -= d.len();
        }
    }
}

/// Makes objects of one pack, holding at most `cap` bytes of them.
pub(super) struct Reader<'a> {
    pub(super) pack: &'a Pack,
    inflate: gix::zlib::Inflate,
    held: Held,
    /// Objects made again because they were not held.
    pub(super) remade: u64,
}

impl<'a> Reader<'a> {
    pub(super) fn new(pack: &'a Pack, cap: usize) -> Reader<'a> {
        Reader {
            pack,
            inflate: gix::zlib::Inflate::default(),
            held: Held {
                objects: HashMap::new(),
                by_use: BTreeMap::new(),
                bytes: 0,
                cap,
                tick: 0,
            },
            remade: 0,
        }
    }

    /// Keep `data` as the object at `rank`.
    pub(super) fn hold(&mut self, rank: u32, data: Rc<Vec<u8>>) {
        self.held.put(rank, data);
    }

    /// Stop holding the object at `rank`.
    pub(super) fn release(&mut self, rank: u32) {
        self.held.remove(rank);
    }

    /// The stored bytes of the entry at `rank`, inflated (a delta's own instructions).
    pub(super) fn inflated(&mut self, rank: u32) -> Option<Vec<u8>> {
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

    /// The object at `rank`, held or made (down its delta chain, holding each object
    /// made on the way: the next versions of a file are often those).
    pub(super) fn object(&mut self, rank: u32) -> Option<Rc<Vec<u8>>> {
        if let Some(b) = self.held.get(rank) {
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
            if let Some(b) = self.held.get(below) {
                made = Some(b);
                break;
            }
            if chain.len() > entries.offsets.len() {
                return None; // a loop: a damaged pack
            }
            chain.push(below);
        }
        for &r in chain.iter().rev() {
            self.remade += 1;
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
            self.held.put(r, Rc::clone(&bytes));
            made = Some(bytes);
        }
        made
    }

    /// The tree `id` if this pack has it (as a tree), into `buf`.
    pub(super) fn tree(&mut self, id: &ObjectId, buf: &mut Vec<u8>) -> bool {
        let Some(pos) = self.pack.index.lookup(id) else {
            return false;
        };
        let rank = self.pack.entries.rank_of[pos as usize];
        if self.pack.entries.kind[rank as usize] != Kind::Tree {
            return false;
        }
        match self.object(rank) {
            Some(data) => {
                buf.clear();
                buf.extend_from_slice(&data);
                true
            }
            None => false,
        }
    }
}
