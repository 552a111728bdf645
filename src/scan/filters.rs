//! Filters that tell a key from the text that documents one: entropy, placeholder
//! fillers (`your_key_here`, `xxxx`, `...`, `EXAMPLE`), runs of repeated or sequential
//! characters, template references (`${VAR}`, `{{ secrets.X }}`), and, for generic
//! rules, values that are identifiers or code rather than secrets. What a placeholder
//! looks like is the rules' knowledge (`rules::placeholder`); this file applies it.

pub use crate::rules::placeholder::{contains_ci, is_known_placeholder, is_placeholder};

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

/// Whether `s` is a constant's name in SCREAMING_SNAKE_CASE (`GITLAB_PRIVATE_TOKEN`):
/// a list of variable names, not a value. A random key of a non-unique format has this
/// shape about once in 60,000 draws of 20 characters from `[A-Za-z0-9_-]`, and never
/// when its alphabet has no `_`.
pub fn is_constant_name(s: &[u8]) -> bool {
    s.first().is_some_and(u8::is_ascii_uppercase)
        && s.contains(&b'_')
        && !s.ends_with(b"_")
        && !s.windows(2).any(|w| w == b"__")
        && s.iter()
            .all(|&b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// The lowest entropy (bits per character) a random string like `s` has in practice:
/// the expected entropy of `s.len()` characters drawn from the smallest common key
/// alphabet that holds `s` (hex, base32, base36, alphanumeric, base64), less ten times
/// its spread. A rule's entropy minimum above this floor would drop real keys of its own
/// format now and then (a random hex key of 32 digits falls under 3.0 about once in
/// ten thousand), so a provider rule's minimum is capped at it.
pub fn random_entropy_floor(s: &[u8]) -> f64 {
    let n = s.len();
    if n < 2 {
        return 0.0;
    }
    // Separators (`-` in a UUID, `_` or `.` between parts) count as one more symbol.
    let body: Vec<u8> = s
        .iter()
        .copied()
        .filter(|b| !matches!(b, b'-' | b'_' | b'.'))
        .collect();
    let separators = if body.len() < n { 1.0 } else { 0.0 };
    let all = |f: fn(&u8) -> bool| body.iter().all(f);
    let a: f64 = if all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
        || all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(b))
    {
        16.0
    } else if all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(b)) {
        32.0
    } else if all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
        || all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
    {
        36.0
    } else if all(u8::is_ascii_alphanumeric) {
        62.0
    } else {
        64.0
    } + separators;
    let n = n as f64;
    let ln2 = std::f64::consts::LN_2;
    let expected = a.log2() - (a - 1.0) / (2.0 * n * ln2);
    let spread = ((a.min(n) - 1.0) / 2.0).sqrt() / (n * ln2);
    (expected - 10.0 * spread).max(0.0)
}

/// Letter pairs of two consonants that English words often hold; any other consonant
/// pair makes a run of letters read as random.
const CONSONANT_PAIRS: &[&str] = &[
    "bl", "br", "ch", "ck", "cl", "cr", "ct", "dr", "ds", "fl", "fr", "ft", "gh", "gl", "gn", "gr",
    "ld", "lf", "lk", "ll", "lm", "lp", "ls", "lt", "mb", "mm", "mp", "ms", "nc", "nd", "ng", "nk",
    "nn", "ns", "nt", "ph", "pl", "pp", "pr", "ps", "pt", "rc", "rd", "rg", "rk", "rl", "rm", "rn",
    "rp", "rr", "rs", "rt", "rv", "sc", "sh", "sk", "sl", "sm", "sn", "sp", "ss", "st", "sw", "th",
    "tl", "tr", "ts", "tt", "tw", "wh", "wn", "wr", "xt", "ly", "ny", "ry", "ty", "dy", "gy", "my",
    "py", "by", "fy", "sy", "wy", "cy", "ky", "ye", "yo", "ya", "yi", "yu", "nf", "nv", "rb", "rf",
    "bs", "cs", "gs", "ks", "ws", "lv", "nl", "pc", "dl", "tc", "rh", "sq", "nr", "dw",
];

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Whether a letters-only body reads as camelCase English words
/// (`requiredCharacteristicsOfTheModel…`) rather than random letters: lowercase words
/// that each start with one capital, long on average, a third of the letters vowels, and
/// nearly every pair of letters inside a word one that English spells. Random letters
/// fail each test by itself with a probability well under one in a thousand, and all of
/// them together practically never, so keys are not dropped for it.
pub fn looks_like_words(s: &[u8]) -> bool {
    if s.len() < 16 || !s.iter().all(u8::is_ascii_alphabetic) {
        return false;
    }
    // camelCase: no two capitals side by side except at the very end, first lowercase.
    if s[0].is_ascii_uppercase() && s.get(1).is_some_and(u8::is_ascii_uppercase) {
        return false;
    }
    let capitals = s.iter().filter(|b| b.is_ascii_uppercase()).count();
    if capitals * 4 > s.len() {
        return false;
    }
    let body = &s[..s.len() - 1];
    if body
        .windows(2)
        .any(|w| w[0].is_ascii_uppercase() && w[1].is_ascii_uppercase())
    {
        return false;
    }
    let lower: Vec<u8> = s.iter().map(u8::to_ascii_lowercase).collect();
    let vowels = lower.iter().filter(|&&b| is_vowel(b) || b == b'y').count();
    if vowels * 3 < s.len() {
        return false;
    }
    // Pairs inside a word (not across a capital).
    let (mut pairs, mut odd) = (0, 0);
    for i in 1..s.len() {
        if s[i].is_ascii_uppercase() {
            continue;
        }
        let (a, b) = (lower[i - 1], lower[i]);
        pairs += 1;
        if !is_vowel(a) && !is_vowel(b) && !CONSONANT_PAIRS.iter().any(|p| p.as_bytes() == [a, b]) {
            odd += 1;
        }
    }
    odd * 10 <= pairs
}

/// Common words of example passwords (`SuperSecretPass01`, `Passw0rd!`, `hunter2`,
/// `changeme`, `AviNetworks123!`, `MySuperSecureP4sswOrd`).
const PASSWORD_WORDS: &[&str] = &[
    "abc",
    "access",
    "admin",
    "administrator",
    "alice",
    "angel",
    "another",
    "apache",
    "api",
    "app",
    "apple",
    "bacon",
    "bad",
    "banana",
    "bar",
    "baseball",
    "baz",
    "beer",
    "black",
    "blue",
    "bob",
    "bogus",
    "cat",
    "change",
    "changeme",
    "cisco",
    "cloud",
    "code",
    "coffee",
    "cool",
    "correct",
    "crazy",
    "database",
    "david",
    "db",
    "default",
    "demo",
    "dev",
    "devel",
    "development",
    "diamond",
    "dog",
    "doe",
    "domain",
    "dragon",
    "dummy",
    "easy",
    "egg",
    "eggs",
    "enter",
    "example",
    "fake",
    "fire",
    "first",
    "foo",
    "foobar",
    "football",
    "fun",
    "geheim",
    "god",
    "gold",
    "good",
    "guest",
    "hack",
    "hacker",
    "ham",
    "happy",
    "hard",
    "hello",
    "help",
    "home",
    "hunter",
    "ice",
    "initial",
    "invalid",
    "jane",
    "joe",
    "john",
    "key",
    "king",
    "letmein",
    "lion",
    "local",
    "login",
    "logon",
    "long",
    "love",
    "lucky",
    "magic",
    "mail",
    "manager",
    "master",
    "me",
    "mike",
    "mock",
    "monkey",
    "moon",
    "my",
    "mypass",
    "mysql",
    "network",
    "networks",
    "new",
    "next",
    "nice",
    "ninja",
    "no",
    "office",
    "old",
    "one",
    "open",
    "oracle",
    "orange",
    "other",
    "our",
    "pass",
    "passphrase",
    "passw",
    "passwd",
    "password",
    "phrase",
    "pirate",
    "pizza",
    "postgres",
    "power",
    "princess",
    "private",
    "prod",
    "production",
    "pw",
    "pwd",
    "qwerty",
    "queen",
    "random",
    "really",
    "red",
    "reset",
    "rock",
    "root",
    "ruby",
    "sample",
    "second",
    "secret",
    "secrets",
    "secure",
    "security",
    "server",
    "service",
    "sesame",
    "shadow",
    "silver",
    "simple",
    "some",
    "something",
    "spam",
    "stage",
    "staging",
    "star",
    "storm",
    "strong",
    "stub",
    "summer",
    "sun",
    "sunshine",
    "super",
    "system",
    "team",
    "temp",
    "test",
    "tester",
    "testing",
    "the",
    "thing",
    "thunder",
    "tiger",
    "tmp",
    "token",
    "top",
    "trust",
    "update",
    "updated",
    "user",
    "username",
    "very",
    "welcome",
    "white",
    "winter",
    "wizard",
    "word",
    "world",
    "wrong",
    "xyz",
    "your",
];

/// Whether `c` (from a value) spells the letter `w`, as written or as a leet digit or
/// symbol (`P4ssw0rd`, `$ecret`, `p@ss`).
fn spells(c: u8, w: u8) -> bool {
    c.to_ascii_lowercase() == w
        || matches!(
            (c, w),
            (b'0', b'o')
                | (b'1', b'i')
                | (b'1', b'l')
                | (b'3', b'e')
                | (b'4', b'a')
                | (b'5', b's')
                | (b'7', b't')
                | (b'8', b'b')
                | (b'@', b'a')
                | (b'$', b's')
                | (b'!', b'i')
        )
}

/// Whether a value is a common example password: dictionary words (as written or in
/// leet spelling) with digits and symbols, and nothing else (`SuperSecret123`,
/// `Passw0rd!`, `hunter42`, `B0bP4ssw0rd`). At least one word has four letters or more.
pub fn is_example_password(v: &[u8]) -> bool {
    let n = v.len();
    if !(4..=64).contains(&n) {
        return false;
    }
    // reach[i]: the prefix of length i can be read; long[i]: with a word of 4+ letters.
    let mut reach = vec![false; n + 1];
    let mut long = vec![false; n + 1];
    reach[0] = true;
    for i in 0..n {
        if !reach[i] {
            continue;
        }
        if !v[i].is_ascii_alphabetic() {
            reach[i + 1] = true;
            long[i + 1] |= long[i];
        }
        for w in PASSWORD_WORDS {
            let w = w.as_bytes();
            if i + w.len() <= n && v[i..i + w.len()].iter().zip(w).all(|(&c, &l)| spells(c, l)) {
                reach[i + w.len()] = true;
                long[i + w.len()] |= long[i] || w.len() >= 4;
            }
        }
    }
    reach[n] && long[n]
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
    // A package requirement (`langchain==0.1.20`, `django~=4.2`): a version, not a secret
    // (base64 padding `==` is never followed by a digit).
    if v.windows(3)
        .any(|w| matches!(&w[..2], b"==" | b"~=") && w[2].is_ascii_digit())
    {
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
    let http = v.len() >= 4 && v[..4].eq_ignore_ascii_case(b"http");
    http || contains_ci(v, b"://") || encodes_plain_words(v)
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
    fn constant_names_are_not_values() {
        assert!(is_constant_name(b"GITLAB_PRIVATE_TOKEN"));
        assert!(is_constant_name(b"GL_TOKEN_2"));
        assert!(!is_constant_name(b"GITLABPRIVATETOKEN20"));
        assert!(!is_constant_name(b"Gx7_k2LmQ9zR4tY8pW3n"));
        assert!(!is_constant_name(b"_LEADING_UNDERSCORE"));
    }

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
    fn entropy_floors_sit_under_random_keys() {
        // 32 hex digits: random keys fall under 3.0 about once in ten thousand.
        let hex = "0123456789abcdef".repeat(2);
        let floor = random_entropy_floor(hex.as_bytes());
        assert!((2.0..3.0).contains(&floor), "{floor}");
        // A UUID: hex digits and dashes.
        let uuid = "d0b1183d-b180-4117-bb01-b17c7bb3b101";
        assert!(random_entropy_floor(uuid.as_bytes()) < entropy(uuid.as_bytes()));
        // 40 base64 characters: a minimum of 4.1 is capped.
        let b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn+/";
        assert!(random_entropy_floor(b64.as_bytes()) < 4.1);
    }

    #[test]
    fn known_placeholders_and_words() {
        for p in [
            "IOSFODNN7EXAMPLE",
            "xxxxxxxxxxxxxxxxxxxxxxxx",
            "0123456789abcdefghijklmnop",
        ] {
            assert!(is_known_placeholder(p.as_bytes()), "{p}");
        }
        let camel = ["required", "Characteristics", "Of", "The", "Model", "X"].concat();
        assert!(looks_like_words(camel.as_bytes()));
        let mut rng = crate::rules::template::Rng::new(7);
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        for _ in 0..20_000 {
            let body: Vec<u8> = (0..34)
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect();
            assert!(!looks_like_words(&body) && !is_known_placeholder(&body));
        }
        for p in ["Passw0rd!", "hunter2", "SuperSecretPass01", "changeme"] {
            assert!(is_example_password(p.as_bytes()), "{p}");
        }
        assert!(!is_example_password(b"Hfd6fds^dfA8Ga"));
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
