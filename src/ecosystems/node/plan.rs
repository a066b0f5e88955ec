//! Node's part of the plan: package manager and its install, build step,
//! what the runtime holds, and the start command.

use serde::{Deserialize, Serialize};

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
    /// Skip the project's own lifecycle scripts in the production install.
    pub ignore_scripts: bool,
    /// ...and then rebuild native dependencies, which that skipped too.
    pub rebuild: bool,
    /// The lifecycle scripts in question (prepare, postinstall...).
    pub lifecycle: Vec<String>,
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
    let setup = match &pm.setup {
        Some(s) => {
            let v = n
                .package_manager_version
                .clone()
                .or(pm.default_version.clone())
                .unwrap_or_default();
            let v = safe::name("package.json", "packageManager", &v)?;
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
    plan.set_part(
        "node",
        &NodePlan {
            package_manager: pm_name.clone(),
            setup,
            lockfile: n.lockfile.clone(),
            build: n.has_build_script,
            output_dir: n.output_dir.as_ref().map(|o| o.value.clone()),
            entry: n.entry.as_ref().map(|e| e.value.clone()),
            ship_sources: n.ship_sources,
            ignore_scripts,
            rebuild: ignore_scripts && n.native_deps && pm.rebuild.is_some(),
            lifecycle: n.root_lifecycle_scripts.clone(),
            pm,
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
    argv.extend(n.node_args.iter().cloned());
    argv.push(entry.value.clone());
    argv.extend(n.app_args.iter().cloned());
    plan.command = Some(Fact::new(argv, entry.evidence.clone()));
    Ok(n.ports.clone())
}
