//! What the commands share in their options, as plain types: how results are written
//! and where configuration and suppressions come from. The command line (`cli`) fills
//! them in from clap's types; nothing here knows clap.

use crate::finding::Confidence;
use crate::report::Format;
use crate::session::Sources;
use std::path::PathBuf;

/// When to colour human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// How and where results are written.
#[derive(Debug, Clone)]
pub struct OutputOptions {
    pub format: Format,
    /// `-o`: a file instead of standard output (written atomically).
    pub output: Option<PathBuf>,
    /// `--no-redact`: whole secrets instead of a redacted prefix.
    pub no_redact: bool,
    pub color: ColorChoice,
    /// `-q`: no summary on standard error (warnings still are).
    pub quiet: bool,
    /// `--report FORMAT:FILE`, repeatable.
    pub report: Vec<(Format, PathBuf)>,
    /// `--sarif-category`.
    pub sarif_category: Option<String>,
    /// `--sarif-all-rules`.
    pub sarif_all_rules: bool,
}

/// Configuration and suppression, as the user gave them.
#[derive(Debug, Clone, Default)]
pub struct ConfigOptions {
    /// `--config`: the configuration file (trusted: the user named it).
    pub config: Option<PathBuf>,
    /// `--no-config`.
    pub no_config: bool,
    /// `--baseline`.
    pub baseline: Option<PathBuf>,
    /// `--ignore-file` (default: `.keywardignore` at the repository root).
    pub ignore_file: Option<PathBuf>,
    /// `--show-suppressed`.
    pub show_suppressed: bool,
    /// `--min-confidence` (else the command's default).
    pub min_confidence: Option<Confidence>,
}

impl ConfigOptions {
    /// Where the session reads its configuration and suppressions from.
    pub fn sources(&self) -> Sources {
        Sources {
            config: self.config.clone(),
            no_config: self.no_config,
            baseline: self.baseline.clone(),
            baseline_is_default: false,
            ignore_file: self.ignore_file.clone(),
        }
    }
}

/// `human` (a table) or `json`, for listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    Human,
    Json,
}

/// Which checklist statuses make `keyward audit` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    Fail,
    Warn,
}
