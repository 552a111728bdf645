//! `keyward hook install`: git hooks that run `keyward staged` (and `pre-push`).
//!
//! It must not know the hook's text: `hooks` writes it.

use crate::exit::CLEAN as EXIT_CLEAN;
use crate::hooks::{self, Hook};
use anyhow::Result;
use std::path::PathBuf;

/// What `keyward hook install` is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub repo: PathBuf,
    /// `--pre-push`: the pre-push hook too.
    pub pre_push: bool,
    /// `--force`: replace hooks keyward did not write (a backup is kept).
    pub force: bool,
}

/// Install the hooks asked for, saying where each went and what was kept.
pub fn run(args: &Options) -> Result<i32> {
    let mut which = vec![Hook::PreCommit];
    if args.pre_push {
        which.push(Hook::PrePush);
    }
    for hook in which {
        let done = hooks::install(&args.repo, hook, args.force)?;
        if let Some(b) = &done.backup {
            eprintln!("keyward: kept the previous hook as {}", b.display());
        }
        eprintln!("keyward: installed {}", done.path.display());
    }
    Ok(EXIT_CLEAN)
}
