//! A secret that redacts itself: `Display` and `Debug` show a short prefix and `…`;
//! only [`Secret::expose`] gives the whole value, for `--no-redact` and hashing.

use std::fmt;

#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Secret(String);

impl Secret {
    pub fn new(bytes: &[u8]) -> Secret {
        Secret(String::from_utf8_lossy(bytes).into_owned())
    }

    /// The whole secret. Use only where the user asked for it or to hash it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A short prefix and `…`: the format's prefix (up to its last `-` or `_` in the
    /// first 16 characters) and two more characters, never more than a third of the
    /// secret.
    pub fn redacted(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        let prefix = chars
            .iter()
            .take(16)
            .rposition(|&c| c == '-' || c == '_')
            .map_or(0, |i| i + 1);
        let shown = (prefix + 2).min((chars.len() / 3).max(2)).min(chars.len());
        let mut out: String = chars[..shown]
            .iter()
            .map(|&c| if c.is_control() { '?' } else { c })
            .collect();
        out.push('…');
        out
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
    fn redaction_keeps_the_format_prefix() {
        let body = "Ab".repeat(47);
        let s = Secret::new(format!("sk-ant-api03-{body}").as_bytes());
        assert_eq!(s.redacted(), "sk-ant-api03-Ab…");
        assert_eq!(format!("{s:?}"), "Secret(sk-ant-api03-Ab…)");
        assert_eq!(Secret::new(b"Q9xL2mT7vB4nR8kW").redacted(), "Q9…");
        assert_eq!(Secret::new(b"AKIAQ9XL2MT7VB4NR8KW").redacted(), "AK…");
    }
}
