//! `--recurse-submodules`: the history of every submodule checked out in the work tree
//! (each with its own refs), its findings' paths prefixed by the submodule's path.
//! `.gitmodules` is the scanned repository's, so it is not trusted: a path that leads
//! out of the work tree (`../other`, `/abs`, a link), the work tree itself (`.`), a
//! repository already entered (a cycle), or nesting past [`MAX_SUBMODULE_DEPTH`] is
//! refused with an error, and the scan is then incomplete.
//!
//! This file must not know how one repository's history is scanned: it calls
//! [`super::scan_history_in`] for each submodule and folds its summary into the parent's.

use super::{scan_history_in, HistoryOptions, HistorySummary, Selection};
use crate::finding::Finding;
use crate::rules::RuleSet;
use crate::source::git;
use std::collections::HashSet;
use std::path::PathBuf;

/// How deep submodules are followed (a submodule of a submodule is depth 2).
const MAX_SUBMODULE_DEPTH: usize = 8;

/// The largest `.gitmodules` read.
const MAX_GITMODULES: u64 = 1 << 20;

/// The repositories a scan with `--recurse-submodules` has entered, so that none is
/// entered twice (a cycle) and the nesting stays bounded.
#[derive(Default)]
pub(super) struct Submodules {
    /// Canonical git folders scanned or being scanned.
    pub(super) visited: HashSet<PathBuf>,
    pub(super) depth: usize,
}

/// Scan the submodules of `repo` (see the module's documentation) into `findings` and
/// `summary`.
pub(super) fn scan(
    rules: &RuleSet,
    repo: &gix::Repository,
    opts: &HistoryOptions,
    subs: &mut Submodules,
    findings: &mut Vec<Finding>,
    summary: &mut HistorySummary,
) {
    let Some((real_workdir, paths)) = submodule_paths(repo, summary) else {
        return;
    };
    for path in paths {
        let dir = match admit(&real_workdir, &path, subs) {
            Ok(Some(dir)) => dir,
            Ok(None) => {
                summary
                    .notes
                    .push(format!("submodule {path} is not checked out; not scanned"));
                continue;
            }
            Err(why) => {
                summary.refused_submodules += 1;
                summary
                    .scan
                    .errors
                    .push(format!("submodule {path}: {why}; not scanned"));
                continue;
            }
        };
        let sub = HistoryOptions {
            repo: dir,
            selection: Selection::All,
            progress: false,
            cache: None,
            ..opts.clone()
        };
        subs.depth += 1;
        let result = scan_history_in(rules, &sub, subs);
        subs.depth -= 1;
        match result {
            Ok((sub_findings, sub_summary)) => {
                absorb(&path, sub_findings, sub_summary, findings, summary)
            }
            Err(e) => summary
                .notes
                .push(format!("submodule {path} could not be scanned: {e:#}")),
        }
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// The canonical work tree of `repo` and the submodule paths its `.gitmodules` lists:
/// `None` when there is nothing to enter (no work tree, no `.gitmodules`), or when
/// `.gitmodules` is refused (recorded in `summary`).
fn submodule_paths(
    repo: &gix::Repository,
    summary: &mut HistorySummary,
) -> Option<(PathBuf, Vec<String>)> {
    let workdir = repo.workdir()?;
    let modules = match read_gitmodules(&workdir.join(".gitmodules")) {
        Ok(Some(m)) => m,
        Ok(None) => return None,
        Err(why) => {
            summary.refused_submodules += 1;
            summary
                .scan
                .errors
                .push(format!(".gitmodules: {why}; no submodule was scanned"));
            return None;
        }
    };
    let paths: Vec<String> = modules
        .lines()
        .filter_map(|l| {
            let (k, v) = l.split_once('=')?;
            (k.trim() == "path").then(|| v.trim().to_string())
        })
        .collect();
    let real_workdir = std::fs::canonicalize(workdir).ok()?;
    Some((real_workdir, paths))
}

/// The folder to scan for the submodule at `path`: `None` when it is not checked out;
/// an error saying why it is refused (a path out of the work tree, nesting too deep, a
/// repository already entered). An admitted repository is recorded as entered.
fn admit(
    real_workdir: &std::path::Path,
    path: &str,
    subs: &mut Submodules,
) -> Result<Option<PathBuf>, String> {
    let Some(dir) = submodule_dir(real_workdir, path)? else {
        return Ok(None);
    };
    if subs.depth + 1 > MAX_SUBMODULE_DEPTH {
        return Err(format!(
            "nested more than {MAX_SUBMODULE_DEPTH} submodules deep"
        ));
    }
    let git_dir = git::open(&dir)
        .ok()
        .and_then(|r| std::fs::canonicalize(r.git_dir()).ok());
    match git_dir {
        Some(g) if subs.visited.contains(&g) => {
            return Err("its repository was already scanned (a cycle of submodules)".into());
        }
        Some(g) => {
            subs.visited.insert(g);
        }
        None => {}
    }
    Ok(Some(dir))
}

/// Add what the scan of the submodule at `path` gave to its parent's: finding paths,
/// notes and errors prefixed with `path`.
fn absorb(
    path: &str,
    sub_findings: Vec<Finding>,
    sub_summary: HistorySummary,
    findings: &mut Vec<Finding>,
    summary: &mut HistorySummary,
) {
    for mut f in sub_findings {
        f.path = format!("{path}/{}", f.path);
        findings.push(f);
    }
    summary.commits += sub_summary.commits;
    summary.unreachable_commits += sub_summary.unreachable_commits;
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
