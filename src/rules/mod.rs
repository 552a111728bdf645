//! Rules: the model of a rule file, the embedded defaults, and the compiled [`RuleSet`]
//! that every scan shares (immutable; each worker thread owns its own
//! matcher scratch, in `scan`). Rules know nothing of matching: the matcher reads them.

pub mod checksum;
pub mod fields;
mod keywords;
pub use keywords::{NearKeywords, NEAR_WINDOW};
mod model;
pub mod paths;
pub mod placeholder;
pub mod prefix;
pub mod template;

pub use model::{
    AssignmentSpec, Boundary, Checksum, Precision, RuleFile, RuleSpec, Severity, VariantSpec,
};

use regex::bytes::{Regex, RegexBuilder};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

/// The rule files compiled into the binary, as (file name, contents).
pub const EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

/// The same files as JSON, in the same order (`None` for a file the build could not
/// read as TOML: the loader then parses its text and reports why). JSON loads several
/// times faster than TOML, and every command pays the load at start-up.
const EMBEDDED_JSON: &[(&str, Option<&str>)] =
    include!(concat!(env!("OUT_DIR"), "/embedded_rules_json.rs"));

/// What is shown in place of a revoke URL when a rule has none (a rule translated from a
/// gitleaks configuration, or a custom rule that left it empty).
pub const NO_REVOKE_URL: &str = "the provider's console (the rule has no revoke URL)";

/// `url` for a message ("revoke the key at …"), or [`NO_REVOKE_URL`] when it is empty.
pub fn revoke_at(url: &str) -> &str {
    if url.is_empty() {
        NO_REVOKE_URL
    } else {
        url
    }
}

/// A rule file that could not be loaded: names the file, the rule and the reason.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("{file}: {reason}")]
    Parse { file: String, reason: String },
    #[error("{file}: rule {id:?}: {reason}")]
    Invalid {
        file: String,
        id: String,
        reason: String,
    },
}

/// A provider a look-alike key family is attributed to by context.
#[derive(Debug, Clone)]
pub struct Variant {
    pub id: String,
    pub name: String,
    pub provider: String,
    pub severity: Severity,
    pub revoke_url: String,
    pub rotation_days: u32,
    pub env_vars: Vec<String>,
    /// Lowercase context words.
    pub context: Vec<Vec<u8>>,
    pub examples: Vec<String>,
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub spec: RuleSpec,
    /// The file the rule came from (for messages).
    pub file: String,
    /// The pattern, compiled on first use (a pre-commit run touches only a few rules).
    pattern: String,
    regex: OnceLock<Regex>,
    /// Which capture group is the secret: set at load for a rule whose pattern was
    /// parsed then, found in the compiled regex on first use for a built-in one.
    secret_group: OnceLock<usize>,
    pub variants: Vec<Variant>,
    /// Lowercase keywords, longest first (used to strip a format prefix before the
    /// placeholder filter).
    pub prefixes: Vec<Vec<u8>>,
    /// The fixed prefixes of the secret's format (see [`prefix`]), made on first use.
    fixed: OnceLock<Vec<Vec<u8>>>,
}

impl Rule {
    pub fn id(&self) -> &str {
        &self.spec.id
    }

    /// The pattern as compiled (for `assignment` rules, the generated regex).
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// Which capture group of [`Rule::regex`] is the secret: `secret_group` when the rule
    /// gives one, else the group named `secret`, else the whole match (0).
    pub fn secret_group(&self) -> usize {
        *self.secret_group.get_or_init(|| {
            self.spec.secret_group.unwrap_or_else(|| {
                self.regex()
                    .capture_names()
                    .position(|n| n == Some("secret"))
                    .unwrap_or(0)
            })
        })
    }

    /// The compiled regex (compiled on first use; the pattern was checked at load, or
    /// for a built-in rule by the tests and `keyward rules check`).
    pub fn regex(&self) -> &Regex {
        self.regex.get_or_init(|| {
            RegexBuilder::new(&self.pattern)
                .size_limit(REGEX_SIZE_LIMIT)
                .dfa_size_limit(REGEX_SIZE_LIMIT)
                .build()
                .unwrap_or_else(|_| {
                    // Over the size limit: a pattern that cannot match keeps the scan going;
                    // `compile_all` (run by `rules check`) reports it.
                    Regex::new(r"[^\x00-\xff]\A").expect("the empty pattern compiles")
                })
        })
    }

    /// The length in bytes of the fixed prefix of this rule's format that `secret`
    /// starts with (0 when the format fixes none): the part redaction may show.
    pub fn fixed_prefix_len(&self, secret: &[u8]) -> usize {
        let fixed = self
            .fixed
            .get_or_init(|| prefix::fixed_prefixes(&self.pattern, self.secret_group()));
        prefix::prefix_len(fixed, secret)
    }

    /// Compile now, reporting a pattern the regex engine refuses (or whose
    /// `secret_group` it does not have).
    pub fn compile_now(&self) -> Result<(), RuleError> {
        let group =
            parsed_secret_group(&self.file, self.id(), &self.pattern, self.spec.secret_group)?;
        let _ = self.secret_group.set(group);
        RegexBuilder::new(&self.pattern)
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(REGEX_SIZE_LIMIT)
            .build()
            .map(|r| {
                let _ = self.regex.set(r);
            })
            .map_err(|e| {
                invalid(
                    &self.file,
                    self.id(),
                    format!(
                        "pattern does not compile: {}",
                        crate::parse_error::regex_crate_error(&self.pattern, &e)
                    ),
                )
            })
    }
}

const REGEX_SIZE_LIMIT: usize = 8 << 20;

/// The index of the capture group called `name`.
fn named_group(hir: &regex_syntax::hir::Hir, name: &str) -> Option<usize> {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Capture(c) if c.name.as_deref() == Some(name) => Some(c.index as usize),
        HirKind::Capture(c) => named_group(&c.sub, name),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => {
            hs.iter().find_map(|h| named_group(h, name))
        }
        HirKind::Repetition(r) => named_group(&r.sub, name),
        _ => None,
    }
}

/// Separators a name may be followed by before its value: `=`, `:`, `:=`, `=>`, `,`, or
/// (only for provider rules, as in Dockerfile `ENV NAME value`) blanks.
const ASSIGN_SEP: &str = r#"(?:\\?["'`]|\])*[ \t]*(?:=|:=|:|=>|,|[ \t])[ \t]*(?:\\?["'`])?"#;
const ASSIGN_SEP_STRICT: &str = r#"(?:\\?["'`]|\])*[ \t]*(?:=|:=|:|=>)[ \t]*(?:\\?["'`])?"#;

/// The regex for an `assignment` rule: some name containing `name`, a separator, and the
/// value in a group named `secret`. Generic rules need a real assignment operator.
pub fn assignment_regex(a: &AssignmentSpec, generic: bool) -> String {
    let sep = if generic {
        ASSIGN_SEP_STRICT
    } else {
        ASSIGN_SEP
    };
    format!(
        r"(?i:[A-Za-z0-9_.\-]*(?:{})[A-Za-z0-9_.\-]*){sep}(?P<secret>{})",
        a.name, a.value
    )
}

fn invalid(file: &str, id: &str, reason: impl Into<String>) -> RuleError {
    RuleError::Invalid {
        file: file.to_string(),
        id: id.to_string(),
        reason: reason.into(),
    }
}

/// Parse one rule file.
pub fn parse_file(file: &str, text: &str) -> Result<Vec<RuleSpec>, RuleError> {
    toml::from_str::<RuleFile>(text)
        .map(|f| f.rules)
        .map_err(|e| RuleError::Parse {
            file: file.to_string(),
            reason: crate::parse_error::toml_error_at(text, &e),
        })
}

/// Compile one rule: its fields and its pattern are checked now.
pub fn compile(file: &str, spec: RuleSpec) -> Result<Rule, RuleError> {
    compile_checked(file, spec, true)
}

/// Compile one rule; `parse` says whether the pattern is parsed now (errors surface at
/// load, the secret group is known) or left to the first use (a built-in rule, whose
/// patterns the tests and `keyward rules check` compile: start-up skips the parse).
fn compile_checked(file: &str, spec: RuleSpec, parse: bool) -> Result<Rule, RuleError> {
    let id = spec.id.clone();
    let problems = fields::spec_problems(&spec);
    if !problems.is_empty() {
        // An invalid id is not repeated (it may hold anything).
        let shown = if fields::id_problem(&id).is_none() {
            id.as_str()
        } else {
            "(invalid id)"
        };
        return Err(invalid(file, shown, problems.join("; ")));
    }
    // A rule for files of given names reads all of such a file: it needs no keyword.
    if (spec.keywords.is_empty() && spec.paths.is_empty())
        || spec.keywords.iter().any(|k| k.trim().is_empty())
    {
        return Err(invalid(
            file,
            &id,
            "every rule needs at least one non-empty keyword",
        ));
    }
    for p in &spec.paths {
        if let Some(e) = paths::pattern_problem(p) {
            return Err(invalid(file, &id, format!("`paths`: {e}")));
        }
    }
    if spec.binary && spec.paths.is_empty() {
        return Err(invalid(file, &id, "a `binary` rule needs `paths`"));
    }
    let pattern = match (&spec.regex, &spec.assignment) {
        (Some(r), None) => r.clone(),
        (None, Some(a)) => assignment_regex(a, spec.generic),
        _ => {
            return Err(invalid(
                file,
                &id,
                "give exactly one of `regex` and `assignment`",
            ))
        }
    };
    // Parse now (errors surface at load); compile on first use.
    let secret_group = OnceLock::new();
    if parse {
        let _ = secret_group.set(parsed_secret_group(file, &id, &pattern, spec.secret_group)?);
    }
    if let Some(e) = spec.entropy {
        if !(0.0..=8.0).contains(&e) {
            return Err(invalid(
                file,
                &id,
                "entropy is in bits per byte, between 0 and 8",
            ));
        }
    }
    let variants = spec
        .variants
        .iter()
        .map(|v| {
            if v.context.is_empty() {
                return Err(invalid(file, &v.id, "a variant needs context words"));
            }
            Ok(Variant {
                id: v.id.clone(),
                name: v.name.clone(),
                provider: v.provider.clone(),
                severity: v.severity.unwrap_or(spec.severity),
                revoke_url: v
                    .revoke_url
                    .clone()
                    .unwrap_or_else(|| spec.revoke_url.clone()),
                rotation_days: v.rotation_days.unwrap_or(spec.rotation_days),
                env_vars: v.env_vars.clone(),
                context: v
                    .context
                    .iter()
                    .map(|c| c.to_ascii_lowercase().into_bytes())
                    .collect(),
                examples: v.examples.clone(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut prefixes: Vec<Vec<u8>> = spec
        .keywords
        .iter()
        .map(|k| k.to_ascii_lowercase().into_bytes())
        .collect();
    prefixes.sort_by_key(|p| std::cmp::Reverse(p.len()));
    Ok(Rule {
        spec,
        file: file.to_string(),
        pattern,
        regex: OnceLock::new(),
        secret_group,
        variants,
        prefixes,
        fixed: OnceLock::new(),
    })
}

/// Parse `pattern` and find its secret group (`given`, else the group named `secret`,
/// else 0).
fn parsed_secret_group(
    file: &str,
    id: &str,
    pattern: &str,
    given: Option<usize>,
) -> Result<usize, RuleError> {
    let hir = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(pattern)
        .map_err(|e| {
            invalid(
                file,
                id,
                format!(
                    "pattern does not compile: {}",
                    crate::parse_error::regex_error(&e)
                ),
            )
        })?;
    let groups = hir.properties().explicit_captures_len();
    Ok(match given {
        Some(g) if g <= groups => g,
        Some(g) => {
            return Err(invalid(
                file,
                id,
                format!("secret_group {g} is not in the pattern"),
            ))
        }
        None => named_group(&hir, "secret").unwrap_or(0),
    })
}

/// The rules compiled into the binary, each compiled.
pub fn builtin_rules() -> Result<Vec<Rule>, RuleError> {
    let mut rules = Vec::new();
    for (&(file, text), &(_, json)) in EMBEDDED.iter().zip(EMBEDDED_JSON) {
        let specs = match json.map(serde_json::from_str::<RuleFile>) {
            Some(Ok(f)) => f.rules,
            // Not JSON-shaped (or not valid): the TOML parser says why.
            _ => parse_file(file, text)?,
        };
        for spec in specs {
            rules.push(compile_checked(file, spec, false)?);
        }
    }
    Ok(rules)
}

/// The compiled, immutable set of rules a scan uses.
#[derive(Debug)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    /// The keyword automaton (leftmost-longest, ASCII case-insensitive).
    pub(crate) keywords: keywords::Keywords,
    /// For each keyword pattern, the rules to run when it occurs: its own rules and those
    /// of every keyword it contains (a non-overlapping search reports only the longest).
    pub(crate) keyword_rules: Vec<Vec<u32>>,
    /// Upper-case environment variable name -> index of the rule or variant owner.
    pub env_vars: HashMap<String, (usize, Option<usize>)>,
    /// The rules that report only in files of given names.
    pub path_rules: paths::PathRules,
    /// The keywords of the rules that read beyond their hit's line, made on first use.
    near: std::sync::OnceLock<keywords::NearKeywords>,
}

impl RuleSet {
    /// The rules compiled into the binary.
    pub fn builtin() -> Result<RuleSet, RuleError> {
        RuleSet::new(builtin_rules()?)
    }

    /// Build the set; ids (of rules and variants) must be unique.
    pub fn new(rules: Vec<Rule>) -> Result<RuleSet, RuleError> {
        let mut seen = HashSet::new();
        for r in &rules {
            for id in std::iter::once(r.id()).chain(r.variants.iter().map(|v| v.id.as_str())) {
                if !seen.insert(id.to_string()) {
                    return Err(invalid(&r.file, id, "duplicate rule id"));
                }
            }
        }
        let mut by_keyword: BTreeMap<Vec<u8>, Vec<u32>> = BTreeMap::new();
        for (i, r) in rules.iter().enumerate() {
            for k in &r.prefixes {
                by_keyword.entry(k.clone()).or_default().push(i as u32);
            }
        }
        let patterns: Vec<Vec<u8>> = by_keyword.keys().cloned().collect();
        let keyword_rules = keywords::containing_rules(&by_keyword);
        let keywords = keywords::Keywords::new(patterns)
            .map_err(|e| invalid("<keywords>", "", format!("keyword automaton: {e}")))?;
        let mut env_vars = HashMap::new();
        for (i, r) in rules.iter().enumerate() {
            for e in &r.spec.env_vars {
                env_vars.entry(e.to_ascii_uppercase()).or_insert((i, None));
            }
            for (j, v) in r.variants.iter().enumerate() {
                for e in &v.env_vars {
                    env_vars
                        .entry(e.to_ascii_uppercase())
                        .or_insert((i, Some(j)));
                }
            }
        }
        let path_rules = paths::PathRules::new(
            rules
                .iter()
                .enumerate()
                .map(|(i, r)| (i, r.spec.paths.as_slice())),
        );
        Ok(RuleSet {
            rules,
            keywords,
            keyword_rules,
            env_vars,
            path_rules,
            near: std::sync::OnceLock::new(),
        })
    }

    /// The keywords of the rules that read beyond their hit's line, which `is_near` (one
    /// flag per rule) names on the first call; the matcher knows which those are.
    pub fn near_keywords(&self, is_near: impl FnOnce() -> Vec<bool>) -> &keywords::NearKeywords {
        self.near
            .get_or_init(|| keywords::NearKeywords::new(&self.rules, is_near()))
    }

    /// The length of the longest keyword.
    pub fn longest_keyword(&self) -> usize {
        self.keywords.longest()
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id() == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_json_holds_the_same_rules_as_the_toml() {
        assert_eq!(EMBEDDED.len(), EMBEDDED_JSON.len());
        for (&(file, text), &(json_file, json)) in EMBEDDED.iter().zip(EMBEDDED_JSON) {
            assert_eq!(file, json_file);
            let json = json.unwrap_or_else(|| panic!("{file}: no JSON form"));
            let from_toml = parse_file(file, text).unwrap();
            let from_json = serde_json::from_str::<RuleFile>(json).unwrap().rules;
            assert_eq!(
                serde_json::to_value(&from_toml).unwrap(),
                serde_json::to_value(&from_json).unwrap(),
                "{file}"
            );
        }
    }

    #[test]
    fn a_built_in_rule_finds_the_secret_group_its_pattern_parses_to() {
        for lazy in builtin_rules().unwrap() {
            let parsed = compile(&lazy.file, lazy.spec.clone()).unwrap();
            assert_eq!(lazy.secret_group(), parsed.secret_group(), "{}", lazy.id());
        }
    }
}
