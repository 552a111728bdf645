//! Repository-relative paths: how a path given on the command line (or found by a walk)
//! becomes the path a report, a fingerprint and a baseline name. Knows paths only: the
//! caller says where the work tree is.

use std::path::{Component, Path, PathBuf};

/// How a finding's path is turned into a path relative to the repository root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Root {
    /// Paths already are (git history, the index).
    AsIs,
    /// Paths are as given on the command line: made absolute against `cwd` and taken
    /// relative to `dir` (both canonical).
    Dir { dir: PathBuf, cwd: PathBuf },
}

impl Root {
    /// The root for paths given on the command line: the work tree of the git
    /// repository that holds all of them, else the current directory if it holds them,
    /// else their deepest common directory.
    /// `work_tree` names the work tree of the repository holding a folder, if any.
    pub fn for_paths(paths: &[PathBuf], work_tree: impl Fn(&Path) -> Option<PathBuf>) -> Root {
        let cwd = std::env::current_dir()
            .and_then(|d| d.canonicalize())
            .unwrap_or_default();
        let canon: Vec<PathBuf> = paths
            .iter()
            .map(|p| p.canonicalize().unwrap_or_else(|_| normalize(&cwd.join(p))))
            .collect();
        let dirs: Vec<PathBuf> = canon
            .iter()
            .map(|p| {
                if p.is_dir() {
                    p.clone()
                } else {
                    p.parent().map(Path::to_path_buf).unwrap_or_default()
                }
            })
            .collect();
        let first = dirs.first().cloned().unwrap_or_else(|| cwd.clone());
        let work_tree = work_tree(&first)
            .and_then(|w| w.canonicalize().ok())
            .filter(|w| canon.iter().all(|p| p.starts_with(w)));
        // Outside git: the current directory when it holds every path (so paths read as
        // the user typed them), else the paths' deepest common folder.
        let under_cwd = !cwd.as_os_str().is_empty() && canon.iter().all(|p| p.starts_with(&cwd));
        let dir = work_tree
            .or(under_cwd.then(|| cwd.clone()))
            .unwrap_or_else(|| {
                dirs.iter().skip(1).fold(first, |acc, d| {
                    acc.ancestors()
                        .find(|a| d.starts_with(a))
                        .map(Path::to_path_buf)
                        .unwrap_or_default()
                })
            });
        Root::Dir { dir, cwd }
    }

    /// `path` relative to the root, with `/` separators and no `./`. A path that is
    /// not under the root keeps its normalised form.
    pub fn relative(&self, path: &str) -> String {
        let rel = match self {
            Root::AsIs => path.to_string(),
            Root::Dir { dir, cwd } => {
                let p = Path::new(path);
                let abs = if p.is_absolute() {
                    p.to_path_buf()
                } else {
                    cwd.join(p)
                };
                // Lexically first (no system call, and a path through a symbolic link
                // inside the repository stays the repository's path), then resolved.
                let lexical = normalize(&abs);
                match lexical.strip_prefix(dir) {
                    Ok(r) => r.to_string_lossy().into_owned(),
                    Err(_) => match abs
                        .canonicalize()
                        .map(|c| c.strip_prefix(dir).map(Path::to_path_buf))
                    {
                        Ok(Ok(r)) => r.to_string_lossy().into_owned(),
                        _ => normalize(p).to_string_lossy().into_owned(),
                    },
                }
            }
        };
        // `\` separates folders only on Windows; elsewhere it is a byte of the name.
        let rel = if cfg!(windows) {
            rel.replace('\\', "/")
        } else {
            rel
        };
        let mut rel = rel.as_str();
        while let Some(r) = rel.strip_prefix("./") {
            rel = r;
        }
        rel.trim_start_matches('/').to_string()
    }
}

/// Resolve `.` and `..` without touching the file system.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_have_no_dot_or_root() {
        let root = Root::Dir {
            dir: PathBuf::from("/r/repo"),
            cwd: PathBuf::from("/r/repo/sub"),
        };
        assert_eq!(root.relative("./a/b.txt"), "sub/a/b.txt");
        assert_eq!(root.relative("../top.env"), "top.env");
        assert_eq!(root.relative("/r/repo/x/y"), "x/y");
        assert_eq!(Root::AsIs.relative("./a"), "a");
    }
}
