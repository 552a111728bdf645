//! `keyward history`: every blob of a repository's history (all refs, a range, or the
//! commits since a date), with the commit that introduced each finding.
//!
//! Like every command, it must not know how matching or formats work.

use super::collect::{collect_history, keep_confident, threads};
use super::emit::{emit, partial_exit, repo_context};
use super::options::{ConfigOptions, OutputOptions};
use super::summary::report_summary_with;
use crate::finding::{fold, Confidence};
use crate::report::ScanKind;
use crate::source::{history, ScanSummary};
use anyhow::Result;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

/// What `keyward history` is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// A work tree, a `.git` directory or a bare repository.
    pub repo: PathBuf,
    /// `--rev`: a range or revision list.
    pub rev: Option<String>,
    /// `--since`: a date as git reads it.
    pub since: Option<String>,
    /// `--all-objects`: also the commits no ref reaches and every blob in the object
    /// database.
    pub all_objects: bool,
    /// `--each-location`: one finding per path, not one per secret.
    pub each_location: bool,
    /// `--recurse-submodules`.
    pub recurse_submodules: bool,
    pub max_file_size: Option<u64>,
    pub threads: Option<usize>,
    /// `--no-progress`.
    pub no_progress: bool,
    /// `--allow-partial`: an incomplete scan exits by its findings, not 2.
    pub allow_partial: bool,
    pub filter: ConfigOptions,
    pub output: OutputOptions,
}

/// The revision a `--rev` list ends at: the last revision it includes.
fn rev_tip(spec: &str) -> Option<&str> {
    spec.split_whitespace()
        .rfind(|t| !t.starts_with('^'))
        .map(|t| match t.split_once("..") {
            Some((_, "")) => "HEAD",
            Some((_, b)) => b.trim_start_matches('.'),
            None => t,
        })
}

pub fn run(args: &Options) -> Result<i32> {
    let started = Instant::now();
    let since = match &args.since {
        None => None,
        Some(s) => {
            let t = gix::date::parse(s, Some(gix::date::Zoned::now())).map_err(|e| {
                anyhow::anyhow!(
                    "--since {s:?} is not a date ({e}); try 2024-01-31 or \"2 weeks ago\""
                )
            })?;
            Some(t.seconds)
        }
    };
    let opts = history::HistoryOptions {
        repo: args.repo.clone(),
        selection: match &args.rev {
            Some(r) => history::Selection::Rev(r.clone()),
            None => history::Selection::All,
        },
        since,
        all_objects: args.all_objects,
        threads: threads(args.threads),
        max_file_size: 0,
        progress: !args.no_progress && !args.output.quiet && io::stderr().is_terminal(),
        recurse_submodules: args.recurse_submodules,
    };
    let (mut c, summary) = collect_history(opts, args.max_file_size, &args.filter.sources())?;
    c.show_suppressed = args.filter.show_suppressed;
    keep_confident(&mut c, &args.filter, Confidence::Low, !args.output.quiet);
    // After suppression, which decides for each place on its own.
    if !args.each_location {
        c.findings = fold::fold(std::mem::take(&mut c.findings), fold::MAX_LOCATIONS);
    }
    let kind = if args.rev.is_some() {
        ScanKind::Range
    } else {
        ScanKind::History
    };
    let mut ctx = repo_context(
        &c,
        &args.output,
        &args.filter,
        kind,
        &args.repo,
        args.rev.as_deref().and_then(rev_tip),
    );
    ctx.stats.commits = Some(summary.commits);
    emit(&args.output, &c.findings, &ctx)?;
    let mut err = io::stderr().lock();
    for note in &summary.notes {
        let _ = writeln!(err, "keyward: note: {}", crate::escape::terminal(note));
    }
    drop(err);
    let incomplete = !summary.unreadable.is_empty() || !c.summary.errors.is_empty();
    let unreachable = match summary.unreachable_commits {
        0 => String::new(),
        n => format!(" ({n} no ref reaches)"),
    };
    let mut extra = format!(
        "{} commits{unreachable}, {} trees, {} unique blobs",
        summary.commits, summary.trees, summary.blobs
    );
    if incomplete {
        extra.push_str(&coverage(&c.summary, &summary));
    } else if summary.empty && summary.blobs == 0 {
        extra.push_str(" (the repository has no commits yet: nothing to scan)");
    }
    report_summary_with(&args.output, &c, started, Some(&extra));
    Ok(partial_exit(&c.findings, incomplete, args.allow_partial))
}

/// How much of a history scan was covered, when something could not be read.
fn coverage(scan: &ScanSummary, summary: &history::HistorySummary) -> String {
    let covered = scan.files_scanned + scan.binary_skipped + scan.skipped.len() as u64;
    let mut s = format!(
        " (incomplete: read {covered} of the {} blobs found",
        summary.blobs
    );
    if !summary.unreadable.is_empty() {
        s.push_str(&format!(
            "; could not read {}",
            summary.unreadable.describe()
        ));
    }
    if !summary.unreadable.trees.is_empty() || !summary.unreadable.commits.is_empty() {
        s.push_str("; the blobs under unreadable trees and commits are unknown and not counted");
    }
    if !summary.unreadable.refs.is_empty() {
        s.push_str("; what unreadable refs reach is unknown");
    }
    s.push(')');
    s
}
