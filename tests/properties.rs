//! Property tests (stable toolchain): line and column mapping against a naive reference,
//! on arbitrary bytes (UTF-8, invalid bytes, CRLF), and `staged`'s filter: a secret that
//! HEAD's version of the file holds is never reported, one it does not hold always is,
//! whatever the lines around it and whatever the encoding; and redaction, which shows a
//! format's fixed prefix and at most two more characters.

mod common;

use common::*;
use keyward::pipeline::scan_blob;
use keyward::rules::template::Rng;
use keyward::scan::text::Locator;
use keyward::scan::{Candidate, LineIndex, Matcher};
use keyward::source::staged::split_known;
use proptest::prelude::*;

/// Bytes that stress the mapping: ASCII, line ends (CRLF, lone CR), 2-, 3- and 4-byte
/// characters, and invalid bytes (stray continuation bytes, lone lead bytes).
fn text_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        4 => prop::sample::select(vec![
            "a", "Z", " ", "=", "\n", "\r\n", "\r", "\t", "é", "€", "😀", "\u{10A}", "\u{202E}",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        1 => any::<u8>().prop_map(|b| vec![b]),
        1 => prop::sample::select(vec![0x80u8, 0xBF, 0xC3, 0xE2, 0xF0, 0xFF]).prop_map(|b| vec![b]),
    ];
    prop::collection::vec(piece, 0..200).prop_map(|v| v.concat())
}

/// The reference: the line is 1 + the line feeds before `offset`; the columns count,
/// from the byte after the last line feed, every byte that is not a UTF-8 continuation
/// byte (a character), and twice those that start a 4-byte sequence (UTF-16 units).
fn naive(text: &[u8], offset: usize) -> (usize, usize, usize) {
    let before = &text[..offset];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let (mut chars, mut units) = (0, 0);
    for &b in &text[start..offset] {
        if b & 0xC0 != 0x80 {
            chars += 1;
            units += if (0xF0..=0xF7).contains(&b) { 2 } else { 1 };
        }
    }
    (line, chars + 1, units + 1)
}

proptest! {
    #[test]
    fn locator_agrees_with_the_naive_reference(
        text in text_bytes(),
        picks in prop::collection::vec(any::<prop::sample::Index>(), 0..40),
        sorted in any::<bool>(),
    ) {
        let mut offsets: Vec<usize> = picks.iter().map(|i| i.index(text.len() + 1)).collect();
        if sorted {
            offsets.sort_unstable();
        }
        let index = LineIndex::new(&text);
        let mut locator = Locator::new(&text, &index);
        for &o in &offsets {
            let p = locator.locate(o);
            prop_assert_eq!((p.line, p.column, p.column_utf16), naive(&text, o), "offset {}", o);
        }
    }

    #[test]
    fn on_valid_utf8_columns_are_characters_and_utf16_units(
        text in "([a-z =é€😀\u{10A}]|\r\n|\n){0,80}",
        picks in prop::collection::vec(any::<prop::sample::Index>(), 0..20),
    ) {
        let bytes = text.as_bytes();
        let mut offsets: Vec<usize> = picks
            .iter()
            .map(|i| i.index(bytes.len() + 1))
            .filter(|&o| text.is_char_boundary(o))
            .collect();
        offsets.sort_unstable();
        let index = LineIndex::new(bytes);
        let mut locator = Locator::new(bytes, &index);
        for o in offsets {
            let p = locator.locate(o);
            let line_start = text[..o].rfind('\n').map_or(0, |i| i + 1);
            let on_line = &text[line_start..o];
            prop_assert_eq!(p.line, text[..o].matches('\n').count() + 1);
            prop_assert_eq!(p.column, on_line.chars().count() + 1);
            prop_assert_eq!(p.column_utf16, on_line.encode_utf16().count() + 1);
        }
    }

    /// Findings built from many candidates (several on one line) carry the reference's
    /// start and end positions.
    #[test]
    fn findings_carry_the_reference_positions(
        text in text_bytes(),
        picks in prop::collection::vec(any::<prop::sample::Index>(), 0..30),
    ) {
        let mut cuts: Vec<usize> = picks.iter().map(|i| i.index(text.len() + 1)).collect();
        cuts.sort_unstable();
        cuts.dedup();
        let rules = rules();
        let candidates: Vec<Candidate> = cuts
            .chunks_exact(2)
            .map(|w| Candidate {
                rule: 0,
                variant: None,
                named_by: None,
                start: w[0],
                end: w[1],
                severity: rules.rules[0].spec.severity,
                client_exposed: false,
                allowed_inline: false,
                decoded: None,
            })
            .collect();
        let (found, _) = keyward::finding::build(rules, "t", &text, &candidates);
        prop_assert_eq!(found.len(), candidates.len());
        for (f, c) in found.iter().zip(&candidates) {
            prop_assert_eq!((f.line, f.column, f.column_utf16), naive(&text, c.start));
            prop_assert_eq!((f.end_line, f.end_column, f.end_column_utf16), naive(&text, c.end));
        }
    }
}

/// Lines that could confuse a line-based filter: key headers, names, old keys.
fn filler(old_key: String) -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        prop::sample::select(vec![
            "",
            "# notes",
            "-----BEGIN RSA PRIVATE KEY-----",
            "-----END RSA PRIVATE KEY-----",
            "-----BEGIN OPENSSH PRIVATE KEY-----",
            "ANTHROPIC_API_KEY=",
            "AWS_ACCESS_KEY_ID=",
            "key = ",
            "x = 1",
        ])
        .prop_map(str::to_string),
        "[a-z =#:]{0,24}",
        Just(format!("key = {old_key}")),
    ]
}

fn utf16le(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        out.extend(u.to_le_bytes());
    }
    out
}

/// A file's text from lines, with LF or CRLF, as UTF-8 or UTF-16.
fn encode(lines: &[String], crlf: bool, utf16: bool) -> Vec<u8> {
    let text = lines.join(if crlf { "\r\n" } else { "\n" }) + "\n";
    if utf16 {
        utf16le(&text)
    } else {
        text.into_bytes()
    }
}

#[derive(Debug, Clone)]
struct Case {
    rule: &'static str,
    seed: u64,
    before: Vec<String>,
    after: Vec<String>,
    head_before: Vec<String>,
    head_after: Vec<String>,
    /// Where HEAD has the key: nowhere, on its own line, or inside a longer line.
    head_has: u8,
    crlf: (bool, bool),
    utf16: (bool, bool),
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::sample::select(vec![
            "anthropic-api-key",
            "private-key",
            "aws-access-key-id",
        ]),
        any::<u64>(),
    )
        .prop_flat_map(|(rule, seed)| {
            let old = old_key(rule, seed);
            let lines = || prop::collection::vec(filler(old.clone()), 0..6);
            (
                Just(rule),
                Just(seed),
                lines(),
                lines(),
                lines(),
                lines(),
                0u8..3,
                any::<(bool, bool)>(),
                any::<(bool, bool)>(),
            )
        })
        .prop_map(
            |(rule, seed, before, after, head_before, head_after, head_has, crlf, utf16)| Case {
                rule,
                seed,
                before,
                after,
                head_before,
                head_after,
                head_has,
                crlf,
                utf16,
            },
        )
}

fn key_of(rule: &str, seed: u64) -> String {
    key_for(rules().get(rule).unwrap(), &mut Rng::new(seed))
}

/// Another key of the same rule (what a rotated key replaced).
fn old_key(rule: &str, seed: u64) -> String {
    key_of(rule, seed ^ 0x5eed)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn staged_reports_a_secret_exactly_when_head_does_not_hold_it(c in case()) {
        let key = key_of(c.rule, c.seed);
        let mut new_lines = c.before.clone();
        new_lines.push(format!("key = {key}"));
        new_lines.extend(c.after.clone());
        let new = encode(&new_lines, c.crlf.0, c.utf16.0);

        let mut head_lines = c.head_before.clone();
        match c.head_has {
            1 => head_lines.push(format!("key = {key}")),
            2 => head_lines.push(format!("# was: {key} (rotated)")),
            _ => {}
        }
        head_lines.extend(c.head_after.clone());
        let head = encode(&head_lines, c.crlf.1, c.utf16.1);

        let mut matcher = Matcher::new(rules());
        let outcome = scan_blob(&mut matcher, "f", &new);
        let all: Vec<_> = outcome.findings.into_iter().chain(outcome.inline).collect();
        prop_assert!(
            all.iter().any(|f| f.secret.expose() == key),
            "the key is found in the staged text"
        );
        let (added, known) = split_known(Some(&head), all);
        let reported = added.iter().any(|f| f.secret.expose() == key);
        let counted = known.iter().any(|f| f.secret.expose() == key);
        if c.head_has == 0 {
            prop_assert!(reported && !counted, "a new secret is reported");
        } else {
            prop_assert!(!reported && counted, "a secret HEAD holds is counted, not reported");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Redaction shows the format's fixed prefix and at most two more characters, never
    /// the whole value, never more than a third of it past two characters, and never a
    /// control character, whatever the value and the prefix length.
    #[test]
    fn redaction_shows_the_prefix_and_at_most_two_more(
        value in "[ -~\u{e9}\u{20ac}\u{1b}\u{202e}]{1,80}",
        prefix in 0usize..40,
    ) {
        let shown = keyward::secret::redact(&value, prefix);
        let kept: String = shown.trim_end_matches('…').to_string();
        let kept_chars = kept.chars().count();
        let len = value.chars().count();
        prop_assert!(shown.ends_with('…'));
        prop_assert!(kept_chars < len, "the whole value is never shown");
        prop_assert!(kept_chars <= prefix.min(len) + 2, "prefix + 2 at most: {shown:?}");
        prop_assert!(kept_chars <= (len / 3).max(2), "a third at most: {shown:?}");
        prop_assert!(!kept.chars().any(char::is_control), "no control character");
        for (a, b) in kept.chars().zip(value.chars()) {
            prop_assert!(a == b || (b.is_control() && a == '?'));
        }
    }
}
