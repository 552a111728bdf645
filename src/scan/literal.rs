//! Whether the value of a generic finding is a literal (a string, or a bare value in a
//! configuration file) rather than code: a call (`Convert.ToBase64String(bytes)`), an
//! attribute access (`Base64.strict_decode64`), an identifier (`logonType`), an
//! expression (`a + b`) or an interpolation (`"#{x}"`, `f"{x}"`, `"${x}"`), in any of
//! the languages keyward reads. Only the bytes around the value are looked at.

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_quote(b: u8) -> bool {
    matches!(b, b'"' | b'\'' | b'`')
}

/// The name the value at `s` is assigned to: the word before the separator
/// (`client_secret` in `"client_secret": "…"`, `SessionSecret` in `SessionSecret = '…'`).
pub fn name_before(hay: &[u8], s: usize) -> &[u8] {
    let mut i = s;
    // Back over the separator, blanks, quotes, brackets and backslashes.
    while i > 0
        && (matches!(
            hay[i - 1],
            b' ' | b'\t' | b'=' | b':' | b'>' | b',' | b'\\' | b']'
        ) || is_quote(hay[i - 1]))
    {
        i -= 1;
    }
    let end = i;
    while i > 0 && (is_ident(hay[i - 1]) || matches!(hay[i - 1], b'.' | b'-')) {
        i -= 1;
    }
    &hay[i..end]
}

/// Names of values that are public or not credentials: a public key token (.NET
/// assemblies), a CSRF token (printed in every request log).
pub fn is_public_name(name: &[u8]) -> bool {
    let lower = name.to_ascii_lowercase();
    [&b"public"[..], b"csrf", b"xsrf", b"authenticity", b"nonce"]
        .iter()
        .any(|w| memchr::memmem::find(&lower, w).is_some())
}

/// Whether `v` is a path of identifiers (`Base64.strict_decode64`, `self.token2`,
/// `Foo::Bar`): two or more segments, each an identifier starting with a letter or `_`.
fn is_member_path(v: &[u8]) -> bool {
    let text = match std::str::from_utf8(v) {
        Ok(t) => t,
        Err(_) => return false,
    };
    let segments: Vec<&str> = text.split(['.']).flat_map(|s| s.split("::")).collect();
    segments.len() >= 2
        && segments.iter().all(|seg| {
            let b = seg.as_bytes();
            !b.is_empty()
                && (b[0].is_ascii_alphabetic() || b[0] == b'_')
                && b.iter().all(|&c| is_ident(c))
        })
        // A word in it (`getEncoder`, `strict_decode64`), not a random token with dots.
        && segments.iter().any(|seg| {
            seg.len() >= 3 && seg.bytes().filter(u8::is_ascii_lowercase).count() * 2 >= seg.len()
        })
}

/// Whether the value at `s..e` of `hay` is code rather than a literal.
pub fn is_code(hay: &[u8], s: usize, e: usize) -> bool {
    let value = &hay[s..e];
    let before = if s > 0 { Some(hay[s - 1]) } else { None };
    let after = hay.get(e).copied();
    // What follows the value, past blanks.
    let mut j = e;
    while j < hay.len() && matches!(hay[j], b' ' | b'\t') {
        j += 1;
    }
    let next = hay.get(j).copied();
    let next2 = hay.get(j + 1).copied();
    // Interpolation glued to the value: `#{x}`, `${x}`, `{x}`, `%(x)s`, `%s`.
    if matches!(
        (after, hay.get(e + 1).copied()),
        (Some(b'#' | b'$'), Some(b'{')) | (Some(b'{'), _) | (Some(b'%'), Some(b'(' | b's' | b'd'))
    ) {
        return true;
    }
    if let Some(q) = before.filter(|&b| is_quote(b)) {
        // A string literal is the whole string: what follows is its closing quote
        // (interpolations were caught above: their `{` or `${` follows the value).
        let closes = after == Some(q) || (after == Some(b'\\') && hay.get(e + 1) == Some(&q));
        if !closes {
            return true;
        }
        // The whole string (an `f"…"` without braces is a plain string too).
        return false;
    }
    // A bare value: a call, an index, a member, an operator, a ternary.
    if matches!(next, Some(b'(' | b'[')) {
        return true;
    }
    if next == Some(b'.') && next2.is_some_and(|b| b.is_ascii_alphabetic() || b == b'_') {
        return true;
    }
    if matches!(next, Some(b'+' | b'*' | b'/' | b'?' | b'|' | b'&'))
        && matches!(next2, Some(b' ' | b'\t'))
    {
        return true;
    }
    if is_member_path(value) {
        return true;
    }
    // An identifier ended by a statement end, an argument separator or a closing
    // bracket (`= logonType;`, `f(token=x2y3z4w5)`) is a variable, not a value.
    let identifier = value[0].is_ascii_alphabetic() && value.iter().all(|&b| is_ident(b));
    identifier && matches!(next, Some(b';' | b')' | b','))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(line: &str, value: &str) -> bool {
        let s = line.find(value).expect("value in line");
        is_code(line.as_bytes(), s, s + value.len())
    }

    #[test]
    fn calls_members_and_interpolations_are_code() {
        for (line, v) in [
            (
                "var secretKey = Convert.ToBase64String(bytes);",
                "Convert.ToBase64String",
            ),
            (
                "masked_token = Base64.strict_decode64(x)",
                "Base64.strict_decode64",
            ),
            (
                "becomeToken = GetS4UTokenForUser(sid, logonType);",
                "GetS4UTokenForUser",
            ),
            (
                "password = hashlib.sha256(b\"x\").hexdigest()",
                "hashlib.sha256",
            ),
            (
                "val pwd = Base64.getEncoder.encodeToString(byteArray)",
                "Base64.getEncoder.encodeToString",
            ),
            ("token = NO_NEP50_WARNING.set(True)", "NO_NEP50_WARNING.set"),
            ("api_key = settings.api_key2", "settings.api_key2"),
            ("secret = \"abc123def456ghi#{suffix}\"", "abc123def456ghi"),
            ("secret = f\"abc123{x}def456ghi\"", "abc123"),
            ("token: `tok3n${id}`", "tok3n"),
            ("secret = \"abc123def456 and more\"", "abc123def456"),
            ("call(token=tokenValue2, x)", "tokenValue2"),
            ("password = base64Decode(params(x))", "base64Decode"),
        ] {
            assert!(code(line, v), "{line}");
        }
    }

    #[test]
    fn literals_are_not_code() {
        // Values built at run time: no checked-in line looks like an assignment of one.
        let v = |parts: &[&str]| parts.concat();
        let (hex, mixed, url) = (
            v(&["b3c631c3", "14c0bbca50c1b284"]),
            v(&["Bfse9F24", "SFtfs423Gsd3"]),
            v(&["ZDNg7LzS", "lp8a0u0fht_tRnPM"]),
        );
        let dotted = v(&["a1b2c3d4", ".e5f6g7h8"]);
        for (line, value) in [
            (format!("SECRET_KEY = '{hex}'"), &hex),
            (format!("API_TOKEN={mixed}"), &mixed),
            (format!("  token: {url}"), &url),
            (format!("{{\"client_secret\": \"{mixed}\"}}"), &mixed),
            (format!("\"{{\\\"token\\\": \\\"{mixed}\\\"}}\""), &mixed),
            (format!("auth_token = \"{dotted}\""), &dotted),
        ] {
            assert!(!code(&line, value), "{line}");
        }
    }

    #[test]
    fn names_before_values() {
        let line = b"  \"client_secret\": \"x\"";
        assert_eq!(name_before(line, line.len() - 2), b"client_secret");
        let line = b"SessionSecret = 'x'";
        assert_eq!(name_before(line, line.len() - 2), b"SessionSecret");
        assert!(is_public_name(b"publicKeyToken"));
        assert!(is_public_name(b"authenticity_token"));
        assert!(!is_public_name(b"api_token"));
    }
}
