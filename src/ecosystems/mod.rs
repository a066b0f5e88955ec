//! The ecosystems dfgen knows, one folder each (detector + planner), behind
//! one small interface. This module is the registry: which ecosystems exist,
//! the order they are tried in, and how the one to containerise is chosen —
//! from evidence of a runnable app, not from which manifests exist.
//!
//! Adding an ecosystem: a folder here implementing [`Ecosystem`] and
//! [`Candidate`], a preset, templates, and one line in [`REGISTRY`].

pub mod assets;
pub mod bind;
pub mod deno;
pub mod go;
pub mod java;
pub mod node;
pub mod php;
pub mod python;
pub mod ruby;
pub mod rust;
pub mod static_site;

use std::fmt::Debug;

use crate::deploy::Deployment;
use crate::error::{Error, Result};
use crate::plan::{Choices, Plan};
use crate::ports::PortHints;
use crate::preset::Preset;
use crate::project::Project;
use crate::version::Declared;

/// Every ecosystem, in the order they are tried and listed.
/// Plain static sites come last: any other runnable app in the project wins.
pub static REGISTRY: &[&dyn Ecosystem] = &[
    &go::Go,
    &node::Node,
    &python::Python,
    &rust::Rust,
    &java::Java,
    &php::Php,
    &ruby::Ruby,
    &deno::Deno,
    &static_site::Static,
];

/// One ecosystem: finds its projects.
pub trait Ecosystem: Sync {
    /// The name presets use in `ecosystem:` (`go`, `node`...).
    fn name(&self) -> &'static str;
    /// The manifests it looks for, for messages ("no go.mod").
    fn manifests(&self) -> &'static str;
    /// `None` when none of its manifests is there; an error when one is malformed.
    fn detect(&self, project: &Project) -> Result<Option<Detected>>;
    /// Detects with the app chosen by `--app` (a workspace package), for the
    /// ecosystems that have workspaces of apps; the others ignore it.
    fn detect_app(&self, project: &Project, _app: Option<&str>) -> Result<Option<Detected>> {
        self.detect(project)
    }
}

/// What an ecosystem found in a project, with the evidence for each fact.
pub trait Candidate: Debug + Send + Sync {
    fn ecosystem(&self) -> &'static str;
    /// Why this is a runnable app (Ok: the evidence) or why not (Err).
    fn runnable(&self) -> std::result::Result<String, String>;
    /// The preset used when none is chosen.
    fn default_preset(&self) -> &'static str;
    /// Chosen only when no other ecosystem has a runnable app (a plain static
    /// site next to a server is the server's assets or docs).
    fn fallback(&self) -> bool {
        false
    }
    /// The language version the project declares.
    fn version(&self) -> &Declared;
    /// Fills in the ecosystem's part of the plan (shape, its section, command,
    /// main) and returns what its sources say about ports.
    fn plan(&self, ctx: &mut PlanContext) -> Result<PortHints>;
    /// The programs `--main` can pick from, `(value, label)`, when the choice is
    /// worth asking about (several and no rule decides).
    fn programs(&self) -> Vec<(String, String)> {
        Vec::new()
    }
    /// The app only builds assets (a static front-end build) that another
    /// app may serve: when a server app is found too, the server is the app
    /// (a Spring Boot or Rails app with a package.json for its assets).
    fn assets_only(&self) -> bool {
        false
    }
    /// Ecosystem-specific lines for `dfgen detect`: (what, value, evidence).
    fn findings(&self, _plan: &Plan) -> Vec<(String, String, String)> {
        Vec::new()
    }
    /// Other ecosystems whose manifest this app builds as a part of itself
    /// (a Laravel app's Vite front end in package.json): when this candidate is
    /// runnable, those are not apps of their own.
    fn absorbs(&self) -> Vec<&'static str> {
        Vec::new()
    }
    /// Everything detected, for `dfgen detect --json`.
    fn to_json(&self) -> serde_json::Value;
    /// For tests and tools that need the concrete type.
    fn as_any(&self) -> &dyn std::any::Any;
}

pub type Detected = Box<dyn Candidate>;

/// What a planner works with: the plan so far, the preset, the user's choices
/// and what the project's deployment files say.
pub struct PlanContext<'a> {
    pub plan: &'a mut Plan,
    /// The project, for facts only the plan needs (a config file's example).
    pub project: &'a Project,
    pub preset: &'a Preset,
    pub choices: &'a Choices,
    pub deploy: &'a Deployment,
}

impl PlanContext<'_> {
    /// Puts the preset's runtime variant `name` in the plan instead of the one
    /// chosen so far (a planner found the app cannot run on that one).
    pub fn switch_runtime(&mut self, name: &str) -> Result<()> {
        let variant = self.preset.variant(name)?;
        let rt = &mut self.plan.runtime;
        rt.name = name.to_string();
        rt.description = variant.description.clone();
        rt.image = variant.image.clone();
        rt.user = variant.user;
        rt.group = variant.group.unwrap_or(variant.user);
        rt.create_user = variant.create_user;
        rt.shell = variant.shell;
        rt.settings = variant.settings.clone();
        self.plan
            .images
            .insert("runtime".into(), variant.image.clone());
        Ok(())
    }
}

/// The registry entry for a preset's `ecosystem:` value.
pub fn by_name(name: &str) -> Option<&'static dyn Ecosystem> {
    REGISTRY.iter().copied().find(|e| e.name() == name)
}

/// Every ecosystem whose manifest is present, in registry order. A malformed
/// manifest is an error even if another ecosystem would win: it is bad input.
pub fn detect_all(p: &Project, app: Option<&str>) -> Result<Vec<Detected>> {
    let mut out = Vec::new();
    for eco in REGISTRY {
        if let Some(found) = eco.detect_app(p, app)? {
            out.push(found);
        }
    }
    Ok(out)
}

/// Picks the one candidate to containerise: the one forced by the preset, else
/// the only runnable one. Anything else is an error that names the candidates.
///
/// A project whose own deployment file says how it runs (a Procfile `web:`
/// process...) is runnable even when dfgen sees no app in its code, as long as
/// one ecosystem alone is present.
pub fn choose(
    p: &Project,
    mut all: Vec<Detected>,
    forced: Option<&str>,
    deploy: &Deployment,
) -> Result<Detected> {
    if all.is_empty() {
        return Err(Error::Detect(crate::survey::nothing_found(p)));
    }
    if let Some(eco) = forced {
        let pos = all
            .iter()
            .position(|d| d.ecosystem() == eco)
            .ok_or_else(|| {
                Error::Usage(format!(
                    "the preset needs a {} project, but there is no {}",
                    eco,
                    by_name(eco).map(|e| e.manifests()).unwrap_or("manifest")
                ))
            })?;
        let chosen = all.swap_remove(pos);
        if deploy.command.is_some() {
            return Ok(chosen);
        }
        if let Err(why) = chosen.runnable() {
            return Err(Error::Detect(format!("{eco}: {why}")));
        }
        return Ok(chosen);
    }
    // A server app that builds another ecosystem's files as its own assets is the app.
    let absorbed: Vec<&'static str> = all
        .iter()
        .filter(|d| d.runnable().is_ok())
        .flat_map(|d| d.absorbs())
        .collect();
    if !absorbed.is_empty() {
        all.retain(|d| !absorbed.contains(&d.ecosystem()));
    }
    let apps = all.iter().filter(|d| !d.fallback()).count();
    if apps == 1 && deploy.command.is_some() {
        let pos = all.iter().position(|d| !d.fallback()).expect("one app");
        return Ok(all.swap_remove(pos));
    }
    let (mut runnable, not): (Vec<_>, Vec<_>) = all.into_iter().partition(|d| d.runnable().is_ok());
    // A fallback (a plain static site) loses to any other runnable app.
    if runnable.iter().any(|d| !d.fallback()) {
        runnable.retain(|d| !d.fallback());
    }
    // A server outranks a static front-end build next to it: those are its assets.
    let servers = runnable.iter().filter(|d| !d.assets_only()).count();
    if servers == 1 && runnable.len() > 1 {
        runnable.retain(|d| !d.assets_only());
    }
    match runnable.len() {
        1 => Ok(runnable.into_iter().next().expect("one element")),
        0 => Err(Error::Detect(format!(
            "found no runnable app:\n{}",
            not.iter()
                .map(|d| format!("  - {}: {}", d.ecosystem(), d.runnable().unwrap_err()))
                .collect::<Vec<_>>()
                .join("\n")
        ))),
        _ => Err(Error::Ambiguous(format!(
            "this looks like more than one kind of app:\n{}\npass --preset to choose (see `dfgen presets`)",
            runnable
                .iter()
                .map(|d| format!(
                    "  - {}: {}",
                    d.ecosystem(),
                    d.runnable().unwrap_or_default()
                ))
                .collect::<Vec<_>>()
                .join("\n")
        ))),
    }
}
