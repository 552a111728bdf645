//! `keyward rules list`, `show` and `check`: the rule set, built-in and custom, shown
//! and verified.
//!
//! It must not know how rules are compiled or matched.

use super::collect::load_rules;
use super::options::ListFormat;
use super::rules_check::{check_rules, check_samples};
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
        /// `--samples N`: N random keys of every rule must be found.
        samples: Option<usize>,
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
        Options::Check {
            seed,
            samples,
            config,
        } => {
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
            let mut problems = report.problems.clone();
            if let Some(n) = samples {
                let s = check_samples(&set, &mut Rng::new(seed ^ 0x5a), *n);
                text.push_str(&format!(
                    "{} random keys of {} rules and variants: {} keys of a format missed\n",
                    s.samples(),
                    s.per_rule.len() + s.generic.len(),
                    s.missed()
                ));
                for (id, n, m) in s.per_rule.iter().filter(|r| r.2 > 0) {
                    problems.push(format!("{id}: {m} of {n} random keys missed"));
                }
                for (id, n, m) in s.generic.iter().filter(|r| r.2 > 0) {
                    text.push_str(&format!(
                        "note: {id} (generic, no format) dropped {m} of {n} random values\n"
                    ));
                }
                problems.extend(s.misses);
            }
            for p in &problems {
                text.push_str(&format!("problem: {p}\n"));
            }
            text.push_str(&format!(
                "{} rules, {} examples, {} negative examples checked (seed {seed}): {}\n",
                report.rules,
                report.examples,
                report.negatives,
                if problems.is_empty() {
                    "ok".to_string()
                } else {
                    format!("{} problems", problems.len())
                }
            ));
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .context("cannot write the check's results to standard output")?;
            return Ok(if problems.is_empty() {
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
                    "paths": r.spec.paths,
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
    let rows: Vec<Row> = set
        .rules
        .iter()
        .flat_map(|r| {
            let main = Row {
                id: t(&r.spec.id),
                provider: t(&r.spec.provider),
                severity: r.spec.severity.as_str(),
                lead: String::new(),
                list: if r.spec.paths.is_empty() {
                    t(&r.spec.keywords.join(", "))
                } else {
                    t(&format!("files: {}", r.spec.paths.join(", ")))
                },
            };
            let variants = r.variants.iter().map(|v| {
                let context: Vec<String> = v
                    .context
                    .iter()
                    .map(|c| String::from_utf8_lossy(c).into_owned())
                    .collect();
                Row {
                    id: format!("  {}", t(&v.id)),
                    provider: t(&v.provider),
                    severity: v.severity.as_str(),
                    lead: "context: ".into(),
                    list: t(&context.join(", ")),
                }
            });
            std::iter::once(main).chain(variants)
        })
        .collect();
    let mut cut = false;
    let header = Row {
        id: "ID".into(),
        provider: "PROVIDER".into(),
        severity: "SEVERITY",
        lead: String::new(),
        list: "KEYWORDS".into(),
    };
    let widths = table_widths(&rows);
    for row in std::iter::once(&header).chain(&rows) {
        let (line, was_cut) = table_line(row, widths);
        cut |= was_cut;
        writeln!(out, "{line}")?;
    }
    if cut {
        writeln!(
            out,
            "{} rules (lists cut to fit {TABLE_WIDTH} columns: `keyward rules show ID` or -f json shows all)",
            set.len()
        )
    } else {
        writeln!(out, "{} rules", set.len())
    }
}

/// `rules list` fits this many columns.
const TABLE_WIDTH: usize = 100;
/// The id column is at most this wide (a longer id is shown whole, and the rest of its
/// row moves right: the longest id allowed, 64 characters, still fits); the provider
/// column too (a longer provider is cut).
const MAX_ID_WIDTH: usize = 40;
const MAX_PROVIDER_WIDTH: usize = 20;

/// A row of `rules list`: the last cell is `lead` and a list cut to fit. A variant's
/// row follows its rule's, its id indented, and lists the words of its context.
struct Row {
    id: String,
    provider: String,
    severity: &'static str,
    lead: String,
    list: String,
}

fn columns(s: &str) -> usize {
    s.chars().count()
}

/// The widths of the id and provider columns.
fn table_widths(rows: &[Row]) -> (usize, usize) {
    let widest = |cell: fn(&Row) -> &str, min: usize, max: usize| {
        rows.iter()
            .map(|r| columns(cell(r)))
            .max()
            .unwrap_or(0)
            .clamp(min, max)
    };
    (
        widest(|r| &r.id, 2, MAX_ID_WIDTH),
        widest(|r| &r.provider, "PROVIDER".len(), MAX_PROVIDER_WIDTH),
    )
}

/// One row of the table in at most [`TABLE_WIDTH`] columns, and whether a cell was cut
/// (an id never is).
fn table_line(row: &Row, (id_width, provider_width): (usize, usize)) -> (String, bool) {
    let provider = cut_to(&row.provider, provider_width);
    let mut line = format!(
        "{:<id_width$}  {:<provider_width$}  {:<8}  ",
        row.id, provider, row.severity
    );
    let room = TABLE_WIDTH.saturating_sub(columns(&line));
    let lead = cut_to(&row.lead, room);
    let list = fit_list(&row.list, room.saturating_sub(columns(&lead)));
    let cut = provider != row.provider || lead != row.lead || list != row.list;
    line.push_str(&lead);
    line.push_str(&list);
    (line.trim_end().to_string(), cut)
}

/// `s` in at most `width` columns: whole if it fits, else cut with `…`.
fn cut_to(s: &str, width: usize) -> String {
    if columns(s) <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// A `, `-separated list in at most `width` columns: the items that fit whole, then
/// `+N more` for the rest (or, when not even one fits, the first cut with `…`).
fn fit_list(list: &str, width: usize) -> String {
    if columns(list) <= width {
        return list.to_string();
    }
    let items: Vec<&str> = list.split(", ").collect();
    for keep in (1..items.len()).rev() {
        let text = format!("{}, +{} more", items[..keep].join(", "), items.len() - keep);
        if columns(&text) <= width {
            return text;
        }
    }
    cut_to(list, width)
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
    if !s.paths.is_empty() {
        text.push_str(&format!("  files:      {}\n", s.paths.join(", ")));
    }
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
