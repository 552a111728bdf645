//! The summary a scan prints on standard error: warnings (always), then one line with
//! the findings by severity, what was scanned and skipped, and what was suppressed
//! (unless `--quiet`). Every path and entry from the repository is escaped.
//!
//! It must not know how the findings were made.

use super::collect::Collected;
use super::options::OutputOptions;
use crate::rules::Severity;
use crate::session;
use crate::source::SkipReason;
use std::io::{self, Write};
use std::time::Instant;

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = bytes as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{bytes} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// Warnings always; the summary unless `--quiet`. Everything goes to standard error.
pub fn report_summary_with(
    out: &OutputOptions,
    c: &Collected,
    started: Instant,
    walked: Option<&str>,
) {
    let (findings, summary) = (&c.findings, &c.summary);
    let mut err = io::stderr().lock();
    // Warnings name paths and entries from the repository: escaped for the terminal.
    let shown = crate::escape::terminal;
    for w in c.session.warnings() {
        let _ = writeln!(err, "keyward: warning: {}", shown(&w));
    }
    for e in &summary.errors {
        let _ = writeln!(err, "keyward: warning: {}", shown(e));
    }
    for s in &summary.skipped {
        let why = match &s.reason {
            SkipReason::TooLarge(n) => {
                format!("skipped, larger than --max-file-size ({})", human_size(*n))
            }
            SkipReason::NotRegular(kind) => format!("skipped, {kind}"),
        };
        let _ = writeln!(err, "keyward: warning: {}: {why}", shown(&s.path));
    }
    if out.quiet {
        return;
    }
    let mut by_severity: Vec<String> = Vec::new();
    for sev in [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ] {
        let n = findings.iter().filter(|f| f.severity == sev).count();
        if n > 0 {
            by_severity.push(format!("{n} {sev}"));
        }
    }
    let mut files: Vec<&str> = findings.iter().map(|f| f.path.as_str()).collect();
    files.dedup();
    let mut line = if findings.is_empty() && !summary.errors.is_empty() {
        "no secrets found in what could be read".to_string()
    } else if findings.is_empty() {
        "no secrets found".to_string()
    } else {
        format!(
            "{} ({}) in {}",
            plural(findings.len() as u64, "finding", "findings"),
            by_severity.join(", "),
            plural(files.len() as u64, "file", "files")
        )
    };
    if let Some(walked) = walked {
        line.push_str(&format!("; walked {walked}"));
    }
    line.push_str(&format!(
        "; scanned {} ({}) in {:.2}s",
        plural(
            summary.files_scanned,
            if walked.is_some() { "blob" } else { "file" },
            if walked.is_some() { "blobs" } else { "files" }
        ),
        human_size(summary.bytes_scanned),
        started.elapsed().as_secs_f64()
    ));
    let mut skipped: Vec<String> = Vec::new();
    if summary.binary_skipped > 0 {
        skipped.push(format!("{} binary", summary.binary_skipped));
    }
    let large = summary
        .skipped
        .iter()
        .filter(|s| matches!(s.reason, SkipReason::TooLarge(_)))
        .count();
    if large > 0 {
        skipped.push(format!("{large} too large"));
    }
    let special = summary.skipped.len() - large;
    if special > 0 {
        skipped.push(format!("{special} not regular files"));
    }
    if summary.symlinks_skipped > 0 {
        skipped.push(format!(
            "{} (use --follow)",
            plural(summary.symlinks_skipped, "symbolic link", "symbolic links")
        ));
    }
    if !skipped.is_empty() {
        line.push_str(&format!("; skipped {}", skipped.join(", ")));
    }
    // File names may hold a key: redacted as reports redact them.
    let ignored: Vec<String> = summary
        .ignored_secret_files
        .iter()
        .map(|p| {
            if out.no_redact {
                p.clone()
            } else {
                crate::scan::redact::redact_text(&c.session.rules, p)
            }
        })
        .collect();
    if let Some(ignored) = ignored_secret_files(&ignored) {
        line.push_str(&ignored);
    }
    if !c.suppressed.is_empty() {
        line.push_str(&format!(
            "; {} suppressed ({}{})",
            c.suppressed.len(),
            session::describe_suppressed(&c.suppressed, &c.session.config),
            if !c.show_suppressed {
                "; --show-suppressed lists them"
            } else {
                ""
            }
        ));
    }
    if !summary.errors.is_empty() {
        line.push_str(&format!(
            "; {}",
            plural(summary.errors.len() as u64, "error", "errors")
        ));
    }
    let _ = writeln!(err, "keyward: {line}");
}

/// `; 2 git-ignored secret files not scanned (.env, web/.env.local; --no-ignore scans
/// them)` for the summary line, naming at most three.
fn ignored_secret_files(paths: &[String]) -> Option<String> {
    const NAMED: usize = 3;
    if paths.is_empty() {
        return None;
    }
    let mut named: Vec<String> = paths
        .iter()
        .take(NAMED)
        .map(|p| crate::escape::terminal(p.strip_prefix("./").unwrap_or(p)))
        .collect();
    if paths.len() > NAMED {
        named.push("…".into());
    }
    Some(format!(
        "; {} not scanned ({}; --no-ignore scans {})",
        plural(
            paths.len() as u64,
            "git-ignored secret file",
            "git-ignored secret files"
        ),
        named.join(", "),
        if paths.len() == 1 { "it" } else { "them" }
    ))
}
