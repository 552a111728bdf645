//! `keyward audit`: the compliance checklist, written in the format asked for.
//!
//! It must not know any check: `audit` runs them.

use super::collect::threads;
use super::options::FailOn;
use crate::exit::{CLEAN as EXIT_CLEAN, FINDINGS as EXIT_FINDINGS};
use anyhow::{Context as _, Result};
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

/// What `keyward audit` is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub repo: PathBuf,
    /// `--history`: also every commit.
    pub history: bool,
    /// `--allow-partial` (with `--history`).
    pub allow_partial: bool,
    /// `-f` (else human on a terminal, Markdown otherwise).
    pub format: Option<crate::audit::report::AuditFormat>,
    /// `-o`.
    pub output: Option<PathBuf>,
    pub fail_on: FailOn,
    pub config: Option<PathBuf>,
    pub no_config: bool,
    /// `--as-of YYYY-MM-DD`.
    pub as_of: Option<String>,
    pub max_file_size: u64,
    pub threads: Option<usize>,
}

pub fn run(args: &Options) -> Result<i32> {
    use crate::audit::{self, report::AuditFormat, Status};
    let today = match &args.as_of {
        Some(d) => audit::parse_date(d)
            .with_context(|| format!("--as-of {d:?} is not a date (use YYYY-MM-DD)"))?,
        None => audit::today(),
    };
    let root = super::collect::repo_root(&args.repo);
    let config = if args.no_config {
        crate::config::Config::default()
    } else {
        crate::config::Config::load(&root, args.config.as_deref())?
    };
    audit::manual::validate(&config)?;
    audit::waivers::validate(&config)?;
    let rules = config.rule_set()?;
    let opts = audit::AuditOptions {
        repo: args.repo.clone(),
        history: args.history,
        today,
        threads: threads(args.threads),
        max_file_size: args.max_file_size,
        allow_partial: args.allow_partial,
    };
    let report = audit::run(&rules, &config, &opts)?;
    let format = args
        .format
        .unwrap_or(if args.output.is_none() && io::stdout().is_terminal() {
            AuditFormat::Human
        } else {
            AuditFormat::Markdown
        });
    let write = |w: &mut dyn Write| match format {
        AuditFormat::Human => audit::report::write_human(w, &report),
        AuditFormat::Markdown => audit::report::write_markdown(w, &report),
        AuditFormat::Json => audit::report::write_json(w, &report),
        AuditFormat::Sarif => audit::report::write_sarif(w, &report, &root),
    };
    match &args.output {
        Some(path) => crate::output::write_file(path, write)?,
        None => {
            let mut out = crate::output::stdout();
            write(&mut out)
                .and_then(|()| out.flush())
                .context("cannot write the audit report to standard output")?;
        }
    }
    let failing = report.items.iter().any(|i| {
        i.automated
            && (i.status == Status::Fail
                || (args.fail_on == FailOn::Warn && i.status == Status::Warn))
    });
    Ok(if failing { EXIT_FINDINGS } else { EXIT_CLEAN })
}
