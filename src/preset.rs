//! Presets are data (YAML under presets/): base images, version knowledge,
//! cache targets, users and runtime variants. Adding a variant or a version is
//! a YAML edit; nothing here knows about any particular image.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::assets::Assets;
use crate::error::{Error, Result};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Preset {
    pub name: String,
    pub description: String,
    /// An ecosystem of the registry (`go`, `node`...).
    pub ecosystem: String,
    /// Restricts the preset to one app shape (e.g. `static` for node-static).
    #[serde(default)]
    pub shape: Option<String>,
    /// Files this preset writes, each from a template.
    pub files: Vec<FileSpec>,
    pub version: VersionSpec,
    /// Build-stage images; may reference the version ARG as `${ARG}`.
    pub images: BTreeMap<String, String>,
    #[serde(default)]
    pub cache: BTreeMap<String, String>,
    /// Pinned versions of build tools installed in the builder (uv, poetry...).
    #[serde(default)]
    pub tools: BTreeMap<String, String>,
    #[serde(default)]
    pub package_managers: BTreeMap<String, PackageManager>,
    /// Port used when the app reads PORT but names no default.
    #[serde(default)]
    pub default_port: Option<u16>,
    pub runtime: RuntimeSpec,
    /// Ecosystem-specific data its planner reads (PHP extensions, Ruby native
    /// gems...): knowledge kept in YAML rather than in code.
    #[serde(default)]
    pub data: BTreeMap<String, serde_json::Value>,
    /// Where this preset was read from (embedded or a file); set on load.
    #[serde(skip_deserializing, default)]
    pub origin: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FileSpec {
    pub path: String,
    pub template: String,
    /// Written only when asked for (`--also`, `also:` in dfgen.yaml, the wizard).
    #[serde(default)]
    pub optional: bool,
    /// What an optional file is for, shown when offering it.
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VersionSpec {
    pub language: String,
    pub arg: String,
    pub tag_parts: usize,
    pub default: String,
    pub known: Vec<String>,
    #[serde(default)]
    pub aliases: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PackageManager {
    pub cache: String,
    /// Installs the package manager itself (`{version}` is replaced), if needed.
    #[serde(default)]
    pub setup: Option<String>,
    #[serde(default)]
    pub default_version: Option<String>,
    pub install: String,
    pub install_prod: String,
    pub install_unlocked: String,
    pub install_prod_unlocked: String,
    pub ignore_scripts: String,
    #[serde(default)]
    pub rebuild: Option<String>,
    pub run: String,
    /// Runs a dependency's binary (`npx --no-install`, `pnpm exec`): turbo.
    #[serde(default)]
    pub exec: Option<String>,
    /// Workspaces: the production install of one package (`{dir}`, `{name}`);
    /// none: the manager cannot install one package's, so all packages' are installed.
    #[serde(default)]
    pub workspace_install_prod: Option<String>,
    #[serde(default)]
    pub workspace_install_prod_unlocked: Option<String>,
    /// Workspaces: builds one package (`{dir}`, `{name}`).
    #[serde(default)]
    pub workspace_build: Option<String>,
    /// ...and that command builds the package's workspace dependencies first.
    #[serde(default)]
    pub workspace_build_deps: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuntimeSpec {
    pub default: String,
    pub variants: BTreeMap<String, Variant>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Variant {
    pub description: String,
    /// May reference the version ARG as `${ARG}`.
    pub image: String,
    /// Numeric UID the container runs as; never 0.
    pub user: u32,
    #[serde(default)]
    pub group: Option<u32>,
    /// The runtime image has a shell and no such user: create it.
    #[serde(default)]
    pub create_user: bool,
    /// The image has `/bin/sh` (false for distroless and scratch), so a
    /// deployment file's shell command can run there.
    #[serde(default = "yes")]
    pub shell: bool,
    /// Anything else a template may use (ca_certificates, passwd, node_binary...).
    #[serde(flatten)]
    pub settings: BTreeMap<String, serde_json::Value>,
}

impl Preset {
    pub fn variant(&self, name: &str) -> Result<&Variant> {
        self.runtime.variants.get(name).ok_or_else(|| {
            Error::Usage(format!(
                "preset `{}` has no runtime `{name}`; it offers: {}",
                self.name,
                self.runtime
                    .variants
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
    }

    fn validate(&self) -> Result<()> {
        let err = |m: String| Error::Preset {
            preset: self.name.clone(),
            message: m,
        };
        let image_ok = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "./:_-@${}".contains(c))
        };
        if crate::ecosystems::by_name(&self.ecosystem).is_none() {
            return Err(err(format!(
                "ecosystem: `{}` is not one dfgen knows ({})",
                self.ecosystem,
                crate::ecosystems::REGISTRY
                    .iter()
                    .map(|e| e.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        for (k, v) in &self.images {
            if !image_ok(v) {
                return Err(err(format!("images.{k}: {v:?} is not an image reference")));
            }
        }
        if !self.runtime.variants.contains_key(&self.runtime.default) {
            return Err(err(format!(
                "runtime.default `{}` is not a variant",
                self.runtime.default
            )));
        }
        for (name, v) in &self.runtime.variants {
            if !image_ok(&v.image) {
                return Err(err(format!(
                    "runtime.variants.{name}.image: {:?} is not an image reference",
                    v.image
                )));
            }
            if v.user == 0 || v.group == Some(0) {
                return Err(err(format!(
                    "runtime.variants.{name}: user and group must be non-root (not 0)"
                )));
            }
            crate::safe::name(&self.origin, &format!("runtime.variants.{name}"), name)?;
        }
        if !self.version.known.contains(&self.version.default) {
            return Err(err(format!(
                "version.default {} is not in version.known",
                self.version.default
            )));
        }
        if !self
            .version
            .arg
            .chars()
            .all(|c| c.is_ascii_uppercase() || c == '_')
        {
            return Err(err(format!(
                "version.arg {:?} must be UPPER_CASE",
                self.version.arg
            )));
        }
        for f in &self.files {
            crate::safe::rel_path(&self.origin, "files.path", &f.path)?;
        }
        Ok(())
    }
}

/// All presets, sorted by name. A broken preset file is an error naming it.
pub fn load_all(assets: &Assets) -> Result<Vec<Preset>> {
    let mut out = Vec::new();
    for asset in assets.presets()? {
        let mut preset: Preset = crate::yaml::from_str(&asset.origin_label(), &asset.text)?;
        preset.origin = asset.origin_label();
        preset.validate()?;
        if out.iter().any(|p: &Preset| p.name == preset.name) {
            return Err(Error::Preset {
                preset: preset.name,
                message: format!("defined twice (again in {})", asset.origin_label()),
            });
        }
        out.push(preset);
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

pub fn find<'a>(presets: &'a [Preset], name: &str) -> Result<&'a Preset> {
    presets.iter().find(|p| p.name == name).ok_or_else(|| {
        Error::Usage(format!(
            "no preset named `{name}`; known presets: {}",
            presets
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}

impl crate::assets::Asset {
    /// `presets/go.yaml` for embedded files, the path for the user's own.
    pub fn origin_label(&self) -> String {
        if self.origin == "embedded" {
            format!("presets/{}", self.name)
        } else {
            self.origin.clone()
        }
    }
}

fn yes() -> bool {
    true
}
