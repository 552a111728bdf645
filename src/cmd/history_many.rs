//! `keyward history REPO…`, `--repos FILE`, `--shard I/N`: the histories of many
//! repositories in one process. Each is scanned as `keyward history` scans one; each
//! report is written as for one repository, then tagged with the repository's name (as
//! given) and joined (`report::merge`): a `repository` field in JSON, one SARIF run per
//! repository, a prefix in text. A repository that cannot be scanned is reported and
//! the others are still scanned; then the exit code is 2 (fail closed), else 1 when
//! any has findings.
//!
//! It must not know how a report is written or how a history is scanned.

use super::emit::repo_context;
use super::history::{kind, print_notes, scan_repo, tip, walked, Options, Scanned};
use super::options::ColorChoice;
use super::repo_list::Shard;
use super::summary::report_summary_with;
use crate::exit::{CLEAN, ERROR, FINDINGS};
use crate::report::{self, merge, Format, Style};
use anyhow::{Context as _, Result};
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

pub fn run(args: &Options, repos: &[PathBuf], shard: Option<Shard>) -> Result<i32> {
    let out = &args.output;
    let formats: Vec<Format> = std::iter::once(out.format)
        .chain(out.report.iter().map(|(f, _)| *f))
        .collect();
    let mut parts: Vec<Vec<Vec<u8>>> = vec![Vec::new(); formats.len()];
    let (mut failed, mut found) = (0usize, false);
    if repos.is_empty() {
        if let Some(s) = shard {
            eprintln!(
                "keyward: note: shard {}/{} of the list holds no repository: nothing to scan",
                s.index, s.count
            );
        }
    }
    for repo in repos {
        let started = Instant::now();
        let label = repo.to_string_lossy().into_owned();
        let shown = crate::escape::terminal(&label);
        let Scanned { c, summary } = match scan_repo(args, repo, false) {
            Ok(s) => s,
            Err(e) => {
                eprintln!(
                    "keyward: error: {shown}: {e:#}; the other repositories are still scanned"
                );
                failed += 1;
                continue;
            }
        };
        let mut ctx = repo_context(&c, out, &args.filter, kind(args), repo, tip(args));
        ctx.stats.commits = Some(summary.commits);
        for (i, format) in formats.iter().enumerate() {
            let style = Style {
                show_secrets: out.no_redact,
                color: i == 0 && color(args, *format),
            };
            let mut bytes = Vec::new();
            report::write(&mut bytes, *format, &c.findings, style, &ctx)?;
            parts[i].push(merge::tag(*format, &bytes, &label)?);
        }
        print_notes(&summary, &format!("{shown}: "));
        let (extra, incomplete) = walked(&c, &summary);
        report_summary_with(out, &c, started, Some(&format!("{shown}: {extra}")));
        if incomplete && !args.allow_partial {
            eprintln!(
                "keyward: error: {shown}: the scan is incomplete: some objects could not be read \
                 (listed above); --allow-partial accepts it"
            );
            failed += 1;
        }
        found |= !c.findings.is_empty();
    }
    for (i, (format, path)) in out.report.iter().enumerate() {
        let joined = merge::join(*format, &parts[i + 1])?;
        crate::output::write_file(path, |w| w.write_all(&joined))?;
    }
    let joined = merge::join(out.format, &parts[0])?;
    match &out.output {
        Some(path) => crate::output::write_file(path, |w| w.write_all(&joined))?,
        None => {
            let mut w = crate::output::stdout();
            w.write_all(&joined)
                .and_then(|()| w.flush())
                .context("cannot write the findings to standard output")?;
        }
    }
    Ok(if failed > 0 {
        eprintln!(
            "keyward: error: {failed} of {} repositories could not be scanned in full",
            repos.len()
        );
        ERROR
    } else if found {
        FINDINGS
    } else {
        CLEAN
    })
}

/// Whether the main output is coloured.
fn color(args: &Options, format: Format) -> bool {
    match args.output.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            args.output.output.is_none()
                && format == Format::Human
                && io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none()
        }
    }
}
