//! Running the commands: configuration from arguments, a source, the report, and the
//! exit code. Nothing here detects or formats; it wires the stages together.

use crate::cli::{
    AuditArgs, BaselineCommand, BaselineTarget, Cli, ColorChoice, Command, ConfigArgs,
    ConfigCommand, EnvCommand, FailOn, HistoryArgs, HookCommand, ListFormat, OutputArgs,
    PrePushArgs, RulesCommand, ScanArgs, StagedArgs,
};
use crate::finding::Finding;
use crate::hooks::{self, Hook};
use crate::report::{self, Context, Format, Root, ScanKind, Stats, Style};
use crate::rules::{self, template::Rng, RuleSet, Severity};
use crate::session::{self, Session, Sources};
use crate::source::{self, history, worktree, ScanSummary, SkipReason};
use crate::suppress::{Baseline, Entry, Suppressed};
use anyhow::{bail, Context as _, Result};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::exit::{CLEAN as EXIT_CLEAN, ERROR as EXIT_ERROR, FINDINGS as EXIT_FINDINGS};

pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Scan(args) => scan(&args),
        Command::History(args) => history(&args),
        Command::Staged(args) => staged(&args),
        Command::PrePush(args) => pre_push(&args),
        Command::Hook(HookCommand::Install {
            repo,
            pre_push,
            force,
        }) => {
            let mut which = vec![Hook::PreCommit];
            if pre_push {
                which.push(Hook::PrePush);
            }
            for hook in which {
                let done = hooks::install(&repo, hook, force)?;
                if let Some(b) = &done.backup {
                    eprintln!("keyward: kept the previous hook as {}", b.display());
                }
                eprintln!("keyward: installed {}", done.path.display());
            }
            Ok(EXIT_CLEAN)
        }
        Command::Rules(cmd) => rules_command(&cmd),
        Command::GithubRange(args) => crate::github::run_command(&(&args).into()),
        Command::Audit(args) => audit(&args),
        Command::Baseline(cmd) => baseline(&cmd),
        Command::Config(ConfigCommand::Show { repo, config }) => {
            let srcs = Sources {
                config,
                ..Sources::default()
            };
            let root = repo_root(&repo);
            let (config, notes) = session::load_config(&srcs, &root)?;
            // The rules must build and the ids must exist, as for a scan.
            let rules = session::rules_for(&config)?;
            crate::suppress::Filter::new(&config, &rules, None, None)?;
            for n in &notes {
                eprintln!("keyward: note: {}", crate::escape::terminal(n));
            }
            let text = toml::to_string_pretty(&config)
                .context("cannot print the configuration as TOML")?;
            let from = match &config.source {
                Some(p) => format!("# read from {}\n", p.display()),
                None => "# no configuration file: the defaults\n".to_string(),
            };
            crate::output::print(&format!("{from}{text}"), "the configuration")?;
            Ok(EXIT_CLEAN)
        }
        Command::Env(EnvCommand::Check(args)) => crate::envcheck::run(&load_rules()?, &args),
    }
}

/// The findings a baseline command works on, with the root their paths are relative to.
fn baseline_findings(t: &BaselineTarget, baseline: Option<PathBuf>) -> Result<Collected> {
    // `prune` without `--baseline` reads the default one in the current directory:
    // the scanned repository supplies it.
    let baseline_is_default = baseline
        .as_deref()
        .is_some_and(|b| b == Path::new(DEFAULT_BASELINE));
    let srcs = Sources {
        config: t.config.clone(),
        no_config: t.no_config,
        baseline,
        baseline_is_default,
        ignore_file: None,
    };
    let paths = if t.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        t.paths.clone()
    };
    if t.history {
        let [repo] = &paths[..] else {
            bail!("with --history, give one repository");
        };
        let opts = history::HistoryOptions {
            repo: repo.clone(),
            selection: history::Selection::All,
            since: None,
            all_objects: false,
            threads: threads(t.threads),
            max_file_size: 0,
            progress: false,
            recurse_submodules: false,
        };
        Ok(collect_history(opts, None, &srcs)?.0)
    } else {
        collect_worktree(
            &paths,
            "<stdin>",
            (false, false, threads(t.threads), None),
            &srcs,
        )
    }
}

/// The baseline file `baseline create` and `baseline prune` use without `-o`/`--baseline`.
const DEFAULT_BASELINE: &str = ".keyward-baseline";

fn baseline(cmd: &BaselineCommand) -> Result<i32> {
    match cmd {
        BaselineCommand::Create { target, output } => {
            let c = baseline_findings(target, None)?;
            for e in &c.summary.errors {
                eprintln!("keyward: warning: {}", crate::escape::terminal(e));
            }
            let entries: Vec<Entry> = c
                .findings
                .iter()
                .map(|f| Entry::of(f, &c.root.relative(&f.path)))
                .collect();
            let text = Baseline::render(&entries);
            write_baseline(output, &text)?;
            let n = text.lines().filter(|l| !l.starts_with('#')).count();
            eprintln!(
                "keyward: wrote {} with {n} entr{} ({} finding{}); scan with --baseline {} to see only new ones",
                output.display(),
                if n == 1 { "y" } else { "ies" },
                c.findings.len(),
                if c.findings.len() == 1 { "" } else { "s" },
                output.display()
            );
            Ok(EXIT_CLEAN)
        }
        BaselineCommand::Prune { target, baseline } => {
            let c = baseline_findings(target, Some(baseline.clone()))?;
            let before = c
                .session
                .filter
                .baseline
                .as_ref()
                .map_or(0, |b| b.entries.len());
            let unused: std::collections::HashSet<&Entry> =
                c.session.filter.unused_baseline().into_iter().collect();
            let kept: Vec<Entry> = c
                .session
                .filter
                .baseline
                .as_ref()
                .map(|b| {
                    b.entries
                        .iter()
                        .filter(|e| !unused.contains(e))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            let text = Baseline::render(&kept);
            write_baseline(baseline, &text)?;
            eprintln!(
                "keyward: {}: removed {} of {before} entries that matched no finding",
                baseline.display(),
                before - kept.len().min(before)
            );
            Ok(EXIT_CLEAN)
        }
    }
}

fn audit(args: &AuditArgs) -> Result<i32> {
    use crate::audit::{self, report::AuditFormat, Status};
    let today = match &args.as_of {
        Some(d) => audit::parse_date(d)
            .with_context(|| format!("--as-of {d:?} is not a date (use YYYY-MM-DD)"))?,
        None => audit::today(),
    };
    let root = gix::discover(&args.repo)
        .ok()
        .and_then(|r| r.workdir().map(Path::to_path_buf))
        .unwrap_or_else(|| args.repo.clone());
    let config = if args.no_config {
        crate::config::Config::default()
    } else {
        crate::config::Config::load(&root, args.config.as_deref())?
    };
    audit::manual::validate(&config)?;
    let rules = session::rules_for(&config)?;
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
        Some(path) => write_atomically(path, write)?,
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

fn load_rules() -> Result<RuleSet> {
    RuleSet::builtin().context("the built-in rules do not load (this is a bug in keyward)")
}

/// What a scan found, after configuration and suppression.
struct Collected {
    /// `--show-suppressed` was given (the summary then does not suggest it).
    show_suppressed: bool,
    session: Session,
    findings: Vec<Finding>,
    suppressed: Vec<Suppressed>,
    summary: ScanSummary,
    root: Root,
}

fn sources(f: &ConfigArgs) -> Sources {
    Sources {
        config: f.config.clone(),
        no_config: f.no_config,
        baseline: f.baseline.clone(),
        baseline_is_default: false,
        ignore_file: f.ignore_file.clone(),
    }
}

/// Scan files and directories (and standard input once, for `-`).
fn collect_worktree(
    paths_in: &[PathBuf],
    stdin_name: &str,
    opts: (bool, bool, usize, Option<u64>),
    sources: &Sources,
) -> Result<Collected> {
    let (no_ignore, follow, threads, max_file_size) = opts;
    let stdin_count = paths_in.iter().filter(|p| p.as_os_str() == "-").count();
    if stdin_count > 1 {
        bail!("`-` (standard input) can be given only once");
    }
    let mut summary = ScanSummary::default();
    let mut paths: Vec<PathBuf> = Vec::new();
    for p in paths_in.iter().filter(|p| p.as_os_str() != "-") {
        if p.symlink_metadata().is_err() {
            summary
                .errors
                .push(format!("{}: no such file or directory", p.display()));
        } else if let Err(e) = p.metadata() {
            summary
                .errors
                .push(format!("{}: broken symbolic link ({e})", p.display()));
        } else {
            paths.push(p.clone());
        }
    }
    let root = Root::for_paths(&paths);
    let root_dir = match &root {
        Root::Dir { dir, .. } => dir.clone(),
        Root::AsIs => PathBuf::from("."),
    };
    let mut session = Session::load(sources, &root_dir)?;
    let max_file_size = session.max_file_size(max_file_size)?;
    let mut findings = Vec::new();
    if stdin_count == 1 {
        let (f, s) = source::scan_reader(
            &session.rules,
            stdin_name,
            io::stdin().lock(),
            max_file_size,
        )
        .context("cannot read standard input")?;
        findings.extend(f);
        summary.merge(s);
    }
    if !paths.is_empty() {
        let opts = worktree::WalkOptions {
            no_ignore,
            follow,
            max_file_size,
            threads,
        };
        let (f, s) = worktree::scan_paths(&session.rules, &paths, &opts);
        findings.extend(f);
        summary.merge(s);
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    summary.sort();
    let (findings, suppressed) = session.finish(findings, &mut summary, &root);
    Ok(Collected {
        show_suppressed: false,
        session,
        findings,
        suppressed,
        summary,
        root,
    })
}

/// The work tree of the repository at `repo` (where its configuration lives).
fn repo_root(repo: &Path) -> PathBuf {
    gix::discover(repo)
        .ok()
        .and_then(|r| r.workdir().map(Path::to_path_buf))
        .unwrap_or_else(|| repo.to_path_buf())
}

/// Scan the history (or a part of it) of the repository in `opts.repo`.
fn collect_history(
    mut opts: history::HistoryOptions,
    max_file_size: Option<u64>,
    sources: &Sources,
) -> Result<(Collected, history::HistorySummary)> {
    let mut session = Session::load(sources, &repo_root(&opts.repo))?;
    opts.max_file_size = session.max_file_size(max_file_size)?;
    let (findings, mut summary) = history::scan_history(&session.rules, &opts)?;
    let (findings, suppressed) = session.finish(findings, &mut summary.scan, &Root::AsIs);
    let scan = std::mem::take(&mut summary.scan);
    Ok((
        Collected {
            show_suppressed: false,
            session,
            findings,
            suppressed,
            summary: scan,
            root: Root::AsIs,
        },
        summary,
    ))
}

fn scan(args: &ScanArgs) -> Result<i32> {
    let started = Instant::now();
    let mut c = collect_worktree(
        &args.paths,
        &args.stdin_name,
        (
            args.no_ignore,
            args.follow,
            threads(args.threads),
            args.max_file_size,
        ),
        &sources(&args.filter),
    )?;
    c.show_suppressed = args.filter.show_suppressed;
    let mut ctx = context(&c, &args.output, &args.filter, ScanKind::Worktree);
    if wants_context(&args.output) {
        if let Root::Dir { dir, .. } = &c.root {
            ctx.vcs = source::git::provenance(dir, None);
        }
    }
    emit(&args.output, &c.findings, &ctx)?;
    report_summary_with(&args.output, &c, started, None);
    // Standard input over --max-file-size was not scanned: the scan is incomplete.
    let stdin_skipped = args.paths.iter().any(|p| p.as_os_str() == "-")
        && c.summary
            .skipped
            .iter()
            .any(|s| s.path == args.stdin_name && matches!(s.reason, SkipReason::TooLarge(_)));
    Ok(match exit_code(&c.findings, &c.summary) {
        EXIT_CLEAN if stdin_skipped => EXIT_ERROR,
        code => code,
    })
}

/// Whether a report that needs repository-relative paths and provenance was asked for.
fn wants_context(out: &OutputArgs) -> bool {
    std::iter::once(out.format)
        .chain(out.report.iter().map(|(f, _)| *f))
        .any(|f| matches!(f, Format::Sarif | Format::Markdown))
}

/// The report context of a scan (no provenance yet).
fn context<'a>(
    c: &'a Collected,
    out: &OutputArgs,
    filter: &ConfigArgs,
    kind: ScanKind,
) -> Context<'a> {
    let mut ctx = Context::new(&c.session.rules, kind);
    ctx.sarif_category = out.sarif_category.clone();
    ctx.sarif_all_rules = out.sarif_all_rules;
    ctx.root = c.root.clone();
    ctx.suppressed = &c.suppressed;
    ctx.show_suppressed = filter.show_suppressed;
    ctx.stats = Stats {
        scanned: c.summary.files_scanned,
        bytes: c.summary.bytes_scanned,
        commits: None,
        suppressed_inline: c.summary.suppressed_inline,
        errors: c.summary.errors.len(),
        skipped: c.summary.skipped.len(),
    };
    ctx
}

/// The context of a scan of the repository at `repo`, whose paths are repository-relative.
fn repo_context<'a>(
    c: &'a Collected,
    out: &OutputArgs,
    filter: &ConfigArgs,
    kind: ScanKind,
    repo: &Path,
    tip: Option<&str>,
) -> Context<'a> {
    let mut ctx = context(c, out, filter, kind);
    if wants_context(out) {
        ctx.vcs = source::git::provenance(repo, tip);
    }
    ctx
}

/// The revision a `--rev` list ends at: the last revision it includes.
fn rev_tip(spec: &str) -> Option<&str> {
    spec.split_whitespace()
        .rfind(|t| !t.starts_with('^'))
        .map(|t| match t.split_once("..") {
            Some((_, "")) => "HEAD",
            Some((_, b)) => b.trim_start_matches('.'),
            None => t,
        })
}

fn threads(requested: Option<usize>) -> usize {
    requested.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    })
}

fn history(args: &HistoryArgs) -> Result<i32> {
    let started = Instant::now();
    let since = match &args.since {
        None => None,
        Some(s) => {
            let t = gix::date::parse(s, Some(gix::date::Zoned::now())).map_err(|e| {
                anyhow::anyhow!(
                    "--since {s:?} is not a date ({e}); try 2024-01-31 or \"2 weeks ago\""
                )
            })?;
            Some(t.seconds)
        }
    };
    let opts = history::HistoryOptions {
        repo: args.repo.clone(),
        selection: match &args.rev {
            Some(r) => history::Selection::Rev(r.clone()),
            None => history::Selection::All,
        },
        since,
        all_objects: args.all_objects,
        threads: threads(args.threads),
        max_file_size: 0,
        progress: !args.no_progress && !args.output.quiet && io::stderr().is_terminal(),
        recurse_submodules: args.recurse_submodules,
    };
    let (mut c, summary) = collect_history(opts, args.max_file_size, &sources(&args.filter))?;
    c.show_suppressed = args.filter.show_suppressed;
    let kind = if args.rev.is_some() {
        ScanKind::Range
    } else {
        ScanKind::History
    };
    let mut ctx = repo_context(
        &c,
        &args.output,
        &args.filter,
        kind,
        &args.repo,
        args.rev.as_deref().and_then(rev_tip),
    );
    ctx.stats.commits = Some(summary.commits);
    emit(&args.output, &c.findings, &ctx)?;
    let mut err = io::stderr().lock();
    for note in &summary.notes {
        let _ = writeln!(err, "keyward: note: {}", crate::escape::terminal(note));
    }
    drop(err);
    let incomplete = !summary.unreadable.is_empty() || !c.summary.errors.is_empty();
    let mut extra = format!(
        "{} commits, {} trees, {} unique blobs",
        summary.commits, summary.trees, summary.blobs
    );
    if incomplete {
        extra.push_str(&coverage(&c.summary, &summary));
    } else if summary.empty && summary.blobs == 0 {
        extra.push_str(" (the repository has no commits yet: nothing to scan)");
    }
    report_summary_with(&args.output, &c, started, Some(&extra));
    Ok(partial_exit(&c.findings, incomplete, args.allow_partial))
}

/// How much of a history scan was covered, when something could not be read.
fn coverage(scan: &ScanSummary, summary: &history::HistorySummary) -> String {
    let covered = scan.files_scanned + scan.binary_skipped + scan.skipped.len() as u64;
    let mut s = format!(
        " (incomplete: read {covered} of the {} blobs found",
        summary.blobs
    );
    if !summary.unreadable.is_empty() {
        s.push_str(&format!(
            "; could not read {}",
            summary.unreadable.describe()
        ));
    }
    if !summary.unreadable.trees.is_empty() || !summary.unreadable.commits.is_empty() {
        s.push_str("; the blobs under unreadable trees and commits are unknown and not counted");
    }
    if !summary.unreadable.refs.is_empty() {
        s.push_str("; what unreadable refs reach is unknown");
    }
    s.push(')');
    s
}

/// The exit code of a repository scan: an incomplete one is an error (exit 2, with what
/// to do) unless `--allow-partial` accepts it; then the findings decide.
fn partial_exit(findings: &[Finding], incomplete: bool, allow_partial: bool) -> i32 {
    if incomplete && !allow_partial {
        eprintln!(
            "keyward: error: the scan is incomplete: some objects could not be read (listed above). \
             Repair the repository (`git fsck` names the damage; a fresh clone or fetch replaces \
             corrupt or missing objects), or accept a partial scan with --allow-partial."
        );
        EXIT_ERROR
    } else if !findings.is_empty() {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

fn staged(args: &StagedArgs) -> Result<i32> {
    let started = Instant::now();
    let srcs = sources(&args.filter);
    let mut session = Session::load(&srcs, &repo_root(&args.repo))?;
    let max = session.max_file_size(args.max_file_size)?;
    let (findings, mut summary) = source::staged::scan_staged(&session.rules, &args.repo, max)?;
    let (findings, suppressed) = session.finish(findings, &mut summary, &Root::AsIs);
    let c = Collected {
        show_suppressed: args.filter.show_suppressed,
        session,
        findings,
        suppressed,
        summary,
        root: Root::AsIs,
    };
    let ctx = repo_context(
        &c,
        &args.output,
        &args.filter,
        ScanKind::Staged,
        &args.repo,
        None,
    );
    finish_hook(
        &args.output,
        &c,
        &ctx,
        started,
        "commit",
        args.allow_partial,
    )
}

/// Report for a hook: nothing at all when clean; the findings, the summary and what to
/// do when not.
fn finish_hook(
    out: &OutputArgs,
    c: &Collected,
    ctx: &Context<'_>,
    started: Instant,
    what: &str,
    allow_partial: bool,
) -> Result<i32> {
    if c.findings.is_empty()
        && c.summary.errors.is_empty()
        && out.output.is_none()
        && out.report.is_empty()
        && out.format == Format::Human
        && (!ctx.show_suppressed || c.suppressed.is_empty())
    {
        return Ok(EXIT_CLEAN);
    }
    emit(out, &c.findings, ctx)?;
    report_summary_with(out, c, started, None);
    if !c.findings.is_empty() {
        eprintln!(
            "keyward: {what} blocked. Take the secrets out (and revoke any real key: it may already \
             be in a log or a cache); for a reviewed false positive, add a `keyward:allow` comment on its line."
        );
    }
    Ok(partial_exit(
        &c.findings,
        !c.summary.errors.is_empty(),
        allow_partial,
    ))
}

fn pre_push(args: &PrePushArgs) -> Result<i32> {
    let started = Instant::now();
    // The repository first: a wrong --repo is an error even when nothing is pushed.
    source::git::open(&args.repo)?;
    let from = args
        .from_ref
        .clone()
        .or_else(|| std::env::var("PRE_COMMIT_FROM_REF").ok());
    let to = args
        .to_ref
        .clone()
        .or_else(|| std::env::var("PRE_COMMIT_TO_REF").ok());
    let ranges = match (from, to) {
        (Some(f), Some(t)) if !f.is_empty() && !t.is_empty() => vec![(Some(f), t)],
        _ => {
            if io::stdin().is_terminal() {
                bail!("pre-push reads git's pre-push hook input on standard input (or give --from-ref and --to-ref)");
            }
            let mut input = String::new();
            io::Read::read_to_string(&mut io::stdin(), &mut input)
                .context("cannot read standard input")?;
            parse_push_lines(&input)?
        }
    };
    if ranges.is_empty() {
        return Ok(EXIT_CLEAN);
    }
    let opts = history::HistoryOptions {
        repo: args.repo.clone(),
        selection: history::Selection::Ranges(ranges),
        since: None,
        all_objects: false,
        threads: threads(args.threads),
        max_file_size: 0,
        progress: false,
        recurse_submodules: false,
    };
    let (mut c, summary) = collect_history(opts, args.max_file_size, &sources(&args.filter))?;
    c.show_suppressed = args.filter.show_suppressed;
    // What could not be read makes the push check incomplete (and is listed).
    if !summary.unreadable.is_empty() {
        c.summary
            .errors
            .push(format!("could not read {}", summary.unreadable.describe()));
    }
    let mut ctx = repo_context(
        &c,
        &args.output,
        &args.filter,
        ScanKind::Range,
        &args.repo,
        None,
    );
    ctx.stats.commits = Some(summary.commits);
    finish_hook(&args.output, &c, &ctx, started, "push", args.allow_partial)
}

/// Parse git's pre-push input: `<local ref> <local sha> <remote ref> <remote sha>` per
/// line. A deleted branch (local sha all zeros) pushes nothing; a new branch (remote
/// sha all zeros) pushes what no remote-tracking ref has.
pub fn parse_push_lines(input: &str) -> Result<Vec<(Option<String>, String)>> {
    let zero = |s: &str| s.bytes().all(|b| b == b'0');
    let mut ranges = Vec::new();
    for (n, line) in input.lines().enumerate() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.is_empty() {
            continue;
        }
        let [_, local, _, remote] = fields[..] else {
            bail!(
                "pre-push input line {}: expected 4 fields, got {:?}",
                n + 1,
                line
            );
        };
        if zero(local) {
            continue;
        }
        ranges.push((
            (!zero(remote)).then(|| remote.to_string()),
            local.to_string(),
        ));
    }
    Ok(ranges)
}

fn exit_code(findings: &[Finding], summary: &ScanSummary) -> i32 {
    if !findings.is_empty() {
        EXIT_FINDINGS
    } else if !summary.errors.is_empty() {
        EXIT_ERROR
    } else {
        EXIT_CLEAN
    }
}

/// Write the findings where the user asked, and every `--report`; a closed pipe is not
/// an error.
fn emit(out: &OutputArgs, findings: &[Finding], ctx: &Context<'_>) -> Result<()> {
    let color = match out.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            out.output.is_none()
                && out.format == Format::Human
                && io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let style = Style {
        show_secrets: out.no_redact,
        color,
    };
    let sarif = out.format == Format::Sarif || out.report.iter().any(|(f, _)| *f == Format::Sarif);
    if sarif && findings.len() > report::sarif::MAX_RESULTS {
        eprintln!(
            "keyward: warning: the SARIF report holds the {} most severe of {} findings (GitHub accepts at most {} per run); use --format json for all of them",
            report::sarif::MAX_RESULTS,
            findings.len(),
            report::sarif::MAX_RESULTS
        );
    }
    for (format, path) in &out.report {
        let style = Style {
            color: false,
            ..style
        };
        write_atomically(path, |w| report::write(w, *format, findings, style, ctx))?;
    }
    match &out.output {
        Some(path) => {
            write_atomically(path, |w| report::write(w, out.format, findings, style, ctx))
        }
        None => {
            let mut w = crate::output::stdout();
            report::write(&mut w, out.format, findings, style, ctx)
                .and_then(|()| w.flush())
                .context("cannot write the findings to standard output")
        }
    }
}

/// Write a file the user named atomically (see [`crate::output`]).
pub fn write_atomically(
    path: &Path,
    body: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    crate::output::write_file(path, body)
}

/// Write the baseline file: a path the user named as asked, the default one only as a
/// regular file inside the repository (or folder) it is in.
fn write_baseline(path: &Path, text: &str) -> Result<()> {
    let body = |w: &mut dyn Write| w.write_all(text.as_bytes());
    if path == Path::new(DEFAULT_BASELINE) {
        let root = repo_root(Path::new("."));
        crate::output::write(path, crate::output::Place::Inside(&root), None, body)
    } else {
        write_atomically(path, body)
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = bytes as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{bytes} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// Warnings always; the summary unless `--quiet`. Everything goes to standard error.
fn report_summary_with(out: &OutputArgs, c: &Collected, started: Instant, walked: Option<&str>) {
    let (findings, summary) = (&c.findings, &c.summary);
    let mut err = io::stderr().lock();
    // Warnings name paths and entries from the repository: escaped for the terminal.
    let shown = crate::escape::terminal;
    for w in c.session.warnings() {
        let _ = writeln!(err, "keyward: warning: {}", shown(&w));
    }
    for e in &summary.errors {
        let _ = writeln!(err, "keyward: warning: {}", shown(e));
    }
    for s in &summary.skipped {
        let why = match &s.reason {
            SkipReason::TooLarge(n) => {
                format!("skipped, larger than --max-file-size ({})", human_size(*n))
            }
            SkipReason::NotRegular(kind) => format!("skipped, {kind}"),
        };
        let _ = writeln!(err, "keyward: warning: {}: {why}", shown(&s.path));
    }
    if out.quiet {
        return;
    }
    let mut by_severity: Vec<String> = Vec::new();
    for sev in [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ] {
        let n = findings.iter().filter(|f| f.severity == sev).count();
        if n > 0 {
            by_severity.push(format!("{n} {sev}"));
        }
    }
    let mut files: Vec<&str> = findings.iter().map(|f| f.path.as_str()).collect();
    files.dedup();
    let mut line = if findings.is_empty() && !summary.errors.is_empty() {
        "no secrets found in what could be read".to_string()
    } else if findings.is_empty() {
        "no secrets found".to_string()
    } else {
        format!(
            "{} ({}) in {}",
            plural(findings.len() as u64, "finding", "findings"),
            by_severity.join(", "),
            plural(files.len() as u64, "file", "files")
        )
    };
    if let Some(walked) = walked {
        line.push_str(&format!("; walked {walked}"));
    }
    line.push_str(&format!(
        "; scanned {} ({}) in {:.2}s",
        plural(
            summary.files_scanned,
            if walked.is_some() { "blob" } else { "file" },
            if walked.is_some() { "blobs" } else { "files" }
        ),
        human_size(summary.bytes_scanned),
        started.elapsed().as_secs_f64()
    ));
    let mut skipped: Vec<String> = Vec::new();
    if summary.binary_skipped > 0 {
        skipped.push(format!("{} binary", summary.binary_skipped));
    }
    let large = summary
        .skipped
        .iter()
        .filter(|s| matches!(s.reason, SkipReason::TooLarge(_)))
        .count();
    if large > 0 {
        skipped.push(format!("{large} too large"));
    }
    let special = summary.skipped.len() - large;
    if special > 0 {
        skipped.push(format!("{special} not regular files"));
    }
    if summary.symlinks_skipped > 0 {
        skipped.push(format!(
            "{} (use --follow)",
            plural(summary.symlinks_skipped, "symbolic link", "symbolic links")
        ));
    }
    if !skipped.is_empty() {
        line.push_str(&format!("; skipped {}", skipped.join(", ")));
    }
    if !c.suppressed.is_empty() {
        line.push_str(&format!(
            "; {} suppressed ({}{})",
            c.suppressed.len(),
            session::describe_suppressed(&c.suppressed, &c.session.config),
            if !c.show_suppressed {
                "; --show-suppressed lists them"
            } else {
                ""
            }
        ));
    }
    if !summary.errors.is_empty() {
        line.push_str(&format!(
            "; {}",
            plural(summary.errors.len() as u64, "error", "errors")
        ));
    }
    let _ = writeln!(err, "keyward: {line}");
}

/// The rules with a configuration's custom rules (or the built-in ones alone).
fn rules_with_config(config: Option<&Path>) -> Result<RuleSet> {
    match config {
        None => load_rules(),
        Some(path) => {
            let srcs = Sources {
                config: Some(path.to_path_buf()),
                ..Sources::default()
            };
            let (config, notes) = session::load_config(&srcs, Path::new("."))?;
            for n in notes {
                eprintln!("keyward: note: {}", crate::escape::terminal(&n));
            }
            session::rules_for(&config)
        }
    }
}

fn rules_command(cmd: &RulesCommand) -> Result<i32> {
    let mut out = crate::output::stdout();
    let result = match cmd {
        RulesCommand::List { format, config } => {
            let set = rules_with_config(config.as_deref())?;
            list_rules(&mut out, &set, *format)
        }
        RulesCommand::Show { id, config } => {
            let set = rules_with_config(config.as_deref())?;
            let code = show_rule(&mut out, &set, id)?;
            out.flush()
                .context("cannot write the rule to standard output")?;
            return Ok(code);
        }
        RulesCommand::Check { seed, config } => {
            let set = match config {
                // Only the custom rules: the built-in ones have their own check.
                Some(path) => {
                    let srcs = Sources {
                        config: Some(path.clone()),
                        ..Sources::default()
                    };
                    let (mut config, notes) = session::load_config(&srcs, Path::new("."))?;
                    for n in notes {
                        eprintln!("keyward: note: {}", crate::escape::terminal(&n));
                    }
                    if config.rule.is_empty() {
                        bail!("{}: no [[rule]] to check", path.display());
                    }
                    config.rules.builtin = false;
                    session::rules_for(&config)?
                }
                None => load_rules()?,
            };
            let seed = seed.unwrap_or_else(|| Rng::from_entropy().next_u64());
            let report = rules::check_rules(&set, &mut Rng::new(seed));
            let mut text = String::new();
            for p in &report.problems {
                text.push_str(&format!("problem: {p}\n"));
            }
            text.push_str(&format!(
                "{} rules, {} examples, {} negative examples checked (seed {seed}): {}\n",
                report.rules,
                report.examples,
                report.negatives,
                if report.ok() {
                    "ok".to_string()
                } else {
                    format!("{} problems", report.problems.len())
                }
            ));
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .context("cannot write the check's results to standard output")?;
            return Ok(if report.ok() {
                EXIT_CLEAN
            } else {
                EXIT_FINDINGS
            });
        }
    };
    result
        .and_then(|()| out.flush())
        .context("cannot write the rules to standard output")?;
    Ok(EXIT_CLEAN)
}

fn list_rules(out: &mut dyn Write, set: &RuleSet, format: ListFormat) -> io::Result<()> {
    if format == ListFormat::Json {
        let items: Vec<serde_json::Value> = set
            .rules
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.spec.id,
                    "name": r.spec.name,
                    "provider": r.spec.provider,
                    "severity": r.spec.severity,
                    "precision": r.spec.precision,
                    "keywords": r.spec.keywords,
                    "env_vars": r.spec.env_vars,
                    "revoke_url": r.spec.revoke_url,
                    "rotation_days": r.spec.rotation_days,
                    "variants": r.variants.iter().map(|v| serde_json::json!({
                        "id": v.id, "name": v.name, "provider": v.provider,
                        "severity": v.severity, "env_vars": v.env_vars,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &items)?;
        return writeln!(out);
    }
    // Custom rules come from configuration that may be a repository's: escaped.
    let t = crate::escape::terminal;
    let width = set.rules.iter().map(|r| r.spec.id.len()).max().unwrap_or(2);
    let pwidth = set
        .rules
        .iter()
        .map(|r| r.spec.provider.len())
        .max()
        .unwrap_or(8);
    writeln!(
        out,
        "{:<width$}  {:<pwidth$}  {:<8}  KEYWORDS",
        "ID", "PROVIDER", "SEVERITY"
    )?;
    for r in &set.rules {
        writeln!(
            out,
            "{:<width$}  {:<pwidth$}  {:<8}  {}",
            r.spec.id,
            t(&r.spec.provider),
            r.spec.severity.as_str(),
            t(&r.spec.keywords.join(", "))
        )?;
        for v in &r.variants {
            writeln!(
                out,
                "{:<width$}  {:<pwidth$}  {:<8}  (variant of {}; context: {})",
                format!("  {}", t(&v.id)),
                t(&v.provider),
                v.severity.as_str(),
                r.spec.id,
                t(&v.context
                    .iter()
                    .map(|c| String::from_utf8_lossy(c))
                    .collect::<Vec<_>>()
                    .join(", "))
            )?;
        }
    }
    writeln!(out, "{} rules", set.len())
}

fn show_rule(out: &mut dyn Write, set: &RuleSet, id: &str) -> Result<i32> {
    let found = set
        .rules
        .iter()
        .find(|r| r.spec.id == id || r.variants.iter().any(|v| v.id == id));
    let Some(rule) = found else {
        bail!("no rule has the id {id:?} (see `keyward rules list`)");
    };
    let s = &rule.spec;
    let mut text = format!(
        "{} — {}\n  provider:   {}\n  severity:   {}\n  precision:  {}\n  file:       rules/{}\n",
        s.id,
        s.name,
        s.provider,
        s.severity,
        s.precision.as_str(),
        rule.file
    );
    if !s.description.is_empty() {
        text.push_str(&format!("  about:      {}\n", s.description.trim()));
    }
    text.push_str(&format!("  keywords:   {}\n", s.keywords.join(", ")));
    text.push_str(&format!("  pattern:    {}\n", rule.pattern()));
    if let Some(e) = s.entropy {
        text.push_str(&format!("  entropy:    at least {e} bits per character\n"));
    }
    if let Some(c) = s.checksum {
        text.push_str(&format!("  checksum:   {c:?}\n"));
    }
    if !s.env_vars.is_empty() {
        text.push_str(&format!("  env vars:   {}\n", s.env_vars.join(", ")));
    }
    text.push_str(&format!(
        "  revoke at:  {}\n  rotate:     every {} days\n",
        s.revoke_url, s.rotation_days
    ));
    for v in &rule.variants {
        text.push_str(&format!(
            "  variant {} ({}): context {}; revoke at {}\n",
            v.id,
            v.provider,
            v.context
                .iter()
                .map(|c| String::from_utf8_lossy(c))
                .collect::<Vec<_>>()
                .join(", "),
            v.revoke_url
        ));
    }
    if let Some(k) = &s.key {
        text.push_str(&format!("  key shape:  {k}\n"));
    }
    for e in &s.examples {
        text.push_str(&format!("  example:    {e}\n"));
    }
    for n in &s.negative_examples {
        text.push_str(&format!("  not a key:  {n}\n"));
    }
    out.write_all(text.as_bytes())
        .context("cannot write the rule to standard output")?;
    Ok(EXIT_CLEAN)
}
