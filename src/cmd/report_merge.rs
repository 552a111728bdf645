//! `keyward report merge FILE…`: the reports shards wrote (JSON Lines, JSON or SARIF)
//! as one, in the format they share: findings one after another, or one SARIF log with
//! every run (one per repository, each with its `versionControlProvenance`). Files of
//! different formats are refused.
//!
//! It must not know how a report is written: `report::merge` joins them.

use crate::report::{merge, Format};
use anyhow::{bail, Context as _, Result};
use std::io::{Read as _, Write as _};
use std::path::PathBuf;

/// The largest report read.
const MAX_REPORT_BYTES: u64 = 4 << 30;

/// What `keyward report merge` is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub files: Vec<PathBuf>,
    /// `-o`: a file instead of standard output (written atomically).
    pub output: Option<PathBuf>,
}

pub fn run(args: &Options) -> Result<i32> {
    let mut reports = Vec::new();
    let mut format: Option<(Format, &PathBuf)> = None;
    for path in &args.files {
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_REPORT_BYTES + 1).read_to_end(&mut bytes))
            .with_context(|| format!("cannot read {}", path.display()))?;
        if bytes.len() as u64 > MAX_REPORT_BYTES {
            bail!("{}: larger than {MAX_REPORT_BYTES} bytes", path.display());
        }
        let Some(this) = merge::detect(&bytes) else {
            bail!(
                "{}: not a keyward report in JSON Lines, JSON or SARIF (write the shards' \
                 reports with --format jsonl, json or sarif)",
                path.display()
            );
        };
        match format {
            Some((f, first)) if f != this => bail!(
                "cannot merge reports of different formats: {} is {}, {} is {}; give files \
                 of one format",
                first.display(),
                name(f),
                path.display(),
                name(this)
            ),
            Some(_) => {}
            None => format = Some((this, path)),
        }
        reports.push(bytes);
    }
    let format = format.map_or(Format::Jsonl, |(f, _)| f);
    let joined = merge::join(format, &reports)
        .map_err(|e| anyhow::anyhow!("cannot merge the reports: {e}"))?;
    match &args.output {
        Some(path) => crate::output::write_file(path, |w| w.write_all(&joined))?,
        None => {
            let mut w = crate::output::stdout();
            w.write_all(&joined)
                .and_then(|()| w.flush())
                .context("cannot write the merged report to standard output")?;
        }
    }
    Ok(crate::exit::CLEAN)
}

fn name(f: Format) -> &'static str {
    match f {
        Format::Sarif => "SARIF",
        Format::Json => "a JSON array",
        Format::Jsonl => "JSON Lines",
        Format::Human | Format::Markdown => "text",
    }
}
