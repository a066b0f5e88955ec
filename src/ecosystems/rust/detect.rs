//! Rust: Cargo.toml (package, [[bin]], workspace members, rust-version),
//! rust-toolchain(.toml), Cargo.lock.

use serde::Serialize;
use toml_edit::{DocumentMut, Item};

use crate::ecosystems::bind::LoopbackDefault;
use crate::error::{Error, Result};
use crate::evidence::{Evidence, Fact};
use crate::formats::parse_toml;
use crate::ports::{self as hints, PortHints};
use crate::project::{self, LOCKFILE_CAP, MANIFEST_CAP, Project};
use crate::safe;
use crate::version::Declared;

#[derive(Debug, Clone, Serialize)]
pub struct RustProject {
    pub version: Declared,
    /// Cargo.lock exists: build with --locked.
    pub locked: bool,
    pub workspace: bool,
    pub binaries: Vec<RustBin>,
    /// `default-run` of the root package, when it names one of the binaries.
    pub default_run: Option<Fact<String>>,
    /// `workspace.default-members`: the crates `cargo build` builds by default.
    pub default_members: Option<Fact<Vec<String>>>,
    /// `package.name` of the root manifest, when it is a package.
    pub root_package: Option<String>,
    /// The package names Cargo.lock lists (sorted), when there is a Cargo.lock:
    /// the -sys crates among them decide the builder's and runtime's C libraries.
    pub lock_packages: Option<Vec<String>>,
    /// Every dependency of every manifest with the features it turns on: the
    /// evidence for a -sys crate's bundled/vendored or system mode.
    pub dependencies: Vec<DepSpec>,
    /// sqlx's offline query data (`.sqlx/` or `sqlx-data.json`): the build
    /// sets SQLX_OFFLINE=true and needs no database.
    pub sqlx_offline: Option<Fact<bool>>,
    /// A `sqlx::query!`-family macro (file:line) with no offline data: the
    /// build cannot check it without a database.
    pub sqlx_macros: Option<String>,
    /// `toolchain.components` of rust-toolchain.toml (all of them).
    pub components: Vec<String>,
    /// `toolchain.targets` of rust-toolchain.toml.
    pub targets: Vec<String>,
}

/// One dependency declaration: `rusqlite = { version = "0.32", features = ["bundled"] }`.
#[derive(Debug, Clone, Serialize)]
pub struct DepSpec {
    /// The crate (its `package` when renamed).
    pub name: String,
    /// Where it is declared: `Cargo.toml, dependencies.rusqlite`.
    pub evidence: Evidence,
    pub default_features: bool,
    pub features: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RustBin {
    pub package: String,
    /// The package's directory (`.` for the root package).
    pub dir: String,
    pub name: Fact<String>,
    pub ports: PortHints,
    /// A loopback listen address that an env var overrides.
    pub bind: Option<LoopbackDefault>,
}

pub fn detect(p: &Project) -> Result<Option<RustProject>> {
    let Some(text) = p.read_opt("Cargo.toml", MANIFEST_CAP)? else {
        return Ok(None);
    };
    let root = parse_toml("Cargo.toml", &text)?;
    let mut binaries = Vec::new();
    let mut workspace = false;
    let mut dependencies = Vec::new();
    dependency_specs("Cargo.toml", &root, &mut dependencies);
    if root.get("package").is_some() {
        package_binaries(p, "", &root, &mut binaries)?;
    }
    if let Some(ws) = root.get("workspace") {
        workspace = true;
        for member in members(p, ws)? {
            let manifest = project::join(&member, "Cargo.toml");
            let text = p.read_opt(&manifest, MANIFEST_CAP)?.ok_or_else(|| {
                Error::field(
                    "Cargo.toml",
                    "workspace.members",
                    format!("member {member} has no Cargo.toml"),
                )
            })?;
            let doc = parse_toml(&manifest, &text)?;
            package_binaries(p, &member, &doc, &mut binaries)?;
            dependency_specs(&manifest, &doc, &mut dependencies);
        }
    }
    if root.get("package").is_none() && !workspace {
        return Err(Error::parse(
            "Cargo.toml",
            "has neither [package] nor [workspace]",
        ));
    }
    let default_run = match str_at(&root, &["package", "default-run"]) {
        Some(name) => {
            let name = safe::binary("Cargo.toml", "package.default-run", &name)?;
            Some(Fact::in_file(name, "Cargo.toml", "package.default-run"))
        }
        None => None,
    };
    let default_members = match root.get("workspace") {
        Some(ws) if ws.get("default-members").is_some() => Some(Fact::in_file(
            member_list(p, ws, "default-members")?,
            "Cargo.toml",
            "workspace.default-members",
        )),
        _ => None,
    };
    let root_package = str_at(&root, &["package", "name"]);
    let version = match toolchain_version(p)? {
        Some(pin) => pin,
        None => match crate::version::tool_versions(p, &["rust"])? {
            Some(pin) => pin,
            None => rust_version(&root)?,
        },
    };
    let lock = p.read_opt("Cargo.lock", LOCKFILE_CAP)?;
    let lock_packages = lock.as_deref().map(lock_package_names);
    let sqlx_offline = [".sqlx", "sqlx-data.json"]
        .iter()
        .find(|f| p.has_file(f) || p.is_dir(f))
        .map(|f| Fact::in_file(true, f, "sqlx offline query data"));
    let uses_sqlx = lock
        .as_deref()
        .is_some_and(|l| l.contains("name = \"sqlx\""))
        || text.contains("sqlx");
    let sqlx_macros = if uses_sqlx {
        sqlx_macro_use(p, &binaries)
    } else {
        None
    };
    let (components, targets) = toolchain_lists(p)?;
    Ok(Some(RustProject {
        components,
        targets,
        sqlx_offline,
        sqlx_macros,
        version,
        locked: lock.is_some(),
        workspace,
        binaries,
        default_run,
        default_members,
        root_package,
        lock_packages,
        dependencies,
    }))
}

/// The `name` of every `[[package]]` in Cargo.lock, sorted and deduplicated.
/// Only package tables have a `name` key in a lockfile.
fn lock_package_names(lock: &str) -> Vec<String> {
    let mut names: Vec<String> = lock
        .lines()
        .filter_map(|l| l.trim().strip_prefix("name = \""))
        .filter_map(|rest| rest.strip_suffix('"'))
        .map(str::to_string)
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The dependency tables of one manifest (`dependencies`,
/// `target.<cfg>.dependencies`, `workspace.dependencies`) and the `default`
/// feature's `crate/feature` entries, with the features each turns on.
fn dependency_specs(manifest: &str, doc: &DocumentMut, out: &mut Vec<DepSpec>) {
    let mut tables: Vec<(String, &Item)> = Vec::new();
    if let Some(t) = doc.get("dependencies") {
        tables.push(("dependencies".into(), t));
    }
    if let Some(t) = doc.get("workspace").and_then(|w| w.get("dependencies")) {
        tables.push(("workspace.dependencies".into(), t));
    }
    if let Some(targets) = doc.get("target").and_then(Item::as_table_like) {
        for (cfg, t) in targets.iter() {
            if let Some(deps) = t.get("dependencies") {
                tables.push((format!("target.{cfg}.dependencies"), deps));
            }
        }
    }
    let strings = |item: Option<&Item>| -> Vec<String> {
        item.and_then(Item::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    for (field, table) in tables {
        let Some(table) = table.as_table_like() else {
            continue;
        };
        for (key, spec) in table.iter() {
            let name = spec
                .get("package")
                .and_then(Item::as_str)
                .unwrap_or(key)
                .to_string();
            out.push(DepSpec {
                name,
                evidence: Evidence::file(manifest, format!("{field}.{key}")),
                default_features: spec.get("default-features").and_then(Item::as_bool)
                    != Some(false),
                features: strings(spec.get("features")),
            });
        }
    }
    // `[features] default = ["rusqlite/bundled"]` turns the feature on too.
    for entry in strings(doc.get("features").and_then(|f| f.get("default"))) {
        if let Some((dep, feature)) = entry.split_once('/') {
            out.push(DepSpec {
                name: dep.trim_end_matches('?').to_string(),
                evidence: Evidence::file(manifest, "features.default"),
                default_features: true,
                features: vec![feature.to_string()],
            });
        }
    }
}

fn str_at(doc: &DocumentMut, path: &[&str]) -> Option<String> {
    let mut item: &Item = doc.as_item();
    for key in path {
        item = item.get(key)?;
    }
    item.as_str().map(str::to_string)
}

/// `rust-version` is a minimum (MSRV), never a pin.
fn rust_version(root: &DocumentMut) -> Result<Declared> {
    let (value, field) = match root.get("package").and_then(|p| p.get("rust-version")) {
        Some(item) if item.get("workspace").and_then(Item::as_bool) == Some(true) => (
            str_at(root, &["workspace", "package", "rust-version"]),
            "workspace.package.rust-version",
        ),
        Some(item) => (item.as_str().map(str::to_string), "package.rust-version"),
        None => (
            str_at(root, &["workspace", "package", "rust-version"]),
            "workspace.package.rust-version",
        ),
    };
    Ok(match value {
        Some(v) => {
            if crate::version::parse_numbers(&v).is_none() {
                return Err(Error::field(
                    "Cargo.toml",
                    field,
                    format!("{v:?} is not a Rust version"),
                ));
            }
            Declared::Minimum {
                version: v,
                evidence: Evidence::file("Cargo.toml", format!("{field}, a minimum")),
            }
        }
        None => Declared::Nothing,
    })
}

/// rust-toolchain.toml `toolchain.components` and `toolchain.targets`.
fn toolchain_lists(p: &Project) -> Result<(Vec<String>, Vec<String>)> {
    let file = "rust-toolchain.toml";
    let Some(text) = p.read_opt(file, MANIFEST_CAP)? else {
        return Ok((Vec::new(), Vec::new()));
    };
    let doc = parse_toml(file, &text)?;
    let list = |key: &str| -> Result<Vec<String>> {
        let field = format!("toolchain.{key}");
        let Some(item) = doc.get("toolchain").and_then(|t| t.get(key)) else {
            return Ok(Vec::new());
        };
        let arr = item
            .as_array()
            .ok_or_else(|| Error::field(file, &field, "is not an array"))?;
        arr.iter()
            .map(|v| {
                let s = v
                    .as_str()
                    .ok_or_else(|| Error::field(file, &field, "holds a non-string"))?;
                safe::name(file, &field, s)
            })
            .collect()
    };
    Ok((list("components")?, list("targets")?))
}

/// rust-toolchain.toml `[toolchain] channel`, or the legacy one-line rust-toolchain.
fn toolchain_version(p: &Project) -> Result<Option<Declared>> {
    for file in ["rust-toolchain.toml", "rust-toolchain"] {
        let Some(text) = p.read_opt(file, MANIFEST_CAP)? else {
            continue;
        };
        let channel = if file.ends_with(".toml") || text.contains('[') {
            let doc = parse_toml(file, &text)?;
            str_at(&doc, &["toolchain", "channel"])
                .ok_or_else(|| Error::field(file, "toolchain.channel", "is missing"))?
        } else {
            text.trim().to_string()
        };
        let evidence = Evidence::file(file, "toolchain.channel");
        let decl = if crate::version::parse_numbers(&channel).is_some() {
            Declared::Pin {
                version: channel,
                evidence,
            }
        } else {
            safe::name(file, "toolchain.channel", &channel)?;
            Declared::Alias {
                name: channel,
                evidence,
            }
        };
        return Ok(Some(decl));
    }
    Ok(None)
}

/// Workspace member directories; `dir/*` globs are expanded, `exclude` honoured.
fn members(p: &Project, ws: &Item) -> Result<Vec<String>> {
    member_list(p, ws, "members")
}

/// The directories a workspace list names (`members`, `default-members`).
fn member_list(p: &Project, ws: &Item, which: &str) -> Result<Vec<String>> {
    let list = |key: &str| -> Result<Vec<String>> {
        let Some(arr) = ws.get(key) else {
            return Ok(Vec::new());
        };
        let arr = arr.as_array().ok_or_else(|| {
            Error::field("Cargo.toml", format!("workspace.{key}"), "is not an array")
        })?;
        arr.iter()
            .map(|v| {
                let s = v.as_str().ok_or_else(|| {
                    Error::field(
                        "Cargo.toml",
                        format!("workspace.{key}"),
                        "holds a non-string",
                    )
                })?;
                Ok(s.to_string())
            })
            .collect()
    };
    let exclude: Vec<String> = list("exclude")?
        .iter()
        .map(|e| e.trim_end_matches('/').to_string())
        .collect();
    let mut out = Vec::new();
    for m in list(which)? {
        if let Some(parent) = m.strip_suffix("/*") {
            let parent = safe::rel_path("Cargo.toml", &format!("workspace.{which}"), parent)?;
            for e in p.list(&parent)? {
                let dir = project::join(&parent, &e.name);
                if e.is_dir && p.has_file(&project::join(&dir, "Cargo.toml")) {
                    out.push(dir);
                }
            }
        } else if m.contains(['*', '?', '[']) {
            return Err(Error::field(
                "Cargo.toml",
                format!("workspace.{which}"),
                format!("{m:?}: dfgen expands only trailing `/*` globs; list the members"),
            ));
        } else {
            out.push(safe::rel_path(
                "Cargo.toml",
                &format!("workspace.{which}"),
                &m,
            )?);
        }
    }
    if which == "members" {
        out.retain(|m| m != "." && !exclude.contains(m));
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn package_binaries(
    p: &Project,
    dir: &str,
    doc: &DocumentMut,
    out: &mut Vec<RustBin>,
) -> Result<()> {
    let manifest = project::join(dir, "Cargo.toml");
    let Some(pkg_name) = str_at(doc, &["package", "name"]) else {
        return Ok(()); // a virtual manifest
    };
    let pkg = safe::binary(&manifest, "package.name", &pkg_name)?;
    let src = project::join(dir, "src");
    let sources = p.source_files(&src, &[".rs"], 3, 200);
    let ports = hints::scan(p, &sources);
    let bind = crate::ecosystems::bind::find(p, &sources, &[pkg_name.as_str()]);
    let mut names: Vec<(String, String)> = Vec::new(); // (name, evidence detail)
    let mut explicit_paths = Vec::new();
    if let Some(bins) = doc.get("bin").and_then(Item::as_array_of_tables) {
        for (i, bin) in bins.iter().enumerate() {
            let name = bin.get("name").and_then(Item::as_str).unwrap_or(&pkg_name);
            let field = format!("bin[{i}].name");
            names.push((safe::binary(&manifest, &field, name)?, field));
            if let Some(path) = bin.get("path").and_then(Item::as_str) {
                explicit_paths.push(path.trim_start_matches("./").to_string());
            }
        }
    }
    let autobins = doc
        .get("package")
        .and_then(|p| p.get("autobins"))
        .and_then(Item::as_bool)
        .unwrap_or(true);
    if autobins {
        let main_rs = "src/main.rs".to_string();
        if p.has_file(&project::join(dir, &main_rs)) && !explicit_paths.contains(&main_rs) {
            names.push((pkg.clone(), "src/main.rs".into()));
        }
        for e in p.list(&project::join(dir, "src/bin"))? {
            let stem = if e.is_dir {
                p.has_file(&project::join(dir, &format!("src/bin/{}/main.rs", e.name)))
                    .then(|| e.name.clone())
            } else {
                e.name.strip_suffix(".rs").map(str::to_string)
            };
            if let Some(stem) = stem
                && !explicit_paths
                    .iter()
                    .any(|x| x.starts_with(&format!("src/bin/{}", e.name)))
            {
                names.push((
                    safe::binary(&manifest, "src/bin", &stem)?,
                    format!("src/bin/{}", e.name),
                ));
            }
        }
    }
    names.dedup_by(|a, b| a.0 == b.0);
    for (name, detail) in names {
        out.push(RustBin {
            package: pkg.clone(),
            dir: if dir.is_empty() {
                ".".into()
            } else {
                dir.to_string()
            },
            name: Fact::in_file(name, &manifest, detail),
            ports: ports.clone(),
            bind: bind.clone(),
        });
    }
    Ok(())
}

/// The first compile-time checked sqlx query (`query!`, `query_as!`...) in
/// the binaries' packages, as file:line.
fn sqlx_macro_use(p: &Project, binaries: &[RustBin]) -> Option<String> {
    const MACROS: &[&str] = &[
        "query!(",
        "query_as!(",
        "query_scalar!(",
        "query_file!(",
        "query_file_as!(",
        "query_unchecked!(",
    ];
    let mut dirs: Vec<&str> = binaries.iter().map(|b| b.dir.as_str()).collect();
    dirs.dedup();
    for dir in dirs {
        let src = project::join(dir, "src");
        for file in p.source_files(&src, &[".rs"], 4, 300) {
            let Some(text) = p.read_source(&file) else {
                continue;
            };
            for (idx, line) in text.lines().enumerate() {
                let t = line.trim_start();
                if t.starts_with("//") {
                    continue;
                }
                if MACROS.iter().any(|m| t.contains(m)) {
                    return Some(format!("{file}:{}", idx + 1));
                }
            }
        }
    }
    None
}
