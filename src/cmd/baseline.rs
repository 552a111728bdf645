//! `keyward baseline create` and `prune`: the reviewed findings a later scan leaves out.
//!
//! Like every command, it must not know how matching or formats work.

use super::collect::{
    collect_history, collect_worktree, repo_root, threads, Collected, WalkRequest,
};
use crate::exit::CLEAN as EXIT_CLEAN;
use crate::session::Sources;
use crate::source::history;
use crate::suppress::{Baseline, Entry};
use anyhow::{bail, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What a baseline command scans.
#[derive(Debug, Clone)]
pub struct Target {
    /// Files and directories (or, with `history`, the repository); empty is `.`.
    pub paths: Vec<PathBuf>,
    /// `--history`: every commit instead of the files on disk.
    pub history: bool,
    pub threads: Option<usize>,
    pub config: Option<PathBuf>,
    pub no_config: bool,
}

/// `baseline create` or `baseline prune`.
#[derive(Debug, Clone)]
pub enum Options {
    /// Write the current findings to `output`.
    Create { target: Target, output: PathBuf },
    /// Drop the entries of `baseline` that match no current finding.
    Prune { target: Target, baseline: PathBuf },
}

/// The findings a baseline command works on, with the root their paths are relative to.
fn baseline_findings(t: &Target, baseline: Option<PathBuf>) -> Result<Collected> {
    // `prune` without `--baseline` reads the default one in the current directory:
    // the scanned repository supplies it.
    let baseline_is_default = baseline
        .as_deref()
        .is_some_and(|b| b == Path::new(DEFAULT_BASELINE));
    let srcs = Sources {
        config: t.config.clone(),
        no_config: t.no_config,
        baseline,
        baseline_is_default,
        ignore_file: None,
    };
    let paths = if t.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        t.paths.clone()
    };
    if t.history {
        let [repo] = &paths[..] else {
            bail!("with --history, give one repository");
        };
        let opts = history::HistoryOptions {
            repo: repo.clone(),
            selection: history::Selection::All,
            since: None,
            all_objects: false,
            threads: threads(t.threads),
            max_file_size: 0,
            progress: false,
            recurse_submodules: false,
            cache: None,
        };
        Ok(collect_history(opts, None, &srcs)?.0)
    } else {
        collect_worktree(
            &paths,
            "<stdin>",
            WalkRequest {
                no_ignore: false,
                follow: false,
                threads: threads(t.threads),
                max_file_size: None,
                progress: None,
            },
            &srcs,
        )
    }
}

/// The baseline file `baseline create` and `baseline prune` use without `-o`/`--baseline`.
pub const DEFAULT_BASELINE: &str = ".keyward-baseline";

pub fn run(cmd: &Options) -> Result<i32> {
    match cmd {
        Options::Create { target, output } => {
            let c = baseline_findings(target, None)?;
            for e in &c.summary.errors {
                eprintln!("keyward: warning: {}", crate::escape::terminal(e));
            }
            let entries: Vec<Entry> = c
                .findings
                .iter()
                .map(|f| Entry::of(f, &c.root.relative(&f.path)))
                .collect();
            let text = Baseline::render(&entries);
            write_baseline(output, &text)?;
            let n = text.lines().filter(|l| !l.starts_with('#')).count();
            eprintln!(
                "keyward: wrote {} with {n} entr{} ({} finding{}); scan with --baseline {} to see only new ones",
                output.display(),
                if n == 1 { "y" } else { "ies" },
                c.findings.len(),
                if c.findings.len() == 1 { "" } else { "s" },
                output.display()
            );
            Ok(EXIT_CLEAN)
        }
        Options::Prune { target, baseline } => {
            let c = baseline_findings(target, Some(baseline.clone()))?;
            let before = c
                .session
                .filter
                .baseline
                .as_ref()
                .map_or(0, |b| b.entries.len());
            let unused: std::collections::HashSet<&Entry> =
                c.session.filter.unused_baseline().into_iter().collect();
            let kept: Vec<Entry> = c
                .session
                .filter
                .baseline
                .as_ref()
                .map(|b| {
                    b.entries
                        .iter()
                        .filter(|e| !unused.contains(e))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            let text = Baseline::render(&kept);
            write_baseline(baseline, &text)?;
            eprintln!(
                "keyward: {}: removed {} of {before} entries that matched no finding",
                baseline.display(),
                before - kept.len().min(before)
            );
            Ok(EXIT_CLEAN)
        }
    }
}

/// Write the baseline file: a path the user named as asked, the default one only as a
/// regular file inside the repository (or folder) it is in.
fn write_baseline(path: &Path, text: &str) -> Result<()> {
    let body = |w: &mut dyn Write| w.write_all(text.as_bytes());
    if path == Path::new(DEFAULT_BASELINE) {
        let root = repo_root(Path::new("."));
        crate::output::write(path, crate::output::Place::Inside(&root), None, body)
    } else {
        crate::output::write_file(path, body)
    }
}
