//! keyward: a fast secret scanner for git repositories, tuned for the keys of LLM
//! providers.
//!
//! ```text
//!  Source ──► bytes ──► Matcher ──► Candidate ──► Finding ──► Report
//!  (worktree, stdin,   (keyword      (rule,        (path, line,  (human, json,
//!   history, staged)    prefilter,    span)         fingerprint,  jsonl)
//!                       regex,                      redaction)
//!                       filters)
//! ```
//!
//! Data moves one way. [`rules::RuleSet`] is compiled once and shared; each worker
//! owns a [`scan::Matcher`]. Sources ([`source`]) know nothing of rules, the matcher
//! knows nothing of files, and reports ([`report`]) know nothing of matching.

pub mod audit;
pub mod catchall;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod dotenv;
pub mod envcheck;
pub mod escape;
pub mod exit;
pub mod finding;
pub mod github;
pub mod hooks;
pub mod output;
pub mod parse_error;
pub mod pipeline;
pub mod repofile;
pub mod report;
pub mod rules;
pub mod scan;
pub mod secret;
pub mod session;
pub mod source;
pub mod suppress;
