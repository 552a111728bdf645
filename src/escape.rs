//! Escaping of untrusted text (file names, commit messages, author names, rule fields
//! from a repository's `keyward.toml`, evidence) for the sink it is written to. Nothing
//! here rewrites a character into another one: what cannot be shown as itself is shown
//! as a visible escape (`\x1b`, `\n`, `\u{202e}`), so the reader sees what is there.

use std::fmt::Write as _;

/// Bidirectional-text controls (they reorder what a terminal or browser shows) and line
/// or paragraph separators.
fn is_bidi_or_separator(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// Text for a terminal: C0 and C1 controls, DEL, ESC, bidirectional controls and line
/// separators escaped as `\n`, `\r`, `\t`, `\x1b`, `\x7f`, `\u{85}`, `\u{202e}`; every
/// other character, `\` included, as itself.
pub fn terminal(s: &str) -> String {
    if !s.chars().any(needs_terminal_escape) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        push_terminal(&mut out, c);
    }
    out
}

fn needs_terminal_escape(c: char) -> bool {
    c.is_control() || is_bidi_or_separator(c)
}

fn push_terminal(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if (c as u32) < 0x20 || c == '\u{7f}' => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c if needs_terminal_escape(c) => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => out.push(c),
    }
}

/// Text for Markdown (a paragraph, a list item or a table cell): controls escaped as for
/// a terminal, then every character Markdown or HTML gives a meaning to backslash-escaped
/// (`|` included, so a table cell stays one cell; `@` so no one is mentioned; `$` so no
/// math is typeset), `&` written as `&amp;`.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in terminal(s).chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '!' | '@' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out
}

/// A Markdown code span holding `s` whatever backticks it contains: controls escaped as
/// for a terminal, `|` escaped so the span can sit in a table cell.
pub fn markdown_code(s: &str) -> String {
    let body = terminal(s).replace('|', "\\|");
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if body.starts_with('`') || body.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{body}{pad}{fence}")
}

/// A Markdown link to `url` labelled `label` (keyward's own text) when `url` is an
/// `https://` URL made of URL characters only; otherwise the URL as escaped text, never
/// a link.
pub fn markdown_link(label: &str, url: &str) -> String {
    let plain = url.starts_with("https://")
        && url.len() > "https://".len()
        && url.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'-' | b'.'
                        | b'_'
                        | b'~'
                        | b':'
                        | b'/'
                        | b'?'
                        | b'#'
                        | b'@'
                        | b'!'
                        | b'$'
                        | b'&'
                        | b'\''
                        | b'*'
                        | b'+'
                        | b','
                        | b';'
                        | b'='
                        | b'%'
                )
        });
    if plain {
        format!("[{}]({url})", markdown(label))
    } else {
        markdown(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_shows_controls_and_bidi_as_escapes() {
        assert_eq!(terminal("a\x1b]8;;x\x07b"), "a\\x1b]8;;x\\x07b");
        assert_eq!(terminal("a\nb\r\t"), "a\\nb\\r\\t");
        assert_eq!(
            terminal("x\u{202e}y\u{2066}\u{200f}"),
            "x\\u{202e}y\\u{2066}\\u{200f}"
        );
        assert_eq!(terminal("\u{85}\u{9b}\u{7f}"), "\\u{85}\\u{9b}\\x7f");
        assert_eq!(terminal("dir\\file é"), "dir\\file é");
    }

    #[test]
    fn markdown_is_inert() {
        assert_eq!(markdown("a|b\nc<d>"), "a\\|b\\\\nc\\<d\\>");
        assert_eq!(
            markdown("[x](javascript:y) @team $a$"),
            "\\[x\\](javascript:y) \\@team \\$a\\$"
        );
        assert_eq!(markdown_code("x`y"), "``x`y``");
        assert_eq!(markdown_code("`x"), "`` `x ``");
        assert_eq!(markdown_code("a|b\n"), "`a\\|b\\n`");
    }

    #[test]
    fn links_only_for_plain_https_urls() {
        assert_eq!(
            markdown_link("revoke", "https://example.com/keys"),
            "[revoke](https://example.com/keys)"
        );
        assert!(!markdown_link("revoke", "javascript:alert(1)").contains("]("));
        assert!(!markdown_link("revoke", "https://x/a)|b").contains("]("));
        assert!(!markdown_link("revoke", "https://x/a b").contains("]("));
    }
}
