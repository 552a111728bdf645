//! The house stays straight: every `use crate::…` line and `crate::x::` path in `src/`
//! points down the layers of DESIGN.md (command line → commands → sources, audit,
//! reports → matcher, findings → rules → leaf helpers), and no source file grows past
//! what a reader holds at once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The layer of each top-level module of `src/`: a module may import only modules of a
/// strictly lower layer (and itself).
const LAYERS: &[(&str, u8)] = &[
    // The command line: clap's types, mapped to each command's options.
    ("cli", 70),
    // The commands, one module each.
    ("cmd", 60),
    // What the commands put together: the audit, the env check, GitHub event plans,
    // hook files, and a scan's session (configuration, rules, suppressions).
    ("audit", 50),
    ("agenthook", 50),
    ("envcheck", 50),
    ("github", 50),
    ("hooks", 50),
    ("session", 50),
    // Sources of bytes (work tree, history, index) and the report formats.
    ("source", 40),
    ("report", 40),
    // One blob through the matcher into findings (used by every source).
    ("pipeline", 35),
    // Coding agents' files: path knowledge, configuration entries, transcripts.
    ("agentfile", 33),
    // Findings and what suppresses them.
    ("finding", 30),
    ("suppress", 32),
    ("catchall", 32),
    // The matcher, and the validated configuration.
    ("scan", 20),
    ("config", 20),
    // Rules: the model, loading, templates, checksums.
    ("rules", 10),
    // Leaf helpers that know nothing of the rest (those that build on another leaf
    // sit one step above it).
    ("output", 2),
    ("repofile", 2),
    ("parse_error", 1),
    ("exit", 0),
    ("escape", 0),
    ("secret", 0),
    ("dotenv", 0),
];

/// The longest a source file may be, in lines.
const MAX_LINES: usize = 600;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`None` for lib.rs and main.rs).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib" && name != "main").then(|| name.to_string())
}

/// Every top-level module named after `crate::` in the text, with its line number,
/// including each member of a `use crate::{a, b::c}` group.
fn imports(text: &str) -> Vec<(usize, String)> {
    // Line comments go first, so a doc comment naming a module is not an import.
    let code: String = text
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = code[from..].find("crate::") {
        let at = from + i + "crate::".len();
        from = at;
        if code[at..].starts_with('{') {
            // The group's members at depth 1: the first identifier after `{` or a comma.
            let (mut depth, mut expect, mut word_at) = (0usize, true, None);
            for (j, c) in code[at..].char_indices() {
                let here = at + j;
                let ident = c.is_ascii_alphanumeric() || c == '_';
                if let Some(w) = word_at {
                    if !ident {
                        let word = &code[w..here];
                        if word != "self" {
                            found.push((line_of(w), word.to_string()));
                        }
                        word_at = None;
                    }
                }
                match c {
                    '{' => {
                        depth += 1;
                        expect = depth == 1;
                    }
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ',' if depth == 1 => expect = true,
                    c if ident && expect && depth == 1 => {
                        word_at = Some(here);
                        expect = false;
                        let _ = c;
                    }
                    c if !c.is_whitespace() && !ident => expect = false,
                    _ => {}
                }
            }
        } else {
            let name: String = code[at..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.push((line_of(at), name));
            }
        }
    }
    found
}

#[test]
fn imports_point_down_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let layers: BTreeMap<&str, u8> = LAYERS.iter().copied().collect();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    for file in &files {
        let Some(from) = module_of(&src, file) else {
            continue;
        };
        let rel = file.strip_prefix(&src).unwrap().display().to_string();
        let Some(&from_layer) = layers.get(from.as_str()) else {
            wrong.push(format!(
                "src/{rel}: module `{from}` has no layer in tests/layers.rs"
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).expect("a source file is UTF-8");
        for (line, to) in imports(&text) {
            if to == from {
                continue;
            }
            match layers.get(to.as_str()) {
                None => wrong.push(format!("src/{rel}:{line}: `crate::{to}` has no layer")),
                Some(&to_layer) if to_layer >= from_layer => wrong.push(format!(
                    "src/{rel}:{line}: `{from}` (layer {from_layer}) imports `{to}` (layer {to_layer})"
                )),
                Some(_) => {}
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layering:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn source_files_stay_readable() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut long = Vec::new();
    for file in &files {
        let n = std::fs::read_to_string(file)
            .expect("readable")
            .lines()
            .count();
        if n > MAX_LINES {
            long.push(format!("{}: {n} lines", file.display()));
        }
    }
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_import_parser_reads_groups() {
    let text = "use crate::{\n    finding::Finding,\n    rules::{self, RuleSet},\n};\nuse crate::scan::Matcher;\nlet x = crate::secret::Secret::new();\n";
    let names: Vec<String> = imports(text).into_iter().map(|(_, n)| n).collect();
    assert_eq!(names, ["finding", "rules", "scan", "secret"]);
}
