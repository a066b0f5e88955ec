//! PHP: Composer (composer.json/lock), Laravel, or plain PHP files served by
//! Apache with mod_php or by PHP-FPM behind a web server.

mod detect;
mod plan;

pub use detect::{PhpProject, composer_range};
pub use plan::PhpPlan;

use super::{Candidate, Detected, Ecosystem, PlanContext};
use crate::error::Result;
use crate::plan::Plan;
use crate::ports::PortHints;
use crate::project::Project;
use crate::version::Declared;

pub struct Php;

impl Ecosystem for Php {
    fn name(&self) -> &'static str {
        "php"
    }
    fn manifests(&self) -> &'static str {
        "composer.json, index.php"
    }
    fn detect(&self, project: &Project) -> Result<Option<Detected>> {
        Ok(detect::detect(project)?.map(|p| Box::new(p) as Detected))
    }
}

impl Candidate for PhpProject {
    fn ecosystem(&self) -> &'static str {
        "php"
    }
    fn runnable(&self) -> std::result::Result<String, String> {
        if let Some(l) = &self.laravel {
            return Ok(format!("Laravel app ({})", l.evidence));
        }
        match &self.entry {
            Some(e) => Ok(format!("PHP front controller {}", e.value)),
            None => Err("composer.json, but no index.php or public/index.php: a library?".into()),
        }
    }
    fn default_preset(&self) -> &'static str {
        "php"
    }
    fn version(&self) -> &Declared {
        &self.version
    }
    fn plan(&self, ctx: &mut PlanContext) -> Result<PortHints> {
        plan::plan(self, ctx)
    }
    fn findings(&self, _plan: &Plan) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        if let Some(l) = &self.laravel {
            out.push(("framework".into(), "Laravel".into(), l.evidence.to_string()));
        }
        for e in &self.extensions {
            out.push(("extension".into(), e.value.clone(), e.evidence.to_string()));
        }
        if let Some(v) = &self.vite {
            out.push(("front end".into(), v.value.clone(), v.evidence.to_string()));
        }
        out
    }
    fn absorbs(&self) -> Vec<&'static str> {
        // The Vite front end is built in the image's assets stage.
        if self.vite.is_some() {
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
