//! Reading a git repository in process with gix: opening it without running anything it
//! configures, the tips of every ref, commit lists oldest first, and (in `tree`) tree
//! walks that skip subtrees already seen; (in `provenance`) what a report says about
//! the repository scanned. Nothing here runs `git` or writes into `.git`.
//!
//! Every repository keyward reads is opened here, with [`open`] or [`discover`], so
//! that none is opened with the user's global configuration or the environment's git
//! variables; only the audit, which reports what the user's git does, uses
//! [`open_as_user`]. This module must not know about rules, findings or reports.

mod provenance;
mod tree;

pub use crate::finding::Vcs;
pub use provenance::{clean_remote_url, provenance};
pub use tree::{all_blobs, display_path, BlobSighting, TreeWalker};

/// A map keyed by object id, hashed by the id's own bytes (already uniformly random):
/// walks of large histories insert hundreds of thousands of them.
pub type IdMap<V> = gix::hashtable::HashMap<ObjectId, V>;
/// A set of object ids, hashed like [`IdMap`].
pub type IdSet = gix::hashtable::HashSet<ObjectId>;

use anyhow::{anyhow, Context as _, Result};
use gix::prelude::FindExt;
use gix::ObjectId;
use std::collections::HashMap;
use std::path::Path;

/// Open the repository at `path` (a work tree, a `.git` directory, a bare repository
/// or a linked work tree), isolated from global and system configuration.
pub fn open(path: &Path) -> Result<gix::Repository> {
    let mut repo =
        gix::open_opts(path, gix::open::Options::isolated()).map_err(|e| open_error(path, e))?;
    tune(&mut repo);
    Ok(repo)
}

/// Open the repository at `path` as git on this machine sees it: with the user's global
/// and system configuration (a global `core.excludesFile`, `core.hooksPath`), which
/// keyward trusts. For the audit, which reports what the user's own git ignores and
/// runs; nothing is run here either.
pub fn open_as_user(path: &Path) -> Result<gix::Repository> {
    gix::open(path).map_err(|e| open_error(path, e))
}

/// Why the repository at `path` cannot be opened, for a person: what is wrong with the
/// path and what to give instead.
fn open_error(path: &Path, e: gix::open::Error) -> anyhow::Error {
    let shown = path.display();
    match e {
        gix::open::Error::NotARepository { .. } if !path.exists() => {
            anyhow!(
                "{shown}: not a git repository: there is no such folder; give a repository's path"
            )
        }
        gix::open::Error::NotARepository { .. } => anyhow!(
            "{shown}: not a git repository (it holds no .git); give the repository's top \
             folder, or its .git folder"
        ),
        gix::open::Error::Config(e) => anyhow!(
            "{shown}: cannot read the repository's git configuration ({:#}); fix the setting \
             it names",
            anyhow::Error::new(e)
        ),
        gix::open::Error::UnsafeGitDir { path } => anyhow!(
            "{}: the repository belongs to another user; run keyward as its owner",
            path.display()
        ),
        e => anyhow!(
            "{shown}: cannot open the git repository: {:#}",
            anyhow::Error::new(e)
        ),
    }
}

/// Find the repository that holds `path` (the folder itself or one of its parents, as
/// `git` does from a subfolder) and open it like [`open`]: isolated from global and
/// system configuration. For commands that take any folder of a repository.
pub fn discover(path: &Path) -> Result<gix::Repository> {
    let (found, _trust) = gix::discover::upwards(path).with_context(|| {
        format!(
            "{}: not in a git repository (nor in any folder above it)",
            path.display()
        )
    })?;
    let (git_dir, work_tree) = found.into_repository_and_work_tree_directories();
    open(work_tree.as_deref().unwrap_or(&git_dir))
}

/// The pack index files of `repo` (`objects/pack/*.idx`), sorted; none when the folder
/// cannot be read (the objects are then read through the object database alone).
pub fn pack_indexes(repo: &gix::Repository) -> Vec<std::path::PathBuf> {
    let dir = repo.objects.store_ref().path().join("pack");
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "idx"));
    paths.sort();
    paths
}

/// Caches for reading every object once: no object cache (nothing is read twice), and a
/// delta-base cache large enough to keep the bases of nearby objects.
pub fn tune(repo: &mut gix::Repository) {
    repo.object_cache_size(0);
    repo.objects.set_pack_cache(|| {
        Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
            PACK_CACHE_BYTES,
        ))
    });
}

/// Delta-base cache per repository handle.
const PACK_CACHE_BYTES: usize = 12 << 20;

/// A commit to walk: its id, parents and tree.
#[derive(Debug, Clone)]
pub struct CommitNode {
    pub id: ObjectId,
    pub parents: Vec<ObjectId>,
    pub time: i64,
}

/// What the refs point at.
#[derive(Debug, Default)]
pub struct Tips {
    /// Commits (branches, tags, remotes, stash, notes, HEAD).
    pub commits: Vec<ObjectId>,
    /// Blobs that a ref points at directly (a tag of a public key, say), by ref name.
    pub blobs: Vec<(String, ObjectId)>,
    /// Refs that point at something that is not scanned (a tree).
    pub notes: Vec<String>,
    /// Refs that could not be read or followed, or that point at a missing object: by
    /// name (or a description), with why.
    pub broken: Vec<(String, String)>,
    /// How many refs there are (0: a repository with no commits yet).
    pub refs: usize,
}

/// Every ref's target and HEAD.
pub fn tips(repo: &gix::Repository) -> Result<Tips> {
    let mut tips = Tips::default();
    let platform = repo
        .references()
        .context("cannot read the repository's refs")?;
    for r in platform
        .all()
        .context("cannot list the repository's refs")?
    {
        tips.refs += 1;
        let mut r = match r {
            Ok(r) => r,
            Err(e) => {
                tips.broken.push((
                    "(unreadable ref)".into(),
                    format!("a ref could not be read: {e}"),
                ));
                continue;
            }
        };
        let name = r.name().as_bstr().to_string();
        let id = match r.peel_to_id() {
            Ok(id) => id,
            Err(e) => {
                let why = format!("ref {name} cannot be followed ({e})");
                tips.broken.push((name, why));
                continue;
            }
        };
        match repo.find_header(id.detach()).map(|h| h.kind()) {
            Ok(gix::object::Kind::Commit) => tips.commits.push(id.detach()),
            Ok(gix::object::Kind::Blob) => tips.blobs.push((name, id.detach())),
            Ok(kind) => tips
                .notes
                .push(format!("ref {name} points at a {kind}; skipped")),
            Err(e) => {
                let why = format!("ref {name} points at a missing object ({e})");
                tips.broken.push((name, why));
            }
        }
    }
    match repo.head_id() {
        Ok(id) => {
            tips.refs += 1;
            tips.commits.push(id.detach());
        }
        // An unborn branch (no commit yet) is not broken; a HEAD that names an object
        // that cannot be found is.
        Err(e) => {
            if !matches!(repo.head().map(|h| h.is_unborn()), Ok(true)) {
                tips.refs += 1;
                tips.broken
                    .push(("HEAD".into(), format!("HEAD cannot be followed ({e})")));
            }
        }
    }
    tips.commits.sort();
    tips.commits.dedup();
    Ok(tips)
}

/// The commits of every remote-tracking ref (`refs/remotes/*`).
pub fn remote_tips(repo: &gix::Repository) -> Result<Vec<ObjectId>> {
    let platform = repo
        .references()
        .context("cannot read the repository's refs")?;
    let mut out = Vec::new();
    for mut r in platform
        .remote_branches()
        .context("cannot list remote-tracking refs")?
        .flatten()
    {
        if let Ok(c) = r.peel_to_commit() {
            out.push(c.id);
        }
    }
    Ok(out)
}

/// Resolve a revision (`main`, `v1.2`, an id) to a commit.
pub fn resolve_commit(repo: &gix::Repository, spec: &str) -> Result<ObjectId> {
    let id = repo.rev_parse_single(spec).map_err(|_| {
        anyhow!(
            "no branch, tag or commit id {spec:?} here (or it goes back further than the \
             history does)"
        )
    })?;
    let commit = id
        .object()
        .map_err(|_| anyhow!("{spec:?} names object {id}, which the repository does not hold"))?
        .peel_to_commit()
        .map_err(|_| anyhow!("{spec:?} names a tree or a file, not a commit"))?;
    Ok(commit.id)
}

/// Commits reachable from `tips` but not from `hidden`, parents before children (oldest
/// first). Walk errors (a shallow or damaged history) are returned as notes.
pub fn commits(
    repo: &gix::Repository,
    tips: &[ObjectId],
    hidden: &[ObjectId],
) -> Result<(Vec<CommitNode>, Vec<String>)> {
    let mut notes = Vec::new();
    let mut nodes = Vec::new();
    if tips.is_empty() {
        return Ok((nodes, notes));
    }
    let walk = repo
        .rev_walk(tips.iter().copied())
        .with_hidden(hidden.iter().copied())
        .sorting(gix::revision::walk::Sorting::ByCommitTime(
            Default::default(),
        ))
        .all()
        .context("cannot start walking the commits")?;
    for info in walk {
        match info {
            Ok(info) => nodes.push(CommitNode {
                id: info.id,
                parents: info.parent_ids.iter().copied().collect(),
                time: info.commit_time.unwrap_or(0),
            }),
            Err(e) => {
                notes.push(format!("the commit walk stopped early: {e}"));
                break;
            }
        }
    }
    Ok((oldest_first(nodes), notes))
}

/// Order commits so every parent comes before its children, older commits first.
pub fn oldest_first(mut nodes: Vec<CommitNode>) -> Vec<CommitNode> {
    nodes.sort_by_key(|n| (n.time, n.id));
    let index: HashMap<ObjectId, usize> =
        nodes.iter().enumerate().map(|(i, n)| (n.id, i)).collect();
    let mut emitted = vec![false; nodes.len()];
    let mut order = Vec::with_capacity(nodes.len());
    let mut stack: Vec<(usize, bool)> = Vec::new();
    for start in 0..nodes.len() {
        stack.push((start, false));
        while let Some((i, expanded)) = stack.pop() {
            if emitted[i] {
                continue;
            }
            if expanded {
                emitted[i] = true;
                order.push(i);
                continue;
            }
            stack.push((i, true));
            for p in &nodes[i].parents {
                if let Some(&j) = index.get(p) {
                    if !emitted[j] {
                        stack.push((j, false));
                    }
                }
            }
        }
    }
    let mut slots: Vec<Option<CommitNode>> = nodes.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// The tree of a commit.
pub fn tree_of(repo: &gix::Repository, commit: ObjectId, buf: &mut Vec<u8>) -> Result<ObjectId> {
    let mut iter = repo
        .objects
        .find_commit_iter(&commit, buf)
        .map_err(|e| anyhow!("commit {commit}: {e}"))?;
    iter.tree_id().map_err(|e| anyhow!("commit {commit}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::discover;

    #[test]
    fn discover_finds_the_repository_above_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let status = std::process::Command::new("git")
            .args(["init", "-q"])
            .current_dir(dir.path())
            .status()
            .unwrap();
        assert!(status.success());
        let sub = dir.path().join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        let repo = discover(&sub).unwrap();
        assert_eq!(
            repo.workdir().unwrap().canonicalize().unwrap(),
            dir.path().canonicalize().unwrap()
        );
        // A folder in no repository (unless the temporary folder itself is in one).
        let outside = tempfile::tempdir().unwrap();
        if gix::discover::upwards(outside.path()).is_err() {
            let err = format!("{:#}", discover(outside.path()).unwrap_err());
            assert!(err.contains("not in a git repository"), "{err}");
        }
    }
}
