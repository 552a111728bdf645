//! What a history scan shows while it runs: a progress bar on standard error (only when
//! asked for, on a terminal) and, when `KEYWARD_TIMINGS` is set, the time and memory of
//! each stage (for benchmarking).
//!
//! This file must not know what is scanned or found: it counts blobs and bytes, and
//! names stages it is told.

use std::sync::atomic::{AtomicU64, Ordering};

/// A progress bar on standard error (blobs scanned of those found, bytes, rate, ETA),
/// updated from the workers; only on a terminal.
pub(super) struct Progress {
    bar: Option<indicatif::ProgressBar>,
    bytes: AtomicU64,
}

impl Progress {
    pub(super) fn new(enabled: bool) -> Progress {
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
    pub(super) fn start(&self, total: usize) {
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

    pub(super) fn add(&self, bytes: u64) {
        let Some(bar) = &self.bar else { return };
        let total = self.bytes.fetch_add(bytes, Ordering::Relaxed) + bytes;
        bar.inc(1);
        if bar.position() % 256 == 0 {
            bar.set_message(format!("{} MiB", total >> 20));
        }
    }

    pub(super) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Stage timings on standard error when `KEYWARD_TIMINGS` is set (for benchmarking).
pub(super) struct Timer {
    on: bool,
    last: std::cell::Cell<std::time::Instant>,
}

impl Timer {
    pub(super) fn new() -> Timer {
        Timer {
            on: std::env::var_os("KEYWARD_TIMINGS").is_some(),
            last: std::cell::Cell::new(std::time::Instant::now()),
        }
    }

    pub(super) fn stage(&self, name: &str) {
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
