//! `keyward hook install`: git hooks that run keyward before a commit (`staged`) and
//! before a push (`pre-push`). Honours `core.hooksPath`; never overwrites a hook it did
//! not write unless forced, and then keeps a backup.
//!
//! The repository is opened with [`crate::source::git::open`] (isolated, nothing it
//! configures is run). This module must not know the command line or what a hook's
//! scan does: it writes a script that calls `keyward staged` or `keyward pre-push`.

use anyhow::{bail, Context as _, Result};
use std::path::{Component, Path, PathBuf};

/// The line that marks a hook as keyward's.
const MARKER: &str = "# Installed by `keyward hook install`";

/// Which hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hook {
    PreCommit,
    PrePush,
}

impl Hook {
    pub fn file_name(self) -> &'static str {
        match self {
            Hook::PreCommit => "pre-commit",
            Hook::PrePush => "pre-push",
        }
    }

    fn script(self, exe: &Path) -> String {
        let (what, args) = match self {
            Hook::PreCommit => (
                "blocks a commit whose staged changes add a secret",
                "staged",
            ),
            Hook::PrePush => (
                "blocks a push whose commits add a secret",
                "pre-push \"$@\"",
            ),
        };
        let exe = exe.display().to_string().replace('\'', "'\\''");
        format!(
            "#!/bin/sh\n# keyward {} hook: {what}.\n{MARKER}; delete this file to uninstall.\n\
             if [ -x '{exe}' ]; then exec '{exe}' {args}; fi\nexec keyward {args}\n",
            self.file_name()
        )
    }
}

/// What `install` did.
#[derive(Debug)]
pub struct Installed {
    pub path: PathBuf,
    pub backup: Option<PathBuf>,
}

/// The directory git runs hooks from: `core.hooksPath` (relative to the work tree) or
/// the repository's `hooks` directory.
pub fn hooks_dir(repo: &gix::Repository) -> PathBuf {
    let configured = repo
        .config_snapshot()
        .string("core.hooksPath")
        .map(|v| PathBuf::from(v.to_string()));
    match configured {
        Some(p) if p.is_absolute() => p,
        Some(p) => repo.workdir().unwrap_or_else(|| repo.git_dir()).join(p),
        None => repo.common_dir().join("hooks"),
    }
}

/// Install `hook` in the repository at `repo_path`.
pub fn install(repo_path: &Path, hook: Hook, force: bool) -> Result<Installed> {
    let repo = crate::source::git::open(repo_path)?;
    let dir = hooks_dir(&repo);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(hook.file_name());
    // What messages show: a linked work tree's hooks folder is reached through
    // `.git/worktrees/NAME/../..`, which reads as noise.
    let shown = tidy(&path);
    // A hook file in the repository's folders must be keyward's own regular file: a link
    // there (a committed `core.hooksPath` folder can hold one) would redirect the write.
    let root = hooks_root(&repo);
    if path
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink())
    {
        bail!(
            "refusing to install {}: it is a symbolic link, which may point out of the repository; \
             remove it and rerun",
            shown.display()
        );
    }
    let mut backup = None;
    if let Ok(existing) = std::fs::read_to_string(&path) {
        if !existing.contains(MARKER) {
            if !force {
                bail!(
                    "{} already exists and was not written by keyward; \
                     rerun with --force to replace it (a backup is kept), or call \
                     `keyward {}` from it yourself",
                    shown.display(),
                    if hook == Hook::PreCommit {
                        "staged"
                    } else {
                        "pre-push"
                    }
                );
            }
            let saved = path.with_file_name(format!("{}.keyward-backup", hook.file_name()));
            std::fs::rename(&path, &saved).with_context(|| {
                format!(
                    "cannot back up {} to {}",
                    shown.display(),
                    tidy(&saved).display()
                )
            })?;
            backup = Some(tidy(&saved));
        }
    } else if path.exists() {
        bail!(
            "{} exists but cannot be read; remove it or fix its permissions",
            shown.display()
        );
    }
    let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("keyward"));
    let script = hook.script(&exe);
    crate::output::write(
        &path,
        crate::output::Place::Inside(&root),
        Some(0o755),
        |w| w.write_all(script.as_bytes()),
    )?;
    Ok(Installed {
        path: shown,
        backup,
    })
}

/// The tree a hook file must stay in: the work tree (or the git folder) for the default
/// hooks folder and a relative `core.hooksPath`; an absolute `core.hooksPath` is the
/// user's own choice.
fn hooks_root(repo: &gix::Repository) -> PathBuf {
    let dir = hooks_dir(repo);
    if dir.starts_with(repo.common_dir()) {
        repo.common_dir().to_path_buf()
    } else if let Some(w) = repo.workdir().filter(|w| dir.starts_with(w)) {
        w.to_path_buf()
    } else {
        dir
    }
}

/// `path` without `.` components, and with each `folder/..` pair taken out where
/// `folder` is a real folder (through a symbolic link `..` leads elsewhere, so such a
/// pair is kept): the same file, named as a person would name it.
fn tidy(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                let folder = matches!(out.components().next_back(), Some(Component::Normal(_)))
                    && out.symlink_metadata().is_ok_and(|m| m.is_dir());
                if folder {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::tidy;

    #[test]
    fn tidy_takes_out_dots_and_pairs_through_real_folders_only() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join(".git/worktrees/wt")).unwrap();
        assert_eq!(
            tidy(&d.join(".git/worktrees/wt/../../hooks/./pre-commit")),
            d.join(".git/hooks/pre-commit")
        );
        #[cfg(unix)]
        {
            std::fs::create_dir_all(d.join("elsewhere/deep")).unwrap();
            std::os::unix::fs::symlink(d.join("elsewhere/deep"), d.join("link")).unwrap();
            assert_eq!(tidy(&d.join("link/../x")), d.join("link/../x"));
        }
    }
}
