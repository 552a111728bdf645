//! PEM private keys written as concatenated string literals: `"-----BEGIN RSA PRIVATE
//! KEY-----\n" + "MIIE…\n" + …` in Go, Java, JavaScript or C#, Python's implicit
//! concatenation across lines, `.` in PHP, `&` in Visual Basic, `\` line continuations.
//! The literals are unescaped and joined, the joined text is scanned by the private-key
//! rules, and a key is reported once, on its encoded text starting at the BEGIN marker.
//! (A key on one line with `\n` escapes needs none of this: the private-key rules read
//! the escapes themselves.)
//!
//! It must not know files, findings or reports: it returns candidates.

use super::decode::{DecodedSecret, Encoding};
use super::{line_start, Candidate, Matcher};

/// The longest joined key (an RSA 4096-bit key is about 3.3 KB of PEM).
const MAX_JOINED: usize = 16 * 1024;
/// The most string literals one key is joined from.
const MAX_PIECES: usize = 400;
/// The most bytes between two literals (operators, blanks, a line break, indentation).
const MAX_GAP: usize = 256;

fn is_quote(b: u8) -> bool {
    matches!(b, b'"' | b'\'' | b'`')
}

/// The string literal opened by the quote at `q`: its unescaped content and the offset
/// of its closing quote. Literals end on their line.
fn literal(hay: &[u8], q: usize, out: &mut Vec<u8>) -> Option<usize> {
    let quote = hay[q];
    let mut i = q + 1;
    while i < hay.len() {
        match hay[i] {
            b'\n' => return None,
            b'\\' if i + 1 < hay.len() => {
                out.push(match hay[i + 1] {
                    b'n' => b'\n',
                    b'r' => b'\r',
                    b't' => b'\t',
                    other => other,
                });
                i += 2;
                continue;
            }
            c if c == quote => return Some(i),
            c => out.push(c),
        }
        i += 1;
    }
    None
}

/// The literals chained from the one opened at `q`: their joined content (a line break
/// between two literals), the offset just past the last literal read, and how many.
pub fn chain(hay: &[u8], q: usize) -> (Vec<u8>, usize, usize) {
    let mut text = Vec::new();
    let (mut pos, mut end, mut pieces) = (q, q, 0);
    while let Some(close) = literal(hay, pos, &mut text) {
        text.push(b'\n');
        pieces += 1;
        end = close + 1;
        if memchr::memmem::find(&text, b"-----END").is_some()
            || text.len() > MAX_JOINED
            || pieces >= MAX_PIECES
        {
            break;
        }
        // Operators and blanks up to the next literal.
        let mut i = end;
        while i < hay.len()
            && i - end < MAX_GAP
            && matches!(
                hay[i],
                b' ' | b'\t' | b'\r' | b'\n' | b'+' | b'.' | b'&' | b'\\' | b'(' | b'_'
            )
        {
            i += 1;
        }
        if i < hay.len() && is_quote(hay[i]) {
            pos = i;
        } else {
            break;
        }
    }
    (text, end, pieces)
}

impl Matcher<'_> {
    /// Private keys split over concatenated literals.
    pub(super) fn join_pem(&mut self, hay: &[u8], extra: &mut Vec<Candidate>) {
        if memchr::memmem::find(hay, b"PRIVATE KEY-----").is_none() {
            return;
        }
        let rules = self.rules;
        for begin in memchr::memmem::find_iter(hay, b"-----BEGIN ") {
            let ls = line_start(hay, begin, 1024);
            let Some(q) = hay[ls..begin].iter().rposition(|&b| is_quote(b)) else {
                continue;
            };
            let (text, end, pieces) = chain(hay, ls + q);
            if pieces < 2 || memchr::memmem::find(&text, b"PRIVATE KEY-----").is_none() {
                continue;
            }
            let found = self.scan_nested(&text);
            if let Some(f) = found.iter().find(|f| {
                !rules.rules[f.rule].spec.generic && text[f.start..].starts_with(b"-----BEGIN")
            }) {
                extra.push(Candidate {
                    start: begin,
                    end,
                    allowed_inline: false,
                    client_exposed: false,
                    decoded: Some(Box::new(DecodedSecret {
                        encoding: Encoding::Concatenated,
                        value: text[f.start..f.end].to_vec(),
                    })),
                    ..f.clone()
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_literals_across_operators_and_lines() {
        let src = b"k = (\"a\\nb\"\n     'c' +\n  \"d\") + x";
        let q = memchr::memchr(b'"', src).unwrap();
        let (text, end, pieces) = chain(src, q);
        assert_eq!(text, b"a\nb\nc\nd\n");
        assert_eq!(pieces, 3);
        assert_eq!(&src[end..], b") + x");
    }

    #[test]
    fn a_literal_ends_on_its_line() {
        let src = b"\"abc\n\"";
        assert_eq!(chain(src, 0).2, 0);
    }
}
