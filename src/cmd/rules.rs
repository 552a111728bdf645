//! `keyward rules list`, `show` and `check`: the rule set, built-in and custom, shown
//! and verified.

use super::collect::load_rules;
use super::options::ListFormat;
use super::rules_check::check_rules;
use crate::exit::{CLEAN as EXIT_CLEAN, FINDINGS as EXIT_FINDINGS};
use crate::rules::{template::Rng, RuleSet};
use crate::session::{self, Sources};
use anyhow::{bail, Context as _, Result};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// `rules list`, `rules show ID` or `rules check`.
#[derive(Debug, Clone)]
pub enum Options {
    List {
        format: ListFormat,
        /// Include the custom rules of this configuration.
        config: Option<PathBuf>,
    },
    Show {
        id: String,
        config: Option<PathBuf>,
    },
    Check {
        /// The seed of the random keys built from the templates.
        seed: Option<u64>,
        /// Check this configuration's custom rules instead of the built-in ones.
        config: Option<PathBuf>,
    },
}

/// The rules with a configuration's custom rules (or the built-in ones alone).
fn rules_with_config(config: Option<&Path>) -> Result<RuleSet> {
    match config {
        None => load_rules(),
        Some(path) => {
            let srcs = Sources {
                config: Some(path.to_path_buf()),
                ..Sources::default()
            };
            let (config, notes) = session::load_config(&srcs, Path::new("."))?;
            for n in notes {
                eprintln!("keyward: note: {}", crate::escape::terminal(&n));
            }
            config.rule_set()
        }
    }
}

pub fn run(cmd: &Options) -> Result<i32> {
    let mut out = crate::output::stdout();
    let result = match cmd {
        Options::List { format, config } => {
            let set = rules_with_config(config.as_deref())?;
            list_rules(&mut out, &set, *format)
        }
        Options::Show { id, config } => {
            let set = rules_with_config(config.as_deref())?;
            let code = show_rule(&mut out, &set, id)?;
            out.flush()
                .context("cannot write the rule to standard output")?;
            return Ok(code);
        }
        Options::Check { seed, config } => {
            let set = match config {
                // Only the custom rules: the built-in ones have their own check.
                Some(path) => {
                    let srcs = Sources {
                        config: Some(path.clone()),
                        ..Sources::default()
                    };
                    let (mut config, notes) = session::load_config(&srcs, Path::new("."))?;
                    for n in notes {
                        eprintln!("keyward: note: {}", crate::escape::terminal(&n));
                    }
                    if config.rule.is_empty() {
                        bail!("{}: no [[rule]] to check", path.display());
                    }
                    config.rules.builtin = false;
                    config.rule_set()?
                }
                None => load_rules()?,
            };
            let seed = seed.unwrap_or_else(|| Rng::from_entropy().next_u64());
            let report = check_rules(&set, &mut Rng::new(seed));
            let mut text = String::new();
            for p in &report.problems {
                text.push_str(&format!("problem: {p}\n"));
            }
            text.push_str(&format!(
                "{} rules, {} examples, {} negative examples checked (seed {seed}): {}\n",
                report.rules,
                report.examples,
                report.negatives,
                if report.ok() {
                    "ok".to_string()
                } else {
                    format!("{} problems", report.problems.len())
                }
            ));
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .context("cannot write the check's results to standard output")?;
            return Ok(if report.ok() {
                EXIT_CLEAN
            } else {
                EXIT_FINDINGS
            });
        }
    };
    result
        .and_then(|()| out.flush())
        .context("cannot write the rules to standard output")?;
    Ok(EXIT_CLEAN)
}

fn list_rules(out: &mut dyn Write, set: &RuleSet, format: ListFormat) -> io::Result<()> {
    if format == ListFormat::Json {
        let items: Vec<serde_json::Value> = set
            .rules
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.spec.id,
                    "name": r.spec.name,
                    "provider": r.spec.provider,
                    "severity": r.spec.severity,
                    "precision": r.spec.precision,
                    "keywords": r.spec.keywords,
                    "env_vars": r.spec.env_vars,
                    "revoke_url": r.spec.revoke_url,
                    "rotation_days": r.spec.rotation_days,
                    "variants": r.variants.iter().map(|v| serde_json::json!({
                        "id": v.id, "name": v.name, "provider": v.provider,
                        "severity": v.severity, "env_vars": v.env_vars,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &items)?;
        return writeln!(out);
    }
    // Custom rules come from configuration that may be a repository's: escaped.
    let t = crate::escape::terminal;
    let width = set.rules.iter().map(|r| r.spec.id.len()).max().unwrap_or(2);
    let pwidth = set
        .rules
        .iter()
        .map(|r| r.spec.provider.len())
        .max()
        .unwrap_or(8);
    writeln!(
        out,
        "{:<width$}  {:<pwidth$}  {:<8}  KEYWORDS",
        "ID", "PROVIDER", "SEVERITY"
    )?;
    for r in &set.rules {
        writeln!(
            out,
            "{:<width$}  {:<pwidth$}  {:<8}  {}",
            r.spec.id,
            t(&r.spec.provider),
            r.spec.severity.as_str(),
            t(&r.spec.keywords.join(", "))
        )?;
        for v in &r.variants {
            writeln!(
                out,
                "{:<width$}  {:<pwidth$}  {:<8}  (variant of {}; context: {})",
                format!("  {}", t(&v.id)),
                t(&v.provider),
                v.severity.as_str(),
                r.spec.id,
                t(&v.context
                    .iter()
                    .map(|c| String::from_utf8_lossy(c))
                    .collect::<Vec<_>>()
                    .join(", "))
            )?;
        }
    }
    writeln!(out, "{} rules", set.len())
}

fn show_rule(out: &mut dyn Write, set: &RuleSet, id: &str) -> Result<i32> {
    let found = set
        .rules
        .iter()
        .find(|r| r.spec.id == id || r.variants.iter().any(|v| v.id == id));
    let Some(rule) = found else {
        bail!("no rule has the id {id:?} (see `keyward rules list`)");
    };
    let s = &rule.spec;
    let mut text = format!(
        "{} — {}\n  provider:   {}\n  severity:   {}\n  precision:  {}\n  file:       rules/{}\n",
        s.id,
        s.name,
        s.provider,
        s.severity,
        s.precision.as_str(),
        rule.file
    );
    if !s.description.is_empty() {
        text.push_str(&format!("  about:      {}\n", s.description.trim()));
    }
    text.push_str(&format!("  keywords:   {}\n", s.keywords.join(", ")));
    text.push_str(&format!("  pattern:    {}\n", rule.pattern()));
    if let Some(e) = s.entropy {
        text.push_str(&format!("  entropy:    at least {e} bits per character\n"));
    }
    if let Some(c) = s.checksum {
        text.push_str(&format!("  checksum:   {c:?}\n"));
    }
    if !s.env_vars.is_empty() {
        text.push_str(&format!("  env vars:   {}\n", s.env_vars.join(", ")));
    }
    text.push_str(&format!(
        "  revoke at:  {}\n  rotate:     every {} days\n",
        crate::rules::revoke_at(&s.revoke_url),
        s.rotation_days
    ));
    for v in &rule.variants {
        text.push_str(&format!(
            "  variant {} ({}): context {}; revoke at {}\n",
            v.id,
            v.provider,
            v.context
                .iter()
                .map(|c| String::from_utf8_lossy(c))
                .collect::<Vec<_>>()
                .join(", "),
            crate::rules::revoke_at(&v.revoke_url)
        ));
    }
    if let Some(k) = &s.key {
        text.push_str(&format!("  key shape:  {k}\n"));
    }
    for e in &s.examples {
        text.push_str(&format!("  example:    {e}\n"));
    }
    for n in &s.negative_examples {
        text.push_str(&format!("  not a key:  {n}\n"));
    }
    out.write_all(text.as_bytes())
        .context("cannot write the rule to standard output")?;
    Ok(EXIT_CLEAN)
}
