//! Templates and presets: embedded in the binary (so an installed dfgen works
//! anywhere), overridable file by file from directories the user names.
//!
//! A project's own `.dfgen/templates` and `.dfgen/presets` come from whoever
//! wrote the project, so they are announced, and used only when the run can
//! trust them (see [`Assets::with_project_in`]): not by `init --check`, not in
//! CI, unless `--trust-project-templates` or `DFGEN_TRUST_PROJECT_TEMPLATES=1`
//! says so. Every template and preset file is read through
//! [`crate::project::read_capped`]: a regular file, at most [`ASSET_CAP`]
//! bytes, never a FIFO or device, and never a symlink leading out of the
//! directory it was found in.

use std::fs;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::error::{Error, Result, describe_io};
use crate::project::{read_capped, text};

static TEMPLATES: Dir = include_dir!("$CARGO_MANIFEST_DIR/templates");
static PRESETS: Dir = include_dir!("$CARGO_MANIFEST_DIR/presets");

/// Where templates and presets come from: the embedded ones, overridden file
/// by file by each directory in turn (later ones win).
#[derive(Debug, Clone, Default)]
pub struct Assets {
    pub templates_dirs: Vec<PathBuf>,
    pub presets_dirs: Vec<PathBuf>,
    /// Use the project's own templates and presets even under `--check` or in
    /// CI (`--trust-project-templates`).
    pub trust_project: bool,
}

/// The directory `dfgen eject` writes to, and where a project's own
/// templates and presets are picked up from.
pub const PROJECT_DIR: &str = ".dfgen";

/// The switch, for environments where flags are awkward (CI configuration):
/// `1`, `true` or `yes` trusts the project's own templates and presets.
pub const TRUST_ENV: &str = "DFGEN_TRUST_PROJECT_TEMPLATES";

/// Largest template or preset file dfgen reads.
pub const ASSET_CAP: u64 = 256 * 1024;
/// Most template or preset files read from one directory tree.
pub const ASSET_FILES_CAP: usize = 1_000;

/// Whether `name` is set to a yes (`1`, `true`, `yes`, any case).
fn env_yes(name: &str) -> bool {
    std::env::var(name)
        .is_ok_and(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes"))
}

/// Whether this run is in CI: `CI` set to anything but empty, `0` or `false`
/// (GitHub Actions, GitLab CI, CircleCI, Travis, Buildkite... all set it).
pub fn in_ci() -> bool {
    std::env::var("CI")
        .is_ok_and(|v| !matches!(v.to_ascii_lowercase().as_str(), "" | "0" | "false"))
}

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

    /// [`Assets::with_project_in`] for a run that writes (not `--check`).
    pub fn with_project(&self, root: &Path) -> (Assets, Vec<String>) {
        self.with_project_in(root, false)
    }

    /// These assets with the project's `.dfgen/templates` and `.dfgen/presets`
    /// (when present) placed under the command-line directories, which still
    /// win. Returns a note for each project directory found, used or not.
    ///
    /// The policy: a project's own templates and presets are used when the
    /// run is trusted (`trust_project`, or [`TRUST_ENV`] set to yes), or when
    /// it is neither `check` (`init --check`) nor in CI ([`in_ci`]): a person
    /// running dfgen on their own project gets their customisations, and a
    /// pipeline checking someone's pull request does not run their templates.
    /// A `.dfgen` directory that is a symbolic link leading out of the project
    /// is never used.
    pub fn with_project_in(&self, root: &Path, check: bool) -> (Assets, Vec<String>) {
        let mut out = self.clone();
        let mut notes = Vec::new();
        let trusted = self.trust_project || env_yes(TRUST_ENV);
        let why_not = if trusted {
            None
        } else if check {
            Some("`init --check` does not use them")
        } else if in_ci() {
            Some("CI is set, and in CI they are not used")
        } else {
            None
        };
        let real_root = fs::canonicalize(root).ok();
        for (kind, dirs) in [
            ("templates", &mut out.templates_dirs),
            ("presets", &mut out.presets_dirs),
        ] {
            let dir = root.join(PROJECT_DIR).join(kind);
            if !dir.is_dir() {
                continue;
            }
            let inside = match (&real_root, fs::canonicalize(&dir)) {
                (Some(r), Ok(d)) => d.starts_with(r),
                _ => false,
            };
            if !inside {
                notes.push(format!(
                    "not using {}: it is a symbolic link leading outside the project",
                    dir.display()
                ));
                continue;
            }
            match why_not {
                Some(why) => notes.push(format!(
                    "the project has its own {kind} in {}, not used: {why} \
                     (pass --trust-project-templates or set {TRUST_ENV}=1 to use them)",
                    dir.display()
                )),
                None => {
                    notes.push(format!(
                        "using the project's own {kind} from {} over the built-in ones",
                        dir.display()
                    ));
                    dirs.insert(0, dir);
                }
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
    let real_root = fs::canonicalize(root).map_err(|e| Error::Io {
        path: root.to_path_buf(),
        message: describe_io(&e),
    })?;
    collect_tree(&real_root, root, dir, ext, depth, out)
}

/// Files under `dir` ending in `ext`, in sorted order, at most
/// [`ASSET_FILES_CAP`] of them; each read through the capped reader and
/// refused if it (or a directory on the way) leads out of `real_root`.
fn collect_tree(
    real_root: &Path,
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
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if out.len() >= ASSET_FILES_CAP {
            return Err(Error::Io {
                path: root.to_path_buf(),
                message: format!("holds more than {ASSET_FILES_CAP} files; dfgen reads no more"),
            });
        }
        let label = path.display().to_string();
        let real = match fs::canonicalize(&path) {
            Ok(r) => r,
            // A dangling link that would not be read anyway.
            Err(_) if !path.to_string_lossy().ends_with(ext) => continue,
            Err(e) => {
                return Err(Error::Io {
                    path,
                    message: describe_io(&e),
                });
            }
        };
        if !real.starts_with(real_root) {
            return Err(Error::Io {
                path,
                message: format!(
                    "is a symbolic link leading outside {} (to {}); dfgen does not read it",
                    root.display(),
                    real.display()
                ),
            });
        }
        if real.is_dir() {
            collect_tree(real_root, root, &path, ext, depth + 1, out)?;
        } else if path.to_string_lossy().ends_with(ext) {
            let text = text(&label, read_capped(&real, &label, ASSET_CAP)?)?;
            let name = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            out.push(Asset {
                name,
                text,
                origin: label,
            });
        }
    }
    Ok(())
}
