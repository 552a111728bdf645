//! Reading and scanning the blobs a history walk listed: in pack order (so delta bases
//! are still cached), by a pool of workers that each own a repository handle, a matcher
//! and a buffer, and take chunks of the job list in turn. Each finding is kept with the
//! blob and commit it came from ([`Raw`]); what could not be read is counted.
//!
//! This file must not walk commits or trees, nor attach provenance (author, date, what
//! is still at HEAD) or deduplicate findings: it scans the blobs it is given.

use super::progress::{Progress, Timer};
use super::walk::Job;
use super::HistoryOptions;
use crate::finding::Finding;
use crate::pipeline::scan_blob;
use crate::rules::RuleSet;
use crate::scan::Matcher;
use crate::source::coverage::Unreadable;
use crate::source::git;
use crate::source::{ScanSummary, SkipReason, Skipped};
use gix::prelude::Find as _;
use gix::ObjectId;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// A finding before its provenance is known.
pub(super) struct Raw {
    pub(super) finding: Finding,
    pub(super) blob: ObjectId,
    pub(super) commit: Option<u32>,
}

/// What one blob held, as a history cache remembers it: enough to count it again
/// without reading it, or to know it must be read again (it held findings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Outcome {
    /// Text with no finding and no inline-allowed one: its length.
    Clean(u64),
    /// Binary, not scanned: its length.
    Binary(u64),
    /// Larger than the size limit, skipped: its length.
    TooLarge(u64),
    /// It held findings (or inline-allowed ones): read and scanned again each time, so
    /// no secret is remembered.
    Found,
}

/// Count a blob whose outcome is known without reading it (from the cache or the
/// prescan) into `summary`, as reading it would have; false for [`Outcome::Found`]: that
/// blob must be read.
pub(super) fn count_known(job: &Job, outcome: Outcome, summary: &mut ScanSummary) -> bool {
    match outcome {
        Outcome::Clean(len) => {
            summary.files_scanned += 1;
            summary.bytes_scanned += len;
        }
        Outcome::Binary(_) => summary.binary_skipped += 1,
        Outcome::TooLarge(len) => summary.skipped.push(Skipped {
            path: format!("{} (blob {})", job.path, job.id),
            reason: SkipReason::TooLarge(len),
        }),
        Outcome::Found => return false,
    }
    true
}

/// The findings and outcomes the workers gathered.
type Found = (Vec<Raw>, Vec<(ObjectId, Outcome)>);

/// What reading and scanning the blobs gave.
pub(super) struct Scanned {
    pub(super) raws: Vec<Raw>,
    /// What each blob that could be read held.
    pub(super) outcomes: Vec<(ObjectId, Outcome)>,
    pub(super) summary: ScanSummary,
    pub(super) unreadable: Unreadable,
}

/// Fewer blobs than this are read in the order given.
const PACK_ORDER_MIN: usize = 1024;

/// Read and scan every blob of `jobs` with `opts.threads` workers.
pub(super) fn scan(
    rules: &RuleSet,
    repo: &gix::Repository,
    mut jobs: Vec<Job>,
    opts: &HistoryOptions,
    progress: &Progress,
    timer: &Timer,
) -> Scanned {
    let shared = Mutex::<Found>::default();
    let scan_summary = Mutex::new((ScanSummary::default(), Unreadable::default()));
    // Read blobs in pack order, so delta bases are still in the cache (not worth
    // loading the pack indexes for a few blobs, as a cached re-scan reads).
    if jobs.len() >= PACK_ORDER_MIN {
        let order = PackOrder::load(repo);
        jobs.sort_by_cached_key(|j| order.key(&j.id));
        jobs.shrink_to_fit();
        drop(order);
        timer.stage("sort by pack offset");
    }
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
                worker(&ctx, &sync_repo, &scan_summary, progress, opts);
            });
        }
    });
    timer.stage("read and scan blobs");
    let (summary, unreadable) = scan_summary.into_inner().unwrap_or_else(|e| e.into_inner());
    let (raws, outcomes) = shared.into_inner().unwrap_or_else(|e| e.into_inner());
    Scanned {
        raws,
        outcomes,
        summary,
        unreadable,
    }
}

/// What every worker shares: the jobs in pack order and the next chunk to take.
struct WorkerContext<'a> {
    rules: &'a RuleSet,
    jobs: &'a [Job],
    next: &'a AtomicUsize,
    chunk: usize,
    shared: &'a Mutex<Found>,
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
    let mut outcomes = Vec::new();
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
                    outcomes.push((job.id, Outcome::TooLarge(d.data.len() as u64)));
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
            // A binary file reported by name (a keystore) holds a finding too: it must
            // be read again, not remembered as a binary.
            outcomes.push((
                job.id,
                if !outcome.findings.is_empty() || !outcome.inline.is_empty() {
                    Outcome::Found
                } else if outcome.binary {
                    Outcome::Binary(len)
                } else {
                    Outcome::Clean(len)
                },
            ));
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
    {
        let mut shared = ctx.shared.lock().unwrap_or_else(|e| e.into_inner());
        shared.0.extend(found);
        shared.1.extend(outcomes);
    }
    let mut shared = scan_summary.lock().unwrap_or_else(|e| e.into_inner());
    shared.0.merge(local);
    shared.1.merge(unreadable);
}

/// Where each object sits in the pack files, to read blobs in pack order.
struct PackOrder {
    indexes: Vec<gix::odb::pack::index::File>,
}

impl PackOrder {
    fn load(repo: &gix::Repository) -> PackOrder {
        let indexes = git::pack_indexes(repo)
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
