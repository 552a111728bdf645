//! `keyward pre-push`: the commits being pushed, from git's pre-push hook input (or
//! `--from-ref`/`--to-ref`, or the pre-commit framework's variables).
//!
//! Like every command, it must not know how matching or formats work.

use super::collect::{collect_history, keep_confident, threads};
use super::emit::repo_context;
use super::options::{ConfigOptions, OutputOptions};
use super::staged::finish_hook;
use super::staged::HOOK_MIN_CONFIDENCE;
use super::unblock::Blocked;
use crate::exit::CLEAN as EXIT_CLEAN;
use crate::report::ScanKind;
use crate::source::{self, history};
use anyhow::{bail, Context as _, Result};
use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::time::Instant;

/// What `keyward pre-push` is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub repo: PathBuf,
    /// `--from-ref`/`--to-ref`: a range instead of standard input.
    pub from_ref: Option<String>,
    pub to_ref: Option<String>,
    pub max_file_size: Option<u64>,
    pub threads: Option<usize>,
    /// `--allow-partial`.
    pub allow_partial: bool,
    pub filter: ConfigOptions,
    pub output: OutputOptions,
}

pub fn run(args: &Options) -> Result<i32> {
    let started = Instant::now();
    // The repository first: a wrong --repo is an error even when nothing is pushed.
    source::git::open(&args.repo)?;
    let from = args
        .from_ref
        .clone()
        .or_else(|| std::env::var("PRE_COMMIT_FROM_REF").ok());
    let to = args
        .to_ref
        .clone()
        .or_else(|| std::env::var("PRE_COMMIT_TO_REF").ok());
    let ranges = match (from, to) {
        (Some(f), Some(t)) if !f.is_empty() && !t.is_empty() => vec![(Some(f), t)],
        _ => {
            if io::stdin().is_terminal() {
                bail!("pre-push reads git's pre-push hook input on standard input (or give --from-ref and --to-ref)");
            }
            let mut input = String::new();
            io::Read::read_to_string(&mut io::stdin(), &mut input)
                .context("cannot read standard input")?;
            parse_push_lines(&input)?
        }
    };
    if ranges.is_empty() {
        return Ok(EXIT_CLEAN);
    }
    let opts = history::HistoryOptions {
        repo: args.repo.clone(),
        selection: history::Selection::Ranges(ranges),
        since: None,
        all_objects: false,
        threads: threads(args.threads),
        max_file_size: 0,
        progress: false,
        recurse_submodules: false,
        cache: None,
    };
    let (mut c, summary) = collect_history(opts, args.max_file_size, &args.filter.sources())?;
    c.show_suppressed = args.filter.show_suppressed;
    keep_confident(&mut c, &args.filter, HOOK_MIN_CONFIDENCE, false);
    // What could not be read makes the push check incomplete (and is listed).
    if !summary.unreadable.is_empty() {
        c.summary
            .errors
            .push(format!("could not read {}", summary.unreadable.describe()));
    }
    let mut ctx = repo_context(
        &c,
        &args.output,
        &args.filter,
        ScanKind::Range,
        &args.repo,
        None,
    );
    ctx.stats.commits = Some(summary.commits);
    finish_hook(
        &args.output,
        &args.filter,
        &c,
        &ctx,
        started,
        Blocked::Push,
        args.allow_partial,
    )
}

/// Parse git's pre-push input: `<local ref> <local sha> <remote ref> <remote sha>` per
/// line. A deleted branch (local sha all zeros) pushes nothing; a new branch (remote
/// sha all zeros) pushes what no remote-tracking ref has.
pub fn parse_push_lines(input: &str) -> Result<Vec<(Option<String>, String)>> {
    let zero = |s: &str| s.bytes().all(|b| b == b'0');
    let mut ranges = Vec::new();
    for (n, line) in input.lines().enumerate() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.is_empty() {
            continue;
        }
        let [_, local, _, remote] = fields[..] else {
            bail!(
                "pre-push input line {}: expected 4 fields, got {:?}",
                n + 1,
                line
            );
        };
        if zero(local) {
            continue;
        }
        ranges.push((
            (!zero(remote)).then(|| remote.to_string()),
            local.to_string(),
        ));
    }
    Ok(ranges)
}
