//! Filters that tell a key from the text that documents one: entropy, placeholder
//! fillers (`your_key_here`, `xxxx`, `...`, `EXAMPLE`), runs of repeated or sequential
//! characters, template references (`${VAR}`, `{{ secrets.X }}`), and, for generic
//! rules, values that are identifiers or code rather than secrets.

/// Shannon entropy of `s` in bits per byte.
pub fn entropy(s: &[u8]) -> f64 {
    if s.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in s {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

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

fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
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

/// Whether a free-form value (from a generic rule) looks like code or configuration
/// rather than a secret: an identifier or dotted path (`process.env.OPENAI_API_KEY`),
/// a reference (`$VAR`, `%VAR%`, `@VAR@`), a file path, a URL, or text with no digit.
pub fn is_not_a_secret_value(v: &[u8]) -> bool {
    let Some(&first) = v.first() else { return true };
    if matches!(
        first,
        b'$' | b'%' | b'@' | b'&' | b'*' | b'#' | b'/' | b'.' | b'~' | b'\\'
    ) {
        return true;
    }
    if !v.iter().any(u8::is_ascii_digit) {
        return true;
    }
    // A template (`{{ .Values.x }}`, `{name}`, `{alnum:14}`), not a value.
    if v.contains(&b'{') && v.contains(&b'}') {
        return true;
    }
    if !v.iter().any(u8::is_ascii_alphabetic) {
        return true;
    }
    // CONSTANT_CASE or snake_case names with a digit (`API_KEY_V2`, `token_2fa_enabled`).
    let identifier = v
        .iter()
        .all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
        && (v.iter().all(|&b| !b.is_ascii_lowercase())
            || v.iter().all(|&b| !b.is_ascii_uppercase()))
        && v.iter().filter(|b| b.is_ascii_digit()).count() * 4 < v.len()
        && v.contains(&b'_');
    if identifier {
        return true;
    }
    contains_ci(v, b"http") || contains_ci(v, b"://") || encodes_plain_words(v)
}

/// Whether `v` is base64 of readable words (`YWxpY2U6c2VjcmV0` is `alice:secret`): test
/// fixtures of HTTP authentication, not credentials.
fn encodes_plain_words(v: &[u8]) -> bool {
    if v.len() < 8 || !v.len().is_multiple_of(4) {
        return false;
    }
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        } as u32)
    };
    let body = v
        .strip_suffix(b"==")
        .or_else(|| v.strip_suffix(b"="))
        .unwrap_or(v);
    let mut out = Vec::with_capacity(body.len());
    let (mut acc, mut bits) = (0u32, 0);
    for &c in body {
        let Some(d) = value(c) else { return false };
        acc = (acc << 6) | d;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    !out.is_empty()
        && out.iter().all(|&b| {
            b.is_ascii_lowercase() || matches!(b, b':' | b'-' | b'_' | b'.' | b'@' | b' ')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_of_simple_strings() {
        assert_eq!(entropy(b""), 0.0);
        assert_eq!(entropy(b"aaaa"), 0.0);
        assert!((entropy(b"abcd") - 2.0).abs() < 1e-9);
    }

    #[test]
    fn documentation_fillers_are_placeholders() {
        for p in [
            "sk-proj-your_openai_key_here",
            "sk-ant-api03-xyz789...",
            "AIzaSyYour_gemini_key_here",
            "sk-your-api-key-here",
            "xai-YOUR-KEY",
            "gsk_your_key_here",
            "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "sk-00000000000000000000000000000000",
            "AKIAIOSFODNN7EXAMPLE",
            "sk-ant-api03-abc123xyz-456def789ghij-klmnopqrstuvwx",
            "wandb_v1_REDACTED",
            "sk_live_***",
        ] {
            assert!(is_placeholder(p.as_bytes()), "{p}");
        }
        // An identifier after `hf_` (a known false positive of other scanners), built at
        // run time so no key-shaped literal is committed.
        let camel = ["required", "Characteristics", "Of", "The", "Model", "X"].concat();
        assert!(is_placeholder(camel.as_bytes()));
    }

    #[test]
    fn random_bodies_are_not_placeholders() {
        // Bodies drawn at run time: the repository holds no key-shaped literal.
        let mut rng = crate::rules::template::Rng::new(42);
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let mut flagged = 0;
        for _ in 0..1000 {
            let body: Vec<u8> = (0..40)
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect();
            flagged += usize::from(is_placeholder(&body));
        }
        assert!(flagged <= 2, "{flagged} of 1000 random bodies flagged");
    }

    #[test]
    fn code_values_are_not_secrets() {
        for v in [
            "process.env.OPENAI_API_KEY",
            "$OPENAI_API_KEY",
            "API_KEY_V2",
            "get_token",
            "/etc/x1",
        ] {
            assert!(is_not_a_secret_value(v.as_bytes()), "{v}");
        }
        assert!(!is_not_a_secret_value(b"9fQ2xLk7Tz4wPq1R"));
        // base64 of "alice:secret-passwd" and of "a-git-token"
        assert!(is_not_a_secret_value(b"YWxpY2U6c2VjcmV0LXBhc3N3ZA=="));
        assert!(is_not_a_secret_value(b"YS1naXQtdG9rZW4="));
    }
}
