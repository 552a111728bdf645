//! What a repository scan could not read: refs that lead nowhere, commits, trees and
//! blobs that are missing or corrupt, objects that could not even be listed. Any of
//! them makes the scan incomplete: the blobs under an unreadable tree or commit are not
//! even known, so they cannot be counted as "not scanned". `history`, `pre-push` and
//! `staged` exit 2 on an incomplete scan unless `--allow-partial` is given.
//!
//! This file must not read the repository or decide an exit code: sources fill it in,
//! and commands read it.

/// How many ids of each kind the summary names.
const NAMED: usize = 3;

/// Objects and refs a scan could not read, by kind (object ids, or ref names).
#[derive(Debug, Default, Clone)]
pub struct Unreadable {
    pub refs: Vec<String>,
    /// Commits whose tree could not be read, or where the commit walk stopped.
    pub commits: Vec<String>,
    pub trees: Vec<String>,
    /// Blobs that are corrupt.
    pub blobs: Vec<String>,
    /// Blobs that are not in the object database (a partial clone).
    pub missing_blobs: Vec<String>,
    /// Objects of `--all-objects` whose kind could not be read, or a listing that failed.
    pub objects: Vec<String>,
}

impl Unreadable {
    pub fn is_empty(&self) -> bool {
        self.refs.is_empty()
            && self.commits.is_empty()
            && self.trees.is_empty()
            && self.blobs.is_empty()
            && self.missing_blobs.is_empty()
            && self.objects.is_empty()
    }

    pub fn merge(&mut self, other: Unreadable) {
        self.refs.extend(other.refs);
        self.commits.extend(other.commits);
        self.trees.extend(other.trees);
        self.blobs.extend(other.blobs);
        self.missing_blobs.extend(other.missing_blobs);
        self.objects.extend(other.objects);
    }

    /// `2 trees (1a2b3c4d5e6f, 9f8e7d6c5b4a), 1 missing blob (…)`: each kind counted, its
    /// first few named (object ids shortened to 12 digits).
    pub fn describe(&self) -> String {
        let kinds: [(&[String], &str, &str); 6] = [
            (&self.refs, "ref", "refs"),
            (&self.commits, "commit", "commits"),
            (&self.trees, "tree", "trees"),
            (&self.blobs, "corrupt blob", "corrupt blobs"),
            (&self.missing_blobs, "missing blob", "missing blobs"),
            (&self.objects, "object", "objects"),
        ];
        let mut parts = Vec::new();
        for (list, one, many) in kinds {
            if list.is_empty() {
                continue;
            }
            let mut sorted: Vec<&str> = list.iter().map(|s| short(s)).collect();
            sorted.sort_unstable();
            sorted.dedup();
            let mut names = sorted[..sorted.len().min(NAMED)].join(", ");
            if sorted.len() > NAMED {
                names.push_str(&format!(" and {} more", sorted.len() - NAMED));
            }
            let noun = if sorted.len() == 1 { one } else { many };
            parts.push(format!("{} {noun} ({names})", sorted.len()));
        }
        parts.join(", ")
    }
}

/// An object id shortened to 12 hex digits; anything else as it is.
fn short(s: &str) -> &str {
    if s.len() >= 40 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        &s[..12]
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::Unreadable;

    #[test]
    fn describes_counts_and_the_first_ids() {
        let id = |c: char| c.to_string().repeat(40);
        let u = Unreadable {
            trees: vec![id('d'), id('a'), id('c'), id('b'), id('a')],
            missing_blobs: vec![id('e')],
            refs: vec!["refs/heads/gone".into()],
            ..Unreadable::default()
        };
        assert!(!u.is_empty());
        assert_eq!(
            u.describe(),
            "1 ref (refs/heads/gone), 4 trees (aaaaaaaaaaaa, bbbbbbbbbbbb, cccccccccccc and 1 more), \
             1 missing blob (eeeeeeeeeeee)"
        );
        assert!(Unreadable::default().is_empty());
    }
}
