//! The command line: clap's types, and their mapping into each command's options
//! ([`Cli::into_command`]). Nothing else in keyward knows clap; nothing here runs
//! anything.

use crate::config::parse_size;
use crate::report::Format;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

pub mod agents;
mod github;
mod map;
pub use github::{GithubMode, GithubRangeArgs};
pub mod report;

/// `--shard I/N`.
fn parse_shard(s: &str) -> Result<crate::cmd::repo_list::Shard, String> {
    crate::cmd::repo_list::Shard::parse(s).map_err(|e| format!("{e:#}"))
}

/// Find leaked API keys and credentials (OpenAI, Anthropic, Gemini, AWS, GitHub, …).
#[derive(Debug, Parser)]
#[command(name = "keyward", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and directories (or `-` for standard input) for secrets.
    Scan(ScanArgs),
    /// Scan every blob in a repository's history (all refs, a range, or recent commits).
    History(HistoryArgs),
    /// Scan the staged changes (the index against HEAD): the pre-commit check.
    Staged(StagedArgs),
    /// Scan the commits being pushed (git's pre-push hook input on standard input).
    PrePush(PrePushArgs),
    /// Audit how the repository handles its secrets: a compliance checklist.
    Audit(AuditArgs),
    /// Record reviewed findings, so later scans report only new ones.
    #[command(subcommand)]
    Baseline(BaselineCommand),
    /// Show the effective configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Install git hooks that run keyward.
    #[command(subcommand)]
    Hook(HookCommand),
    /// List, show and check the detection rules.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Print what a GitHub Actions event asks to scan, for $GITHUB_OUTPUT (used by action.yml).
    GithubRange(GithubRangeArgs),
    /// Check the keys configured in the environment or in .env files (never printed).
    #[command(subcommand)]
    Env(EnvCommand),
    /// A coding agent's hook: read its payload on standard input, block a key.
    AgentHook(agents::AgentHookArgs),
    /// Scan coding agents' configurations and session transcripts for keys.
    Agents(agents::AgentsArgs),
    /// Work with written reports: merge the reports of shards into one.
    #[command(subcommand)]
    Report(report::ReportCommand),
}

/// An output format, as the command line names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
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

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Human => Format::Human,
            FormatArg::Json => Format::Json,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Sarif => Format::Sarif,
            FormatArg::Markdown => Format::Markdown,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// How and where results are written.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    /// Write results to FILE instead of standard output (written atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print whole secrets instead of a redacted prefix.
    #[arg(long)]
    pub no_redact: bool,
    /// When to colour human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Print no summary on standard error (warnings still are).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Also write the results in FORMAT to FILE (repeatable), e.g.
    /// `--report sarif:keyward.sarif --report markdown:summary.md`.
    #[arg(long, value_name = "FORMAT:FILE", value_parser = parse_report)]
    pub report: Vec<(Format, PathBuf)>,
    /// SARIF: the category (`automationDetails.id`) instead of `keyward/<kind>/`, where
    /// kind is worktree, history, range or staged.
    #[arg(long, value_name = "CATEGORY")]
    pub sarif_category: Option<String>,
    /// SARIF: describe every rule, not only those with results.
    #[arg(long)]
    pub sarif_all_rules: bool,
}

/// Parse `--report FORMAT:FILE`.
pub fn parse_report(s: &str) -> Result<(Format, PathBuf), String> {
    let (format, file) = s
        .split_once(':')
        .ok_or_else(|| format!("{s:?}: expected FORMAT:FILE, e.g. sarif:keyward.sarif"))?;
    let format = <FormatArg as ValueEnum>::from_str(format, true).map_err(|_| {
        format!("{format:?} is not a format (use human, json, jsonl, sarif or markdown)")
    })?;
    if file.is_empty() {
        return Err(format!("{s:?}: the file name is missing"));
    }
    Ok((format.into(), PathBuf::from(file)))
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files and directories to scan; `-` reads standard input.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Also scan files that .gitignore, .ignore and git's excludes would skip.
    #[arg(long)]
    pub no_ignore: bool,
    /// Follow symbolic links inside directories.
    #[arg(long, short = 'L')]
    pub follow: bool,
    /// Skip (and list) files larger than this: bytes, or with K, M or G (powers of 1024)
    /// [default: the configuration's, else 50M].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_file_size: Option<u64>,
    /// Worker threads (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    /// The path to report for standard input.
    #[arg(long, value_name = "NAME", default_value = "<stdin>")]
    pub stdin_name: String,
    #[command(flatten)]
    pub filter: ConfigArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// How sure a finding is, as the command line names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConfidenceArg {
    /// Generic rules: a random-looking value assigned to a secret-looking name.
    Low,
    /// Attributed by context (a look-alike format named by its variable, a connection
    /// string).
    Medium,
    /// A checksum or a format no other text has.
    High,
}

/// Configuration and suppression.
#[derive(Debug, Args, Clone, Default)]
pub struct ConfigArgs {
    /// The configuration (default: keyward.toml or .keyward.toml at the repository
    /// root); a gitleaks configuration is accepted and translated.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any configuration file.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Report only findings that are not in this baseline (see `keyward baseline create`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// The ignore file of fingerprints (default: .keywardignore at the repository root).
    #[arg(long, value_name = "FILE")]
    pub ignore_file: Option<PathBuf>,
    /// Also list the findings that were suppressed, and why.
    #[arg(long)]
    pub show_suppressed: bool,
    /// Report only findings of this confidence or more: `high` (a checksum or a unique
    /// format), `medium` (attributed by context), `low` (generic rules)
    /// [default: low for scan and history, medium for staged and pre-push].
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub min_confidence: Option<ConfidenceArg>,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Work trees, `.git` directories or bare repositories (default: the current one).
    #[arg(value_name = "REPO")]
    pub repos: Vec<PathBuf>,
    /// Also scan the repositories listed in FILE (one path a line, `#` comments).
    #[arg(long = "repos", value_name = "FILE")]
    pub repos_file: Option<PathBuf>,
    /// Scan only shard I of N of the repositories (1 ≤ I ≤ N; by a hash of each path).
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<crate::cmd::repo_list::Shard>,
    /// Scan the shard of N that `JOB_COMPLETION_INDEX` (from 0) names: a Kubernetes
    /// Indexed Job with N completions.
    #[arg(long, value_name = "N")]
    pub shards: Option<u32>,
    /// Print the repositories this run would scan (after the shard); scan nothing.
    #[arg(long)]
    pub list_repos: bool,
    /// Remember what was scanned in FILE, and read only new blobs on the next scan.
    #[arg(long, value_name = "FILE")]
    pub cache: Option<PathBuf>,
    /// Keep one cache file per repository in DIR [default: $KEYWARD_CACHE_DIR, if set].
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Only the commits of a range: `A..B` (reachable from B, not from A), `B`, or a
    /// list like `B ^X ^Y` (reachable from B, not from X or Y).
    #[arg(long, value_name = "RANGE")]
    pub rev: Option<String>,
    /// Only commits at or after DATE (`2024-01-31`, `2 weeks ago`, an ISO 8601 time).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Also scan what no ref reaches: dangling commits (amended, reset, reflog entries,
    /// dropped stashes), with their provenance, and blobs no commit carries.
    #[arg(long)]
    pub all_objects: bool,
    /// One finding per path a secret was found at, instead of one per secret with its
    /// other locations listed.
    #[arg(long)]
    pub each_location: bool,
    /// Also scan the history of each submodule checked out in the work tree.
    #[arg(long)]
    pub recurse_submodules: bool,
    /// Skip (and list) blobs larger than this: bytes, or with K, M or G
    /// [default: the configuration's, else 50M].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_file_size: Option<u64>,
    /// Worker threads (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    /// Never show a progress bar (it is only shown on a terminal anyway).
    #[arg(long)]
    pub no_progress: bool,
    /// Accept an incomplete scan (objects that cannot be read, blobs missing from a
    /// partial clone): exit 0 or 1 by the findings instead of 2. What could not be read
    /// is listed either way.
    #[arg(long)]
    pub allow_partial: bool,
    #[command(flatten)]
    pub filter: ConfigArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct StagedArgs {
    /// The repository (default: the current directory).
    #[arg(value_name = "REPO", default_value = ".")]
    pub repo: PathBuf,
    /// Skip (and list) staged files larger than this: bytes, or with K, M or G
    /// [default: the configuration's, else 50M].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_file_size: Option<u64>,
    /// Accept an incomplete scan (objects that cannot be read, blobs missing from a
    /// partial clone): exit 0 or 1 by the findings instead of 2. What could not be read
    /// is listed either way.
    #[arg(long)]
    pub allow_partial: bool,
    #[command(flatten)]
    pub filter: ConfigArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct PrePushArgs {
    /// The repository (default: the current directory).
    #[arg(long, value_name = "REPO", default_value = ".")]
    pub repo: PathBuf,
    /// Scan FROM..TO instead of reading standard input (default: the
    /// PRE_COMMIT_FROM_REF environment variable, as the pre-commit framework sets it).
    #[arg(long, value_name = "FROM", requires = "to_ref")]
    pub from_ref: Option<String>,
    /// The end of the range (default: PRE_COMMIT_TO_REF).
    #[arg(long, value_name = "TO", requires = "from_ref")]
    pub to_ref: Option<String>,
    /// The remote's name and URL, as git passes them to the hook (not used).
    #[arg(value_name = "REMOTE", num_args = 0..=2)]
    pub remote: Vec<String>,
    /// Skip (and list) blobs larger than this [default: the configuration's, else 50M].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_file_size: Option<u64>,
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    /// Accept an incomplete scan (objects that cannot be read, blobs missing from a
    /// partial clone): exit 0 or 1 by the findings instead of 2. What could not be read
    /// is listed either way.
    #[arg(long)]
    pub allow_partial: bool,
    #[command(flatten)]
    pub filter: ConfigArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The repository (default: the current directory).
    #[arg(value_name = "REPO", default_value = ".")]
    pub repo: PathBuf,
    /// Also scan every commit and list secret files ever committed.
    #[arg(long)]
    pub history: bool,
    /// With --history: accept a history scan that could not read every object (exit 2
    /// otherwise).
    #[arg(long, requires = "history")]
    pub allow_partial: bool,
    /// `human` (default on a terminal), `markdown` (default otherwise), `json` or `sarif`.
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<AuditFormatArg>,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 on failed checks (`fail`, the default) or on warnings too (`warn`).
    #[arg(long, value_enum, default_value_t = FailOn::Fail, value_name = "LEVEL")]
    pub fail_on: FailOn,
    /// The configuration file (default: keyward.toml or .keyward.toml at the root).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore any configuration file.
    #[arg(long)]
    pub no_config: bool,
    /// Audit as of DATE (YYYY-MM-DD) instead of today: rotation and attestations.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Skip files larger than this in the key scans: bytes, or with K, M or G.
    #[arg(long, value_name = "SIZE", default_value = "50M", value_parser = parse_size)]
    pub max_file_size: u64,
    /// Worker threads (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
}

/// How `keyward audit` writes its checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormatArg {
    /// Plain text for a terminal.
    Human,
    /// A Markdown checklist.
    Markdown,
    /// One JSON object.
    Json,
    /// SARIF 2.1.0: failed and warned automated checks as results.
    Sarif,
}

/// Which checklist statuses make `keyward audit` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Fail,
    Warn,
}

/// What a baseline command scans.
#[derive(Debug, Args)]
pub struct BaselineTarget {
    /// Files and directories (or, with --history, the repository) [default: .].
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Scan every commit of the repository instead of the files on disk.
    #[arg(long)]
    pub history: bool,
    /// Worker threads (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    /// The configuration (default: keyward.toml or .keyward.toml at the root).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any configuration file.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
}

#[derive(Debug, Subcommand)]
pub enum BaselineCommand {
    /// Write the current findings to a baseline file (sorted, one per line).
    Create {
        #[command(flatten)]
        target: BaselineTarget,
        /// The baseline file to write.
        #[arg(
            long,
            short = 'o',
            value_name = "FILE",
            default_value = ".keyward-baseline"
        )]
        output: PathBuf,
    },
    /// Remove the entries of a baseline that match no current finding.
    Prune {
        #[command(flatten)]
        target: BaselineTarget,
        /// The baseline file to prune (rewritten in place).
        #[arg(long, value_name = "FILE", default_value = ".keyward-baseline")]
        baseline: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the effective configuration (defaults filled in) as TOML.
    Show {
        /// The repository whose keyward.toml is read (default: the current directory).
        #[arg(value_name = "REPO", default_value = ".")]
        repo: PathBuf,
        /// The configuration file (a gitleaks configuration is translated).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum HookCommand {
    /// Write .git/hooks/pre-commit (and with --pre-push, pre-push) to run keyward.
    Install {
        /// The repository (default: the current directory).
        #[arg(value_name = "REPO", default_value = ".")]
        repo: PathBuf,
        /// Also install the pre-push hook.
        #[arg(long)]
        pre_push: bool,
        /// Replace hooks keyward did not write (they are kept as *.keyward-backup).
        #[arg(long)]
        force: bool,
        /// Install a coding agent's hooks (repeatable) instead of git's: `keyward
        /// agent-hook` then checks its prompts, shell commands and file writes.
        #[arg(long, value_enum, value_name = "AGENT")]
        agent: Vec<agents::AgentArg>,
        /// With --agent: the project's configuration (REPO) or the user's (home directory).
        #[arg(long, value_enum, default_value_t = agents::Scope::Project, requires = "agent")]
        scope: agents::Scope,
    },
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List every rule: id, provider, severity, keywords.
    List {
        /// `human` (a table) or `json`.
        #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
        /// Include the custom rules of this configuration.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Show one rule in full: pattern, keywords, variants, examples, remediation.
    Show {
        /// The rule (or variant) id.
        id: String,
        /// Include the custom rules of this configuration.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Verify the rules: examples found, negatives quiet, keywords present.
    Check {
        /// Seed for the random keys built from the example templates.
        #[arg(long)]
        seed: Option<u64>,
        /// Also feed N random keys of every rule (each in one of its examples, never
        /// drawn again for looking like a placeholder) and require all to be found with
        /// their rule and provider.
        #[arg(long, value_name = "N")]
        samples: Option<usize>,
        /// Check the custom rules of this configuration (instead of the built-in ones).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum EnvCommand {
    /// Validate the format of the keys set for known variable names (OPENAI_API_KEY,
    /// ANTHROPIC_API_KEY, …): configured or not, well-formed, length, and another
    /// provider's key in the wrong variable. Values are never printed.
    Check(EnvCheckArgs),
}

#[derive(Debug, Args)]
pub struct EnvCheckArgs {
    /// Check this dotenv file instead of the process environment (repeatable).
    #[arg(long = "env-file", value_name = "FILE")]
    pub env_files: Vec<PathBuf>,
    /// Also check the process environment when --env-file is given (it is checked
    /// by default when no --env-file is).
    #[arg(long)]
    pub process: bool,
    /// Also list the known variable names that are not set.
    #[arg(long)]
    pub all: bool,
    /// `human` (a table) or `json`.
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

#[cfg(test)]
mod tests {
    #[test]
    fn reports() {
        use super::{parse_report, Format};
        assert_eq!(
            parse_report("sarif:out/k.sarif"),
            Ok((Format::Sarif, "out/k.sarif".into()))
        );
        assert_eq!(
            parse_report("Markdown:C:/x.md"),
            Ok((Format::Markdown, "C:/x.md".into()))
        );
        assert!(parse_report("yaml:x").is_err());
        assert!(parse_report("sarif:").is_err());
        assert!(parse_report("x.sarif").is_err());
    }
}
