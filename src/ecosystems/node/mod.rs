//! Node: package.json, lockfiles, version files, bundler and TypeScript
//! config → a Node server (with or without a build step) or a static site.

mod detect;
mod frameworks;
mod plan;
pub mod workspace;

pub use detect::{NodeProject, Shape};
pub use frameworks::js_string_prop;
pub use plan::NodePlan;

use super::{Candidate, Detected, Ecosystem, PlanContext};
use crate::error::Result;
use crate::plan::Plan;
use crate::ports::PortHints;
use crate::project::Project;
use crate::version::Declared;

pub struct Node;

impl Ecosystem for Node {
    fn name(&self) -> &'static str {
        "node"
    }
    fn manifests(&self) -> &'static str {
        "package.json"
    }
    fn detect(&self, project: &Project) -> Result<Option<Detected>> {
        self.detect_app(project, None)
    }
    fn detect_app(&self, project: &Project, app: Option<&str>) -> Result<Option<Detected>> {
        let deploy = crate::deploy::read(project)?;
        Ok(detect::detect_with(project, app, deploy.command.as_ref())?
            .map(|n| Box::new(n) as Detected))
    }
}

impl Candidate for NodeProject {
    fn ecosystem(&self) -> &'static str {
        "node"
    }
    fn runnable(&self) -> std::result::Result<String, String> {
        match (&self.shape.value, &self.entry) {
            (Shape::Static, _) => Ok(format!(
                "static site built by {}",
                self.framework
                    .as_ref()
                    .map(|f| f.value.as_str())
                    .unwrap_or("a bundler")
            )),
            (_, Some(e)) => Ok(format!("entry point {} ({})", e.value, e.evidence)),
            (_, None) => Err(format!(
                "package.json, but no start script running node, {}, no server.js/index.js/app.js, \
                 and no static-site build: tooling only?",
                match &self.missing_main {
                    Some(m) => format!("a `main` ({m}) that does not exist"),
                    None => "no `main`".to_string(),
                }
            )),
        }
    }
    fn assets_only(&self) -> bool {
        // A static build, or a docs site that starts no server of its own:
        // next to a server, its assets or its docs.
        self.shape.value == Shape::Static || (self.docs_site.is_some() && self.entry.is_none())
    }
    fn default_preset(&self) -> &'static str {
        if self.shape.value == Shape::Static {
            "node-static"
        } else {
            "node"
        }
    }
    fn version(&self) -> &Declared {
        &self.version
    }
    fn plan(&self, ctx: &mut PlanContext) -> Result<PortHints> {
        plan::plan(self, ctx)
    }
    fn findings(&self, _plan: &Plan) -> Vec<(String, String, String)> {
        let mut out = vec![(
            "package manager".to_string(),
            self.package_manager.value.clone(),
            self.package_manager.evidence.to_string(),
        )];
        if let Some(f) = &self.framework {
            out.push(("framework".into(), f.value.clone(), f.evidence.to_string()));
        }
        if let Some(d) = &self.docs_site {
            out.push(("docs site".into(), d.value.clone(), d.evidence.to_string()));
        }
        if let Some(o) = &self.output_dir {
            out.push((
                "build output".into(),
                o.value.clone(),
                o.evidence.to_string(),
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
