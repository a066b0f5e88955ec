//! The interactive wizard: shows what was detected, with its evidence, and
//! lets the user confirm or change each choice. Defaults are the detected
//! values, so pressing Enter throughout equals `--yes`. Only values the user
//! actually changed become choices (and so end up in dfgen.yaml).

use std::path::Path;

use dialoguer::theme::ColorfulTheme;
use dialoguer::{Confirm, Input, Select};

use crate::assets::Assets;
use crate::ecosystems::{self, Detected};
use crate::error::{Error, Result};
use crate::pipeline::{self, Planned};
use crate::plan::Choices;
use crate::project::Project;
use crate::{preset, safe};

fn cancelled() -> Error {
    Error::Cancelled
}

/// dialoguer reports Ctrl-C as an interrupted read; both it and Esc cancel.
fn io<T>(r: dialoguer::Result<Option<T>>) -> Result<T> {
    match r {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Err(cancelled()),
        Err(dialoguer::Error::IO(e)) if e.kind() == std::io::ErrorKind::Interrupted => {
            Err(cancelled())
        }
        Err(e) => Err(Error::Usage(format!(
            "the wizard could not read the terminal: {e}"
        ))),
    }
}

/// One choice from a list, `default` preselected; Esc or Ctrl-C cancel.
fn select<T: std::fmt::Display>(
    prompt: impl Into<String>,
    items: &[T],
    default: usize,
) -> Result<usize> {
    io(Select::with_theme(&ColorfulTheme::default())
        .with_prompt(prompt)
        .items(items)
        .default(default)
        .interact_opt())
}

fn text(r: dialoguer::Result<String>) -> Result<String> {
    io(r.map(Some))
}

pub fn settle(path: &Path, flags: &Choices, assets: &Assets) -> Result<Choices> {
    let theme = ColorfulTheme::default();
    let mut choices = flags.clone();
    // A workspace package folder: the workspace root, with that package as the app.
    let (root, subdir) = pipeline::resolve(path);
    if subdir.is_some() && choices.app.is_none() {
        choices.app = subdir;
    }
    let project = Project::open(&root)?;
    let presets = preset::load_all(assets)?;

    // Which app, when more than one is runnable.
    // Which package of a Node workspace, when several are apps.
    if choices.app.is_none()
        && let Some((apps, picked)) = ecosystems::node::workspace::apps_for_wizard(&project)?
        && apps.len() > 1
    {
        let current = apps
            .iter()
            .position(|a| Some(&a.0) == picked.as_ref())
            .unwrap_or(0);
        let labels: Vec<&String> = apps.iter().map(|a| &a.1).collect();
        let i = select(
            "This workspace has several apps; which one goes in the image?",
            &labels,
            current,
        )?;
        if picked.is_none() || i != current {
            choices.app = Some(apps[i].0.clone());
        }
    }
    let all = ecosystems::detect_all(&project, choices.app.as_deref())?;
    let runnable: Vec<&Detected> = all.iter().filter(|d| d.runnable().is_ok()).collect();
    if choices.preset.is_none() && runnable.len() > 1 {
        let items: Vec<String> = runnable
            .iter()
            .map(|d| {
                format!(
                    "{} ({})",
                    d.default_preset(),
                    d.runnable().unwrap_or_default()
                )
            })
            .collect();
        let i = select(
            "More than one app fits; which one goes in the image?",
            &items,
            0,
        )?;
        choices.preset = Some(runnable[i].default_preset().to_string());
    }
    let forced = match &choices.preset {
        Some(name) => Some(preset::find(&presets, name)?.ecosystem.as_str()),
        None => None,
    };
    let deploy = crate::deploy::read(&project)?;
    let chosen = ecosystems::choose(&project, all, forced, &deploy)?;

    // Which main package / binary, when there are several. The default is
    // what detection (or dfgen.yaml) picks, so Enter-through equals --yes.
    if choices.main.is_none() {
        let mains = chosen.programs();
        if !mains.is_empty() {
            let picked = pipeline::plan(path, &choices, assets).ok().and_then(|p| {
                p.plan
                    .main
                    .map(|m| m.value.trim_start_matches("./").to_string())
                    .or_else(|| p.plan.command.and_then(|c| c.value.first().cloned()))
            });
            let current = mains
                .iter()
                .position(|m| Some(&m.0) == picked.as_ref())
                .unwrap_or(0);
            let labels: Vec<&String> = mains.iter().map(|m| &m.1).collect();
            let i = select(
                "Several programs can be built; which one runs in the image?",
                &labels,
                current,
            )?;
            if picked.is_none() || i != current {
                choices.main = Some(mains[i].0.clone());
            }
        }
    }

    let planned = pipeline::plan(path, &choices, assets)?;
    eprintln!("Detected:");
    show_findings(&planned);
    let preset = preset::find(&presets, &planned.plan.preset)?;
    let p = &planned.plan;

    if flags.version.is_none() {
        // Only versions that fit what the project declares, plus "other...".
        let declared = chosen.version();
        let mut offered: Vec<String> = preset
            .version
            .known
            .iter()
            .filter(|t| crate::version::satisfies(declared, t, preset.version.tag_parts))
            .cloned()
            .collect();
        if !offered.contains(&p.version.tag) {
            offered.insert(0, p.version.tag.clone());
        }
        let mut labels: Vec<String> = offered
            .iter()
            .map(|t| {
                if *t == p.version.tag {
                    format!("{t}  ({})", p.version.reason)
                } else {
                    t.clone()
                }
            })
            .collect();
        labels.push("other...".into());
        let current = offered
            .iter()
            .position(|t| *t == p.version.tag)
            .unwrap_or(0);
        let i = select(
            format!("{} version", preset.version.language),
            &labels,
            current,
        )?;
        if i == offered.len() {
            let other = text(
                Input::<String>::with_theme(&theme)
                    .with_prompt(format!("{} version (image tag)", preset.version.language))
                    .validate_with(|s: &String| -> std::result::Result<(), String> {
                        if crate::version::parse_numbers(s.trim()).is_some() {
                            Ok(())
                        } else {
                            Err("a version number like 1.24 or 22".into())
                        }
                    })
                    .interact_text(),
            )?;
            choices.version = Some(other.trim().to_string());
        } else if i != current {
            choices.version = Some(offered[i].clone());
        }
    }

    if flags.runtime.is_none() {
        let names: Vec<&String> = preset.runtime.variants.keys().collect();
        let labels: Vec<String> = preset
            .runtime
            .variants
            .iter()
            .map(|(n, v)| format!("{n}: {}", v.description))
            .collect();
        let current = names
            .iter()
            .position(|n| **n == p.runtime.name)
            .unwrap_or(0);
        let i = select("Runtime image", &labels, current)?;
        if i != current {
            choices.runtime = Some(names[i].clone());
        }
    }

    if flags.port.is_none() {
        let current = p
            .port
            .as_ref()
            .map(|f| f.value.to_string())
            .unwrap_or_default();
        let answer = text(
            Input::<String>::with_theme(&theme)
                .with_prompt(match &p.port {
                    Some(f) => format!("Port (from {})", f.evidence),
                    None => "Port (none found; empty for no EXPOSE)".to_string(),
                })
                .default(current.clone())
                .allow_empty(true)
                .validate_with(|s: &String| -> std::result::Result<(), String> {
                    if s.trim().is_empty() || s.trim().parse::<u16>().is_ok_and(|n| n > 0) {
                        Ok(())
                    } else {
                        Err("a port is a number from 1 to 65535".into())
                    }
                })
                .interact_text(),
        )?;
        let answer = answer.trim();
        if answer != current && !answer.is_empty() {
            choices.port = answer.parse().ok();
        }
    }

    if flags.cmd.is_none()
        && let Some(cmd) = &p.command
    {
        let current = safe::shell_join(&cmd.value);
        let answer = text(
            Input::<String>::with_theme(&theme)
                .with_prompt(format!("Start command (from {})", cmd.evidence))
                .default(current.clone())
                .validate_with(|s: &String| -> std::result::Result<(), String> {
                    safe::split_command("command", s)
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                })
                .interact_text(),
        )?;
        if answer.trim() != current {
            choices.cmd = Some(safe::split_command("command", &answer)?);
        }
    }

    if flags.also.is_none() {
        // What the plan writes today, dfgen.yaml's `also:` included, is the
        // default; a different answer (even "none") is saved as a choice.
        let current: Vec<String> = p
            .files
            .iter()
            .filter(|f| preset.files.iter().any(|o| o.optional && o.path == f.path))
            .map(|f| f.path.clone())
            .collect();
        let mut also = Vec::new();
        for f in preset.files.iter().filter(|f| f.optional) {
            let yes = io(Confirm::with_theme(&theme)
                .with_prompt(format!(
                    "Also write {} ({})?",
                    f.path,
                    f.description.as_deref().unwrap_or("offered by the preset")
                ))
                .default(current.contains(&f.path))
                .interact_opt())?;
            if yes {
                also.push(f.path.clone());
            }
        }
        if also != current {
            choices.also = Some(also);
        }
    }

    let planned = pipeline::plan(path, &choices, assets)?;
    eprintln!();
    eprintln!("Summary:");
    show_findings(&planned);
    let mut files: Vec<&str> = planned.plan.files.iter().map(|f| f.path.as_str()).collect();
    if !planned.config.is_empty() {
        files.push(crate::config::FILE);
    }
    let go = io(Confirm::with_theme(&theme)
        .with_prompt(format!("Write {}?", files.join(", ")))
        .default(true)
        .interact_opt())?;
    if !go {
        return Err(cancelled());
    }
    Ok(choices)
}

fn show_findings(planned: &Planned) {
    for f in pipeline::findings(planned) {
        if f.evidence.is_empty() {
            eprintln!("  {:<16} {}", f.what, f.value);
        } else {
            eprintln!(
                "  {:<16} {}  ({})",
                f.what,
                f.value,
                console::style(&f.evidence).dim()
            );
        }
    }
}

/// What to do with a generated file that differs from what is on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    Overwrite,
    Keep,
}

pub fn ask_overwrite(path: &str, diff: &str) -> Result<Resolution> {
    loop {
        let i = select(
            format!("{path} differs from what dfgen would write"),
            &["overwrite", "keep mine", "show diff"],
            0,
        )?;
        match i {
            0 => return Ok(Resolution::Overwrite),
            1 => return Ok(Resolution::Keep),
            _ => eprint!("{diff}"),
        }
    }
}
