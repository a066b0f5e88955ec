//! The plan: every decision needed to render the files, each with the evidence
//! behind it. Built from what was detected, the preset, and the user's choices
//! (flags now, the wizard later). Templates consume nothing else.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::detect::go::GoProject;
use crate::detect::hints::PortHints;
use crate::detect::node::{NodeProject, Shape};
use crate::detect::python::PythonProject;
use crate::detect::rust::RustProject;
use crate::detect::{Detected, Ecosystem};
use crate::error::{Error, Result};
use crate::evidence::{Evidence, Fact};
use crate::preset::{FileSpec, PackageManager, Preset};
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
    pub ecosystem: Ecosystem,
    pub shape: String,
    pub version: VersionPlan,
    pub images: BTreeMap<String, String>,
    pub runtime: RuntimePlan,
    pub cache: BTreeMap<String, String>,
    pub tools: BTreeMap<String, String>,
    pub port: Option<Fact<u16>>,
    /// The app reads PORT: the runtime sets `ENV PORT` so it listens where EXPOSE says.
    pub port_env: bool,
    /// Start command, exec form. `None` keeps the runtime image's own (nginx).
    pub command: Option<Fact<Vec<String>>>,
    pub go: Option<GoPlan>,
    pub node: Option<NodePlan>,
    pub python: Option<PythonPlan>,
    pub rust: Option<RustPlan>,
    pub warnings: Vec<String>,
    pub files: Vec<FileSpec>,
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
    pub settings: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GoPlan {
    /// `./cmd/api`, or `.` for the root package.
    pub package: String,
    pub binary: String,
    pub vendor: bool,
    pub go_sum: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct NodePlan {
    pub package_manager: String,
    pub pm: PackageManager,
    /// `setup` with the version filled in (pnpm), if the manager must be installed.
    pub setup: Option<String>,
    pub lockfile: Option<String>,
    pub build: bool,
    pub output_dir: Option<String>,
    pub entry: Option<String>,
    /// Copy the project's sources into the runtime (entry point is not build output).
    pub ship_sources: bool,
    /// Skip the project's own lifecycle scripts in the production install.
    pub ignore_scripts: bool,
    /// ...and then rebuild native dependencies, which that skipped too.
    pub rebuild: bool,
    /// The lifecycle scripts in question (prepare, postinstall...).
    pub lifecycle: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PythonPlan {
    pub tool: String,
    pub lockfile: Option<String>,
    pub requirements: Vec<String>,
    pub installable: bool,
    pub venv: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RustPlan {
    pub package: String,
    pub binary: String,
    pub locked: bool,
    /// Why the build links OpenSSL (evidence), if it does.
    pub openssl: Option<String>,
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

/// The ecosystem's default preset for what was detected.
pub fn default_preset_name(d: &Detected) -> &'static str {
    match d {
        Detected::Go(_) => "go",
        Detected::Rust(_) => "rust",
        Detected::Python(_) => "python",
        Detected::Node(n) if n.shape.value == Shape::Static => "node-static",
        Detected::Node(_) => "node",
    }
}

pub fn build(detected: &Detected, preset: &Preset, choices: &Choices) -> Result<Plan> {
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
        ecosystem: preset.ecosystem,
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
            settings: variant.settings.clone(),
        },
        cache: preset.cache.clone(),
        tools: preset.tools.clone(),
        port: None,
        port_env: false,
        command: None,
        go: None,
        node: None,
        python: None,
        rust: None,
        warnings: Vec::new(),
        files: chosen_files(preset, choices)?,
    };
    plan.images.insert("runtime".into(), variant.image.clone());

    let chosen_version;
    let declared = match (&choices.version, detected) {
        (Some(v), _) => {
            chosen_version = Declared::Pin {
                version: v.clone(),
                evidence: Evidence::other("the version chosen in dfgen.yaml, a flag or the wizard"),
            };
            &chosen_version
        }
        (None, Detected::Go(g)) => &g.version,
        (None, Detected::Node(n)) => &n.version,
        (None, Detected::Python(p)) => &p.version,
        (None, Detected::Rust(r)) => &r.version,
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

    let hints = match detected {
        Detected::Go(g) => go_plan(&mut plan, g, choices)?,
        Detected::Rust(r) => rust_plan(&mut plan, r, choices)?,
        Detected::Node(n) => node_plan(&mut plan, n, preset)?,
        Detected::Python(p) => python_plan(&mut plan, p, preset, choices)?,
    };
    if plan.port.is_none() {
        plan.port = choose_port(&mut plan, &hints, preset, choices);
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
    if let Some(loopback) = &hints.loopback {
        plan.warnings.push(format!(
            "{loopback} binds to a loopback address: the server will not be reachable from outside \
             the container; bind 0.0.0.0 instead"
        ));
    }
    Ok(plan)
}

/// Flag, then what the sources say, then (for apps that read PORT) the preset default.
fn choose_port(
    plan: &mut Plan,
    hints: &PortHints,
    preset: &Preset,
    choices: &Choices,
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

fn pick_main<'a, T>(
    items: &'a [T],
    name_of: impl Fn(&T) -> Vec<String>,
    wanted: Option<&str>,
    what: &str,
    list: impl Fn(&T) -> String,
) -> Result<&'a T> {
    if let Some(w) = wanted {
        let w = w.trim_start_matches("./").trim_end_matches('/');
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
        [one] => Ok(one),
        [] => Err(Error::Detect(format!("no {what} found"))),
        many => Err(Error::Detect(format!(
            "found {} {what}s: {}; pass --main to pick one",
            many.len(),
            many.iter().map(&list).collect::<Vec<_>>().join(", ")
        ))),
    }
}

fn go_plan(plan: &mut Plan, g: &GoProject, choices: &Choices) -> Result<PortHints> {
    let main = pick_main(
        &g.mains,
        |m| vec![m.dir.value.clone(), m.binary.clone()],
        choices.main.as_deref(),
        "main package",
        |m| m.dir.value.clone(),
    )?;
    plan.shape = "binary".into();
    let package = if main.dir.value == "." {
        ".".to_string()
    } else {
        format!("./{}", main.dir.value)
    };
    plan.go = Some(GoPlan {
        package,
        binary: main.binary.clone(),
        vendor: g.vendor.is_some(),
        go_sum: g.has_go_sum,
    });
    plan.command = Some(Fact::new(
        vec![format!("/usr/local/bin/{}", main.binary)],
        Evidence::other(format!("binary built from {}", main.dir.value)),
    ));
    Ok(main.ports.clone())
}

fn rust_plan(plan: &mut Plan, r: &RustProject, choices: &Choices) -> Result<PortHints> {
    let wanted = choices
        .main
        .as_deref()
        .or(r.default_run.as_ref().map(|d| d.value.as_str()));
    let bin = pick_main(
        &r.binaries,
        |b| {
            vec![
                b.name.value.clone(),
                format!("{}/{}", b.package, b.name.value),
            ]
        },
        wanted,
        "binary",
        |b| {
            if r.workspace {
                format!("{} (package {})", b.name.value, b.package)
            } else {
                b.name.value.clone()
            }
        },
    )?;
    plan.shape = "binary".into();
    plan.rust = Some(RustPlan {
        package: bin.package.clone(),
        binary: bin.name.value.clone(),
        locked: r.locked,
        openssl: r.openssl.as_ref().map(|f| f.evidence.to_string()),
    });
    if !r.locked {
        plan.warnings.push(
            "no Cargo.lock: the build resolves dependencies afresh and is not reproducible".into(),
        );
    }
    plan.command = Some(Fact::new(
        vec![format!("/usr/local/bin/{}", bin.name.value)],
        bin.name.evidence.clone(),
    ));
    Ok(bin.ports.clone())
}

fn node_plan(plan: &mut Plan, n: &NodeProject, preset: &Preset) -> Result<PortHints> {
    let pm_name = &n.package_manager.value;
    let pm = preset
        .package_managers
        .get(pm_name)
        .cloned()
        .ok_or_else(|| Error::Preset {
            preset: preset.name.clone(),
            message: format!("has no package_managers.{pm_name} entry"),
        })?;
    let setup = match &pm.setup {
        Some(s) => {
            let v = n
                .package_manager_version
                .clone()
                .or(pm.default_version.clone())
                .unwrap_or_default();
            let v = safe::name("package.json", "packageManager", &v)?;
            Some(s.replace("{version}", &v))
        }
        None => None,
    };
    if n.lockfile.is_none() {
        plan.warnings.push(format!(
            "no lockfile: `{}` resolves dependencies afresh on every build; commit a lockfile",
            pm.install_unlocked
        ));
    }
    let static_preset = preset.shape.as_deref() == Some("static");
    if static_preset != (n.shape.value == Shape::Static) {
        return Err(Error::Usage(format!(
            "preset `{}` is for {}, but this app is {} ({})",
            preset.name,
            if static_preset {
                "static front ends"
            } else {
                "Node servers"
            },
            match n.shape.value {
                Shape::Static => "a static front end",
                _ => "a Node server",
            },
            n.shape.evidence
        )));
    }
    plan.shape = match n.shape.value {
        Shape::Server => "server",
        Shape::ServerBuild => "server-build",
        Shape::Static => "static",
    }
    .into();
    let ignore_scripts = !n.root_lifecycle_scripts.is_empty();
    plan.node = Some(NodePlan {
        package_manager: pm_name.clone(),
        setup,
        lockfile: n.lockfile.clone(),
        build: n.has_build_script,
        output_dir: n.output_dir.as_ref().map(|o| o.value.clone()),
        entry: n.entry.as_ref().map(|e| e.value.clone()),
        ship_sources: n.ship_sources,
        ignore_scripts,
        rebuild: ignore_scripts && n.native_deps && pm.rebuild.is_some(),
        lifecycle: n.root_lifecycle_scripts.clone(),
        pm,
    });
    if n.shape.value == Shape::Static {
        plan.port = Some(Fact::new(
            preset.default_port.unwrap_or(8080),
            Evidence::other(format!(
                "the port the {} runtime listens on",
                plan.runtime.name
            )),
        ));
        return Ok(PortHints::default());
    }
    let entry = n
        .entry
        .as_ref()
        .ok_or_else(|| Error::Detect("no entry point for the Node server; pass --cmd".into()))?;
    if n.has_build_script && n.output_dir.is_none() {
        return Err(Error::Detect(format!(
            "package.json has a build script, but dfgen cannot tell where it writes (tsconfig.json names no \
             outDir, no known bundler, and the entry point {} is not build output); set \
             compilerOptions.outDir, or pass --cmd",
            entry.value
        )));
    }
    let node_bin = plan
        .runtime
        .settings
        .get("node_binary")
        .and_then(|v| v.as_str())
        .unwrap_or("node")
        .to_string();
    let mut argv = vec![node_bin];
    argv.extend(n.node_args.iter().cloned());
    argv.push(entry.value.clone());
    argv.extend(n.app_args.iter().cloned());
    plan.command = Some(Fact::new(argv, entry.evidence.clone()));
    Ok(n.ports.clone())
}

fn python_plan(
    plan: &mut Plan,
    p: &PythonProject,
    preset: &Preset,
    choices: &Choices,
) -> Result<PortHints> {
    plan.shape = "app".into();
    let venv = "/opt/venv".to_string();
    plan.python = Some(PythonPlan {
        tool: p.tool.value.clone(),
        lockfile: p.lockfile.clone(),
        requirements: p.requirements.clone(),
        installable: p.installable,
        venv,
    });
    if p.lockfile.is_none() {
        plan.warnings.push(format!(
            "no lockfile for {}: dependencies are resolved afresh on every build",
            p.tool.value
        ));
    }
    // A framework app gets its port from us (we write the server command), so
    // it is settled here: flag, Procfile, a port in the code, the server's default.
    let server_port = || -> Fact<u16> {
        if let Some(port) = choices.port {
            return Fact::new(
                port,
                Evidence::other("your choice (--port, dfgen.yaml or the wizard)"),
            );
        }
        p.procfile_port
            .clone()
            .or(p.ports.port.clone())
            .unwrap_or_else(|| {
                Fact::new(
                    preset.default_port.unwrap_or(8000),
                    Evidence::other("the server's default port"),
                )
            })
    };
    let need = |server: &str, via: &[&str]| -> Result<()> {
        if via.iter().any(|d| p.depends_on(d)) {
            Ok(())
        } else {
            Err(Error::Detect(format!(
                "this is a {} app, and dfgen runs it with {server}, but {server} is not among the \
                 dependencies in {}; add it (e.g. `uv add {server}` / `poetry add {server}` / a line in \
                 requirements.txt) or pass --cmd",
                p.framework
                    .as_ref()
                    .map(|f| f.value.as_str())
                    .unwrap_or("web"),
                p.lockfile.as_deref().unwrap_or("pyproject.toml")
            )))
        }
    };
    let mut hints = p.ports.clone();
    if choices.cmd.is_some() {
        // The user's own command: the port comes from the flag or the sources.
        return Ok(hints);
    }
    let framework = p.framework.as_ref().map(|f| f.value.as_str());
    let command: Fact<Vec<String>> = if let Some(main) = &choices.main {
        // --main picks a console script, a runnable package or an entry file.
        let main = main.trim_start_matches("./");
        if let Some(s) = p
            .scripts
            .iter()
            .find(|s| s.value == main)
            .filter(|_| p.installable)
        {
            Fact::new(vec![s.value.clone()], s.evidence.clone())
        } else if let Some(m) = p.module_main.as_ref().filter(|m| m.value == main) {
            Fact::new(
                vec!["python".into(), "-m".into(), m.value.clone()],
                m.evidence.clone(),
            )
        } else if let Some(f) = p.main_file.as_ref().filter(|f| f.value == main) {
            Fact::new(vec!["python".into(), f.value.clone()], f.evidence.clone())
        } else {
            let mut known: Vec<&str> = p.scripts.iter().map(|s| s.value.as_str()).collect();
            known.extend(
                p.module_main
                    .iter()
                    .chain(&p.main_file)
                    .map(|f| f.value.as_str()),
            );
            return Err(Error::Usage(format!(
                "--main {main}: no such console script, package with __main__.py or entry file; found: {}",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            )));
        }
    } else if p.scripts.len() == 1 && p.installable {
        let s = &p.scripts[0];
        Fact::new(vec![s.value.clone()], s.evidence.clone())
    } else if let Some(fw) = framework {
        let app = p.app.as_ref().ok_or_else(|| {
            Error::Detect(format!(
                "{fw} is a dependency, but dfgen found no {} in the project's Python files; pass --cmd",
                match fw {
                    "django" => "WSGI module (WSGI_APPLICATION or a wsgi.py next to settings.py)",
                    "fastapi" => "`app = FastAPI(...)`",
                    _ => "`app = Flask(...)`",
                }
            ))
        })?;
        let port = server_port();
        let mut argv: Vec<String>;
        if fw == "fastapi" {
            need("uvicorn", &["uvicorn", "fastapi[standard]", "fastapi[all]"])?;
            argv = vec![
                "uvicorn".into(),
                app.value.clone(),
                "--host".into(),
                "0.0.0.0".into(),
            ];
            argv.extend(["--port".into(), port.value.to_string()]);
            // An installed project imports from the venv; only source trees need the dir.
            if let (Some(dir), false) = (&p.app_dir, p.installable) {
                argv.extend(["--app-dir".into(), dir.clone()]);
            }
        } else {
            need("gunicorn", &["gunicorn"])?;
            argv = vec![
                "gunicorn".into(),
                "--bind".into(),
                format!("0.0.0.0:{}", port.value),
            ];
            if let (Some(dir), false) = (&p.app_dir, p.installable) {
                argv.extend(["--chdir".into(), dir.clone()]);
            }
            argv.push(app.value.clone());
        }
        hints.port = Some(port);
        hints.loopback = None; // we bind 0.0.0.0 ourselves
        hints.reads_env = false; // and pass the port on the command line
        Fact::new(argv, app.evidence.clone())
    } else if let Some(m) = &p.module_main {
        Fact::new(
            vec!["python".into(), "-m".into(), m.value.clone()],
            m.evidence.clone(),
        )
    } else if let Some(f) = &p.main_file {
        Fact::new(vec!["python".into(), f.value.clone()], f.evidence.clone())
    } else if p.scripts.len() > 1 {
        return Err(Error::Detect(format!(
            "several console scripts ({}); pass --main with the one to run",
            p.scripts
                .iter()
                .map(|s| s.value.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    } else {
        return Err(Error::Detect(
            "no start command: no single console script, no FastAPI/Flask/Django app, no __main__.py, \
             main.py or app.py; pass --cmd"
                .into(),
        ));
    };
    plan.command = Some(command);
    Ok(hints)
}
