//! The settings `keyward env check` looks at: the process environment (the names the
//! rules know) and the dotenv files named with `--env-file`, read through
//! [`crate::repofile::read_user_file`] (a regular file, a FIFO or a process
//! substitution, at most [`crate::repofile::MAX_SIZE`] bytes) and parsed by
//! [`crate::dotenv`]. Unreadable files and unreadable lines are reported on standard
//! error, naming the file and line, never quoting a line.
//!
//! It must not know verdicts or reports.

use super::{known_vars, Dotenv, Options, Origin, Setting};
use crate::repofile::{read_user_file, ReadError};
use crate::rules::RuleSet;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// The settings to check, and how many sources could not be read.
pub(super) struct Input {
    pub(super) settings: Vec<Setting>,
    pub(super) errors: usize,
}

/// Read the sources `options` names: the process environment (without env files, or
/// with `process`), then each env file in order. An unreadable file is an error on
/// standard error (counted); the warnings (unreadable lines, names set twice, invalid
/// UTF-8) follow them there, with any key in them redacted.
pub(super) fn read(rules: &RuleSet, options: &Options) -> Input {
    let mut warnings = Vec::new();
    let mut errors = 0usize;
    let mut settings = Vec::new();
    if options.env_files.is_empty() || options.process {
        settings.extend(process_settings(rules));
    }
    for path in &options.env_files {
        let shown = path.display().to_string();
        match read_env_file(path) {
            Ok((text, lossy)) => {
                settings.extend(env_file_settings(&shown, &text, lossy, &mut warnings))
            }
            Err(why) => {
                errors += 1;
                eprintln!(
                    "keyward: error: cannot read env file {}: {why}",
                    crate::escape::terminal(&shown)
                );
            }
        }
    }
    for w in &warnings {
        // Warnings name variables from the file; a name may be a key.
        let w = crate::escape::terminal(&crate::scan::redact::redact_text(rules, w));
        eprintln!("keyward: warning: {w}");
    }
    Input { settings, errors }
}

/// The settings of the dotenv file `shown` with text `text`; `lossy`: invalid UTF-8 was
/// replaced, and the values that hold a replacement are marked as not UTF-8.
fn env_file_settings(
    shown: &str,
    text: &str,
    lossy: bool,
    warnings: &mut Vec<String>,
) -> Vec<Setting> {
    if lossy {
        warnings.push(format!(
            "{shown}: not valid UTF-8; values with invalid bytes are reported as malformed"
        ));
    }
    let parsed = crate::dotenv::parse_dotenv(text);
    for (line, w) in &parsed.warnings {
        warnings.push(format!("{shown}:{line}: {w}; line skipped"));
    }
    let mut from_file = file_settings(shown, &parsed, warnings);
    if lossy {
        for s in &mut from_file {
            s.utf8 = !s.value.contains(char::REPLACEMENT_CHARACTER);
        }
    }
    from_file
}

/// The text of a dotenv file (UTF-16 with a byte-order mark is decoded), and whether
/// invalid UTF-8 was replaced; the error says why it cannot be read.
fn read_env_file(path: &Path) -> Result<(String, bool), String> {
    let bytes = read_user_file(path).map_err(|e| why(&e))?;
    let crate::scan::Decoded::Text(text) = crate::scan::decode(&bytes) else {
        return Err("a binary file, not a dotenv file".to_string());
    };
    Ok(match String::from_utf8(text.into_owned()) {
        Ok(t) => (t, false),
        Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), true),
    })
}

/// Why an env file was not read, without its path (the caller's message names it).
fn why(e: &ReadError) -> String {
    match e {
        ReadError::Missing { .. } => "no such file".to_string(),
        ReadError::TooLarge { cap, .. } => {
            format!("larger than {cap} bytes, the limit for a dotenv file")
        }
        ReadError::NotRegular { kind, .. } => format!("not a regular file ({kind})"),
        ReadError::Io { error, .. } => error.to_string(),
        other => other.to_string(),
    }
}

/// The settings of a dotenv file, the last of each name (earlier ones are warned about).
pub fn file_settings(path: &str, parsed: &Dotenv, warnings: &mut Vec<String>) -> Vec<Setting> {
    let mut last: HashMap<&str, usize> = HashMap::new();
    for (i, e) in parsed.entries.iter().enumerate() {
        if let Some(prev) = last.insert(&e.name, i) {
            let p = &parsed.entries[prev];
            warnings.push(format!(
                "{path}:{}: {} is set again on line {}; the last value counts",
                p.line, p.name, e.line
            ));
        }
    }
    let mut keep: Vec<usize> = last.into_values().collect();
    keep.sort_unstable();
    keep.into_iter()
        .map(|i| {
            let e = &parsed.entries[i];
            Setting::new(
                e.name.clone(),
                Origin::File {
                    path: path.to_string(),
                    line: e.line,
                },
                e.value.clone(),
            )
        })
        .collect()
}

/// The settings of the process environment whose names the rules know, sorted by name.
pub fn process_settings(rules: &RuleSet) -> Vec<Setting> {
    let known: HashSet<String> = known_vars(rules)
        .into_iter()
        .map(|k| k.name.to_ascii_uppercase())
        .collect();
    let mut out: Vec<Setting> = std::env::vars_os()
        .filter_map(|(k, v)| {
            let name = k.into_string().ok()?;
            known
                .contains(&name.to_ascii_uppercase())
                .then(|| Setting::from_os(name, Origin::Process, v))
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_files_over_the_size_cap_are_refused_and_named_by_the_caller() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.env");
        let line = "OPENAI_API_KEY=x\n";
        let cap = crate::repofile::MAX_SIZE as usize;
        std::fs::write(&big, line.repeat(cap / line.len() + 1)).unwrap();
        let err = read_env_file(&big).unwrap_err();
        assert_eq!(
            err,
            format!("larger than {cap} bytes, the limit for a dotenv file")
        );
        let at_cap = dir.path().join("at-cap.env");
        std::fs::write(&at_cap, "A=1\n".repeat(cap / 4)).unwrap();
        assert!(read_env_file(&at_cap).is_ok());
        assert_eq!(
            read_env_file(&dir.path().join("none.env")).unwrap_err(),
            "no such file"
        );
        assert_eq!(
            read_env_file(dir.path()).unwrap_err(),
            "not a regular file (a directory)"
        );
    }
}
