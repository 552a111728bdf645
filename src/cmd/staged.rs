//! `keyward staged`: the index against HEAD, the pre-commit check. Silent when clean.
//!
//! Like every command, it must not know how matching or formats work.

use super::collect::{keep_confident, repo_root, Collected};
use super::emit::{emit, partial_exit, repo_context};
use super::options::{ConfigOptions, OutputOptions};
use super::summary::report_summary_with;
use super::unblock::{advice, Blocked};
use crate::exit::CLEAN as EXIT_CLEAN;
use crate::finding::Confidence;
use crate::finding::Root;
use crate::report::redact::Redactor;
use crate::report::{Context, Format, ScanKind};
use crate::session::Session;
use crate::source;
use anyhow::Result;
use std::path::PathBuf;
use std::time::Instant;

/// What blocks a commit or a push by default: a key of a known format, or one that
/// context attributes; generic (low-confidence) findings only with `--min-confidence low`.
pub const HOOK_MIN_CONFIDENCE: Confidence = Confidence::Medium;

/// What `keyward staged` is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub repo: PathBuf,
    pub max_file_size: Option<u64>,
    /// `--allow-partial`.
    pub allow_partial: bool,
    pub filter: ConfigOptions,
    pub output: OutputOptions,
}

pub fn run(args: &Options) -> Result<i32> {
    let started = Instant::now();
    let srcs = args.filter.sources();
    let mut session = Session::load(&srcs, &repo_root(&args.repo))?;
    let max = session.max_file_size(args.max_file_size)?;
    let (findings, mut summary) = source::staged::scan_staged(&session.rules, &args.repo, max)?;
    let (findings, suppressed) = session.finish(findings, &mut summary, &Root::AsIs);
    let mut c = Collected {
        show_suppressed: args.filter.show_suppressed,
        session,
        findings,
        suppressed,
        summary,
        root: Root::AsIs,
    };
    keep_confident(&mut c, &args.filter, HOOK_MIN_CONFIDENCE, false);
    let ctx = repo_context(
        &c,
        &args.output,
        &args.filter,
        ScanKind::Staged,
        &args.repo,
        None,
    );
    finish_hook(
        &args.output,
        &args.filter,
        &c,
        &ctx,
        started,
        Blocked::Commit,
        args.allow_partial,
    )
}

/// Report for a hook: nothing at all when clean; the findings, the summary and what to
/// do when not.
pub fn finish_hook(
    out: &OutputOptions,
    filter: &ConfigOptions,
    c: &Collected,
    ctx: &Context<'_>,
    started: Instant,
    what: Blocked,
    allow_partial: bool,
) -> Result<i32> {
    if c.findings.is_empty()
        && c.summary.errors.is_empty()
        && out.output.is_none()
        && out.report.is_empty()
        && out.format == Format::Human
        && (!ctx.show_suppressed || c.suppressed.is_empty())
    {
        return Ok(EXIT_CLEAN);
    }
    emit(out, &c.findings, ctx)?;
    report_summary_with(out, c, started, None);
    if !c.findings.is_empty() {
        let ignore_file = filter.ignore_file.as_deref().map_or_else(
            || crate::suppress::IGNORE_FILE.to_string(),
            |p| p.display().to_string(),
        );
        // File names and commit messages may hold a key too: redacted as reports are.
        let shown = if out.no_redact {
            c.findings.clone()
        } else {
            Redactor::new(&c.session.rules).findings(&c.findings)
        };
        eprint!("{}", advice(what, &shown, &ignore_file));
    }
    Ok(partial_exit(
        &c.findings,
        !c.summary.errors.is_empty(),
        allow_partial,
    ))
}
