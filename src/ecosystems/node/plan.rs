//! Node's part of the plan: package manager and its install, build step,
//! what the runtime holds, and the start command.

use serde::{Deserialize, Serialize};

use super::frameworks::NextOutput;
use super::{NodeProject, Shape};
use crate::ecosystems::PlanContext;
use crate::error::{Error, Result};
use crate::evidence::{Evidence, Fact};
use crate::ports::PortHints;
use crate::preset::PackageManager;
use crate::safe;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NodePlan {
    pub package_manager: String,
    pub pm: PackageManager,
    /// `setup` with the version filled in (pnpm), if the manager must be installed.
    pub setup: Option<String>,
    pub lockfile: Option<String>,
    pub build: bool,
    pub output_dir: Option<String>,
    pub entry: Option<String>,
    /// Copy the project's sources into the runtime (entry point is not build output).
    pub ship_sources: bool,
    /// The sources the runtime gets are the build stage's (what the start
    /// script's chained build commands made), without its node_modules.
    pub sources_from_build: bool,
    /// Skip the project's own lifecycle scripts in the production install.
    pub ignore_scripts: bool,
    /// ...and then rebuild native dependencies, which that skipped too.
    pub rebuild: bool,
    /// The lifecycle scripts in question (prepare, postinstall...).
    pub lifecycle: Vec<String>,
    /// The runtime gets node_modules from a production install (a `deps` stage).
    pub prod_deps: bool,
    /// The runtime gets package.json (and the sources, when they ship): false
    /// for self-contained framework output.
    pub package_json: bool,
    /// Commands the build stage runs, in order (shell form, already quoted).
    pub build_steps: Vec<String>,
    /// ENV for the build stage: (name, value, why).
    pub build_env: Vec<(String, String, String)>,
    /// Build-time settings the sources read, passed with --build-arg: (name, file naming it).
    pub build_args: Vec<(String, String)>,
    /// Directories (under /app) kept between builds as cache mounts.
    pub build_cache: Vec<String>,
    /// What the runtime copies from the build stage (instead of `output_dir`).
    pub copies: Vec<CopyFrom>,
    /// Directories under /app the app writes to: created empty, owned by the app user.
    pub writable: Vec<String>,
    /// Build by-products removed before the runtime copies the output (not run).
    pub build_prune: Vec<String>,
    /// Lines of comment above the runtime's copies.
    pub runtime_comment: Vec<String>,
    /// `.env` templates the app reads, kept in the build context.
    pub keep_env: Vec<String>,
    /// Installs mount the registry credentials as the build secret `npmrc`:
    /// (evidence, the file uses `${VAR}`).
    pub npmrc_secret: Option<(String, bool)>,
    /// Files and folders the install needs besides package.json and the lockfile
    /// (.yarnrc.yml, .yarn/releases...): bind-mounted, or copied for Plug'n'Play.
    pub install_files: Vec<String>,
    /// Yarn Plug'n'Play: no node_modules; the runtime gets .pnp.* and .yarn/.
    pub pnp: Option<String>,
    /// The app is one package of a workspace built from its root.
    pub workspace: Option<WorkspacePlan>,
}

/// A workspace app: what the install binds, what the runtime copies.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WorkspacePlan {
    /// The app's directory and package name, and why it is the app.
    pub app: String,
    pub name: String,
    pub why: String,
    /// What declares the workspace.
    pub declared: String,
    /// Every package's package.json (and pnpm-workspace.yaml): the install needs
    /// them all, and only them, so a source change reuses it.
    pub manifests: Vec<String>,
    /// node_modules directories of the production install the runtime copies.
    pub node_modules: Vec<String>,
    /// What the runtime copies: (stage, or empty for the build context; path).
    pub copies: Vec<(String, String)>,
    /// Every node_modules the build stage's full install made, removed after
    /// the build so copies from it carry no devDependencies.
    pub prune: Vec<String>,
    /// The workspace packages the app runs with.
    pub runtime_deps: Vec<String>,
    /// The production install holds every package's production dependencies
    /// (the manager has no per-package install).
    pub all_prod_deps: bool,
    /// The other runnable apps of the workspace.
    pub other_apps: Vec<String>,
}

/// Servers whose listen() defaults to localhost.
const LOCALHOST_DEFAULT: &[&str] = &["fastify"];

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CopyFrom {
    /// Path under /app in the build stage.
    pub from: String,
    /// Path under /app in the runtime.
    pub to: String,
}

pub fn plan(n: &NodeProject, ctx: &mut PlanContext) -> Result<PortHints> {
    let preset = ctx.preset;
    let plan = &mut *ctx.plan;
    let pm_name = &n.package_manager.value;
    let pm = preset
        .package_managers
        .get(pm_name)
        .cloned()
        .ok_or_else(|| Error::Preset {
            preset: preset.name.clone(),
            message: format!("has no package_managers.{pm_name} entry"),
        })?;
    let mut pm = pm;
    let setup = match &pm.setup {
        Some(s) => {
            let v = n
                .package_manager_version
                .clone()
                .or(pm.default_version.clone())
                .unwrap_or_default();
            let v = safe::name("package.json", "packageManager", &v)?;
            if n.package_manager.evidence.detail.contains("lockfile")
                && n.package_manager_version.is_some()
            {
                plan.notes.push(format!(
                    "{pm_name} {v}: the version that writes this lockfile's format ({})",
                    n.package_manager.evidence
                ));
            }
            Some(s.replace("{version}", &v))
        }
        None => None,
    };
    if n.lockfile.is_none() {
        plan.warnings.push(format!(
            "no lockfile: `{}` resolves dependencies afresh on every build; commit a lockfile",
            pm.install_unlocked
        ));
    }
    let static_preset = preset.shape.as_deref() == Some("static");
    if static_preset != (n.shape.value == Shape::Static) {
        return Err(Error::Usage(format!(
            "preset `{}` is for {}, but this app is {} ({})",
            preset.name,
            if static_preset {
                "static front ends"
            } else {
                "Node servers"
            },
            match n.shape.value {
                Shape::Static => "a static front end",
                _ => "a Node server",
            },
            n.shape.evidence
        )));
    }
    plan.shape = match n.shape.value {
        Shape::Server => "server",
        Shape::ServerBuild => "server-build",
        Shape::Static => "static",
    }
    .into();
    let ignore_scripts = !n.root_lifecycle_scripts.is_empty();
    let mut build_steps = Vec::new();
    if n.has_build_script {
        build_steps.push(if n.build_script {
            format!("{} build", pm.run)
        } else {
            // A framework with no build script: its own build command.
            "node_modules/.bin/next build".to_string()
        });
    }
    // `npm run scss && node app.js`: the chained part runs once, here.
    build_steps.extend(n.prestart.iter().cloned());
    let sources_from_build = n.ship_sources && !n.prestart.is_empty();
    let mut build_env = Vec::new();
    let mut build_args = Vec::new();
    let mut build_cache = Vec::new();
    let mut copies = Vec::new();
    let mut writable = Vec::new();
    let mut build_prune = Vec::new();
    let mut runtime_comment = Vec::new();
    let mut prod_deps = n.shape.value != Shape::Static;
    if let Some(fw) = &n.server_build {
        prod_deps = fw.prod_deps;
        runtime_comment.push(format!(
            "{}: the build writes its own server into {} ({});",
            fw.name, fw.output_dir, fw.evidence
        ));
        runtime_comment.push(
            if fw.prod_deps && n.has_prod_deps {
                "it imports the production dependencies installed next to it."
            } else if fw.prod_deps {
                "package.json lists no production dependencies: the build bundled what it uses."
            } else {
                "the dependencies it uses are bundled in: no node_modules install needed."
            }
            .into(),
        );
        copies.push(CopyFrom {
            from: fw.output_dir.clone(),
            to: fw.output_dir.clone(),
        });
        if fw.reads_host {
            plan.env.insert(
                "HOST".into(),
                Fact::new(
                    "0.0.0.0".into(),
                    Evidence::other(format!(
                        "{}'s server listens on HOST: all interfaces, not only inside the container",
                        fw.name
                    )),
                ),
            );
        }
    }
    if let Some(next) = &n.next {
        let evidence = next.output.evidence.clone();
        build_env.push((
            "NEXT_TELEMETRY_DISABLED".into(),
            "1".into(),
            "Next.js: no usage reports sent from the build".into(),
        ));
        build_cache.push(format!("{}/cache", next.dist_dir));
        for (name, file) in &next.public_env {
            build_args.push((
                safe::name(file, "NEXT_PUBLIC_ variable", name)?,
                safe::comment_text(file)?,
            ));
        }
        if n.shape.value != Shape::Static {
            plan.env.insert(
                "NEXT_TELEMETRY_DISABLED".into(),
                Fact::new(
                    "1".into(),
                    Evidence::other("Next.js: no usage reports sent from the container"),
                ),
            );
        }
        let dist = &next.dist_dir;
        let public = |copies: &mut Vec<CopyFrom>| {
            if next.public {
                copies.push(CopyFrom {
                    from: "public".into(),
                    to: "public".into(),
                });
            }
        };
        match next.output.value {
            NextOutput::Standalone => {
                prod_deps = false;
                runtime_comment.push(format!("Next.js standalone output ({evidence}):"));
                runtime_comment.push(
                    "server.js and only the node_modules it uses; static assets and public/ are"
                        .into(),
                );
                runtime_comment.push("not part of it and are copied next to it.".into());
                copies.push(CopyFrom {
                    from: format!("{dist}/standalone"),
                    to: ".".into(),
                });
                copies.push(CopyFrom {
                    from: format!("{dist}/static"),
                    to: format!("{dist}/static"),
                });
                public(&mut copies);
                writable.push(format!("{dist}/cache"));
                // server.js binds to HOSTNAME, which Docker sets to the container id.
                plan.env.insert(
                    "HOSTNAME".into(),
                    Fact::new(
                        "0.0.0.0".into(),
                        Evidence::other(
                            "Next.js server.js listens on HOSTNAME, which Docker sets to the container's name; listen on all interfaces",
                        ),
                    ),
                );
            }
            NextOutput::Start => {
                runtime_comment.push(format!("Next.js: {evidence}."));
                runtime_comment.push(
                    "`next start` serves the build from the production install. output: 'standalone'"
                        .into(),
                );
                runtime_comment
                    .push("in the Next config would make this image several times smaller.".into());
                copies.push(CopyFrom {
                    from: dist.clone(),
                    to: dist.clone(),
                });
                // Type declarations `next build` writes for its type check: not run.
                build_prune.push(format!("{dist}/types"));
                public(&mut copies);
                if let Some(cfg) = &next.config {
                    copies.push(CopyFrom {
                        from: cfg.clone(),
                        to: cfg.clone(),
                    });
                }
                writable.push(format!("{dist}/cache"));
                if next.next_is_dev_only {
                    plan.warnings.push(
                        "package.json: `next` is only a devDependency, so the production install has no                          `next start`; move it to dependencies (or use output: 'standalone')"
                            .into(),
                    );
                }
            }
            NextOutput::Export => {}
        }
    }
    if n.shape.value != Shape::Static && n.next.is_none() {
        if let Some(at) = &n.binding.reads_host {
            plan.env.insert(
                "HOST".into(),
                Fact::new(
                    "0.0.0.0".into(),
                    Evidence::other(format!(
                        "{at} reads HOST: listen on all interfaces, not only inside the container"
                    )),
                ),
            );
        } else if !n.binding.all_interfaces
            && let Some(f) = n
                .framework
                .as_ref()
                .filter(|f| LOCALHOST_DEFAULT.contains(&f.value.as_str()))
        {
            plan.warnings.push(format!(
                "{} listens on localhost unless told otherwise, and nothing in the sources names \
                 0.0.0.0 or reads HOST: the server would not be reachable from outside the container; \
                 pass host: '0.0.0.0' to listen() (or read process.env.HOST, which the image sets)",
                f.value
            ));
        }
    }
    let mut output_dir = n.output_dir.as_ref().map(|o| o.value.clone());
    let mut build = n.has_build_script || !n.prestart.is_empty();
    let workspace = match &n.workspace {
        Some(ws) => {
            let w = workspace_plan(n, ws, &mut pm, &mut build_steps, &mut build_env, plan)?;
            build = !build_steps.is_empty();
            output_dir = output_dir.map(|o| crate::project::join(&ws.app.value, &o));
            Some(w)
        }
        None => None,
    };
    plan.set_part(
        "node",
        &NodePlan {
            package_manager: pm_name.clone(),
            setup,
            lockfile: n.lockfile.clone(),
            build,
            sources_from_build,
            output_dir,
            entry: n.entry.as_ref().map(|e| e.value.clone()),
            ship_sources: n.ship_sources,
            ignore_scripts,
            rebuild: ignore_scripts && n.native_deps && pm.rebuild.is_some(),
            lifecycle: n.root_lifecycle_scripts.clone(),
            pm,
            prod_deps: prod_deps && (n.has_prod_deps || workspace.is_some()),
            package_json: prod_deps,
            build_steps,
            build_env,
            build_args,
            build_cache,
            copies,
            writable,
            build_prune,
            runtime_comment,
            keep_env: n.env_templates.clone(),
            install_files: n.yarn.as_ref().map(|y| y.files.clone()).unwrap_or_default(),
            pnp: n
                .yarn
                .as_ref()
                .filter(|y| y.linker.value == "pnp")
                .map(|y| safe::comment_text(&y.linker.evidence.to_string()))
                .transpose()?,
            npmrc_secret: n
                .npmrc_secret
                .as_ref()
                .map(|f| (f.evidence.to_string(), f.value)),
            workspace,
        },
    )?;
    if n.shape.value == Shape::Static {
        plan.port = Some(Fact::new(
            preset.default_port.unwrap_or(8080),
            Evidence::other(format!(
                "the port the {} runtime listens on",
                plan.runtime.name
            )),
        ));
        return Ok(PortHints::default());
    }
    let entry = n
        .entry
        .as_ref()
        .ok_or_else(|| Error::Detect("no entry point for the Node server; pass --cmd".into()))?;
    if n.has_build_script && n.output_dir.is_none() {
        return Err(Error::Detect(format!(
            "package.json has a build script, but dfgen cannot tell where it writes (tsconfig.json names no \
             outDir, no known bundler, and the entry point {} is not build output); set \
             compilerOptions.outDir, or pass --cmd",
            entry.value
        )));
    }
    let node_bin = plan
        .runtime
        .settings
        .get("node_binary")
        .and_then(|v| v.as_str())
        .unwrap_or("node")
        .to_string();
    let mut argv = vec![node_bin];
    if n.yarn.as_ref().is_some_and(|y| y.linker.value == "pnp") {
        // Plug'n'Play: node resolves packages through Yarn's loader files
        // (at the workspace root: a workspace app runs from its own folder).
        let at = if n.workspace.is_some() { "/app" } else { "." };
        argv.extend(["--require".to_string(), format!("{at}/.pnp.cjs")]);
        if n.esm {
            argv.extend([
                "--experimental-loader".to_string(),
                format!("{at}/.pnp.loader.mjs"),
            ]);
        }
    }
    argv.extend(n.node_args.iter().cloned());
    argv.push(entry.value.clone());
    argv.extend(n.app_args.iter().cloned());
    plan.command = Some(Fact::new(argv, entry.evidence.clone()));
    Ok(n.ports.clone())
}

/// The workspace part of the plan: the manager's per-package install and
/// build commands, the manifests the install binds, what the runtime copies.
fn workspace_plan(
    n: &NodeProject,
    ws: &super::workspace::Workspace,
    pm: &mut PackageManager,
    build_steps: &mut Vec<String>,
    build_env: &mut Vec<(String, String, String)>,
    plan: &mut crate::plan::Plan,
) -> Result<WorkspacePlan> {
    use super::workspace::by_dir;
    use crate::project::join;
    let dir = ws.app.value.clone();
    let manifest = join(&dir, "package.json");
    let name = safe::name(&manifest, "name", &ws.name)?;
    let fill = |t: &str, d: &str, n: &str| t.replace("{dir}", d).replace("{name}", n);
    if !n.prestart.is_empty() {
        return Err(Error::Detect(format!(
            "{manifest}: a start script that runs build commands before node is not supported in a \
             workspace yet; move them to a `build` script"
        )));
    }
    // The production install: this package's only, when the manager can.
    let all_prod_deps = pm.workspace_install_prod.is_none();
    if let Some(cmd) = &pm.workspace_install_prod {
        pm.install_prod = fill(cmd, &dir, &name);
    }
    if let Some(cmd) = &pm.workspace_install_prod_unlocked {
        pm.install_prod_unlocked = fill(cmd, &dir, &name);
    }
    if all_prod_deps && n.shape.value != Shape::Static {
        plan.warnings.push(format!(
            "{}: the package manager cannot install one workspace package's production dependencies, \
             so the image holds every package's (not their sources)",
            n.package_manager.value
        ));
    }
    // The build: turbo when the workspace uses it, else the manager, packages
    // the app depends on first.
    build_steps.clear();
    let needs_build: Vec<&String> = ws
        .build_deps
        .iter()
        .filter(|d| by_dir(ws, d).is_some_and(|m| m.build))
        .collect();
    let app_builds = n.has_build_script;
    if app_builds || !needs_build.is_empty() {
        if let Some(turbo) = &ws.turbo {
            let exec = pm
                .exec
                .clone()
                .unwrap_or_else(|| "node_modules/.bin/".to_string());
            let sep = if exec.ends_with('/') { "" } else { " " };
            build_steps.push(format!("{exec}{sep}turbo run build --filter={name}..."));
            build_env.push((
                "TURBO_TELEMETRY_DISABLED".into(),
                "1".into(),
                format!("Turborepo ({turbo}): no usage reports sent from the build"),
            ));
        } else if let Some(cmd) = &pm.workspace_build {
            if pm.workspace_build_deps {
                build_steps.push(fill(cmd, &dir, &name));
            } else {
                for d in &needs_build {
                    let m = by_dir(ws, d).expect("a member");
                    let mname = safe::name(&join(d, "package.json"), "name", &m.name)?;
                    build_steps.push(fill(cmd, d, &mname));
                }
                if app_builds {
                    build_steps.push(fill(cmd, &dir, &name));
                }
            }
        } else {
            return Err(Error::Preset {
                preset: "node".into(),
                message: format!(
                    "package_managers.{} has no workspace_build",
                    n.package_manager.value
                ),
            });
        }
    }
    let mut manifests: Vec<String> = Vec::new();
    if ws.declared.file.as_deref() == Some("pnpm-workspace.yaml") {
        manifests.push("pnpm-workspace.yaml".into());
    }
    manifests.extend(ws.members.iter().map(|m| join(&m.dir, "package.json")));
    // What the runtime runs: the app and the workspace packages it imports,
    // each as sources (no build) or as its build output.
    let mut copies: Vec<(String, String)> = Vec::new();
    let mut from_build = false;
    for d in &ws.runtime_deps {
        let m = by_dir(ws, d).expect("a member");
        match (&m.build, &m.out_dir) {
            (true, Some(out)) => {
                copies.push(("build".into(), join(d, "package.json")));
                copies.push(("build".into(), join(d, out)));
                from_build = true;
            }
            (true, None) => {
                copies.push(("build".into(), d.clone()));
                from_build = true;
            }
            _ => copies.push((String::new(), d.clone())),
        }
    }
    if n.shape.value == Shape::ServerBuild && !n.ship_sources {
        copies.push(("build".into(), manifest.clone()));
        if let Some(out) = &n.output_dir {
            copies.push(("build".into(), join(&dir, &out.value)));
        }
        from_build = true;
    } else if n.shape.value == Shape::ServerBuild {
        copies.push(("build".into(), dir.clone()));
        from_build = true;
    } else {
        copies.push((String::new(), dir.clone()));
    }
    let pnp = n.yarn.as_ref().is_some_and(|y| y.linker.value == "pnp");
    let mut node_modules = Vec::new();
    if !pnp {
        node_modules.push("node_modules".to_string());
        node_modules.push(join(&dir, "node_modules"));
        node_modules.extend(ws.runtime_deps.iter().map(|d| join(d, "node_modules")));
    }
    let prune = if from_build && !pnp {
        let mut p = vec!["node_modules".to_string()];
        p.extend(ws.members.iter().map(|m| join(&m.dir, "node_modules")));
        p
    } else {
        Vec::new()
    };
    if !ws.other_apps.is_empty() {
        plan.notes.push(format!(
            "building {dir} ({}); the workspace has other apps too: {} (pass --app to build another, \
             or run dfgen in its folder for a Dockerfile of its own)",
            ws.app.evidence,
            ws.other_apps.join(", ")
        ));
    }
    Ok(WorkspacePlan {
        app: dir,
        name,
        why: safe::comment_text(&ws.app.evidence.to_string())?,
        declared: safe::comment_text(&ws.declared.to_string())?,
        manifests,
        node_modules,
        copies,
        prune,
        runtime_deps: ws.runtime_deps.clone(),
        all_prod_deps,
        other_apps: ws.other_apps.clone(),
    })
}
