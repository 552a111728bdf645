//! The keyword automaton, and which rules a keyword hit selects: the keyword's own rules
//! and those of every keyword it contains (the automaton reports only the longest of
//! overlapping keywords, so a hit on `sk-ant-api` must also run the rules of `sk-`).
//!
//! It must not know the matcher's scratch or any source.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, BuildError, MatchKind};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// Input bytes after which the full DFA is built: below it (a pre-commit run on a small
/// diff) the NFA, which builds several times faster, does the search.
const DFA_AFTER_BYTES: u64 = 1 << 20;

/// The keywords (leftmost-longest, ASCII case-insensitive) as two automata that find the
/// same matches: an NFA built at load, and a full DFA built once enough input was seen
/// (a few hundred case-insensitive keywords are past what the SIMD prefilter handles, and
/// the DFA's byte-at-a-time walk is the fastest fallback).
#[derive(Debug)]
pub(crate) struct Keywords {
    patterns: Vec<Vec<u8>>,
    longest: usize,
    nfa: AhoCorasick,
    dfa: OnceLock<AhoCorasick>,
    seen: AtomicU64,
}

fn builder(kind: AhoCorasickKind) -> AhoCorasickBuilder {
    let mut b = AhoCorasickBuilder::new();
    b.ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(kind));
    b
}

impl Keywords {
    pub(crate) fn new(patterns: Vec<Vec<u8>>) -> Result<Keywords, BuildError> {
        let nfa = builder(AhoCorasickKind::ContiguousNFA).build(&patterns)?;
        Ok(Keywords {
            longest: patterns.iter().map(Vec::len).max().unwrap_or(0),
            patterns,
            nfa,
            dfa: OnceLock::new(),
            seen: AtomicU64::new(0),
        })
    }

    /// The length of the longest keyword.
    pub(crate) fn longest(&self) -> usize {
        self.longest
    }

    /// The automaton to search an input of `len` bytes with.
    pub(crate) fn automaton(&self, len: usize) -> &AhoCorasick {
        if let Some(dfa) = self.dfa.get() {
            return dfa;
        }
        let seen = self.seen.fetch_add(len as u64, Ordering::Relaxed) + len as u64;
        if seen < DFA_AFTER_BYTES {
            return &self.nfa;
        }
        self.dfa.get_or_init(|| {
            builder(AhoCorasickKind::DFA)
                .build(&self.patterns)
                // The NFA of the same keywords was built: the DFA's larger tables are
                // the only way to fail, and the NFA finds the same matches.
                .unwrap_or_else(|_| self.nfa.clone())
        })
    }
}

/// Rules whose `window` is at most this many bytes read near a keyword hit; a scan of only
/// the changed part of a text relies on it (`scan::ranges`), and scans a text holding a
/// keyword of the others whole.
pub const NEAR_WINDOW: usize = 1024;

/// The keywords of the rules that read beyond their hit's line (the near rules).
#[derive(Debug)]
pub struct NearKeywords {
    pub automaton: Option<AhoCorasick>,
    /// The near rules of each pattern.
    pub rules: Vec<Vec<u32>>,
    /// Per rule: whether it is near.
    pub is_near: Vec<bool>,
}

impl NearKeywords {
    /// The keywords of the rules `is_near` flags (rules read only in files of given
    /// names are left out: they read the whole file), as the keyword automaton has them:
    /// leftmost-longest, each with the rules of every keyword it contains.
    pub(crate) fn new(all: &[super::Rule], is_near: Vec<bool>) -> NearKeywords {
        let mut by_keyword: BTreeMap<Vec<u8>, Vec<u32>> = BTreeMap::new();
        for (r, rule) in all.iter().enumerate() {
            if is_near.get(r).copied().unwrap_or(false) && rule.spec.paths.is_empty() {
                for k in &rule.prefixes {
                    by_keyword.entry(k.clone()).or_default().push(r as u32);
                }
            }
        }
        let rules = containing_rules(&by_keyword);
        let patterns: Vec<&Vec<u8>> = by_keyword.keys().collect();
        let automaton = builder(AhoCorasickKind::DFA).build(patterns).ok();
        NearKeywords {
            automaton,
            rules,
            is_near,
        }
    }
}

/// For each keyword of `by_keyword`, in the map's order, the sorted rules of every keyword
/// it contains (itself included). Each keyword is cut only into pieces of the lengths that
/// keywords have, so the work grows with the number of keywords, not with its square.
pub(crate) fn containing_rules(by_keyword: &BTreeMap<Vec<u8>, Vec<u32>>) -> Vec<Vec<u32>> {
    let lookup: HashMap<&[u8], &[u32]> = by_keyword
        .iter()
        .map(|(k, ids)| (k.as_slice(), ids.as_slice()))
        .collect();
    let mut lengths: Vec<usize> = by_keyword
        .keys()
        .map(Vec::len)
        .filter(|&n| n > 0) // the loader rejects empty keywords
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    lengths.sort_unstable();
    by_keyword
        .keys()
        .map(|outer| {
            let mut set: Vec<u32> = Vec::new();
            for &n in lengths.iter().take_while(|&&n| n <= outer.len()) {
                for piece in outer.windows(n) {
                    if let Some(ids) = lookup.get(piece) {
                        set.extend_from_slice(ids);
                    }
                }
            }
            set.sort_unstable();
            set.dedup();
            set
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_keyword_selects_the_rules_of_the_keywords_it_contains() {
        let mut by_keyword = BTreeMap::new();
        by_keyword.insert(b"sk-".to_vec(), vec![0]);
        by_keyword.insert(b"sk-ant-api".to_vec(), vec![1]);
        by_keyword.insert(b"ant".to_vec(), vec![2, 0]);
        by_keyword.insert(b"xoxb-".to_vec(), vec![3]);
        let got = containing_rules(&by_keyword);
        // BTreeMap order: "ant", "sk-", "sk-ant-api", "xoxb-".
        assert_eq!(got, vec![vec![0, 2], vec![0], vec![0, 1, 2], vec![3]]);
    }

    #[test]
    fn the_nfa_and_the_dfa_find_the_same_keywords() {
        let patterns: Vec<Vec<u8>> = ["sk-", "sk-ant-api", "ant", "xoxb-", "token", "to"]
            .iter()
            .map(|k| k.as_bytes().to_vec())
            .collect();
        let k = Keywords::new(patterns).unwrap();
        let hay = b"SK-ANT-API03 xoxb- Token tok ant sk-x to";
        let small = k.automaton(hay.len());
        let found = |ac: &AhoCorasick| -> Vec<(usize, usize, usize)> {
            ac.find_iter(&hay[..])
                .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
                .collect()
        };
        let from_nfa = found(small);
        assert_eq!(small.kind(), AhoCorasickKind::ContiguousNFA);
        let big = k.automaton(DFA_AFTER_BYTES as usize);
        assert_eq!(big.kind(), AhoCorasickKind::DFA);
        assert_eq!(from_nfa, found(big));
        assert_eq!(from_nfa.len(), 7);
    }
}
