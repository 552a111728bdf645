//! Example templates: how rule files describe keys without committing one.
//!
//! A template is text with placeholders that are expanded into random characters when
//! a test or `keyward rules check` runs, so the repository never holds a format-valid
//! key literal:
//!
//! | placeholder | expands to |
//! | --- | --- |
//! | `{alnum:N}` | N characters of `[A-Za-z0-9]` |
//! | `{hex:N}` / `{HEX:N}` | N lowercase / uppercase hex digits |
//! | `{alpha:N}`, `{lower:N}` / `{upper:N}` / `{digit:N}` | N letters / digits |
//! | `{base32:N}` | N characters of `[A-Z2-7]` |
//! | `{base36:N}` | N characters of `[0-9a-z]` |
//! | `{base64:N}` / `{base64url:N}` | N characters of `[A-Za-z0-9+/]` / `[A-Za-z0-9_-]` |
//! | `{bech32:N}` / `{BECH32:N}` | N characters of the bech32 alphabet, lower / upper case |
//! | `{oneof:CHARS}` | one character of CHARS |
//! | `{b64.CLASS:N}` | the base64 of N characters of CLASS (`{b64.alnum:24}`) |
//! | `{b64.cred:N}` | the base64 of `deploy:`, N characters of `[A-Za-z0-9]` and two digits (HTTP Basic, Docker `auth`) |
//! | `{checksum}` | the rule's checksum over the text before it (in `key` templates) |
//! | `{key}` | a fresh key from the rule's `key` template (in `examples`) |
//!
//! `{{` and `}}` stand for literal braces.
//!
//! It must not know the matcher: what a placeholder looks like comes from
//! `placeholder`.

use super::checksum;
use super::placeholder;
use super::Checksum;
use std::fmt;

/// A template that could not be expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError(pub String);

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TemplateError {}

/// A small, seedable random generator (xorshift64*); good enough for fake keys.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// A generator seeded from the clock and the process id.
    pub fn from_entropy() -> Rng {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Rng::new(nanos ^ (u64::from(std::process::id()) << 32))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

fn alphabet(class: &str) -> Option<&'static [u8]> {
    Some(match class {
        "alnum" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        "hex" => b"0123456789abcdef",
        "HEX" => b"0123456789ABCDEF",
        "alpha" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
        "lower" => b"abcdefghijklmnopqrstuvwxyz",
        "upper" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "digit" => b"0123456789",
        "base32" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
        "base36" => b"0123456789abcdefghijklmnopqrstuvwxyz",
        "base64" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        "base64url" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
        "bech32" => b"qpzry9x8gf2tvdw0s3jn54khce6mua7l",
        "BECH32" => b"QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L",
        _ => return None,
    })
}

/// The most characters one placeholder expands to (the longest key format, a PEM private
/// key body, is a few thousand); a larger count is an error, not a huge allocation.
pub const MAX_RUN: usize = 16 * 1024;

/// What `{key}` and `{checksum}` expand to while a template is expanded.
#[derive(Default, Clone, Copy)]
pub struct Context<'a> {
    pub checksum: Option<Checksum>,
    pub key_template: Option<&'a str>,
}

/// Expand an example text once (`{key}` draws a fresh key).
pub fn expand(template: &str, ctx: Context<'_>, rng: &mut Rng) -> Result<String, TemplateError> {
    expand_once(template, ctx, rng, true)
}

/// Expand an example text with every random run (and `{key}`) drawn once, never drawn
/// again for looking like a placeholder: the keys a property test feeds the matcher,
/// which must find every one of them.
pub fn expand_unfiltered(
    template: &str,
    ctx: Context<'_>,
    rng: &mut Rng,
) -> Result<String, TemplateError> {
    expand_once(template, ctx, rng, false)
}

/// Expand a key template. Random runs are drawn again (up to a bound) while the key
/// would look like a placeholder (an accidental `abcde` run or `Example` inside a random
/// body), so generated keys always look real.
pub fn expand_key(
    template: &str,
    checksum: Option<Checksum>,
    rng: &mut Rng,
) -> Result<String, TemplateError> {
    let ctx = Context {
        checksum,
        key_template: None,
    };
    let mut key = expand_once(template, ctx, rng, true)?;
    for _ in 0..64 {
        if !placeholder::is_placeholder(key.as_bytes()) {
            break;
        }
        key = expand_once(template, ctx, rng, true)?;
    }
    Ok(key)
}

fn expand_once(
    template: &str,
    ctx: Context<'_>,
    rng: &mut Rng,
    filtered: bool,
) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(template.len() * 2);
    let mut rest = template;
    while let Some(pos) = rest.find(['{', '}']) {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        if tail.starts_with('}') {
            return Err(TemplateError(format!(
                "unmatched '}}' in template {template:?}"
            )));
        }
        let end = tail
            .find('}')
            .ok_or_else(|| TemplateError(format!("unclosed '{{' in template {template:?}")))?;
        let token = &tail[1..end];
        rest = &tail[end + 1..];
        match token.split_once(':') {
            None if token == "checksum" => {
                let kind = ctx.checksum.ok_or_else(|| {
                    TemplateError("{checksum} in a rule that has no checksum".into())
                })?;
                out.push_str(&checksum::compute(kind, &out));
            }
            None if token == "key" => {
                let key = ctx.key_template.ok_or_else(|| {
                    TemplateError("{key} in a rule that has no key template".into())
                })?;
                let key = if filtered {
                    expand_key(key, ctx.checksum, rng)?
                } else {
                    let inner = Context {
                        checksum: ctx.checksum,
                        key_template: None,
                    };
                    expand_once(key, inner, rng, false)?
                };
                out.push_str(&key);
            }
            Some((class, count)) if class.starts_with("b64.") => {
                let inner = match &class[4..] {
                    "cred" => format!("deploy:{{alnum:{count}}}{{digit:2}}"),
                    c => format!("{{{c}:{count}}}"),
                };
                let plain = expand_once(&inner, Context::default(), rng, filtered)?;
                out.push_str(&base64_encode(plain.as_bytes()));
            }
            Some(("oneof", chars)) if !chars.is_empty() => {
                let chars: Vec<char> = chars.chars().collect();
                out.push(chars[rng.below(chars.len())]);
            }
            Some((class, count)) => {
                let set = alphabet(class).ok_or_else(|| {
                    TemplateError(format!("unknown class {class:?} in template {template:?}"))
                })?;
                let n: usize = count.parse().map_err(|_| {
                    TemplateError(format!("bad count {count:?} in template {template:?}"))
                })?;
                if n > MAX_RUN {
                    return Err(TemplateError(format!(
                        "count {n} in template {template:?} is more than {MAX_RUN} characters; \
                         no key is that long"
                    )));
                }
                // Draw again while a long run looks like a filler (`xxxx`, `abcde`, a
                // leading `test-`), so examples are never dropped as placeholders.
                let mut run = String::with_capacity(n);
                for _ in 0..64 {
                    run.clear();
                    run.extend((0..n).map(|_| set[rng.below(set.len())] as char));
                    if !filtered || n < 8 || !placeholder::is_placeholder(run.as_bytes()) {
                        break;
                    }
                }
                out.push_str(&run);
            }
            None => {
                return Err(TemplateError(format!(
                    "unknown placeholder {{{token}}} in template {template:?}"
                )))
            }
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// Standard base64 with padding (for `{b64.…}` placeholders).
pub fn base64_encode(bytes: &[u8]) -> String {
    const SET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(SET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_classes_and_literals() {
        let mut rng = Rng::new(7);
        let s = expand("a{hex:8}-{{x}}", Context::default(), &mut rng).unwrap();
        assert_eq!(s.len(), 1 + 8 + 1 + 3);
        assert!(s.starts_with('a') && s.ends_with("-{x}"));
        assert!(s[1..9].bytes().all(|b| b.is_ascii_hexdigit()));
    }

    #[test]
    fn bech32_classes_draw_from_the_bech32_alphabet() {
        let mut rng = Rng::new(11);
        let s = expand("{bech32:200}{BECH32:200}", Context::default(), &mut rng).unwrap();
        assert_eq!(s.len(), 400);
        // bech32 leaves out 1, b, i and o.
        assert!(s[..200]
            .bytes()
            .all(|b| b"qpzry9x8gf2tvdw0s3jn54khce6mua7l".contains(&b)));
        assert!(s[200..]
            .bytes()
            .all(|b| b"QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L".contains(&b)));
    }

    #[test]
    fn b64_placeholders_encode_a_random_run() {
        assert_eq!(base64_encode(b"deploy:ab"), "ZGVwbG95OmFi");
        assert_eq!(base64_encode(b"a"), "YQ==");
        let mut rng = Rng::new(5);
        let s = expand("{b64.cred:20}", Context::default(), &mut rng).unwrap();
        assert_eq!(s.len(), 40);
        assert!(s.starts_with("ZGVwbG95O"));
        let s = expand("{b64.hex:6}", Context::default(), &mut rng).unwrap();
        assert_eq!(s.len(), 8);
    }

    #[test]
    fn rejects_bad_templates() {
        let mut rng = Rng::new(1);
        for bad in [
            "{nope:3}",
            "{hex:x}",
            "{hex:3",
            "x}",
            "{checksum}",
            "{key}",
            // Too long to be a key (these used to abort on allocation or run for hours).
            "{alnum:99999999999999}",
            "{hex:16385}",
        ] {
            assert!(expand(bad, Context::default(), &mut rng).is_err(), "{bad}");
        }
    }

    #[test]
    fn checksum_completes_the_key() {
        let mut rng = Rng::new(3);
        let key = expand_key(
            "ghp_{alnum:30}{checksum}",
            Some(Checksum::Crc32Base62),
            &mut rng,
        )
        .unwrap();
        assert_eq!(key.len(), 40);
        assert!(checksum::verify(Checksum::Crc32Base62, key.as_bytes()));
    }
}
