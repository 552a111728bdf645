//! Scanning only what changed: a text that is an edit of a text already scanned clean
//! (a blob stored in a pack as a delta of its base) is scanned only around the bytes the
//! edit wrote, with the same result as a scan of all of it.
//!
//! Why that holds: everything the matcher decides about a keyword hit reads the text
//! within a bounded neighbourhood of the hit, and each step of it moves at most one line
//! (or a bounded number of bytes) from the last:
//!
//! - most rules read the hit's line (at most 1 KiB before and 4 KiB after the hit), and
//!   attribution reads three lines either side of the secret: a hit more than
//!   [`NARROW_LINES`]` - 1` lines from every change sees what it saw in the base;
//! - the near rules read further: a `window` of up to [`NEAR_WINDOW`] bytes widened to
//!   lines, four lines before the secret for an API host (`host-attributed`), 1 KiB
//!   before a Docker `auth` for its registry (the decoding rules); their keywords are
//!   looked for [`NEAR_LINES`] lines and [`NEAR_MARGIN`] bytes around each change;
//! - a percent-escaped URL is at most 4 KiB long: schemes up to [`URL_BEFORE`] bytes
//!   before a near range are decoded.
//!
//! A change is a span the edit inserted, or a seam where it joined pieces of the base
//! that were not next to each other there (the text's start and end are seams unless
//! they are the base's own: a line search stops there). Where nothing changed nearby, the
//! text is the base's, which gave nothing.
//!
//! Rules that read far (a private key block, a Kubernetes `Secret` document, a service
//! account JSON: a `window` over [`NEAR_WINDOW`] bytes) are not bounded this way: an
//! edit that brings one of their keywords is scanned whole ([`Matcher::scan_ranges`]),
//! and a text that holds one is no base for a scan by changes ([`Matcher::read_far`]).
//!
//! This file must not know where texts come from (packs, deltas, files).

use super::{Candidate, Matcher};

use super::{decode, host};
use crate::rules::Rule;
use aho_corasick::AhoCorasick;

pub use crate::rules::NEAR_WINDOW;

/// Lines around a change in which any keyword is looked for (the hit's line and three
/// lines of attribution, and one more).
pub const NARROW_LINES: usize = 5;
/// Lines around a change in which the keywords of near rules are looked for.
pub const NEAR_LINES: usize = 8;
/// Bytes beyond [`NEAR_LINES`] in which the keywords of near rules are looked for: a
/// near `window`, the 1 KiB before a Docker `auth`, and slack.
pub const NEAR_MARGIN: usize = NEAR_WINDOW + 1024 + 256;
/// How far before a near range a percent-escaped URL may start (its scheme): the
/// longest URL decoded.
pub const URL_BEFORE: usize = 4096 + 64;

/// Where a ranged scan looks: for any keyword, and for the keywords of near rules.
#[derive(Debug, Default, Clone)]
pub struct Ranges {
    narrow: Vec<(usize, usize)>,
    near: Vec<(usize, usize)>,
}

impl Ranges {
    /// The ranges of `hay` around `changed` (spans the edit wrote, empty spans at seams).
    pub fn new(hay: &[u8], changed: &[(usize, usize)]) -> Ranges {
        let mut spans = changed.to_vec();
        spans.sort_unstable();
        Ranges {
            narrow: widen(hay, &spans, NARROW_LINES, 0),
            near: widen(hay, &spans, NEAR_LINES, NEAR_MARGIN),
        }
    }

    /// How many bytes the search for any keyword reads.
    pub fn covered(&self) -> usize {
        self.narrow.iter().map(|(s, e)| e - s).sum()
    }
}

/// The sorted spans widened by `lines` whole lines and `margin` bytes on each side,
/// merged, within the text.
fn widen(hay: &[u8], spans: &[(usize, usize)], lines: usize, margin: usize) -> Vec<(usize, usize)> {
    let len = hay.len();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for &(s, e) in spans {
        let (s, e) = (s.min(len), e.min(len));
        if let Some(last) = out.last_mut() {
            if s < last.1 {
                // Merged whatever its start: only the end can grow.
                if e >= last.1 {
                    last.1 = lines_forward(hay, e, lines).saturating_add(margin).min(len);
                }
                continue;
            }
        }
        let lo = lines_back(hay, s, lines).saturating_sub(margin);
        let hi = lines_forward(hay, e, lines).saturating_add(margin).min(len);
        match out.last_mut() {
            Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
            _ => out.push((lo, hi)),
        }
    }
    out
}

/// The position `n` line ends before `at` (0 at the start of the text).
fn lines_back(hay: &[u8], at: usize, n: usize) -> usize {
    let mut p = at;
    for _ in 0..n {
        match memchr::memrchr(b'\n', &hay[..p]) {
            Some(i) => p = i,
            None => return 0,
        }
    }
    p
}

/// The position just past the `n`-th line end at or after `at` (the text's end at most).
fn lines_forward(hay: &[u8], at: usize, n: usize) -> usize {
    let mut p = at;
    for _ in 0..n {
        match memchr::memchr(b'\n', &hay[p..]) {
            Some(i) => p += i + 1,
            None => return hay.len(),
        }
    }
    p
}

/// Whether a rule reads beyond its hit's line and the three lines around it.
fn is_near(rule: &Rule) -> bool {
    rule.spec.window.is_some()
        || rule.spec.id == host::RULE_ID
        || decode::DECODING_RULES
            .iter()
            .any(|(id, _)| *id == rule.spec.id)
}

impl Matcher<'_> {
    /// Scan `hay` (without a path, as [`Matcher::scan`]) looking for keywords only in
    /// `ranges`: around what the base of an edit did not have. A text holding a keyword
    /// of a rule that reads far is scanned whole. The result is that of
    /// [`Matcher::scan`] whenever the base, scanned before, gave nothing.
    pub fn scan_ranges(&mut self, hay: &[u8], ranges: &Ranges) -> &[Candidate] {
        self.ranges.clone_from(ranges);
        self.ranged = true;
        self.scan_in(None, hay);
        self.ranged = false;
        if self.read_far {
            return self.scan(hay);
        }
        &self.out
    }

    /// Whether the last scan met a keyword of a rule that reads far around its hit: an
    /// edit of that text cannot be scanned by its changes alone.
    pub fn read_far(&self) -> bool {
        self.read_far
    }

    /// The windows of a ranged scan's top layer: any keyword in the narrow ranges (for
    /// the rules that are not near), the near rules' keywords in the near ranges.
    pub(super) fn collect_ranged(&mut self, ac: &AhoCorasick, hay: &[u8]) {
        let rules = self.rules;
        let near = rules.near_keywords(|| rules.rules.iter().map(is_near).collect());
        let narrow = std::mem::take(&mut self.ranges.narrow);
        for &span in &narrow {
            let all = &rules.keyword_rules;
            self.collect_windows_in(ac, all, hay, span, Some(&near.is_near));
        }
        self.ranges.narrow = narrow;
        if let Some(nac) = &near.automaton {
            let spans = std::mem::take(&mut self.ranges.near);
            for &span in &spans {
                self.collect_windows_in(nac, &near.rules, hay, span, None);
            }
            self.ranges.near = spans;
        }
    }

    /// Whether a URL scheme separator at `at` may lead to something the base did not have.
    pub(super) fn url_in_ranges(&self, at: usize) -> bool {
        !(self.ranged && self.depth == 0)
            || self
                .ranges
                .near
                .iter()
                .any(|&(s, e)| at < e && at + URL_BEFORE >= s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_changed_nothing_to_search() {
        let text = vec![b'a'; 100_000];
        assert_eq!(Ranges::new(&text, &[]).covered(), 0);
    }

    #[test]
    fn a_change_is_widened_by_lines_and_merged() {
        let mut text = Vec::new();
        for i in 0..10_000 {
            text.extend_from_slice(format!("line {i}\n").as_bytes());
        }
        let at = text.len() / 2;
        let r = Ranges::new(&text, &[(at + 10, at + 10), (at, at + 3)]);
        assert_eq!(r.narrow.len(), 1);
        let (lo, hi) = r.narrow[0];
        // Five lines of about ten bytes each side.
        assert!(lo < at - 30 && at - lo < 70, "{lo} {at}");
        assert!(hi > at + 40 && hi - at < 90, "{hi} {at}");
        assert_eq!(text[lo], b'\n');
        let (nlo, nhi) = r.near[0];
        assert!(nlo + NEAR_MARGIN <= lo && nhi >= hi + NEAR_MARGIN);
    }
}
