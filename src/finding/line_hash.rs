//! GitHub code scanning's `primaryLocationLineHash`: a rolling hash (base 37, mod 2^64)
//! over the next 100 characters that are not spaces or tabs, starting at each line, with
//! `\r\n` and `\r` read as `\n`, over the UTF-16 code units of the text; rendered as
//! `<hex>:<n>` where n counts earlier lines with the same hash. The upload action keeps a
//! value that is already present, so keyward computes it over the blob a result points at.
//!
//! It must not know findings or reports: text in, hashes out.

use std::collections::HashMap;

const MOD: u64 = 37;
const BLOCK: usize = 100;
const TAB: u64 = 9;
const SPACE: u64 = 32;
const LF: u64 = 10;
const CR: u64 = 13;
const EOF: u64 = 65535;

/// The line hash of every line of `text` (1-based line -> hash).
pub fn line_hashes(text: &[u8]) -> HashMap<usize, String> {
    line_hashes_of(text, |_| true, usize::MAX)
}

/// The line hashes of the lines `wanted` accepts, `count` of them at most: the text is
/// read up to the last of them (a hash's `:n` suffix counts only earlier lines with the
/// same hash, so what follows changes nothing).
pub fn line_hashes_of(
    text: &[u8],
    wanted: impl Fn(usize) -> bool,
    count: usize,
) -> HashMap<usize, String> {
    let first_mod = (0..BLOCK).fold(1u64, |acc, _| acc.wrapping_mul(MOD));
    let mut window = [0u64; BLOCK];
    let mut line_numbers = [usize::MAX; BLOCK];
    let (mut hash, mut idx, mut line) = (0u64, 0usize, 0usize);
    let (mut at_start, mut prev_cr) = (true, false);
    let mut counts: HashMap<u64, usize> = HashMap::new();
    let mut out = HashMap::new();
    let done = std::cell::Cell::new(0usize);

    let mut output = |hash: u64, idx: usize, line_numbers: &mut [usize; BLOCK]| {
        let n = counts.entry(hash).or_insert(0);
        *n += 1;
        let line = line_numbers[idx];
        if wanted(line) {
            out.insert(line, format!("{hash:x}:{n}"));
            done.set(done.get() + 1);
        }
        line_numbers[idx] = usize::MAX;
    };
    let mut process =
        |cur: u64,
         hash: &mut u64,
         idx: &mut usize,
         line_numbers: &mut [usize; BLOCK],
         window: &mut [u64; BLOCK],
         output: &mut dyn FnMut(u64, usize, &mut [usize; BLOCK])| {
            if cur == SPACE || cur == TAB || (prev_cr && cur == LF) {
                prev_cr = false;
                return;
            }
            let cur = if cur == CR {
                prev_cr = true;
                LF
            } else {
                prev_cr = false;
                cur
            };
            if line_numbers[*idx] != usize::MAX {
                output(*hash, *idx, line_numbers);
            }
            if at_start {
                at_start = false;
                line += 1;
                line_numbers[*idx] = line;
            }
            if cur == LF {
                at_start = true;
            }
            let begin = window[*idx];
            window[*idx] = cur;
            *hash = MOD
                .wrapping_mul(*hash)
                .wrapping_add(cur)
                .wrapping_sub(first_mod.wrapping_mul(begin));
            *idx = (*idx + 1) % BLOCK;
        };
    let decoded = String::from_utf8_lossy(text);
    for unit in decoded.encode_utf16() {
        process(
            u64::from(unit),
            &mut hash,
            &mut idx,
            &mut line_numbers,
            &mut window,
            &mut output,
        );
        if done.get() >= count {
            return out;
        }
    }
    process(
        EOF,
        &mut hash,
        &mut idx,
        &mut line_numbers,
        &mut window,
        &mut output,
    );
    for _ in 0..BLOCK {
        if line_numbers[idx] != usize::MAX {
            output(hash, idx, &mut line_numbers);
        }
        let begin = window[idx];
        window[idx] = 0;
        hash = MOD
            .wrapping_mul(hash)
            .wrapping_sub(first_mod.wrapping_mul(begin));
        idx = (idx + 1) % BLOCK;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{line_hashes, line_hashes_of};

    fn all(text: &str) -> Vec<String> {
        let h = line_hashes(text.as_bytes());
        let mut lines: Vec<_> = h.keys().copied().collect();
        lines.sort_unstable();
        lines.into_iter().map(|l| h[&l].clone()).collect()
    }

    #[test]
    fn hashing_stops_after_the_last_wanted_line_with_the_same_result() {
        let mut text = String::new();
        for i in 0..400 {
            // Repeated lines, so the `:n` counts matter.
            text.push_str(&format!("line {}\n  value = {}\n", i % 7, i % 3));
        }
        let all = line_hashes(text.as_bytes());
        for wanted in [vec![1], vec![5, 9], vec![2, 400, 799], vec![800]] {
            let got = line_hashes_of(text.as_bytes(), |l| wanted.contains(&l), wanted.len());
            for l in &wanted {
                assert_eq!(got.get(l), all.get(l), "line {l}");
            }
            assert_eq!(got.len(), wanted.len());
        }
    }

    /// The test vectors of codeql-action's `src/fingerprints.test.ts`.
    #[test]
    fn matches_githubs_vectors() {
        assert_eq!(all(""), ["c129715d7a2bc9a3:1"]);
        assert_eq!(
            all(" a\nb\n  \t\tc\n d"),
            [
                "271789c17abda88f:1",
                "54703d4cd895b18:1",
                "180aee12dab6264:1",
                "a23a3dc5e078b07b:1"
            ]
        );
        assert_eq!(
            all(" hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n"),
            [
                "e9496ae3ebfced30:1",
                "fb7c023a8b9ccb3f:1",
                "ce8ba1a563dcdaca:1",
                "e20e36e16fcb0cc8:1",
                "b3edc88f2938467e:1",
                "c8e28b0b4002a3a0:1",
                "c129715d7a2bc9a3:1"
            ]
        );
        let lorem = "Lorem ipsum dolor sit amet.\n".repeat(10);
        assert_eq!(
            all(&lorem),
            [
                "a7f2ff13bc495cf2:1",
                "a7f2ff13bc495cf2:2",
                "a7f2ff13bc495cf2:3",
                "a7f2ff13bc495cf2:4",
                "a7f2ff13bc495cf2:5",
                "a7f2ff13bc495cf2:6",
                "a7f2ff1481e87703:1",
                "a9cf91f7bbf1862b:1",
                "55ec222b86bcae53:1",
                "cc97dc7b1d7d8f7b:1",
                "c129715d7a2bc9a3:1"
            ]
        );
        assert_eq!(
            all("x = 2\nx = 1\nprint(x)\nx = 3\nprint(x)\nx = 4\nprint(x)\n"),
            [
                "e54938cc54b302f1:1",
                "bb609acbe9138d60:1",
                "1131fd5871777f34:1",
                "5c482a0f8b35ea28:1",
                "54517377da7028d2:1",
                "2c644846cb18d53e:1",
                "f1b89f20de0d133:1",
                "c129715d7a2bc9a3:1"
            ]
        );
    }
}
