//! Applying a git delta to its base, noting what the delta wrote that the base did not
//! have: the bytes it inserts, and each seam where it joins pieces of the base that were
//! not next to each other there.
//!
//! The format (git's `patch-delta.c`): the base's size and the result's size as
//! little-endian base-128 numbers, then instructions: a byte with the high bit set copies
//! from the base (its low seven bits say which offset and size bytes follow; a size of 0
//! means 64 KiB), a byte from 1 to 127 inserts that many bytes that follow, 0 is invalid.
//!
//! This file must not read packs or know what is scanned.

use std::fmt;

/// Why a delta cannot be applied (a damaged pack).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Corrupt(&'static str);

impl fmt::Display for Corrupt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "damaged delta: {}", self.0)
    }
}

/// A size at the start of a delta, and the bytes it took.
fn size(d: &[u8]) -> Result<(u64, usize), Corrupt> {
    let mut value = 0u64;
    for (i, &b) in d.iter().enumerate().take(10) {
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Ok((value, i + 1));
        }
    }
    Err(Corrupt("a size is cut off"))
}

/// The size of the object a delta makes, without applying it.
pub(super) fn result_size(delta: &[u8]) -> Result<u64, Corrupt> {
    let (_, n) = size(delta)?;
    Ok(size(&delta[n..])?.0)
}

/// Apply `delta` to `base` into `out` (cleared first). When `changed` is given, the spans of
/// `out` the delta wrote itself (inserted bytes, and empty spans at seams) are appended.
pub(super) fn apply(
    base: &[u8],
    delta: &[u8],
    out: &mut Vec<u8>,
    mut changed: Option<&mut Vec<(usize, usize)>>,
) -> Result<(), Corrupt> {
    let (base_len, n) = size(delta)?;
    let mut i = n;
    let (result_len, n) = size(&delta[i..])?;
    i += n;
    if base_len != base.len() as u64 {
        return Err(Corrupt("the base is not the size the delta expects"));
    }
    let result_len = usize::try_from(result_len).map_err(|_| Corrupt("too large"))?;
    out.clear();
    out.reserve(result_len);
    // Where the last copy ended in the base (a copy that goes on from there is no seam;
    // nor is one from the base's start at the result's start).
    let mut copied_to: Option<usize> = Some(0);
    while i < delta.len() {
        let op = delta[i];
        i += 1;
        if op & 0x80 != 0 {
            let mut field = |bits: u8, shift: u32| -> Result<u32, Corrupt> {
                let mut v = 0u32;
                for k in 0..bits {
                    if op & (1 << (shift + u32::from(k))) != 0 {
                        let b = *delta.get(i).ok_or(Corrupt("a copy is cut off"))?;
                        i += 1;
                        v |= u32::from(b) << (8 * k);
                    }
                }
                Ok(v)
            };
            let offset = field(4, 0)? as usize;
            let mut len = field(3, 4)? as usize;
            if len == 0 {
                len = 0x10000;
            }
            let end = offset
                .checked_add(len)
                .filter(|&e| e <= base.len())
                .ok_or(Corrupt("a copy reaches past the base"))?;
            if out.len() + len > result_len {
                return Err(Corrupt("the result is longer than announced"));
            }
            if let Some(spans) = changed.as_deref_mut() {
                if copied_to != Some(offset) {
                    spans.push((out.len(), out.len()));
                }
            }
            copied_to = Some(end);
            out.extend_from_slice(&base[offset..end]);
        } else if op != 0 {
            let len = op as usize;
            let bytes = delta
                .get(i..i + len)
                .ok_or(Corrupt("an insert is cut off"))?;
            i += len;
            if out.len() + len > result_len {
                return Err(Corrupt("the result is longer than announced"));
            }
            if let Some(spans) = changed.as_deref_mut() {
                spans.push((out.len(), out.len() + len));
            }
            copied_to = None;
            out.extend_from_slice(bytes);
        } else {
            return Err(Corrupt("an instruction of 0"));
        }
    }
    if out.len() != result_len {
        return Err(Corrupt("the result is shorter than announced"));
    }
    // The result ends where the base did not: a seam.
    if let Some(spans) = changed {
        if copied_to != Some(base.len()) {
            spans.push((out.len(), out.len()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn varint(mut n: usize, out: &mut Vec<u8>) {
        loop {
            let b = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(b);
                return;
            }
            out.push(b | 0x80);
        }
    }

    fn copy(offset: u32, len: u32, out: &mut Vec<u8>) {
        let mut op = 0x80u8;
        let mut args = Vec::new();
        for k in 0..4 {
            let b = (offset >> (8 * k)) as u8;
            if b != 0 {
                op |= 1 << k;
                args.push(b);
            }
        }
        for k in 0..3 {
            let b = (len >> (8 * k)) as u8;
            if b != 0 {
                op |= 1 << (4 + k);
                args.push(b);
            }
        }
        out.push(op);
        out.extend(args);
    }

    #[test]
    fn copies_inserts_and_seams() {
        let base = b"0123456789abcdefghij";
        let mut d = Vec::new();
        varint(base.len(), &mut d);
        varint(4 + 3 + 6 + 4, &mut d);
        copy(0, 4, &mut d); // 0123
        d.push(3);
        d.extend_from_slice(b"XYZ"); // inserted
        copy(4, 6, &mut d); // 456789: goes on from no copy (after an insert)
        copy(16, 4, &mut d); // ghij: a seam
        let mut out = Vec::new();
        let mut spans = Vec::new();
        apply(base, &d, &mut out, Some(&mut spans)).unwrap();
        assert_eq!(out, b"0123XYZ456789ghij");
        // The copy from the base's start is no seam, nor the end (the base's own end).
        assert_eq!(spans, vec![(4, 7), (7, 7), (13, 13)]);
        // A result that stops short of the base's end has a seam there.
        let mut d = Vec::new();
        varint(base.len(), &mut d);
        varint(4, &mut d);
        copy(0, 4, &mut d);
        spans.clear();
        apply(base, &d, &mut out, Some(&mut spans)).unwrap();
        assert_eq!(spans, vec![(4, 4)]);
        assert_eq!(result_size(&d).unwrap(), 4);
    }

    #[test]
    fn a_copy_that_goes_on_is_no_seam() {
        let base = b"abcdefgh";
        let mut d = Vec::new();
        varint(8, &mut d);
        varint(8, &mut d);
        copy(0, 4, &mut d);
        copy(4, 4, &mut d);
        let mut out = Vec::new();
        let mut spans = Vec::new();
        apply(base, &d, &mut out, Some(&mut spans)).unwrap();
        assert_eq!(out, base);
        assert!(spans.is_empty(), "{spans:?}");
    }

    #[test]
    fn damaged_deltas_are_errors_not_panics() {
        let base = b"abcdefgh";
        for d in [
            vec![],
            vec![8],
            vec![9, 4, 0x91, 0, 4],    // wrong base size
            vec![8, 4, 0x91, 6, 4],    // copy past the base
            vec![8, 4, 5, b'a'],       // insert cut off
            vec![8, 4, 0],             // instruction 0
            vec![8, 4, 2, b'a', b'b'], // shorter than announced
            vec![8, 1, 2, b'a', b'b'], // longer than announced
        ] {
            let mut out = Vec::new();
            assert!(apply(base, &d, &mut out, None).is_err(), "{d:?}");
        }
    }
}
