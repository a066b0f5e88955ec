//! Node: package.json (scripts, main, engines, packageManager, dependencies),
//! the lockfile, .nvmrc / .node-version, tsconfig and bundler configs, and
//! from those the shape of the app: a plain server, a server with a build
//! step, or a static front end.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::evidence::{Evidence, Fact};
use crate::formats::parse_json;
use crate::ports::{self as hints, PortHints};
use crate::project::{LOCKFILE_CAP, MANIFEST_CAP, Project};
use crate::safe;
use crate::version::{Declared, Dialect};

use super::frameworks::{self, NextApp, NextOutput, ServerBuild};
use super::workspace::{self, Workspace};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    /// Runs its sources as they are.
    Server,
    /// Compiles (TypeScript, bundler) into an output dir that is then run.
    ServerBuild,
    /// Builds static files; no server of its own.
    Static,
}

#[derive(Debug, Clone, Serialize)]
pub struct NodeProject {
    pub package_manager: Fact<String>,
    /// Exact version from `packageManager`, if given.
    pub package_manager_version: Option<String>,
    pub lockfile: Option<String>,
    pub version: Declared,
    pub shape: Fact<Shape>,
    pub framework: Option<Fact<String>>,
    pub has_build_script: bool,
    /// The file `node` runs, with node flags before it and app args after.
    pub entry: Option<Fact<String>>,
    pub node_args: Vec<String>,
    pub app_args: Vec<String>,
    /// Directory the build writes (TS outDir, bundler outDir).
    pub output_dir: Option<Fact<String>>,
    /// The runtime needs the project's sources (a plain server, or a server
    /// that runs from source next to a built bundle).
    pub ship_sources: bool,
    /// Root lifecycle scripts (prepare, postinstall...) that a production install must skip.
    pub root_lifecycle_scripts: Vec<String>,
    /// Production dependencies with install scripts (native addons) per the lockfile.
    pub native_deps: bool,
    pub ports: PortHints,
    /// package.json has a `build` script (else the framework's own build command runs).
    pub build_script: bool,
    /// A Next.js app: how `next build` output is run.
    pub next: Option<NextApp>,
    /// Build commands the start script chains before node (`npm run scss && node app.js`):
    /// run once at build time.
    pub prestart: Vec<String>,
    /// package.json `main` names this file, which does not exist: not evidence.
    pub missing_main: Option<String>,
    /// How the server picks its listening address.
    pub binding: Binding,
    /// `.env` templates (`.env.example`...) the app reads: they stay in the build context.
    pub env_templates: Vec<String>,
    /// Yarn 2+ specifics.
    pub yarn: Option<YarnBerry>,
    /// package.json `"type": "module"`.
    pub esm: bool,
    /// package.json lists production `dependencies` (else a production install is empty).
    pub has_prod_deps: bool,
    /// A framework that builds its own Node server (Nuxt, SvelteKit, Astro).
    pub server_build: Option<ServerBuild>,
    /// `.npmrc` holds credentials (a token, or a `${VAR}` for one): the installs get
    /// it as a build secret, never as a file in the context.
    pub npmrc_secret: Option<Fact<bool>>,
    /// A docs site generator (Docusaurus, VitePress...): next to a server app,
    /// it is documentation, never the app.
    pub docs_site: Option<Fact<String>>,
    /// The workspace this app is a package of (the project root is the workspace root).
    pub workspace: Option<Workspace>,
}

/// Yarn 2+: the linker from .yarnrc.yml (`pnp` when unset, Yarn's default) and
/// the files under .yarn/ an install needs (its own release, plugins, patches).
#[derive(Debug, Clone, Serialize)]
pub struct YarnBerry {
    pub linker: Fact<String>,
    pub files: Vec<String>,
}

fn yarn_berry(p: &Project) -> Result<YarnBerry> {
    let mut linker = Fact::new(
        "pnp".to_string(),
        Evidence::other("no nodeLinker in .yarnrc.yml: Yarn's default, Plug'n'Play"),
    );
    let mut files = Vec::new();
    if let Some(text) = p.read_opt(".yarnrc.yml", MANIFEST_CAP)? {
        files.push(".yarnrc.yml".to_string());
        let v: Value = crate::yaml::from_str(".yarnrc.yml", &text)?;
        match v.get("nodeLinker") {
            None | Some(Value::Null) => {}
            Some(Value::String(l)) if ["pnp", "node-modules", "pnpm"].contains(&l.as_str()) => {
                linker = Fact::in_file(l.clone(), ".yarnrc.yml", "nodeLinker");
            }
            Some(other) => {
                return Err(Error::field(
                    ".yarnrc.yml",
                    "nodeLinker",
                    format!("{other} is not one of pnp, node-modules, pnpm"),
                ));
            }
        }
    }
    for dir in [".yarn/releases", ".yarn/plugins", ".yarn/patches"] {
        if p.is_dir(dir) {
            files.push(dir.to_string());
        }
    }
    Ok(YarnBerry { linker, files })
}

/// The first `.npmrc` line carrying a credential (`_authToken`, `_auth`,
/// `_password`, or a `${VAR}` that npm fills from the environment).
fn npmrc_secret(p: &Project) -> Result<Option<Fact<bool>>> {
    let Some(text) = p.read_opt(".npmrc", MANIFEST_CAP)? else {
        return Ok(None);
    };
    for (idx, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with('#') || t.starts_with(';') {
            continue;
        }
        let var = t.contains("${");
        if ["_authToken", "_auth", "_password"]
            .iter()
            .any(|k| t.contains(k))
            || var
        {
            return Ok(Some(Fact::in_file(
                var,
                ".npmrc",
                format!("line {}: a registry credential", idx + 1),
            )));
        }
    }
    Ok(None)
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Binding {
    /// `file:line` reading `process.env.HOST`: `ENV HOST=0.0.0.0` steers it.
    pub reads_host: Option<String>,
    /// The sources name an all-interfaces address (`0.0.0.0`, `::`).
    pub all_interfaces: bool,
}

/// Where the sources read `process.env.HOST`, and whether they bind all interfaces.
fn binding(p: &Project, sources: &[String]) -> Binding {
    let mut b = Binding::default();
    for file in sources {
        let Some(text) = p.read_source(file) else {
            continue;
        };
        for (idx, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if b.reads_host.is_none()
                && let Some(pos) = code.find("process.env.HOST")
                && !code[pos + "process.env.HOST".len()..]
                    .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            {
                b.reads_host = Some(format!("{file}:{}", idx + 1));
            }
            if ["'0.0.0.0'", "\"0.0.0.0\"", "'::'", "\"::\""]
                .iter()
                .any(|a| code.contains(a))
            {
                b.all_interfaces = true;
            }
        }
    }
    b
}

/// `.env.example`, `.env.sample`, `.env.defaults` files that exist and that the app
/// reads: named in its sources, or read by its dotenv flavour (dotenv-safe reads
/// `.env.example`, dotenv-defaults `.env.defaults`). Templates, not secrets.
fn env_templates(
    p: &Project,
    sources: &[String],
    deps: &std::collections::BTreeMap<String, String>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (file, reader) in [
        (".env.example", "dotenv-safe"),
        (".env.sample", ""),
        (".env.defaults", "dotenv-defaults"),
    ] {
        if !p.has_file(file) {
            continue;
        }
        let named = sources
            .iter()
            .any(|s| p.read_source(s).is_some_and(|t| t.contains(file)));
        if named || (!reader.is_empty() && deps.contains_key(reader)) {
            out.push(file.to_string());
        }
    }
    out
}

const SERVER_DEPS: &[&str] = &[
    "express",
    "fastify",
    "koa",
    "@hapi/hapi",
    "@nestjs/core",
    "hono",
    "@hono/node-server",
    "restify",
    "polka",
    "socket.io",
    "ws",
];

/// Build tools that produce a static site, and where they put it by default.
const STATIC_BUILDERS: &[(&str, &str)] = &[
    ("vite", "dist"),
    ("react-scripts", "build"),
    ("@vue/cli-service", "dist"),
    ("astro", "dist"),
    ("parcel", "dist"),
    ("@angular/cli", "dist"),
];

const LIFECYCLE: &[&str] = &["preinstall", "install", "postinstall", "prepare"];

/// Detects the project at `p`, which may be a workspace root: then the app is
/// one of its packages (`app` is `--app`; `deploy` a deployment file's start
/// command that may name it), built from the root.
pub fn detect_with(
    p: &Project,
    app: Option<&str>,
    deploy: Option<&Fact<String>>,
) -> Result<Option<NodeProject>> {
    let text = match p.read_opt("package.json", MANIFEST_CAP)? {
        Some(t) => t,
        // pnpm allows a workspace root with no package.json of its own.
        None if p.has_file("pnpm-workspace.yaml") => "{}".to_string(),
        None => return Ok(None),
    };
    let pkg = parse_json("package.json", &text)?;
    let pkg = pkg
        .as_object()
        .ok_or_else(|| Error::parse("package.json", "is not a JSON object"))?;
    match workspace::find(p, pkg, app, deploy)? {
        Some(ws) => detect_member(p, pkg, ws).map(Some),
        None if app.is_some() => Err(Error::Usage(format!(
            "--app: {} is not a workspace root (no `workspaces` in package.json, no pnpm-workspace.yaml)",
            p.root().display()
        ))),
        None => detect(p),
    }
}

/// The app package of a workspace, detected on its own, then set to build from
/// the workspace root: the root's package manager, lockfile and version files,
/// evidence paths under the package's directory.
fn detect_member(p: &Project, root_pkg: &Map<String, Value>, ws: Workspace) -> Result<NodeProject> {
    let dir = ws.app.value.clone();
    let sub = Project::open(&p.root().join(&dir))?;
    let Some(mut m) = detect(&sub).map_err(|e| prefix_error(e, &dir))? else {
        return Err(Error::parse(
            crate::project::join(&dir, "package.json"),
            "the workspace package has no package.json",
        ));
    };
    if m.next.is_some() || m.server_build.is_some() {
        return Err(Error::Detect(format!(
            "{dir}: a {} app inside a workspace is not supported yet (its build writes a server \
             that traces the workspace's node_modules); run dfgen on a copy of the app outside the workspace, \
             or write the Dockerfile by hand",
            m.framework
                .as_ref()
                .map(|f| f.value.as_str())
                .unwrap_or("framework")
        )));
    }
    let fix = |e: &mut Evidence| {
        if let Some(f) = &mut e.file {
            *f = crate::project::join(&dir, f);
        }
    };
    fix(&mut m.shape.evidence);
    for f in [&mut m.framework, &mut m.entry, &mut m.output_dir]
        .into_iter()
        .flatten()
    {
        fix(&mut f.evidence);
    }
    if let Some(port) = &mut m.ports.port {
        fix(&mut port.evidence);
    }
    if let Some(at) = &mut m.binding.reads_host {
        *at = crate::project::join(&dir, at);
    }
    let (pm, pm_version, lockfile) = package_manager(p, root_pkg)?;
    m.package_manager = pm;
    m.package_manager_version = pm_version;
    m.lockfile = lockfile;
    m.yarn = if m.package_manager.value == "yarn-berry" {
        Some(yarn_berry(p)?)
    } else {
        None
    };
    m.native_deps = m.package_manager.value == "npm" && npm_native_deps(p)?;
    m.npmrc_secret = npmrc_secret(p)?;
    // Root lifecycle scripts (husky's `prepare`...) run in a workspace install too.
    let root_scripts = str_map(root_pkg, "scripts")?;
    for s in lifecycle(&root_scripts) {
        if !m.root_lifecycle_scripts.contains(&s) {
            m.root_lifecycle_scripts.push(s);
        }
    }
    // A version file at the root applies to every package; the package's own
    // engines.node only when the root declares nothing.
    if let Declared::Pin { evidence, .. }
    | Declared::Alias { evidence, .. }
    | Declared::Range { evidence, .. }
    | Declared::Minimum { evidence, .. } = &mut m.version
    {
        fix(evidence);
    }
    let root_version = node_version(p, root_pkg)?;
    if matches!(root_version, Declared::Pin { .. } | Declared::Alias { .. })
        || matches!(m.version, Declared::Nothing)
    {
        m.version = root_version;
    }
    m.workspace = Some(ws);
    Ok(m)
}

/// An error about a file of a workspace package names it from the workspace root.
fn prefix_error(e: Error, dir: &str) -> Error {
    match e {
        Error::Parse { file, message } => Error::Parse {
            file: crate::project::join(dir, &file),
            message,
        },
        other => other,
    }
}

pub fn detect(p: &Project) -> Result<Option<NodeProject>> {
    let Some(text) = p.read_opt("package.json", MANIFEST_CAP)? else {
        return Ok(None);
    };
    let pkg = parse_json("package.json", &text)?;
    let pkg = pkg
        .as_object()
        .ok_or_else(|| Error::parse("package.json", "is not a JSON object"))?;
    let scripts = str_map(pkg, "scripts")?;
    let deps = str_map(pkg, "dependencies")?;
    let dev_deps = str_map(pkg, "devDependencies")?;
    let has = |name: &str| deps.contains_key(name) || dev_deps.contains_key(name);

    let (package_manager, package_manager_version, lockfile) = package_manager(p, pkg)?;
    let esm = pkg.get("type").and_then(Value::as_str) == Some("module");
    let yarn = if package_manager.value == "yarn-berry" {
        Some(yarn_berry(p)?)
    } else {
        None
    };
    let version = node_version(p, pkg)?;

    let build = scripts.get("build").filter(|s| !s.trim().is_empty());
    let docs_site = crate::ecosystems::assets::DOCS_GENERATORS
        .iter()
        .find(|(d, _)| has(d))
        .map(|(d, name)| {
            Fact::in_file(
                name.to_string(),
                "package.json",
                format!(
                    "{d} in {}",
                    if deps.contains_key(*d) {
                        "dependencies"
                    } else {
                        "devDependencies"
                    }
                ),
            )
        });
    if let Some(next) = frameworks::next(p, &deps, &dev_deps, &scripts)? {
        let native_deps = package_manager.value == "npm" && npm_native_deps(p)?;
        let framework = Some(Fact::in_file(
            "next".to_string(),
            "package.json",
            if next.next_is_dev_only {
                "devDependencies"
            } else {
                "dependencies"
            },
        ));
        let (shape, entry, app_args, output_dir) = match next.output.value {
            NextOutput::Export => (
                Fact::new(Shape::Static, next.output.evidence.clone()),
                None,
                Vec::new(),
                Fact::new("out".to_string(), next.output.evidence.clone()),
            ),
            NextOutput::Standalone => (
                Fact::new(Shape::ServerBuild, next.output.evidence.clone()),
                Some(Fact::new(
                    "server.js".to_string(),
                    next.output.evidence.clone(),
                )),
                Vec::new(),
                Fact::new(
                    format!("{}/standalone", next.dist_dir),
                    next.output.evidence.clone(),
                ),
            ),
            NextOutput::Start => (
                Fact::new(Shape::ServerBuild, next.output.evidence.clone()),
                Some(Fact::new(
                    "node_modules/next/dist/bin/next".to_string(),
                    next.output.evidence.clone(),
                )),
                vec!["start".to_string()],
                Fact::new(next.dist_dir.clone(), next.output.evidence.clone()),
            ),
        };
        return Ok(Some(NodeProject {
            package_manager,
            package_manager_version,
            lockfile,
            version,
            shape,
            framework,
            has_build_script: true,
            entry,
            node_args: Vec::new(),
            app_args,
            output_dir: Some(output_dir),
            ship_sources: false,
            root_lifecycle_scripts: lifecycle(&scripts),
            native_deps,
            ports: PortHints {
                port: Some(frameworks::next_port()),
                reads_env: true,
                loopback: None,
            },
            build_script: build.is_some(),
            next: Some(next),
            prestart: Vec::new(),
            missing_main: None,
            binding: Binding::default(),
            env_templates: Vec::new(),
            npmrc_secret: npmrc_secret(p)?,
            yarn: yarn.clone(),
            esm,
            has_prod_deps: !deps.is_empty(),
            server_build: None,
            docs_site: docs_site.clone(),
            workspace: None,
        }));
    }
    if let Some(fw) = frameworks::server_build(p, &deps, &dev_deps, &scripts)? {
        let native_deps = package_manager.value == "npm" && npm_native_deps(p)?;
        return Ok(Some(NodeProject {
            package_manager,
            package_manager_version,
            lockfile,
            version,
            shape: Fact::new(Shape::ServerBuild, fw.evidence.clone()),
            framework: Some(Fact::new(fw.name.clone(), fw.evidence.clone())),
            has_build_script: build.is_some(),
            entry: Some(Fact::new(fw.entry.clone(), fw.evidence.clone())),
            node_args: Vec::new(),
            app_args: Vec::new(),
            output_dir: Some(Fact::new(fw.output_dir.clone(), fw.evidence.clone())),
            ship_sources: false,
            root_lifecycle_scripts: lifecycle(&scripts),
            native_deps,
            ports: PortHints {
                port: Some(Fact::new(
                    fw.port,
                    Evidence::other(format!("{}'s default port (it reads PORT)", fw.name)),
                )),
                reads_env: true,
                loopback: None,
            },
            build_script: build.is_some(),
            next: None,
            prestart: Vec::new(),
            missing_main: None,
            binding: Binding::default(),
            env_templates: Vec::new(),
            npmrc_secret: npmrc_secret(p)?,
            yarn: yarn.clone(),
            esm,
            has_prod_deps: !deps.is_empty(),
            server_build: Some(fw),
            docs_site: docs_site.clone(),
            workspace: None,
        }));
    }
    let server_dep = SERVER_DEPS.iter().find(|d| deps.contains_key(**d));
    let static_builder = STATIC_BUILDERS.iter().find(|(d, _)| has(d));

    let ts_out = tsconfig_out_dir(p)?;
    let start = start_command(&scripts, ts_out.as_ref(), build.is_some())?;
    let main = match pkg.get("main") {
        Some(Value::String(m)) => Some(Fact::in_file(
            safe::rel_path("package.json", "main", m)?,
            "package.json",
            "main",
        )),
        Some(_) => return Err(Error::field("package.json", "main", "is not a string")),
        None => None,
    };
    // A `main` naming a file that is not there (and that no build makes) is a
    // leftover from `npm init`, not evidence of how the app starts.
    let missing_main = main
        .as_ref()
        .filter(|m| build.is_none() && !p.has_file(&m.value))
        .map(|m| m.value.clone());
    let main = main.filter(|m| build.is_some() || p.has_file(&m.value));

    // Static: builds files with a known bundler, and nothing in it serves them.
    let is_static =
        build.is_some() && static_builder.is_some() && server_dep.is_none() && start.is_none();
    if is_static {
        let (builder, default_out) = static_builder.copied().unwrap_or(("vite", "dist"));
        let output_dir = static_out_dir(p, builder, default_out)?;
        return Ok(Some(NodeProject {
            package_manager,
            package_manager_version,
            lockfile,
            version,
            shape: Fact::in_file(
                Shape::Static,
                "package.json",
                format!("`build` script with {builder}, and no server dependency or start script"),
            ),
            framework: Some(Fact::in_file(
                builder.to_string(),
                "package.json",
                "dependencies or devDependencies",
            )),
            has_build_script: true,
            entry: None,
            node_args: Vec::new(),
            app_args: Vec::new(),
            output_dir: Some(output_dir),
            ship_sources: false,
            root_lifecycle_scripts: lifecycle(&scripts),
            native_deps: false,
            ports: PortHints::default(),
            build_script: true,
            next: None,
            prestart: Vec::new(),
            missing_main: None,
            binding: Binding::default(),
            env_templates: Vec::new(),
            npmrc_secret: npmrc_secret(p)?,
            yarn: yarn.clone(),
            esm,
            has_prod_deps: !deps.is_empty(),
            server_build: None,
            docs_site: docs_site.clone(),
            workspace: None,
        }));
    }

    let (entry, node_args, app_args, prestart) = match start {
        Some(s) => (Some(s.entry), s.node_args, s.app_args, s.pre),
        None => (
            main.or(fallback_entry(p, build.is_some(), ts_out.as_ref())),
            Vec::new(),
            Vec::new(),
            Vec::new(),
        ),
    };

    let shape = if build.is_some() {
        Fact::in_file(Shape::ServerBuild, "package.json", "scripts.build")
    } else if !prestart.is_empty() {
        Fact::in_file(
            Shape::ServerBuild,
            "package.json",
            "scripts.start runs build commands before node",
        )
    } else {
        Fact::in_file(Shape::Server, "package.json", "no `build` script")
    };
    // Where the build writes: tsconfig's outDir, else the bundler's output,
    // else the directory of an entry point the build produces.
    let output_dir = if build.is_some() {
        match (&ts_out, static_builder, &entry) {
            (Some(out), _, _) => Some(out.clone()),
            (None, Some((b, default)), _) => Some(static_out_dir(p, b, default)?),
            (None, None, Some(e)) if !p.has_file(&e.value) => {
                e.value.split_once('/').map(|(dir, _)| {
                    Fact::in_file(
                        dir.to_string(),
                        "package.json",
                        "directory of the entry point",
                    )
                })
            }
            _ => None,
        }
    } else {
        None
    };
    // The entry point is a source file, not build output: the sources ship too.
    let ship_sources = match (&entry, &output_dir) {
        (Some(e), Some(out)) => !e.value.starts_with(&format!("{}/", out.value)),
        _ => build.is_none(),
    };
    if (shape.value == Shape::Server || build.is_none())
        && let Some(e) = &entry
        && !p.has_file(&e.value)
    {
        return Err(Error::field(
            e.evidence.file.clone().unwrap_or_default(),
            e.evidence.detail.clone(),
            format!(
                "the entry point {} does not exist (and there is no build script that would create it)",
                e.value
            ),
        ));
    }
    let framework =
        server_dep.map(|d| Fact::in_file(d.to_string(), "package.json", "dependencies"));
    let mut sources = p.source_files("", &[".js", ".mjs", ".cjs", ".ts", ".mts"], 0, 100);
    sources.extend(p.source_files("src", &[".js", ".mjs", ".cjs", ".ts", ".mts"], 3, 300));
    sources.retain(|f| !f.contains(".config.") && !f.ends_with(".d.ts"));
    let ports = hints::scan(p, &sources);
    let native_deps = package_manager.value == "npm" && npm_native_deps(p)?;
    let binding = binding(p, &sources);
    Ok(Some(NodeProject {
        package_manager,
        package_manager_version,
        lockfile,
        version,
        shape,
        framework,
        has_build_script: build.is_some(),
        entry,
        node_args,
        app_args,
        output_dir,
        ship_sources,
        root_lifecycle_scripts: lifecycle(&scripts),
        native_deps,
        ports,
        build_script: build.is_some(),
        next: None,
        prestart,
        missing_main,
        binding,
        env_templates: env_templates(p, &sources, &deps),
        npmrc_secret: npmrc_secret(p)?,
        yarn,
        esm,
        has_prod_deps: !deps.is_empty(),
        server_build: None,
        docs_site: docs_site.clone(),
        workspace: None,
    }))
}

fn str_map(
    pkg: &Map<String, Value>,
    key: &str,
) -> Result<std::collections::BTreeMap<String, String>> {
    let mut out = std::collections::BTreeMap::new();
    match pkg.get(key) {
        None | Some(Value::Null) => {}
        Some(Value::Object(m)) => {
            for (k, v) in m {
                let v = v.as_str().ok_or_else(|| {
                    Error::field("package.json", format!("{key}.{k}"), "is not a string")
                })?;
                out.insert(k.clone(), v.to_string());
            }
        }
        Some(_) => return Err(Error::field("package.json", key, "is not an object")),
    }
    Ok(out)
}

fn lifecycle(scripts: &std::collections::BTreeMap<String, String>) -> Vec<String> {
    LIFECYCLE
        .iter()
        .filter(|s| scripts.contains_key(**s))
        .map(|s| s.to_string())
        .collect()
}

type PmChoice = (Fact<String>, Option<String>, Option<String>);

/// packageManager field first (what corepack obeys), then the lockfile, then npm.
fn package_manager(p: &Project, pkg: &Map<String, Value>) -> Result<PmChoice> {
    let lockfiles = [
        ("pnpm-lock.yaml", "pnpm"),
        ("yarn.lock", "yarn"),
        ("bun.lock", "bun"),
        ("bun.lockb", "bun"),
        ("package-lock.json", "npm"),
        ("npm-shrinkwrap.json", "npm"),
    ];
    let lock = lockfiles.iter().find(|(f, _)| p.has_file(f)).copied();
    let yarn_is_berry = || -> Result<bool> {
        if p.has_file(".yarnrc.yml") {
            return Ok(true);
        }
        Ok(p.read_opt("yarn.lock", LOCKFILE_CAP)?
            .is_some_and(|l| l.contains("__metadata:")))
    };
    if let Some(v) = pkg.get("packageManager") {
        let s = v
            .as_str()
            .ok_or_else(|| Error::field("package.json", "packageManager", "is not a string"))?;
        let (name, ver) = s.split_once('@').ok_or_else(|| {
            Error::field(
                "package.json",
                "packageManager",
                format!("{s:?} is not NAME@VERSION"),
            )
        })?;
        let ver = ver.split('+').next().unwrap_or("");
        let parts = crate::version::parse_numbers(ver).ok_or_else(|| {
            Error::field(
                "package.json",
                "packageManager",
                format!("{s:?}: {ver:?} is not a version"),
            )
        })?;
        match name {
            "npm" | "pnpm" => {}
            "yarn" if parts[0] == 1 && !yarn_is_berry()? => {}
            "yarn" => {
                let lockfile = lock
                    .filter(|(f, _)| *f == "yarn.lock")
                    .map(|(f, _)| f.to_string());
                return Ok((
                    Fact::in_file(
                        "yarn-berry".to_string(),
                        "package.json",
                        format!("packageManager ({s})"),
                    ),
                    Some(ver.to_string()),
                    lockfile,
                ));
            }
            "bun" => {}
            other => {
                return Err(Error::field(
                    "package.json",
                    "packageManager",
                    format!("unknown package manager {other:?}"),
                ));
            }
        }
        let lockfile = lock.filter(|(_, m)| *m == name).map(|(f, _)| f.to_string());
        return Ok((
            Fact::in_file(name.to_string(), "package.json", "packageManager"),
            Some(ver.to_string()),
            lockfile,
        ));
    }
    match lock {
        Some(("yarn.lock", _)) if yarn_is_berry()? => Ok((
            Fact::in_file(
                "yarn-berry".to_string(),
                if p.has_file(".yarnrc.yml") {
                    ".yarnrc.yml"
                } else {
                    "yarn.lock"
                },
                "Yarn 2+ (a .yarnrc.yml, or a v2+ yarn.lock)",
            ),
            None,
            Some("yarn.lock".to_string()),
        )),
        Some((file, pm)) => Ok((
            Fact::in_file(pm.to_string(), file, "lockfile"),
            if pm == "pnpm" {
                pnpm_for_lockfile(p)?
            } else {
                None
            },
            Some(file.to_string()),
        )),
        None => Ok((
            Fact::new("npm".to_string(), Evidence::other("no lockfile: npm")),
            None,
            None,
        )),
    }
}

/// The pnpm major that writes the lockfile's `lockfileVersion`: a newer pnpm
/// refuses (or rewrites) an older lockfile under --frozen-lockfile. 9.0 is what
/// pnpm 9 and 10 write: the preset's default then.
fn pnpm_for_lockfile(p: &Project) -> Result<Option<String>> {
    let Some(text) = p.read_opt("pnpm-lock.yaml", LOCKFILE_CAP)? else {
        return Ok(None);
    };
    let Some(line) = text
        .lines()
        .take(5)
        .find_map(|l| l.strip_prefix("lockfileVersion:"))
    else {
        return Ok(None);
    };
    let v = line.trim().trim_matches(['\'', '"']);
    let major = match v.split('.').next().unwrap_or("") {
        "5" if v == "5.3" => "6",
        "5" => "7",
        "6" => "8",
        "9" => return Ok(None),
        _ => {
            return Err(Error::field(
                "pnpm-lock.yaml",
                "lockfileVersion",
                format!("{v:?} is not a lockfile version dfgen knows (5.x, 6.x, 9.0)"),
            ));
        }
    };
    Ok(Some(major.to_string()))
}

fn node_version(p: &Project, pkg: &Map<String, Value>) -> Result<Declared> {
    for file in [".nvmrc", ".node-version"] {
        let Some(text) = p.read_opt(file, MANIFEST_CAP)? else {
            continue;
        };
        let value = text
            .lines()
            .map(|l| l.split('#').next().unwrap_or("").trim())
            .find(|l| !l.is_empty())
            .ok_or_else(|| Error::parse(file, "holds no version"))?;
        let evidence = Evidence::file(file, "version");
        return Ok(if crate::version::parse_numbers(value).is_some() {
            Declared::Pin {
                version: value.trim_start_matches('v').to_string(),
                evidence,
            }
        } else {
            if let Some(c) = value
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || "/*-._".contains(*c)))
            {
                return Err(Error::field(
                    file,
                    "version",
                    format!("{value:?} contains {c:?}"),
                ));
            }
            Declared::Alias {
                name: value.to_string(),
                evidence,
            }
        });
    }
    if let Some(pin) = crate::version::tool_versions(p, &["nodejs", "node"])? {
        return Ok(pin);
    }
    match pkg.get("engines").and_then(|e| e.get("node")) {
        Some(Value::String(range)) => Ok(Declared::Range {
            text: range.clone(),
            evidence: Evidence::file("package.json", "engines.node"),
            dialect: Dialect::Semver,
        }),
        Some(_) => Err(Error::field(
            "package.json",
            "engines.node",
            "is not a string",
        )),
        None => Ok(Declared::Nothing),
    }
}

/// How `start` runs the app: the file node runs, node flags, app arguments, and
/// the commands chained before it (`npm run scss && node app.js`), which are
/// build steps: they run once in the image build, not at every start.
#[derive(Debug, Clone)]
struct StartCmd {
    entry: Fact<String>,
    node_args: Vec<String>,
    app_args: Vec<String>,
    pre: Vec<String>,
}

/// Runners that watch or compile on the fly: development tools, never the
/// runtime command. `nodemon app.js` still names the file node runs.
const SCRIPT_EXTS: &[&str] = &[".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"];

const DEV_RUNNERS: &[&str] = &["nodemon", "node-dev", "ts-node", "ts-node-dev", "tsx"];

/// `start` (or `start:prod`) when it is `node [flags] FILE [args]`, possibly
/// after `&&`-chained build commands: the file is then run by node directly,
/// not through the package manager, so signals reach it. A dev runner
/// (`nodemon app.js`, `ts-node src/index.ts`) names the file too: the
/// JavaScript one as is, the TypeScript one as its compiled output under
/// `ts_out` when there is a build. `next dev`, `vite`, `nest start` name none.
fn start_command(
    scripts: &std::collections::BTreeMap<String, String>,
    ts_out: Option<&Fact<String>>,
    build: bool,
) -> Result<Option<StartCmd>> {
    for key in ["start:prod", "start"] {
        let Some(cmd) = scripts.get(key) else {
            continue;
        };
        // Anything shell-like (pipes, variables, redirects, quoting) is not a plain call.
        if cmd.contains(['|', ';', '$', '>', '<', '`', '(', ')', '"', '\'', '\n']) {
            continue;
        }
        let parts: Vec<&str> = cmd.split("&&").map(str::trim).collect();
        if parts.iter().any(|p| p.is_empty() || p.contains('&')) {
            continue;
        }
        let field = format!("scripts.{key}");
        let (last, before) = parts.split_last().expect("split yields one part");
        let words: Vec<&str> = last.split_whitespace().collect();
        let Some(&runner) = words.first() else {
            continue;
        };
        let dev = DEV_RUNNERS.contains(&runner);
        if runner != "node" && !dev {
            continue;
        }
        let mut node_args = Vec::new();
        let mut rest = words[1..].iter();
        let mut entry = None;
        for w in rest.by_ref() {
            // A runner's flags take values (`--watch src`): its entry is the first script file.
            if dev && !SCRIPT_EXTS.iter().any(|x| w.ends_with(x)) {
                continue;
            }
            if w.starts_with('-') {
                node_args.push(safe::exec_arg("package.json", &field, w)?);
            } else {
                entry = Some(safe::rel_path("package.json", &field, w)?);
                break;
            }
        }
        let Some(mut entry) = entry else { continue };
        let mut detail = field.clone();
        if dev {
            let ts = [".ts", ".mts", ".cts"]
                .iter()
                .find(|x| entry.ends_with(**x));
            if let Some(ext) = ts {
                let (Some(out), true) = (ts_out, build) else {
                    continue;
                };
                let stem = entry.trim_end_matches(ext);
                let stem = stem.strip_prefix("src/").unwrap_or(stem);
                let js = if *ext == ".mts" {
                    "mjs"
                } else if *ext == ".cts" {
                    "cjs"
                } else {
                    "js"
                };
                entry = format!("{}/{stem}.{js}", out.value);
            }
            detail =
                format!("{field} runs {runner}, a development tool; node runs {entry} directly");
        }
        let app_args = rest
            .map(|w| safe::exec_arg("package.json", &field, w))
            .collect::<Result<Vec<_>>>()?;
        let pre = before
            .iter()
            .map(|part| {
                let words = part
                    .split_whitespace()
                    .map(|w| safe::exec_arg("package.json", &field, w))
                    .collect::<Result<Vec<_>>>()?;
                Ok(safe::shell_join(&words))
            })
            .collect::<Result<Vec<_>>>()?;
        return Ok(Some(StartCmd {
            entry: Fact::in_file(entry, "package.json", detail),
            node_args,
            app_args,
            pre,
        }));
    }
    Ok(None)
}

fn fallback_entry(p: &Project, build: bool, ts_out: Option<&Fact<String>>) -> Option<Fact<String>> {
    const NAMES: &[&str] = &["server", "index", "app", "main"];
    if build {
        // A TypeScript server: src/<name>.ts compiles to <outDir>/<name>.js.
        let out = ts_out?;
        for name in NAMES {
            for src in [format!("src/{name}.ts"), format!("{name}.ts")] {
                if p.has_file(&src) {
                    return Some(Fact::in_file(
                        format!("{}/{name}.js", out.value),
                        &src,
                        format!("compiled into {}", out.value),
                    ));
                }
            }
        }
        return None;
    }
    for name in NAMES {
        for ext in ["js", "mjs", "cjs"] {
            for dir in ["", "src/"] {
                let f = format!("{dir}{name}.{ext}");
                if p.has_file(&f) {
                    return Some(Fact::in_file(f.clone(), &f, "conventional entry file"));
                }
            }
        }
    }
    None
}

/// compilerOptions.outDir of tsconfig.json. tsconfig is JSON with comments and
/// trailing commas, so it is read leniently; only this one value is needed.
pub(super) fn tsconfig_out_dir(p: &Project) -> Result<Option<Fact<String>>> {
    let Some(text) = p.read_opt("tsconfig.json", MANIFEST_CAP)? else {
        return Ok(None);
    };
    Ok(match quoted_value_after(&text, "\"outDir\"") {
        Some(v) => Some(Fact::in_file(
            safe::output_dir("tsconfig.json", "compilerOptions.outDir", &v)?,
            "tsconfig.json",
            "compilerOptions.outDir",
        )),
        None => None,
    })
}

/// Where a static build writes: the bundler config's outDir, else its default.
fn static_out_dir(p: &Project, builder: &str, default: &str) -> Result<Fact<String>> {
    if builder == "@angular/cli" {
        return angular_out_dir(p);
    }
    let configs: &[&str] = match builder {
        "vite" => &[
            "vite.config.ts",
            "vite.config.js",
            "vite.config.mjs",
            "vite.config.mts",
        ],
        "astro" => &["astro.config.mjs", "astro.config.ts", "astro.config.js"],
        _ => &[],
    };
    for cfg in configs {
        if let Some(text) = p.read_opt(cfg, MANIFEST_CAP)?
            && let Some(v) = quoted_value_after(&text, "outDir")
        {
            let dir = safe::output_dir(cfg, "outDir", &v)?;
            return Ok(Fact::in_file(dir, cfg, "outDir"));
        }
    }
    Ok(Fact::in_file(
        default.to_string(),
        "package.json",
        format!("{builder}'s default output directory"),
    ))
}

/// Angular: angular.json's build outputPath for the default (or only) project;
/// the `application` builder (Angular 17+) writes the site to its `browser/`.
fn angular_out_dir(p: &Project) -> Result<Fact<String>> {
    let text = p.read("angular.json", MANIFEST_CAP)?;
    let json = parse_json("angular.json", &text)?;
    let projects = json
        .get("projects")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::field("angular.json", "projects", "is missing"))?;
    let name = json
        .get("defaultProject")
        .and_then(Value::as_str)
        .or_else(|| {
            (projects.len() == 1)
                .then(|| projects.keys().next().map(String::as_str))
                .flatten()
        })
        .or_else(|| {
            projects
                .iter()
                .find(|(_, v)| v.get("projectType").and_then(Value::as_str) == Some("application"))
                .map(|(k, _)| k.as_str())
        })
        .ok_or_else(|| Error::field("angular.json", "projects", "has no application project"))?;
    let build = projects
        .get(name)
        .and_then(|v| v.pointer("/architect/build"))
        .ok_or_else(|| {
            Error::field(
                "angular.json",
                format!("projects.{name}.architect.build"),
                "is missing",
            )
        })?;
    let field = format!("projects.{name}.architect.build.options.outputPath");
    let out = match build.pointer("/options/outputPath") {
        Some(Value::String(o)) => o.clone(),
        Some(Value::Object(o)) => o
            .get("base")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::field("angular.json", &field, "has no base"))?
            .to_string(),
        _ => format!("dist/{name}"),
    };
    let builder = build.get("builder").and_then(Value::as_str).unwrap_or("");
    let out = safe::rel_path("angular.json", &field, &out)?;
    Ok(if builder.ends_with(":application") {
        Fact::in_file(
            format!("{out}/browser"),
            "angular.json",
            format!("{field} (the application builder writes browser/)"),
        )
    } else {
        Fact::in_file(out, "angular.json", field)
    })
}

/// The quoted string after `key:` (JS/JSONC), skipping commented-out lines.
fn quoted_value_after(text: &str, key: &str) -> Option<String> {
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("//") || t.starts_with("/*") || t.starts_with('*') {
            continue;
        }
        let Some(pos) = line.find(key) else { continue };
        let rest = line[pos + key.len()..]
            .trim_start()
            .strip_prefix(':')?
            .trim_start();
        let quote = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '`'))?;
        let inner = &rest[1..];
        let end = inner.find(quote)?;
        return Some(inner[..end].to_string());
    }
    None
}

/// package-lock.json marks packages with install scripts; a production one is
/// likely a native addon that must be built where it will run.
fn npm_native_deps(p: &Project) -> Result<bool> {
    let Some(text) = p.read_opt("package-lock.json", LOCKFILE_CAP)? else {
        return Ok(false);
    };
    let lock = parse_json("package-lock.json", &text)?;
    Ok(lock
        .get("packages")
        .and_then(Value::as_object)
        .is_some_and(|pkgs| {
            pkgs.iter().any(|(path, v)| {
                !path.is_empty()
                    && v.get("hasInstallScript").and_then(Value::as_bool) == Some(true)
                    && v.get("dev").and_then(Value::as_bool) != Some(true)
            })
        }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_config_values() {
        let ts = "{\n  // \"outDir\": \"nope\",\n  \"compilerOptions\": { \"outDir\": \"./build\", },\n}";
        assert_eq!(
            quoted_value_after(ts, "\"outDir\"").as_deref(),
            Some("./build")
        );
        let vite = "export default defineConfig({ build: { outDir: 'public-dist' } })";
        assert_eq!(
            quoted_value_after(vite, "outDir").as_deref(),
            Some("public-dist")
        );
    }

    #[test]
    fn start_scripts_that_are_plain_node_calls() {
        let mut s = std::collections::BTreeMap::new();
        s.insert(
            "start".to_string(),
            "node --enable-source-maps dist/server.js --port 1".to_string(),
        );
        let c = start_command(&s, None, false).unwrap().unwrap();
        assert_eq!(c.entry.value, "dist/server.js");
        assert_eq!(c.node_args, vec!["--enable-source-maps"]);
        assert_eq!(c.app_args, vec!["--port", "1"]);
        s.insert("start".to_string(), "nest start".to_string());
        assert!(start_command(&s, None, false).unwrap().is_none());
        s.insert(
            "start".to_string(),
            "NODE_ENV=production node x.js && echo".to_string(),
        );
        assert!(start_command(&s, None, false).unwrap().is_none());
        s.insert("start:prod".to_string(), "node dist/main".to_string());
        assert_eq!(
            start_command(&s, None, false).unwrap().unwrap().entry.value,
            "dist/main"
        );
    }
}
