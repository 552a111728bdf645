//! Reading a git repository in process with gix: opening it without running anything it
//! configures, the tips of every ref, commit lists oldest first, and tree walks that
//! skip subtrees already seen. Nothing here runs `git` or writes into `.git`.

use anyhow::{anyhow, Context as _, Result};
use gix::bstr::{BString, ByteSlice, ByteVec};
use gix::prelude::FindExt;
use gix::ObjectId;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Open the repository at `path` (a work tree, a `.git` directory, a bare repository
/// or a linked work tree), isolated from global and system configuration.
pub fn open(path: &Path) -> Result<gix::Repository> {
    let mut repo = gix::open_opts(path, gix::open::Options::isolated()).with_context(|| {
        format!(
            "{}: not a git repository (or one gix cannot open)",
            path.display()
        )
    })?;
    tune(&mut repo);
    Ok(repo)
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
    let id = repo
        .rev_parse_single(spec)
        .map_err(|e| anyhow!("cannot resolve revision {spec:?}: {e}"))?;
    let commit = id
        .object()
        .map_err(|e| anyhow!("revision {spec:?}: {e}"))?
        .peel_to_commit()
        .map_err(|e| anyhow!("revision {spec:?} is not a commit: {e}"))?;
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
fn oldest_first(mut nodes: Vec<CommitNode>) -> Vec<CommitNode> {
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

/// A blob seen in a tree, and where.
#[derive(Debug, Clone)]
pub struct BlobSighting {
    pub id: ObjectId,
    pub path: BString,
}

/// Walks trees, skipping subtrees and blobs already seen.
#[derive(Default)]
pub struct TreeWalker {
    seen_trees: HashSet<ObjectId>,
    /// Blob id -> how many tree entries carry it.
    pub blobs: HashMap<ObjectId, u32>,
    pub trees_read: u64,
    pub errors: Vec<String>,
    /// Trees that could not be read (whole or in part).
    pub unreadable: Vec<ObjectId>,
    stack: Vec<(ObjectId, BString)>,
    buf: Vec<u8>,
}

impl TreeWalker {
    /// Free what only the walk needs (the seen trees), keeping the blob counts.
    pub fn finish_walk(&mut self) {
        self.seen_trees = HashSet::new();
        self.stack = Vec::new();
        self.buf = Vec::new();
    }

    /// Walk `tree`; call `new_blob` for each blob not seen before (regular and executable
    /// files; symbolic links and submodule commits are not content).
    pub fn walk(
        &mut self,
        repo: &gix::Repository,
        tree: ObjectId,
        mut new_blob: impl FnMut(BlobSighting),
    ) {
        if !self.seen_trees.insert(tree) {
            return;
        }
        self.stack.push((tree, BString::default()));
        while let Some((id, prefix)) = self.stack.pop() {
            self.trees_read += 1;
            let iter = match repo.objects.find_tree_iter(&id, &mut self.buf) {
                Ok(iter) => iter,
                Err(e) => {
                    self.errors
                        .push(format!("tree {id} ({}): {e}", display_path(&prefix)));
                    self.unreadable.push(id);
                    continue;
                }
            };
            for entry in iter {
                let entry = match entry {
                    Ok(e) => e,
                    Err(e) => {
                        self.errors.push(format!("tree {id}: {e}"));
                        self.unreadable.push(id);
                        break;
                    }
                };
                let mode = entry.mode;
                if mode.is_tree() {
                    let oid = entry.oid.to_owned();
                    if self.seen_trees.insert(oid) {
                        let mut path = prefix.clone();
                        if !path.is_empty() {
                            path.push_byte(b'/');
                        }
                        path.push_str(entry.filename);
                        self.stack.push((oid, path));
                    }
                } else if mode.is_blob() {
                    let oid = entry.oid.to_owned();
                    let fresh = match self.blobs.entry(oid) {
                        std::collections::hash_map::Entry::Occupied(mut seen) => {
                            *seen.get_mut() += 1;
                            false
                        }
                        std::collections::hash_map::Entry::Vacant(slot) => {
                            slot.insert(1);
                            true
                        }
                    };
                    if fresh {
                        let mut path = prefix.clone();
                        if !path.is_empty() {
                            path.push_byte(b'/');
                        }
                        path.push_str(entry.filename);
                        new_blob(BlobSighting { id: oid, path });
                    }
                }
            }
        }
    }

    /// Mark a tree and everything under it as seen, without reporting its blobs (the
    /// boundary of a range scan: what was there before the range). Trees that cannot be
    /// read are returned as messages, not counted as unscanned: what they hold is only
    /// not marked, so it is scanned again if the range has it.
    pub fn mark_seen(&mut self, repo: &gix::Repository, tree: ObjectId) -> Vec<String> {
        let (errors, unreadable) = (self.errors.len(), self.unreadable.len());
        let mut blobs = Vec::new();
        self.walk(repo, tree, |b| blobs.push(b.id));
        for id in blobs {
            self.blobs.insert(id, 0);
        }
        // Read again (and counted) if the range reaches them.
        for id in self.unreadable.split_off(unreadable) {
            self.seen_trees.remove(&id);
        }
        self.errors.split_off(errors)
    }
}

/// A repository path for output (lossy UTF-8, control characters escaped).
pub fn display_path(path: &[u8]) -> String {
    crate::source::worktree::display(Path::new(&path.to_str_lossy().into_owned()))
}

/// Every blob of a tree with its path (no dedupe), for HEAD checks.
pub fn all_blobs(repo: &gix::Repository, tree: ObjectId) -> Vec<BlobSighting> {
    let mut out = Vec::new();
    let mut buf = Vec::new();
    let mut stack = vec![(tree, BString::default())];
    while let Some((id, prefix)) = stack.pop() {
        let Ok(iter) = repo.objects.find_tree_iter(&id, &mut buf) else {
            continue;
        };
        for entry in iter.flatten() {
            let mut path = prefix.clone();
            if !path.is_empty() {
                path.push_byte(b'/');
            }
            path.push_str(entry.filename);
            if entry.mode.is_tree() {
                stack.push((entry.oid.to_owned(), path));
            } else if entry.mode.is_blob() {
                out.push(BlobSighting {
                    id: entry.oid.to_owned(),
                    path,
                });
            }
        }
    }
    out
}

/// What a report says about the repository at `path`: its remote (credentials removed;
/// `GITHUB_SERVER_URL`/`GITHUB_REPOSITORY` when set, as in GitHub Actions), the commit
/// `tip` resolves to (or HEAD's) and the branch checked out. `None` when `path` is not
/// a repository.
pub fn provenance(path: &Path, tip: Option<&str>) -> Option<crate::report::Vcs> {
    let repo = open(path).ok()?;
    let revision = tip
        .and_then(|t| resolve_commit(&repo, t).ok())
        .or_else(|| repo.head_id().ok().map(gix::Id::detach))
        .map(|id| id.to_string());
    let branch = repo
        .head_name()
        .ok()
        .flatten()
        .map(|n| n.shorten().to_string());
    let github = match (
        std::env::var("GITHUB_SERVER_URL"),
        std::env::var("GITHUB_REPOSITORY"),
    ) {
        (Ok(server), Ok(name)) if !server.is_empty() && !name.is_empty() => {
            Some(format!("{}/{name}", server.trim_end_matches('/')))
        }
        _ => None,
    };
    let remote = || {
        let remote = repo
            .find_default_remote(gix::remote::Direction::Fetch)?
            .ok()?;
        let url = remote.url(gix::remote::Direction::Fetch)?;
        Some(url.to_bstring().to_string())
    };
    let repository_uri = github
        .or_else(remote)
        .and_then(|u| crate::report::sarif::clean_remote_url(&u));
    Some(crate::report::Vcs {
        repository_uri,
        revision,
        branch,
    })
}
