//! Dotenv files: `NAME=value` lines as the common loaders read them (python-dotenv,
//! dotenv for Node, docker compose `env_file`). Used by `keyward env check` and the audit.

use std::fmt;

/// One `NAME=value` of a dotenv file.
#[derive(Clone, PartialEq, Eq)]
pub struct DotenvEntry {
    pub name: String,
    pub value: String,
    /// 1-based line of the name.
    pub line: usize,
}

impl fmt::Debug for DotenvEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "DotenvEntry({}, line {}, <{} characters>)",
            self.name,
            self.line,
            self.value.chars().count()
        )
    }
}

/// A parsed dotenv file: its entries in order, and warnings (line, message) for lines
/// that could not be read. Warnings never quote the line.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Dotenv {
    pub entries: Vec<DotenvEntry>,
    pub warnings: Vec<(usize, String)>,
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
}

/// Parse dotenv text: `NAME=value` and `export NAME=value` lines, blank lines and `#`
/// comments; values unquoted (trimmed, a `#` after whitespace starts a comment), in
/// single quotes or backquotes (literal), or in double quotes (with `\n`, `\r`, `\t`,
/// `\"` and `\\` escapes); quoted values may span lines. CRLF line ends and a UTF-8
/// byte-order mark are accepted. A bare `NAME` (no `=`) sets nothing. A line that cannot
/// be read is a warning and is skipped.
pub fn parse_dotenv(text: &str) -> Dotenv {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut out = Dotenv::default();
    let mut i = 0;
    while i < lines.len() {
        let number = i + 1;
        let line = lines[i].trim_start();
        i += 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let rest = match line.strip_prefix("export") {
            Some(r) if r.starts_with([' ', '\t']) => r.trim_start(),
            _ => line,
        };
        let name_len = rest.find(|c: char| !is_name_char(c)).unwrap_or(rest.len());
        let name = &rest[..name_len];
        if !name.starts_with(is_name_start) {
            out.warnings.push((
                number,
                "expected NAME=value (a name starts with a letter or '_')".to_string(),
            ));
            continue;
        }
        let after = rest[name_len..].trim_start_matches([' ', '\t']);
        if after.is_empty() || after.starts_with('#') {
            continue; // `NAME` or `export NAME`: declares, sets nothing
        }
        let Some(after_eq) = after.strip_prefix('=') else {
            // The text is not quoted: a malformed line may be a key.
            out.warnings
                .push((number, "expected '=' after the name".to_string()));
            continue;
        };
        let spaced = after_eq.starts_with([' ', '\t']);
        let value_text = after_eq.trim_start_matches([' ', '\t']);
        let quote = value_text
            .chars()
            .next()
            .filter(|c| matches!(c, '\'' | '"' | '`'));
        let value = match quote {
            None => {
                let mut end = value_text.len();
                if spaced && value_text.starts_with('#') {
                    end = 0;
                } else if let Some(p) = value_text
                    .char_indices()
                    .find(|&(p, c)| c == '#' && p > 0 && value_text[..p].ends_with([' ', '\t']))
                    .map(|(p, _)| p)
                {
                    end = p;
                }
                value_text[..end].trim_end().to_string()
            }
            Some(q) => match read_quoted(&lines, i - 1, &value_text[1..], q) {
                Ok((value, last, tail)) => {
                    let tail = tail.trim_start();
                    i = last + 1;
                    if !tail.is_empty() && !tail.starts_with('#') {
                        out.warnings.push((
                            number,
                            "unexpected text after the closing quote of the value".to_string(),
                        ));
                        continue;
                    }
                    value
                }
                Err(()) => {
                    out.warnings.push((
                        number,
                        "the quote that opens the value is never closed".to_string(),
                    ));
                    continue;
                }
            },
        };
        out.entries.push(DotenvEntry {
            name: name.to_string(),
            value,
            line: number,
        });
    }
    out
}

/// Read a quoted value that starts in `first` (after the opening quote), line `at` of
/// `lines`: the value, the index of the line of the closing quote, and the text after it.
fn read_quoted<'a>(
    lines: &[&'a str],
    at: usize,
    first: &'a str,
    quote: char,
) -> Result<(String, usize, &'a str), ()> {
    let mut value = String::new();
    let mut current = first;
    let mut index = at;
    loop {
        let mut chars = current.char_indices();
        while let Some((p, c)) = chars.next() {
            if c == quote {
                return Ok((value, index, &current[p + c.len_utf8()..]));
            }
            if c == '\\' && quote == '"' {
                match chars.next() {
                    Some((_, 'n')) => value.push('\n'),
                    Some((_, 'r')) => value.push('\r'),
                    Some((_, 't')) => value.push('\t'),
                    Some((_, e @ ('"' | '\\'))) => value.push(e),
                    Some((_, other)) => {
                        value.push('\\');
                        value.push(other);
                    }
                    None => value.push('\\'),
                }
                continue;
            }
            value.push(c);
        }
        index += 1;
        if index >= lines.len() {
            return Err(());
        }
        value.push('\n');
        current = lines[index];
    }
}
