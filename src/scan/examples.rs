//! Where a value is an example rather than a secret: documentation files, test code,
//! and documentation blocks inside code (indented code in doc comments, doctests,
//! the `EXAMPLES`/`DOCUMENTATION`/`RETURN` strings of Ansible modules). Only generic
//! (low-confidence) findings are judged by these: a key of a known format is reported
//! wherever it is.

/// Whether `path` is a documentation file: Markdown, reStructuredText, AsciiDoc,
/// Textile, or any file under a `docs`, `doc`, `docsite`, `guides` or `Documentation`
/// directory.
pub fn is_documentation_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit(['/', '\\']).next().unwrap_or(&lower);
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    if matches!(
        ext,
        "md" | "markdown" | "mdx" | "rst" | "adoc" | "asciidoc" | "textile" | "rdoc" | "pod"
    ) {
        return true;
    }
    let documentation =
        dirs(&lower).any(|d| matches!(d, "docs" | "doc" | "docsite" | "guides" | "documentation"));
    documentation
}

/// Whether `path` is test code or a test fixture: under a `test`, `tests`, `t`, `spec`,
/// `testdata`, `fixtures` or `__tests__` directory, or named like a test
/// (`test_x.py`, `x_test.go`, `x.test.js`, `x_spec.rb`, `XTest.java`).
pub fn is_test_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let in_test_dir = dirs(&lower).any(|d| {
        matches!(
            d,
            "test"
                | "tests"
                | "t"
                | "spec"
                | "specs"
                | "testdata"
                | "test-data"
                | "testing"
                | "fixtures"
                | "fixture"
                | "__tests__"
                | "__fixtures__"
                | "e2e"
        )
    });
    if in_test_dir {
        return true;
    }
    let original = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let name = lower.rsplit(['/', '\\']).next().unwrap_or(&lower);
    let stem = name.split('.').next().unwrap_or(name);
    matches!(stem, "test" | "tests")
        || stem.starts_with("test_")
        || stem.ends_with("_test")
        || stem.ends_with("_spec")
        || stem.ends_with("_tests")
        || name.contains(".test.")
        || name.contains(".spec.")
        || original
            .split('.')
            .next()
            .is_some_and(|s| s.ends_with("Test") || s.ends_with("Tests"))
}

/// The directory names of a lowercase path.
fn dirs(lower: &str) -> impl Iterator<Item = &str> {
    let mut parts: Vec<&str> = lower.split(['/', '\\']).collect();
    parts.pop();
    parts.into_iter()
}

fn line_bounds(text: &[u8], at: usize) -> (usize, usize) {
    let s = memchr::memrchr(b'\n', &text[..at]).map_or(0, |i| i + 1);
    let e = memchr::memchr(b'\n', &text[at..]).map_or(text.len(), |i| at + i);
    (s, e)
}

/// Whether the value at `at` stands in documentation inside code: a doc comment's
/// indented example (`#   user.password = '…'`, ` *   token: …`), a doctest line
/// (`>>> password = "…"`), or an Ansible module's `EXAMPLES`, `DOCUMENTATION` or
/// `RETURN` string.
pub fn in_example_block(text: &[u8], at: usize) -> bool {
    let (ls, le) = line_bounds(text, at);
    let line = &text[ls..le];
    let trimmed_start = line
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t'))
        .unwrap_or(line.len());
    let rest = &line[trimmed_start..];
    // A comment whose text is indented by two blanks or more: a code example.
    for marker in [&b"#"[..], b"//", b"*", b"--", b";", b"///", b"//!", b"##"] {
        if let Some(after) = rest.strip_prefix(marker) {
            if after.starts_with(b"  ") || after.starts_with(b"\t") {
                return true;
            }
        }
    }
    if rest.starts_with(b">>> ") || rest.starts_with(b"... ") {
        return true;
    }
    in_ansible_doc_string(text, ls)
}

/// Whether the line starting at `ls` is inside a module-level `EXAMPLES = '''…'''`
/// (or `DOCUMENTATION`, `RETURN`) string.
fn in_ansible_doc_string(text: &[u8], ls: usize) -> bool {
    let before = &text[..ls];
    let mut pos = before.len();
    // Walk back line by line (at most a few thousand lines) to the opening or a close.
    for _ in 0..4000 {
        if pos == 0 {
            return false;
        }
        let start = memchr::memrchr(b'\n', &before[..pos - 1]).map_or(0, |i| i + 1);
        let line = &before[start..pos.saturating_sub(1).max(start)];
        let opens = ["EXAMPLES", "DOCUMENTATION", "RETURN"].iter().any(|n| {
            line.starts_with(n.as_bytes())
                && line[n.len()..].trim_ascii_start().starts_with(b"=")
                && (memchr::memmem::find(line, b"'''").is_some()
                    || memchr::memmem::find(line, b"\"\"\"").is_some())
        });
        if opens {
            return true;
        }
        let closes = memchr::memmem::find(line, b"'''").is_some()
            || memchr::memmem::find(line, b"\"\"\"").is_some();
        if closes {
            return false;
        }
        pos = start;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documentation_and_test_paths() {
        for p in ["README.md", "docs/config.py", "a/guides/x.txt", "x.rst"] {
            assert!(is_documentation_path(p), "{p}");
        }
        for p in [
            "test/units/x.py",
            "src/t/t0001.sh",
            "pkg/x_test.go",
            "app/spec/models/user_spec.rb",
            "src/FooTest.java",
            "test_api.py",
            "contrib/credential/netrc/test.netrc",
            "web/a.test.ts",
        ] {
            assert!(is_test_path(p), "{p}");
        }
        for p in [
            "src/config.py",
            "settings/.env",
            "contest/x.py",
            "latest/app.rb",
        ] {
            assert!(!is_test_path(p) && !is_documentation_path(p), "{p}");
        }
    }

    #[test]
    fn example_blocks() {
        let at = |text: &str, needle: &str| {
            in_example_block(text.as_bytes(), text.find(needle).unwrap())
        };
        // Values built at run time: no checked-in line assigns one.
        let value = ["mUc3m0", "0RsqyRe"].concat();
        let assign = |lead: &str| format!("{lead}password = '{value}'\n");
        assert!(at(&assign("#   user."), "mUc3"));
        assert!(at("    >>> token = 'abc'\n", "abc"));
        assert!(!at(&assign("# "), "mUc3"));
        assert!(!at(&assign(""), "mUc3"));
        let module = "DOCUMENTATION = '''\nx: 1\n'''\n\nEXAMPLES = r'''\n- name: x\n  api_token: e31060a7\n'''\n\nTOKEN = 'e31060a8'\n";
        assert!(at(module, "e31060a7"));
        assert!(!at(module, "e31060a8"));
    }
}
