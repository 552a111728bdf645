//! Exit codes, the contract with shells, hooks and CI.
//!
//! | code | meaning |
//! | ---: | --- |
//! | 0 | the whole target was scanned (or checked) and nothing was found |
//! | 1 | findings, or failed audit checks |
//! | 2 | a usage, configuration or I/O error, or an incomplete scan |
//! | 130 | interrupted (Ctrl-C, `SIGTERM`) while a file was being written |
//!
//! A leaf: it knows nothing of the rest of keyward.

/// The whole target was scanned and nothing was found.
pub const CLEAN: i32 = 0;
/// Findings, or failed checks.
pub const FINDINGS: i32 = 1;
/// A usage, configuration or I/O error, or a scan that did not cover the whole target.
pub const ERROR: i32 = 2;
/// Interrupted by a signal while writing a file (the temporary file was removed).
pub const INTERRUPTED: i32 = 130;
