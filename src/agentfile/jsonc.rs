//! JSON with comments (JSONC), as VS Code's `settings.json` and `mcp.json` and Gemini
//! CLI's `settings.json` allow: `//` and `/* */` comments and trailing commas are
//! blanked out with spaces, so the text parses as JSON and every byte (and so every line
//! and column) stays where it was. Newlines inside a block comment are kept.
//!
//! It must not know what the document means: it only blanks.

/// The text with comments and trailing commas blanked, or `None` when it holds neither
/// a `/` nor a `,` outside strings (nothing to blank).
pub fn blank(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = text.to_vec();
    let mut changed = blank_comments(&mut out);
    changed |= blank_trailing_commas(&mut out);
    changed.then_some(out)
}

/// Blank `//` and `/* */` comments outside strings; whether any was found.
fn blank_comments(out: &mut [u8]) -> bool {
    let mut changed = false;
    let mut i = 0;
    while i < out.len() {
        match out[i] {
            b'"' => i = skip_string(out, i),
            b'/' if out.get(i + 1) == Some(&b'/') => {
                let end = memchr::memchr(b'\n', &out[i..]).map_or(out.len(), |n| i + n);
                out[i..end].fill(b' ');
                changed = true;
                i = end;
            }
            b'/' if out.get(i + 1) == Some(&b'*') => {
                let end =
                    memchr::memmem::find(&out[i + 2..], b"*/").map_or(out.len(), |n| i + 2 + n + 2);
                for b in &mut out[i..end] {
                    if *b != b'\n' && *b != b'\r' {
                        *b = b' ';
                    }
                }
                changed = true;
                i = end;
            }
            _ => i += 1,
        }
    }
    changed
}

/// Blank each comma followed (after white space) by `}` or `]`, outside strings.
fn blank_trailing_commas(out: &mut [u8]) -> bool {
    let mut changed = false;
    let mut i = 0;
    while i < out.len() {
        match out[i] {
            b'"' => i = skip_string(out, i),
            b',' => {
                let next = out[i + 1..].iter().find(|b| !b.is_ascii_whitespace());
                if matches!(next, Some(b'}' | b']')) {
                    out[i] = b' ';
                    changed = true;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    changed
}

/// The index just past the string that opens at `start` (a `"`), escapes included.
fn skip_string(text: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < text.len() {
        match text[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            b'\n' => return i, // an unclosed string ends at its line
            _ => i += 1,
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> serde_json::Value {
        let blanked = blank(text.as_bytes()).unwrap_or_else(|| text.as_bytes().to_vec());
        assert_eq!(blanked.len(), text.len(), "offsets kept");
        serde_json::from_slice(&blanked).expect("parses after blanking")
    }

    #[test]
    fn comments_and_trailing_commas_are_blanked_in_place() {
        let text = "{\n  // a line comment\n  \"a\": \"x//y\", /* block\n spanning */ \"b\": [1, 2,],\n  \"c\": \"q\\\"/*\",\n}\n";
        let v = parse(text);
        assert_eq!(v["a"], "x//y");
        assert_eq!(v["b"], serde_json::json!([1, 2]));
        assert_eq!(v["c"], "q\"/*");
        let blanked = blank(text.as_bytes()).unwrap();
        let lines = |t: &[u8]| t.iter().filter(|&&b| b == b'\n').count();
        assert_eq!(lines(&blanked), lines(text.as_bytes()));
    }

    #[test]
    fn plain_json_is_left_as_it_is() {
        assert_eq!(blank(br#"{"a": ["x", "y"], "b": "//"}"#), None);
    }
}
