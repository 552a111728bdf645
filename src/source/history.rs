//! `keyward history`: every blob reachable from all refs (or a range, or commits since a
//! date; optionally every object in the database), each unique blob scanned once.
//!
//! One thread walks commits oldest first and their trees, skipping subtrees already seen,
//! so the first sighting of a blob is the commit that introduced it; it hands new blobs
//! to scanning workers as it finds them (the walk runs concurrently with the scan). Each
//! worker owns a repository handle, a matcher and a buffer. Findings then get their
//! provenance (commit, author, date, path) and are deduplicated: the same secret at the
//! same path in later versions of a file counts as other places of the first.

use super::coverage::Unreadable;
use super::git::{self, BlobSighting, CommitNode, TreeWalker};
use super::{ScanSummary, SkipReason, Skipped};
use crate::finding::{Finding, GitProvenance};
use crate::pipeline::scan_blob;
use crate::rules::RuleSet;
use crate::scan::Matcher;
use anyhow::{bail, Context as _, Result};
use gix::prelude::Find as _;
use gix::ObjectId;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

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
    pub commits: u64,
    pub trees: u64,
    /// Unique blobs found (scanned or skipped).
    pub blobs: u64,
    /// Facts the user should know: a cut (shallow) history, refs that were skipped.
    pub notes: Vec<String>,
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

/// A blob to scan: where it was first seen. Kept small: a large history has hundreds of
/// thousands of them.
struct Job {
    id: ObjectId,
    path: Box<str>,
    /// Index into the commit list; `None` for unreachable objects.
    commit: Option<u32>,
}

/// A finding before its provenance is known.
struct Raw {
    finding: Finding,
    blob: ObjectId,
    commit: Option<u32>,
}

/// Scan the history of `opts.repo`.
pub fn scan_history(
    rules: &RuleSet,
    opts: &HistoryOptions,
) -> Result<(Vec<Finding>, HistorySummary)> {
    scan_history_in(rules, opts, &mut Submodules::default())
}

/// How deep submodules are followed (a submodule of a submodule is depth 2).
const MAX_SUBMODULE_DEPTH: usize = 8;

/// The largest `.gitmodules` read.
const MAX_GITMODULES: u64 = 1 << 20;

/// The repositories a scan with `--recurse-submodules` has entered, so that none is
/// entered twice (a cycle) and the nesting stays bounded.
#[derive(Default)]
struct Submodules {
    /// Canonical git folders scanned or being scanned.
    visited: HashSet<PathBuf>,
    depth: usize,
}

fn scan_history_in(
    rules: &RuleSet,
    opts: &HistoryOptions,
    subs: &mut Submodules,
) -> Result<(Vec<Finding>, HistorySummary)> {
    let mut repo = git::open(&opts.repo)?;
    let mut summary = HistorySummary::default();
    // Errors before the blobs are read (refs, the commit walk).
    let mut errors = Vec::new();
    let (tips, hidden) = match &opts.selection {
        Selection::All => {
            let tips = git::tips(&repo)?;
            summary.notes.extend(tips.notes);
            summary.extra_blobs = tips.blobs;
            summary.empty = tips.refs == 0;
            for (name, why) in tips.broken {
                errors.push(format!("{why}; what it reaches was not scanned"));
                summary.unreadable.refs.push(name);
            }
            (tips.commits, Vec::new())
        }
        Selection::Rev(spec) => {
            let mut tips = Vec::new();
            let mut hidden = Vec::new();
            for term in parse_rev_list(spec)? {
                let (RevTerm::Include(r) | RevTerm::Exclude(r)) = term;
                let id = git::resolve_commit(&repo, r).with_context(|| {
                    format!(
                        "--rev {spec:?}: {r:?} is not a commit in {} (a typo, or not fetched?)",
                        opts.repo.display()
                    )
                })?;
                match term {
                    RevTerm::Include(_) => tips.push(id),
                    RevTerm::Exclude(_) => hidden.push(id),
                }
            }
            (tips, hidden)
        }
        Selection::Ranges(ranges) => {
            let mut tips = Vec::new();
            let mut hidden = Vec::new();
            for (from, to) in ranges {
                tips.push(git::resolve_commit(&repo, to)?);
                match from.as_deref().map(|f| git::resolve_commit(&repo, f)) {
                    Some(Ok(id)) => hidden.push(id),
                    // A new branch, or a remote tip we do not have: what no
                    // remote-tracking ref already has is being pushed.
                    Some(Err(_)) | None => hidden.extend(git::remote_tips(&repo)?),
                }
            }
            (tips, hidden)
        }
    };
    let timer = Timer::new();
    let (mut commits, walk_errors) = git::commits(&repo, &tips, &hidden)?;
    timer.stage("list commits");
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
    if repo.is_shallow() {
        summary.notes.push(
            "this is a shallow clone: history before its shallow boundary is not in the repository and was not scanned"
                .into(),
        );
    }
    summary.commits = commits.len() as u64;

    let shared = Mutex::new(Vec::<Raw>::new());
    let scan_summary = Mutex::new((ScanSummary::default(), Unreadable::default()));
    let progress = Progress::new(opts.progress);
    let mut walker = TreeWalker::default();
    let mut jobs = collect_jobs(&repo, &commits, &mut walker, opts, &mut summary);
    timer.stage("walk commits and trees");
    // The walk's delta-base cache and seen-sets are of no use to the blob readers.
    repo.objects.unset_pack_cache();
    walker.finish_walk();
    // Read blobs in pack order, so delta bases are still in the cache.
    let order = PackOrder::load(&repo);
    jobs.sort_by_cached_key(|j| order.key(&j.id));
    jobs.shrink_to_fit();
    drop(order);
    timer.stage("sort by pack offset");
    progress.start(jobs.len());
    let sync_repo = repo.clone().into_sync();
    let next = AtomicUsize::new(0);
    let chunk = (jobs.len() / (opts.threads.max(1) * 16)).clamp(16, 4096);
    std::thread::scope(|scope| {
        for _ in 0..opts.threads.max(1) {
            scope.spawn(|| {
                let ctx = WorkerContext {
                    rules,
                    jobs: &jobs,
                    next: &next,
                    chunk,
                    shared: &shared,
                };
                worker(&ctx, &sync_repo, &scan_summary, &progress, opts);
            });
        }
    });
    timer.stage("read and scan blobs");
    progress.finish();
    summary.trees = walker.trees_read;
    summary.blobs = walker.blobs.values().filter(|&&n| n > 0).count() as u64;
    let (mut scan, unreadable) = scan_summary.into_inner().unwrap_or_else(|e| e.into_inner());
    summary.unreadable.merge(unreadable);
    summary.unreadable.trees.extend(
        std::mem::take(&mut walker.unreadable)
            .iter()
            .map(ObjectId::to_string),
    );
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
    let raws = shared.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut findings = finish(&repo, &commits, &walker.blobs, raws, opts.max_file_size);
    timer.stage("provenance");
    if opts.recurse_submodules {
        if let Ok(dir) = std::fs::canonicalize(repo.git_dir()) {
            subs.visited.insert(dir);
        }
        scan_submodules(rules, &repo, opts, subs, &mut findings, &mut summary);
    }
    summary.scan.sort();
    Ok((findings, summary))
}

/// The history of every submodule checked out in the work tree (its own refs), with
/// paths prefixed by the submodule's path. `.gitmodules` is the repository's: a path
/// that leads out of the work tree (`../other`, `/abs`, a link), the work tree itself
/// (`.`), a repository already entered, or nesting past [`MAX_SUBMODULE_DEPTH`] is
/// refused with an error (the scan is then incomplete).
fn scan_submodules(
    rules: &RuleSet,
    repo: &gix::Repository,
    opts: &HistoryOptions,
    subs: &mut Submodules,
    findings: &mut Vec<Finding>,
    summary: &mut HistorySummary,
) {
    let Some(workdir) = repo.workdir() else {
        return;
    };
    let modules = match read_gitmodules(&workdir.join(".gitmodules")) {
        Ok(Some(m)) => m,
        Ok(None) => return,
        Err(why) => {
            summary.refused_submodules += 1;
            summary
                .scan
                .errors
                .push(format!(".gitmodules: {why}; no submodule was scanned"));
            return;
        }
    };
    let paths: Vec<String> = modules
        .lines()
        .filter_map(|l| {
            let (k, v) = l.split_once('=')?;
            (k.trim() == "path").then(|| v.trim().to_string())
        })
        .collect();
    let Ok(real_workdir) = std::fs::canonicalize(workdir) else {
        return;
    };
    for path in paths {
        let dir = match submodule_dir(&real_workdir, &path) {
            Ok(dir) => dir,
            Err(why) => {
                summary.refused_submodules += 1;
                summary
                    .scan
                    .errors
                    .push(format!("submodule {path}: {why}; not scanned"));
                continue;
            }
        };
        let Some(dir) = dir else {
            summary
                .notes
                .push(format!("submodule {path} is not checked out; not scanned"));
            continue;
        };
        let refuse = |why: String, summary: &mut HistorySummary| {
            summary.refused_submodules += 1;
            summary
                .scan
                .errors
                .push(format!("submodule {path}: {why}; not scanned"));
        };
        if subs.depth + 1 > MAX_SUBMODULE_DEPTH {
            refuse(
                format!("nested more than {MAX_SUBMODULE_DEPTH} submodules deep"),
                summary,
            );
            continue;
        }
        let git_dir = gix::open(&dir)
            .ok()
            .and_then(|r| std::fs::canonicalize(r.git_dir()).ok());
        match git_dir {
            Some(g) if subs.visited.contains(&g) => {
                refuse(
                    "its repository was already scanned (a cycle of submodules)".into(),
                    summary,
                );
                continue;
            }
            Some(g) => {
                subs.visited.insert(g);
            }
            None => {}
        }
        let sub = HistoryOptions {
            repo: dir,
            selection: Selection::All,
            progress: false,
            ..opts.clone()
        };
        subs.depth += 1;
        let result = scan_history_in(rules, &sub, subs);
        subs.depth -= 1;
        match result {
            Ok((sub_findings, sub_summary)) => {
                for mut f in sub_findings {
                    f.path = format!("{path}/{}", f.path);
                    findings.push(f);
                }
                summary.commits += sub_summary.commits;
                summary.trees += sub_summary.trees;
                summary.blobs += sub_summary.blobs;
                summary.refused_submodules += sub_summary.refused_submodules;
                summary.notes.extend(
                    sub_summary
                        .notes
                        .into_iter()
                        .map(|n| format!("submodule {path}: {n}")),
                );
                let mut scan = sub_summary.scan;
                for e in &mut scan.errors {
                    *e = format!("submodule {path}: {e}");
                }
                summary.scan.merge(scan);
                summary.unreadable.merge(sub_summary.unreadable);
            }
            Err(e) => summary
                .notes
                .push(format!("submodule {path} could not be scanned: {e:#}")),
        }
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// `.gitmodules` as text: `None` when there is none; an error when it is not a regular
/// file (a link) or is larger than [`MAX_GITMODULES`].
fn read_gitmodules(path: &std::path::Path) -> Result<Option<String>, String> {
    use std::io::Read as _;
    let Ok(meta) = path.symlink_metadata() else {
        return Ok(None);
    };
    if !meta.is_file() {
        return Err("not a regular file (a symbolic link?)".into());
    }
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(MAX_GITMODULES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_GITMODULES {
        return Err(format!("larger than {} MiB", MAX_GITMODULES >> 20));
    }
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

/// The folder of the submodule at `path` (from `.gitmodules`) in the work tree
/// `workdir` (canonical): `None` when it is not checked out; an error when the path
/// is not a plain relative path strictly inside the work tree, before or after links
/// are resolved.
fn submodule_dir(workdir: &std::path::Path, path: &str) -> Result<Option<PathBuf>, String> {
    use std::path::Component;
    let rel = std::path::Path::new(path);
    let mut plain = PathBuf::new();
    for c in rel.components() {
        match c {
            Component::Normal(n) => plain.push(n),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                return Err("its path leads out of the repository".into())
            }
        }
    }
    if plain.as_os_str().is_empty() {
        return Err("its path is the repository itself".into());
    }
    let dir = workdir.join(&plain);
    if !dir.join(".git").exists() {
        return Ok(None);
    }
    let real = std::fs::canonicalize(&dir).map_err(|e| e.to_string())?;
    if real == workdir || !real.starts_with(workdir) {
        return Err(format!(
            "its path resolves to {}, not inside the repository (a symbolic link?)",
            real.display()
        ));
    }
    Ok(Some(real))
}

/// Walk commits (oldest first) and list every blob at its first sighting.
fn collect_jobs(
    repo: &gix::Repository,
    commits: &[CommitNode],
    walker: &mut TreeWalker,
    opts: &HistoryOptions,
    summary: &mut HistorySummary,
) -> Vec<Job> {
    let mut buf = Vec::new();
    // What was there before the range is the baseline, not news.
    let kept: HashSet<ObjectId> = commits.iter().map(|c| c.id).collect();
    let boundary: HashSet<ObjectId> = commits
        .iter()
        .flat_map(|c| c.parents.iter().copied())
        .filter(|p| !kept.contains(p))
        .collect();
    for parent in boundary {
        match git::tree_of(repo, parent, &mut buf) {
            // What cannot be marked is scanned (again) if the range has it.
            Ok(tree) => summary.notes.extend(
                walker
                    .mark_seen(repo, tree)
                    .into_iter()
                    .map(|e| format!("below the scanned commits: {e}")),
            ),
            Err(e) => summary
                .notes
                .push(format!("history is cut below the scanned commits: {e}")),
        }
    }
    let mut jobs = Vec::new();
    for (i, c) in commits.iter().enumerate() {
        let tree = match git::tree_of(repo, c.id, &mut buf) {
            Ok(t) => t,
            Err(e) => {
                walker
                    .errors
                    .push(format!("{e}; its files were not scanned"));
                summary.unreadable.commits.push(c.id.to_string());
                continue;
            }
        };
        walker.walk(repo, tree, |b: BlobSighting| {
            jobs.push(Job {
                id: b.id,
                path: git::display_path(&b.path).into(),
                commit: Some(i as u32),
            })
        });
    }
    for (name, id) in &summary.extra_blobs {
        if walker.blobs.insert(*id, 1).is_none() {
            jobs.push(Job {
                id: *id,
                path: format!("(blob of {name})").into(),
                commit: None,
            });
        }
    }
    if opts.all_objects {
        match repo.objects.iter() {
            Ok(all) => {
                for id in all {
                    let id = match id {
                        Ok(id) => id,
                        Err(e) => {
                            walker
                                .errors
                                .push(format!("--all-objects: an object cannot be listed: {e}"));
                            summary.unreadable.objects.push("(not listed)".into());
                            continue;
                        }
                    };
                    if walker.blobs.contains_key(&id) {
                        continue;
                    }
                    match repo.find_header(id) {
                        Ok(h) if h.kind().is_blob() => {
                            walker.blobs.insert(id, 1);
                            jobs.push(Job {
                                id,
                                path: format!("(unreachable blob {id})").into(),
                                commit: None,
                            });
                        }
                        Ok(_) => {}
                        Err(e) => {
                            walker
                                .errors
                                .push(format!("--all-objects: object {id} cannot be read: {e}"));
                            summary.unreadable.objects.push(id.to_string());
                        }
                    }
                }
            }
            Err(e) => {
                walker
                    .errors
                    .push(format!("--all-objects: the objects cannot be listed: {e}"));
                summary
                    .unreadable
                    .objects
                    .push("(the object database)".into());
            }
        }
    }
    jobs
}

/// What every worker shares: the jobs in pack order and the next chunk to take.
struct WorkerContext<'a> {
    rules: &'a RuleSet,
    jobs: &'a [Job],
    next: &'a AtomicUsize,
    chunk: usize,
    shared: &'a Mutex<Vec<Raw>>,
}

fn worker(
    ctx: &WorkerContext<'_>,
    sync_repo: &gix::ThreadSafeRepository,
    scan_summary: &Mutex<(ScanSummary, Unreadable)>,
    progress: &Progress,
    opts: &HistoryOptions,
) {
    let mut unreadable = Unreadable::default();
    let mut repo = sync_repo.to_thread_local();
    git::tune(&mut repo);
    let mut matcher = Matcher::new(ctx.rules);
    let mut buf = Vec::new();
    let mut local = ScanSummary::default();
    let mut found = Vec::new();
    loop {
        let start = ctx.next.fetch_add(ctx.chunk, Ordering::Relaxed);
        if start >= ctx.jobs.len() {
            break;
        }
        let jobs = &ctx.jobs[start..(start + ctx.chunk).min(ctx.jobs.len())];
        for job in jobs {
            let data = match repo.objects.try_find(&job.id, &mut buf) {
                Ok(Some(d)) if d.data.len() as u64 > opts.max_file_size => {
                    progress.add(0);
                    local.skipped.push(Skipped {
                        path: format!("{} (blob {})", job.path, job.id),
                        reason: SkipReason::TooLarge(d.data.len() as u64),
                    });
                    continue;
                }
                Ok(Some(d)) => d,
                Ok(None) => {
                    progress.add(0);
                    local.errors.push(format!(
                        "blob {} ({}): missing from the object database (a partial clone?); skipped",
                        job.id, job.path
                    ));
                    unreadable.missing_blobs.push(job.id.to_string());
                    continue;
                }
                Err(e) => {
                    progress.add(0);
                    local.errors.push(format!(
                        "blob {} ({}): cannot be read: {e}; skipped",
                        job.id, job.path
                    ));
                    unreadable.blobs.push(job.id.to_string());
                    continue;
                }
            };
            let len = data.data.len() as u64;
            let outcome = scan_blob(&mut matcher, &job.path, data.data);
            if outcome.binary {
                local.binary_skipped += 1;
            } else {
                local.files_scanned += 1;
                local.bytes_scanned += len;
            }
            progress.add(len);
            local.suppressed_inline += outcome.inline.len() as u64;
            local.inline.extend(outcome.inline);
            found.extend(outcome.findings.into_iter().map(|finding| Raw {
                finding,
                blob: job.id,
                commit: job.commit,
            }));
        }
    }
    ctx.shared
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .extend(found);
    let mut shared = scan_summary.lock().unwrap_or_else(|e| e.into_inner());
    shared.0.merge(local);
    shared.1.merge(unreadable);
}

/// Attach provenance, fold later copies of a secret into the first, mark what is still
/// at HEAD, and sort.
fn finish(
    repo: &gix::Repository,
    commits: &[CommitNode],
    blob_places: &HashMap<ObjectId, u32>,
    mut raws: Vec<Raw>,
    max_size: u64,
) -> Vec<Finding> {
    raws.sort_by(|a, b| {
        (
            a.commit.unwrap_or(u32::MAX),
            &a.finding.path,
            a.finding.line,
            a.finding.column,
        )
            .cmp(&(
                b.commit.unwrap_or(u32::MAX),
                &b.finding.path,
                b.finding.line,
                b.finding.column,
            ))
    });
    let mut first: HashMap<(String, String, String), usize> = HashMap::new();
    let mut kept: Vec<(Raw, usize)> = Vec::new();
    for raw in raws {
        let places = blob_places
            .get(&raw.blob)
            .copied()
            .unwrap_or(1)
            .saturating_sub(1) as usize;
        let key = (
            raw.finding.rule_id.clone(),
            raw.finding.secret.expose().to_string(),
            raw.finding.path.clone(),
        );
        match first.get(&key) {
            Some(&i) => kept[i].1 += 1 + places,
            None => {
                first.insert(key, kept.len());
                kept.push((raw, places));
            }
        }
    }
    let secrets: Vec<String> = {
        let mut s: Vec<String> = kept
            .iter()
            .map(|(r, _)| r.finding.secret.expose().to_string())
            .collect();
        s.sort();
        s.dedup();
        s
    };
    let at_head = secrets_at_head(repo, &secrets, max_size);
    let mut details: HashMap<ObjectId, CommitDetails> = HashMap::new();
    let mut out = Vec::with_capacity(kept.len());
    for (raw, other_places) in kept {
        let mut f = raw.finding;
        let d = match raw.commit {
            Some(i) => details
                .entry(commits[i as usize].id)
                .or_insert_with(|| commit_details(repo, commits[i as usize].id))
                .clone(),
            None => CommitDetails::default(),
        };
        f.git = Some(Box::new(GitProvenance {
            commit: d.id,
            author: d.author,
            email: d.email,
            date: d.date,
            summary: d.summary,
            blob: raw.blob.to_string(),
            other_places,
            in_head: at_head.contains(f.secret.expose()),
        }));
        out.push(f);
    }
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out
}

#[derive(Debug, Clone, Default)]
struct CommitDetails {
    id: String,
    author: String,
    email: String,
    date: String,
    summary: String,
}

fn commit_details(repo: &gix::Repository, id: ObjectId) -> CommitDetails {
    let mut d = CommitDetails {
        id: id.to_string(),
        ..CommitDetails::default()
    };
    if let Ok(commit) = repo.find_commit(id) {
        if let Ok(author) = commit.author() {
            d.author = author.name.to_string();
            d.email = author.email.to_string();
            if let Ok(t) = author.time() {
                d.date = t
                    .format(gix::date::time::format::ISO8601_STRICT)
                    .unwrap_or_default();
            }
        }
        if let Ok(m) = commit.message() {
            d.summary = m.summary().to_string();
        }
    }
    d
}

/// Which of `secrets` occur in some file of HEAD.
fn secrets_at_head(repo: &gix::Repository, secrets: &[String], max_size: u64) -> HashSet<String> {
    let mut found = HashSet::new();
    if secrets.is_empty() {
        return found;
    }
    let Some(tree) = repo
        .head_commit()
        .ok()
        .and_then(|c| c.tree_id().ok())
        .map(|t| t.detach())
    else {
        return found;
    };
    let Ok(ac) = aho_corasick::AhoCorasick::new(secrets) else {
        return found;
    };
    let mut buf = Vec::new();
    for b in git::all_blobs(repo, tree) {
        if let Ok(Some(data)) = repo.objects.try_find(&b.id, &mut buf) {
            if data.data.len() as u64 <= max_size {
                for m in ac.find_overlapping_iter(data.data) {
                    found.insert(secrets[m.pattern().as_usize()].clone());
                }
            }
        }
    }
    found
}

/// A progress bar on standard error (blobs scanned of those found, bytes, rate, ETA),
/// updated from the workers; only on a terminal.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    bytes: AtomicU64,
}

impl Progress {
    fn new(enabled: bool) -> Progress {
        let bar = enabled.then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_message("walking commits and trees…");
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
            bar
        });
        Progress {
            bar,
            bytes: AtomicU64::new(0),
        }
    }

    /// The walk is done: `total` blobs are to be scanned.
    fn start(&self, total: usize) {
        if let Some(bar) = &self.bar {
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:30} {pos}/{len} blobs, {msg} ({per_sec}, ETA {eta})",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar.set_length(total as u64);
            bar.set_position(0);
            bar.set_message("0 MiB");
        }
    }

    fn add(&self, bytes: u64) {
        let Some(bar) = &self.bar else { return };
        let total = self.bytes.fetch_add(bytes, Ordering::Relaxed) + bytes;
        bar.inc(1);
        if bar.position() % 256 == 0 {
            bar.set_message(format!("{} MiB", total >> 20));
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Where each object sits in the pack files, to read blobs in pack order.
struct PackOrder {
    indexes: Vec<gix::odb::pack::index::File>,
}

impl PackOrder {
    fn load(repo: &gix::Repository) -> PackOrder {
        let dir = repo.objects.store_ref().path().join("pack");
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        paths.retain(|p| p.extension().is_some_and(|e| e == "idx"));
        paths.sort();
        let indexes = paths
            .iter()
            .filter_map(|p| gix::odb::pack::index::File::at(p, repo.object_hash()).ok())
            .collect();
        PackOrder { indexes }
    }

    /// (pack number, offset); loose objects last.
    fn key(&self, id: &ObjectId) -> (usize, u64) {
        for (n, idx) in self.indexes.iter().enumerate() {
            if let Some(e) = idx.lookup(id) {
                return (n, idx.pack_offset_at_index(e));
            }
        }
        (usize::MAX, 0)
    }
}

/// Stage timings on standard error when `KEYWARD_TIMINGS` is set (for benchmarking).
struct Timer {
    on: bool,
    last: std::cell::Cell<std::time::Instant>,
}

impl Timer {
    fn new() -> Timer {
        Timer {
            on: std::env::var_os("KEYWARD_TIMINGS").is_some(),
            last: std::cell::Cell::new(std::time::Instant::now()),
        }
    }

    fn stage(&self, name: &str) {
        if self.on {
            let now = std::time::Instant::now();
            let rss = std::fs::read_to_string("/proc/self/status")
                .ok()
                .map(|s| {
                    s.lines()
                        .filter(|l| l.starts_with("RssAnon:") || l.starts_with("RssFile:"))
                        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            eprintln!(
                "keyward: timing: {name}: {:.2}s (resident {rss})",
                (now - self.last.get()).as_secs_f64()
            );
            self.last.set(now);
        }
    }
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
