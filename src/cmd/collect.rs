//! Gathering a scan's findings: the session (configuration, rules, suppressions) for the
//! target, a source run over it, and the findings left after suppression. Knows the
//! sources and the session; writes nothing.

use super::options::ConfigOptions;
use crate::finding::{Confidence, Finding, Root};
use crate::rules::RuleSet;
use crate::session::{Session, Sources};
use crate::source::{self, history, worktree, ScanSummary};
use crate::suppress::Suppressed;
use anyhow::{bail, Context as _, Result};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

/// What a work-tree walk is asked to do.
#[derive(Debug, Clone, Default)]
pub struct WalkRequest {
    pub no_ignore: bool,
    pub follow: bool,
    pub threads: usize,
    pub max_file_size: Option<u64>,
    /// A counter of the bytes done, for a progress bar ([`worktree::WalkOptions::progress`]).
    pub progress: Option<Arc<AtomicU64>>,
}

pub fn load_rules() -> Result<RuleSet> {
    RuleSet::builtin().context(crate::config::BUILTIN_RULES_BROKEN)
}

/// What a scan found, after configuration and suppression.
pub struct Collected {
    /// `--show-suppressed` was given (the summary then does not suggest it).
    pub show_suppressed: bool,
    pub session: Session,
    pub findings: Vec<Finding>,
    pub suppressed: Vec<Suppressed>,
    pub summary: ScanSummary,
    pub root: Root,
}

/// Scan files and directories (and standard input once, for `-`).
pub fn collect_worktree(
    paths_in: &[PathBuf],
    stdin_name: &str,
    req: WalkRequest,
    sources: &Sources,
) -> Result<Collected> {
    let WalkRequest {
        no_ignore,
        follow,
        threads,
        max_file_size,
        progress,
    } = req;
    let stdin_count = paths_in.iter().filter(|p| p.as_os_str() == "-").count();
    if stdin_count > 1 {
        bail!("`-` (standard input) can be given only once");
    }
    let mut summary = ScanSummary::default();
    let mut paths: Vec<PathBuf> = Vec::new();
    for p in paths_in.iter().filter(|p| p.as_os_str() != "-") {
        if p.symlink_metadata().is_err() {
            summary
                .errors
                .push(format!("{}: no such file or directory", p.display()));
        } else if let Err(e) = p.metadata() {
            summary
                .errors
                .push(format!("{}: broken symbolic link ({e})", p.display()));
        } else {
            paths.push(p.clone());
        }
    }
    let root = Root::for_paths(&paths, work_tree);
    let root_dir = match &root {
        Root::Dir { dir, .. } => dir.clone(),
        Root::AsIs => PathBuf::from("."),
    };
    let mut session = Session::load(sources, &root_dir)?;
    let max_file_size = session.max_file_size(max_file_size)?;
    let mut findings = Vec::new();
    if stdin_count == 1 {
        let (f, s) = source::scan_reader(
            &session.rules,
            stdin_name,
            io::stdin().lock(),
            max_file_size,
        )
        .context("cannot read standard input")?;
        findings.extend(f);
        summary.merge(s);
    }
    if !paths.is_empty() {
        let opts = worktree::WalkOptions {
            no_ignore,
            follow,
            max_file_size,
            threads,
            progress,
        };
        let (f, s) = worktree::scan_paths(&session.rules, &paths, &opts);
        findings.extend(f);
        summary.merge(s);
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    summary.sort();
    let (findings, suppressed) = session.finish(findings, &mut summary, &root);
    Ok(Collected {
        show_suppressed: false,
        session,
        findings,
        suppressed,
        summary,
        root,
    })
}

/// The work tree of the repository at `repo` (where its configuration lives).
pub fn repo_root(repo: &Path) -> PathBuf {
    work_tree(repo).unwrap_or_else(|| repo.to_path_buf())
}

/// The work tree of the git repository that holds `dir`, if any.
pub fn work_tree(dir: &Path) -> Option<PathBuf> {
    source::git::discover(dir)
        .ok()
        .and_then(|r| r.workdir().map(Path::to_path_buf))
}

/// Scan the history (or a part of it) of the repository in `opts.repo`.
pub fn collect_history(
    mut opts: history::HistoryOptions,
    max_file_size: Option<u64>,
    sources: &Sources,
) -> Result<(Collected, history::HistorySummary)> {
    let mut session = Session::load(sources, &repo_root(&opts.repo))?;
    opts.max_file_size = session.max_file_size(max_file_size)?;
    if let Some(spec) = &mut opts.cache {
        spec.key = history_cache_key(&session, opts.max_file_size);
    }
    let (findings, mut summary) = history::scan_history(&session.rules, &opts)?;
    let (findings, suppressed) = session.finish(findings, &mut summary.scan, &Root::AsIs);
    let scan = std::mem::take(&mut summary.scan);
    Ok((
        Collected {
            show_suppressed: false,
            session,
            findings,
            suppressed,
            summary: scan,
            root: Root::AsIs,
        },
        summary,
    ))
}

/// What a history cache must have been made under: the rules (built-in and custom),
/// the effective configuration and the size limit (keyward's version is added by
/// `history::cache_key`).
fn history_cache_key(session: &Session, max_file_size: u64) -> [u8; 32] {
    let rules: Vec<Vec<u8>> = session
        .rules
        .rules
        .iter()
        .map(|r| serde_json::to_vec(&r.spec).unwrap_or_default())
        .collect();
    let config = serde_json::to_value(&session.config)
        .and_then(|v| serde_json::to_vec(&v))
        .unwrap_or_default();
    let size = max_file_size.to_le_bytes();
    history::cache_key(
        rules
            .iter()
            .map(Vec::as_slice)
            .chain([config.as_slice(), size.as_slice()]),
    )
}

/// The worker threads: as asked, else one per CPU.
pub fn threads(requested: Option<usize>) -> usize {
    requested.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    })
}

/// Keep the findings of `--min-confidence` (else `default`) or more; say how many were
/// left out when `tell`.
pub fn keep_confident(c: &mut Collected, filter: &ConfigOptions, default: Confidence, tell: bool) {
    let min = filter.min_confidence.unwrap_or(default);
    let before = c.findings.len();
    c.findings.retain(|f| f.confidence >= min);
    let hidden = before - c.findings.len();
    if hidden > 0 && tell {
        eprintln!(
            "keyward: {hidden} finding(s) of less than {min} confidence not shown \
             (--min-confidence low shows them)"
        );
    }
}
