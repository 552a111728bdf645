//! Bytes to scannable text: binary detection, UTF-16 decoding, and byte offsets to
//! 1-based line and column numbers.

use std::borrow::Cow;

/// How far into a blob a NUL byte marks it as binary.
pub const BINARY_PROBE: usize = 8 * 1024;

/// What a blob is, once looked at.
#[derive(Debug)]
pub enum Decoded<'a> {
    /// Text to scan (UTF-16 input has been decoded to UTF-8).
    Text(Cow<'a, [u8]>),
    /// A NUL byte in the first 8 KiB: not scanned.
    Binary,
}

/// Decode UTF-16 with a byte-order mark; pass other text through; flag binaries.
pub fn decode(bytes: &[u8]) -> Decoded<'_> {
    let utf16 = match bytes {
        [0xFF, 0xFE, rest @ ..] => Some((rest, false)),
        [0xFE, 0xFF, rest @ ..] => Some((rest, true)),
        _ => None,
    };
    if let Some((rest, big_endian)) = utf16 {
        let units = rest.chunks_exact(2).map(|c| {
            if big_endian {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                u16::from_le_bytes([c[0], c[1]])
            }
        });
        let text: String = char::decode_utf16(units)
            .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect();
        return Decoded::Text(Cow::Owned(text.into_bytes()));
    }
    let probe = &bytes[..bytes.len().min(BINARY_PROBE)];
    if memchr::memchr(0, probe).is_some() {
        Decoded::Binary
    } else {
        Decoded::Text(Cow::Borrowed(bytes))
    }
}

/// Line starts of a text, built only for texts that have findings.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &[u8]) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text).map(|i| i + 1));
        LineIndex { starts }
    }

    /// 1-based line of a byte offset, and the offset where that line starts.
    pub fn line_of(&self, offset: usize) -> (usize, usize) {
        let i = self.starts.partition_point(|&s| s <= offset) - 1;
        (i + 1, self.starts[i])
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, text: &[u8], offset: usize) -> (usize, usize) {
        let (line, start) = self.line_of(offset);
        (line, chars(&text[start..offset]) + 1)
    }

    /// The text of a 1-based line, without its line terminator.
    pub fn line_text<'t>(&self, text: &'t [u8], line: usize) -> &'t [u8] {
        let start = self.starts[line - 1];
        let end = self.starts.get(line).map_or(text.len(), |&s| s - 1);
        let l = &text[start..end.max(start)];
        l.strip_suffix(b"\r").unwrap_or(l)
    }
}

/// A 1-based line and column (in characters and in UTF-16 code units) of a byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub column_utf16: usize,
}

/// Positions of offsets visited in rising order: the columns are counted from the
/// previous offset on the same line, not from the line's start, so locating every
/// finding of a text reads each byte once (many findings on one long line stay linear).
/// An offset before the previous one is counted again from its line's start.
pub struct Locator<'t> {
    text: &'t [u8],
    index: &'t LineIndex,
    /// Line (0-based), and the offset counted up to with its character and unit counts.
    line: usize,
    at: usize,
    chars: usize,
    units: usize,
}

impl<'t> Locator<'t> {
    pub fn new(text: &'t [u8], index: &'t LineIndex) -> Locator<'t> {
        Locator {
            text,
            index,
            line: 0,
            at: 0,
            chars: 0,
            units: 0,
        }
    }

    /// The position of `offset` (at most the text's length).
    pub fn locate(&mut self, offset: usize) -> Position {
        let (line, start) = self.index.line_of(offset);
        if line - 1 != self.line || offset < self.at {
            self.line = line - 1;
            self.at = start;
            self.chars = 0;
            self.units = 0;
        }
        let span = &self.text[self.at..offset];
        self.chars += chars(span);
        self.units += utf16_units(span);
        self.at = offset;
        Position {
            line,
            column: self.chars + 1,
            column_utf16: self.units + 1,
        }
    }
}

/// Number of characters in UTF-8 bytes: the bytes that are not continuation bytes
/// (`0x80..=0xBF`). Exact for valid UTF-8; an invalid lead or ASCII-range byte counts as
/// one, a stray continuation byte as none. Counted byte by byte, so counts of adjacent
/// spans add up (what [`Locator`] relies on).
pub fn chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

/// Number of UTF-16 code units in UTF-8 bytes.
pub fn utf16_units(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .map(|&b| match b {
            0xF0..=0xF7 => 2,
            b if (b & 0xC0) == 0x80 => 0,
            _ => 1,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_characters() {
        let text = "ab\né x\n".as_bytes();
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), (1, 1));
        let x = text.iter().position(|&b| b == b'x').unwrap();
        assert_eq!(idx.position(text, x), (2, 3));
        assert_eq!(idx.line_text(text, 2), "é x".as_bytes());
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "k=v".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        match decode(&bytes) {
            Decoded::Text(t) => assert_eq!(&*t, b"k=v"),
            Decoded::Binary => panic!("decoded as binary"),
        }
        assert!(matches!(decode(b"a\0b"), Decoded::Binary));
    }

    #[test]
    fn utf16_units_count_astral_chars_twice() {
        assert_eq!(utf16_units("a😀é".as_bytes()), 4);
    }
}
