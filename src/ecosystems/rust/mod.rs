//! Rust: Cargo.toml (packages, binaries, workspaces), rust-toolchain,
//! Cargo.lock → one release binary on a glibc runtime.

mod detect;
mod plan;

pub use detect::{RustBin, RustProject};
pub use plan::RustPlan;

use super::{Candidate, Detected, Ecosystem, PlanContext};
use crate::error::Result;
use crate::plan::Plan;
use crate::ports::PortHints;
use crate::project::Project;
use crate::version::Declared;

pub struct Rust;

impl Ecosystem for Rust {
    fn name(&self) -> &'static str {
        "rust"
    }
    fn manifests(&self) -> &'static str {
        "Cargo.toml"
    }
    fn detect(&self, project: &Project) -> Result<Option<Detected>> {
        Ok(detect::detect(project)?.map(|r| Box::new(r) as Detected))
    }
}

impl Candidate for RustProject {
    fn ecosystem(&self) -> &'static str {
        "rust"
    }
    fn runnable(&self) -> std::result::Result<String, String> {
        match self.binaries.first() {
            Some(b) => Ok(format!("binary target `{}`", b.name.value)),
            None => Err("Cargo.toml, but no binary target (a library only?)".into()),
        }
    }
    fn default_preset(&self) -> &'static str {
        "rust"
    }
    fn version(&self) -> &Declared {
        &self.version
    }
    fn plan(&self, ctx: &mut PlanContext) -> Result<PortHints> {
        plan::plan(self, ctx)
    }
    fn programs(&self) -> Vec<(String, String)> {
        if self.binaries.len() < 2 || self.default_run.is_some() {
            return Vec::new();
        }
        self.binaries
            .iter()
            .map(|b| {
                (
                    b.name.value.clone(),
                    format!("{} (package {})", b.name.value, b.package),
                )
            })
            .collect()
    }
    fn findings(&self, plan: &Plan) -> Vec<(String, String, String)> {
        plan.main
            .iter()
            .map(|m| {
                (
                    "binary".to_string(),
                    m.value.clone(),
                    m.evidence.to_string(),
                )
            })
            .collect()
    }
    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
