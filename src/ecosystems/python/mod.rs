//! Python: pyproject.toml, lockfiles (uv, Poetry), requirements files,
//! version files, Procfile and the web framework's app object → a virtualenv
//! built in the builder and copied to a slim runtime.

mod detect;
mod frameworks;
mod frontend;
mod indexes;
mod plan;
mod servers;
mod wheels;
mod workspace;

pub use detect::PythonProject;
pub use frontend::ServedFrontEnd;
pub use plan::{AssetsPlan, PythonPlan};

use super::{Candidate, Detected, Ecosystem, PlanContext};
use crate::error::Result;
use crate::plan::Plan;
use crate::ports::PortHints;
use crate::project::Project;
use crate::version::Declared;

pub struct Python;

impl Ecosystem for Python {
    fn name(&self) -> &'static str {
        "python"
    }
    fn manifests(&self) -> &'static str {
        "pyproject.toml or requirements.txt"
    }
    fn detect(&self, project: &Project) -> Result<Option<Detected>> {
        Ok(detect::detect(project)?.map(|p| Box::new(p) as Detected))
    }
}

impl Candidate for PythonProject {
    fn ecosystem(&self) -> &'static str {
        "python"
    }
    fn runnable(&self) -> std::result::Result<String, String> {
        if let Some(f) = &self.framework {
            Ok(format!("{} app", f.value))
        } else if let Some(s) = self.scripts.first() {
            Ok(format!("console script `{}`", s.value))
        } else if let Some(m) = &self.module_main {
            Ok(format!("runnable package {}", m.value))
        } else if let Some(m) = &self.main_file {
            Ok(format!("entry file {}", m.value))
        } else {
            Err("Python manifest, but no web framework, console script, __main__.py, main.py or app.py".into())
        }
    }
    fn default_preset(&self) -> &'static str {
        "python"
    }
    fn version(&self) -> &Declared {
        &self.version
    }
    fn plan(&self, ctx: &mut PlanContext) -> Result<PortHints> {
        plan::plan(self, ctx)
    }
    fn programs(&self) -> Vec<(String, String)> {
        if self.scripts.len() < 2 || !self.installable || self.framework.is_some() {
            return Vec::new();
        }
        self.scripts
            .iter()
            .map(|s| (s.value.clone(), format!("{} (console script)", s.value)))
            .collect()
    }
    fn findings(&self, _plan: &Plan) -> Vec<(String, String, String)> {
        let mut out = vec![(
            "installer".to_string(),
            self.tool.value.clone(),
            self.tool.evidence.to_string(),
        )];
        if let Some(f) = &self.framework {
            out.push(("framework".into(), f.value.clone(), f.evidence.to_string()));
        }
        if let Some(s) = &self.front_end {
            let fe = &s.front_end;
            out.push((
                "front end".into(),
                format!("npm run {} → {}", fe.script, fe.output),
                format!("{}; served by {}", fe.output_evidence, s.served.evidence),
            ));
        }
        out
    }
    fn absorbs(&self) -> Vec<&'static str> {
        // A root package.json whose build the app serves is its front end,
        // built in the image's Node stage, not an app of its own.
        if self
            .front_end
            .as_ref()
            .is_some_and(|s| s.front_end.dir == ".")
        {
            vec!["node"]
        } else {
            Vec::new()
        }
    }
    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
