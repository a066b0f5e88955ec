//! Templates and presets: embedded in the binary (so an installed dfgen works
//! anywhere), overridable file by file from directories the user names.

use std::fs;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::error::{Error, Result, describe_io};

static TEMPLATES: Dir = include_dir!("$CARGO_MANIFEST_DIR/templates");
static PRESETS: Dir = include_dir!("$CARGO_MANIFEST_DIR/presets");

/// Where templates and presets come from: the embedded ones, overridden file
/// by file by each directory in turn (later ones win).
#[derive(Debug, Clone, Default)]
pub struct Assets {
    pub templates_dirs: Vec<PathBuf>,
    pub presets_dirs: Vec<PathBuf>,
}

/// The directory `dfgen eject` writes to, and where a project's own
/// templates and presets are picked up from.
pub const PROJECT_DIR: &str = ".dfgen";

/// One template or preset file.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path relative to the templates/presets root, with `/`.
    pub name: String,
    pub text: String,
    /// `embedded`, or the file it was read from.
    pub origin: String,
}

impl Assets {
    pub fn templates(&self) -> Result<Vec<Asset>> {
        merged(&TEMPLATES, &self.templates_dirs, ".tera")
    }

    pub fn presets(&self) -> Result<Vec<Asset>> {
        merged(&PRESETS, &self.presets_dirs, ".yaml")
    }

    /// These assets with the project's `.dfgen/templates` and `.dfgen/presets`
    /// (when present) placed under the command-line directories, which still
    /// win. Returns a note for each project directory used.
    pub fn with_project(&self, root: &Path) -> (Assets, Vec<String>) {
        let mut out = self.clone();
        let mut notes = Vec::new();
        for (kind, dirs) in [
            ("templates", &mut out.templates_dirs),
            ("presets", &mut out.presets_dirs),
        ] {
            let dir = root.join(PROJECT_DIR).join(kind);
            if dir.is_dir() {
                notes.push(format!(
                    "using the project's own {kind} from {} over the built-in ones",
                    dir.display()
                ));
                dirs.insert(0, dir);
            }
        }
        (out, notes)
    }
}

/// Every embedded file as (path under templates/ or presets/, text), for `dfgen eject`.
pub fn embedded_files() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (root, dir, ext) in [
        ("templates", &TEMPLATES, ".tera"),
        ("presets", &PRESETS, ".yaml"),
    ] {
        let mut assets = Vec::new();
        collect_embedded(dir, ext, &mut assets);
        out.extend(
            assets
                .into_iter()
                .map(|a| (format!("{root}/{}", a.name), a.text)),
        );
    }
    out.sort();
    out
}

fn merged(embedded: &Dir<'static>, dirs: &[PathBuf], ext: &str) -> Result<Vec<Asset>> {
    let mut out: Vec<Asset> = Vec::new();
    collect_embedded(embedded, ext, &mut out);
    for dir in dirs {
        let mut found = Vec::new();
        collect_dir(dir, dir, ext, 0, &mut found)?;
        for asset in found {
            match out.iter_mut().find(|a| a.name == asset.name) {
                Some(slot) => *slot = asset,
                None => out.push(asset),
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

fn collect_embedded(dir: &Dir<'static>, ext: &str, out: &mut Vec<Asset>) {
    for file in dir.files() {
        let name = file.path().to_string_lossy().replace('\\', "/");
        if name.ends_with(ext)
            && let Some(text) = file.contents_utf8()
        {
            out.push(Asset {
                name,
                text: text.to_string(),
                origin: "embedded".into(),
            });
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, ext, out);
    }
}

fn collect_dir(
    root: &Path,
    dir: &Path,
    ext: &str,
    depth: usize,
    out: &mut Vec<Asset>,
) -> Result<()> {
    if depth > 8 {
        return Ok(());
    }
    let entries = fs::read_dir(dir).map_err(|e| Error::Io {
        path: dir.to_path_buf(),
        message: describe_io(&e),
    })?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_dir(root, &path, ext, depth + 1, out)?;
        } else if path.to_string_lossy().ends_with(ext) {
            let text = fs::read_to_string(&path).map_err(|e| Error::Io {
                path: path.clone(),
                message: describe_io(&e),
            })?;
            let name = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            out.push(Asset {
                name,
                text,
                origin: path.display().to_string(),
            });
        }
    }
    Ok(())
}
