//! Parse errors in configuration files, told without quoting the file.
//!
//! A TOML error from the `toml` crate prints the offending line with a caret under it,
//! and serde's messages quote the value they refused (`invalid type: string "…"`); the
//! line may hold a key. These messages name the file, the line and column, and what was
//! expected, and nothing the file says except the names keyward's own schema uses.
//!
//! It must not know keyward's configuration schema: it tells positions and kinds of
//! error.

use std::path::Path;

/// The names keyward's configuration and rule files use (tables, keys and values): a
/// name in backquotes in a parse error is kept when it is one of these, or one of the
/// names the message itself lists as expected.
const SCHEMA_WORDS: &[&str] = &[
    "rules",
    "rule",
    "allowlist",
    "scan",
    "rotation",
    "attest",
    "waive",
    "reason",
    "expires",
    "path",
    "builtin",
    "disable",
    "severity",
    "paths",
    "path_regexes",
    "regexes",
    "stopwords",
    "max_file_size",
    "high",
    "medium",
    "low",
    "critical",
    "warn_days",
    "keys",
    "last_rotated",
    "check",
    "by",
    "date",
    "note",
    "valid_days",
    "id",
    "name",
    "provider",
    "precision",
    "description",
    "keywords",
    "regex",
    "assignment",
    "secret_group",
    "entropy",
    "checksum",
    "boundary",
    "window",
    "placeholder_filter",
    "generic",
    "env_vars",
    "revoke_url",
    "rotation_days",
    "variants",
    "key",
    "examples",
    "negative_examples",
    "context",
    "value",
    "very-high",
    "word",
    "base64",
    "none",
    "crc32-base62",
    "github-fine-grained",
    "crc32-base36",
];

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// `path: line L, column C: message` for a TOML error in `text`, read from `path`.
pub fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> String {
    format!("{}: {}", path.display(), toml_error_at(text, e))
}

/// `line L, column C: message` for a TOML error in `text`.
pub fn toml_error_at(text: &str, e: &toml::de::Error) -> String {
    let message = clean(e.message());
    match e.span() {
        Some(span) => {
            let (line, column) = line_column(text, span.start);
            format!("line {line}, column {column}: {message}")
        }
        None => message,
    }
}

/// `path: line L, column C: message` for a JSON error.
pub fn json_error(path: &Path, e: &serde_json::Error) -> String {
    let text = e.to_string();
    // serde_json appends " at line L column C".
    let message = match text.rfind(" at line ") {
        Some(i) => &text[..i],
        None => &text,
    };
    if e.line() == 0 {
        format!("{}: {}", path.display(), clean(message))
    } else {
        format!(
            "{}: line {}, column {}: {}",
            path.display(),
            e.line(),
            e.column(),
            clean(message)
        )
    }
}

/// A parse error message with everything it quotes from the file taken out: quoted
/// values are dropped, and a name in backquotes stays only when it is a name of the
/// schema or one the message lists as expected (an unknown name gets a suggestion
/// instead, when one is close).
pub fn clean(message: &str) -> String {
    let message = message.trim().replace('\n', "; ");
    let expected: Vec<String> = match message.find("expected") {
        Some(i) => backquoted(&message[i..])
            .into_iter()
            .map(str::to_string)
            .collect(),
        None => Vec::new(),
    };
    let known = |w: &str| {
        SCHEMA_WORDS.contains(&w)
            || expected.iter().any(|e| e == w)
            || (w.chars().count() <= 3 && !w.chars().any(char::is_alphanumeric))
    };
    let mut out = String::new();
    let mut suggestion = None;
    let mut chars = message.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' | '\'' if is_quote_start(&message, i) => {
                // A quoted value: dropped, with the blank before it.
                let mut escaped = false;
                for (_, d) in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if d == '\\' {
                        escaped = true;
                    } else if d == c {
                        break;
                    }
                }
                while out.ends_with(' ') {
                    out.pop();
                }
                out.push_str(" (value not shown)");
            }
            '`' => {
                let rest = &message[i + 1..];
                match rest.find('`') {
                    Some(end) => {
                        let word = &rest[..end];
                        if known(word) {
                            out.push('`');
                            out.push_str(word);
                            out.push('`');
                        } else {
                            out.push_str("(name not shown)");
                            if suggestion.is_none() && message.starts_with("unknown") {
                                suggestion = expected.iter().find(|e| close(word, e)).cloned();
                            }
                        }
                        for _ in 0..=word.chars().count() {
                            chars.next();
                        }
                    }
                    None => {
                        out.push_str("(name not shown)");
                        break;
                    }
                }
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    if let Some(s) = suggestion {
        out.push_str(&format!(" (did you mean `{s}`?)"));
    }
    out
}

/// A `"` or `'` opens a quoted value when it follows a blank, `(` or the start (an
/// apostrophe inside a word does not).
fn is_quote_start(message: &str, i: usize) -> bool {
    message[..i]
        .chars()
        .next_back()
        .is_none_or(|p| p == ' ' || p == '(' || p == ':' || p == '=')
}

fn backquoted(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

/// Within two edits (a typo of a schema name).
fn close(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() < 4 || a.len().abs_diff(b.len()) > 2 || a.len() > 64 {
        return false;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push(
                (prev[j] + usize::from(ca != cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1),
            );
        }
        prev = cur;
    }
    prev[b.len()] <= 2
}

/// What is wrong with a regex, without the regex (the engine's message quotes it).
pub fn regex_error(e: &regex_syntax::Error) -> String {
    let (kind, span) = match e {
        regex_syntax::Error::Parse(e) => (e.kind().to_string(), *e.span()),
        regex_syntax::Error::Translate(e) => (e.kind().to_string(), *e.span()),
        _ => return "not a valid regex".to_string(),
    };
    format!("{kind} (at character {} of the pattern)", span.start.column)
}

/// [`regex_error`] for an error of the `regex` crate: the pattern is parsed again for
/// the reason.
pub fn regex_crate_error(pattern: &str, e: &regex::Error) -> String {
    match e {
        regex::Error::CompiledTooBig(limit) => {
            format!("larger than {limit} bytes once compiled; simplify it")
        }
        _ => match regex_syntax::Parser::new().parse(pattern) {
            Err(e) => regex_error(&e),
            Ok(_) => "not a valid regex".to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regex_errors_do_not_quote_the_pattern() {
        let pattern = "QzX9vK2mP7wL4nR8tY3uB6(";
        let e = regex::Regex::new(pattern).unwrap_err();
        let m = regex_crate_error(pattern, &e);
        assert!(!m.contains("QzX9vK2m"), "{m}");
        assert!(m.contains("unclosed group"), "{m}");
    }

    #[test]
    fn line_and_column_of_an_offset() {
        let text = "a = 1\nbé = x\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        assert_eq!(line_column(text, text.find('x').unwrap()), (2, 6));
        assert_eq!(line_column(text, 999), (3, 1));
    }

    #[test]
    fn quoted_values_and_unknown_names_are_left_out() {
        let m = clean("invalid type: string \"sk-SECRETVALUE\", expected u32");
        assert_eq!(m, "invalid type: string (value not shown), expected u32");
        let m = clean("unknown field `medum`, expected one of `high`, `medium`, `low`");
        assert!(!m.contains("medum"), "{m}");
        assert!(m.contains("did you mean `medium`?"), "{m}");
        let m = clean("unknown field `AKIASECRETSECRET1234`, expected `id`");
        assert!(!m.contains("SECRET"), "{m}");
        let m = clean("invalid string\nexpected `\"`, `'`");
        assert_eq!(m, "invalid string; expected `\"`, `'`");
        let m = clean("missing field `revoke_url`");
        assert_eq!(m, "missing field `revoke_url`");
        let m = clean("invalid value: string 'q\\'z', expected it isn't");
        assert!(!m.contains('q') && !m.contains('z'), "{m}");
        assert!(m.ends_with("expected it isn't"), "{m}");
    }

    /// Every kind of broken line holding a key: the message never shows the key.
    #[test]
    fn json_errors_never_quote_the_value() {
        let key = "QzX9vK2mP7wL4nR8tY3uB6";
        for doc in [
            format!("\"{key}\""),
            format!("{{\"a\": \"{key}\",}}"),
            format!("{{\"a\": {key}}}"),
            format!("[\"{key}\"]"),
        ] {
            let e =
                serde_json::from_str::<std::collections::BTreeMap<String, serde_json::Value>>(&doc)
                    .unwrap_err();
            let shown = json_error(Path::new("k.json"), &e);
            assert!(!shown.contains(&key[..8]), "{doc} -> {shown}");
            assert!(shown.contains("line 1"), "{shown}");
        }
    }
}
