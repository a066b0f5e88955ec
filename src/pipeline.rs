//! The pipeline shared by every command: open the project, load presets,
//! detect, choose the ecosystem and preset, and build the plan.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::assets::Assets;
use crate::config::{self, Config};
use crate::deploy;
use crate::ecosystems::{self, Detected};
use crate::error::{Error, Result};
use crate::plan::{self, Choices, Plan};
use crate::preset;
use crate::project::Project;

#[derive(Debug)]
pub struct Planned {
    pub project: Project,
    /// Where dfgen.yaml lives: the project root, or the workspace package
    /// folder dfgen was run on (see `Plan::subdir`).
    pub config_at: Project,
    pub detected: Detected,
    pub plan: Plan,
    /// What dfgen.yaml should hold after this run: the choices that differ from detection.
    pub config: Config,
    /// dfgen.yaml as it is on disk, if there is one.
    pub existing_config: Option<Config>,
}

/// A `path` that is a package folder of a Node workspace resolves to the
/// workspace root (the project, and the build context: it holds the lockfile)
/// and the folder, relative to it, where the files go. Anything else is itself.
pub fn resolve(path: &Path) -> (PathBuf, Option<String>) {
    match crate::ecosystems::node::workspace::root_above(path) {
        Some((root, rel)) => (root, Some(rel)),
        None => (path.to_path_buf(), None),
    }
}

/// Plans the project: flags override dfgen.yaml, which overrides detection.
pub fn plan(path: &Path, flags: &Choices, assets: &Assets) -> Result<Planned> {
    let (root, subdir) = resolve(path);
    let mut flags = flags.clone();
    if let Some(sub) = &subdir {
        match &flags.app {
            Some(a) if a.trim_end_matches('/') != sub => {
                return Err(Error::Usage(format!(
                    "--app {a}: dfgen was run on the workspace package {sub}, which is the app; \
                     run it on the workspace root ({}) to choose another",
                    root.display()
                )));
            }
            _ => flags.app = Some(sub.clone()),
        }
    }
    let flags = &flags;
    let project = Project::open(&root)?;
    let config_at = match &subdir {
        Some(s) => Project::open(&root.join(s))?,
        None => Project::open(&root)?,
    };
    let presets = preset::load_all(assets)?;
    let loaded = config::load(&config_at)?;
    let file_choices = loaded
        .as_ref()
        .map(|l| l.config.clone())
        .unwrap_or_default();
    if let (Some(l), None, Some(name)) = (&loaded, &flags.preset, &file_choices.preset) {
        preset::find(&presets, name).map_err(|e| l.key_error("preset", e.to_string()))?;
    }
    let choices = config::merge(flags, &file_choices);
    let (detected, plan) = match plan_with(&project, &presets, &choices) {
        Ok(ok) => ok,
        Err(e) => {
            return Err(blame_config(
                &project,
                &presets,
                flags,
                &choices,
                loaded.as_ref(),
                e,
            ));
        }
    };
    let mut config = minimal_config(&project, &presets, &choices, &plan);
    let mut plan = plan;
    if let Some(sub) = &subdir {
        // The folder the files are in says which app: not a choice to save.
        if config.app.as_deref() == Some(sub.as_str()) {
            config.app = None;
        }
        for f in plan.files.iter_mut() {
            f.path = if f.path == ".dockerignore" {
                // BuildKit reads <Dockerfile>.dockerignore next to the Dockerfile
                // over the context's .dockerignore: each app keeps its own.
                format!("{sub}/Dockerfile.dockerignore")
            } else {
                format!("{sub}/{}", f.path)
            };
        }
        plan.regenerate = format!("dfgen init --force {sub}, at the workspace root");
        plan.context = Some(vec![".."; sub.split('/').count()].join("/"));
        plan.subdir = Some(sub.clone());
    }
    if !config.is_empty() {
        plan.config_file = Some(config_file(&plan));
    }
    Ok(Planned {
        project,
        config_at,
        detected,
        plan,
        config,
        existing_config: loaded.map(|l| l.config),
    })
}

/// A key of dfgen.yaml: its name, how to drop it from the choices, and what
/// of a plan it decides (to tell whether a chosen value differs from detection).
type ChoiceKey = (&'static str, fn(&mut Choices), fn(&Plan) -> String);

const CHOICE_KEYS: [ChoiceKey; 8] = [
    ("preset", |c| c.preset = None, |p| p.preset.clone()),
    (
        "main",
        |c| c.main = None,
        // What --main decides: the main package or binary, or (Python) the command.
        |p| {
            format!(
                "{:?}{:?}",
                p.main.as_ref().map(|m| &m.value),
                p.command.as_ref().map(|c| &c.value)
            )
        },
    ),
    (
        "app",
        |c| c.app = None,
        |p| {
            p.parts
                .get("node")
                .and_then(|n| n.pointer("/workspace/app"))
                .map(|a| a.to_string())
                .unwrap_or_default()
        },
    ),
    ("runtime", |c| c.runtime = None, |p| p.runtime.name.clone()),
    ("version", |c| c.version = None, |p| p.version.tag.clone()),
    (
        "port",
        |c| c.port = None,
        |p| format!("{:?}", p.port.as_ref().map(|f| f.value)),
    ),
    (
        "cmd",
        |c| c.cmd = None,
        |p| format!("{:?}", p.command.as_ref().map(|f| &f.value)),
    ),
    (
        "also",
        |c| c.also = None,
        |p| format!("{:?}", p.files.iter().map(|f| &f.path).collect::<Vec<_>>()),
    ),
];

fn is_set(c: &Choices, clear: fn(&mut Choices)) -> bool {
    let mut without = c.clone();
    clear(&mut without);
    without != *c
}

/// When planning fails and dfgen.yaml supplied values, the error is about the
/// key whose removal makes planning succeed: then it names the file, key and line.
fn blame_config(
    project: &Project,
    presets: &[preset::Preset],
    flags: &Choices,
    choices: &Choices,
    loaded: Option<&config::Loaded>,
    err: Error,
) -> Error {
    let Some(l) = loaded else { return err };
    let file = &l.config;
    for (key, clear, _) in CHOICE_KEYS {
        if !is_set(file, clear) || is_set(flags, clear) {
            continue;
        }
        let mut c = choices.clone();
        clear(&mut c);
        if plan_with(project, presets, &c).is_ok() {
            return l.key_error(key, err.to_string());
        }
    }
    err
}

fn plan_with(
    project: &Project,
    presets: &[preset::Preset],
    choices: &Choices,
) -> Result<(Detected, Plan)> {
    let forced = match &choices.preset {
        Some(name) => Some(preset::find(presets, name)?),
        None => None,
    };
    let all = ecosystems::detect_all(project, choices.app.as_deref())?;
    let deploy = deploy::read(project)?;
    let detected = ecosystems::choose(project, all, forced.map(|p| p.ecosystem.as_str()), &deploy)?;
    if let Some(app) = &choices.app
        && detected.ecosystem() != "node"
    {
        return Err(Error::Usage(format!(
            "--app {app}: only Node workspaces have apps to choose from; this is a {} project",
            detected.ecosystem()
        )));
    }
    let preset = match forced {
        Some(p) => p,
        None => preset::find(presets, detected.default_preset())?,
    };
    let plan = plan::build(project, &detected, preset, choices, &deploy)?;
    Ok((detected, plan))
}

/// Only what differs from detection is worth saving: each chosen value is
/// kept when planning without it gives something else (or fails).
fn minimal_config(
    project: &Project,
    presets: &[preset::Preset],
    choices: &Choices,
    chosen: &Plan,
) -> Config {
    let mut keep = choices.clone();
    for (_, clear, decides) in CHOICE_KEYS {
        if !is_set(choices, clear) {
            continue;
        }
        let mut without = choices.clone();
        clear(&mut without);
        if plan_with(project, presets, &without).is_ok_and(|(_, p)| decides(&p) == decides(chosen))
        {
            clear(&mut keep);
        }
    }
    keep
}

/// One line of `dfgen detect`: what, the value, and the evidence.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub what: String,
    pub value: String,
    pub evidence: String,
}

/// The facts worth showing a user, in reading order.
pub fn findings(p: &Planned) -> Vec<Finding> {
    let plan = &p.plan;
    let mut out = Vec::new();
    let mut add = |what: &str, value: String, evidence: String| {
        out.push(Finding {
            what: what.into(),
            value,
            evidence,
        })
    };
    add(
        "ecosystem",
        plan.ecosystem.to_string(),
        p.detected.runnable().unwrap_or_else(|_| {
            plan.deployment
                .command
                .as_ref()
                .map(|c| format!("run by {}", c.evidence))
                .unwrap_or_default()
        }),
    );
    add("preset", plan.preset.clone(), "dfgen presets".into());
    add("shape", plan.shape.clone(), String::new());
    add(
        "version",
        format!("{} (image tag)", plan.version.tag),
        plan.version.reason.clone(),
    );
    for (what, value, evidence) in p.detected.findings(plan) {
        add(&what, value, evidence);
    }
    add(
        "runtime",
        plan.runtime.name.clone(),
        plan.runtime.description.clone(),
    );
    match &plan.port {
        Some(port) => add("port", port.value.to_string(), port.evidence.to_string()),
        None => add(
            "port",
            "none".into(),
            "no port found: no EXPOSE (use --port)".into(),
        ),
    }
    if let Some(cmd) = &plan.command {
        add("command", cmd.value.join(" "), cmd.evidence.to_string());
    }
    // What else the deployment files said, so a user sees what lost and why.
    for seen in plan.deployment.also_seen() {
        add(
            &format!("also seen ({})", seen.what),
            seen.value.clone(),
            seen.evidence.to_string(),
        );
    }
    out
}

/// Where dfgen.yaml is, relative to the project root.
pub fn config_file(plan: &Plan) -> String {
    match &plan.subdir {
        Some(s) => format!("{s}/{}", config::FILE),
        None => config::FILE.to_string(),
    }
}
