//! gitleaks configurations (`.gitleaks.toml`) translated into keyward's: `[[rules]]`
//! become custom rules, allowlists become keyward allowlists, and whatever has no
//! counterpart is listed as a note. Knows the configuration schema and the rule model;
//! knows nothing of scanning or of where the file came from.

use super::{Config, RuleAllowlist};
use crate::rules::{RuleSpec, Severity};
use anyhow::Result;
use std::path::Path;

/// A gitleaks configuration (`.gitleaks.toml`) translated into keyward's: its
/// `[[rules]]` become custom rules, its allowlists keyward allowlists. What has no
/// counterpart is listed in `notes`, never dropped silently.
#[derive(Debug, Clone)]
pub struct GitleaksImport {
    pub config: Config,
    pub notes: Vec<String>,
}

impl GitleaksImport {
    /// A gitleaks file has `[[rules]]` (keyward's is `[rules]` and `[[rule]]`),
    /// `[[allowlists]]`, `[extend]` or a `title`.
    pub fn looks_like(text: &str) -> bool {
        let Ok(toml::Value::Table(t)) = text.parse::<toml::Value>() else {
            return false;
        };
        matches!(t.get("rules"), Some(toml::Value::Array(_)))
            || t.contains_key("allowlists")
            || t.contains_key("extend")
            || t.contains_key("title")
    }

    pub fn parse(text: &str, path: &Path) -> Result<GitleaksImport> {
        let shown = path.display().to_string();
        let value: toml::Value = toml::from_str(text)
            .map_err(|e| anyhow::anyhow!(crate::parse_error::toml_error(path, text, &e)))?;
        let table = value.as_table().cloned().unwrap_or_default();
        let mut config = Config {
            source: Some(path.to_path_buf()),
            ..Config::default()
        };
        let mut notes = Vec::new();
        let mut note = |s: String| notes.push(format!("{shown}: {s}"));

        // [extend]: gitleaks' own default rules are replaced by keyward's built-in ones.
        let extend = table.get("extend").and_then(toml::Value::as_table);
        config.rules.builtin = extend
            .and_then(|e| e.get("useDefault"))
            .and_then(toml::Value::as_bool)
            .unwrap_or(false);
        if config.rules.builtin {
            note("[extend] useDefault: keyward's built-in rules stand in for gitleaks' default rules".into());
        }
        if let Some(e) = extend {
            if e.contains_key("path") {
                note("[extend] path: extending another file is not supported; translate that file too".into());
            }
            if e.contains_key("disabledRules") {
                note("[extend] disabledRules name gitleaks' default rules; disable keyward rules with [rules] disable".into());
            }
        }
        for key in table.keys() {
            if !matches!(
                key.as_str(),
                "title"
                    | "description"
                    | "extend"
                    | "rules"
                    | "allowlist"
                    | "allowlists"
                    | "minVersion"
            ) {
                note(format!(
                    "top-level key `{key}` has no keyward counterpart and is ignored"
                ));
            }
        }

        let mut ids = Vec::new();
        for (n, rule) in table
            .get("rules")
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let Some(r) = rule.as_table() else { continue };
            let raw_id = r.get("id").and_then(toml::Value::as_str).unwrap_or("");
            let id = kebab(raw_id);
            let what = format!("rule {} ({raw_id:?})", n + 1);
            if id.is_empty() {
                note(format!("{what}: no id; not translated"));
                continue;
            }
            let Some(regex) = r.get("regex").and_then(toml::Value::as_str) else {
                note(format!("{what}: a path-only rule (no regex) has no keyward counterpart; not translated"));
                continue;
            };
            let mut keywords: Vec<String> = r
                .get("keywords")
                .and_then(toml::Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect();
            if keywords.is_empty() {
                match literal_prefix(regex) {
                    Some(k) => {
                        note(format!(
                            "{what}: no keywords; using {k:?}, taken from its regex"
                        ));
                        keywords.push(k);
                    }
                    None => {
                        note(format!("{what}: no keywords and no literal in its regex to prefilter on; add `keywords` to translate it"));
                        continue;
                    }
                }
            }
            let groups = regex_syntax::Parser::new()
                .parse(regex)
                .map(|h| h.properties().explicit_captures_len())
                .unwrap_or(0);
            let secret_group = match r.get("secretGroup").and_then(toml::Value::as_integer) {
                Some(g) if g >= 0 => Some(g as usize),
                _ if groups > 0 => Some(1),
                _ => None,
            };
            if r.contains_key("path") {
                note(format!("{what}: `path` (a rule limited to some files) is not supported; the rule runs on every file"));
            }
            for key in r.keys() {
                if !matches!(
                    key.as_str(),
                    "id" | "description"
                        | "regex"
                        | "secretGroup"
                        | "entropy"
                        | "keywords"
                        | "path"
                        | "tags"
                        | "allowlist"
                        | "allowlists"
                ) {
                    note(format!("{what}: `{key}` is ignored"));
                }
            }
            let description = crate::rules::fields::without_controls(
                r.get("description")
                    .and_then(toml::Value::as_str)
                    .unwrap_or_default(),
            );
            config.rule.push(RuleSpec {
                id: id.clone(),
                name: if description.is_empty() {
                    crate::rules::fields::without_controls(raw_id)
                } else {
                    description.clone()
                },
                provider: "custom (gitleaks)".to_string(),
                severity: Severity::High,
                precision: crate::rules::Precision::Medium,
                description,
                keywords,
                regex: Some(regex.to_string()),
                assignment: None,
                secret_group,
                entropy: r.get("entropy").and_then(toml::Value::as_float),
                checksum: None,
                boundary: crate::rules::Boundary::None,
                window: None,
                placeholder_filter: true,
                generic: false,
                env_vars: Vec::new(),
                paths: Vec::new(),
                binary: false,
                example_path: None,
                revoke_url: String::new(),
                rotation_days: 90,
                variants: Vec::new(),
                key: None,
                examples: Vec::new(),
                negative_examples: Vec::new(),
            });
            ids.push(id.clone());
            let lists = allowlists_of(r.get("allowlist"), r.get("allowlists"));
            for (m, a) in lists.iter().enumerate() {
                let w = format!("{what} allowlist {}", m + 1);
                let list = translate_allowlist(a, &w, &mut note);
                config
                    .allowlist
                    .rules
                    .entry(id.clone())
                    .or_default()
                    .absorb(list);
            }
        }
        let global = allowlists_of(table.get("allowlist"), table.get("allowlists"));
        for (m, a) in global.iter().enumerate() {
            let w = format!("global allowlist {}", m + 1);
            let targets: Vec<String> = a
                .get("targetRules")
                .and_then(toml::Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|t| t.as_str().map(kebab))
                .collect();
            if targets.is_empty() {
                let list = translate_allowlist(a, &w, &mut note);
                let g = &mut config.allowlist;
                g.paths.extend(list.paths);
                g.path_regexes.extend(list.path_regexes);
                g.regexes.extend(list.regexes);
                g.stopwords.extend(list.stopwords);
            } else {
                for t in targets {
                    if !ids.contains(&t) {
                        note(format!(
                            "{w}: targetRules names {t:?}, not a rule of this file; skipped"
                        ));
                        continue;
                    }
                    let list = translate_allowlist(a, &w, &mut note);
                    config.allowlist.rules.entry(t).or_default().absorb(list);
                }
            }
        }
        config.allowlist.rules.retain(|_, a| {
            !(a.paths.is_empty()
                && a.path_regexes.is_empty()
                && a.regexes.is_empty()
                && a.stopwords.is_empty())
        });
        Ok(GitleaksImport { config, notes })
    }
}

/// gitleaks ids are free-form; keyward's are kebab-case.
fn kebab(id: &str) -> String {
    let mut out = String::new();
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A literal every match starts with, to prefilter on (at least 3 characters).
fn literal_prefix(regex: &str) -> Option<String> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let hir = regex_syntax::Parser::new().parse(regex).ok()?;
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    let lits = seq.literals()?;
    let first = lits.first()?;
    let common = lits.iter().fold(first.as_bytes().to_vec(), |acc, l| {
        acc.iter()
            .zip(l.as_bytes())
            .take_while(|(a, b)| a.eq_ignore_ascii_case(b))
            .map(|(a, _)| *a)
            .collect()
    });
    let s = String::from_utf8(common).ok()?;
    (s.trim().len() >= 3).then(|| s.trim().to_string())
}

/// The old single `[allowlist]` table and the newer `[[allowlists]]` array.
fn allowlists_of(one: Option<&toml::Value>, many: Option<&toml::Value>) -> Vec<toml::Table> {
    let mut out = Vec::new();
    if let Some(t) = one.and_then(toml::Value::as_table) {
        out.push(t.clone());
    }
    for v in many.and_then(toml::Value::as_array).into_iter().flatten() {
        if let Some(t) = v.as_table() {
            out.push(t.clone());
        }
    }
    out
}

fn strings(t: &toml::Table, key: &str) -> Vec<String> {
    t.get(key)
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// One gitleaks allowlist as keyward's (what does not translate goes to `note`).
fn translate_allowlist(
    a: &toml::Table,
    what: &str,
    note: &mut impl FnMut(String),
) -> RuleAllowlist {
    let target = a
        .get("regexTarget")
        .and_then(toml::Value::as_str)
        .unwrap_or("secret");
    let mut regexes = strings(a, "regexes");
    if target != "secret" && !regexes.is_empty() {
        note(format!(
            "{what}: regexTarget = {target:?}: keyward matches allowlist regexes against the secret only; {} regex(es) not translated",
            regexes.len()
        ));
        regexes.clear();
    }
    if a.get("condition").and_then(toml::Value::as_str) == Some("AND") {
        note(format!("{what}: condition = \"AND\": keyward applies each entry on its own (OR), which allows more"));
    }
    if !strings(a, "commits").is_empty() {
        note(format!("{what}: `commits` (allowing findings by commit) is not supported: use a baseline; not translated"));
    }
    for key in a.keys() {
        if !matches!(
            key.as_str(),
            "description"
                | "regexes"
                | "paths"
                | "stopwords"
                | "commits"
                | "regexTarget"
                | "condition"
                | "targetRules"
        ) {
            note(format!("{what}: `{key}` is ignored"));
        }
    }
    // gitleaks paths are regexes.
    RuleAllowlist {
        paths: Vec::new(),
        path_regexes: strings(a, "paths"),
        regexes,
        stopwords: strings(a, "stopwords"),
    }
}
