//! keyward: a fast secret scanner for git repositories, tuned for the keys of LLM
//! providers.
//!
//! ```text
//!  Source ──► bytes ──► Matcher ──► Candidate ──► Finding ──► Session ──► Report
//!  (worktree, stdin,   (keyword      (rule,        (path, line,  (config,     (human, json,
//!   history, staged)    prefilter,    span)         confidence,   suppression) jsonl, sarif,
//!                       regex,                      fingerprint)               markdown)
//!                       filters)
//! ```
//!
//! Data moves one way, and so do imports (`tests/layers.rs` checks them):
//!
//! | layer | modules |
//! | --- | --- |
//! | command line | [`cli`] (clap's types, mapped into each command's options) |
//! | commands | [`cmd`] (one module per command) |
//! | what commands put together | [`agenthook`], [`audit`], [`envcheck`], [`github`], [`hooks`], [`session`] |
//! | sources and reports | [`source`], [`report`] |
//! | one blob through the matcher | [`pipeline`] |
//! | coding agents' configurations and transcripts | [`agentfile`] |
//! | findings and suppression | [`finding`], [`suppress`], [`catchall`] |
//! | the matcher and the configuration | [`scan`], [`config`] |
//! | rules | [`rules`] |
//! | leaves | [`exit`], [`output`], [`escape`], [`secret`], [`repofile`], [`parse_error`], [`dotenv`] |
//!
//! [`rules::RuleSet`] is compiled once and shared; each worker owns a
//! [`scan::Matcher`]. Sources read bytes and drive the matcher through [`pipeline`] in
//! their worker threads; the matcher knows nothing of files or git; reports know nothing
//! of matching, and nothing below the commands knows a command or clap.

pub mod agentfile;
pub mod agenthook;
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
