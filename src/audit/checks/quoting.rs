//! Which bytes of a line of code are code, and which are the inside of a string
//! literal or a comment: a word inside a quoted string is not a command, and a name in
//! a sentence is not a variable. Interpolations are code again: `${…}` and `$NAME` in
//! double-quoted (and backquoted) strings, `$(…)` in a shell's double quotes, `#{…}`
//! in Ruby's, `{…}` in Python's f-strings. A shell's single quotes keep everything
//! literal.
//!
//! It must not know what the logging checks look for in the code it marks.

/// How a file's language quotes and comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Syntax {
    /// A POSIX shell (or a CI step's script): single quotes are fully literal and
    /// `$(…)` runs a command inside double quotes.
    pub shell: bool,
    /// `#` starts a comment (after a blank or at the start of the line).
    pub hash_comments: bool,
    /// `//` starts a comment (after a blank or at the start of the line).
    pub slash_comments: bool,
}

impl Syntax {
    /// The syntax of a file, by its extension.
    pub fn of(path: &str) -> Syntax {
        let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
        Syntax {
            shell: matches!(ext, "sh" | "bash" | "zsh" | "yml" | "yaml"),
            hash_comments: matches!(
                ext,
                "sh" | "bash" | "zsh" | "py" | "rb" | "yml" | "yaml" | "pl" | "r"
            ),
            slash_comments: matches!(
                ext,
                "js" | "mjs"
                    | "cjs"
                    | "ts"
                    | "tsx"
                    | "jsx"
                    | "go"
                    | "java"
                    | "kt"
                    | "rs"
                    | "php"
                    | "cs"
                    | "swift"
            ),
        }
    }
}

enum Frame {
    /// Code; `closer` ends an interpolation (`}` or `)`), at brace depth `depth`.
    Code { closer: Option<u8>, depth: usize },
    /// A string literal opened by `quote`; `fstring`: `{…}` interpolates.
    Str { quote: u8, fstring: bool },
}

/// For each byte of `line`: is it code (outside string literals and comments)?
pub fn code_mask(line: &str, syntax: Syntax) -> Vec<bool> {
    let b = line.as_bytes();
    let mut mask = vec![false; b.len()];
    let mut stack = vec![Frame::Code {
        closer: None,
        depth: 0,
    }];
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let prev_blank = i == 0 || b[i - 1].is_ascii_whitespace();
        match stack.last_mut() {
            Some(Frame::Code { closer, depth }) => {
                if Some(c) == *closer && *depth == 0 {
                    stack.pop();
                    i += 1;
                    continue;
                }
                if c == b'{' {
                    *depth += 1;
                } else if c == b'}' && *depth > 0 {
                    *depth -= 1;
                }
                let outer = closer.is_none();
                if matches!(c, b'\'' | b'"' | b'`') {
                    let fstring = i > 0
                        && matches!(b[i - 1], b'f' | b'F')
                        && (i < 2 || !b[i - 2].is_ascii_alphanumeric());
                    stack.push(Frame::Str { quote: c, fstring });
                } else if outer
                    && prev_blank
                    && ((syntax.hash_comments && c == b'#')
                        || (syntax.slash_comments && line[i..].starts_with("//")))
                {
                    break;
                } else {
                    mask[i] = true;
                }
                i += 1;
            }
            Some(Frame::Str { quote, fstring }) => {
                let (q, f) = (*quote, *fstring);
                let literal = syntax.shell && q == b'\'';
                if c == b'\\' && !literal {
                    i += 2;
                    continue;
                }
                if c == q {
                    stack.pop();
                    i += 1;
                    continue;
                }
                if !literal {
                    let next = b.get(i + 1).copied();
                    let interpolates = q != b'\'' || f;
                    let open = match (c, next) {
                        (b'$', Some(b'{')) if interpolates => Some((2, b'}')),
                        (b'$', Some(b'(')) if syntax.shell && q == b'"' => Some((2, b')')),
                        (b'#', Some(b'{')) if q == b'"' => Some((2, b'}')),
                        (b'{', _) if f => Some((1, b'}')),
                        _ => None,
                    };
                    if let Some((skip, closer)) = open {
                        stack.push(Frame::Code {
                            closer: Some(closer),
                            depth: 0,
                        });
                        i += skip;
                        continue;
                    }
                    if c == b'$'
                        && q != b'\''
                        && next.is_some_and(|n| n.is_ascii_alphabetic() || n == b'_')
                    {
                        // `$NAME` expands inside double quotes.
                        mask[i] = true;
                        i += 1;
                        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                            mask[i] = true;
                            i += 1;
                        }
                        continue;
                    }
                }
                i += 1;
            }
            None => break,
        }
    }
    mask
}

/// Is the byte at `at` code?
pub fn is_code_at(mask: &[bool], at: usize) -> bool {
    mask.get(at).copied().unwrap_or(false)
}

/// Does a shell command's standard output go elsewhere than the log: a redirection
/// to a file (`> f`, `>> f`, but not `>&2` nor `2> f`) or a pipe (`| cmd`, not `||`),
/// in code after byte `from`?
pub fn output_redirected(line: &str, mask: &[bool], from: usize) -> bool {
    let b = line.as_bytes();
    (from..b.len()).any(|i| {
        if !is_code_at(mask, i) {
            return false;
        }
        let prev = if i > 0 { b[i - 1] } else { b' ' };
        let next = b.get(i + 1).copied().unwrap_or(b' ');
        match b[i] {
            b'>' => prev != b'>' && prev != b'2' && prev != b'&' && next != b'&',
            b'|' => prev != b'|' && next != b'|',
            _ => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(line: &str, path: &str) -> String {
        let mask = code_mask(line, Syntax::of(path));
        line.char_indices()
            .map(|(i, c)| if is_code_at(&mask, i) { c } else { ' ' })
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn words_in_strings_are_not_code() {
        assert_eq!(
            code(r#"echo "a test file with the vault password" > f"#, "t.sh"),
            "echo > f"
        );
        assert_eq!(code(r#"echo "key: $API_TOKEN""#, "t.sh"), "echo $API_TOKEN");
        assert_eq!(code(r#"echo 'key: $API_TOKEN'"#, "t.sh"), "echo");
        assert_eq!(code(r#"x = "hello $(echo world)""#, "t.rb"), "x =");
        assert_eq!(code(r#"x = "hi #{token}""#, "t.rb"), "x = token");
        assert_eq!(
            code(r#"print(f"key {api_key}")"#, "t.py"),
            "print(f api_key )"
        );
        assert_eq!(code(r#"print("key {api_key}")"#, "t.py"), "print( )");
        assert_eq!(
            code("console.log(`key: ${process.env.KEY}`);", "t.js"),
            "console.log( process.env.KEY );"
        );
        assert_eq!(code("run() # print(password)", "t.py"), "run()");
        assert_eq!(code(r#"say("don\"t", x)"#, "t.py"), "say( , x)");
    }

    #[test]
    fn redirections() {
        let r = |line: &str| output_redirected(line, &code_mask(line, Syntax::of("t.sh")), 0);
        assert!(r(r#"echo "Bearer $TOKEN" > ~/.gem/credentials"#));
        assert!(r("echo $TOKEN | docker login --password-stdin"));
        assert!(!r("echo $TOKEN >&2"));
        assert!(!r("echo $TOKEN 2>/dev/null"));
        assert!(!r("test -n $A || echo $TOKEN"));
        assert!(!r(r#"echo "a > b $TOKEN""#));
    }
}
