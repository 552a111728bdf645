//! `keyward scan`: files and directories (and standard input for `-`), in parallel.

use super::collect::{collect_worktree, keep_confident, threads, WalkRequest};
use super::emit::{context, emit, exit_code, wants_context};
use super::options::{ConfigOptions, OutputOptions};
use super::summary::report_summary_with;
use crate::exit::{CLEAN as EXIT_CLEAN, ERROR as EXIT_ERROR};
use crate::finding::{Confidence, Root};
use crate::report::ScanKind;
use crate::source::{self, SkipReason};
use anyhow::Result;
use std::path::PathBuf;
use std::time::Instant;

/// What `keyward scan` is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// Files and directories; `-` is standard input.
    pub paths: Vec<PathBuf>,
    /// `--no-ignore`: also files git would ignore.
    pub no_ignore: bool,
    /// `--follow`: follow symbolic links inside directories.
    pub follow: bool,
    /// `--max-file-size` (else the configuration's, else the default).
    pub max_file_size: Option<u64>,
    /// `-j`.
    pub threads: Option<usize>,
    /// The path reported for standard input.
    pub stdin_name: String,
    pub filter: ConfigOptions,
    pub output: OutputOptions,
}

pub fn run(args: &Options) -> Result<i32> {
    let started = Instant::now();
    let mut c = collect_worktree(
        &args.paths,
        &args.stdin_name,
        WalkRequest {
            no_ignore: args.no_ignore,
            follow: args.follow,
            threads: threads(args.threads),
            max_file_size: args.max_file_size,
            progress: None,
        },
        &args.filter.sources(),
    )?;
    c.show_suppressed = args.filter.show_suppressed;
    keep_confident(&mut c, &args.filter, Confidence::Low, !args.output.quiet);
    let mut ctx = context(&c, &args.output, &args.filter, ScanKind::Worktree);
    if wants_context(&args.output) {
        if let Root::Dir { dir, .. } = &c.root {
            ctx.vcs = source::git::provenance(dir, None);
        }
    }
    emit(&args.output, &c.findings, &ctx)?;
    report_summary_with(&args.output, &c, started, None);
    // Standard input over --max-file-size was not scanned: the scan is incomplete.
    let stdin_skipped = args.paths.iter().any(|p| p.as_os_str() == "-")
        && c.summary
            .skipped
            .iter()
            .any(|s| s.path == args.stdin_name && matches!(s.reason, SkipReason::TooLarge(_)));
    Ok(match exit_code(&c.findings, &c.summary) {
        EXIT_CLEAN if stdin_skipped => EXIT_ERROR,
        code => code,
    })
}
