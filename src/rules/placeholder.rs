//! What a placeholder looks like: the fillers of documentation values (`your_key_here`,
//! `xxxx`, `...`, `EXAMPLE`), runs of repeated or sequential characters, camelCase words
//! and short periods. Rule knowledge, like a rule's negative examples: the matcher's
//! filters apply it to what they find, and key templates use it to draw keys that never
//! look like one. Knows bytes only; nothing of matching, files or findings.

/// Fillers that mark a documentation value wherever they stand (case-insensitive).
const FILLERS: &[&str] = &[
    "example",
    "placeholder",
    "changeme",
    "change_me",
    "change-me",
    "replace",
    "redacted",
    "dummy",
    "insert",
    "sample",
    "xxxx",
    "***",
    "...",
    "\u{2026}",
    "${",
    "{{",
    "$(",
    "<",
    ">",
    "your_",
    "your-",
    "yourkey",
    "yourapi",
    "yourtoken",
    "secretkey",
    "apikeyhere",
    "key_here",
    "key-here",
    "keyhere",
    "token_here",
    "notreal",
    "not_real",
    "not-real",
    "paste",
    "password",
    "put_your",
    "enter_your",
];

/// Short filler words that count only next to a separator (`_`, `-`, `.`) or at an end
/// of the value, so a random body that happens to contain them is not dropped.
const WORDS: &[&str] = &[
    "your", "fake", "test", "demo", "here", "todo", "mock", "xyz", "key", "token", "secret", "foo",
    "bar",
];

fn is_sep(b: u8) -> bool {
    matches!(b, b'_' | b'-' | b'.' | b'/' | b' ' | b':')
}

/// Whether `hay` holds `needle`, in any case.
pub fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len()
        && hay
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

/// Whether a short filler word stands in `s` at a separator or an end.
fn has_separated_word(s: &[u8], word: &[u8]) -> bool {
    let n = word.len();
    if s.len() < n {
        return false;
    }
    (0..=s.len() - n).any(|i| {
        s[i..i + n].eq_ignore_ascii_case(word) && {
            let before = i == 0 || is_sep(s[i - 1]);
            let after = i + n == s.len() || is_sep(s[i + n]);
            // Both sides for the tiniest words, one side for the rest.
            if n <= 3 {
                before && after
            } else {
                before || after
            }
        }
    })
}

/// Length of the longest run of characters that each follow the previous one by +1 or
/// -1 (`abcdef`, `123456`, `98765`), or repeat it (`aaaaaa`).
fn longest_run(s: &[u8]) -> (usize, usize) {
    let (mut seq, mut best_seq, mut rep, mut best_rep) = (1, 1, 1, 1);
    let mut dir = 0i16;
    for w in s.windows(2) {
        // Case-folded, so `AbCdEf` counts as a sequence.
        let (a, b) = (w[0].to_ascii_lowercase(), w[1].to_ascii_lowercase());
        let d = i16::from(b) - i16::from(a);
        if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() && (d == 1 || d == -1) {
            seq = if d == dir { seq + 1 } else { 2 };
            dir = d;
        } else {
            seq = 1;
            dir = 0;
        }
        rep = if a == b { rep + 1 } else { 1 };
        best_seq = best_seq.max(seq);
        best_rep = best_rep.max(rep);
    }
    (best_seq, best_rep)
}

/// Whether a letters-only value reads like camelCase words (`requiredCharacteristicsOf…`)
/// rather than random letters: many vowels and few changes of case. Random letters have
/// about one vowel in five and change case at every other character.
fn is_camel_case_words(s: &[u8]) -> bool {
    if s.len() < 16 || !s.iter().all(u8::is_ascii_alphabetic) {
        return false;
    }
    let vowels = s.iter().filter(|b| b"aeiouAEIOU".contains(b)).count();
    let changes = s
        .windows(2)
        .filter(|w| w[0].is_ascii_uppercase() != w[1].is_ascii_uppercase())
        .count();
    vowels * 3 >= s.len() && changes * 3 <= s.len()
}

/// Whether `s` repeats a block of at most a third of its length (`AbCd1234AbCd1234…`).
fn has_short_period(s: &[u8]) -> bool {
    s.len() >= 12 && (1..=s.len() / 3).any(|p| s[p..].iter().zip(s).all(|(a, b)| a == b))
}

/// Whether `s` looks like a placeholder rather than a key. Callers strip the format's
/// fixed prefix first (`sk-api-`, `bedrock-api-key-` are real prefixes).
pub fn is_placeholder(s: &[u8]) -> bool {
    if FILLERS.iter().any(|f| contains_ci(s, f.as_bytes())) {
        return true;
    }
    if WORDS.iter().any(|w| has_separated_word(s, w.as_bytes())) {
        return true;
    }
    if is_camel_case_words(s) || has_short_period(s) {
        return true;
    }
    let (seq, rep) = longest_run(s);
    if seq >= 5 || rep >= 6 {
        return true;
    }
    // Very few distinct characters: `sk-0000…`, `abababab`.
    let mut seen = [false; 256];
    let mut distinct = 0;
    for &b in s {
        if !seen[b as usize] {
            seen[b as usize] = true;
            distinct += 1;
        }
    }
    s.len() >= 12 && distinct * 4 < s.len().min(40)
}

/// Fillers long enough that a random body never holds one in practice (seven characters
/// or more), matched as written in lowercase, UPPERCASE or Capitalized.
const LONG_FILLERS: &[&str] = &[
    "example",
    "placeholder",
    "redacted",
    "replace",
    "changeme",
    "change_me",
    "change-me",
    "notreal",
    "not_real",
    "not-real",
    "your_key",
    "your-key",
    "yourkey",
    "your_api",
    "your-api",
    "yourapi",
    "your_token",
    "your-token",
    "yourtoken",
    "key_here",
    "key-here",
    "keyhere",
    "token_here",
    "apikeyhere",
    "put_your",
    "enter_your",
    "insert_your",
    "password",
];

/// Marks that no key alphabet holds: an ellipsis, stars, a template, angle brackets.
const MARKS: &[&str] = &["...", "\u{2026}", "***", "${", "{{", "$(", "<", ">"];

/// Whether `hay` holds `word` (lowercase) as written in lowercase, UPPERCASE or
/// Capitalized (not in any mixed case, which random bodies produce far more often).
fn contains_cased(hay: &[u8], word: &[u8]) -> bool {
    let n = word.len();
    hay.len() >= n
        && hay.windows(n).any(|w| {
            w == word
                || w.iter()
                    .zip(word)
                    .all(|(a, b)| *a == b.to_ascii_uppercase())
                || (w[0] == word[0].to_ascii_uppercase() && w[1..] == word[1..])
        })
}

/// How many characters of `s` stand in runs of four or more characters that repeat
/// (`xxxx`) or count up or down (`abcd`, `4321`, case-folded).
fn run_coverage(s: &[u8]) -> usize {
    let mut covered = vec![false; s.len()];
    let mark = |covered: &mut Vec<bool>, from: usize, to: usize| {
        if to - from >= 4 {
            covered[from..to].iter_mut().for_each(|c| *c = true);
        }
    };
    // Repeats.
    let mut from = 0;
    for i in 1..=s.len() {
        if i == s.len() || s[i] != s[from] {
            mark(&mut covered, from, i);
            from = i;
        }
    }
    // Sequences, one direction at a time.
    for dir in [1i16, -1] {
        let mut from = 0;
        for i in 1..=s.len() {
            let continues = i < s.len() && {
                let (a, b) = (s[i - 1].to_ascii_lowercase(), s[i].to_ascii_lowercase());
                a.is_ascii_alphanumeric()
                    && b.is_ascii_alphanumeric()
                    && i16::from(b) - i16::from(a) == dir
            };
            if !continues {
                mark(&mut covered, from, i);
                from = i;
            }
        }
    }
    covered.iter().filter(|&&c| c).count()
}

/// Whether the variable part of a key (the text after its format's fixed prefix) is a
/// known placeholder: a long filler (`your_key_here`, `EXAMPLE`, `REDACTED`), a mark no
/// key holds (`...`, `***`, `<`), or a body made over its whole length of repeated or
/// sequential characters (`xxxx…`, `0000…`, `abcdef…0123…`, a short block repeated).
///
/// Unlike [`is_placeholder`], a random body of any key alphabet practically never
/// passes: this is the only placeholder test that may drop a match of a rule whose
/// format is unique (a distinctive prefix, a marker or a checksum).
pub fn is_known_placeholder(body: &[u8]) -> bool {
    if MARKS.iter().any(|m| contains_ci(body, m.as_bytes())) {
        return true;
    }
    if LONG_FILLERS
        .iter()
        .any(|f| contains_cased(body, f.as_bytes()))
    {
        return true;
    }
    if body.len() < 8 {
        return false;
    }
    let mut seen = [false; 256];
    let mut distinct = 0;
    for &b in body {
        if !seen[b as usize] {
            seen[b as usize] = true;
            distinct += 1;
        }
    }
    has_short_period(body)
        || (body.len() >= 12 && distinct * 5 < body.len().min(40))
        || run_coverage(body) * 5 >= body.len() * 3
}
