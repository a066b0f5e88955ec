//! Detection: each ecosystem's detector reads its own manifests; this module
//! decides which ecosystem the project *is*, from evidence of a runnable app
//! rather than from which files happen to exist.

pub mod go;
pub mod hints;
pub mod node;
pub mod python;
pub mod rust;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::project::Project;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ecosystem {
    Go,
    Node,
    Python,
    Rust,
}

impl Ecosystem {
    pub fn manifest(self) -> &'static str {
        match self {
            Ecosystem::Go => "go.mod",
            Ecosystem::Node => "package.json",
            Ecosystem::Python => "pyproject.toml or requirements.txt",
            Ecosystem::Rust => "Cargo.toml",
        }
    }
}

impl std::fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Ecosystem::Go => "go",
            Ecosystem::Node => "node",
            Ecosystem::Python => "python",
            Ecosystem::Rust => "rust",
        })
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "ecosystem", rename_all = "lowercase")]
pub enum Detected {
    Go(go::GoProject),
    Node(node::NodeProject),
    Python(python::PythonProject),
    Rust(rust::RustProject),
}

impl Detected {
    pub fn ecosystem(&self) -> Ecosystem {
        match self {
            Detected::Go(_) => Ecosystem::Go,
            Detected::Node(_) => Ecosystem::Node,
            Detected::Python(_) => Ecosystem::Python,
            Detected::Rust(_) => Ecosystem::Rust,
        }
    }

    /// Why this is a runnable app (Ok: the evidence) or why not (Err).
    pub fn runnable(&self) -> std::result::Result<String, String> {
        match self {
            Detected::Go(g) => match g.mains.first() {
                Some(m) => Ok(format!("main package in {}", m.dir.evidence.file.as_deref().unwrap_or("?"))),
                None => Err("go.mod, but no `package main` at the root or under cmd/<name>/".into()),
            },
            Detected::Rust(r) => match r.binaries.first() {
                Some(b) => Ok(format!("binary target `{}`", b.name.value)),
                None => Err("Cargo.toml, but no binary target (a library only?)".into()),
            },
            Detected::Node(n) => match (&n.shape.value, &n.entry) {
                (node::Shape::Static, _) => Ok(format!("static site built by {}", framework(n))),
                (_, Some(e)) => Ok(format!("entry point {} ({})", e.value, e.evidence)),
                (_, None) => Err(
                    "package.json, but no start script running node, no `main`, no server.js/index.js/app.js, \
                     and no static-site build: tooling only?"
                        .into(),
                ),
            },
            Detected::Python(p) => {
                if let Some(f) = &p.framework {
                    Ok(format!("{} app", f.value))
                } else if let Some(s) = p.scripts.first() {
                    Ok(format!("console script `{}`", s.value))
                } else if let Some(m) = &p.module_main {
                    Ok(format!("runnable package {}", m.value))
                } else if let Some(m) = &p.main_file {
                    Ok(format!("entry file {}", m.value))
                } else {
                    Err("Python manifest, but no web framework, console script, __main__.py, main.py or app.py".into())
                }
            }
        }
    }
}

fn framework(n: &node::NodeProject) -> &str {
    n.framework
        .as_ref()
        .map(|f| f.value.as_str())
        .unwrap_or("a bundler")
}

/// Every ecosystem whose manifest is present, in a fixed order. A malformed
/// manifest is an error even if another ecosystem would win: it is bad input.
pub fn detect_all(p: &Project) -> Result<Vec<Detected>> {
    let mut out = Vec::new();
    if let Some(g) = go::detect(p)? {
        out.push(Detected::Go(g));
    }
    if let Some(n) = node::detect(p)? {
        out.push(Detected::Node(n));
    }
    if let Some(py) = python::detect(p)? {
        out.push(Detected::Python(py));
    }
    if let Some(r) = rust::detect(p)? {
        out.push(Detected::Rust(r));
    }
    Ok(out)
}

/// Picks the one ecosystem to containerise: the one forced by the preset, else
/// the only runnable one. Anything else is an error that names the candidates.
pub fn choose(p: &Project, mut all: Vec<Detected>, forced: Option<Ecosystem>) -> Result<Detected> {
    if all.is_empty() {
        return Err(Error::Detect(format!(
            "no project found in {}: looked for go.mod, package.json, pyproject.toml, requirements.txt \
             and Cargo.toml at its top level",
            p.root().display()
        )));
    }
    if let Some(eco) = forced {
        let pos = all
            .iter()
            .position(|d| d.ecosystem() == eco)
            .ok_or_else(|| {
                Error::Usage(format!(
                    "the preset needs a {} project, but there is no {}",
                    eco,
                    eco.manifest()
                ))
            })?;
        let chosen = all.swap_remove(pos);
        if let Err(why) = chosen.runnable() {
            return Err(Error::Detect(format!("{eco}: {why}")));
        }
        return Ok(chosen);
    }
    let (runnable, not): (Vec<_>, Vec<_>) = all.into_iter().partition(|d| d.runnable().is_ok());
    match runnable.len() {
        1 => Ok(runnable.into_iter().next().expect("one element")),
        0 => Err(Error::Detect(format!(
            "found no runnable app:\n{}",
            not.iter()
                .map(|d| format!("  - {}: {}", d.ecosystem(), d.runnable().unwrap_err()))
                .collect::<Vec<_>>()
                .join("\n")
        ))),
        _ => Err(Error::Detect(format!(
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
