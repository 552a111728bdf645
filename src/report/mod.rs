//! Reports: one module per output format, each writing the same findings to a writer.
//! Detection never formats; reports never detect.
//!
//! Reports must not know sources, sessions or commands.

pub mod human;
pub mod json;
pub mod markdown;
pub mod merge;
pub mod redact;
pub mod related;
pub mod sarif;

use crate::finding::{Finding, Root};
use crate::rules::RuleSet;
use crate::suppress::Suppressed;
use std::io::{self, Write};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Findings grouped by file, for people.
    Human,
    /// One JSON array of finding objects.
    Json,
    /// One JSON finding object per line.
    Jsonl,
    /// SARIF 2.1.0, as GitHub code scanning accepts it (never holds a secret).
    Sarif,
    /// A Markdown summary for a pull-request comment or a job summary (redacted, < 1 MiB).
    Markdown,
}

impl Format {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Sarif => "sarif",
            Format::Markdown => "markdown",
        }
    }
}

/// How findings are shown.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Show whole secrets (`--no-redact`; SARIF and Markdown never do).
    pub show_secrets: bool,
    /// ANSI colour (only ever on a terminal unless forced).
    pub color: bool,
}

/// What kind of scan produced the findings. SARIF gives each kind its own category, so
/// GitHub keeps the alerts of a full-history scan apart from those of a push.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanKind {
    /// Files on disk (`keyward scan`).
    Worktree,
    /// Every commit of a repository (`keyward history`).
    History,
    /// A range of commits (`history --rev`, `pre-push`).
    Range,
    /// The index against HEAD (`keyward staged`).
    Staged,
}

impl ScanKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ScanKind::Worktree => "worktree",
            ScanKind::History => "history",
            ScanKind::Range => "range",
            ScanKind::Staged => "staged",
        }
    }
}

/// The repository a scan covered (what the source of the scan says about it).
pub use crate::finding::Vcs;

/// What the scan covered, for the reports that summarise it.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Files (or blobs) scanned and their bytes.
    pub scanned: u64,
    pub bytes: u64,
    /// Commits walked (history scans).
    pub commits: Option<u64>,
    /// Findings left out by inline allow comments.
    pub suppressed_inline: u64,
    /// Files or objects that could not be read.
    pub errors: usize,
    /// Files skipped as too large or not regular.
    pub skipped: usize,
}

/// Everything a report may need besides the findings.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    pub rules: &'a RuleSet,
    pub kind: ScanKind,
    /// `--sarif-category`: replaces the category of `automationDetails.id`.
    pub sarif_category: Option<String>,
    /// `--sarif-all-rules`: describe every rule, not only those with results.
    pub sarif_all_rules: bool,
    /// How finding paths become repository-relative.
    pub root: Root,
    pub vcs: Option<Vcs>,
    pub stats: Stats,
    /// Findings left out by configuration, baseline, ignore file or inline comments.
    pub suppressed: &'a [Suppressed],
    /// `--show-suppressed`: list them too.
    pub show_suppressed: bool,
}

impl<'a> Context<'a> {
    /// A context with nothing known but the rules and the kind of scan.
    pub fn new(rules: &'a RuleSet, kind: ScanKind) -> Context<'a> {
        Context {
            rules,
            kind,
            sarif_category: None,
            sarif_all_rules: false,
            root: Root::AsIs,
            vcs: None,
            stats: Stats::default(),
            suppressed: &[],
            show_suppressed: false,
        }
    }
}

/// Write `findings` in `format`.
pub fn write(
    w: &mut dyn Write,
    format: Format,
    findings: &[Finding],
    style: Style,
    ctx: &Context<'_>,
) -> io::Result<()> {
    if !style.show_secrets {
        // File names, commit data and rule texts may hold keys too.
        let mut r = redact::Redactor::new(ctx.rules);
        let findings = r.findings(findings);
        let suppressed = r.suppressed(ctx.suppressed);
        let mut ctx = ctx.clone();
        ctx.suppressed = &suppressed;
        return write_as_is(w, format, &findings, style, &ctx);
    }
    write_as_is(w, format, findings, style, ctx)
}

fn write_as_is(
    w: &mut dyn Write,
    format: Format,
    findings: &[Finding],
    style: Style,
    ctx: &Context<'_>,
) -> io::Result<()> {
    let shown: &[Suppressed] = if ctx.show_suppressed {
        ctx.suppressed
    } else {
        &[]
    };
    match format {
        Format::Human => {
            human::write(w, findings, style)?;
            human::write_suppressed(w, shown, style)
        }
        Format::Json => json::write_array(w, findings, shown, style),
        Format::Jsonl => json::write_lines(w, findings, shown, style),
        Format::Sarif => sarif::write(w, findings, ctx),
        Format::Markdown => markdown::write(w, findings, ctx),
    }
}
