//! Where keyward's output goes: files it writes (reports, baselines, hooks) and standard
//! output.
//!
//! A file is written through a temporary file created exclusively, under a random name,
//! in the target's own folder (never through a symbolic link), then renamed over the
//! target, so a reader never sees half a file and a link planted in a scanned
//! repository cannot redirect the write. The temporary file is removed when the write
//! fails, and when keyward is interrupted (Ctrl-C, `SIGTERM`, `SIGHUP`) during it.
//!
//! Standard output treats a closed pipe (`keyward … | head`) as the reader having seen
//! enough: the rest of the output is dropped and the command ends as it would have.
//!
//! It must not know what it writes: callers hand it bytes and a place.

use anyhow::{anyhow, bail, Context as _, Result};
use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

/// Whose choice a path is, which decides how far keyward trusts it.
#[derive(Debug, Clone, Copy)]
pub enum Place<'a> {
    /// Named by the user (`-o FILE`, `--report FORMAT:FILE`): a symbolic link is the
    /// user's and is kept (its target is replaced); a device or FIFO is written in place.
    Named,
    /// A default path inside the tree at this root (`.keyward-baseline`, a hook file):
    /// a symbolic link, a special file, or a folder that resolves outside the root is
    /// refused, since the repository may have planted it.
    Inside(&'a Path),
}

/// Write the file at `path` (a path the user named) atomically.
pub fn write_file(path: &Path, body: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    write(path, Place::Named, None, body)
}

/// Write `path` atomically; `mode` sets the permission bits (else an existing file's
/// are kept, and a new file gets the usual ones).
pub fn write(
    path: &Path,
    place: Place<'_>,
    mode: Option<u32>,
    body: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    let fail = |e: io::Error| anyhow!("cannot write {}: {e}", path.display());
    let name = path
        .file_name()
        .filter(|n| *n != "." && *n != "..")
        .with_context(|| format!("cannot write {}: not a file name", path.display()))?;
    let link = path.symlink_metadata().ok();
    let is_link = link.as_ref().is_some_and(|m| m.file_type().is_symlink());
    let existing = std::fs::metadata(path).ok();
    if existing.as_ref().is_some_and(Metadata::is_dir) {
        bail!(
            "cannot write {}: it is a directory (give a file name)",
            path.display()
        );
    }
    let (dir, name) = match place {
        Place::Inside(root) => {
            if is_link {
                bail!(
                    "refusing to write {}: it is a symbolic link, which the repository may have planted \
                     to redirect the write; remove it, or name the file to write with -o",
                    path.display()
                );
            }
            if link.as_ref().is_some_and(|m| !m.is_file()) {
                bail!(
                    "refusing to write {}: it is not a regular file; remove it, or name the file to write with -o",
                    path.display()
                );
            }
            let dir = resolved_dir(path).map_err(fail)?;
            let root = std::fs::canonicalize(root)
                .with_context(|| format!("cannot resolve {}", root.display()))?;
            if !dir.starts_with(&root) {
                bail!(
                    "refusing to write {}: its folder resolves to {}, outside {} (a symbolic link on the way?); \
                     name the file to write with -o",
                    path.display(),
                    dir.display(),
                    root.display()
                );
            }
            (dir, name.to_os_string())
        }
        Place::Named => {
            if let Some(meta) = &existing {
                if !meta.is_file() {
                    // A device or FIFO (`-o /dev/null`, `-o /dev/stdout`): written in place,
                    // never replaced.
                    let file = OpenOptions::new().write(true).open(path).map_err(fail)?;
                    let mut w = BufWriter::new(file);
                    return body(&mut w).and_then(|()| w.flush()).map_err(fail);
                }
            }
            if is_link {
                // The user's link stays; its target is replaced.
                let target = std::fs::canonicalize(path).map_err(fail)?;
                let dir = target.parent().map(Path::to_path_buf).unwrap_or_default();
                let name = target
                    .file_name()
                    .with_context(|| format!("{}: not a file name", target.display()))?;
                (dir, name.to_os_string())
            } else {
                (resolved_dir(path).map_err(fail)?, name.to_os_string())
            }
        }
    };
    replace(&dir, &name, existing.as_ref(), mode, body).map_err(fail)
}

/// The folder `path` is in, with every link in it resolved.
fn resolved_dir(path: &Path) -> io::Result<PathBuf> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::canonicalize(dir)
}

/// Write a new temporary file in `dir` and rename it to `dir/name`.
fn replace(
    dir: &Path,
    name: &std::ffi::OsStr,
    existing: Option<&Metadata>,
    mode: Option<u32>,
    body: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let prefix = format!(".{}.", name.to_string_lossy());
    let mut tmp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".keyward-tmp")
        .make_in(dir, create_new)?;
    let live = Live::register(tmp.path());
    let mut w = BufWriter::new(tmp.as_file_mut());
    body(&mut w)?;
    w.flush()?;
    drop(w);
    let file = tmp.as_file();
    match (mode, existing) {
        #[cfg(unix)]
        (Some(mode), _) => {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(mode))?;
        }
        (_, Some(meta)) => file.set_permissions(meta.permissions())?,
        _ => {}
    }
    file.sync_all()?;
    tmp.persist(dir.join(name)).map_err(|e| e.error)?;
    drop(live);
    Ok(())
}

/// Create a file that did not exist, not through a link, with the permission bits a new
/// file usually gets (`0666` less the umask).
fn create_new(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o666).custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path)
}

/// Temporary files being written, removed if keyward is interrupted.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static HANDLER: Once = Once::new();

/// Exit status after an interruption (128 + SIGINT, as a shell reports Ctrl-C).
use crate::exit::INTERRUPTED as EXIT_INTERRUPTED;

/// A temporary file listed in [`LIVE`] while it exists.
struct Live(PathBuf);

impl Live {
    fn register(path: &Path) -> Live {
        HANDLER.call_once(|| {
            // If the signals cannot be handled, an interruption may leave the file.
            let _ = ctrlc::set_handler(|| {
                let live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
                for p in live.iter() {
                    let _ = std::fs::remove_file(p);
                }
                let _ = writeln!(io::stderr(), "keyward: interrupted");
                std::process::exit(EXIT_INTERRUPTED);
            });
        });
        let mut live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
        live.push(path.to_path_buf());
        Live(path.to_path_buf())
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        let mut live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
        live.retain(|p| p != &self.0);
    }
}

/// Whether `err` is, or was caused by, a closed pipe.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Standard output, buffered; once its reader has gone (a closed pipe), everything
/// written to it is dropped without an error. Call `flush` at the end: its error (a full
/// disk) is the command's.
pub fn stdout() -> BufWriter<Stdout> {
    BufWriter::new(Stdout {
        inner: io::stdout().lock(),
        closed: false,
    })
}

/// See [`stdout`].
pub struct Stdout {
    inner: io::StdoutLock<'static>,
    closed: bool,
}

impl Stdout {
    fn quiet<T>(&mut self, r: io::Result<T>, or: T) -> io::Result<T> {
        match r {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(or)
            }
            r => r,
        }
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        let r = self.inner.write(buf);
        self.quiet(r, buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let r = self.inner.flush();
        self.quiet(r, ())
    }
}

/// Write `text` to standard output; `what` names it in the error (a full disk).
pub fn print(text: &str, what: &str) -> Result<()> {
    let mut out = stdout();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .with_context(|| format!("cannot write {what} to standard output"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".keyward-tmp"))
            .collect()
    }

    #[test]
    fn a_failed_write_leaves_no_temporary_file_and_the_old_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        std::fs::write(&path, "old").unwrap();
        let err = write_file(&path, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("disk on fire"))
        })
        .unwrap_err();
        assert!(format!("{err:#}").contains("disk on fire"), "{err:#}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert!(leftovers(dir.path()).is_empty());
        assert!(LIVE.lock().unwrap().is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_link_at_a_temporary_name_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "mine").unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir(&repo).unwrap();
        std::os::unix::fs::symlink("../victim", repo.join(".out.keyward-tmp")).unwrap();
        std::os::unix::fs::symlink("../victim", repo.join("..out.keyward-tmp")).unwrap();
        let path = repo.join("out");
        write(&path, Place::Inside(&repo), None, |w| w.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "mine");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn a_default_path_that_is_a_link_or_leads_outside_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "mine").unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir(&repo).unwrap();
        std::os::unix::fs::symlink("../victim", repo.join("link")).unwrap();
        std::os::unix::fs::symlink("..", repo.join("up")).unwrap();
        let err = write(&repo.join("link"), Place::Inside(&repo), None, |w| {
            w.write_all(b"x")
        })
        .unwrap_err();
        assert!(format!("{err:#}").contains("symbolic link"), "{err:#}");
        let err = write(&repo.join("up/victim"), Place::Inside(&repo), None, |w| {
            w.write_all(b"x")
        })
        .unwrap_err();
        assert!(format!("{err:#}").contains("outside"), "{err:#}");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "mine");
        // The user's own link is followed.
        write_file(&repo.join("link"), |w| w.write_all(b"asked")).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "asked");
        assert!(repo.join("link").symlink_metadata().unwrap().is_symlink());
    }

    #[cfg(unix)]
    #[test]
    fn modes_are_kept_or_set() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, "a").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_file(&path, |w| w.write_all(b"b")).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        write(&path, Place::Inside(dir.path()), Some(0o755), |w| {
            w.write_all(b"c")
        })
        .unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o755);
    }
}
