//! Secrets that are only visible once decoded: base64 in HTTP Basic headers, Docker
//! `auth` fields and Kubernetes `Secret` `data:`, and percent-encoded characters in
//! `http(s)` URLs. The rules locate the encoded text (`http-basic-auth`,
//! `docker-config-auth`, `kubernetes-secret-data`); this module decodes it, scans the
//! decoded text with the same rules (provider rules first; a decoded `user:password`
//! that no provider rule claims is a credential of its own) and places what it finds on
//! the encoded text. Only plausible tokens are decoded (bounded lengths, a valid
//! alphabet, readable text once decoded), at most two layers deep.
//!
//! It must not know files, findings or reports: it returns candidates.

use super::{filters, line_start, Candidate, Matcher, ALLOW_MARKERS};

/// How deep decoded text is decoded again.
pub const MAX_DEPTH: u8 = 2;
/// The longest Kubernetes `data:` value decoded (a certificate bundle or a small file).
pub const MAX_ENCODED: usize = 16 * 1024;
/// The longest URL looked at for percent escapes.
const MAX_URL: usize = 4096;
/// The longest decoded `user:password`.
const MAX_CREDENTIAL: usize = 512;

/// How a secret was written in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Base64,
    Percent,
    /// A PEM block written as concatenated string literals.
    Concatenated,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Base64 => "base64",
            Encoding::Percent => "percent",
            Encoding::Concatenated => "concatenated",
        }
    }
}

/// The secret of a candidate found in decoded text: the candidate's span is the encoded
/// text, `value` the decoded secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedSecret {
    pub encoding: Encoding,
    pub value: Vec<u8>,
}

/// What a decoding rule's match holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `Authorization: Basic <base64 of user:password>`.
    BasicAuth,
    /// A Docker config `auths.<host>.auth`: base64 of `user:password`.
    DockerAuth,
    /// A value under `data:` in a Kubernetes `Secret`.
    KubernetesData,
}

/// The rules whose matches are encoded text to decode, by id.
pub const DECODING_RULES: &[(&str, Kind)] = &[
    ("http-basic-auth", Kind::BasicAuth),
    ("docker-config-auth", Kind::DockerAuth),
    ("kubernetes-secret-data", Kind::KubernetesData),
];

/// Decode standard or URL-safe base64 (padding optional); `None` for anything else.
pub fn base64_decode(v: &[u8]) -> Option<Vec<u8>> {
    let body = v
        .strip_suffix(b"==")
        .or_else(|| v.strip_suffix(b"="))
        .unwrap_or(v);
    if body.len() % 4 == 1 || body.is_empty() {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for &c in body {
        let d = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(d);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Whether decoded bytes are text (UTF-8 without control characters; line breaks and
/// tabs only when `multiline`): random bytes never are, so binary is never reported.
pub fn readable(b: &[u8], multiline: bool) -> bool {
    !b.is_empty()
        && std::str::from_utf8(b).is_ok()
        && b.iter()
            .all(|&c| (c >= 0x20 && c != 0x7f) || (multiline && matches!(c, b'\n' | b'\r' | b'\t')))
}

fn hex_val(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

fn has_escape(v: &[u8]) -> bool {
    v.windows(3)
        .any(|w| w[0] == b'%' && hex_val(w[1]).is_some() && hex_val(w[2]).is_some())
}

/// Percent-decode `v`: the decoded bytes, for each the offset in `v` it came from, and
/// whether it was written as an escape.
pub fn percent_decode(v: &[u8]) -> (Vec<u8>, Vec<usize>, Vec<bool>) {
    let (mut out, mut from, mut escaped) = (Vec::new(), Vec::new(), Vec::new());
    let mut i = 0;
    while i < v.len() {
        let hex = |j: usize| v.get(j).copied().and_then(hex_val);
        if let (b'%', Some(h), Some(l)) = (v[i], hex(i + 1), hex(i + 2)) {
            out.push(h << 4 | l);
            from.push(i);
            escaped.push(true);
            i += 3;
        } else {
            out.push(v[i]);
            from.push(i);
            escaped.push(false);
            i += 1;
        }
    }
    (out, from, escaped)
}

/// Whether a decoded password is worth reporting on its own: not a reference, a known
/// placeholder or an example password, and with a letter and a digit (as the precise
/// generic rules require). The "looks like a placeholder" heuristics of free-form
/// values are not applied: they would drop one random password in a hundred.
pub fn credential_ok(v: &[u8]) -> bool {
    (6..=256).contains(&v.len())
        && !matches!(v[0], b'$' | b'{' | b'%' | b'<' | b'@')
        && v.iter().any(u8::is_ascii_digit)
        && v.iter().any(u8::is_ascii_alphabetic)
        && !filters::is_known_placeholder(v)
        && !filters::is_example_password(v)
}

/// Names under a Secret's `data:` that do not hold secrets.
const PUBLIC_DATA_NAMES: &[&str] = &[
    "username",
    "user",
    "host",
    "hostname",
    "port",
    "database",
    "db",
    "dbname",
    "namespace",
    "url",
    "endpoint",
    "region",
    "email",
    "ca.crt",
    "tls.crt",
    "name",
    "bucket",
];

/// The name of the `data:` entry at `s` when it is in the `data:` block of a Kubernetes
/// `Secret` (a YAML document with `kind: Secret`).
pub fn secret_data_name(hay: &[u8], s: usize) -> Option<&[u8]> {
    let ls = line_start(hay, s, 1024);
    let line = &hay[ls..s];
    let indent = line.iter().take_while(|&&b| b == b' ').count();
    if indent == 0 {
        return None;
    }
    let colon = line.iter().position(|&b| b == b':')?;
    let name = line[indent..colon].trim_ascii();
    let name = name
        .strip_prefix(b"\"")
        .and_then(|n| n.strip_suffix(b"\""))
        .unwrap_or(name);
    let mut pos = ls;
    for _ in 0..4096 {
        if pos == 0 {
            return None;
        }
        let pls = line_start(hay, pos - 1, 4096);
        let prev = &hay[pls..pos - 1];
        pos = pls;
        let t = prev.trim_ascii();
        if t.is_empty() || t[0] == b'#' {
            continue;
        }
        if prev.iter().take_while(|&&b| b == b' ').count() >= indent {
            continue;
        }
        if t != b"data:" {
            return None;
        }
        let doc_start = memchr::memmem::rfind(&hay[..pls], b"\n---").unwrap_or(0);
        let doc_end = memchr::memmem::find(&hay[s..], b"\n---").map_or(hay.len(), |i| s + i);
        let doc = &hay[doc_start..doc_end];
        let secret = memchr::memmem::find(doc, b"kind: Secret").is_some()
            || memchr::memmem::find(doc, b"kind: \"Secret\"").is_some();
        return secret.then_some(name);
    }
    None
}

/// The registry host of a Docker config `auth` at `s`: the key of the object holding it
/// (`"ghcr.io": {"auth": "…"}`).
pub fn docker_registry(hay: &[u8], s: usize) -> Option<&[u8]> {
    let lo = s.saturating_sub(1024);
    let brace = lo + hay[lo..s].iter().rposition(|&b| b == b'{')?;
    let mut i = brace;
    while i > 0 && matches!(hay[i - 1], b' ' | b'\t' | b'\r' | b'\n' | b':') {
        i -= 1;
    }
    if i == 0 || hay[i - 1] != b'"' {
        return None;
    }
    let end = i - 1;
    let start = hay[lo..end].iter().rposition(|&b| b == b'"')? + lo + 1;
    Some(&hay[start..end])
}

fn allowed_inline(hay: &[u8], s: usize, e: usize) -> bool {
    let ls = line_start(hay, s, 512);
    let le = super::line_end(hay, e, 512);
    ALLOW_MARKERS
        .iter()
        .any(|m| memchr::memmem::find(&hay[ls..le], m).is_some())
}

impl Matcher<'_> {
    /// Scan decoded `text` with every rule, one layer deeper, leaving this scan's state
    /// as it was.
    pub(super) fn scan_nested(&mut self, text: &[u8]) -> Vec<Candidate> {
        let out = std::mem::take(&mut self.out);
        let rejected = std::mem::take(&mut self.rejected);
        self.depth += 1;
        self.scan_layer(text);
        self.depth -= 1;
        self.rejected = rejected;
        std::mem::replace(&mut self.out, out)
    }

    /// Decode what this layer's decoding rules matched, and percent-encoded URLs and
    /// concatenated PEM blocks; add what the rules find in the decoded text.
    pub(super) fn unwrap_layer(&mut self, hay: &[u8]) {
        let pending = std::mem::take(&mut self.pending);
        if self.depth >= MAX_DEPTH {
            return;
        }
        let mut extra = Vec::new();
        for (r, s, e, kind) in pending {
            self.unwrap_base64(hay, r, s, e, kind, &mut extra);
        }
        self.unwrap_percent(hay, &mut extra);
        self.join_pem(hay, &mut extra);
        self.out.extend(extra);
    }

    /// A candidate for a secret found in decoded text, placed on the encoded span.
    fn placed(
        &self,
        hay: &[u8],
        found: &Candidate,
        decoded: &[u8],
        (s, e): (usize, usize),
        encoding: Encoding,
    ) -> Candidate {
        Candidate {
            start: s,
            end: e,
            client_exposed: false,
            allowed_inline: allowed_inline(hay, s, e),
            decoded: Some(Box::new(DecodedSecret {
                encoding,
                value: found.decoded.as_ref().map_or_else(
                    || decoded[found.start..found.end].to_vec(),
                    |d| d.value.clone(),
                ),
            })),
            ..found.clone()
        }
    }

    /// A candidate of the decoding rule `r` itself, holding a decoded password.
    fn own(
        &self,
        hay: &[u8],
        r: usize,
        (s, e): (usize, usize),
        value: &[u8],
        encoding: Encoding,
    ) -> Candidate {
        let mut c = self.candidate(r, hay, s, e);
        c.decoded = Some(Box::new(DecodedSecret {
            encoding,
            value: value.to_vec(),
        }));
        c
    }

    /// Provider rules on a decoded credential (`user:password`, or a password alone).
    fn provider_matches(&mut self, text: &[u8]) -> Vec<Candidate> {
        let rules = self.rules;
        let mut found = self.scan_nested(text);
        found.retain(|c| !rules.rules[c.rule].spec.generic);
        found
    }

    fn unwrap_base64(
        &mut self,
        hay: &[u8],
        r: usize,
        s: usize,
        e: usize,
        kind: Kind,
        extra: &mut Vec<Candidate>,
    ) {
        if e - s > MAX_ENCODED {
            return;
        }
        let Some(plain) = base64_decode(&hay[s..e]) else {
            return;
        };
        match kind {
            Kind::BasicAuth | Kind::DockerAuth => {
                if plain.len() > MAX_CREDENTIAL || !readable(&plain, false) {
                    return;
                }
                let Some(colon) = plain.iter().position(|&b| b == b':') else {
                    return;
                };
                let found = self.provider_matches(&plain);
                if !found.is_empty() {
                    for f in &found {
                        extra.push(self.placed(hay, f, &plain, (s, e), Encoding::Base64));
                    }
                    return;
                }
                let password = &plain[colon + 1..];
                if credential_ok(password) {
                    let mut c = self.own(hay, r, (s, e), password, Encoding::Base64);
                    if kind == Kind::DockerAuth {
                        // The registry the login is for, not the nearest word.
                        let rule = &self.rules.rules[r];
                        let host = docker_registry(hay, s).map(<[u8]>::to_ascii_lowercase);
                        c.variant = host.and_then(|h| {
                            rule.variants.iter().position(|v| {
                                v.context
                                    .iter()
                                    .any(|w| memchr::memmem::find(&h, w).is_some())
                            })
                        });
                        c.severity = c
                            .variant
                            .map_or(rule.spec.severity, |v| rule.variants[v].severity);
                    }
                    extra.push(c);
                }
            }
            Kind::KubernetesData => {
                let Some(name) = secret_data_name(hay, s) else {
                    return;
                };
                if !readable(&plain, true) {
                    return;
                }
                let multiline = plain.contains(&b'\n');
                // A one-line value is scanned as the assignment it stands for
                // (`password: "…"`), so the generic rules see its name.
                let text = if multiline {
                    plain.clone()
                } else {
                    let mut t = Vec::with_capacity(name.len() + plain.len() + 6);
                    t.extend_from_slice(name);
                    t.extend_from_slice(b": \"");
                    t.extend_from_slice(&plain);
                    t.extend_from_slice(b"\"\n");
                    t
                };
                let found = self.scan_nested(&text);
                if !found.is_empty() {
                    for f in &found {
                        extra.push(self.placed(hay, f, &text, (s, e), Encoding::Base64));
                    }
                    return;
                }
                let lower = name.to_ascii_lowercase();
                let public = PUBLIC_DATA_NAMES.iter().any(|n| lower == n.as_bytes());
                if !multiline && !public && credential_ok(&plain) && filters::entropy(&plain) >= 3.0
                {
                    extra.push(self.own(hay, r, (s, e), &plain, Encoding::Base64));
                }
            }
        }
    }

    /// `http(s)` URLs holding percent escapes: the decoded URL is scanned, and what is
    /// found across an escape is reported on the encoded text; a password in the URL's
    /// user information is a credential of its own.
    fn unwrap_percent(&mut self, hay: &[u8], extra: &mut Vec<Candidate>) {
        let Some(basic) = self
            .decoders
            .iter()
            .position(|d| *d == Some(Kind::BasicAuth))
        else {
            return;
        };
        for at in memchr::memmem::find_iter(hay, b"://") {
            if !self.url_in_ranges(at) {
                continue;
            }
            let mut s0 = at;
            while s0 > 0 && at - s0 < 5 && hay[s0 - 1].is_ascii_alphabetic() {
                s0 -= 1;
            }
            let scheme = &hay[s0..at];
            if !(scheme.eq_ignore_ascii_case(b"http") || scheme.eq_ignore_ascii_case(b"https")) {
                continue;
            }
            let mut end = at + 3;
            while end < hay.len()
                && end - s0 < MAX_URL
                && !matches!(
                    hay[end],
                    b' ' | b'\t' | b'\r' | b'\n' | b'"' | b'\'' | b'`' | b'<' | b'>'
                )
            {
                end += 1;
            }
            let url = &hay[s0..end];
            if !has_escape(url) {
                continue;
            }
            let (dec, from, escaped) = percent_decode(url);
            if !readable(&dec, false) {
                continue;
            }
            let found = self.scan_nested(&dec);
            let mut claimed = false;
            for f in &found {
                if !escaped[f.start..f.end].iter().any(|&x| x) {
                    continue;
                }
                let last = f.end - 1;
                let span = (
                    s0 + from[f.start],
                    s0 + from[last] + if escaped[last] { 3 } else { 1 },
                );
                claimed = true;
                // A rule that reads the escapes itself (a connection string, a presigned
                // URL) has the better view of the encoded text.
                let rules = self.rules;
                let plain = self.out.iter().any(|c| {
                    !rules.rules[c.rule].spec.generic && c.start < span.1 && span.0 < c.end
                });
                if !plain {
                    extra.push(self.placed(hay, f, &dec, span, Encoding::Percent));
                }
            }
            if claimed {
                continue;
            }
            // The user information: `user:password@` before the host.
            let auth_start = at + 3;
            let auth_end = hay[auth_start..end]
                .iter()
                .position(|&b| matches!(b, b'/' | b'?' | b'#'))
                .map_or(end, |i| auth_start + i);
            let authority = &hay[auth_start..auth_end];
            let Some(atpos) = authority.iter().rposition(|&b| b == b'@') else {
                continue;
            };
            let Some(colon) = authority[..atpos].iter().position(|&b| b == b':') else {
                continue;
            };
            let (ps, pe) = (auth_start + colon + 1, auth_start + atpos);
            if !has_escape(&hay[ps..pe]) {
                continue;
            }
            let password = percent_decode(&hay[ps..pe]).0;
            if !readable(&password, false) {
                continue;
            }
            let found = self.provider_matches(&password);
            if !found.is_empty() {
                for f in &found {
                    extra.push(self.placed(hay, f, &password, (ps, pe), Encoding::Percent));
                }
            } else if credential_ok(&password) {
                extra.push(self.own(hay, basic, (ps, pe), &password, Encoding::Percent));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::template::base64_encode;

    #[test]
    fn base64_round_trips_and_rejects_other_alphabets() {
        for text in [&b"a"[..], b"ab", b"abc", b"deploy:s3cret-value"] {
            assert_eq!(base64_decode(base64_encode(text).as_bytes()).unwrap(), text);
        }
        assert!(base64_decode(b"abc$").is_none());
        assert!(base64_decode(b"abcde").is_none());
        assert!(base64_decode(b"").is_none());
    }

    #[test]
    fn binary_is_not_readable() {
        assert!(readable(b"user:pass", false));
        assert!(!readable(b"user\x00pass", false));
        assert!(!readable(b"a\nb", false));
        assert!(readable(b"a\nb", true));
        assert!(!readable(&[0xff, 0xfe, 0x41], true));
    }

    #[test]
    fn percent_decoding_maps_back_to_the_escapes() {
        let (dec, from, esc) = percent_decode(b"p%40ss%2");
        assert_eq!(dec, b"p@ss%2");
        assert_eq!(from, vec![0, 1, 4, 5, 6, 7]);
        assert_eq!(esc, vec![false, true, false, false, false, false]);
    }

    #[test]
    fn placeholder_passwords_are_not_credentials() {
        for quiet in [
            &b"password"[..],
            b"changeme",
            b"Passw0rd!",
            b"$PASSWORD",
            b"hunter2",
            b"12345678",
        ] {
            assert!(!credential_ok(quiet), "{}", String::from_utf8_lossy(quiet));
        }
        assert!(credential_ok(b"q8Vr2mXk4Lz7"));
    }

    #[test]
    fn docker_registry_is_the_key_of_the_auth_object() {
        let j = b"{\"auths\": {\n  \"ghcr.io\": {\n    \"auth\": \"QUJD\"\n  }\n}}";
        let at = memchr::memmem::find(j, b"QUJD").unwrap();
        assert_eq!(docker_registry(j, at), Some(&b"ghcr.io"[..]));
    }

    #[test]
    fn secret_data_names_need_a_secret_document() {
        let y = b"apiVersion: v1\nkind: Secret\ndata:\n  api-token: QUJD\n  # note\n  other: REVG\n---\nkind: ConfigMap\ndata:\n  x: QUJD\n";
        let text = &y[..];
        let at = |needle: &[u8], from: usize| {
            from + memchr::memmem::find(&text[from..], needle).unwrap()
        };
        assert_eq!(
            secret_data_name(text, at(b"QUJD", 0)),
            Some(&b"api-token"[..])
        );
        assert_eq!(secret_data_name(text, at(b"REVG", 0)), Some(&b"other"[..]));
        let cm = at(b"ConfigMap", 0);
        assert_eq!(secret_data_name(text, at(b"QUJD", cm)), None);
        let meta = b"kind: Secret\nmetadata:\n  name: QUJDREVG\n";
        assert_eq!(secret_data_name(meta, 29), None);
    }
}
