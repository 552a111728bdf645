//! The history cache's file format: a magic line, the format number, the key (the
//! digest of keyward's version, rules and configuration), the blob results, the walk
//! state, HEAD's blobs known clean, and a CRC-32 of everything before it (against
//! damage: the file is keyward's own, not an adversary's). Decoding checks the size, the
//! checksum and every count against the bytes left before it allocates, so a damaged
//! or truncated file is an error, never a panic or a huge allocation.
//!
//! This file must not decide what a cache is used for: it turns a [`Cache`] into bytes
//! and back.

use super::super::blobs::Outcome;
use super::super::walk::Job;
use super::{Cache, HeadMemo, PathTag, WalkState};
use crate::source::git::CommitNode;
use gix::ObjectId;
use std::collections::HashMap;

const MAGIC: &[u8] = b"keyward history cache\n";
const FORMAT: u32 = 2;

/// Why a cache file cannot be read.
#[derive(Debug, thiserror::Error)]
pub(super) enum DecodeError {
    #[error("it is not a keyward history cache")]
    NotACache,
    #[error("it was written in another format (version {0})")]
    Format(u32),
    #[error("its checksum does not match (damaged or cut short)")]
    Checksum,
    #[error("it is cut short or malformed ({0})")]
    Malformed(&'static str),
}

/// `cache` as bytes.
pub(super) fn encode(cache: &Cache) -> Vec<u8> {
    let mut w = Vec::with_capacity(64 + cache.results.len() * 64);
    w.extend_from_slice(MAGIC);
    w.extend_from_slice(&FORMAT.to_le_bytes());
    w.extend_from_slice(&cache.key);
    put_u64(&mut w, cache.results.len() as u64);
    for (id, (tag, outcome)) in &cache.results {
        put_id(&mut w, id);
        w.extend_from_slice(tag);
        let (kind, len) = match *outcome {
            Outcome::Clean(n) => (0u8, n),
            Outcome::Binary(n) => (1, n),
            Outcome::TooLarge(n) => (2, n),
            Outcome::Found => (3, 0),
        };
        w.push(kind);
        put_u64(&mut w, len);
    }
    match &cache.walk {
        None => w.push(0),
        Some(walk) => {
            w.push(1);
            encode_walk(&mut w, walk);
        }
    }
    w.extend_from_slice(&cache.head.key);
    put_u64(&mut w, cache.head.clean.len() as u64);
    for id in &cache.head.clean {
        put_id(&mut w, id);
    }
    let sum = crc32fast::hash(&w);
    w.extend_from_slice(&sum.to_le_bytes());
    w
}

fn encode_walk(w: &mut Vec<u8>, walk: &WalkState) {
    put_u64(w, walk.trees_read);
    put_u64(w, walk.commits.len() as u64);
    for c in &walk.commits {
        put_id(w, &c.id);
        put_u64(w, c.time as u64);
        put_u64(w, c.parents.len() as u64);
        for p in &c.parents {
            put_id(w, p);
        }
    }
    put_u64(w, walk.trees.len() as u64);
    for t in &walk.trees {
        put_id(w, t);
    }
    put_u64(w, walk.blobs.len() as u64);
    for (id, n) in &walk.blobs {
        put_id(w, id);
        w.extend_from_slice(&n.to_le_bytes());
    }
    // Paths once each; jobs name them by number.
    let mut paths: HashMap<&str, u32> = HashMap::new();
    let mut order: Vec<&str> = Vec::new();
    for j in &walk.jobs {
        paths.entry(&j.path).or_insert_with(|| {
            order.push(&j.path);
            (order.len() - 1) as u32
        });
    }
    put_u64(w, order.len() as u64);
    for p in &order {
        put_u64(w, p.len() as u64);
        w.extend_from_slice(p.as_bytes());
    }
    put_u64(w, walk.jobs.len() as u64);
    for j in &walk.jobs {
        put_id(w, &j.id);
        w.extend_from_slice(&paths[&*j.path].to_le_bytes());
        w.extend_from_slice(&j.commit.unwrap_or(u32::MAX).to_le_bytes());
    }
}

fn put_u64(w: &mut Vec<u8>, n: u64) {
    w.extend_from_slice(&n.to_le_bytes());
}

/// Ids are written with a one-byte length (20 for SHA-1, 32 for SHA-256).
fn put_id(w: &mut Vec<u8>, id: &ObjectId) {
    let b = id.as_bytes();
    w.push(b.len() as u8);
    w.extend_from_slice(b);
}

/// A cache from `bytes`.
pub(super) fn decode(bytes: &[u8]) -> Result<Cache, DecodeError> {
    if !bytes.starts_with(MAGIC) {
        return Err(DecodeError::NotACache);
    }
    if bytes.len() < MAGIC.len() + 4 + 32 + 4 {
        return Err(DecodeError::Malformed("too short"));
    }
    let (body, sum) = bytes.split_at(bytes.len() - 4);
    let format = u32::from_le_bytes(
        body[MAGIC.len()..MAGIC.len() + 4]
            .try_into()
            .unwrap_or_default(),
    );
    if format != FORMAT {
        return Err(DecodeError::Format(format));
    }
    if crc32fast::hash(body).to_le_bytes() != sum {
        return Err(DecodeError::Checksum);
    }
    let mut r = Reader {
        bytes: body,
        at: MAGIC.len() + 4,
    };
    let key: [u8; 32] = r
        .take(32)?
        .try_into()
        .map_err(|_| DecodeError::Malformed("key"))?;
    let n = r.count(20 + 16 + 1 + 8)?;
    let mut results = HashMap::with_capacity(n);
    for _ in 0..n {
        let id = r.id()?;
        let tag: PathTag = r
            .take(16)?
            .try_into()
            .map_err(|_| DecodeError::Malformed("tag"))?;
        let kind = r.take(1)?[0];
        let len = r.u64()?;
        let outcome = match kind {
            0 => Outcome::Clean(len),
            1 => Outcome::Binary(len),
            2 => Outcome::TooLarge(len),
            3 => Outcome::Found,
            _ => return Err(DecodeError::Malformed("blob state")),
        };
        results.insert(id, (tag, outcome));
    }
    let walk = match r.take(1)?[0] {
        0 => None,
        1 => Some(decode_walk(&mut r)?),
        _ => return Err(DecodeError::Malformed("walk flag")),
    };
    let head_key: [u8; 32] = r
        .take(32)?
        .try_into()
        .map_err(|_| DecodeError::Malformed("key"))?;
    let n = r.count(21)?;
    let clean = (0..n).map(|_| r.id()).collect::<Result<_, _>>()?;
    let head = HeadMemo {
        key: head_key,
        clean,
        want: [0; 32],
    };
    if r.at != r.bytes.len() {
        return Err(DecodeError::Malformed("trailing bytes"));
    }
    Ok(Cache {
        key,
        results,
        walk,
        head,
    })
}

fn decode_walk(r: &mut Reader<'_>) -> Result<WalkState, DecodeError> {
    let trees_read = r.u64()?;
    let n = r.count(21 + 16)?;
    let mut commits = Vec::with_capacity(n);
    for _ in 0..n {
        let id = r.id()?;
        let time = r.u64()? as i64;
        let np = r.count(21)?;
        let parents = (0..np).map(|_| r.id()).collect::<Result<_, _>>()?;
        commits.push(CommitNode { id, parents, time });
    }
    let n = r.count(21)?;
    let trees = (0..n).map(|_| r.id()).collect::<Result<_, _>>()?;
    let n = r.count(21 + 4)?;
    let mut blobs = crate::source::git::IdMap::default();
    blobs.reserve(n);
    for _ in 0..n {
        let id = r.id()?;
        blobs.insert(id, r.u32()?);
    }
    let n = r.count(8)?;
    let mut paths: Vec<Box<str>> = Vec::with_capacity(n);
    for _ in 0..n {
        let len = r.count(1)?;
        let p = std::str::from_utf8(r.take(len)?).map_err(|_| DecodeError::Malformed("path"))?;
        paths.push(p.into());
    }
    let n = r.count(21 + 8)?;
    let mut jobs = Vec::with_capacity(n);
    for _ in 0..n {
        let id = r.id()?;
        let path = paths
            .get(r.u32()? as usize)
            .ok_or(DecodeError::Malformed("path number"))?
            .clone();
        let commit = match r.u32()? {
            u32::MAX => None,
            i if (i as usize) < commits.len() => Some(i),
            _ => return Err(DecodeError::Malformed("commit number")),
        };
        jobs.push(Job { id, path, commit });
    }
    Ok(WalkState {
        commits,
        trees,
        blobs,
        trees_read,
        jobs,
    })
}

/// Bounds-checked reading.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or(DecodeError::Malformed("cut short"))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn u64(&mut self) -> Result<u64, DecodeError> {
        let b = self.take(8)?;
        Ok(u64::from_le_bytes(b.try_into().unwrap_or_default()))
    }

    fn u32(&mut self) -> Result<u32, DecodeError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes(b.try_into().unwrap_or_default()))
    }

    /// A count of items at least `min` bytes each, that the bytes left can hold.
    fn count(&mut self, min: usize) -> Result<usize, DecodeError> {
        let n = self.u64()?;
        let left = (self.bytes.len() - self.at) as u64;
        if n.saturating_mul(min as u64) > left {
            return Err(DecodeError::Malformed("a count larger than the file"));
        }
        Ok(n as usize)
    }

    fn id(&mut self) -> Result<ObjectId, DecodeError> {
        let len = self.take(1)?[0] as usize;
        let b = self.take(len)?;
        ObjectId::try_from(b).map_err(|_| DecodeError::Malformed("object id"))
    }
}
