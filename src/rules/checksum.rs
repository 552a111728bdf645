//! Checksums carried by some token formats (GitHub, npm, GitLab). A match whose
//! checksum is wrong is a made-up string, not a key, and is dropped.
//!
//! It must not know the matcher: bytes in, a verdict out.

use super::Checksum;
use sha2::{Digest, Sha256};

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE36: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Where a fine-grained GitHub PAT's checksum starts and how long it is.
const FINE_GRAINED_BODY: usize = 77;
const FINE_GRAINED_SUM: usize = 8;

fn radix(mut n: u64, alphabet: &[u8], width: usize) -> String {
    let base = alphabet.len() as u64;
    let mut digits = Vec::with_capacity(width);
    while n > 0 {
        digits.push(alphabet[(n % base) as usize]);
        n /= base;
    }
    while digits.len() < width {
        digits.push(alphabet[0]);
    }
    digits.reverse();
    String::from_utf8(digits).expect("alphabets are ASCII")
}

fn base32_prefix(bytes: &[u8], chars: usize) -> String {
    let mut out = String::with_capacity(chars);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(BASE32[((acc >> bits) & 31) as usize] as char);
            if out.len() == chars {
                return out;
            }
        }
        acc &= (1 << bits) - 1;
    }
    out
}

/// The checksum characters for a key whose text before the checksum is `prefix`.
pub fn compute(kind: Checksum, prefix: &str) -> String {
    match kind {
        Checksum::Crc32Base62 => {
            let body = prefix.split_once('_').map_or(prefix, |(_, b)| b);
            radix(u64::from(crc32fast::hash(body.as_bytes())), BASE62, 6)
        }
        Checksum::GithubFineGrained => {
            base32_prefix(&Sha256::digest(prefix.as_bytes()), FINE_GRAINED_SUM)
        }
        Checksum::Crc32Base36 => radix(u64::from(crc32fast::hash(prefix.as_bytes())), BASE36, 7),
    }
}

/// Whether `secret` carries a correct checksum of the given kind.
pub fn verify(kind: Checksum, secret: &[u8]) -> bool {
    // Every format that carries a checksum is ASCII; a custom rule's pattern may match
    // more, and those characters would not split where the checksum starts.
    if !secret.is_ascii() {
        return false;
    }
    let Ok(s) = std::str::from_utf8(secret) else {
        return false;
    };
    let (body, sum) = match kind {
        Checksum::Crc32Base62 if s.len() > 6 => s.split_at(s.len() - 6),
        Checksum::Crc32Base36 if s.len() > 7 => s.split_at(s.len() - 7),
        Checksum::GithubFineGrained if s.len() >= FINE_GRAINED_BODY + FINE_GRAINED_SUM => {
            let (body, rest) = s.split_at(FINE_GRAINED_BODY);
            (body, &rest[..FINE_GRAINED_SUM])
        }
        _ => return false,
    };
    compute(kind, body) == sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radix_pads_and_encodes() {
        assert_eq!(radix(0, BASE62, 6), "000000");
        assert_eq!(radix(61, BASE62, 6), "00000z");
        assert_eq!(radix(36, BASE36, 7), "0000010");
    }

    #[test]
    fn base32_matches_rfc4648() {
        // RFC 4648 test vector: base32("foobar") = "MZXW6YTBOI======"
        assert_eq!(base32_prefix(b"foobar", 8), "MZXW6YTB");
    }

    #[test]
    fn github_docs_sample_fails_its_checksum() {
        // The token GitHub's documentation shows is not a valid token.
        let sample = format!("ghs_{}", "16C7e42F292c69C2E7C10c838347Ae178B4a");
        assert!(!verify(Checksum::Crc32Base62, sample.as_bytes()));
    }

    #[test]
    fn non_ascii_secrets_fail_their_checksum() {
        // A custom rule may put a checksum on a pattern that matches any character; the
        // checksum's first byte may then fall inside one.
        for kind in [
            Checksum::Crc32Base62,
            Checksum::Crc32Base36,
            Checksum::GithubFineGrained,
        ] {
            for c in ["\u{e9}", "\u{20ac}", "\u{1f600}"] {
                for n in 30..40 {
                    for text in [c.repeat(n), format!("x{}", c.repeat(n))] {
                        assert!(!verify(kind, text.as_bytes()), "{kind:?} {text}");
                    }
                }
            }
        }
    }

    #[test]
    fn computed_checksums_verify() {
        let body = "npm_".to_string() + &"aB3dE6gH9j".repeat(3);
        let key = format!("{body}{}", compute(Checksum::Crc32Base62, &body));
        assert!(verify(Checksum::Crc32Base62, key.as_bytes()));
        let mut broken = key.clone().into_bytes();
        broken[5] ^= 1;
        assert!(!verify(Checksum::Crc32Base62, &broken));
    }
}
