//! `keyward agents [DIR…]`: the coding agents' homes of the current user (their MCP
//! configurations, settings and session transcripts), or the directories given, scanned
//! in parallel like `scan`. Each finding names the agent, the file and the line; the fix
//! follows the report. `--redact` rewrites the transcripts that hold a key, after a
//! backup.
//!
//! It must not know which file belongs to which agent: `agentfile` does.

use super::bytes_progress::BytesProgress;
use super::collect::{collect_worktree, keep_confident, threads, WalkRequest};
use super::emit::{context, emit, exit_code};
use super::options::{ConfigOptions, OutputOptions};
use super::summary::report_summary_with;
use crate::agentfile::{self, Kind};
use crate::finding::Confidence;
use crate::report::ScanKind;
use anyhow::{Context as _, Result};
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What replaces a key in a redacted transcript (valid inside a JSON string).
pub const REDACTED: &str = "REDACTED-BY-KEYWARD";

/// What `keyward agents` is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// Directories or files (default: the agents' homes).
    pub dirs: Vec<PathBuf>,
    /// `--redact`: rewrite transcripts with the keys replaced.
    pub redact: bool,
    pub threads: Option<usize>,
    pub filter: ConfigOptions,
    pub output: OutputOptions,
}

/// The agents' configuration and transcript places under `home` that exist.
pub fn agent_homes(home: &Path) -> Vec<PathBuf> {
    [
        ".claude",
        ".claude.json",
        ".mcp.json",
        ".codex",
        ".gemini",
        ".cursor/mcp.json",
        ".codeium/windsurf/mcp_config.json",
        ".config/Claude/claude_desktop_config.json",
        "Library/Application Support/Claude/claude_desktop_config.json",
        ".continue/config.json",
        ".continue/config.yaml",
        ".continue/mcpServers",
        ".aider.conf.yml",
        ".config/Code/User/mcp.json",
        ".config/Code/User/settings.json",
        "Library/Application Support/Code/User/mcp.json",
        "Library/Application Support/Code/User/settings.json",
    ]
    .iter()
    .map(|p| home.join(p))
    .filter(|p| p.exists())
    .collect()
}

/// Replace every key found in each transcript, after keeping a copy (mode 600).
fn redact(by_file: &BTreeMap<String, Vec<String>>) -> Result<()> {
    for (path, secrets) in by_file {
        let p = Path::new(path);
        let text = std::fs::read(p).with_context(|| format!("cannot read {path}"))?;
        let mut out = text.clone();
        for s in secrets {
            out = replace_all(&out, s.as_bytes(), REDACTED.as_bytes());
        }
        if out == text {
            continue;
        }
        let name = p.file_name().unwrap_or_default().to_string_lossy();
        let backup = p.with_file_name(format!("{name}.keyward-backup"));
        crate::output::write(&backup, crate::output::Place::Named, Some(0o600), |w| {
            w.write_all(&text)
        })?;
        crate::output::write(p, crate::output::Place::Named, None, |w| w.write_all(&out))?;
        eprintln!(
            "keyward: redacted {} key(s) in {} (the original is kept as {}: it still holds the keys; delete it once checked)",
            secrets.len(),
            crate::escape::terminal(path),
            crate::escape::terminal(&backup.display().to_string())
        );
    }
    Ok(())
}

fn replace_all(hay: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    if needle.is_empty() {
        return hay.to_vec();
    }
    let mut out = Vec::with_capacity(hay.len());
    let mut at = 0;
    for i in memchr::memmem::find_iter(hay, needle) {
        if i < at {
            continue;
        }
        out.extend_from_slice(&hay[at..i]);
        out.extend_from_slice(with);
        at = i + needle.len();
    }
    out.extend_from_slice(&hay[at..]);
    out
}

pub fn run(args: &Options) -> Result<i32> {
    let started = Instant::now();
    let dirs = if args.dirs.is_empty() {
        let home = std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(PathBuf::from)
            .context("HOME is not set: name the directories to scan")?;
        let found = agent_homes(&home);
        if found.is_empty() {
            eprintln!(
                "keyward: no coding agent's configuration or transcripts under {}",
                home.display()
            );
            return Ok(crate::exit::CLEAN);
        }
        found
    } else {
        args.dirs.clone()
    };
    let progress = BytesProgress::start(
        std::io::stderr().is_terminal() && !args.output.quiet,
        "scanning",
        dirs.clone(),
        true,
        false,
    );
    let c = collect_worktree(
        &dirs,
        "<stdin>",
        WalkRequest {
            // Agents' homes are no repositories: nothing there is ignored.
            no_ignore: true,
            follow: false,
            threads: threads(args.threads),
            max_file_size: None,
            progress: progress.as_ref().map(BytesProgress::counter),
        },
        &args.filter.sources(),
    );
    if let Some(bar) = progress {
        bar.finish();
    }
    let mut c = c?;
    c.show_suppressed = args.filter.show_suppressed;
    // The agents' own sign-in stores hold a key by design.
    c.findings
        .retain(|f| !agentfile::known::is_credential_store(&f.path));
    keep_confident(&mut c, &args.filter, Confidence::Medium, !args.output.quiet);
    let ctx = context(&c, &args.output, &args.filter, ScanKind::Worktree);
    emit(&args.output, &c.findings, &ctx)?;
    report_summary_with(&args.output, &c, started, None);
    let mut transcripts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in &c.findings {
        if agentfile::known(&f.path).is_some_and(|k| k.kind == Kind::Transcript) {
            let list = transcripts.entry(f.path.clone()).or_default();
            if !list.iter().any(|s| s == f.secret.expose()) {
                list.push(f.secret.expose().to_string());
            }
        }
    }
    if !c.findings.is_empty() && !args.output.quiet {
        eprintln!(
            "keyward: fix: revoke each key first (the report says where); then in configurations, \
             replace the literal with a reference to the environment (`${{VAR}}`, `env:VAR`); \
             in transcripts, remove the session file or run `keyward agents --redact`."
        );
    }
    if args.redact && !transcripts.is_empty() {
        redact(&transcripts)?;
    }
    Ok(exit_code(&c.findings, &c.summary))
}
