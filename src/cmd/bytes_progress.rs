//! A progress bar of bytes for a work-tree walk, on standard error: bytes done of bytes
//! total, the rate and the time left. The total comes from a quick walk of the same
//! paths on a thread of its own ([`worktree::total_bytes`]), so the scan does not wait
//! for it; until it is known the bar shows the bytes done. The walk's workers add to
//! the counter ([`BytesProgress::counter`]); a ticker thread moves the bar.
//!
//! It is shown only when asked (the caller checks for a terminal and `--quiet`). It
//! must not know what is scanned or found: it counts bytes.

use crate::source::worktree;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// How often the bar is moved.
const TICK: Duration = Duration::from_millis(100);

/// A running progress bar, with its ticker thread.
pub struct BytesProgress {
    done: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    bar: indicatif::ProgressBar,
    ticker: Option<JoinHandle<()>>,
}

impl BytesProgress {
    /// Start a bar for a walk of `paths` (with the walk's `no_ignore` and `follow`),
    /// when `enabled`.
    pub fn start(
        enabled: bool,
        message: &str,
        paths: Vec<PathBuf>,
        no_ignore: bool,
        follow: bool,
    ) -> Option<BytesProgress> {
        if !enabled {
            return None;
        }
        let done = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        // Until the total is known: a spinner and the bytes done.
        let shown = Arc::clone(&done);
        let bytes_done = move |_: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(
                w,
                "{}",
                indicatif::HumanBytes(shown.load(Ordering::Relaxed))
            );
        };
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {msg}: {done} scanned")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner())
                .with_key("done", bytes_done),
        );
        bar.set_message(message.to_string());
        bar.enable_steady_tick(TICK);
        let ticker = {
            let (bar, done, stop) = (bar.clone(), Arc::clone(&done), Arc::clone(&stop));
            std::thread::spawn(move || tick(&bar, &done, &stop, &paths, no_ignore, follow))
        };
        Some(BytesProgress {
            done,
            stop,
            bar,
            ticker: Some(ticker),
        })
    }

    /// The counter the walk adds the bytes it has done to.
    pub fn counter(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.done)
    }

    /// Stop the ticker and clear the bar.
    pub fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.ticker.take() {
            let _ = t.join();
        }
        self.bar.finish_and_clear();
    }
}

fn tick(
    bar: &indicatif::ProgressBar,
    done: &AtomicU64,
    stop: &AtomicBool,
    paths: &[PathBuf],
    no_ignore: bool,
    follow: bool,
) {
    let total = worktree::total_bytes(paths, no_ignore, follow);
    if stop.load(Ordering::Relaxed) {
        return;
    }
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{msg} [{wide_bar}] {bytes}/{total_bytes}, {binary_bytes_per_sec}, {eta} left",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_length(total);
    while !stop.load(Ordering::Relaxed) {
        bar.set_position(done.load(Ordering::Relaxed).min(total));
        std::thread::sleep(TICK);
    }
}
