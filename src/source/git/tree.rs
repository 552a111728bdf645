//! Tree walks: every blob of a tree with its path, once per walker (subtrees and blobs
//! already seen are skipped), or all of them (for HEAD checks); and how a repository
//! path is shown.
//!
//! This file must not read blob contents or know about commits beyond the trees it is
//! given.

use super::{IdMap, IdSet};
use gix::bstr::{BString, ByteSlice, ByteVec};
use gix::prelude::FindExt;
use gix::ObjectId;
use std::path::Path;

/// A blob seen in a tree, and where.
#[derive(Debug, Clone)]
pub struct BlobSighting {
    pub id: ObjectId,
    pub path: BString,
}

/// Walks trees, skipping subtrees and blobs already seen.
#[derive(Default)]
pub struct TreeWalker {
    seen_trees: IdSet,
    /// Blob id -> how many tree entries carry it.
    pub blobs: IdMap<u32>,
    pub trees_read: u64,
    pub errors: Vec<String>,
    /// Trees that could not be read (whole or in part).
    pub unreadable: Vec<ObjectId>,
    stack: Vec<(ObjectId, BString)>,
    buf: Vec<u8>,
}

impl TreeWalker {
    /// A walker that has already seen `trees` and `blobs` (with their tree-entry counts)
    /// and read `trees_read` trees: the state an earlier walk of the same commits left.
    pub fn resumed(trees: IdSet, blobs: IdMap<u32>, trees_read: u64) -> TreeWalker {
        TreeWalker {
            seen_trees: trees,
            blobs,
            trees_read,
            ..TreeWalker::default()
        }
    }

    /// Make room for `blobs` blobs and `trees` trees (a walk that knows how many it will
    /// meet grows its sets once, not by doubling).
    pub fn reserve(&mut self, blobs: usize, trees: usize) {
        self.blobs.reserve(blobs);
        self.seen_trees.reserve(trees);
    }

    /// The trees seen so far (to resume the walk later).
    pub fn seen_trees(&self) -> &IdSet {
        &self.seen_trees
    }

    /// Free what only the walk needs (the seen trees), keeping the blob counts.
    pub fn finish_walk(&mut self) {
        self.seen_trees = IdSet::default();
        self.stack = Vec::new();
        self.buf = Vec::new();
    }

    /// Walk `tree`; call `new_blob` for each blob not seen before (regular and executable
    /// files; symbolic links and submodule commits are not content).
    pub fn walk(
        &mut self,
        repo: &gix::Repository,
        tree: ObjectId,
        new_blob: impl FnMut(BlobSighting),
    ) {
        self.walk_with(repo, tree, &mut |_, _| false, new_blob);
    }

    /// [`TreeWalker::walk`], reading each tree with `read` (which fills the buffer with
    /// the tree's data and says whether it could) before the object database.
    pub fn walk_with(
        &mut self,
        repo: &gix::Repository,
        tree: ObjectId,
        read: &mut dyn FnMut(&ObjectId, &mut Vec<u8>) -> bool,
        mut new_blob: impl FnMut(BlobSighting),
    ) {
        if !self.seen_trees.insert(tree) {
            return;
        }
        self.stack.push((tree, BString::default()));
        while let Some((id, prefix)) = self.stack.pop() {
            self.trees_read += 1;
            let found = if read(&id, &mut self.buf) {
                Ok(gix::objs::TreeRefIter::from_bytes(
                    &self.buf,
                    repo.object_hash(),
                ))
            } else {
                repo.objects.find_tree_iter(&id, &mut self.buf)
            };
            let iter = match found {
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
                        gix::hashtable::hash_map::Entry::Occupied(mut seen) => {
                            *seen.get_mut() += 1;
                            false
                        }
                        gix::hashtable::hash_map::Entry::Vacant(slot) => {
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
