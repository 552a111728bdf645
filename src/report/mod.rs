//! Reports: one module per output format, each writing the same findings to a writer.
//! Detection never formats; reports never detect.

pub mod human;
pub mod json;
pub mod line_hash;
pub mod markdown;
pub mod redact;
pub mod sarif;

use crate::finding::Finding;
use crate::rules::RuleSet;
use crate::suppress::Suppressed;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
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
pub use crate::source::git::Vcs;

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

/// How a finding's path is turned into a path relative to the repository root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Root {
    /// Paths already are (git history, the index).
    AsIs,
    /// Paths are as given on the command line: made absolute against `cwd` and taken
    /// relative to `dir` (both canonical).
    Dir { dir: PathBuf, cwd: PathBuf },
}

impl Root {
    /// The root for paths given on the command line: the work tree of the git
    /// repository that holds all of them, else the current directory if it holds them,
    /// else their deepest common directory.
    pub fn for_paths(paths: &[PathBuf]) -> Root {
        let cwd = std::env::current_dir()
            .and_then(|d| d.canonicalize())
            .unwrap_or_default();
        let canon: Vec<PathBuf> = paths
            .iter()
            .map(|p| p.canonicalize().unwrap_or_else(|_| normalize(&cwd.join(p))))
            .collect();
        let dirs: Vec<PathBuf> = canon
            .iter()
            .map(|p| {
                if p.is_dir() {
                    p.clone()
                } else {
                    p.parent().map(Path::to_path_buf).unwrap_or_default()
                }
            })
            .collect();
        let first = dirs.first().cloned().unwrap_or_else(|| cwd.clone());
        let work_tree = gix::discover(&first)
            .ok()
            .and_then(|r| r.workdir().map(Path::to_path_buf))
            .and_then(|w| w.canonicalize().ok())
            .filter(|w| canon.iter().all(|p| p.starts_with(w)));
        // Outside git: the current directory when it holds every path (so paths read as
        // the user typed them), else the paths' deepest common folder.
        let under_cwd = !cwd.as_os_str().is_empty() && canon.iter().all(|p| p.starts_with(&cwd));
        let dir = work_tree
            .or(under_cwd.then(|| cwd.clone()))
            .unwrap_or_else(|| {
                dirs.iter().skip(1).fold(first, |acc, d| {
                    acc.ancestors()
                        .find(|a| d.starts_with(a))
                        .map(Path::to_path_buf)
                        .unwrap_or_default()
                })
            });
        Root::Dir { dir, cwd }
    }

    /// `path` relative to the root, with `/` separators and no `./`. A path that is
    /// not under the root keeps its normalised form.
    pub fn relative(&self, path: &str) -> String {
        let rel = match self {
            Root::AsIs => path.to_string(),
            Root::Dir { dir, cwd } => {
                let p = Path::new(path);
                let abs = if p.is_absolute() {
                    p.to_path_buf()
                } else {
                    cwd.join(p)
                };
                // Lexically first (no system call, and a path through a symbolic link
                // inside the repository stays the repository's path), then resolved.
                let lexical = normalize(&abs);
                match lexical.strip_prefix(dir) {
                    Ok(r) => r.to_string_lossy().into_owned(),
                    Err(_) => match abs
                        .canonicalize()
                        .map(|c| c.strip_prefix(dir).map(Path::to_path_buf))
                    {
                        Ok(Ok(r)) => r.to_string_lossy().into_owned(),
                        _ => normalize(p).to_string_lossy().into_owned(),
                    },
                }
            }
        };
        // `\` separates folders only on Windows; elsewhere it is a byte of the name.
        let rel = if cfg!(windows) {
            rel.replace('\\', "/")
        } else {
            rel
        };
        let mut rel = rel.as_str();
        while let Some(r) = rel.strip_prefix("./") {
            rel = r;
        }
        rel.trim_start_matches('/').to_string()
    }
}

/// Resolve `.` and `..` without touching the file system.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_have_no_dot_or_root() {
        let root = Root::Dir {
            dir: PathBuf::from("/r/repo"),
            cwd: PathBuf::from("/r/repo/sub"),
        };
        assert_eq!(root.relative("./a/b.txt"), "sub/a/b.txt");
        assert_eq!(root.relative("../top.env"), "top.env");
        assert_eq!(root.relative("/r/repo/x/y"), "x/y");
        assert_eq!(Root::AsIs.relative("./a"), "a");
    }
}
