//! `keyward history`: every blob reachable from all refs (or a range, or commits since a
//! date; optionally every object in the database), each unique blob scanned once.
//!
//! One thread walks commits oldest first and their trees, skipping subtrees already seen,
//! so the first sighting of a blob is the commit that introduced it (with
//! `--all-objects`, the commits no ref reaches are walked after the others). The walk
//! lists every new blob. In a walk of everything, the prescan (`packscan`) runs beside
//! it from the start: worker threads read every blob of the pack files in pack order and
//! scan it without its path (a delta of a clean base only around what it changed), and
//! the walk reads its trees through the same pack reader. After the walk, each blob it
//! listed is settled from the prescan when its path does not change how it is read;
//! the others (candidates, loose objects, a range scan's blobs) are read by scanning
//! workers in pack order, each with a repository handle, a matcher and a buffer.
//! Findings then get their provenance (commit, author, date, path) and are deduplicated:
//! the same secret at the same path in later versions of a file counts as other places
//! of the first.
//!
//! This file owns the public API (the options, the revision list, the summary) and the
//! order of the stages; the stages live beside it: `walk` (which commits, which blobs),
//! `unreachable` (what no ref reaches), `packscan` (the prescan), `blobs` (reading and
//! scanning them), `provenance` (who committed what, what is still at HEAD),
//! `submodules` and `progress`. It must not know about reports, output formats, exit
//! codes or the command line: callers turn a [`HistorySummary`] into messages and an
//! exit code.

mod blobs;
mod cache;
mod head;
mod packscan;
mod progress;
mod provenance;
mod resume;
mod submodules;
mod unreachable;
mod walk;

pub use cache::{key as cache_key, CacheSpec};

use super::coverage::Unreadable;
use super::git::{self, TreeWalker};
use super::ScanSummary;
use crate::finding::Finding;
use crate::rules::RuleSet;
use anyhow::{bail, Result};
use gix::ObjectId;
use progress::{Progress, Timer};
use std::path::PathBuf;
use submodules::Submodules;

/// What to scan.
#[derive(Debug, Clone)]
pub struct HistoryOptions {
    pub repo: PathBuf,
    /// Which commits.
    pub selection: Selection,
    /// Only commits at or after this time (seconds since the epoch).
    pub since: Option<i64>,
    /// Also every blob in the object database, reachable or not.
    pub all_objects: bool,
    pub threads: usize,
    pub max_file_size: u64,
    /// Show a progress bar on standard error.
    pub progress: bool,
    /// Also scan the history of each submodule checked out in the work tree.
    pub recurse_submodules: bool,
    /// Remember what was scanned in this file, and read only new blobs (`--cache`).
    pub cache: Option<CacheSpec>,
}

/// Which commits a history scan covers.
#[derive(Debug, Clone)]
pub enum Selection {
    /// Everything reachable from every ref and HEAD.
    All,
    /// A revision list like `git rev-list`'s, separated by whitespace: `A..B` (reachable
    /// from B, not from A), `B` (reachable from B) and `^X` (not reachable from X); e.g.
    /// `B ^X ^Y`. See [`parse_rev_list`].
    Rev(String),
    /// Commits being pushed: for each `(from, to)`, those reachable from `to` and not from
    /// `from`; with no `from` (a new branch), not from any remote-tracking ref.
    Ranges(Vec<(Option<String>, String)>),
}

/// One term of a revision list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevTerm<'a> {
    /// Commits reachable from this revision.
    Include(&'a str),
    /// Minus the commits reachable from this one.
    Exclude(&'a str),
}

/// Split a revision list (`A..B`, `B`, `^X`, separated by whitespace) into terms. `A..B`
/// is `B ^A`; an empty side of `..` is HEAD, as in git. The list must include something.
pub fn parse_rev_list<'a>(spec: &'a str) -> Result<Vec<RevTerm<'a>>> {
    let mut terms = Vec::new();
    for word in spec.split_whitespace() {
        if let Some(x) = word.strip_prefix('^') {
            if x.is_empty() || x.starts_with('^') || x.contains("..") {
                bail!("--rev: {word:?} is not a revision to exclude (write ^REV, e.g. ^main)");
            }
            terms.push(RevTerm::Exclude(x));
        } else if word.contains("...") {
            bail!(
                "--rev: {word:?}: the symmetric difference A...B is not supported; \
                 use A..B (or B ^A)"
            );
        } else if let Some((a, b)) = word.split_once("..") {
            let or_head = |r: &'a str| if r.is_empty() { "HEAD" } else { r };
            terms.push(RevTerm::Include(or_head(b)));
            terms.push(RevTerm::Exclude(or_head(a)));
        } else {
            terms.push(RevTerm::Include(word));
        }
    }
    if terms.is_empty() {
        bail!("--rev is empty: give a range such as main..HEAD, or revisions such as `HEAD ^main`");
    }
    if !terms.iter().any(|t| matches!(t, RevTerm::Include(_))) {
        bail!("--rev {spec:?} only excludes revisions: name one to scan too, e.g. `HEAD {spec}`");
    }
    Ok(terms)
}

/// What a history scan covered.
#[derive(Debug, Default)]
pub struct HistorySummary {
    pub scan: ScanSummary,
    /// Commits walked, those no ref reaches included.
    pub commits: u64,
    /// Of them, commits no ref reaches (`--all-objects`).
    pub unreachable_commits: u64,
    pub trees: u64,
    /// Unique blobs found (scanned or skipped).
    pub blobs: u64,
    /// Facts the user should know: a cut (shallow) history, refs that were skipped.
    pub notes: Vec<String>,
    /// Problems that did not stop the scan (a damaged cache that was not used).
    pub warnings: Vec<String>,
    /// Blobs that refs point at directly (a tag of a blob), with the ref's name.
    pub extra_blobs: Vec<(String, ObjectId)>,
    /// Submodules that were refused (a path out of the repository, a cycle, too deep):
    /// each is also in `scan.errors`, and the scan is incomplete.
    pub refused_submodules: u64,
    /// What could not be read: the scan is incomplete unless this is empty (and
    /// `scan.errors` too).
    pub unreadable: Unreadable,
    /// The repository has no refs at all (no commit yet): there was nothing to scan.
    pub empty: bool,
}

impl HistorySummary {
    /// Whether something could not be read (so not everything was scanned).
    pub fn incomplete(&self) -> bool {
        !self.unreadable.is_empty() || !self.scan.errors.is_empty()
    }
}

/// Scan the history of `opts.repo`.
pub fn scan_history(
    rules: &RuleSet,
    opts: &HistoryOptions,
) -> Result<(Vec<Finding>, HistorySummary)> {
    scan_history_in(rules, opts, &mut Submodules::default())
}

/// Scan the history of `opts.repo`; `subs` holds the submodules entered so far.
fn scan_history_in(
    rules: &RuleSet,
    opts: &HistoryOptions,
    subs: &mut Submodules,
) -> Result<(Vec<Finding>, HistorySummary)> {
    let mut repo = git::open(&opts.repo)?;
    let mut summary = HistorySummary::default();
    // Errors before the blobs are read (refs, the commit walk).
    let mut errors = Vec::new();
    let (tips, hidden) = walk::tips_and_hidden(&repo, opts, &mut summary, &mut errors)?;
    let timer = Timer::new();
    let mut cache = opts
        .cache
        .as_ref()
        .map(|spec| cache::Cache::load(spec, &mut summary.notes, &mut summary.warnings));
    if cache.is_some() {
        timer.stage("load the cache");
    }
    // Only a walk of everything, oldest first from the first commit, can be resumed.
    let resumable = matches!(opts.selection, Selection::All)
        && opts.since.is_none()
        && !opts.all_objects
        && !repo.is_shallow();
    // A scan that cannot resume the walk (a range, say) keeps the cached one for the next.
    let cached_walk = cache
        .as_mut()
        .filter(|_| resumable)
        .and_then(|c| c.walk.take());
    let resumed = cached_walk
        .filter(|_| resumable && errors.is_empty())
        .and_then(|w| resume::resume(&repo, &tips, w, &mut summary));
    // A walk of everything reads nearly every blob: the packs are read in pack order
    // while the walk runs, and most blobs need no second look.
    let prescan = (resumed.is_none() && prescan_wanted(opts))
        .then(|| packscan::Prescan::open(&repo, opts.max_file_size))
        .filter(|p| !p.is_empty());
    let progress = Progress::new(opts.progress);
    if let Some(p) = &prescan {
        // The bar counts the prescan's blobs while the walk runs, then the blobs read
        // after it.
        progress.start(p.counts().0);
    }
    let (commits, mut walker, jobs, snapshot, reachable_commits) =
        std::thread::scope(|scope| -> Result<_> {
            let running = prescan.as_ref().map(|p| {
                std::thread::Builder::new()
                    .spawn_scoped(scope, || p.run(rules, opts.threads, &progress))
            });
            let (mut commits, mut walker, mut jobs) = match resumed {
                Some(r) => {
                    summary.notes.push(format!(
                        "history cache: {} new commits walked",
                        r.new_commits
                    ));
                    summary.commits = r.commits.len() as u64;
                    (r.commits, r.walker, r.jobs)
                }
                None => {
                    let commits =
                        list_commits(&repo, opts, &tips, &hidden, &mut summary, &mut errors)?;
                    let mut walker = TreeWalker::default();
                    let mut jobs = Vec::new();
                    if let Some(p) = &prescan {
                        let (blobs, trees) = p.counts();
                        walker.reserve(blobs, trees);
                        jobs.reserve(blobs);
                    }
                    let mut buf = Vec::new();
                    walk::mark_baseline(&repo, &commits, &mut walker, &mut summary, &mut buf);
                    // Trees come from the packs in the walk's order where they can.
                    let mut trees = prescan.as_ref().map(packscan::Prescan::trees);
                    let mut read = |id: &gix::ObjectId, buf: &mut Vec<u8>| {
                        trees.as_mut().is_some_and(|t| t.read(id, buf))
                    };
                    walk::commit_jobs(
                        &repo,
                        &commits,
                        0,
                        &mut walker,
                        &mut summary,
                        &mut jobs,
                        &mut read,
                    );
                    (commits, walker, jobs)
                }
            };
            timer.stage("walk commits and trees");
            // What a later run can resume: the walk of every commit, if nothing was unreadable.
            let snapshot = (cache.is_some()
                && resumable
                && errors.is_empty()
                && walker.errors.is_empty()
                && summary.unreadable.is_empty())
            .then(|| cache::WalkState {
                commits: commits.clone(),
                trees: walker.seen_trees().clone(),
                blobs: walker.blobs.clone(),
                trees_read: walker.trees_read,
                jobs: jobs.iter().map(walk::Job::clone).collect(),
            });
            let reachable_commits = commits.len();
            walk::extra_jobs(
                &repo,
                &mut commits,
                &mut walker,
                opts,
                &mut summary,
                &mut jobs,
            );
            if let Some(Ok(handle)) = running {
                // A worker that failed leaves its blobs to be read the ordinary way.
                let _ = handle.join();
                timer.stage("prescan the packs (after the walk)");
            }
            Ok((commits, walker, jobs, snapshot, reachable_commits))
        })?;
    summary.unreachable_commits = (commits.len() - reachable_commits) as u64;
    summary.commits = commits.len() as u64;
    if repo.is_shallow() {
        summary.notes.push(
            "this is a shallow clone: history before its shallow boundary is not in the repository and was not scanned"
                .into(),
        );
    }
    // The delta-base cache and seen-sets of the walk are of no use to the blob readers.
    repo.objects.unset_pack_cache();
    walker.finish_walk();
    let mut known = ScanSummary::default();
    // After a full walk, blobs no ref reaches any more are forgotten.
    let reached: Option<std::collections::HashSet<ObjectId>> = snapshot
        .is_some()
        .then(|| jobs.iter().map(|j| j.id).collect());
    let (jobs, tags) = match &cache {
        Some(c) => {
            let found = jobs.len();
            let read = c.split(jobs, &mut known);
            summary.notes.push(format!(
                "history cache: {} of {found} blobs read, the others known",
                read.len()
            ));
            let tags = read
                .iter()
                .map(|j| (j.id, cache::path_tag(&j.path)))
                .collect();
            (read, tags)
        }
        None => (jobs, Default::default()),
    };
    let (jobs, settled) = match &prescan {
        Some(p) => {
            let split = p.settle(rules, jobs, &mut known);
            timer.note(|| p.stats.describe(split.1.len(), split.0.len()));
            split
        }
        None => (jobs, Vec::new()),
    };
    let mut scanned = blobs::scan(rules, &repo, jobs, opts, &progress, &timer);
    scanned.outcomes.extend(settled);
    drop(prescan);
    progress.finish();
    scanned.summary.merge(known);
    if let Some(c) = cache.as_mut() {
        c.record(
            tags,
            std::mem::take(&mut scanned.outcomes),
            reached.as_ref(),
        );
        if resumable {
            c.walk = snapshot;
        }
    }
    summary.trees = walker.trees_read;
    summary.blobs = walker.blobs.values().filter(|&&n| n > 0).count() as u64;
    summary.unreadable.merge(scanned.unreadable);
    summary.unreadable.trees.extend(
        std::mem::take(&mut walker.unreadable)
            .iter()
            .map(ObjectId::to_string),
    );
    let mut scan = scanned.summary;
    scan.errors.extend(errors);
    scan.errors.extend(std::mem::take(&mut walker.errors));
    summary.scan = scan;
    if summary.scan.files_scanned == 0 && summary.commits == 0 && !summary.scan.errors.is_empty() {
        bail!(
            "nothing could be scanned in {}: {}",
            opts.repo.display(),
            summary.scan.errors[0]
        );
    }
    let head_memo = cache.as_mut().map(|c| {
        c.head.want = head::findings_digest(&scanned.raws);
        &mut c.head
    });
    let walked = provenance::Walked {
        commits: &commits,
        reachable: reachable_commits,
        ref_blobs: summary.extra_blobs.iter().map(|(_, id)| *id).collect(),
        blob_places: &walker.blobs,
    };
    let mut findings =
        provenance::finish(&repo, &walked, scanned.raws, opts.max_file_size, head_memo);
    timer.stage("provenance");
    if let (Some(c), Some(spec)) = (cache.as_ref(), opts.cache.as_ref()) {
        if let Err(e) = c.save(&spec.path) {
            summary.warnings.push(format!(
                "the history cache could not be written ({e:#}); the next scan reads everything again"
            ));
        }
        timer.stage("save the cache");
    }
    if opts.recurse_submodules {
        if let Ok(dir) = std::fs::canonicalize(repo.git_dir()) {
            subs.visited.insert(dir);
        }
        submodules::scan(rules, &repo, opts, subs, &mut findings, &mut summary);
    }
    summary.scan.sort();
    Ok((findings, summary))
}

/// Whether a scan reads the packs ahead of the walk: a walk of everything, where nearly
/// every blob is read (`KEYWARD_NO_PRESCAN` turns it off, to compare).
fn prescan_wanted(opts: &HistoryOptions) -> bool {
    matches!(opts.selection, Selection::All)
        && opts.since.is_none()
        && std::env::var_os("KEYWARD_NO_PRESCAN").is_none()
}

/// The commits of the selection, oldest first (`--since` applied); where the walk
/// stopped is an error.
fn list_commits(
    repo: &gix::Repository,
    opts: &HistoryOptions,
    tips: &[ObjectId],
    hidden: &[ObjectId],
    summary: &mut HistorySummary,
    errors: &mut Vec<String>,
) -> Result<Vec<git::CommitNode>> {
    let (mut commits, walk_errors) = git::commits(repo, tips, hidden)?;
    for e in walk_errors {
        errors.push(format!("{e}; the commits below it were not scanned"));
        summary
            .unreadable
            .commits
            .push("where the walk stopped".into());
    }
    if let Some(since) = opts.since {
        commits.retain(|c| c.time >= since);
    }
    summary.commits = commits.len() as u64;
    Ok(commits)
}

#[cfg(test)]
mod tests {
    use super::{parse_rev_list, RevTerm::*};

    #[test]
    fn rev_lists() {
        assert_eq!(
            parse_rev_list("a..b").unwrap(),
            vec![Include("b"), Exclude("a")]
        );
        assert_eq!(
            parse_rev_list("a..").unwrap(),
            vec![Include("HEAD"), Exclude("a")]
        );
        assert_eq!(parse_rev_list("b").unwrap(), vec![Include("b")]);
        assert_eq!(
            parse_rev_list(" b ^x\t^y\n").unwrap(),
            vec![Include("b"), Exclude("x"), Exclude("y")]
        );
        assert_eq!(
            parse_rev_list("a..b c ^d").unwrap(),
            vec![Include("b"), Exclude("a"), Include("c"), Exclude("d")]
        );
        assert_eq!(parse_rev_list("HEAD~2").unwrap(), vec![Include("HEAD~2")]);
    }

    #[test]
    fn bad_rev_lists_say_why() {
        for (spec, why) in [
            ("", "empty"),
            ("  ", "empty"),
            ("^x", "only excludes"),
            ("^", "not a revision to exclude"),
            ("^^x", "not a revision to exclude"),
            ("^a..b", "not a revision to exclude"),
            ("a...b", "symmetric difference"),
        ] {
            let err = parse_rev_list(spec).unwrap_err().to_string();
            assert!(err.contains(why), "{spec:?}: {err}");
        }
    }
}
