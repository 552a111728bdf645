//! `keyward github-range`: what a GitHub Actions event asks to scan, printed as step
//! outputs for `$GITHUB_OUTPUT` (used by `action.yml`). The plan itself is `github`'s.

use crate::github::{self, Mode, Request};
use anyhow::Result;
use std::path::PathBuf;

/// What `keyward github-range` is asked to do; unset values come from the variables
/// GitHub Actions sets (`GITHUB_EVENT_NAME`, `GITHUB_EVENT_PATH`).
#[derive(Debug, Clone)]
pub struct Options {
    pub repo: PathBuf,
    pub event_name: Option<String>,
    pub event_path: Option<PathBuf>,
    /// `--base`/`--head`: a range instead of the event's.
    pub base: Option<String>,
    pub head: Option<String>,
    pub mode: Mode,
}

/// Plan the scan and print it.
pub fn run(args: &Options) -> Result<i32> {
    let non_empty = |s: String| (!s.is_empty()).then_some(s);
    let req = Request {
        event_name: args
            .event_name
            .clone()
            .or_else(|| std::env::var("GITHUB_EVENT_NAME").ok())
            .and_then(non_empty),
        event_path: args
            .event_path
            .clone()
            .or_else(|| std::env::var_os("GITHUB_EVENT_PATH").map(PathBuf::from))
            .filter(|p| !p.as_os_str().is_empty()),
        repo: args.repo.clone(),
        base: args.base.clone().and_then(non_empty),
        head: args.head.clone().and_then(non_empty),
        mode: args.mode,
    };
    github::print_plan(&req)
}
