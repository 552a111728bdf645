//! Which rules a keyword hit selects: the keyword's own rules and those of every keyword
//! it contains (the automaton reports only the longest of overlapping keywords, so a hit
//! on `sk-ant-api` must also run the rules of `sk-`).
//!
//! It must not know the matcher's scratch or any source.

use std::collections::{BTreeMap, HashMap, HashSet};

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
}
