//! Sources of bytes to scan: the working tree (files and directories, walked in
//! parallel) and standard input. Each produces findings through
//! [`crate::pipeline::scan_blob`] and a [`ScanSummary`] of what was and was not scanned.
//! The git sources are [`history`] and [`staged`], reading the repository through [`git`].
//!
//! Sources must not know about reports, output formats, exit codes, configuration
//! filtering or the command line: they say what they found and what they covered, and
//! the commands decide what to print and how to exit.

pub mod coverage;
pub mod git;
pub mod history;
pub mod ignored;
pub mod staged;
pub mod worktree;

use crate::finding::Finding;
use crate::pipeline::scan_blob;
use crate::rules::RuleSet;
use crate::scan::Matcher;
use std::io::Read;

/// A file that was not scanned, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Skipped {
    pub path: String,
    pub reason: SkipReason,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum SkipReason {
    /// Larger than `--max-file-size` (the size in bytes).
    TooLarge(u64),
    /// Not a regular file (FIFO, socket, device).
    NotRegular(&'static str),
}

/// What a scan covered.
#[derive(Debug, Default)]
pub struct ScanSummary {
    pub files_scanned: u64,
    pub bytes_scanned: u64,
    pub binary_skipped: u64,
    /// Symbolic links inside directories that were not followed (see `--follow`).
    pub symlinks_skipped: u64,
    pub skipped: Vec<Skipped>,
    pub suppressed_inline: u64,
    /// The findings inline `keyward:allow` comments suppressed (for `--show-suppressed`).
    pub inline: Vec<Finding>,
    /// Errors on single paths; the scan went on past each.
    pub errors: Vec<String>,
    /// Findings of `staged` whose secret HEAD's version of the file already holds.
    pub at_head: Vec<Finding>,
    /// Files named like secret stores (`.env`, key files) that a work-tree walk left out
    /// because git ignores them (`--no-ignore` scans them).
    pub ignored_secret_files: Vec<String>,
}

impl ScanSummary {
    pub fn merge(&mut self, other: ScanSummary) {
        self.files_scanned += other.files_scanned;
        self.bytes_scanned += other.bytes_scanned;
        self.binary_skipped += other.binary_skipped;
        self.symlinks_skipped += other.symlinks_skipped;
        self.skipped.extend(other.skipped);
        self.suppressed_inline += other.suppressed_inline;
        self.inline.extend(other.inline);
        self.errors.extend(other.errors);
        self.at_head.extend(other.at_head);
        self.ignored_secret_files.extend(other.ignored_secret_files);
    }

    /// Sort the lists so output is deterministic.
    pub fn sort(&mut self) {
        self.skipped.sort();
        self.errors.sort();
        self.ignored_secret_files.sort();
    }
}

/// Scan everything readable from `input` (standard input) as one blob named `name`, if
/// it holds at most `max_size` bytes; a longer input is read no further than that and
/// listed as skipped, like a file over `--max-file-size`.
pub fn scan_reader(
    rules: &RuleSet,
    name: &str,
    input: impl Read,
    max_size: u64,
) -> std::io::Result<(Vec<Finding>, ScanSummary)> {
    let mut bytes = Vec::new();
    input
        .take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_size {
        let summary = ScanSummary {
            skipped: vec![Skipped {
                path: name.to_string(),
                reason: SkipReason::TooLarge(bytes.len() as u64),
            }],
            ..ScanSummary::default()
        };
        return Ok((Vec::new(), summary));
    }
    let mut matcher = Matcher::new(rules);
    let outcome = scan_blob(&mut matcher, name, &bytes);
    let summary = ScanSummary {
        files_scanned: u64::from(!outcome.binary),
        bytes_scanned: bytes.len() as u64,
        binary_skipped: u64::from(outcome.binary),
        suppressed_inline: outcome.inline.len() as u64,
        inline: outcome.inline,
        ..ScanSummary::default()
    };
    Ok((outcome.findings, summary))
}
