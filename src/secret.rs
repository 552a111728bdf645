//! A secret that redacts itself: `Display` and `Debug` show its format's fixed prefix,
//! at most two more characters and `…`; only [`Secret::expose`] gives the whole value,
//! for `--no-redact` and hashing. [`redact`] is the one redaction every output uses.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

/// Characters shown past the format's fixed prefix, at most.
pub const SHOWN_PAST_PREFIX: usize = 2;

/// `value` redacted: its first `fixed_prefix` characters (the literal prefix its format
/// fixes, such as `sk-ant-api03-` or `AKIA`; 0 for formats without one), at most
/// [`SHOWN_PAST_PREFIX`] more, never more than a third of the value past two characters
/// and never the whole value, then `…`. Control characters show as `?`.
pub fn redact(value: &str, fixed_prefix: usize) -> String {
    let len = value.chars().count();
    let shown = (fixed_prefix.min(len) + SHOWN_PAST_PREFIX)
        .min((len / 3).max(SHOWN_PAST_PREFIX))
        .min(len.saturating_sub(1));
    let mut out: String = value
        .chars()
        .take(shown)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    out.push('…');
    out
}

/// A secret value and the length (in characters) of its format's fixed prefix.
#[derive(Clone)]
pub struct Secret {
    value: String,
    prefix: usize,
}

impl Secret {
    /// A secret whose format fixes no prefix: redacted to two characters.
    pub fn new(bytes: &[u8]) -> Secret {
        Secret::with_prefix(bytes, 0)
    }

    /// A secret whose first `prefix_bytes` bytes are its format's fixed prefix.
    pub fn with_prefix(bytes: &[u8], prefix_bytes: usize) -> Secret {
        let prefix_bytes = prefix_bytes.min(bytes.len());
        Secret {
            value: String::from_utf8_lossy(bytes).into_owned(),
            prefix: String::from_utf8_lossy(&bytes[..prefix_bytes])
                .chars()
                .count(),
        }
    }

    /// The whole secret. Use only where the user asked for it or to hash it.
    pub fn expose(&self) -> &str {
        &self.value
    }

    /// The redacted form (see [`redact`]).
    pub fn redacted(&self) -> String {
        redact(&self.value, self.prefix)
    }
}

// Two secrets are the same when their values are.
impl PartialEq for Secret {
    fn eq(&self, other: &Secret) -> bool {
        self.value == other.value
    }
}

impl Eq for Secret {}

impl Hash for Secret {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.hash(state)
    }
}

impl PartialOrd for Secret {
    fn partial_cmp(&self, other: &Secret) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Secret {
    fn cmp(&self, other: &Secret) -> Ordering {
        self.value.cmp(&other.value)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_keeps_the_fixed_prefix_and_two_characters() {
        let body = "Ab".repeat(47);
        let s = Secret::with_prefix(format!("sk-ant-api03-{body}").as_bytes(), 13);
        assert_eq!(s.redacted(), "sk-ant-api03-Ab…");
        assert_eq!(format!("{s:?}"), "Secret(sk-ant-api03-Ab…)");
        assert_eq!(Secret::new(b"Q9xL2mT7vB4nR8kW").redacted(), "Q9…");
        assert_eq!(
            Secret::with_prefix(b"AKIAQ9XL2MT7VB4NR8KW", 4).redacted(),
            "AKIAQ9…"
        );
    }

    #[test]
    fn separators_in_the_random_body_show_nothing_more() {
        // A base64url body with `-` and `_` early on: only two characters past the
        // fixed prefix, never up to the last separator.
        let s = Secret::with_prefix(b"ghp_a-b_c-d_e-f_ghijklmnopqrstuvwxyz0123", 4);
        assert_eq!(s.redacted(), "ghp_a-…");
        assert_eq!(redact("x-y_zAbCdEfGhIjKl", 0), "x-…");
    }

    #[test]
    fn never_the_whole_value() {
        for v in ["", "a", "ab", "abc", "abcdef"] {
            let r = redact(v, 10);
            assert!(r.chars().count() <= v.chars().count().max(1), "{v}: {r}");
            assert!(v.is_empty() || !r.starts_with(v), "{v}: {r}");
        }
        assert_eq!(redact("a\nbcdefghi", 0), "a?…");
    }
}
