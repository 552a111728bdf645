//! What a variable's name or value looks like, before or besides any key format: names
//! made only of generic words, values that are file paths, references to other variables
//! or quoted, and provider names that mean the same provider.
//!
//! Plain text tests: it must not know rules, the matcher or verdicts.

/// Whether `a` and `b` name the same provider: equal, or one is the other followed by a
/// product (`Google` and `Google Gemini`).
pub(super) fn same_provider(a: &str, b: &str) -> bool {
    let extends = |long: &str, short: &str| {
        long.strip_prefix(short)
            .is_some_and(|rest| rest.starts_with(' '))
    };
    a == b || extends(a, b) || extends(b, a)
}

/// Words that name a kind of secret or a role, not a provider: a name made only of them
/// (`ACCESS_TOKEN`, `SSH_PRIVATE_KEY`, `CI_JOB_TOKEN`) may hold any kind of secret.
const GENERIC_WORDS: &[&str] = &[
    "ACCESS",
    "ACCOUNT",
    "API",
    "APP",
    "AUTH",
    "BEARER",
    "BOT",
    "CI",
    "CLIENT",
    "CONNECTION",
    "CREDENTIAL",
    "CREDENTIALS",
    "DATABASE",
    "DB",
    "DEPLOY",
    "GPG",
    "ID",
    "JOB",
    "JSON",
    "JWT",
    "KEY",
    "OAUTH",
    "PGP",
    "PRIVATE",
    "REFRESH",
    "REGISTRATION",
    "SECRET",
    "SERVER",
    "SERVICE",
    "SESSION",
    "SIGNING",
    "SSH",
    "SSL",
    "STRING",
    "TLS",
    "TOKEN",
    "URI",
    "URL",
    "USER",
];

/// Whether the upper-case name `upper` is made only of [`GENERIC_WORDS`].
pub(super) fn only_generic_words(upper: &str) -> bool {
    upper
        .split(['_', '-', '.'])
        .filter(|w| !w.is_empty())
        .all(|w| GENERIC_WORDS.contains(&w))
}

/// A value that names a file rather than holding a key.
pub(super) fn looks_like_path(v: &str) -> bool {
    let b = v.as_bytes();
    v.starts_with('/')
        || v.starts_with("./")
        || v.starts_with("../")
        || v.starts_with("~/")
        || (b.len() > 2
            && b[0].is_ascii_alphabetic()
            && b[1] == b':'
            && matches!(b[2], b'\\' | b'/'))
}

/// A reference to another variable (`$VAR`, `${VAR}`, `%VAR%`), left for a loader or
/// shell to expand.
pub(super) fn is_reference(v: &str) -> bool {
    v.starts_with('$') || (v.len() > 2 && v.starts_with('%') && v.ends_with('%'))
}

/// Surrounded by a pair of quotes that a loader did not remove.
pub(super) fn is_quoted(v: &str) -> bool {
    v.len() >= 2
        && ['"', '\'', '`']
            .iter()
            .any(|&q| v.starts_with(q) && v.ends_with(q))
}
