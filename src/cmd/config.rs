//! `keyward config show`: the effective configuration, defaults filled in, as TOML.
//!
//! It must not know how the configuration is parsed.

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
    let mut shown = config.clone();
    // Defaults the file may leave out, filled in so every setting in effect is shown.
    if shown.scan.max_file_size.is_none() {
        shown.scan.max_file_size = Some(size_text(crate::config::DEFAULT_MAX_FILE_SIZE));
    }
    let text = toml::to_string_pretty(&shown).context("cannot print the configuration as TOML")?;
    let from = match &config.source {
        Some(p) => format!("# read from {}\n", p.display()),
        None => "# no configuration file: the defaults\n".to_string(),
    };
    crate::output::print(&format!("{from}{text}"), "the configuration")?;
    Ok(EXIT_CLEAN)
}

/// `bytes` as a size `[scan] max_file_size` reads back: `50M`, `1G`, `4096`.
fn size_text(bytes: u64) -> String {
    for (unit, shift) in [("G", 30), ("M", 20), ("K", 10)] {
        if bytes >= 1 << shift && bytes.is_multiple_of(1 << shift) {
            return format!("{}{unit}", bytes >> shift);
        }
    }
    bytes.to_string()
}

#[cfg(test)]
mod tests {
    use super::size_text;
    use crate::config::parse_size;

    #[test]
    fn sizes_read_back() {
        for n in [0, 4096, 50 << 20, 1 << 30, (3 << 20) + 1] {
            assert_eq!(parse_size(&size_text(n)), Ok(n), "{}", size_text(n));
        }
        assert_eq!(size_text(50 << 20), "50M");
    }
}
