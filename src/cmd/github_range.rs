//! `keyward github-range`: what a GitHub Actions event asks to scan, printed as step
//! outputs for `$GITHUB_OUTPUT` (used by `action.yml`). The plan itself is `github`'s.
//!
//! It must not know GitHub's event payloads.

use anyhow::Result;

pub use crate::github::Options;

/// Plan the scan and print it.
pub fn run(args: &Options) -> Result<i32> {
    crate::github::run_command(args)
}
