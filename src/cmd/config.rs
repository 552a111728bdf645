//! `keyward config show`: the effective configuration, defaults filled in, as TOML.

use super::collect::repo_root;
use crate::exit::CLEAN as EXIT_CLEAN;
use crate::session::{self, Sources};
use anyhow::{Context as _, Result};
use std::path::PathBuf;

/// What `keyward config show` is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The repository whose `keyward.toml` is read.
    pub repo: PathBuf,
    /// `--config`: this file instead.
    pub config: Option<PathBuf>,
}

/// Print the configuration the other commands would use.
pub fn run(args: &Options) -> Result<i32> {
    let srcs = Sources {
        config: args.config.clone(),
        ..Sources::default()
    };
    let root = repo_root(&args.repo);
    let (config, notes) = session::load_config(&srcs, &root)?;
    // The rules must build and the ids must exist, as for a scan.
    let rules = config.rule_set()?;
    crate::suppress::Filter::new(&config, &rules, None, None)?;
    for n in &notes {
        eprintln!("keyward: note: {}", crate::escape::terminal(n));
    }
    let text = toml::to_string_pretty(&config).context("cannot print the configuration as TOML")?;
    let from = match &config.source {
        Some(p) => format!("# read from {}\n", p.display()),
        None => "# no configuration file: the defaults\n".to_string(),
    };
    crate::output::print(&format!("{from}{text}"), "the configuration")?;
    Ok(EXIT_CLEAN)
}
