//! Reports: one module per output format, each writing the same findings to a writer.
//! Detection never formats; reports never detect.

pub mod human;
pub mod json;
pub mod line_hash;

use crate::finding::Finding;
use std::io::{self, Write};

/// An output format of `scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Findings grouped by file, for people.
    Human,
    /// One JSON array of finding objects.
    Json,
    /// One JSON finding object per line.
    Jsonl,
}

/// How findings are shown.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Show whole secrets (`--no-redact`).
    pub show_secrets: bool,
    /// ANSI colour (only ever on a terminal unless forced).
    pub color: bool,
}

/// Write `findings` in `format`.
pub fn write(
    w: &mut dyn Write,
    format: Format,
    findings: &[Finding],
    style: Style,
) -> io::Result<()> {
    match format {
        Format::Human => human::write(w, findings, style),
        Format::Json => json::write_array(w, findings, style),
        Format::Jsonl => json::write_lines(w, findings, style),
    }
}
