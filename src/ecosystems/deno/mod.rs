//! Deno: deno.json(c), deno.lock, .dvmrc → `deno run` with the project's own
//! permission flags, dependencies vendored in the builder.

mod detect;
mod plan;

pub use detect::{DenoProject, parse_jsonc};
pub use plan::DenoPlan;

use super::{Candidate, Detected, Ecosystem, PlanContext};
use crate::error::Result;
use crate::plan::Plan;
use crate::ports::PortHints;
use crate::project::Project;
use crate::version::Declared;

pub struct Deno;

impl Ecosystem for Deno {
    fn name(&self) -> &'static str {
        "deno"
    }
    fn manifests(&self) -> &'static str {
        "deno.json, deno.jsonc or deno.lock"
    }
    fn detect(&self, project: &Project) -> Result<Option<Detected>> {
        Ok(detect::detect(project)?.map(|d| Box::new(d) as Detected))
    }
}

impl Candidate for DenoProject {
    fn ecosystem(&self) -> &'static str {
        "deno"
    }
    fn runnable(&self) -> std::result::Result<String, String> {
        match &self.entry {
            Some(e) => Ok(format!("entry module {} ({})", e.value, e.evidence)),
            None => Err(format!(
                "{}, but no `tasks.start` running `deno run <file>` and no main.ts/server.ts: a library?",
                self.config.as_deref().unwrap_or("deno.lock")
            )),
        }
    }
    fn default_preset(&self) -> &'static str {
        "deno"
    }
    fn version(&self) -> &Declared {
        &self.version
    }
    fn plan(&self, ctx: &mut PlanContext) -> Result<PortHints> {
        plan::plan(self, ctx)
    }
    fn findings(&self, plan: &Plan) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        if let Some(c) = &self.config {
            out.push(("config".into(), c.clone(), "Deno configuration".into()));
        }
        out.push((
            "lockfile".into(),
            self.lockfile.clone().unwrap_or_else(|| "none".into()),
            String::new(),
        ));
        if let Some(main) = &plan.main {
            out.push((
                "entry module".into(),
                main.value.clone(),
                main.evidence.to_string(),
            ));
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
