//! Deno's part of the plan: which files carry the dependency graph (config,
//! lockfile, package.json), the entry module, and the `deno run` command with
//! exactly the permission flags the project's start command uses.

use serde::{Deserialize, Serialize};

use super::DenoProject;
use super::detect::parse_start;
use crate::ecosystems::PlanContext;
use crate::error::{Error, Result};
use crate::evidence::{Evidence, Fact};
use crate::ports::PortHints;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DenoPlan {
    /// Files copied before the sources (the dependency layer's key).
    pub manifests: Vec<String>,
    pub lockfile: Option<String>,
    pub entry: String,
    /// Pass `--vendor` (the config does not say `"vendor": true` itself).
    pub vendor_flag: bool,
    /// Why `deno task build` runs in the builder (deno.json's build task), if it does.
    pub build: Option<String>,
}

pub fn plan(d: &DenoProject, ctx: &mut PlanContext) -> Result<PortHints> {
    // A deployment file's `deno run ...` outranks the start task.
    let mut d = d.clone();
    if let Some(cmd) = &ctx.deploy.command {
        let mut from_deploy = d.clone();
        from_deploy.entry = None;
        parse_start(&cmd.value, cmd.evidence.clone(), &mut from_deploy)?;
        if from_deploy.entry.is_some() {
            from_deploy.inferred_permissions.clear();
            d = from_deploy;
        }
    }
    let plan = &mut *ctx.plan;
    let entry = d.entry.clone().ok_or_else(|| {
        Error::Detect(format!(
            "no entry module for the Deno app: no `tasks.start` running `deno run <file>` in {}, \
             and none of {}; pass --cmd",
            d.config.as_deref().unwrap_or("deno.json"),
            super::detect::ENTRY_FILES.join(", ")
        ))
    })?;
    plan.shape = "server".into();
    plan.main = Some(entry.clone());
    if d.lockfile.is_none() && d.has_dependencies {
        plan.warnings.push(
            "no deno.lock: dependencies resolve afresh on every build; commit the lockfile \
             (deno install writes it)"
                .into(),
        );
    }
    for f in &d.dropped {
        plan.notes.push(format!(
            "left `{f}` out of the container's command (development only{})",
            if f.starts_with("--env") {
                "; pass the variables with `docker run --env-file`"
            } else {
                ""
            }
        ));
    }
    let mut flags = d.flags.clone();
    let mut evidence = entry.evidence.clone();
    if !d.from_command {
        if d.inferred_permissions.is_empty() {
            plan.notes.push(
                "no start task names the permissions and the sources need none that dfgen sees: \
                 deno runs with no permissions (add a `tasks.start` to deno.json to choose them)"
                    .into(),
            );
        } else {
            plan.notes.push(format!(
                "no start task names the permissions, so they come from the sources: {} \
                 (a `tasks.start` in deno.json decides them instead)",
                d.inferred_permissions
                    .iter()
                    .map(|f| format!("{} ({})", f.value, f.evidence))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            evidence = Evidence::other(format!("{}; permissions from the sources", entry.evidence));
        }
        flags.extend(d.inferred_permissions.iter().map(|f| f.value.clone()));
    }
    let vendor_flag = !d.vendor_in_config;
    let mut argv = vec!["deno".to_string(), d.subcommand.clone()];
    if vendor_flag {
        // Dependencies were installed into vendor/ and node_modules/ (see the Dockerfile).
        argv.push("--vendor".into());
    }
    // Everything was fetched at build time: starting never downloads.
    argv.push("--cached-only".into());
    argv.extend(flags);
    argv.push(entry.value.clone());
    argv.extend(d.app_args.iter().cloned());
    plan.command = Some(Fact::new(argv, evidence));
    let mut manifests: Vec<String> = d.config.iter().cloned().collect();
    if d.package_json {
        manifests.push("package.json".into());
    }
    plan.set_part(
        "deno",
        &DenoPlan {
            manifests,
            lockfile: d.lockfile.clone(),
            entry: entry.value.clone(),
            vendor_flag,
            build: d.build_task.as_ref().map(|b| b.evidence.to_string()),
        },
    )?;
    Ok(d.ports.clone())
}
