//! clap's arguments mapped into each command's options ([`Cli::into_command`]): the one
//! place where the command line meets the commands. Knows both sides; decides nothing.
//!
//! Nothing below the command line may use these conversions.

use super::*;
use crate::audit::report::AuditFormat;
use crate::cmd::{self, Command as Run};
use crate::finding::Confidence;

impl Cli {
    /// The command to run, with its options as plain data.
    pub fn into_command(self) -> Run {
        match self.command {
            Command::AgentHook(a) => Run::AgentHook(cmd::agent_hook::Options {
                agent: a.agent.into(),
            }),
            Command::Agents(a) => Run::Agents(a.into_options()),
            Command::Scan(a) => Run::Scan(cmd::scan::Options {
                paths: a.paths,
                no_ignore: a.no_ignore,
                follow: a.follow,
                max_file_size: a.max_file_size,
                threads: a.threads,
                stdin_name: a.stdin_name,
                filter: a.filter.into(),
                output: a.output.into(),
            }),
            Command::History(a) => Run::History(cmd::history::Options {
                repos: a.repos,
                repos_file: a.repos_file,
                shard: a.shard,
                shards: a.shards,
                list_repos: a.list_repos,
                cache: a.cache,
                cache_dir: a.cache_dir,
                rev: a.rev,
                since: a.since,
                all_objects: a.all_objects,
                each_location: a.each_location,
                recurse_submodules: a.recurse_submodules,
                max_file_size: a.max_file_size,
                threads: a.threads,
                no_progress: a.no_progress,
                allow_partial: a.allow_partial,
                filter: a.filter.into(),
                output: a.output.into(),
            }),
            Command::Staged(a) => Run::Staged(cmd::staged::Options {
                repo: a.repo,
                max_file_size: a.max_file_size,
                allow_partial: a.allow_partial,
                filter: a.filter.into(),
                output: a.output.into(),
            }),
            Command::PrePush(a) => Run::PrePush(cmd::pre_push::Options {
                repo: a.repo,
                from_ref: a.from_ref,
                to_ref: a.to_ref,
                max_file_size: a.max_file_size,
                threads: a.threads,
                allow_partial: a.allow_partial,
                filter: a.filter.into(),
                output: a.output.into(),
            }),
            Command::Audit(a) => Run::Audit(cmd::audit::Options {
                repo: a.repo,
                history: a.history,
                allow_partial: a.allow_partial,
                format: a.format.map(|f| match f {
                    AuditFormatArg::Human => AuditFormat::Human,
                    AuditFormatArg::Markdown => AuditFormat::Markdown,
                    AuditFormatArg::Json => AuditFormat::Json,
                    AuditFormatArg::Sarif => AuditFormat::Sarif,
                }),
                output: a.output,
                fail_on: match a.fail_on {
                    FailOn::Fail => cmd::FailOn::Fail,
                    FailOn::Warn => cmd::FailOn::Warn,
                },
                config: a.config,
                no_config: a.no_config,
                as_of: a.as_of,
                max_file_size: a.max_file_size,
                threads: a.threads,
            }),
            Command::Baseline(BaselineCommand::Create { target, output }) => {
                Run::Baseline(cmd::baseline::Options::Create {
                    target: target.into(),
                    output,
                })
            }
            Command::Baseline(BaselineCommand::Prune { target, baseline }) => {
                Run::Baseline(cmd::baseline::Options::Prune {
                    target: target.into(),
                    baseline,
                })
            }
            Command::Config(ConfigCommand::Show { repo, config }) => {
                Run::ConfigShow(cmd::config::Options { repo, config })
            }
            Command::Hook(HookCommand::Install {
                repo,
                pre_push,
                force,
                agent,
                scope,
            }) => Run::HookInstall(cmd::hook::Options {
                repo,
                pre_push,
                force,
                agents: agent.into_iter().map(Into::into).collect(),
                user_scope: scope == super::agents::Scope::User,
            }),
            Command::Rules(r) => Run::Rules(match r {
                RulesCommand::List { format, config } => cmd::rules::Options::List {
                    format: format.into(),
                    config,
                },
                RulesCommand::Show { id, config } => cmd::rules::Options::Show { id, config },
                RulesCommand::Check {
                    seed,
                    samples,
                    config,
                } => cmd::rules::Options::Check {
                    seed,
                    samples,
                    config,
                },
            }),
            Command::GithubRange(a) => Run::GithubRange((&a).into()),
            Command::Env(EnvCommand::Check(a)) => Run::EnvCheck(a.into()),
            Command::Report(super::report::ReportCommand::Merge(a)) => {
                Run::ReportMerge(cmd::report_merge::Options {
                    files: a.files,
                    output: a.output,
                })
            }
        }
    }
}

impl From<OutputArgs> for cmd::OutputOptions {
    fn from(a: OutputArgs) -> cmd::OutputOptions {
        cmd::OutputOptions {
            format: a.format.into(),
            output: a.output,
            no_redact: a.no_redact,
            color: match a.color {
                ColorChoice::Auto => cmd::ColorChoice::Auto,
                ColorChoice::Always => cmd::ColorChoice::Always,
                ColorChoice::Never => cmd::ColorChoice::Never,
            },
            quiet: a.quiet,
            report: a.report,
            sarif_category: a.sarif_category,
            sarif_all_rules: a.sarif_all_rules,
        }
    }
}

impl From<ConfigArgs> for cmd::ConfigOptions {
    fn from(a: ConfigArgs) -> cmd::ConfigOptions {
        cmd::ConfigOptions {
            config: a.config,
            no_config: a.no_config,
            baseline: a.baseline,
            ignore_file: a.ignore_file,
            show_suppressed: a.show_suppressed,
            min_confidence: a.min_confidence.map(|c| match c {
                ConfidenceArg::Low => Confidence::Low,
                ConfidenceArg::Medium => Confidence::Medium,
                ConfidenceArg::High => Confidence::High,
            }),
        }
    }
}

impl From<BaselineTarget> for cmd::baseline::Target {
    fn from(a: BaselineTarget) -> cmd::baseline::Target {
        cmd::baseline::Target {
            paths: a.paths,
            history: a.history,
            threads: a.threads,
            config: a.config,
            no_config: a.no_config,
        }
    }
}

impl From<ListFormat> for cmd::ListFormat {
    fn from(f: ListFormat) -> cmd::ListFormat {
        match f {
            ListFormat::Human => cmd::ListFormat::Human,
            ListFormat::Json => cmd::ListFormat::Json,
        }
    }
}

impl From<EnvCheckArgs> for crate::envcheck::Options {
    fn from(a: EnvCheckArgs) -> crate::envcheck::Options {
        crate::envcheck::Options {
            env_files: a.env_files,
            process: a.process,
            all: a.all,
            format: match a.format {
                ListFormat::Human => crate::envcheck::Format::Human,
                ListFormat::Json => crate::envcheck::Format::Json,
            },
        }
    }
}
