//! What one scan runs with: the configuration found at the repository root (or given),
//! the rules it builds (built-in and custom), and the suppression filter (allowlists,
//! disabled rules, `.keywardignore`, a baseline). After the scan, [`Session::finish`]
//! makes paths and fingerprints repository-relative, leaves out what is suppressed and
//! says what was.

use crate::config::{Config, GitleaksImport};
use crate::finding::Root;
use crate::finding::{self, Finding};
use crate::rules::RuleSet;
use crate::source::ScanSummary;
use crate::suppress::{self, Baseline, Filter, IgnoreFile, Reason, Suppressed};
use anyhow::Result;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where the configuration and suppressions come from (from the command line).
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub config: Option<PathBuf>,
    pub no_config: bool,
    pub baseline: Option<PathBuf>,
    /// The baseline is the default one in the current directory (the scanned
    /// repository's), not one the user named.
    pub baseline_is_default: bool,
    pub ignore_file: Option<PathBuf>,
}

use crate::config::DEFAULT_MAX_FILE_SIZE;

pub struct Session {
    pub config: Config,
    pub rules: RuleSet,
    pub filter: Filter,
    /// What a gitleaks configuration could not carry over.
    pub notes: Vec<String>,
}

/// The configuration for a repository rooted at `root` (or none).
pub fn load_config(sources: &Sources, root: &Path) -> Result<(Config, Vec<String>)> {
    if sources.no_config {
        return Ok((Config::default(), Vec::new()));
    }
    match &sources.config {
        Some(path) => {
            let text = crate::config::read_user_config(path)?;
            if GitleaksImport::looks_like(&text) {
                let import = GitleaksImport::parse(&text, path)?;
                Ok((import.config.user_supplied(), import.notes))
            } else {
                Ok((Config::parse(&text, path)?.user_supplied(), Vec::new()))
            }
        }
        None => Ok((Config::load(root, None)?, Vec::new())),
    }
}

impl Session {
    /// Load everything for a scan of the repository (or folder) at `root`.
    pub fn load(sources: &Sources, root: &Path) -> Result<Session> {
        let (config, mut notes) = load_config(sources, root)?;
        let rules = config.rule_set()?;
        notes.extend(crate::catchall::warnings(&config, &rules));
        let baseline = sources
            .baseline
            .as_deref()
            .map(|p| Baseline::load(p, sources.baseline_is_default.then_some(Path::new("."))))
            .transpose()?;
        let ignore = match &sources.ignore_file {
            Some(p) => Some(IgnoreFile::load(p, None)?),
            None => {
                // Shown relative to the current directory when it can be.
                let cwd = std::env::current_dir().and_then(|d| d.canonicalize()).ok();
                let base = cwd
                    .as_deref()
                    .and_then(|c| root.strip_prefix(c).ok())
                    .unwrap_or(root);
                let path = base.join(suppress::IGNORE_FILE);
                let present = path.symlink_metadata().is_ok();
                present
                    .then(|| IgnoreFile::load(&path, Some(base)))
                    .transpose()?
            }
        };
        let filter = Filter::new(&config, &rules, baseline, ignore)?;
        Ok(Session {
            config,
            rules,
            filter,
            notes,
        })
    }

    /// The size limit: the command line's, else the configuration's, else 50 MiB.
    pub fn max_file_size(&self, cli: Option<u64>) -> Result<u64> {
        match (cli, &self.config.scan.max_file_size) {
            (Some(n), _) => Ok(n),
            (None, Some(s)) => crate::config::parse_size(s).map_err(|e| {
                anyhow::anyhow!(
                    "{}: [scan] max_file_size: {e}",
                    self.config
                        .source
                        .as_ref()
                        .map_or("the configuration".into(), |p| p.display().to_string())
                )
            }),
            (None, None) => Ok(DEFAULT_MAX_FILE_SIZE),
        }
    }

    /// Make fingerprints repository-relative, then split the findings (and the inline
    /// suppressions in `summary`) into those to report and those suppressed.
    pub fn finish(
        &mut self,
        mut findings: Vec<Finding>,
        summary: &mut ScanSummary,
        root: &Root,
    ) -> (Vec<Finding>, Vec<Suppressed>) {
        let mut inline = std::mem::take(&mut summary.inline);
        let mut at_head = std::mem::take(&mut summary.at_head);
        // Each distinct path is made relative once (it touches the file system).
        let mut rel: HashMap<String, String> = HashMap::new();
        for f in findings.iter().chain(&inline).chain(&at_head) {
            if !rel.contains_key(&f.path) {
                rel.insert(f.path.clone(), root.relative(&f.path));
            }
        }
        if matches!(root, Root::Dir { .. }) {
            for f in findings
                .iter_mut()
                .chain(inline.iter_mut())
                .chain(at_head.iter_mut())
            {
                f.fingerprint = finding::fingerprint(&f.rule_id, &rel[&f.path], f.secret.expose());
            }
        }
        let (mut kept, mut suppressed) = self.filter.apply_with(findings, &|p| {
            rel.get(p).cloned().unwrap_or_else(|| root.relative(p))
        });
        let rules = &self.rules;
        let generic = |id: &str| rules.get(id).is_some_and(|r| r.spec.generic);
        suppressed.extend(repeated_values(&mut kept, &suppressed, &inline, generic));
        suppressed.extend(inline.into_iter().map(|finding| Suppressed {
            finding,
            reason: Reason::InlineComment,
            detail: "keyward:allow".to_string(),
        }));
        suppressed.extend(at_head.into_iter().map(|finding| Suppressed {
            finding,
            reason: Reason::AlreadyInHead,
            detail: "HEAD's version of the file holds it".to_string(),
        }));
        suppressed.sort_by(|a, b| a.finding.sort_key().cmp(&b.finding.sort_key()));
        (kept, suppressed)
    }

    /// Lines for standard error: what the baseline and ignore file did not use, and
    /// what a gitleaks configuration could not carry over.
    pub fn warnings(&self) -> Vec<String> {
        let mut out: Vec<String> = self.notes.clone();
        let unused = self.filter.unused_baseline();
        if let Some(b) = &self.filter.baseline {
            if !unused.is_empty() {
                out.push(format!(
                    "{}: {} of {} baseline entries matched no finding (`keyward baseline prune --baseline {}` removes them)",
                    b.path.display(),
                    unused.len(),
                    b.entries.len(),
                    b.path.display()
                ));
            }
        }
        if let Some(i) = &self.filter.ignore {
            for (fp, line) in self.filter.unused_ignores() {
                out.push(format!(
                    "{}:{line}: fingerprint {fp} matched no finding (remove the line if the secret is gone)",
                    i.path.display()
                ));
            }
        }
        out
    }
}

/// Take out of `kept` the generic values found in many files (counted over every finding,
/// suppressed ones too): samples copied from page to page.
fn repeated_values(
    kept: &mut Vec<Finding>,
    suppressed: &[Suppressed],
    inline: &[Finding],
    generic: impl Fn(&str) -> bool,
) -> Vec<Suppressed> {
    let all: Vec<&Finding> = kept
        .iter()
        .chain(suppressed.iter().map(|s| &s.finding))
        .chain(inline)
        .collect();
    let mut files: Vec<Option<usize>> = vec![None; kept.len()];
    for (i, n) in finding::repeated::repeated(&all, generic) {
        if i < kept.len() {
            files[i] = Some(n);
        }
    }
    if files.iter().all(Option::is_none) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut files = files.into_iter();
    kept.retain_mut(|f| match files.next().flatten() {
        None => true,
        Some(n) => {
            out.push(Suppressed {
                finding: f.clone(),
                reason: Reason::RepeatedValue,
                detail: format!("the same value is in {n} files (a sample)"),
            });
            false
        }
    });
    out
}

/// [`suppress::describe_counts`], and how many of them a configuration the scanned repository
/// supplies suppressed (`…, 1 baseline; 3 of them by keyward.toml, the scanned
/// repository's configuration`).
pub fn describe_suppressed(suppressed: &[Suppressed], config: &Config) -> String {
    let mut out = suppress::describe_counts(suppressed);
    if let Some(file) = config.source.as_ref().filter(|_| config.from_repository()) {
        let n = suppressed
            .iter()
            .filter(|s| {
                matches!(
                    s.reason,
                    Reason::DisabledRule
                        | Reason::AllowlistPath
                        | Reason::AllowlistRegex
                        | Reason::AllowlistStopword
                )
            })
            .count();
        if n > 0 {
            out.push_str(&format!(
                "; {} by {}, the scanned repository's configuration",
                if n == suppressed.len() {
                    "all".to_string()
                } else {
                    format!("{n} of them")
                },
                file.display()
            ));
        }
    }
    out
}
