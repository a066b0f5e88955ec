//! The pipeline shared by every command: open the project, load presets,
//! detect, choose the ecosystem and preset, and build the plan.

use std::path::Path;

use serde::Serialize;

use crate::assets::Assets;
use crate::detect::{self, Detected};
use crate::error::Result;
use crate::plan::{self, Choices, Plan};
use crate::preset;
use crate::project::Project;

#[derive(Debug)]
pub struct Planned {
    pub project: Project,
    pub detected: Detected,
    pub plan: Plan,
}

pub fn plan(path: &Path, choices: &Choices, assets: &Assets) -> Result<Planned> {
    let project = Project::open(path)?;
    let presets = preset::load_all(assets)?;
    let forced = match &choices.preset {
        Some(name) => Some(preset::find(&presets, name)?),
        None => None,
    };
    let all = detect::detect_all(&project)?;
    let detected = detect::choose(&project, all, forced.map(|p| p.ecosystem))?;
    let preset = match forced {
        Some(p) => p,
        None => preset::find(&presets, plan::default_preset_name(&detected))?,
    };
    let plan = plan::build(&detected, preset, choices)?;
    Ok(Planned {
        project,
        detected,
        plan,
    })
}

/// One line of `dfgen detect`: what, the value, and the evidence.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub what: String,
    pub value: String,
    pub evidence: String,
}

/// The facts worth showing a user, in reading order.
pub fn findings(p: &Planned) -> Vec<Finding> {
    let plan = &p.plan;
    let mut out = Vec::new();
    let mut add = |what: &str, value: String, evidence: String| {
        out.push(Finding {
            what: what.into(),
            value,
            evidence,
        })
    };
    add(
        "ecosystem",
        plan.ecosystem.to_string(),
        p.detected.runnable().unwrap_or_default(),
    );
    add("preset", plan.preset.clone(), "dfgen presets".into());
    add("shape", plan.shape.clone(), String::new());
    add(
        "version",
        format!("{} (image tag)", plan.version.tag),
        plan.version.reason.clone(),
    );
    match &p.detected {
        Detected::Node(n) => {
            add(
                "package manager",
                n.package_manager.value.clone(),
                n.package_manager.evidence.to_string(),
            );
            if let Some(f) = &n.framework {
                add("framework", f.value.clone(), f.evidence.to_string());
            }
            if let Some(o) = &n.output_dir {
                add("build output", o.value.clone(), o.evidence.to_string());
            }
        }
        Detected::Python(py) => {
            add(
                "installer",
                py.tool.value.clone(),
                py.tool.evidence.to_string(),
            );
            if let Some(f) = &py.framework {
                add("framework", f.value.clone(), f.evidence.to_string());
            }
        }
        Detected::Go(g) => {
            add(
                "module",
                g.module.value.clone(),
                g.module.evidence.to_string(),
            );
            if let Some(go) = &plan.go {
                add(
                    "main package",
                    go.package.clone(),
                    format!("binary {}", go.binary),
                );
            }
        }
        Detected::Rust(_) => {
            if let Some(r) = &plan.rust {
                add("binary", r.binary.clone(), format!("package {}", r.package));
            }
        }
    }
    add(
        "runtime",
        plan.runtime.name.clone(),
        plan.runtime.description.clone(),
    );
    match &plan.port {
        Some(port) => add("port", port.value.to_string(), port.evidence.to_string()),
        None => add(
            "port",
            "none".into(),
            "no port found: no EXPOSE (use --port)".into(),
        ),
    }
    if let Some(cmd) = &plan.command {
        add("command", cmd.value.join(" "), cmd.evidence.to_string());
    }
    out
}
