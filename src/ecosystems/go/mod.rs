//! Go: go.mod, go.sum, vendor/ and main packages → one static binary.

mod detect;
mod goreleaser;
mod makefile;
mod plan;
mod source;

pub use detect::{GoMain, GoProject};
pub use plan::GoPlan;

use super::{Candidate, Detected, Ecosystem, PlanContext};
use crate::error::Result;
use crate::plan::Plan;
use crate::ports::PortHints;
use crate::project::Project;
use crate::version::Declared;

pub struct Go;

impl Ecosystem for Go {
    fn name(&self) -> &'static str {
        "go"
    }
    fn manifests(&self) -> &'static str {
        "go.mod"
    }
    fn detect(&self, project: &Project) -> Result<Option<Detected>> {
        Ok(detect::detect(project)?.map(|g| Box::new(g) as Detected))
    }
}

impl Candidate for GoProject {
    fn ecosystem(&self) -> &'static str {
        "go"
    }
    fn runnable(&self) -> std::result::Result<String, String> {
        match self.mains.as_slice() {
            [] => Err("go.mod, but no `package main` in the module".into()),
            [m] => Ok(format!(
                "main package in {}",
                m.dir.evidence.file.as_deref().unwrap_or("?")
            )),
            many => Ok(format!(
                "{} main packages ({})",
                many.len(),
                many.iter()
                    .map(|m| m.dir.value.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
    fn default_preset(&self) -> &'static str {
        "go"
    }
    fn version(&self) -> &Declared {
        &self.version
    }
    fn plan(&self, ctx: &mut PlanContext) -> Result<PortHints> {
        plan::plan(self, ctx)
    }
    fn programs(&self) -> Vec<(String, String)> {
        if self.mains.len() < 2 {
            return Vec::new();
        }
        self.mains
            .iter()
            .map(|m| {
                (
                    m.dir.value.clone(),
                    format!("{} (binary {})", m.dir.value, m.binary),
                )
            })
            .collect()
    }
    fn findings(&self, plan: &Plan) -> Vec<(String, String, String)> {
        let mut out = vec![(
            "module".to_string(),
            self.module.value.clone(),
            self.module.evidence.to_string(),
        )];
        if let Some(main) = &plan.main {
            out.push((
                "main package".into(),
                main.value.clone(),
                main.evidence.to_string(),
            ));
        }
        if let Some(g) = plan.part::<GoPlan>("go") {
            if let Some(why) = g.cgo {
                out.push(("cgo".into(), "on (glibc runtime)".into(), why));
            }
            if let (Some(v), Some(why)) = (g.goprivate, g.goprivate_evidence) {
                out.push(("GOPRIVATE".into(), v, why));
            }
            if let Some(r) = g.release {
                out.push(("release build".into(), g.ldflags, r));
            }
            for d in g.runtime_dirs {
                out.push(("runtime dir".into(), d.dir, d.why));
            }
        }
        out
    }
    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
