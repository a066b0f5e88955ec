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
const DIR_ENTRY_CAP: usize = 10_000;

#[derive(Debug, Clone)]
pub struct Project {
    root: PathBuf,
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
        Ok(Project {
            root: path.to_path_buf(),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// True when something named `rel` is there (a file, or a symlink even if
    /// broken: reading it then reports what is wrong instead of pretending it is absent).
    pub fn has_file(&self, rel: &str) -> bool {
        match fs::symlink_metadata(self.path(rel)) {
            Ok(m) => {
                !m.is_dir() && (m.is_file() || m.file_type().is_symlink()) && !self.is_dir(rel)
            }
            Err(_) => false,
        }
    }

    pub fn is_dir(&self, rel: &str) -> bool {
        fs::metadata(self.path(rel))
            .map(|m| m.is_dir())
            .unwrap_or(false)
    }

    /// Reads a text file of the project; `Ok(None)` when it does not exist.
    /// Unreadable, oversized, non-UTF-8 files and symlink loops are errors naming the file.
    pub fn read_opt(&self, rel: &str, cap: u64) -> Result<Option<String>> {
        if !self.has_file(rel) {
            return Ok(None);
        }
        self.read(rel, cap).map(Some)
    }

    pub fn read(&self, rel: &str, cap: u64) -> Result<String> {
        let path = self.path(rel);
        let err = |message: String| Error::Io {
            path: PathBuf::from(rel),
            message,
        };
        let meta = fs::metadata(&path).map_err(|e| err(describe_io(&e)))?;
        if !meta.is_file() {
            return Err(err("not a regular file".into()));
        }
        if meta.len() > cap {
            return Err(err(format!(
                "file is {} bytes, more than the {} bytes dfgen reads from a file of this kind",
                meta.len(),
                cap
            )));
        }
        let file = fs::File::open(&path).map_err(|e| err(describe_io(&e)))?;
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        // The cap holds even if the file grows between the stat and the read.
        file.take(cap + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| err(describe_io(&e)))?;
        if bytes.len() as u64 > cap {
            return Err(err(format!("file grew past {cap} bytes while being read")));
        }
        String::from_utf8(bytes).map_err(|_| err("not UTF-8 text".into()))
    }

    /// Best-effort read for scanning source files: anything odd is skipped, as a
    /// hint that cannot be read is simply not a hint.
    pub fn read_source(&self, rel: &str) -> Option<String> {
        self.read(rel, SOURCE_CAP).ok()
    }

    /// Sorted names in a directory of the project (files and directories), so
    /// every choice made from a listing is deterministic. Missing dir → empty.
    pub fn list(&self, rel: &str) -> Result<Vec<DirEntry>> {
        let path = if rel.is_empty() {
            self.root.clone()
        } else {
            self.path(rel)
        };
        let rd = match fs::read_dir(&path) {
            Ok(rd) => rd,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(Error::Io {
                    path: PathBuf::from(if rel.is_empty() { "." } else { rel }),
                    message: describe_io(&e),
                });
            }
        };
        let mut out = Vec::new();
        for entry in rd.take(DIR_ENTRY_CAP) {
            let Ok(entry) = entry else { continue };
            let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            // Follow symlinks for the kind, but a dangling or looping one is a file
            // name we will report on if we ever need to read it.
            let is_dir = fs::metadata(entry.path())
                .map(|m| m.is_dir())
                .unwrap_or(false);
            out.push(DirEntry { name, is_dir });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
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
