//! Static sites: an index.html served as it is (no build) by unprivileged
//! nginx. Tried last: a project with a Node build or another runnable app wins.

mod detect;
mod plan;

pub use detect::{SITE_DIRS, Site, StaticSite};
pub use plan::StaticPlan;

use super::{Candidate, Detected, Ecosystem, PlanContext};
use crate::error::Result;
use crate::plan::Plan;
use crate::ports::PortHints;
use crate::project::Project;
use crate::version::Declared;

pub struct Static;

impl Ecosystem for Static {
    fn name(&self) -> &'static str {
        "static"
    }
    fn manifests(&self) -> &'static str {
        "index.html (at the root or in public/, site/, www/, docs/...)"
    }
    fn detect(&self, project: &Project) -> Result<Option<Detected>> {
        Ok(detect::detect(project)?.map(|s| Box::new(s) as Detected))
    }
}

impl Candidate for StaticSite {
    fn ecosystem(&self) -> &'static str {
        "static"
    }
    fn runnable(&self) -> std::result::Result<String, String> {
        let index = self.sites[0]
            .dir
            .evidence
            .file
            .as_deref()
            .unwrap_or("index.html");
        match &self.build_script {
            Some(build) => Err(format!(
                "{index} is the source of a build ({build}), not a site to serve as it is"
            )),
            None => Ok(format!("static site: {index} (no build step)")),
        }
    }
    fn fallback(&self) -> bool {
        true
    }
    fn default_preset(&self) -> &'static str {
        "static"
    }
    fn version(&self) -> &Declared {
        &self.version
    }
    fn plan(&self, ctx: &mut PlanContext) -> Result<PortHints> {
        plan::plan(self, ctx)
    }
    fn programs(&self) -> Vec<(String, String)> {
        if self.sites.len() < 2 {
            return Vec::new();
        }
        self.sites
            .iter()
            .map(|s| {
                (
                    s.dir.value.clone(),
                    format!("{} ({})", s.dir.value, s.dir.evidence),
                )
            })
            .collect()
    }
    fn findings(&self, plan: &Plan) -> Vec<(String, String, String)> {
        let chosen = plan.main.as_ref().map(|m| m.value.as_str());
        let Some(site) = self
            .sites
            .iter()
            .find(|s| Some(s.dir.value.as_str()) == chosen)
        else {
            return Vec::new();
        };
        let mut out = vec![(
            "site folder".to_string(),
            site.dir.value.clone(),
            site.dir.evidence.to_string(),
        )];
        out.push(match &site.spa {
            Some(spa) => (
                "client-side routing".into(),
                format!("fallback to /{}", site.fallback),
                format!("{}, {}", spa.value, spa.evidence),
            ),
            None => (
                "client-side routing".into(),
                "none (plain 404s)".into(),
                "no _redirects rule, 200.html or history router".into(),
            ),
        });
        out
    }
    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
