//! Python's part of the plan: installer, lockfile, virtualenv, and the
//! server command (uvicorn, gunicorn) or console script that starts the app.

use serde::{Deserialize, Serialize};

use super::PythonProject;
use crate::ecosystems::PlanContext;
use crate::error::{Error, Result};
use crate::evidence::{Evidence, Fact};
use crate::ports::PortHints;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PythonPlan {
    pub tool: String,
    pub lockfile: Option<String>,
    pub requirements: Vec<String>,
    pub installable: bool,
    pub venv: String,
}

pub fn plan(p: &PythonProject, ctx: &mut PlanContext) -> Result<PortHints> {
    let (preset, choices, deploy) = (ctx.preset, ctx.choices, ctx.deploy);
    let plan = &mut *ctx.plan;
    plan.shape = "app".into();
    let venv = "/opt/venv".to_string();
    plan.set_part(
        "python",
        &PythonPlan {
            tool: p.tool.value.clone(),
            lockfile: p.lockfile.clone(),
            requirements: p.requirements.clone(),
            installable: p.installable,
            venv,
        },
    )?;
    if p.lockfile.is_none() {
        plan.warnings.push(format!(
            "no lockfile for {}: dependencies are resolved afresh on every build",
            p.tool.value
        ));
    }
    // A framework app gets its port from us (we write the server command), so
    // it is settled here: flag, deployment files, a port in the code, the server's default.
    let server_port = || -> Fact<u16> {
        if let Some(port) = choices.port {
            return Fact::new(
                port,
                Evidence::other("your choice (--port, dfgen.yaml or the wizard)"),
            );
        }
        deploy
            .port
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
    } else if let Some(cmd) = &deploy.command {
        // The project's own deployment file says how the app runs: it outranks
        // anything inferred from the code.
        let argv = crate::deploy::exec_form(cmd, plan.runtime.shell)?;
        let text = &cmd.value;
        if text.contains("$PORT") || text.contains("${PORT") || server_reads_port_env(text) {
            hints.reads_env = true;
        }
        if let Some(port) = &deploy.port {
            hints.port = Some(port.clone());
        }
        if ["127.0.0.1", "localhost"].iter().any(|h| text.contains(h)) {
            hints.loopback = Some(cmd.evidence.to_string());
        } else {
            hints.loopback = None;
        }
        if text.split_whitespace().next() == Some("uvicorn") && !text.contains("--host") {
            // uvicorn binds 127.0.0.1 unless told otherwise; it reads UVICORN_HOST.
            plan.env.insert(
                "UVICORN_HOST".into(),
                Fact::new(
                    "0.0.0.0".into(),
                    Evidence::other(
                        "uvicorn binds 127.0.0.1 by default; a container needs 0.0.0.0",
                    ),
                ),
            );
        }
        Fact::new(argv, cmd.evidence.clone())
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

/// Servers that bind `0.0.0.0:$PORT` by themselves when PORT is set and the
/// command names no bind (gunicorn does, as Heroku-style platforms expect; a `bind` in its config
/// file still wins).
fn server_reads_port_env(cmd: &str) -> bool {
    let first = cmd.split_whitespace().next().unwrap_or("");
    first == "gunicorn" && !cmd.contains("--bind") && !cmd.contains("-b ")
}
