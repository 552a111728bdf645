//! The working tree: files and directories walked in parallel with the `ignore` crate
//! (honouring git's ignore rules within a repository unless `--no-ignore`), each
//! file read into a per-thread buffer and scanned by a per-thread matcher. Secret-named
//! files the ignore rules left out are counted ([`super::ignored`]). The bytes done
//! are added to a counter the caller may pass ([`WalkOptions::progress`]), and
//! [`total_bytes`] walks the same paths without reading them, so a caller can show
//! progress; how it is shown is the caller's.
//!
//! This file must not know about git objects, reports or exit codes.

use super::ignored::SecretNames;
use super::{ScanSummary, SkipReason, Skipped};
use crate::finding::Finding;
use crate::pipeline::scan_blob;
use crate::rules::RuleSet;
use crate::scan::Matcher;
use ignore::{WalkBuilder, WalkState};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// How to walk.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Scan files that ignore rules would skip.
    pub no_ignore: bool,
    /// Follow symbolic links inside directories.
    pub follow: bool,
    /// Files larger than this are listed as skipped, not scanned.
    pub max_file_size: u64,
    pub threads: usize,
    /// Bytes done so far, for a caller's progress display: each regular file's size is
    /// added once it is scanned (or skipped, or failed to read), so the count ends at
    /// [`total_bytes`] of the same paths.
    pub progress: Option<Arc<AtomicU64>>,
}

/// A buffer that has grown past this is dropped after use so memory stays bounded.
const KEEP_BUFFER: usize = 16 << 20;

#[derive(Default)]
struct Shared {
    findings: Vec<Finding>,
    summary: ScanSummary,
    /// Secret-named files seen, to tell which ones git's ignore rules left out.
    names: SecretNames,
}

/// Scan `paths` (files or directories).
pub fn scan_paths(
    rules: &RuleSet,
    paths: &[PathBuf],
    opts: &WalkOptions,
) -> (Vec<Finding>, ScanSummary) {
    let shared = Mutex::new(Shared::default());
    let mut builder = walk_builder(paths, opts.no_ignore, opts.follow);
    builder.threads(opts.threads);
    builder.build_parallel().run(|| {
        let mut worker = Worker {
            matcher: Matcher::new(rules),
            buf: Vec::new(),
            local: Shared::default(),
            shared: &shared,
            opts,
        };
        Box::new(move |entry| {
            match entry {
                Ok(entry) => worker.visit(&entry),
                Err(err) => worker.local.summary.errors.push(describe_walk_error(&err)),
            }
            WalkState::Continue
        })
    });
    let Shared {
        mut findings,
        mut summary,
        names,
    } = shared.into_inner().unwrap_or_else(|e| e.into_inner());
    summary.ignored_secret_files = names
        .ignored()
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    summary.sort();
    (findings, summary)
}

/// The walk over `paths`: git's own ignore rules, bounded by the repository as git
/// bounds them: `.gitignore` files and `.git/info/exclude` from the repository's root
/// down (none from above it, none outside a repository), and the user's global
/// excludes. `.ignore` files are not git's and are read from every folder above, so
/// they are not used.
fn walk_builder(paths: &[PathBuf], no_ignore: bool, follow: bool) -> WalkBuilder {
    let (first, rest) = paths.split_first().expect("at least one path");
    let mut builder = WalkBuilder::new(first);
    for p in rest {
        builder.add(p);
    }
    builder
        .hidden(false)
        .parents(!no_ignore)
        .ignore(false)
        .git_ignore(!no_ignore)
        .git_global(!no_ignore)
        .git_exclude(!no_ignore)
        .require_git(true)
        .follow_links(follow)
        .filter_entry(|e| e.file_name() != ".git");
    builder
}

/// The bytes a scan of `paths` with the same `no_ignore` and `follow` would go
/// through: the sizes of the regular files the walk visits (a quick walk of the
/// directories, reading no file), for a progress display's total.
pub fn total_bytes(paths: &[PathBuf], no_ignore: bool, follow: bool) -> u64 {
    if paths.is_empty() {
        return 0;
    }
    let mut total = 0;
    for entry in walk_builder(paths, no_ignore, follow).build().flatten() {
        let Some(ft) = entry.file_type() else {
            continue;
        };
        if ft.is_dir() || (ft.is_symlink() && entry.depth() > 0 && !follow) {
            continue;
        }
        let meta = if ft.is_symlink() {
            std::fs::metadata(entry.path()).ok()
        } else {
            entry.metadata().ok()
        };
        if let Some(m) = meta.filter(std::fs::Metadata::is_file) {
            total += m.len();
        }
    }
    total
}

fn describe_walk_error(err: &ignore::Error) -> String {
    let text = err.to_string();
    if text.contains("File system loop") {
        format!("{text} (symbolic link loop; not followed)")
    } else {
        text
    }
}

struct Worker<'a, 'r> {
    matcher: Matcher<'r>,
    buf: Vec<u8>,
    local: Shared,
    shared: &'a Mutex<Shared>,
    opts: &'a WalkOptions,
}

impl Worker<'_, '_> {
    fn visit(&mut self, entry: &ignore::DirEntry) {
        let path = entry.path();
        let Some(ft) = entry.file_type() else { return };
        if ft.is_dir() {
            if !self.opts.no_ignore {
                self.local.names.entered(path);
            }
            return;
        }
        self.local.names.visited(path);
        let meta = if ft.is_symlink() {
            if entry.depth() > 0 && !self.opts.follow {
                self.local.summary.symlinks_skipped += 1;
                return;
            }
            match std::fs::metadata(path) {
                Ok(m) => m,
                Err(e) => {
                    self.error(path, &format!("broken symbolic link ({e})"));
                    return;
                }
            }
        } else {
            match entry.metadata() {
                Ok(m) => m,
                Err(e) => {
                    self.error(path, &e.to_string());
                    return;
                }
            }
        };
        if !meta.is_file() {
            if !meta.is_dir() {
                self.local.summary.skipped.push(Skipped {
                    path: display(path),
                    reason: SkipReason::NotRegular(kind_of(&meta)),
                });
            }
            return;
        }
        self.visit_file(path, meta.len());
        if let Some(done) = &self.opts.progress {
            done.fetch_add(meta.len(), Ordering::Relaxed);
        }
    }

    fn visit_file(&mut self, path: &Path, len: u64) {
        if len > self.opts.max_file_size {
            self.local.summary.skipped.push(Skipped {
                path: display(path),
                reason: SkipReason::TooLarge(len),
            });
            return;
        }
        self.buf.clear();
        let read = File::open(path).and_then(|f| {
            f.take(self.opts.max_file_size.saturating_add(1))
                .read_to_end(&mut self.buf)
        });
        if let Err(e) = read {
            self.error(path, &format!("cannot read: {e}"));
            return;
        }
        let name = display(path);
        let outcome = scan_blob(&mut self.matcher, &name, &self.buf);
        let s = &mut self.local.summary;
        if outcome.binary {
            s.binary_skipped += 1;
        } else {
            s.files_scanned += 1;
            s.bytes_scanned += self.buf.len() as u64;
        }
        s.suppressed_inline += outcome.inline.len() as u64;
        s.inline.extend(outcome.inline);
        self.local.findings.extend(outcome.findings);
        if self.buf.capacity() > KEEP_BUFFER {
            self.buf = Vec::new();
        }
    }

    fn error(&mut self, path: &Path, what: &str) {
        self.local
            .summary
            .errors
            .push(format!("{}: {what}", display(path)));
    }

    /// Hand what this worker gathered to the shared result (when the walk ends).
    fn flush(&mut self) {
        let local = std::mem::take(&mut self.local);
        let mut shared = self.shared.lock().unwrap_or_else(|e| e.into_inner());
        shared.findings.extend(local.findings);
        shared.summary.merge(local.summary);
        shared.names.merge(local.names);
    }
}

impl Drop for Worker<'_, '_> {
    fn drop(&mut self) {
        self.flush();
    }
}

/// A path for output: lossy UTF-8, with control and bidirectional characters escaped
/// ([`crate::escape::terminal`]) so a file name cannot drive the terminal.
pub fn display(path: &Path) -> String {
    crate::escape::terminal(&path.to_string_lossy())
}

#[cfg(unix)]
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let ft = meta.file_type();
    if ft.is_fifo() {
        "a FIFO"
    } else if ft.is_socket() {
        "a socket"
    } else if ft.is_block_device() || ft.is_char_device() {
        "a device"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn kind_of(_meta: &std::fs::Metadata) -> &'static str {
    "not a regular file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_counter_ends_at_the_total_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let mut expected = 0;
        for (rel, len) in [
            ("a.txt", 10),
            ("sub/b.jsonl", 5000),
            ("sub/deeper/c.md", 123),
        ] {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "x".repeat(len)).unwrap();
            expected += len as u64;
        }
        // Too large to scan: counted as done all the same.
        std::fs::write(dir.path().join("big.log"), "y".repeat(4096)).unwrap();
        expected += 4096;
        let paths = [dir.path().to_path_buf()];
        assert_eq!(total_bytes(&paths, true, false), expected);
        let done = Arc::new(AtomicU64::new(0));
        let opts = WalkOptions {
            no_ignore: true,
            follow: false,
            max_file_size: 4000,
            threads: 2,
            progress: Some(Arc::clone(&done)),
        };
        let rules = RuleSet::builtin().expect("built-in rules load");
        let (_, summary) = scan_paths(&rules, &paths, &opts);
        assert_eq!(summary.files_scanned, 2);
        assert_eq!(summary.skipped.len(), 2);
        assert_eq!(done.load(Ordering::Relaxed), expected);
    }
}
