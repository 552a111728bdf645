//! Writing a scan's results where the user asked: the main output, every `--report`
//! file, the report context (repository-relative paths, provenance), and the exit code
//! the results make. The formats themselves are in `report`.
//!
//! It must not know how any format is written.

use super::collect::Collected;
use super::options::{ColorChoice, ConfigOptions, OutputOptions};
use crate::exit::{CLEAN as EXIT_CLEAN, ERROR as EXIT_ERROR, FINDINGS as EXIT_FINDINGS};
use crate::finding::Finding;
use crate::report::{self, Context, Format, ScanKind, Stats, Style};
use crate::source::{self, ScanSummary};
use anyhow::{Context as _, Result};
use std::io::{self, IsTerminal, Write};
use std::path::Path;

/// Whether a report that needs repository-relative paths and provenance was asked for.
pub fn wants_context(out: &OutputOptions) -> bool {
    std::iter::once(out.format)
        .chain(out.report.iter().map(|(f, _)| *f))
        .any(|f| matches!(f, Format::Sarif | Format::Markdown))
}

/// The report context of a scan (no provenance yet).
pub fn context<'a>(
    c: &'a Collected,
    out: &OutputOptions,
    filter: &ConfigOptions,
    kind: ScanKind,
) -> Context<'a> {
    let mut ctx = Context::new(&c.session.rules, kind);
    ctx.sarif_category = out.sarif_category.clone();
    ctx.sarif_all_rules = out.sarif_all_rules;
    ctx.root = c.root.clone();
    ctx.suppressed = &c.suppressed;
    ctx.show_suppressed = filter.show_suppressed;
    ctx.stats = Stats {
        scanned: c.summary.files_scanned,
        bytes: c.summary.bytes_scanned,
        commits: None,
        suppressed_inline: c.summary.suppressed_inline,
        errors: c.summary.errors.len(),
        skipped: c.summary.skipped.len(),
    };
    ctx
}

/// The context of a scan of the repository at `repo`, whose paths are repository-relative.
pub fn repo_context<'a>(
    c: &'a Collected,
    out: &OutputOptions,
    filter: &ConfigOptions,
    kind: ScanKind,
    repo: &Path,
    tip: Option<&str>,
) -> Context<'a> {
    let mut ctx = context(c, out, filter, kind);
    if wants_context(out) {
        ctx.vcs = source::git::provenance(repo, tip);
    }
    ctx
}

/// The exit code of a work-tree scan: findings first, then errors.
pub fn exit_code(findings: &[Finding], summary: &ScanSummary) -> i32 {
    if !findings.is_empty() {
        EXIT_FINDINGS
    } else if !summary.errors.is_empty() {
        EXIT_ERROR
    } else {
        EXIT_CLEAN
    }
}

/// The exit code of a repository scan: an incomplete one is an error (exit 2, with what
/// to do) unless `--allow-partial` accepts it; then the findings decide.
pub fn partial_exit(findings: &[Finding], incomplete: bool, allow_partial: bool) -> i32 {
    if incomplete && !allow_partial {
        eprintln!(
            "keyward: error: the scan is incomplete: some objects could not be read (listed above). \
             Repair the repository (`git fsck` names the damage; a fresh clone or fetch replaces \
             corrupt or missing objects), or accept a partial scan with --allow-partial."
        );
        EXIT_ERROR
    } else if !findings.is_empty() {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// Write the findings where the user asked, and every `--report`; a closed pipe is not
/// an error.
pub fn emit(out: &OutputOptions, findings: &[Finding], ctx: &Context<'_>) -> Result<()> {
    let color = match out.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            out.output.is_none()
                && out.format == Format::Human
                && io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let style = Style {
        show_secrets: out.no_redact,
        color,
    };
    let sarif = out.format == Format::Sarif || out.report.iter().any(|(f, _)| *f == Format::Sarif);
    if sarif && findings.len() > report::sarif::MAX_RESULTS {
        eprintln!(
            "keyward: warning: the SARIF report holds the {} most severe of {} findings (GitHub accepts at most {} per run); use --format json for all of them",
            report::sarif::MAX_RESULTS,
            findings.len(),
            report::sarif::MAX_RESULTS
        );
    }
    for (format, path) in &out.report {
        let style = Style {
            color: false,
            ..style
        };
        crate::output::write_file(path, |w| report::write(w, *format, findings, style, ctx))?;
    }
    match &out.output {
        Some(path) => {
            crate::output::write_file(path, |w| report::write(w, out.format, findings, style, ctx))
        }
        None => {
            let mut w = crate::output::stdout();
            report::write(&mut w, out.format, findings, style, ctx)
                .and_then(|()| w.flush())
                .context("cannot write the findings to standard output")
        }
    }
}
