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

use crate::cli::{EnvCheckArgs, ListFormat};

/// What `keyward env check` is asked to do.
pub type Options = EnvCheckArgs;
use crate::rules::template::{expand_key, Rng};
use crate::rules::{Rule, RuleSet};
use crate::scan::{filters, Matcher};
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind};
use std::collections::HashMap;
use std::fmt;
use std::io::{self, Write};

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

/// What a rule's pattern says of its secret: the literal prefixes it starts with and its
/// length range.
#[derive(Debug, Clone, Default)]
struct Shape {
    prefixes: Vec<String>,
    min: Option<usize>,
    max: Option<usize>,
}

/// The sub-expression of capture group `index` (0: the whole pattern).
fn capture(hir: &Hir, index: usize) -> Option<&Hir> {
    if index == 0 {
        return Some(hir);
    }
    match hir.kind() {
        HirKind::Capture(c) if c.index as usize == index => Some(&c.sub),
        HirKind::Capture(c) => capture(&c.sub, index),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => hs.iter().find_map(|h| capture(h, index)),
        HirKind::Repetition(r) => capture(&r.sub, index),
        _ => None,
    }
}

fn shape_of(rule: &Rule) -> Shape {
    let parsed = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(rule.pattern());
    let Ok(hir) = parsed else {
        return Shape::default();
    };
    let Some(secret) = capture(&hir, rule.secret_group) else {
        return Shape::default();
    };
    let props = secret.properties();
    let mut prefixes = Vec::new();
    // The literal text of the pattern is public. Small classes (`api0[0-9]-`) are
    // expanded only when a separator follows them, so a prefix never shows a character
    // of the random body.
    for (limit_class, separator_only) in [(1, false), (10, true)] {
        let seq = Extractor::new()
            .kind(ExtractKind::Prefix)
            .limit_class(limit_class)
            .extract(secret);
        for lit in seq.literals().unwrap_or(&[]) {
            let b = lit.as_bytes();
            let printable = b.iter().all(|c| c.is_ascii_graphic() || *c == b' ');
            let separated = matches!(b.last(), Some(b'-' | b'_' | b'.'));
            if !b.is_empty() && !lit.is_exact() && printable && (separated || !separator_only) {
                prefixes.push(String::from_utf8_lossy(b).into_owned());
            }
        }
    }
    prefixes.sort();
    prefixes.dedup();
    Shape {
        prefixes,
        min: props.minimum_len(),
        max: props.maximum_len(),
    }
}

/// Whether `a` and `b` name the same provider: equal, or one is the other followed by a
/// product (`Google` and `Google Gemini`).
fn same_provider(a: &str, b: &str) -> bool {
    let extends = |long: &str, short: &str| {
        long.strip_prefix(short)
            .is_some_and(|rest| rest.starts_with(' '))
    };
    a == b || extends(a, b) || extends(b, a)
}

/// Words that name a kind of secret or a role, not a provider: a name made only of them
/// (`ACCESS_TOKEN`, `SSH_PRIVATE_KEY`, `CI_JOB_TOKEN`) may hold any kind of secret.
const GENERIC_WORDS: &[&str] = &[
    "ACCESS",
    "ACCOUNT",
    "API",
    "APP",
    "AUTH",
    "BEARER",
    "BOT",
    "CI",
    "CLIENT",
    "CONNECTION",
    "CREDENTIAL",
    "CREDENTIALS",
    "DATABASE",
    "DB",
    "DEPLOY",
    "GPG",
    "ID",
    "JOB",
    "JSON",
    "JWT",
    "KEY",
    "OAUTH",
    "PGP",
    "PRIVATE",
    "REFRESH",
    "REGISTRATION",
    "SECRET",
    "SERVER",
    "SERVICE",
    "SESSION",
    "SIGNING",
    "SSH",
    "SSL",
    "STRING",
    "TLS",
    "TOKEN",
    "URI",
    "URL",
    "USER",
];

/// A value that names a file rather than holding a key.
fn looks_like_path(v: &str) -> bool {
    let b = v.as_bytes();
    v.starts_with('/')
        || v.starts_with("./")
        || v.starts_with("../")
        || v.starts_with("~/")
        || (b.len() > 2
            && b[0].is_ascii_alphabetic()
            && b[1] == b':'
            && matches!(b[2], b'\\' | b'/'))
}

/// A reference to another variable (`$VAR`, `${VAR}`, `%VAR%`), left for a loader or
/// shell to expand.
fn is_reference(v: &str) -> bool {
    v.starts_with('$') || (v.len() > 2 && v.starts_with('%') && v.ends_with('%'))
}

/// Surrounded by a pair of quotes that a loader did not remove.
fn is_quoted(v: &str) -> bool {
    v.len() >= 2
        && ['"', '\'', '`']
            .iter()
            .any(|&q| v.starts_with(q) && v.ends_with(q))
}

/// A key the matcher found in a value (positions in the trimmed value).
#[derive(Debug, Clone, Copy)]
struct Hit {
    rule: usize,
    variant: Option<usize>,
    start: usize,
    end: usize,
    /// Found in the value alone (not only after `NAME=`).
    alone: bool,
}

/// Checks values against the rules. Holds one matcher and caches what it learns of
/// rules and names.
pub struct Checker<'r> {
    rules: &'r RuleSet,
    matcher: Matcher<'r>,
    known: Vec<KnownVar>,
    /// Upper-case name -> index in `known`.
    index: HashMap<String, usize>,
    shapes: HashMap<usize, Shape>,
    /// Known-name index -> (loose, container); see [`Checker::is_loose`].
    leniency: HashMap<usize, (bool, bool)>,
}

impl<'r> Checker<'r> {
    pub fn new(rules: &'r RuleSet) -> Checker<'r> {
        let known = known_vars(rules);
        let index = known
            .iter()
            .enumerate()
            .map(|(i, k)| (k.name.to_ascii_uppercase(), i))
            .collect();
        Checker {
            rules,
            matcher: Matcher::new(rules),
            known,
            index,
            shapes: HashMap::new(),
            leniency: HashMap::new(),
        }
    }

    /// Every known name, sorted.
    pub fn known(&self) -> &[KnownVar] {
        &self.known
    }

    /// The known variable `name` is (case-insensitively: loaders such as
    /// pydantic-settings match names without case).
    pub fn lookup(&self, name: &str) -> Option<&KnownVar> {
        self.index
            .get(&name.to_ascii_uppercase())
            .map(|&i| &self.known[i])
    }

    fn shape(&mut self, rule: usize) -> &Shape {
        let rules = self.rules;
        self.shapes
            .entry(rule)
            .or_insert_with(|| shape_of(&rules.rules[rule]))
    }

    fn describe(&self, (rule, variant): Owner) -> Detected {
        let r = &self.rules.rules[rule];
        match variant {
            Some(v) => {
                let v = &r.variants[v];
                Detected {
                    rule: v.id.clone(),
                    name: v.name.clone(),
                    provider: v.provider.clone(),
                }
            }
            None => Detected {
                rule: r.spec.id.clone(),
                name: r.spec.name.clone(),
                provider: r.spec.provider.clone(),
            },
        }
    }

    fn provider(&self, (rule, variant): Owner) -> &'r str {
        let r = &self.rules.rules[rule];
        match variant {
            Some(v) => &r.variants[v].provider,
            None => &r.spec.provider,
        }
    }

    /// The providers a name's owners stand for, e.g. `OpenAI`.
    fn expected(&self, owners: &[Owner]) -> String {
        let mut seen: Vec<&str> = Vec::new();
        for &o in owners {
            let p = self.provider(o);
            if !seen.contains(&p) {
                seen.push(p);
            }
        }
        seen.join(" or ")
    }

    /// Whether a key of `hit`'s rule and variant belongs in a variable with `owners`:
    /// the owner's own rule (its variant, or no variant told by context), the same
    /// provider, or a family of look-alike keys one of whose variants is the owner's
    /// provider.
    fn compatible(&self, owners: &[Owner], hit: &Hit) -> bool {
        let found = self.provider((hit.rule, hit.variant));
        owners.iter().any(|&(rule, variant)| {
            if rule == hit.rule
                && (variant.is_none() || hit.variant.is_none() || variant == hit.variant)
            {
                return true;
            }
            let owner = self.provider((rule, variant));
            same_provider(found, owner)
                || (hit.variant.is_none()
                    && self.rules.rules[hit.rule]
                        .variants
                        .iter()
                        .any(|v| same_provider(&v.provider, owner)))
        })
    }

    /// Whether a known name may hold values of other kinds than its owners' formats, so
    /// that an unrecognised value is an unknown format rather than an error, and another
    /// provider's key is not a mismatch: names that name no provider (`ACCESS_TOKEN`,
    /// `PRIVATE_KEY`), passwords (`DOCKER_PASSWORD` may be a password rather than a
    /// token), and names whose owners cannot recognise a bare key assigned to them (a
    /// connection string, a credentials document: the key is inside a larger value,
    /// which may hold none).
    pub fn is_loose(&mut self, known: &KnownVar) -> bool {
        self.leniency(known).0
    }

    /// (loose, container): container names are those whose owners cannot recognise a
    /// bare key assigned to them; they are loose too.
    fn leniency(&mut self, known: &KnownVar) -> (bool, bool) {
        let upper = known.name.to_ascii_uppercase();
        let i = self.index.get(&upper).copied();
        if let Some(l) = i.and_then(|i| self.leniency.get(&i)) {
            return *l;
        }
        let words_generic = upper
            .split(['_', '-', '.'])
            .filter(|w| !w.is_empty())
            .all(|w| GENERIC_WORDS.contains(&w));
        let password = upper.contains("PASSWORD") || upper.contains("PASSWD");
        let container = !self.any_owner_direct(known);
        let l = (words_generic || password || container, container);
        if let Some(i) = i {
            self.leniency.insert(i, l);
        }
        l
    }

    /// Whether some owner, with a key template, recognises a key of its own assigned
    /// to the name (`NAME=key`).
    fn any_owner_direct(&mut self, known: &KnownVar) -> bool {
        let mut rng = Rng::new(0x656e_7663);
        let mut owner_rules: Vec<usize> = known.owners.iter().map(|o| o.0).collect();
        owner_rules.dedup();
        owner_rules.into_iter().any(|r| {
            let rule = &self.rules.rules[r];
            if rule.spec.generic {
                return false;
            }
            let Some(Ok(key)) = rule
                .spec
                .key
                .as_deref()
                .map(|t| expand_key(t, rule.spec.checksum, &mut rng))
            else {
                return false;
            };
            let line = format!("{}={key}", known.name);
            let off = known.name.len() + 1;
            self.matcher
                .scan(line.as_bytes())
                .iter()
                .any(|c| c.rule == r && c.start == off && c.end == line.len())
        })
    }

    /// What the matcher finds in `value` assigned to `name` and alone. Generic rules
    /// count only when they own the name.
    fn hits(&mut self, name: &str, value: &str, owners: &[Owner]) -> Vec<Hit> {
        let rules = self.rules;
        let counts =
            |rule: usize| !rules.rules[rule].spec.generic || owners.iter().any(|o| o.0 == rule);
        let mut hits = Vec::new();
        let line = format!("{name}={value}");
        let off = name.len() + 1;
        for c in self.matcher.scan(line.as_bytes()) {
            if c.start >= off && counts(c.rule) {
                hits.push(Hit {
                    rule: c.rule,
                    variant: c.variant,
                    start: c.start - off,
                    end: c.end - off,
                    alone: false,
                });
            }
        }
        for c in self.matcher.scan(value.as_bytes()) {
            if counts(c.rule) {
                hits.push(Hit {
                    rule: c.rule,
                    variant: c.variant,
                    start: c.start,
                    end: c.end,
                    alone: true,
                });
            }
        }
        hits
    }

    /// The longest public prefix of `rule`'s format that `value` starts with, if it is
    /// shorter than the value.
    fn prefix_in(&mut self, rule: usize, value: &str) -> Option<String> {
        self.shape(rule)
            .prefixes
            .iter()
            .filter(|p| value.len() > p.len() && value.starts_with(p.as_str()))
            .max_by_key(|p| p.len())
            .cloned()
    }

    /// Check one setting; `None` when the rules do not know its name.
    pub fn check(&mut self, setting: &Setting) -> Option<Checked> {
        let known = self.lookup(&setting.name)?.clone();
        Some(self.verdict(&known, setting))
    }

    fn verdict(&mut self, known: &KnownVar, setting: &Setting) -> Checked {
        let owners = &known.owners;
        let raw = setting.value.as_str();
        let mut out = Checked {
            name: setting.name.clone(),
            origin: Some(setting.origin.clone()),
            status: Status::Valid,
            length: Some(raw.chars().count()),
            prefix: None,
            expected: self.expected(owners),
            detected: None,
            message: String::new(),
        };
        let expected = out.expected.clone();
        let value = raw.trim();
        if !setting.utf8 {
            out.status = Status::Malformed;
            out.message = format!(
                "is not valid UTF-8, so no client can send it: set it again to the {expected} key"
            );
            return out;
        }
        if value.is_empty() {
            out.status = Status::Placeholder;
            out.message = "is empty: not configured".to_string();
            return out;
        }
        let (loose, container) = self.leniency(known);
        let hits = self.hits(&setting.name, value, owners);
        let whole = |h: &&Hit| h.start == 0 && h.end == value.len();

        // A key spans the whole value.
        let full = hits
            .iter()
            .filter(whole)
            .find(|h| self.compatible(owners, h))
            .or_else(|| hits.iter().find(whole))
            .copied();
        if let Some(h) = full {
            let detected = self.describe((h.rule, h.variant));
            out.prefix = self.prefix_in(h.rule, value);
            if !self.compatible(owners, &h) && !loose {
                out.status = Status::Mismatch;
                out.message = self.mismatch_message(&setting.name, &expected, &h, &detected);
            } else if value.len() != raw.len() {
                out.status = Status::Malformed;
                out.message = format!(
                    "holds {} with whitespace around it (a trailing newline or space): remove it, clients send the value as it is",
                    a(&detected.name)
                );
            } else {
                out.message = format!("well-formed: {}", detected.name);
            }
            out.detected = Some(detected);
            return out;
        }

        // A key inside a larger value where the owner's format puts it (the password of
        // a connection string, the private key of a credentials document).
        let embedded = hits
            .iter()
            .find(|h| {
                h.alone && self.rules.rules[h.rule].secret_group != 0 && self.compatible(owners, h)
            })
            .copied();
        if let Some(h) = embedded {
            let detected = self.describe((h.rule, h.variant));
            out.message = format!("well-formed: {} inside the value", detected.name);
            out.detected = Some(detected);
            return out;
        }

        // A key with something around it.
        if let Some(h) = hits.first().copied() {
            let detected = self.describe((h.rule, h.variant));
            out.prefix = self
                .prefix_in(h.rule, &value[h.start..])
                .filter(|_| h.start == 0);
            if container {
                // A longer value (a connection string, a document) with a key inside.
                out.message = if self.compatible(owners, &h) {
                    format!("well-formed: {} inside the value", detected.name)
                } else {
                    out.status = Status::UnknownFormat;
                    format!(
                        "holds {} inside a longer value; {} may hold one, so this is not an error",
                        a(&detected.name),
                        setting.name
                    )
                };
            } else if !self.compatible(owners, &h) && !loose {
                out.status = Status::Mismatch;
                out.message = format!(
                    "{} (with other characters around it)",
                    self.mismatch_message(&setting.name, &expected, &h, &detected)
                );
            } else if is_quoted(value) {
                out.status = Status::Malformed;
                out.message = format!(
                    "holds {} inside quotes that were not removed (docker --env-file and some loaders keep them): remove the quotes",
                    a(&detected.name)
                );
            } else {
                out.status = Status::Malformed;
                out.message = format!(
                    "holds {} with other characters around it: keep only the key",
                    a(&detected.name)
                );
            }
            out.detected = Some(detected);
            return out;
        }

        if looks_like_path(value) {
            out.status = if loose {
                Status::UnknownFormat
            } else {
                Status::Malformed
            };
            out.message = if loose {
                format!(
                    "looks like a file path; {} may hold one, so this is not an error",
                    setting.name
                )
            } else {
                format!(
                    "looks like a file path, not a key: set {} to the {expected} key itself",
                    setting.name
                )
            };
            return out;
        }
        if self.is_placeholder(owners, value) {
            out.status = Status::Placeholder;
            out.message = "is a placeholder or a reference, not a key: not configured".to_string();
            return out;
        }
        // A value that starts like an owner's format is a broken key, whatever the name.
        let starts_like = owners
            .iter()
            .any(|&(rule, _)| self.prefix_in(rule, value).is_some());
        if loose && !starts_like {
            out.status = Status::UnknownFormat;
            out.message = format!(
                "holds no key format the rules know; {} may hold other kinds of value, so this is not an error",
                setting.name
            );
            return out;
        }
        out.status = Status::Malformed;
        out.message = self.malformed_message(owners, value, &mut out.prefix);
        out
    }

    fn mismatch_message(
        &self,
        name: &str,
        expected: &str,
        hit: &Hit,
        detected: &Detected,
    ) -> String {
        let r = &self.rules.rules[hit.rule];
        let home = match hit.variant {
            Some(v) => r.variants[v].env_vars.first(),
            None => r.spec.env_vars.first(),
        };
        let mut m = format!(
            "holds {} ({}), but {name} is for {expected} keys",
            a(&detected.name),
            detected.provider
        );
        match home {
            Some(home) if !home.eq_ignore_ascii_case(name) => {
                m.push_str(&format!(
                    ": move it to {home} and set {name} to your {expected} key"
                ));
            }
            _ => m.push_str(&format!(": set {name} to your {expected} key")),
        }
        m
    }

    /// Whether `value` is documentation, not a key: the placeholder filter of the
    /// scanner on what follows the format's prefix, or a reference to a variable.
    fn is_placeholder(&mut self, owners: &[Owner], value: &str) -> bool {
        if is_reference(value) {
            return true;
        }
        if value.contains('\n') {
            return false; // documentation fillers are one line; a PEM block is not one
        }
        let mut body = value;
        for &(rule, _) in owners {
            if let Some(p) = self.prefix_in(rule, value) {
                if value.len() - p.len() < body.len() {
                    body = &value[p.len()..];
                }
            }
        }
        filters::is_placeholder(body.as_bytes())
    }

    /// Why `value` does not meet its owners' format, and what to do.
    fn malformed_message(
        &mut self,
        owners: &[Owner],
        value: &str,
        prefix: &mut Option<String>,
    ) -> String {
        let len = value.chars().count();
        let mut rules: Vec<Owner> = Vec::new();
        for &o in owners {
            if !rules.iter().any(|r| r.0 == o.0) {
                rules.push(o);
            }
        }
        let url = {
            let r = &self.rules.rules[owners[0].0];
            owners[0]
                .1
                .map_or(&r.spec.revoke_url, |v| &r.variants[v].revoke_url)
                .clone()
        };
        let again = format!("copy the whole key again (keys are managed at {url})");
        // The owner whose prefix the value starts with, if any.
        let mut best: Option<(Owner, String)> = None;
        for &o in &rules {
            if let Some(p) = self.prefix_in(o.0, value) {
                if best.as_ref().is_none_or(|(_, b)| p.len() > b.len()) {
                    best = Some((o, p));
                }
            }
        }
        if let Some((o, p)) = best {
            let name = self.describe(o).name;
            // Every owner format with this prefix (xAI keys come in two lengths).
            let mut shapes: Vec<Shape> = Vec::new();
            for &(rule, _) in &rules {
                if self.prefix_in(rule, value).as_deref() == Some(p.as_str()) {
                    shapes.push(self.shape(rule).clone());
                }
            }
            *prefix = Some(p);
            let fits = shapes.iter().any(|shape| {
                shape.min.is_none_or(|m| len >= m) && shape.max.is_none_or(|m| len <= m)
            });
            if fits {
                return format!(
                    "starts like {} and has a possible length ({len} characters) but does not match the format (a character outside its alphabet, a failed checksum, or a copy error): {again}",
                    a(&name)
                );
            }
            let mut lengths: Vec<String> = Vec::new();
            for shape in &shapes {
                let l = length_range(shape);
                if !lengths.contains(&l) {
                    lengths.push(l);
                }
            }
            return format!(
                "starts like {} but has {len} characters where the format has {}: it is truncated or has extra characters; {again}",
                a(&name),
                lengths.join(" or ")
            );
        }
        let names: Vec<String> = rules.iter().map(|&o| self.describe(o).name).collect();
        let mut listed = names.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
        if names.len() > 3 {
            listed.push_str(&format!(" and {} more", names.len() - 3));
        }
        let mut hint = String::new();
        if let [(rule, _)] = rules[..] {
            let shape = self.shape(rule).clone();
            let starts = common_prefix(&shape.prefixes);
            let mut parts = Vec::new();
            if !starts.is_empty() {
                parts.push(format!("starts with {starts}"));
            }
            if shape.min.is_some() {
                parts.push(format!("has {}", length_range(&shape)));
            }
            if !parts.is_empty() {
                hint = format!("; the format {}", parts.join(" and "));
            }
        }
        format!(
            "does not match the format of {} ({len} characters{hint}): {again}",
            a(&listed)
        )
    }
}

/// `name` with its indefinite article: `an Anthropic API key`, `a GitHub token`,
/// `an sk- key` (a short code or acronym is read letter by letter).
fn a(name: &str) -> String {
    let word = name.split_whitespace().next().unwrap_or("");
    let mut chars = word.chars();
    let (Some(first), second) = (chars.next(), chars.next()) else {
        return name.to_string();
    };
    let spelled = word.len() <= 4
        && (word.chars().filter(char::is_ascii_uppercase).count() >= 2
            || word.contains('-')
            || (first.is_ascii_lowercase() && second.is_some_and(|c| c.is_ascii_uppercase())));
    let first = first.to_ascii_uppercase();
    let vowel = if spelled {
        "AEFHILMNORSX".contains(first)
    } else {
        "AEIOU".contains(first)
    };
    format!("{} {name}", if vowel { "an" } else { "a" })
}

/// `108 characters`, `84 to 124 characters`, `at least 20 characters`.
fn length_range(shape: &Shape) -> String {
    match (shape.min, shape.max) {
        (Some(a), Some(b)) if a == b => format!("{a} characters"),
        (Some(a), Some(b)) => format!("{a} to {b} characters"),
        (Some(a), None) => format!("at least {a} characters"),
        _ => "another length".to_string(),
    }
}

/// The longest common prefix of `items` (empty when there are none).
fn common_prefix(items: &[String]) -> String {
    let Some(first) = items.first() else {
        return String::new();
    };
    let mut n = first.len();
    for s in &items[1..] {
        n = n.min(
            first
                .bytes()
                .zip(s.bytes())
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    first[..n].to_string()
}

pub use crate::dotenv::{parse_dotenv, Dotenv, DotenvEntry};

// ---------------------------------------------------------------------------------------
// The command

/// Check `settings` (in order; within one file, a name set twice counts once, at its
/// last line) and, with `all`, list the known names none of them sets.
pub fn check_all(rules: &RuleSet, settings: &[Setting], all: bool) -> (Vec<Checked>, usize) {
    let mut checker = Checker::new(rules);
    let mut results = Vec::new();
    let mut set: std::collections::HashSet<String> = std::collections::HashSet::new();
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
    let known: std::collections::HashSet<String> = known_vars(rules)
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

/// The human table: one row per variable, then a note for each that needs attention.
pub fn render_human(results: &[Checked]) -> String {
    let rows: Vec<[String; 6]> = results
        .iter()
        .map(|c| {
            [
                c.name.clone(),
                c.origin.as_ref().map_or("-".to_string(), Origin::label),
                c.status.label().to_string(),
                c.length.map_or("-".to_string(), |n| n.to_string()),
                c.prefix.as_ref().map_or(String::new(), |p| format!("{p}…")),
                c.detected
                    .as_ref()
                    .map_or(String::new(), |d| d.name.clone()),
            ]
            .map(|cell| crate::escape::terminal(&cell))
        })
        .collect();
    let header = [
        "VARIABLE", "SOURCE", "STATUS", "LENGTH", "PREFIX", "DETECTED",
    ];
    let mut width = header.map(|h| h.chars().count());
    for r in &rows {
        for (w, cell) in width.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: [&str; 6]| {
        let mut l = String::new();
        for (k, cell) in cells.iter().enumerate() {
            let pad = width[k] - cell.chars().count();
            if k == 3 {
                l.push_str(&" ".repeat(pad));
                l.push_str(cell);
            } else {
                l.push_str(cell);
                if k + 1 < cells.len() {
                    l.push_str(&" ".repeat(pad));
                }
            }
            if k + 1 < cells.len() {
                l.push_str("  ");
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(header);
    for r in &rows {
        line([&r[0], &r[1], &r[2], &r[3], &r[4], &r[5]]);
    }
    let notes: Vec<&Checked> = results
        .iter()
        .filter(|c| !matches!(c.status, Status::Valid | Status::NotSet))
        .collect();
    if !notes.is_empty() {
        out.push('\n');
        for c in notes {
            let at = c.origin.as_ref().map_or("-".to_string(), Origin::label);
            out.push_str(&crate::escape::terminal(&format!(
                "{} ({at}): {}",
                c.name, c.message
            )));
            out.push('\n');
        }
    }
    out
}

/// One object of the JSON report (fields in this order).
#[derive(Debug, serde::Serialize)]
struct JsonItem<'a> {
    variable: &'a str,
    /// `env` or `file`; null for a name no source sets.
    source: Option<&'static str>,
    file: Option<&'a str>,
    line: Option<usize>,
    status: &'static str,
    configured: bool,
    /// true or false for a configured key; null for placeholders, unknown formats and
    /// names not set.
    valid_format: Option<bool>,
    length: Option<usize>,
    prefix: Option<&'a str>,
    expected_provider: &'a str,
    detected: Option<JsonDetected<'a>>,
    message: &'a str,
}

#[derive(Debug, serde::Serialize)]
struct JsonDetected<'a> {
    rule: &'a str,
    name: &'a str,
    provider: &'a str,
}

/// The JSON report: an array with one object per variable, pretty-printed.
pub fn render_json(results: &[Checked]) -> serde_json::Result<String> {
    let items: Vec<JsonItem<'_>> = results
        .iter()
        .map(|c| {
            let (source, file, line) = match &c.origin {
                Some(Origin::Process) => (Some("env"), None, None),
                Some(Origin::File { path, line }) => {
                    (Some("file"), Some(path.as_str()), Some(*line))
                }
                None => (None, None, None),
            };
            JsonItem {
                variable: &c.name,
                source,
                file,
                line,
                status: c.status.id(),
                configured: c.status.configured(),
                valid_format: match c.status {
                    Status::Valid => Some(true),
                    Status::Malformed | Status::Mismatch => Some(false),
                    _ => None,
                },
                length: c.length,
                prefix: c.prefix.as_deref(),
                expected_provider: &c.expected,
                detected: c.detected.as_ref().map(|d| JsonDetected {
                    rule: &d.rule,
                    name: &d.name,
                    provider: &d.provider,
                }),
                message: &c.message,
            }
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&items)?;
    out.push('\n');
    Ok(out)
}

/// The one-line summary for standard error.
pub fn summary(results: &[Checked], unset: usize, all: bool) -> String {
    let count = |s: Status| results.iter().filter(|c| c.status == s).count();
    let checked = results
        .iter()
        .filter(|c| c.status != Status::NotSet)
        .count();
    let mut parts = Vec::new();
    for (s, one, many) in [
        (Status::Valid, "valid", "valid"),
        (Status::Malformed, "malformed", "malformed"),
        (Status::Mismatch, "mismatched", "mismatched"),
        (Status::Placeholder, "placeholder", "placeholders"),
        (
            Status::UnknownFormat,
            "of unknown format",
            "of unknown format",
        ),
    ] {
        let n = count(s);
        if n > 0 {
            parts.push(format!("{n} {}", if n == 1 { one } else { many }));
        }
    }
    let head = if checked == 0 {
        "no known key variable is set".to_string()
    } else {
        format!(
            "{checked} {} checked: {}",
            if checked == 1 { "value" } else { "values" },
            parts.join(", ")
        )
    };
    let tail = if unset == 0 {
        String::new()
    } else if all {
        format!("; {unset} known names not set")
    } else {
        format!("; {unset} other known names not set (--all lists them)")
    };
    format!("{head}{tail}")
}

/// The text of a dotenv file (UTF-16 with a byte-order mark is decoded), and whether
/// invalid UTF-8 was replaced; the error says why it cannot be read.
fn read_env_file(path: &std::path::Path) -> Result<(String, bool), String> {
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => "no such file".to_string(),
        _ => e.to_string(),
    })?;
    let crate::scan::Decoded::Text(text) = crate::scan::decode(&bytes) else {
        return Err("a binary file, not a dotenv file".to_string());
    };
    Ok(match String::from_utf8(text.into_owned()) {
        Ok(t) => (t, false),
        Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), true),
    })
}

/// `keyward env check`: read the sources, check, print, and return the exit code.
pub fn run(rules: &RuleSet, args: &EnvCheckArgs) -> anyhow::Result<i32> {
    use crate::exit::{CLEAN as EXIT_CLEAN, ERROR as EXIT_ERROR, FINDINGS as EXIT_FINDINGS};
    let mut warnings = Vec::new();
    let mut errors = 0usize;
    let mut settings = Vec::new();
    if args.env_files.is_empty() || args.process {
        settings.extend(process_settings(rules));
    }
    for path in &args.env_files {
        let shown = path.display().to_string();
        match read_env_file(path) {
            Ok((text, lossy)) => {
                if lossy {
                    warnings.push(format!(
                        "{shown}: not valid UTF-8; values with invalid bytes are reported as malformed"
                    ));
                }
                let parsed = parse_dotenv(&text);
                for (line, w) in &parsed.warnings {
                    warnings.push(format!("{shown}:{line}: {w}; line skipped"));
                }
                let mut from_file = file_settings(&shown, &parsed, &mut warnings);
                if lossy {
                    for s in &mut from_file {
                        s.utf8 = !s.value.contains(char::REPLACEMENT_CHARACTER);
                    }
                }
                settings.extend(from_file);
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
    let (results, unset) = check_all(rules, &settings, args.all);
    let body = match args.format {
        ListFormat::Json => render_json(&results)?,
        ListFormat::Human if results.is_empty() => String::new(),
        ListFormat::Human => render_human(&results),
    };
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(body.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        other => other.map_err(|e| anyhow::anyhow!("cannot write to standard output: {e}"))?,
    }
    eprintln!("keyward: {}", summary(&results, unset, args.all));
    Ok(if results.iter().any(|c| c.status.fails()) {
        EXIT_FINDINGS
    } else if errors > 0 {
        EXIT_ERROR
    } else {
        EXIT_CLEAN
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::template::expand_key;

    fn rules() -> &'static RuleSet {
        static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
        RULES.get_or_init(|| RuleSet::builtin().expect("built-in rules load"))
    }

    /// A fresh fake key of rule `id`, drawn at run time.
    fn key(id: &str, seed: u64) -> String {
        let rule = rules().get(id).expect("rule exists");
        let template = rule.spec.key.as_deref().expect("rule has a key template");
        expand_key(template, rule.spec.checksum, &mut Rng::new(seed)).expect("key expands")
    }

    fn check(name: &str, value: &str) -> Checked {
        Checker::new(rules())
            .check(&Setting::new(name, Origin::Process, value))
            .expect("a known name")
    }

    /// The variables of guide 000's start-up validation, and their aliases.
    const GUIDE_NAMES: &[&str] = &[
        "OPENAI_API_KEY",
        "ANTHROPIC_API_KEY",
        "GEMINI_API_KEY",
        "MISTRAL_API_KEY",
        "GROK_API_KEY",
        "XAI_API_KEY",
        "QWEN_API_KEY",
        "DASHSCOPE_API_KEY",
        "DEEPSEEK_API_KEY",
        "KIMI_K2_API_KEY",
        "MOONSHOT_API_KEY",
    ];

    #[test]
    fn the_guide_names_are_known_and_strict() {
        let mut checker = Checker::new(rules());
        for name in GUIDE_NAMES {
            let known = checker.lookup(name).cloned().unwrap_or_else(|| {
                panic!("{name} is in no rule's env_vars");
            });
            assert!(
                !checker.is_loose(&known),
                "{name} should be checked strictly"
            );
        }
    }

    #[test]
    fn known_vars_cover_the_rule_sets_map_with_every_owner() {
        let set = rules();
        let known = known_vars(set);
        for (upper, first) in &set.env_vars {
            let k = known
                .iter()
                .find(|k| k.name.eq_ignore_ascii_case(upper))
                .unwrap_or_else(|| panic!("{upper} missing"));
            assert_eq!(k.owners[0], *first, "{upper}: first owner");
        }
        assert_eq!(known.len(), set.env_vars.len());
        let github = known.iter().find(|k| k.name == "GITHUB_TOKEN").unwrap();
        assert!(
            github.owners.len() > 1,
            "every rule that lists a name owns it"
        );
    }

    #[test]
    fn well_formed_keys_are_valid_with_their_public_prefix() {
        for (name, id, prefix) in [
            (
                "ANTHROPIC_API_KEY",
                "anthropic-api-key",
                Some("sk-ant-api03-"),
            ),
            ("OPENAI_API_KEY", "openai-api-key", Some("sk-proj-")),
            ("GEMINI_API_KEY", "google-api-key", Some("AIza")),
            ("MISTRAL_API_KEY", "mistral-api-key", None),
            ("GROK_API_KEY", "xai-api-key", Some("xai-")),
            ("DEEPSEEK_API_KEY", "sk-hex32-key", Some("sk-")),
            ("QWEN_API_KEY", "sk-hex32-key", Some("sk-")),
            ("KIMI_K2_API_KEY", "sk-alnum48-key", Some("sk-")),
        ] {
            let value = key(id, 1);
            let c = check(name, &value);
            assert_eq!(c.status, Status::Valid, "{name}: {}", c.message);
            assert_eq!(c.prefix.as_deref(), prefix, "{name}");
            assert_eq!(c.length, Some(value.chars().count()));
        }
        // Context attributes a look-alike family to the variable's provider.
        let c = check("DEEPSEEK_API_KEY", &key("sk-alnum48-key", 2));
        assert_eq!(c.status, Status::Valid, "{}", c.message);
        assert_eq!(c.detected.unwrap().provider, "DeepSeek");
    }

    #[test]
    fn another_providers_key_is_a_mismatch() {
        let c = check("OPENAI_API_KEY", &key("anthropic-api-key", 3));
        assert_eq!(c.status, Status::Mismatch);
        let d = c.detected.as_ref().unwrap();
        assert_eq!(
            (d.rule.as_str(), d.provider.as_str()),
            ("anthropic-api-key", "Anthropic")
        );
        assert_eq!(c.expected, "OpenAI");
        assert!(
            c.message.contains("move it to ANTHROPIC_API_KEY"),
            "{}",
            c.message
        );
        // The DeepSeek/Qwen family is not Moonshot's.
        let c = check("KIMI_K2_API_KEY", &key("sk-hex32-key", 4));
        assert_eq!(c.status, Status::Mismatch, "{}", c.message);
        // Same provider, another product: not a mismatch.
        let c = check("GOOGLE_API_KEY", &key("google-gemini-aq-key", 5));
        assert_eq!(c.status, Status::Valid, "{}", c.message);
    }

    #[test]
    fn broken_keys_are_malformed_and_say_why() {
        let full = key("anthropic-api-key", 6);
        let c = check("ANTHROPIC_API_KEY", &full[..60]);
        assert_eq!(c.status, Status::Malformed);
        assert_eq!(c.prefix.as_deref(), Some("sk-ant-api03-"));
        assert!(c.message.contains("60 characters"), "{}", c.message);
        assert!(c.message.contains("108 characters"), "{}", c.message);
        assert!(c.detected.is_none());

        let c = check("ANTHROPIC_API_KEY", &format!("{full}\n"));
        assert_eq!(c.status, Status::Malformed);
        assert!(c.message.contains("whitespace"), "{}", c.message);

        let c = check("ANTHROPIC_API_KEY", &format!("\"{full}\""));
        assert_eq!(c.status, Status::Malformed);
        assert!(c.message.contains("quotes"), "{}", c.message);
        assert_eq!(
            c.prefix, None,
            "the prefix is shown only at the start of the value"
        );

        let c = check("ANTHROPIC_API_KEY", &format!("Bearer {full}"));
        assert_eq!(c.status, Status::Malformed);

        let c = check("MISTRAL_API_KEY", &key("mistral-api-key", 7)[..20]);
        assert_eq!(c.status, Status::Malformed);
        assert!(c.message.contains("32 characters"), "{}", c.message);

        let c = check("OPENAI_API_KEY", "/run/secrets/openai");
        assert_eq!(c.status, Status::Malformed);
        assert!(c.message.contains("file path"), "{}", c.message);
    }

    #[test]
    fn placeholders_are_not_configured() {
        for v in [
            "",
            "   ",
            "your-key-here",
            "sk-...",
            "sk-proj-your_openai_key_here",
            "${OPENAI_API_KEY}",
            "$OPENAI_API_KEY",
            "%OPENAI_API_KEY%",
            "changeme",
        ] {
            let c = check("OPENAI_API_KEY", v);
            assert_eq!(c.status, Status::Placeholder, "{v:?}: {}", c.message);
            assert!(!c.status.configured() && !c.status.fails());
        }
    }

    #[test]
    fn loose_names_accept_other_values() {
        let mut checker = Checker::new(rules());
        for name in [
            "ACCESS_TOKEN",
            "PRIVATE_KEY",
            "DOCKER_PASSWORD",
            "DATABASE_URL",
            "AzureWebJobsStorage",
            "CI_JOB_TOKEN",
        ] {
            let known = checker.lookup(name).cloned().unwrap();
            assert!(checker.is_loose(&known), "{name}");
        }
        let c = check("DATABASE_URL", "postgres://localhost/app");
        assert_eq!(c.status, Status::UnknownFormat, "{}", c.message);
        assert!(!c.status.fails());
        let password = ["Xk29", "fLq83", "mZpR"].concat();
        let c = check(
            "DATABASE_URL",
            &format!("postgres://app:{password}@db.internal:5432/app"),
        );
        assert_eq!(c.status, Status::Valid, "{}", c.message);
        assert_eq!(c.prefix, None);
        let c = check("ACCESS_TOKEN", &key("github-pat", 8));
        assert_eq!(c.status, Status::Valid, "{}", c.message);
        // A key of another kind inside a connection string is not an error.
        let openai = key("openai-api-key", 12);
        let c = check(
            "DATABASE_URL",
            &format!("postgres://app:{openai}@db.internal/app"),
        );
        assert_eq!(c.status, Status::UnknownFormat, "{}", c.message);
        assert_eq!(c.prefix, None);
        // Still malformed when it starts like the owner's format.
        let c = check("CI_JOB_TOKEN", "glcbt-1");
        assert_eq!(c.status, Status::Malformed, "{}", c.message);
    }

    #[test]
    fn prefixes_never_show_a_random_character() {
        let set = rules();
        let mut checker = Checker::new(set);
        for (i, rule) in set.rules.iter().enumerate() {
            let Some(template) = rule.spec.key.as_deref() else {
                continue;
            };
            let keys: Vec<String> = (0..6)
                .map(|s| expand_key(template, rule.spec.checksum, &mut Rng::new(100 + s)).unwrap())
                .collect();
            let shown: Vec<Option<String>> = keys.iter().map(|k| checker.prefix_in(i, k)).collect();
            assert!(
                shown.windows(2).all(|w| w[0] == w[1]),
                "{}: the prefix depends on the key: {shown:?}",
                rule.spec.id
            );
            if let Some(p) = &shown[0] {
                assert!(
                    p.len() * 2 <= keys[0].len(),
                    "{}: prefix {p} too long",
                    rule.spec.id
                );
            }
        }
    }

    #[test]
    fn articles() {
        assert_eq!(a("Anthropic API key"), "an Anthropic API key");
        assert_eq!(a("OpenAI API key"), "an OpenAI API key");
        assert_eq!(a("GitHub token"), "a GitHub token");
        assert_eq!(a("sk- key of the family"), "an sk- key of the family");
        assert_eq!(a("xAI (Grok) API key"), "an xAI (Grok) API key");
        assert_eq!(a("JSON Web Token"), "a JSON Web Token");
    }

    #[test]
    fn providers_match_by_name_or_product() {
        assert!(same_provider("Google", "Google Gemini"));
        assert!(same_provider("Google Gemini", "Google"));
        assert!(!same_provider(
            "OpenAI",
            "OpenAI-compatible (Moonshot/Kimi)"
        ));
        assert!(!same_provider("Azure OpenAI", "OpenAI"));
    }

    #[test]
    fn debug_output_hides_values() {
        let value = key("anthropic-api-key", 9);
        let s = Setting::new("ANTHROPIC_API_KEY", Origin::Process, value.clone());
        let shown = format!("{s:?}");
        assert!(!shown.contains(&value[14..30]), "{shown}");
        assert!(shown.contains("<108 characters>"), "{shown}");
        let parsed = parse_dotenv(&format!("ANTHROPIC_API_KEY={value}\n"));
        assert!(!format!("{parsed:?}").contains(&value[14..30]));
    }

    fn entries(text: &str) -> Vec<(String, String, usize)> {
        parse_dotenv(text)
            .entries
            .into_iter()
            .map(|e| (e.name, e.value, e.line))
            .collect()
    }

    fn e(name: &str, value: &str, line: usize) -> (String, String, usize) {
        (name.to_string(), value.to_string(), line)
    }

    #[test]
    fn dotenv_syntax() {
        let text = "\u{feff}# comment\r\n\r\nA=plain\r\nexport B=exported\n  C = spaced  \nD='single # not a comment'\nE=\"double \\\"q\\\" \\n end\"\nF=value # comment\nG=val#ue\nH= # only a comment\nI=\nJ=`back`\nK='multi\nline' # trailing comment\nexport\tL=tab\nM\nexport N\nexporter=x\n";
        assert_eq!(
            entries(text),
            vec![
                e("A", "plain", 3),
                e("B", "exported", 4),
                e("C", "spaced", 5),
                e("D", "single # not a comment", 6),
                e("E", "double \"q\" \n end", 7),
                e("F", "value", 8),
                e("G", "val#ue", 9),
                e("H", "", 10),
                e("I", "", 11),
                e("J", "back", 12),
                e("K", "multi\nline", 13),
                e("L", "tab", 15),
                e("exporter", "x", 18),
            ]
        );
        assert!(parse_dotenv(text).warnings.is_empty());
    }

    #[test]
    fn malformed_dotenv_lines_are_warnings() {
        let text = "A=1\n1BAD=x\nNOEQUALS zzhiddenzz\nQ='open\nR=2\nS=\"closed\" junk\nT=3\n";
        let parsed = parse_dotenv(text);
        let names: Vec<&str> = parsed.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["A", "R", "T"]);
        let lines: Vec<usize> = parsed.warnings.iter().map(|w| w.0).collect();
        assert_eq!(lines, [2, 3, 4, 6]);
        assert!(parsed.warnings[2].1.contains("never closed"));
        // A warning never quotes the line.
        assert!(parsed
            .warnings
            .iter()
            .all(|(_, w)| !w.contains("zzhiddenzz") && !w.contains("junk")));
    }

    #[test]
    fn the_last_of_a_name_counts() {
        let parsed = parse_dotenv("X_API_KEY=1\nOPENAI_API_KEY=a\nOPENAI_API_KEY=b\n");
        let mut warnings = Vec::new();
        let settings = file_settings(".env", &parsed, &mut warnings);
        assert_eq!(settings.len(), 2);
        assert_eq!(
            settings[1].origin,
            Origin::File {
                path: ".env".into(),
                line: 3
            }
        );
        assert_eq!(
            warnings,
            [".env:2: OPENAI_API_KEY is set again on line 3; the last value counts"]
        );
    }

    #[test]
    fn reports_never_hold_the_value() {
        let valid = key("openai-api-key", 10);
        let wrong = key("anthropic-api-key", 11);
        let settings = [
            Setting::new("OPENAI_API_KEY", Origin::Process, valid.clone()),
            Setting::new(
                "OPENAI_API_KEY",
                Origin::File {
                    path: ".env".into(),
                    line: 2,
                },
                wrong.clone(),
            ),
            Setting::new("ANTHROPIC_API_KEY", Origin::Process, &wrong[..50]),
            Setting::new("UNRELATED", Origin::Process, "x"),
        ];
        let (results, unset) = check_all(rules(), &settings, true);
        assert_eq!(
            results
                .iter()
                .filter(|c| c.status == Status::NotSet)
                .count(),
            unset
        );
        assert_eq!(results.len(), 3 + unset);
        let human = render_human(&results);
        let json = render_json(&results).unwrap();
        for v in [&valid, &wrong] {
            let body = &v[14..40];
            assert!(!human.contains(body) && !json.contains(body));
        }
        let row: Vec<&str> = human.lines().nth(2).unwrap().split_whitespace().collect();
        assert_eq!(
            row[..5],
            [
                "OPENAI_API_KEY",
                ".env:2",
                "mismatch",
                "108",
                "sk-ant-api03-…"
            ]
        );
        assert!(human.contains("sk-ant-api03-…"), "{human}");
        let s = summary(&results, unset, true);
        assert!(
            s.starts_with("3 values checked: 1 valid, 1 malformed, 1 mismatched"),
            "{s}"
        );
    }
}
