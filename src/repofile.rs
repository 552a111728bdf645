//! Reading the files that configure keyward: `keyward.toml`, `.keywardignore`, a
//! baseline, and the files the audit reads as configuration.
//!
//! A file the scanned repository supplies is hostile input: it may be a link to
//! `/proc/self/environ`, a FIFO, or gigabytes long. [`read_repository_file`] follows a
//! symbolic link only when it resolves inside the repository, requires a regular file,
//! and reads at most [`MAX_SIZE`] bytes. A file the user names on the command line
//! ([`read_user_file`]) may be a link anywhere, but it too must be a regular file
//! within the size cap.

use std::io::Read as _;
use std::path::{Path, PathBuf};

/// The most a configuration file may hold.
pub const MAX_SIZE: u64 = 1 << 20;

/// Why a configuration file was not read. The message names the file, never its content.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{path}: no such file")]
    Missing { path: String },
    #[error("{path}: a symbolic link to outside the repository; keyward does not follow links out of the scanned repository for the files it supplies (replace the link with the file)")]
    LinkOutside { path: String },
    #[error(
        "{path}: not a regular file ({kind}); keyward reads configuration from regular files only"
    )]
    NotRegular { path: String, kind: &'static str },
    #[error("{path}: larger than {cap} bytes, the limit for a configuration file")]
    TooLarge { path: String, cap: u64 },
    #[error("{path}: not UTF-8 text")]
    NotText { path: String },
    #[error("cannot read {path}: {error}")]
    Io { path: String, error: std::io::Error },
}

impl ReadError {
    /// The file is not there (as opposed to being there but refused).
    pub fn is_missing(&self) -> bool {
        matches!(self, ReadError::Missing { .. })
    }
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

fn io_error(path: &Path, error: std::io::Error) -> ReadError {
    if error.kind() == std::io::ErrorKind::NotFound {
        ReadError::Missing { path: shown(path) }
    } else {
        ReadError::Io {
            path: shown(path),
            error,
        }
    }
}

fn kind_of(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a directory"
    } else if t.is_symlink() {
        "a symbolic link"
    } else {
        "a special file"
    }
}

/// Read `path`, a file inside the repository at `root` (an absolute path or one
/// relative to the current directory, as `root.join(name)` gives), with the size cap
/// [`MAX_SIZE`].
pub fn read_repository_file(root: &Path, path: &Path) -> Result<Vec<u8>, ReadError> {
    read_repository_file_capped(root, path, MAX_SIZE)
}

/// [`read_repository_file`] with another size cap.
pub fn read_repository_file_capped(
    root: &Path,
    path: &Path,
    cap: u64,
) -> Result<Vec<u8>, ReadError> {
    let root = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    };
    // Resolve every link (of the file and of the folders above it): the result must
    // stay inside the repository.
    std::fs::symlink_metadata(path).map_err(|e| io_error(path, e))?;
    let real = std::fs::canonicalize(path).map_err(|e| match e.kind() {
        // A dangling link, or one that loops.
        std::io::ErrorKind::NotFound => ReadError::LinkOutside { path: shown(path) },
        _ => io_error(path, e),
    })?;
    let real_root = std::fs::canonicalize(root).map_err(|e| io_error(root, e))?;
    if !real.starts_with(&real_root) {
        return Err(ReadError::LinkOutside { path: shown(path) });
    }
    read_regular(path, &real, cap, true)
}

/// Read `path`, a file the user named on the command line (links are followed), with
/// the size cap [`MAX_SIZE`].
/// `/dev/null`, a FIFO or a process substitution (`<(…)`) are read too, up to the cap;
/// a directory is refused.
pub fn read_user_file(path: &Path) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path).map_err(|e| io_error(path, e))?;
    if meta.is_file() {
        let real: PathBuf = std::fs::canonicalize(path).map_err(|e| io_error(path, e))?;
        return read_regular(path, &real, MAX_SIZE, false);
    }
    if meta.is_dir() {
        return Err(ReadError::NotRegular {
            path: shown(path),
            kind: "a directory",
        });
    }
    let file = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    read_capped(path, file, MAX_SIZE)
}

fn read_capped(path: &Path, file: std::fs::File, cap: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(path, e))?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge {
            path: shown(path),
            cap,
        });
    }
    Ok(bytes)
}

/// Read `real` (a path without links) as a regular file of at most `cap` bytes;
/// messages name `path`. `strict`: a file that yields more than its size (a /proc
/// file) is refused.
fn read_regular(path: &Path, real: &Path, cap: u64, strict: bool) -> Result<Vec<u8>, ReadError> {
    let before = std::fs::symlink_metadata(real).map_err(|e| io_error(path, e))?;
    if !before.file_type().is_file() {
        return Err(ReadError::NotRegular {
            path: shown(path),
            kind: kind_of(before.file_type()),
        });
    }
    if before.len() > cap {
        return Err(ReadError::TooLarge {
            path: shown(path),
            cap,
        });
    }
    let file = std::fs::File::open(real).map_err(|e| io_error(path, e))?;
    let after = file.metadata().map_err(|e| io_error(path, e))?;
    if !after.file_type().is_file() || !same_file(&before, &after) {
        return Err(ReadError::NotRegular {
            path: shown(path),
            kind: kind_of(after.file_type()),
        });
    }
    let bytes = read_capped(path, file, cap)?;
    if strict && bytes.len() as u64 > after.len() {
        // /proc and /sys files say they are empty regular files.
        return Err(ReadError::NotRegular {
            path: shown(path),
            kind: "a special file whose size the file system does not know",
        });
    }
    Ok(bytes)
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    true
}

/// The bytes as UTF-8 text (a byte-order mark is dropped).
pub fn text(path: &Path, bytes: Vec<u8>) -> Result<String, ReadError> {
    let mut text =
        String::from_utf8(bytes).map_err(|_| ReadError::NotText { path: shown(path) })?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_inside_are_read_and_capped() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("a.toml"), "x = 1\n").unwrap();
        assert_eq!(
            read_repository_file(root, &root.join("a.toml")).unwrap(),
            b"x = 1\n"
        );
        std::fs::write(root.join("big"), vec![b'a'; 11]).unwrap();
        let err = read_repository_file_capped(root, &root.join("big"), 10).unwrap_err();
        assert!(matches!(err, ReadError::TooLarge { cap: 10, .. }), "{err}");
        assert!(read_repository_file(root, &root.join("none"))
            .unwrap_err()
            .is_missing());
        let err = read_repository_file(root, root).unwrap_err();
        assert!(err.to_string().contains("a directory"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_repository_are_refused_links_inside_followed() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "TOKEN=1\n").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::os::unix::fs::symlink(outside.path().join("secret"), root.join("out")).unwrap();
        std::os::unix::fs::symlink("/proc/self/environ", root.join("env")).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("dir")).unwrap();
        std::os::unix::fs::symlink("nowhere", root.join("dangling")).unwrap();
        for name in ["out", "env", "dir/secret", "dangling"] {
            let err = read_repository_file(root, &root.join(name)).unwrap_err();
            assert!(
                matches!(err, ReadError::LinkOutside { .. }),
                "{name}: {err}"
            );
            assert!(!err.to_string().contains("TOKEN"), "{err}");
        }
        std::fs::write(root.join("real.toml"), "x = 1\n").unwrap();
        std::os::unix::fs::symlink("real.toml", root.join("inside")).unwrap();
        assert_eq!(
            read_repository_file(root, &root.join("inside")).unwrap(),
            b"x = 1\n"
        );
        // The user's own files may be links anywhere.
        assert_eq!(
            read_user_file(&root.join("out")).unwrap(),
            b"TOKEN=1\n".to_vec()
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn special_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        // A /proc file is refused even through a link inside the repository's root.
        let err = read_repository_file(Path::new("/proc/self"), Path::new("/proc/self/environ"))
            .unwrap_err();
        assert!(matches!(err, ReadError::NotRegular { .. }), "{err}");
        // The user's own files: /dev/null is empty; the rest is capped, never read whole.
        assert!(read_user_file(Path::new("/dev/null")).unwrap().is_empty());
        let err = read_user_file(Path::new("/dev/zero")).unwrap_err();
        assert!(matches!(err, ReadError::TooLarge { .. }), "{err}");
        assert!(read_user_file(Path::new("/proc/self/pagemap")).is_err());
        let fifo = dir.path().join("fifo");
        if std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success())
        {
            let err = read_repository_file(dir.path(), &fifo).unwrap_err();
            assert!(err.to_string().contains("a FIFO"), "{err}");
        }
    }
}
