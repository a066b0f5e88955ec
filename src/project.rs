//! Read-only access to the user's project. Every detector reads through here,
//! so limits (file size, directory size) and error wording live in one place,
//! and nothing walks into `node_modules/`, `.git/` or other big trees by accident.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result, describe_io};

/// Manifests and config files are small; anything bigger is not what we think it is.
pub const MANIFEST_CAP: u64 = 1024 * 1024;
/// Lockfiles of large apps reach several MiB.
pub const LOCKFILE_CAP: u64 = 32 * 1024 * 1024;
/// Source files scanned for hints (ports, app objects); bigger ones are skipped.
pub const SOURCE_CAP: u64 = 256 * 1024;
/// Directory listings are cut here: detection only ever needs a few names.
pub const DIR_ENTRY_CAP: usize = 10_000;

#[derive(Debug, Clone)]
pub struct Project {
    root: PathBuf,
    /// The root with every symlink resolved: what "inside the project" means.
    real_root: PathBuf,
}

impl Project {
    /// Opens a project directory, failing early (and clearly) when it is not one.
    pub fn open(path: &Path) -> Result<Project> {
        let meta = fs::metadata(path).map_err(|e| Error::io(path, &e))?;
        if !meta.is_dir() {
            return Err(Error::Io {
                path: path.to_path_buf(),
                message: "not a directory".into(),
            });
        }
        fs::read_dir(path).map_err(|e| Error::io(path, &e))?;
        let real_root = fs::canonicalize(path).map_err(|e| Error::io(path, &e))?;
        Ok(Project {
            root: path.to_path_buf(),
            real_root,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// True when something that is not a directory is named `rel` (a file, a
    /// symlink even if broken, a FIFO or a device: reading it then reports what
    /// is wrong instead of pretending it is absent).
    pub fn has_file(&self, rel: &str) -> bool {
        match fs::symlink_metadata(self.path(rel)) {
            Ok(m) => !m.is_dir() && !self.is_dir(rel),
            Err(_) => false,
        }
    }

    /// A directory inside the project (a symlink to a directory counts only
    /// when it stays inside the project).
    pub fn is_dir(&self, rel: &str) -> bool {
        self.inside(rel)
            .is_ok_and(|real| fs::metadata(real).is_ok_and(|m| m.is_dir()))
    }

    /// `rel` with every symlink resolved, when that stays inside the project.
    /// The error names `rel` and where it leads, never anything read from there.
    fn inside(&self, rel: &str) -> Result<PathBuf> {
        let path = if rel.is_empty() || rel == "." {
            self.root.clone()
        } else {
            self.path(rel)
        };
        let real = fs::canonicalize(&path).map_err(|e| Error::Io {
            path: PathBuf::from(rel),
            message: describe_io(&e),
        })?;
        if !real.starts_with(&self.real_root) {
            return Err(Error::Io {
                path: PathBuf::from(rel),
                message: format!(
                    "is a symbolic link leading outside the project (to {}); \
                     dfgen reads only files inside the project",
                    real.display()
                ),
            });
        }
        Ok(real)
    }

    /// Reads a text file of the project; `Ok(None)` when it does not exist.
    /// Unreadable, oversized, non-UTF-8 files and symlink loops are errors naming the file.
    pub fn read_opt(&self, rel: &str, cap: u64) -> Result<Option<String>> {
        if !self.has_file(rel) {
            return Ok(None);
        }
        self.read(rel, cap).map(Some)
    }

    /// Reads a text file of the project through [`read_capped`]: a regular
    /// file inside the project (symlinks may point elsewhere inside it, never
    /// out of it), at most `cap` bytes, UTF-8, a leading byte-order mark dropped.
    pub fn read(&self, rel: &str, cap: u64) -> Result<String> {
        let real = self.inside(rel)?;
        let bytes = read_capped(&real, rel, cap)?;
        text(rel, bytes)
    }
    /// Best-effort read for scanning source files: anything odd is skipped, as a
    /// hint that cannot be read is simply not a hint.
    pub fn read_source(&self, rel: &str) -> Option<String> {
        self.read(rel, SOURCE_CAP).ok()
    }

    /// Sorted names in a directory of the project (files and directories), so
    /// every choice made from a listing is deterministic: the whole listing is
    /// sorted before it is cut at [`DIR_ENTRY_CAP`]. Missing dir, or one that
    /// leads outside the project → empty.
    pub fn list(&self, rel: &str) -> Result<Vec<DirEntry>> {
        let shown = if rel.is_empty() { "." } else { rel };
        let path = match self.inside(rel) {
            Ok(p) => p,
            Err(_) => return Ok(Vec::new()),
        };
        let rd = match fs::read_dir(&path) {
            Ok(rd) => rd,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(Error::Io {
                    path: PathBuf::from(shown),
                    message: describe_io(&e),
                });
            }
        };
        let mut names: Vec<String> = rd
            .flatten()
            .filter_map(|e| e.file_name().to_str().map(str::to_owned))
            .collect();
        names.sort();
        names.truncate(DIR_ENTRY_CAP);
        Ok(names
            .into_iter()
            .map(|name| {
                // Follow symlinks for the kind, but a dangling or looping one is a file
                // name we will report on if we ever need to read it.
                let is_dir = fs::metadata(path.join(&name)).is_ok_and(|m| m.is_dir());
                DirEntry { name, is_dir }
            })
            .collect())
    }

    /// Files with one of `exts` under `rel`, depth-limited and capped in count,
    /// skipping hidden, dependency and build-output directories.
    pub fn source_files(
        &self,
        rel: &str,
        exts: &[&str],
        max_depth: usize,
        max_files: usize,
    ) -> Vec<String> {
        let mut out = Vec::new();
        self.walk(rel, exts, max_depth, max_files, &mut out);
        out
    }

    fn walk(&self, rel: &str, exts: &[&str], depth: usize, max: usize, out: &mut Vec<String>) {
        let Ok(entries) = self.list(rel) else { return };
        for e in entries {
            if out.len() >= max {
                return;
            }
            let child = join(rel, &e.name);
            if e.is_dir {
                if depth > 0 && !is_skipped_dir(&e.name) {
                    self.walk(&child, exts, depth - 1, max, out);
                }
            } else if exts.iter().any(|x| e.name.ends_with(x)) {
                out.push(child);
            }
        }
    }
}

/// Bytes of a text file as a string: UTF-8 required, a leading byte-order
/// mark (which some Windows editors write into JSON, TOML and go.mod) dropped.
pub fn text(label: &str, bytes: Vec<u8>) -> Result<String> {
    let s = String::from_utf8(bytes).map_err(|_| Error::Io {
        path: PathBuf::from(label),
        message: "not UTF-8 text".into(),
    })?;
    Ok(match s.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => s,
    })
}

/// The one way dfgen reads a file it did not write itself (project files,
/// existing outputs, templates, presets): the path's last component is not
/// followed if it is a symlink (resolve it first, see [`Project::read`]), the
/// open never blocks (a FIFO is refused, not waited on), anything but a
/// regular file (FIFO, device, socket, directory) is refused, and at most
/// `cap` bytes are read even if the file grows meanwhile. Errors name `label`
/// and never quote the file.
pub fn read_capped(path: &Path, label: &str, cap: u64) -> Result<Vec<u8>> {
    let err = |message: String| Error::Io {
        path: PathBuf::from(label),
        message,
    };
    let file = open_no_follow(path).map_err(|e| match e.raw_os_error() {
        #[cfg(unix)]
        Some(libc::ELOOP) => err("is a symbolic link; dfgen does not follow it here".into()),
        _ => err(describe_io(&e)),
    })?;
    let meta = file.metadata().map_err(|e| err(describe_io(&e)))?;
    if !meta.is_file() {
        return Err(err(format!(
            "is {}, not a regular file; dfgen reads only regular files",
            kind_of(&meta)
        )));
    }
    if meta.len() > cap {
        return Err(err(format!(
            "file is {} bytes, more than the {} bytes dfgen reads from a file of this kind",
            meta.len(),
            cap
        )));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The cap holds even if the file grows between the stat and the read.
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| err(describe_io(&e)))?;
    if bytes.len() as u64 > cap {
        return Err(err(format!("file grew past {cap} bytes while being read")));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_no_follow(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> std::io::Result<fs::File> {
    if fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(std::io::Error::other("is a symbolic link"));
    }
    fs::File::open(path)
}

/// What a non-regular file is, in words.
pub fn kind_of(meta: &fs::Metadata) -> &'static str {
    let ft = meta.file_type();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_char_device() || ft.is_block_device() {
            return "a device";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    if ft.is_dir() {
        "a directory"
    } else if ft.is_symlink() {
        "a symbolic link"
    } else if ft.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    pub name: String,
    pub is_dir: bool,
}

/// Joins project-relative paths with `/`, whatever the host.
pub fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() || dir == "." {
        name.to_string()
    } else {
        format!("{}/{}", dir.trim_end_matches('/'), name)
    }
}

/// Directories no detector should descend into.
pub fn is_skipped_dir(name: &str) -> bool {
    name.starts_with('.')
        || matches!(
            name,
            "node_modules"
                | "target"
                | "vendor"
                | "dist"
                | "build"
                | "venv"
                | "__pycache__"
                | "site-packages"
        )
}
