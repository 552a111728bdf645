//! Which repositories one `keyward history` run scans: those named on the command line
//! and in a `--repos` list (one path a line, `#` comments), and of those the share that
//! `--shard I/N` (or `--shards N` with `JOB_COMPLETION_INDEX`) takes.
//!
//! A repository's shard depends only on its name as written and N (rendezvous hashing:
//! the shard whose hash with the name is highest), so adding or removing a repository
//! moves no other, and going from N to N+1 shards moves about one in N+1. It must not
//! scan anything.

use anyhow::{bail, Context as _, Result};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The largest `--repos` list read.
const MAX_LIST_BYTES: u64 = 64 << 20;

/// Shard `index` (1 to `count`) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// `I/N`, with 1 ≤ I ≤ N.
    pub fn parse(s: &str) -> Result<Shard> {
        let (i, n) = s
            .split_once('/')
            .with_context(|| format!("--shard {s:?}: write I/N, e.g. 1/4 (the first of 4)"))?;
        let index: u32 = i
            .trim()
            .parse()
            .with_context(|| format!("--shard {s:?}: {i:?} is not a number"))?;
        let count: u32 = n
            .trim()
            .parse()
            .with_context(|| format!("--shard {s:?}: {n:?} is not a number"))?;
        if count == 0 || index == 0 || index > count {
            bail!("--shard {s:?}: I must be from 1 to N (shards are numbered from 1)");
        }
        Ok(Shard { index, count })
    }

    /// `--shards N`: the shard of a Kubernetes Indexed Job, whose `JOB_COMPLETION_INDEX`
    /// counts from 0 (`index` given here is that variable's value).
    pub fn from_completion_index(count: u32, index: Option<&str>) -> Result<Shard> {
        let Some(raw) = index else {
            bail!(
                "--shards {count}: JOB_COMPLETION_INDEX is not set (it is set in a Kubernetes \
                 Indexed Job); elsewhere give --shard I/N"
            );
        };
        let i: u32 = raw.trim().parse().with_context(|| {
            format!("--shards {count}: JOB_COMPLETION_INDEX={raw:?} is not a number")
        })?;
        if count == 0 || i >= count {
            bail!(
                "--shards {count}: JOB_COMPLETION_INDEX={i} is not below {count} (set the \
                 Job's completions to the number of shards)"
            );
        }
        Ok(Shard {
            index: i + 1,
            count,
        })
    }

    /// Whether the repository named `name` (as written) falls in this shard.
    pub fn takes(&self, name: &str) -> bool {
        shard_of(name, self.count) == self.index
    }
}

/// The shard (1 to `count`) a repository name falls in.
pub fn shard_of(name: &str, count: u32) -> u32 {
    (1..=count)
        .max_by_key(|i| {
            let mut h = Sha256::new();
            h.update(name.as_bytes());
            h.update([0]);
            h.update(i.to_le_bytes());
            let d = h.finalize();
            u64::from_be_bytes(d[..8].try_into().unwrap_or_default())
        })
        .unwrap_or(1)
}

/// The repositories of a run, in the order given: `paths`, then the entries of the
/// `--repos` list; duplicates dropped; then the shard's share. `many` tells whether
/// the run reports as many repositories (each finding names its own) even if one is
/// left.
pub struct RepoList {
    pub repos: Vec<PathBuf>,
    pub many: bool,
}

pub fn resolve(paths: &[PathBuf], list: Option<&Path>, shard: Option<Shard>) -> Result<RepoList> {
    let mut repos: Vec<PathBuf> = paths.to_vec();
    if let Some(file) = list {
        repos.extend(read_list(file)?);
    }
    let many = repos.len() > 1 || list.is_some() || shard.is_some();
    if repos.is_empty() {
        if list.is_some() {
            bail!(
                "{}: the list names no repository (one path a line; `#` starts a comment)",
                list.map(Path::display)
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            );
        }
        repos.push(PathBuf::from("."));
    }
    let mut seen = std::collections::HashSet::new();
    repos.retain(|r| seen.insert(r.clone()));
    if let Some(s) = shard {
        repos.retain(|r| s.takes(&r.to_string_lossy()));
    }
    Ok(RepoList { repos, many })
}

/// The entries of a `--repos` file: one path a line; blank lines and `#` comments
/// (whole lines, or after a space) are skipped.
fn read_list(file: &Path) -> Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(file)
        .with_context(|| format!("--repos {}: cannot read it", file.display()))?;
    if meta.len() > MAX_LIST_BYTES {
        bail!(
            "--repos {}: {} bytes is more than a list may have ({MAX_LIST_BYTES})",
            file.display(),
            meta.len()
        );
    }
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("--repos {}: cannot read it as text", file.display()))?;
    Ok(parse_list(&text))
}

fn parse_list(text: &str) -> Vec<PathBuf> {
    text.lines()
        .map(|l| match l.find(" #") {
            Some(i) => &l[..i],
            None => l,
        })
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(PathBuf::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_skip_comments_and_blanks() {
        let text = "# repos\n\nsvc/a\n  svc/b  # the old one\n#svc/c\nsvc/d#1\n";
        let got: Vec<String> = parse_list(text)
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        assert_eq!(got, ["svc/a", "svc/b", "svc/d#1"]);
    }

    #[test]
    fn shards_split_a_list_and_adding_one_moves_no_other() {
        let names: Vec<String> = (0..200).map(|i| format!("org/repo-{i}")).collect();
        let mut counts = [0; 4];
        for n in &names {
            let s = shard_of(n, 4);
            assert!((1..=4).contains(&s));
            counts[s as usize - 1] += 1;
            // Each name is in exactly one shard.
            let taken = (1..=4)
                .filter(|&i| Shard { index: i, count: 4 }.takes(n))
                .count();
            assert_eq!(taken, 1);
        }
        assert!(counts.iter().all(|&c| c > 20), "{counts:?}");
        // Going from 4 to 5 shards moves only names into the new shard.
        for n in &names {
            let (before, after) = (shard_of(n, 4), shard_of(n, 5));
            assert!(after == before || after == 5, "{n}: {before} -> {after}");
        }
    }

    #[test]
    fn shard_arguments_are_checked() {
        assert_eq!(Shard::parse("2/3").unwrap(), Shard { index: 2, count: 3 });
        for bad in ["0/3", "4/3", "1/0", "x/2", "3"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
        let s = Shard::from_completion_index(4, Some("0")).unwrap();
        assert_eq!(s, Shard { index: 1, count: 4 });
        assert!(Shard::from_completion_index(4, Some("4")).is_err());
        assert!(Shard::from_completion_index(4, None).is_err());
    }
}
