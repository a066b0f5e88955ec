//! Java (and other JVM languages built the same way): Maven (pom.xml, mvnw)
//! and Gradle (build.gradle(.kts), gradlew) → one runnable artifact (a Spring
//! Boot layered jar, a Quarkus fast-jar, a plain or uber jar) on a JRE.

mod detect;
mod gradle;
mod maven;
mod plan;
mod sources;

pub use detect::{BuildTool, JavaModule, JavaProject, Kind};
pub use plan::JavaPlan;

use super::{Candidate, Detected, Ecosystem, PlanContext};
use crate::error::Result;
use crate::plan::Plan;
use crate::ports::PortHints;
use crate::project::Project;
use crate::version::Declared;

pub struct Java;

impl Ecosystem for Java {
    fn name(&self) -> &'static str {
        "java"
    }
    fn manifests(&self) -> &'static str {
        "pom.xml, build.gradle(.kts)"
    }
    fn detect(&self, project: &Project) -> Result<Option<Detected>> {
        Ok(detect::detect(project)?.map(|j| Box::new(j) as Detected))
    }
}

impl Candidate for JavaProject {
    fn ecosystem(&self) -> &'static str {
        "java"
    }
    fn runnable(&self) -> std::result::Result<String, String> {
        let runnable: Vec<&JavaModule> = self.runnable_modules().collect();
        match runnable.first() {
            Some(m) => Ok(format!(
                "{}{} ({})",
                m.kind.value.describe(),
                if m.dir == "." {
                    String::new()
                } else {
                    format!(" in module {}", m.dir)
                },
                m.kind.evidence
            )),
            None => Err(format!(
                "{}, but no module builds a runnable artifact (no Spring Boot or Quarkus plugin, \
                 no main class, no uber jar){}",
                self.build_tool
                    .evidence
                    .file
                    .as_deref()
                    .unwrap_or("build file"),
                self.not_runnable_why()
            )),
        }
    }
    fn default_preset(&self) -> &'static str {
        "java"
    }
    fn version(&self) -> &Declared {
        &self.version
    }
    fn plan(&self, ctx: &mut PlanContext) -> Result<PortHints> {
        plan::plan(self, ctx)
    }
    fn programs(&self) -> Vec<(String, String)> {
        let runnable: Vec<&JavaModule> = self.runnable_modules().collect();
        if runnable.len() < 2 {
            return Vec::new();
        }
        runnable
            .iter()
            .map(|m| {
                (
                    m.dir.clone(),
                    format!("{} ({})", m.dir, m.kind.value.describe()),
                )
            })
            .collect()
    }
    fn findings(&self, plan: &Plan) -> Vec<(String, String, String)> {
        let mut out = vec![(
            "build tool".to_string(),
            self.build_tool.value.to_string(),
            self.build_tool.evidence.to_string(),
        )];
        if let Some(w) = &self.wrapper {
            out.push(("wrapper".into(), w.value.clone(), w.evidence.to_string()));
        }
        if let Some(p) = plan.part::<JavaPlan>("java") {
            out.push((
                "builds".into(),
                if p.module == "." {
                    p.kind.clone()
                } else {
                    format!("{} (module {})", p.kind, p.module)
                },
                p.kind_evidence.clone(),
            ));
            if let Some(b) = &p.boot_version {
                out.push(("Spring Boot".into(), b.clone(), p.boot_evidence.clone()));
            }
            if let Some(fe) = &p.assets {
                out.push((
                    "front end".into(),
                    format!("npm run {} → {}", fe.script, fe.output),
                    fe.output_evidence.clone(),
                ));
            }
        }
        out
    }
    fn absorbs(&self) -> Vec<&'static str> {
        // The root package.json is the app's front end, built in the image's
        // Node stage (or by frontend-maven-plugin in the Maven build).
        let root_front_end = self.front_end.as_ref().is_some_and(|f| f.dir == ".")
            || self
                .frontend_plugin
                .as_ref()
                .is_some_and(|p| p.value.working_dir == ".");
        if root_front_end {
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
