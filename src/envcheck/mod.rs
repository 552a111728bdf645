//! `keyward env check`: validate the format of the keys configured for this process (its
//! environment) or in `.env` files, without ever printing one.
//!
//! The variables checked are those the rules name (`env_vars` of every rule and variant).
//! The rules and variants that list a name are its *owners*. A value set for a known
//! name goes through the scanner's matcher twice: as `NAME=value`, so formats keyed on
//! the name (Mistral, Cohere, assignment rules) and provider attribution by context
//! (`DEEPSEEK_API_KEY=sk-…`) work as in a scan, and alone, so a key inside a larger
//! value (the password of a connection string) is found. The verdict:
//!
//! | status | when | fails |
//! | --- | --- | --- |
//! | valid | a key the owners accept spans the whole value (or sits where the owner's format puts it) | no |
//! | mismatch | the whole value is another provider's key (an Anthropic key in `OPENAI_API_KEY`) | yes |
//! | malformed | the owners' format is not met: truncated, extra characters, whitespace, quotes | yes |
//! | placeholder | empty, a documentation filler (`your-key-here`, `sk-...`) or a reference (`$VAR`): not configured | no |
//! | unknown format | nothing recognised, for a name that may hold other kinds of value (see [`Checker::is_loose`]) | no |
//! | not set | a known name that no source sets (listed with `--all`) | no |
//!
//! A value never leaves a [`Setting`]: reports carry its length and at most the public
//! prefix of its format (the literal start of the rule's pattern, such as `sk-ant-api03-`).
//!
//! This file owns the types every part shares ([`Setting`], [`Status`], [`Checked`], the
//! known names), [`check_all`], the command's [`Options`] and [`run`]. The parts:
//!
//! | module | owns |
//! | --- | --- |
//! | `input` | the settings: the process environment and `--env-file` files (size-capped) |
//! | `verdict` | the [`Checker`]: what the matcher finds in a value, and the verdict, step by step |
//! | `owners` | what a name's owners accept: providers, compatibility, loose names |
//! | `classify` | what a name or a value looks like (generic words, paths, references, quotes) |
//! | `shape` | what a rule's pattern says of its keys: public prefixes and lengths |
//! | `message` | the English of the verdicts (articles, lengths, what to do) |
//! | `render` | the human table, the JSON report and the summary line |
//!
//! It must not know the command line: `cli` maps its arguments onto [`Options`]. It uses
//! only lower layers (rules, the scanner, dotenv, and the leaf helpers).

mod classify;
mod input;
mod message;
mod owners;
mod render;
mod shape;
#[cfg(test)]
mod tests;
mod verdict;

pub use crate::dotenv::{parse_dotenv, Dotenv, DotenvEntry};
pub use input::{file_settings, process_settings};
pub use render::{render_human, render_json, summary, write_human, write_json};
pub use verdict::Checker;

use crate::exit::{CLEAN, ERROR, FINDINGS};
use crate::rules::RuleSet;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Write as _;
use std::path::PathBuf;

/// What `keyward env check` reads and how it reports (the command line maps onto this).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Dotenv files to check, in order; with none, the process environment is checked.
    pub env_files: Vec<PathBuf>,
    /// Also check the process environment when `env_files` is not empty.
    pub process: bool,
    /// Also list the known names that no source sets.
    pub all: bool,
    pub format: Format,
}

/// The report on standard output.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    /// A table, then a line for each variable that needs attention.
    #[default]
    Human,
    /// An array with one object per variable.
    Json,
}

/// Check `settings` (in order; within one file, a name set twice counts once, at its
/// last line) and, with `all`, list the known names none of them sets.
pub fn check_all(rules: &RuleSet, settings: &[Setting], all: bool) -> (Vec<Checked>, usize) {
    let mut checker = Checker::new(rules);
    let mut results = Vec::new();
    let mut set: HashSet<String> = HashSet::new();
    for s in settings {
        if let Some(c) = checker.check(s) {
            set.insert(s.name.to_ascii_uppercase());
            results.push(c);
        }
    }
    let mut unset = 0;
    let known = checker.known().to_vec();
    for k in &known {
        if set.contains(&k.name.to_ascii_uppercase()) {
            continue;
        }
        unset += 1;
        if all {
            results.push(Checked {
                name: k.name.clone(),
                origin: None,
                status: Status::NotSet,
                length: None,
                prefix: None,
                expected: checker.expected(&k.owners),
                detected: None,
                message: "is not set".to_string(),
            });
        }
    }
    (results, unset)
}

/// `keyward env check`: read the sources, check, print, and return the exit code.
pub fn run(rules: &RuleSet, options: &Options) -> anyhow::Result<i32> {
    let input = input::read(rules, options);
    let (results, unset) = check_all(rules, &input.settings, options.all);
    let mut stdout = crate::output::stdout();
    let written = match options.format {
        Format::Json => write_json(&mut stdout, &results),
        Format::Human if results.is_empty() => Ok(()),
        Format::Human => write_human(&mut stdout, &results),
    };
    written
        .and_then(|()| stdout.flush())
        .map_err(|e| anyhow::anyhow!("cannot write to standard output: {e}"))?;
    eprintln!("keyward: {}", summary(&results, unset, options.all));
    Ok(if results.iter().any(|c| c.status.fails()) {
        FINDINGS
    } else if input.errors > 0 {
        ERROR
    } else {
        CLEAN
    })
}

/// Where a value was set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The environment of this process.
    Process,
    /// A dotenv file (as named on the command line) and the line of the name.
    File { path: String, line: usize },
}

impl Origin {
    /// `env`, or `FILE:LINE`.
    pub fn label(&self) -> String {
        match self {
            Origin::Process => "env".to_string(),
            Origin::File { path, line } => format!("{path}:{line}"),
        }
    }
}

/// A variable and its value. The value is private: nothing outside this module reads
/// it, and `Debug` shows only its length.
#[derive(Clone)]
pub struct Setting {
    pub name: String,
    pub origin: Origin,
    value: String,
    /// The value was valid UTF-8 (process values may not be).
    utf8: bool,
}

impl Setting {
    pub fn new(name: impl Into<String>, origin: Origin, value: impl Into<String>) -> Setting {
        Setting {
            name: name.into(),
            origin,
            value: value.into(),
            utf8: true,
        }
    }

    /// A value from the process environment, which need not be UTF-8.
    pub fn from_os(name: impl Into<String>, origin: Origin, value: std::ffi::OsString) -> Setting {
        let (value, utf8) = match value.into_string() {
            Ok(v) => (v, true),
            Err(v) => (v.to_string_lossy().into_owned(), false),
        };
        Setting {
            name: name.into(),
            origin,
            value,
            utf8,
        }
    }
}

impl fmt::Debug for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Setting")
            .field("name", &self.name)
            .field("origin", &self.origin)
            .field(
                "value",
                &format_args!("<{} characters>", self.value.chars().count()),
            )
            .finish()
    }
}

/// The verdict on one variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Valid,
    Malformed,
    Mismatch,
    Placeholder,
    UnknownFormat,
    NotSet,
}

impl Status {
    /// The name in human output.
    pub fn label(self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::Malformed => "malformed",
            Status::Mismatch => "mismatch",
            Status::Placeholder => "placeholder",
            Status::UnknownFormat => "unknown format",
            Status::NotSet => "not set",
        }
    }

    /// The name in JSON output.
    pub fn id(self) -> &'static str {
        match self {
            Status::UnknownFormat => "unknown-format",
            Status::NotSet => "not-set",
            other => other.label(),
        }
    }

    /// Whether this verdict makes the check fail (exit 1).
    pub fn fails(self) -> bool {
        matches!(self, Status::Malformed | Status::Mismatch)
    }

    /// Whether the variable holds a value that is meant to be a key.
    pub fn configured(self) -> bool {
        !matches!(self, Status::Placeholder | Status::NotSet)
    }
}

/// The kind of key the matcher recognised in a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    /// The rule or variant id.
    pub rule: String,
    pub name: String,
    pub provider: String,
}

/// The result of checking one variable in one source (or a known name set nowhere).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub name: String,
    /// `None` for a name no source sets.
    pub origin: Option<Origin>,
    pub status: Status,
    /// The value's length in characters.
    pub length: Option<usize>,
    /// The public prefix of the value's format (`sk-ant-api03-`), when it has one.
    pub prefix: Option<String>,
    /// The providers whose keys the name is for.
    pub expected: String,
    pub detected: Option<Detected>,
    /// What the verdict means and what to do.
    pub message: String,
}

/// A rule, or one of its variants, by index.
pub type Owner = (usize, Option<usize>);

/// A variable name the rules know, with every rule and variant that lists it.
#[derive(Debug, Clone)]
pub struct KnownVar {
    /// As the first rule that lists it spells it.
    pub name: String,
    pub owners: Vec<Owner>,
}

/// Every variable name in the rules, sorted; names that differ only in case are one.
pub fn known_vars(rules: &RuleSet) -> Vec<KnownVar> {
    let mut by_upper: HashMap<String, KnownVar> = HashMap::new();
    let mut add = |name: &str, owner: Owner| {
        by_upper
            .entry(name.to_ascii_uppercase())
            .or_insert_with(|| KnownVar {
                name: name.to_string(),
                owners: Vec::new(),
            })
            .owners
            .push(owner);
    };
    for (i, rule) in rules.rules.iter().enumerate() {
        for name in &rule.spec.env_vars {
            add(name, (i, None));
        }
        for (j, v) in rule.variants.iter().enumerate() {
            for name in &v.env_vars {
                add(name, (i, Some(j)));
            }
        }
    }
    let mut known: Vec<KnownVar> = by_upper.into_values().collect();
    known.sort_by(|a, b| {
        a.name
            .to_ascii_uppercase()
            .cmp(&b.name.to_ascii_uppercase())
    });
    known
}
