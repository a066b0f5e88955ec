//! Ruby: Bundler (Gemfile/Gemfile.lock), Rails, Rack apps and plain scripts.

mod detect;
mod plan;

pub use detect::RubyProject;
pub use plan::RubyPlan;

use super::{Candidate, Detected, Ecosystem, PlanContext};
use crate::error::Result;
use crate::plan::Plan;
use crate::ports::PortHints;
use crate::project::Project;
use crate::version::Declared;

pub struct Ruby;

impl Ecosystem for Ruby {
    fn name(&self) -> &'static str {
        "ruby"
    }
    fn manifests(&self) -> &'static str {
        "Gemfile"
    }
    fn detect(&self, project: &Project) -> Result<Option<Detected>> {
        Ok(detect::detect(project)?.map(|r| Box::new(r) as Detected))
    }
}

impl Candidate for RubyProject {
    fn ecosystem(&self) -> &'static str {
        "ruby"
    }
    fn runnable(&self) -> std::result::Result<String, String> {
        if let Some(r) = &self.rails {
            return Ok(format!("Rails app ({})", r.evidence));
        }
        if let Some(r) = &self.rack {
            return Ok(format!("Rack app ({})", r.evidence));
        }
        match &self.main_file {
            Some(m) => Ok(format!("Ruby script {}", m.value)),
            None => Err(
                "Gemfile, but no Rails app, no config.ru and no app.rb/server.rb/main.rb: a gem or tooling?"
                    .into(),
            ),
        }
    }
    fn default_preset(&self) -> &'static str {
        "ruby"
    }
    fn version(&self) -> &Declared {
        &self.version
    }
    fn plan(&self, ctx: &mut PlanContext) -> Result<PortHints> {
        plan::plan(self, ctx)
    }
    fn findings(&self, _plan: &Plan) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        if let Some(r) = &self.rails {
            out.push(("framework".into(), "Rails".into(), r.evidence.to_string()));
        } else if let Some(r) = &self.rack {
            out.push(("framework".into(), "Rack".into(), r.evidence.to_string()));
        }
        out.push((
            "gems".into(),
            self.gems.len().to_string(),
            if self.lockfile {
                "Gemfile.lock, specs".into()
            } else {
                "Gemfile, gem lines".into()
            },
        ));
        out
    }
    fn absorbs(&self) -> Vec<&'static str> {
        // A Rails app's package.json builds its assets, inside assets:precompile.
        if self.rails.is_some() && self.package_json {
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
