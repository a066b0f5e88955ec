//! The plan: every decision needed to render the files, each with the evidence
//! behind it. Built from what was detected, the preset, and the user's choices
//! (flags now, the wizard later). Templates consume nothing else.

use std::collections::BTreeMap;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::deploy::Deployment;
use crate::ecosystems::{Detected, PlanContext};
use crate::error::{Error, Result};
use crate::evidence::{Evidence, Fact};
use crate::ports::PortHints;
use crate::preset::{FileSpec, Preset};
use crate::safe;
use crate::version::{self, Declared, Known};

/// What the user chose (flags, the wizard, dfgen.yaml); `None` = detect.
/// It is also the shape of dfgen.yaml, field for field (README documents each key).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choices {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime: Option<String>,
    /// Language version tag (`1.24`, `22`, `3.13`) instead of the declared one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main: Option<String>,
    /// The workspace package to containerise (Node workspaces), directory or name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cmd: Option<Vec<String>>,
    /// Optional files of the preset to write too (e.g. compose.yaml).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub also: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub dfgen_version: String,
    /// The command that regenerates these files.
    pub regenerate: String,
    /// Choices that differ from detection live in dfgen.yaml (written with the files).
    pub config_file: Option<String>,
    pub preset: String,
    /// The registry name of the ecosystem (`go`, `node`...).
    pub ecosystem: String,
    pub shape: String,
    pub version: VersionPlan,
    pub images: BTreeMap<String, String>,
    pub runtime: RuntimePlan,
    pub cache: BTreeMap<String, String>,
    pub tools: BTreeMap<String, String>,
    pub port: Option<Fact<u16>>,
    /// The app reads PORT: the runtime sets `ENV PORT` so it listens where EXPOSE says.
    pub port_env: bool,
    /// Environment the runtime sets (bind addresses and the like), each with why.
    pub env: BTreeMap<String, Fact<String>>,
    /// Start command, exec form. `None` keeps the runtime image's own (nginx).
    pub command: Option<Fact<Vec<String>>>,
    /// What `--main` decided: the main package, binary or module, if the
    /// ecosystem has such a choice.
    pub main: Option<Fact<String>>,
    /// The ecosystem's own section, under its name (`go`, `node`...): each
    /// ecosystem folder defines its typed struct, templates read it as
    /// `go.binary`, `node.entry`...
    #[serde(flatten)]
    pub parts: BTreeMap<String, serde_json::Value>,
    pub warnings: Vec<String>,
    /// What the project's deployment files say (shown by `dfgen detect`).
    pub deployment: Deployment,
    /// Choices dfgen made by rule that the user may want to change (printed, not rendered).
    pub notes: Vec<String>,
    /// Comment lines above the start command: how to run it (a config file to mount).
    pub run_notes: Vec<String>,
    pub files: Vec<FileSpec>,
    /// dfgen ran on a package folder inside a Node workspace: the files go in
    /// this folder (relative to the project root, the workspace root, which is
    /// the build context).
    pub subdir: Option<String>,
    /// The way from `subdir` back to the build context (`../..`), for compose.
    pub context: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VersionPlan {
    pub arg: String,
    pub tag: String,
    pub reason: String,
    pub evidence: Evidence,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuntimePlan {
    pub name: String,
    pub description: String,
    pub image: String,
    pub user: u32,
    pub group: u32,
    pub create_user: bool,
    /// The runtime image has a shell (`sh -c` commands can run).
    pub shell: bool,
    pub settings: BTreeMap<String, serde_json::Value>,
}

impl Plan {
    /// Sets the ecosystem's own section of the plan (see `parts`).
    pub fn set_part<T: Serialize>(&mut self, name: &str, part: &T) -> Result<()> {
        let value = serde_json::to_value(part)
            .map_err(|e| Error::Detect(format!("cannot represent the {name} plan: {e}")))?;
        self.parts.insert(name.to_string(), value);
        Ok(())
    }

    /// The ecosystem's section as its typed struct (tests and tools).
    pub fn part<T: DeserializeOwned>(&self, name: &str) -> Option<T> {
        self.parts
            .get(name)
            .and_then(|v| serde_json::from_value(v.clone()).ok())
    }
}

/// The preset's files: every required one, and the optional ones asked for.
fn chosen_files(preset: &Preset, choices: &Choices) -> Result<Vec<FileSpec>> {
    let wanted = choices.also.as_deref().unwrap_or_default();
    for w in wanted {
        if !preset.files.iter().any(|f| f.optional && f.path == *w) {
            let offered: Vec<&str> = preset
                .files
                .iter()
                .filter(|f| f.optional)
                .map(|f| f.path.as_str())
                .collect();
            return Err(Error::Usage(format!(
                "--also {w}: preset `{}` offers {}",
                preset.name,
                if offered.is_empty() {
                    "no optional files".to_string()
                } else {
                    offered.join(", ")
                }
            )));
        }
    }
    Ok(preset
        .files
        .iter()
        .filter(|f| !f.optional || wanted.contains(&f.path))
        .cloned()
        .collect())
}

pub fn build(
    project: &crate::project::Project,
    detected: &Detected,
    preset: &Preset,
    choices: &Choices,
    deploy: &Deployment,
) -> Result<Plan> {
    if preset.ecosystem != detected.ecosystem() {
        return Err(Error::Usage(format!(
            "preset `{}` is for {} projects, but this is a {} project",
            preset.name,
            preset.ecosystem,
            detected.ecosystem()
        )));
    }
    let variant_name = choices
        .runtime
        .clone()
        .unwrap_or_else(|| preset.runtime.default.clone());
    let variant = preset.variant(&variant_name)?;
    let mut plan = Plan {
        dfgen_version: env!("CARGO_PKG_VERSION").to_string(),
        // The same with or without flags: choices that matter are saved in
        // dfgen.yaml, so a bare `dfgen init` reproduces these files.
        regenerate: "dfgen init --force".into(),
        config_file: None,
        preset: preset.name.clone(),
        ecosystem: preset.ecosystem.clone(),
        shape: String::new(),
        version: VersionPlan {
            arg: preset.version.arg.clone(),
            tag: String::new(),
            reason: String::new(),
            evidence: Evidence::other(""),
        },
        images: preset.images.clone(),
        runtime: RuntimePlan {
            name: variant_name.clone(),
            description: variant.description.clone(),
            image: variant.image.clone(),
            user: variant.user,
            group: variant.group.unwrap_or(variant.user),
            create_user: variant.create_user,
            shell: variant.shell,
            settings: variant.settings.clone(),
        },
        cache: preset.cache.clone(),
        tools: preset.tools.clone(),
        port: None,
        port_env: false,
        env: BTreeMap::new(),
        command: None,
        main: None,
        parts: BTreeMap::new(),
        warnings: Vec::new(),
        notes: Vec::new(),
        run_notes: Vec::new(),
        deployment: deploy.clone(),
        files: chosen_files(preset, choices)?,
        subdir: None,
        context: None,
    };
    plan.images.insert("runtime".into(), variant.image.clone());

    let chosen_version;
    let declared = match &choices.version {
        Some(v) => {
            chosen_version = Declared::Pin {
                version: v.clone(),
                evidence: Evidence::other("--lang-version"),
            };
            &chosen_version
        }
        None => detected.version(),
    };
    let v = &preset.version;
    let resolved = version::resolve(
        declared,
        &Known {
            language: &v.language,
            tags: &v.known,
            default: &v.default,
            aliases: &v.aliases,
            tag_parts: v.tag_parts,
        },
    )?;
    plan.version.tag = resolved.tag;
    plan.version.reason = safe::comment_text(&resolved.reason)?;
    plan.version.evidence = resolved.evidence;
    plan.warnings.extend(resolved.warning);

    let hints = detected.plan(&mut PlanContext {
        plan: &mut plan,
        project,
        preset,
        choices,
        deploy,
    })?;
    if plan.port.is_none() {
        plan.port = choose_port(&mut plan, &hints, preset, choices, deploy);
    }
    if let Some(cmd) = &choices.cmd {
        let args = cmd
            .iter()
            .map(|a| safe::exec_arg("--cmd", "command", a))
            .collect::<Result<Vec<_>>>()?;
        plan.command = Some(Fact::new(
            args,
            Evidence::other("your choice (--cmd, dfgen.yaml or the wizard)"),
        ));
    }
    for (name, setting) in &plan.env {
        safe::name("dfgen", "runtime environment variable", name)?;
        // Values are tokens; `:` is allowed too, for host:port bind addresses
        // (unquoted in ENV it is an ordinary character), and a leading `/`
        // for paths in the image (PYTHONPATH=/app/backend).
        for part in setting.value.split(':') {
            safe::name("dfgen", name, part.strip_prefix('/').unwrap_or(part))?;
        }
    }
    if let Some(loopback) = &hints.loopback {
        plan.warnings.push(format!(
            "{loopback} binds to a loopback address: the server will not be reachable from outside \
             the container; bind 0.0.0.0 instead"
        ));
    }
    Ok(plan)
}

/// Flag, then the deployment files, then what the sources say, then (for apps
/// that read PORT) the preset default.
fn choose_port(
    plan: &mut Plan,
    hints: &PortHints,
    preset: &Preset,
    choices: &Choices,
    deploy: &Deployment,
) -> Option<Fact<u16>> {
    plan.port_env = hints.reads_env;
    if let Some(p) = choices.port {
        if let Some(found) = &hints.port
            && found.value != p
            && !hints.reads_env
        {
            plan.warnings.push(format!(
                "port {p} was chosen, but {} suggests the app listens on {} and it does not read PORT",
                found.evidence, found.value
            ));
        }
        return Some(Fact::new(
            p,
            Evidence::other("your choice (--port, dfgen.yaml or the wizard)"),
        ));
    }
    if let Some(d) = &deploy.port {
        if let Some(found) = &hints.port
            && found.value != d.value
            && !hints.reads_env
        {
            plan.warnings.push(format!(
                "{} says port {}, but {} suggests the app listens on {} and it does not read PORT",
                d.evidence, d.value, found.evidence, found.value
            ));
        }
        return Some(d.clone());
    }
    if let Some(found) = &hints.port {
        return Some(found.clone());
    }
    if hints.reads_env
        && let Some(p) = preset.default_port
    {
        return Some(Fact::new(
            p,
            Evidence::other("the app reads PORT; preset default port, set with ENV PORT"),
        ));
    }
    None
}

/// `binary` → `binaries`, `main package` → `main packages`.
fn plural(what: &str) -> String {
    match what.strip_suffix('y') {
        Some(stem) if !stem.ends_with(['a', 'e', 'o', 'u']) => format!("{stem}ies"),
        _ => format!("{what}s"),
    }
}

/// A rule that picks one of several programs: why it applies, and which items it selects.
pub struct Rule<'r, T> {
    pub why: String,
    pub test: Box<dyn Fn(&T) -> bool + 'r>,
}

impl<'r, T> Rule<'r, T> {
    pub fn new(why: impl Into<String>, test: impl Fn(&T) -> bool + 'r) -> Self {
        Rule {
            why: why.into(),
            test: Box::new(test),
        }
    }
}

/// The program to build: the one `--main` names; else the only one; else the
/// first rule (in order) that selects exactly one. The choice made by a rule
/// is reported in `notes` with the alternatives and the flag that changes it.
/// Several and no rule decides is an error listing them.
#[allow(clippy::too_many_arguments)]
pub fn pick_main<'a, T>(
    items: &'a [T],
    name_of: impl Fn(&T) -> Vec<String>,
    wanted: Option<&str>,
    what: &str,
    list: impl Fn(&T) -> String,
    rules: &[Rule<T>],
    notes: &mut Vec<String>,
) -> Result<&'a T> {
    if let Some(w) = wanted {
        let w = w.trim_start_matches("./").trim_end_matches('/');
        let w = if w.is_empty() { "." } else { w };
        return items
            .iter()
            .find(|i| name_of(i).iter().any(|n| n == w))
            .ok_or_else(|| {
                Error::Usage(format!(
                    "--main {w}: no such {what}; found: {}",
                    items.iter().map(&list).collect::<Vec<_>>().join(", ")
                ))
            });
    }
    match items {
        [one] => return Ok(one),
        [] => return Err(Error::Detect(format!("no {what} found"))),
        _ => {}
    }
    for rule in rules {
        let mut hits = items.iter().filter(|i| (rule.test)(i));
        if let (Some(one), None) = (hits.next(), hits.next()) {
            let others: Vec<String> = items
                .iter()
                .filter(|i| !std::ptr::eq(*i, one))
                .map(&list)
                .collect();
            notes.push(format!(
                "building {} ({}); also found {}: pass --main to build another",
                list(one),
                rule.why,
                others.join(", ")
            ));
            return Ok(one);
        }
    }
    Err(Error::Ambiguous(format!(
        "found {} {} and no rule picks one: {}; pass --main to pick one",
        items.len(),
        plural(what),
        items.iter().map(&list).collect::<Vec<_>>().join(", ")
    )))
}
