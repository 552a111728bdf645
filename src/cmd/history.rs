//! `keyward history`: every blob of a repository's history (all refs, a range, or the
//! commits since a date), with the commit that introduced each finding.
//!
//! Many repositories (`REPO…`, `--repos`, `--shard`) are scanned in one process by
//! [`super::history_many`]; one is reported as before. Like every command, it must not
//! know how matching or formats work.

use super::collect::{collect_history, keep_confident, threads, Collected};
use super::emit::{emit, partial_exit, repo_context};
use super::options::{ConfigOptions, OutputOptions};
use super::repo_list::{self, Shard};
use super::summary::report_summary_with;
use crate::finding::{fold, Confidence};
use crate::report::ScanKind;
use crate::source::{history, ScanSummary};
use anyhow::{bail, Result};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What `keyward history` is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// Work trees, `.git` directories or bare repositories (none: the current one).
    pub repos: Vec<PathBuf>,
    /// `--repos`: a file listing more, one a line.
    pub repos_file: Option<PathBuf>,
    /// `--shard I/N`.
    pub shard: Option<Shard>,
    /// `--shards N` (the shard from `JOB_COMPLETION_INDEX`).
    pub shards: Option<u32>,
    /// `--list-repos`: print the repositories instead of scanning them.
    pub list_repos: bool,
    /// `--cache FILE`.
    pub cache: Option<PathBuf>,
    /// `--cache-dir DIR` (else `KEYWARD_CACHE_DIR`): one cache file per repository.
    pub cache_dir: Option<PathBuf>,
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
    let shard = match (args.shard, args.shards) {
        (Some(_), Some(_)) => bail!("give --shard I/N or --shards N, not both"),
        (Some(s), None) => Some(s),
        (None, Some(n)) => Some(Shard::from_completion_index(
            n,
            std::env::var("JOB_COMPLETION_INDEX").ok().as_deref(),
        )?),
        (None, None) => None,
    };
    let list = repo_list::resolve(&args.repos, args.repos_file.as_deref(), shard)?;
    if args.list_repos {
        let text: String = list
            .repos
            .iter()
            .map(|r| format!("{}\n", r.display()))
            .collect();
        crate::output::print(&text, "the repositories")?;
        return Ok(crate::exit::CLEAN);
    }
    if args.cache.is_some() && list.repos.len() > 1 {
        bail!(
            "--cache names one file, for one repository; with many give --cache-dir DIR \
             (or set KEYWARD_CACHE_DIR): each repository gets its own file there"
        );
    }
    if list.many {
        return super::history_many::run(args, &list.repos, shard);
    }
    run_one(args, &list.repos[0])
}

/// The history cache file for `repo`: `--cache`, else one named after the repository's
/// full path in `--cache-dir` or `KEYWARD_CACHE_DIR`, else none.
fn cache_file(args: &Options, repo: &Path) -> Option<PathBuf> {
    if let Some(f) = &args.cache {
        return Some(f.clone());
    }
    let dir = args.cache_dir.clone().or_else(|| {
        std::env::var_os("KEYWARD_CACHE_DIR")
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
    })?;
    let full = std::fs::canonicalize(repo).unwrap_or_else(|_| repo.to_path_buf());
    use sha2::Digest as _;
    let digest = format!(
        "{:x}",
        sha2::Sha256::digest(full.to_string_lossy().as_bytes())
    );
    Some(dir.join(format!("{}.keyward-cache", &digest[..32])))
}

/// What scanning one repository's history gave.
pub(super) struct Scanned {
    pub(super) c: Collected,
    pub(super) summary: history::HistorySummary,
}

/// Scan the history of `repo` as `args` ask.
pub(super) fn scan_repo(args: &Options, repo: &Path, progress: bool) -> Result<Scanned> {
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
        repo: repo.to_path_buf(),
        selection: match &args.rev {
            Some(r) => history::Selection::Rev(r.clone()),
            None => history::Selection::All,
        },
        since,
        all_objects: args.all_objects,
        threads: threads(args.threads),
        max_file_size: 0,
        progress: progress && !args.no_progress && !args.output.quiet && io::stderr().is_terminal(),
        recurse_submodules: args.recurse_submodules,
        cache: cache_file(args, repo).map(|path| history::CacheSpec { path, key: [0; 32] }),
    };
    let (mut c, summary) = collect_history(opts, args.max_file_size, &args.filter.sources())?;
    c.show_suppressed = args.filter.show_suppressed;
    keep_confident(&mut c, &args.filter, Confidence::Low, !args.output.quiet);
    // After suppression, which decides for each place on its own.
    if !args.each_location {
        c.findings = fold::fold(std::mem::take(&mut c.findings), fold::MAX_LOCATIONS);
    }
    Ok(Scanned { c, summary })
}

/// The kind of scan `args` ask for (a range, or the whole history).
pub(super) fn kind(args: &Options) -> ScanKind {
    if args.rev.is_some() {
        ScanKind::Range
    } else {
        ScanKind::History
    }
}

/// The revision the report's provenance names.
pub(super) fn tip(args: &Options) -> Option<&str> {
    args.rev.as_deref().and_then(rev_tip)
}

fn run_one(args: &Options, repo: &Path) -> Result<i32> {
    let started = Instant::now();
    let Scanned { c, summary } = scan_repo(args, repo, true)?;
    let mut ctx = repo_context(&c, &args.output, &args.filter, kind(args), repo, tip(args));
    ctx.stats.commits = Some(summary.commits);
    emit(&args.output, &c.findings, &ctx)?;
    print_notes(&summary, "");
    let (extra, incomplete) = walked(&c, &summary);
    report_summary_with(&args.output, &c, started, Some(&extra));
    Ok(partial_exit(&c.findings, incomplete, args.allow_partial))
}

/// The notes and warnings of a scan on standard error, each after `prefix`.
pub(super) fn print_notes(summary: &history::HistorySummary, prefix: &str) {
    let mut err = io::stderr().lock();
    for note in &summary.notes {
        let _ = writeln!(
            err,
            "keyward: note: {prefix}{}",
            crate::escape::terminal(note)
        );
    }
    for w in &summary.warnings {
        let _ = writeln!(
            err,
            "keyward: warning: {prefix}{}",
            crate::escape::terminal(w)
        );
    }
}

/// What the summary says was walked, and whether the scan is incomplete.
pub(super) fn walked(c: &Collected, summary: &history::HistorySummary) -> (String, bool) {
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
        extra.push_str(&coverage(&c.summary, summary));
    } else if summary.empty && summary.blobs == 0 {
        extra.push_str(" (the repository has no commits yet: nothing to scan)");
    }
    (extra, incomplete)
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
