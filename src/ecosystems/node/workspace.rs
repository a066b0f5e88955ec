//! Node workspaces (monorepos): npm and Yarn `workspaces` in the root
//! package.json, pnpm's pnpm-workspace.yaml, with Turborepo (turbo.json) as a
//! hint for the build. The project root is the workspace root (the build
//! context holds the lockfile and every package's manifest); one workspace
//! package is the app: `--app`, else the only runnable one, else the one a
//! deployment file names.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::evidence::{Evidence, Fact};
use crate::formats::parse_json;
use crate::project::{self, MANIFEST_CAP, Project};
use crate::safe;

/// Dependencies that make a package a runnable app rather than a library.
const APP_DEPS: &[&str] = &[
    "express",
    "fastify",
    "koa",
    "@hapi/hapi",
    "@nestjs/core",
    "hono",
    "@hono/node-server",
    "restify",
    "polka",
    "next",
    "nuxt",
    "@sveltejs/kit",
    "astro",
];

/// Bundlers whose `build` makes a static site (a front-end app).
const SITE_BUILDERS: &[&str] = &[
    "vite",
    "react-scripts",
    "@vue/cli-service",
    "parcel",
    "@angular/cli",
];

#[derive(Debug, Clone, Serialize)]
pub struct Member {
    /// Directory, relative to the workspace root.
    pub dir: String,
    /// package.json `name` (the directory when it has none).
    pub name: String,
    /// Why it is a runnable app, when it is one.
    pub app: Option<String>,
    /// It has a non-empty `build` script.
    pub build: bool,
    /// Workspace packages it lists in `dependencies` (names).
    pub prod_local: Vec<String>,
    /// ...in `devDependencies`.
    pub dev_local: Vec<String>,
    /// Where `build` writes (tsconfig outDir), for what the runtime copies of a library.
    pub out_dir: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Workspace {
    /// What declares the workspace (package.json `workspaces`, pnpm-workspace.yaml `packages`).
    pub declared: Evidence,
    /// The app's directory, with why it was chosen.
    pub app: Fact<String>,
    /// The app's package name (for `--filter`, `yarn workspace`).
    pub name: String,
    /// Every workspace package, sorted by directory.
    pub members: Vec<Member>,
    /// Workspace packages the app needs to build (dependencies and
    /// devDependencies, transitively), dependencies first.
    pub build_deps: Vec<String>,
    /// Workspace packages the app runs with (`dependencies`, transitively): their
    /// files go into the runtime image.
    pub runtime_deps: Vec<String>,
    /// The other runnable apps (directories).
    pub other_apps: Vec<String>,
    /// turbo.json at the root and `turbo` in the root's devDependencies.
    pub turbo: Option<Evidence>,
}

/// The workspace's package directories, from the root package.json
/// `workspaces` (an array, or Yarn's `{ packages: [...] }`) or
/// pnpm-workspace.yaml `packages`.
fn patterns(p: &Project, pkg: &Map<String, Value>) -> Result<Option<(Evidence, Vec<String>)>> {
    if let Some(text) = p.read_opt("pnpm-workspace.yaml", MANIFEST_CAP)? {
        let v: Value = crate::yaml::from_str("pnpm-workspace.yaml", &text)?;
        let list = match v.get("packages") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a.clone(),
            Some(_) => {
                return Err(Error::field(
                    "pnpm-workspace.yaml",
                    "packages",
                    "is not a list",
                ));
            }
        };
        let line = text
            .lines()
            .position(|l| l.starts_with("packages:"))
            .map(|i| format!("packages (line {})", i + 1))
            .unwrap_or_else(|| "packages".into());
        return Ok(Some((
            Evidence::file("pnpm-workspace.yaml", line),
            strings(&list, "pnpm-workspace.yaml", "packages")?,
        )));
    }
    let list = match pkg.get("workspaces") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Array(a)) => a.clone(),
        Some(Value::Object(o)) => match o.get("packages") {
            Some(Value::Array(a)) => a.clone(),
            _ => {
                return Err(Error::field(
                    "package.json",
                    "workspaces.packages",
                    "is not an array",
                ));
            }
        },
        Some(_) => {
            return Err(Error::field(
                "package.json",
                "workspaces",
                "is not an array (or an object with `packages`)",
            ));
        }
    };
    Ok(Some((
        Evidence::file("package.json", "workspaces"),
        strings(&list, "package.json", "workspaces")?,
    )))
}

fn strings(list: &[Value], file: &str, field: &str) -> Result<Vec<String>> {
    list.iter()
        .map(|v| {
            v.as_str()
                .map(str::to_string)
                .ok_or_else(|| Error::field(file, field, format!("{v} is not a string")))
        })
        .collect()
}

/// Directories matching the patterns (`dir`, `dir/*`, `dir/**`, `!dir...`)
/// that hold a package.json.
fn member_dirs(p: &Project, file: &str, pats: &[String]) -> Result<Vec<String>> {
    let mut include = BTreeSet::new();
    let mut exclude = BTreeSet::new();
    for raw in pats {
        let (neg, pat) = match raw.strip_prefix('!') {
            Some(r) => (true, r),
            None => (false, raw.as_str()),
        };
        let pat = pat.trim_start_matches("./").trim_end_matches('/');
        let (base, depth) = if let Some(b) = pat.strip_suffix("/**") {
            (b, 4)
        } else if let Some(b) = pat.strip_suffix("/*") {
            (b, 1)
        } else {
            (pat, 0)
        };
        if base.contains(['*', '?', '[', '{']) {
            return Err(Error::field(
                file,
                "workspaces",
                format!("{raw:?}: only `dir`, `dir/*` and `dir/**` patterns are understood"),
            ));
        }
        let base = if base.is_empty() || base == "." {
            String::new()
        } else {
            safe::rel_path(file, "workspaces", base)?
        };
        let found = if depth == 0 {
            vec![base]
        } else {
            let mut out = Vec::new();
            below(p, &base, depth, &mut out)?;
            out
        };
        for d in found {
            if neg {
                exclude.insert(d);
            } else if !d.is_empty() && p.has_file(&project::join(&d, "package.json")) {
                include.insert(d);
            }
        }
    }
    Ok(include.difference(&exclude).cloned().collect())
}

fn below(p: &Project, dir: &str, depth: usize, out: &mut Vec<String>) -> Result<()> {
    if depth == 0 || !p.is_dir(if dir.is_empty() { "." } else { dir }) {
        return Ok(());
    }
    for e in p.list(dir)? {
        if !e.is_dir || project::is_skipped_dir(&e.name) || e.name == "node_modules" {
            continue;
        }
        let d = project::join(dir, &e.name);
        out.push(d.clone());
        below(p, &d, depth - 1, out)?;
    }
    Ok(())
}

fn names(pkg: &Map<String, Value>, key: &str) -> Vec<String> {
    pkg.get(key)
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// Reads every member's package.json.
fn members(p: &Project, dirs: &[String]) -> Result<Vec<Member>> {
    let mut parsed = Vec::new();
    for dir in dirs {
        let file = project::join(dir, "package.json");
        let text = p.read(&file, MANIFEST_CAP)?;
        let v = parse_json(&file, &text)?;
        let obj = v
            .as_object()
            .cloned()
            .ok_or_else(|| Error::parse(&file, "is not a JSON object"))?;
        let name = match obj.get("name") {
            Some(Value::String(n)) => safe::name(&file, "name", n)?,
            Some(_) => return Err(Error::field(&file, "name", "is not a string")),
            None => dir.clone(),
        };
        parsed.push((dir.clone(), file, name, obj));
    }
    let all: BTreeSet<String> = parsed.iter().map(|m| m.2.clone()).collect();
    let mut out = Vec::new();
    for (dir, file, name, obj) in parsed {
        let deps = names(&obj, "dependencies");
        let dev = names(&obj, "devDependencies");
        let scripts = obj.get("scripts").and_then(Value::as_object);
        let script = |k: &str| {
            scripts
                .and_then(|s| s.get(k))
                .and_then(Value::as_str)
                .filter(|s| !s.trim().is_empty())
        };
        let build = script("build").is_some();
        let app = if script("start").is_some() {
            Some(format!("{file}, scripts.start"))
        } else if let Some(d) = deps.iter().find(|d| APP_DEPS.contains(&d.as_str())) {
            Some(format!("{file}, dependencies.{d}"))
        } else if let Some(d) = dev.iter().find(|d| APP_DEPS.contains(&d.as_str())) {
            Some(format!("{file}, devDependencies.{d}"))
        } else if build
            && let Some(d) = deps
                .iter()
                .chain(&dev)
                .find(|d| SITE_BUILDERS.contains(&d.as_str()))
        {
            Some(format!("{file}, scripts.build with {d}"))
        } else {
            None
        };
        let local = |list: &[String]| -> Vec<String> {
            list.iter()
                .filter(|d| all.contains(*d) && **d != name)
                .cloned()
                .collect()
        };
        let out_dir = if build {
            let sub = Project::open(&p.root().join(&dir))?;
            super::detect::tsconfig_out_dir(&sub)?.map(|f| f.value)
        } else {
            None
        };
        out.push(Member {
            prod_local: local(&deps),
            dev_local: local(&dev),
            dir,
            name,
            app,
            build,
            out_dir,
        });
    }
    Ok(out)
}

/// `name`'s workspace dependencies, transitively, dependencies first.
fn closure(members: &[Member], name: &str, with_dev: bool) -> Vec<String> {
    fn visit(
        ms: &[Member],
        name: &str,
        dev: bool,
        seen: &mut BTreeSet<String>,
        out: &mut Vec<String>,
    ) {
        let Some(m) = ms.iter().find(|m| m.name == name) else {
            return;
        };
        let mut next: Vec<&String> = m.prod_local.iter().collect();
        if dev {
            next.extend(&m.dev_local);
        }
        for d in next {
            if seen.insert(d.clone()) {
                visit(ms, d, dev, seen, out);
                if let Some(dm) = ms.iter().find(|x| x.name == *d) {
                    out.push(dm.dir.clone());
                }
            }
        }
    }
    let mut seen = BTreeSet::from([name.to_string()]);
    let mut out = Vec::new();
    visit(members, name, with_dev, &mut seen, &mut out);
    out
}

/// The workspace and its app, or `None` when the root declares no workspace.
/// `app` is `--app` (a directory or a package name); `deploy` is the start
/// command a deployment file gives, which may name one app.
pub fn find(
    p: &Project,
    pkg: &Map<String, Value>,
    app: Option<&str>,
    deploy: Option<&Fact<String>>,
) -> Result<Option<Workspace>> {
    let Some((declared, pats)) = patterns(p, pkg)? else {
        return Ok(None);
    };
    let file = declared.file.clone().unwrap_or_default();
    let dirs = member_dirs(p, &file, &pats)?;
    let members = members(p, &dirs)?;
    if members.is_empty() {
        return Ok(None);
    }
    // A package another package depends on is a library, whatever its scripts.
    let depended: BTreeSet<&String> = members
        .iter()
        .flat_map(|m| m.prod_local.iter().chain(&m.dev_local))
        .collect();
    let apps: Vec<&Member> = members
        .iter()
        .filter(|m| m.app.is_some() && !depended.contains(&m.name))
        .collect();
    let listing = |list: &[&Member]| {
        list.iter()
            .map(|m| {
                format!(
                    "  - {} ({}: {})",
                    m.dir,
                    m.name,
                    m.app.as_deref().unwrap_or("")
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let chosen: (&Member, String) = if let Some(want) = app {
        let want = want.trim_start_matches("./").trim_end_matches('/');
        let m = members
            .iter()
            .find(|m| m.dir == want || m.name == want)
            .ok_or_else(|| {
                Error::Usage(format!(
                    "--app {want}: no workspace package has that directory or name ({declared}); \
                     the packages are: {}",
                    members
                        .iter()
                        .map(|m| format!("{} ({})", m.dir, m.name))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
        (m, "chosen by --app, `app:` or the folder".to_string())
    } else if let [only] = apps.as_slice() {
        (only, "the only runnable app in the workspace".to_string())
    } else if let Some((m, d)) = deploy.and_then(|d| {
        let words: Vec<&str> = d
            .value
            .split(|c: char| c.is_whitespace() || c == '=')
            .collect();
        let named: Vec<&&Member> = apps
            .iter()
            .filter(|m| {
                words.iter().any(|w| {
                    let w = w.trim_start_matches("./");
                    w == m.dir || w.starts_with(&format!("{}/", m.dir)) || *w == m.name
                })
            })
            .collect();
        match named.as_slice() {
            [one] => Some((**one, d)),
            _ => None,
        }
    }) {
        (
            m,
            format!("named by the deployment command ({})", d.evidence),
        )
    } else if apps.is_empty() {
        return Err(Error::Detect(format!(
            "a workspace ({declared}) with no runnable app: no package has a start script, a server \
             or framework dependency, or a site build, that no other package depends on; \
             pass --app DIR to choose one of: {}",
            members
                .iter()
                .map(|m| m.dir.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    } else {
        return Err(Error::Ambiguous(format!(
            "this workspace ({declared}) has several apps:\n{}\npass --app DIR (or NAME) to choose, \
             e.g. `--app {}`, or run dfgen on the app's folder (`dfgen init {}`)",
            listing(&apps),
            apps[0].dir,
            apps[0].dir
        )));
    };
    let (m, why) = chosen;
    let turbo = (p.has_file("turbo.json")
        && (pkg
            .get("devDependencies")
            .and_then(|d| d.get("turbo"))
            .is_some()
            || pkg
                .get("dependencies")
                .and_then(|d| d.get("turbo"))
                .is_some()))
    .then(|| Evidence::file("turbo.json", "and `turbo` in package.json devDependencies"));
    Ok(Some(Workspace {
        declared,
        app: Fact::in_file(m.dir.clone(), &project::join(&m.dir, "package.json"), why),
        name: m.name.clone(),
        build_deps: closure(&members, &m.name, true),
        runtime_deps: closure(&members, &m.name, false),
        other_apps: apps
            .iter()
            .filter(|a| a.dir != m.dir)
            .map(|a| a.dir.clone())
            .collect(),
        turbo,
        members,
    }))
}

/// The apps (directory, label) and the one the rules pick.
pub type WizardApps = (Vec<(String, String)>, Option<String>);

/// The apps of the workspace at `p` (directory, label) and the one the rules
/// pick (`None` when none does), for the wizard; `None` when not a workspace.
pub fn apps_for_wizard(p: &Project) -> Result<Option<WizardApps>> {
    let Some(text) = p.read_opt("package.json", MANIFEST_CAP)? else {
        return Ok(None);
    };
    let pkg = parse_json("package.json", &text)?;
    let Some(pkg) = pkg.as_object() else {
        return Ok(None);
    };
    let Some((declared, pats)) = patterns(p, pkg)? else {
        return Ok(None);
    };
    let file = declared.file.clone().unwrap_or_default();
    let members = members(p, &member_dirs(p, &file, &pats)?)?;
    let depended: BTreeSet<&String> = members
        .iter()
        .flat_map(|m| m.prod_local.iter().chain(&m.dev_local))
        .collect();
    let apps: Vec<(String, String)> = members
        .iter()
        .filter(|m| m.app.is_some() && !depended.contains(&m.name))
        .map(|m| {
            (
                m.dir.clone(),
                format!("{} ({})", m.dir, m.app.as_deref().unwrap_or("")),
            )
        })
        .collect();
    let deploy = crate::deploy::read(p)?;
    let picked = find(p, pkg, None, deploy.command.as_ref())
        .ok()
        .flatten()
        .map(|w| w.app.value);
    Ok(Some((apps, picked)))
}

/// The workspace root above `dir` that lists it as a package: the nearest
/// ancestor with a package.json `workspaces` or a pnpm-workspace.yaml whose
/// patterns include `dir`. Returns (root, dir relative to it).
pub fn root_above(dir: &std::path::Path) -> Option<(std::path::PathBuf, String)> {
    let abs = dir.canonicalize().ok()?;
    if !abs.join("package.json").is_file() {
        return None;
    }
    let mut cur = abs.parent();
    while let Some(root) = cur {
        let has_ws = root.join("pnpm-workspace.yaml").is_file()
            || std::fs::read_to_string(root.join("package.json"))
                .ok()
                .and_then(|t| serde_json::from_str::<Value>(&t).ok())
                .is_some_and(|v| v.get("workspaces").is_some());
        if has_ws {
            let rel = abs
                .strip_prefix(root)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let p = Project::open(root).ok()?;
            let pkg: Map<String, Value> = p
                .read_opt("package.json", MANIFEST_CAP)
                .ok()
                .flatten()
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or_default();
            let (decl, pats) = patterns(&p, &pkg).ok()??;
            let dirs = member_dirs(&p, decl.file.as_deref().unwrap_or(""), &pats).ok()?;
            return dirs.contains(&rel).then(|| (root.to_path_buf(), rel));
        }
        // A repository's root bounds the search.
        if root.join(".git").exists() {
            return None;
        }
        cur = root.parent();
    }
    None
}

/// Build order helper: the members by name.
pub fn by_dir<'a>(ws: &'a Workspace, dir: &str) -> Option<&'a Member> {
    ws.members.iter().find(|m| m.dir == dir)
}
