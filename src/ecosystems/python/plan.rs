//! Python's part of the plan: installer, lockfile, virtualenv, and the
//! server command (uvicorn, gunicorn) or console script that starts the app.

use serde::{Deserialize, Serialize};

use super::PythonProject;
use crate::deploy::Deployment;
use crate::ecosystems::PlanContext;
use crate::ecosystems::assets::FrontEnd;
use crate::error::{Error, Result};
use crate::evidence::{Evidence, Fact};
use crate::plan::Plan;
use crate::ports::PortHints;

use super::servers;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PythonPlan {
    pub tool: String,
    pub lockfile: Option<String>,
    pub requirements: Vec<String>,
    pub installable: bool,
    pub venv: String,
    /// Django's build step and the comments its settings call for.
    pub django: Option<DjangoPlan>,
    /// Dependencies that compile against C libraries: Debian packages for each stage.
    pub native: Option<NativePlan>,
    /// A private index: the install steps mount a netrc build secret.
    pub private_index: Option<String>,
    /// uv workspace: the member's package name and every member's manifest.
    pub workspace: Option<WorkspacePlan>,
    /// The installer's version (uv, Poetry, PDM, Pipenv) and why, for the template.
    pub tool_version: Option<String>,
    pub tool_version_reason: Option<String>,
    /// A JS front end the app serves, built in a Node stage.
    pub assets: Option<AssetsPlan>,
}

/// The front end the app serves: built in the `assets` stage, its output
/// copied to where the app reads it (relative to /app).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AssetsPlan {
    #[serde(flatten)]
    pub front_end: FrontEnd,
    /// What in the Python code reads the output, for the comments.
    pub served: String,
    /// The front end's source directories, removed from the app's copy in
    /// the build stage so the runtime never gets them.
    pub prune: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WorkspacePlan {
    pub package: String,
    pub member: String,
    pub manifests: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NativePlan {
    /// The dependencies that need them, for the comments.
    pub packages: Vec<String>,
    /// Debian packages for the builder only (compiler, headers).
    pub build: Vec<String>,
    /// Debian packages the runtime needs to load the compiled code.
    pub runtime: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct NativeSpec {
    #[serde(default)]
    build: Vec<String>,
    #[serde(default)]
    runtime: Vec<String>,
}

/// The preset's `native` table (in the runtime variant) applied to the dependencies.
fn native_plan(p: &PythonProject, plan: &Plan) -> Result<Option<NativePlan>> {
    let Some(table) = plan.runtime.settings.get("native") else {
        return Ok(None);
    };
    let specs: std::collections::BTreeMap<String, NativeSpec> =
        serde_json::from_value(table.clone()).map_err(|e| {
            Error::Detect(format!(
                "preset python: `native` is not a table of build/runtime lists: {e}"
            ))
        })?;
    let mut out = NativePlan {
        packages: Vec::new(),
        build: Vec::new(),
        runtime: Vec::new(),
    };
    for (name, spec) in &specs {
        // `psycopg[binary]` ships its own libpq.
        if !p.depends_on(name) || p.depends_on(&format!("{name}[binary]")) {
            continue;
        }
        out.packages.push(name.clone());
        for (from, to) in [
            (&spec.build, &mut out.build),
            (&spec.runtime, &mut out.runtime),
        ] {
            for pkg in from {
                let pkg = crate::safe::name("preset python", "native", pkg)?;
                if !to.contains(&pkg) {
                    to.push(pkg);
                }
            }
        }
    }
    Ok((!out.packages.is_empty()).then_some(out))
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DjangoPlan {
    /// `collectstatic` runs at build time (STATIC_ROOT is set).
    pub collectstatic: Option<Collectstatic>,
    /// Comment lines for the runtime stage (hosts, migrations, static files).
    pub comments: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Collectstatic {
    /// Where STATIC_ROOT is set (for the comment).
    pub evidence: String,
    /// The command before `collectstatic --noinput`: `python manage.py` or `python -m django`.
    pub command: String,
    /// Placeholder environment for settings that read variables at import: this step only.
    pub env: Vec<(String, String)>,
    /// Why each placeholder is there (for the comment).
    pub env_evidence: String,
    /// An absolute STATIC_ROOT outside /app, copied to the runtime too.
    pub outside: Option<String>,
}

pub fn plan(p: &PythonProject, ctx: &mut PlanContext) -> Result<PortHints> {
    let (preset, choices, deploy) = (ctx.preset, ctx.choices, ctx.deploy);
    let plan = &mut *ctx.plan;
    plan.shape = "app".into();
    let venv = "/opt/venv".to_string();
    let django = django_plan(p, &mut plan.warnings, &mut plan.notes)?;
    let native = native_plan(p, plan)?;
    let (tool_version, tool_version_reason) = tool_version(p, &plan.tools);
    let assets = assets_plan(p, ctx.project, plan, preset)?;
    let private_index = match &p.private_index {
        Some(ix) => {
            if ix.inline_credentials {
                plan.warnings.push(format!(
                    "{} holds a password in the index URL: that file is part of the build context \
                     (and, for an app copied as source, of the image); move the credentials to a \
                     netrc file passed with --secret id=netrc",
                    ix.host.evidence
                ));
            }
            plan.notes.push(format!(
                "private package index {} ({}): build with `docker build --secret id=netrc,src=$HOME/.netrc .`",
                ix.host.value, ix.host.evidence
            ));
            Some(crate::safe::comment_text(&format!(
                "{} ({})",
                crate::safe::name(
                    ix.host.evidence.file.as_deref().unwrap_or("pyproject.toml"),
                    &ix.host.evidence.detail,
                    &ix.host.value
                )?,
                ix.host.evidence
            ))?)
        }
        None => None,
    };
    plan.set_part(
        "python",
        &PythonPlan {
            tool: p.tool.value.clone(),
            lockfile: p.lockfile.clone(),
            requirements: p.requirements.clone(),
            installable: p.installable,
            venv,
            django,
            native,
            tool_version,
            tool_version_reason,
            assets,
            private_index,
            workspace: p.workspace.as_ref().map(|w| WorkspacePlan {
                package: w.package.clone(),
                member: w.member.value.clone(),
                manifests: w.manifests.clone(),
            }),
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
    let server_port = |config: Option<Fact<u16>>| -> Fact<u16> {
        if let Some(port) = choices.port {
            return Fact::new(
                port,
                Evidence::other("your choice (--port, dfgen.yaml or the wizard)"),
            );
        }
        deploy
            .port
            .clone()
            .or(config)
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
        deployment_command(p, cmd, plan, deploy, &mut hints)?
    } else if let (Some(fw), Some(app)) = (framework, &p.app) {
        // A web app found in the code outranks console scripts (often demos or CLIs).
        let config_bind = if matches!(fw, "flask" | "django") {
            p.server_binds.get("gunicorn.conf.py")
        } else {
            None
        };
        let port = server_port(config_bind.as_ref().and_then(|b| b.port.clone()));
        let argv = framework_command(p, fw, app, &port, &mut plan.notes, &need)?;
        // daphne has no --app-dir/--chdir: a Django project in a subfolder
        // (manage.py in backend/) is put on the import path instead.
        if argv.first().map(String::as_str) == Some("daphne")
            && let Some(dir) = p.app_dir.as_ref().filter(|_| !p.installable)
        {
            let dir = crate::safe::rel_path(&app.evidence.to_string(), "app dir", dir)?;
            plan.env.insert(
                "PYTHONPATH".into(),
                Fact::new(
                    format!("/app/{dir}"),
                    Evidence::other(format!(
                        "daphne imports {} from {dir}, where manage.py is (daphne has no option for it)",
                        argv.last().map(String::as_str).unwrap_or_default()
                    )),
                ),
            );
        }
        hints.port = Some(port);
        hints.loopback = None; // we bind 0.0.0.0 ourselves
        hints.reads_env = false; // and pass the port on the command line
        Fact::new(argv, app.evidence.clone())
    } else if p.scripts.len() == 1 && p.installable {
        let s = &p.scripts[0];
        Fact::new(vec![s.value.clone()], s.evidence.clone())
    } else if let Some(fw) = framework {
        return Err(Error::Detect(format!(
            "{fw} is a dependency, but dfgen found no {} in the project's Python files; pass --cmd",
            match fw {
                "django" => "WSGI module (WSGI_APPLICATION or a wsgi.py next to settings.py)",
                "fastapi" => "`app = FastAPI(...)` or factory function that returns one",
                "starlette" => "`app = Starlette(...)` or factory function that returns one",
                _ => "`app = Flask(...)` or `create_app()` factory",
            }
        )));
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

/// The deployment file's command, in exec form, with what its server's config
/// file says about the port; a server that would bind loopback gets a bind on
/// 0.0.0.0 added (a command-line bind wins over the config file's).
fn deployment_command(
    p: &PythonProject,
    cmd: &Fact<String>,
    plan: &mut Plan,
    deploy: &Deployment,
    hints: &mut PortHints,
) -> Result<Fact<Vec<String>>> {
    let mut argv = crate::deploy::exec_form(cmd, plan.runtime.shell)?;
    let text = &cmd.value;
    let origin = cmd.evidence.file.as_deref().unwrap_or("deployment file");
    let words = crate::safe::split_command(origin, text).unwrap_or_default();
    let server = words.first().map(String::as_str).unwrap_or("");
    // Only a plain command line (not `sh -c`) can take another argument.
    let plain = argv.first().map(String::as_str) == Some(server);
    let has = |flags: &[&str]| {
        words.iter().any(|w| {
            flags
                .iter()
                .any(|f| w == f || w.starts_with(&format!("{f}=")))
        })
    };
    if text.contains("$PORT") || text.contains("${PORT") || server_reads_port_env(text) {
        hints.reads_env = true;
    }
    if let Some(port) = &deploy.port {
        hints.port = Some(port.clone());
    }
    hints.loopback = ["127.0.0.1", "localhost"]
        .iter()
        .any(|h| text.contains(h))
        .then(|| cmd.evidence.to_string());
    let config = match server {
        "gunicorn" if !has(&["--bind", "-b"]) => {
            let file = servers::gunicorn_config_file(&words);
            let file = crate::safe::rel_path(origin, &cmd.evidence.detail, &file)?;
            p.server_binds.get(&file).cloned()
        }
        "uwsgi" => match servers::uwsgi_ini_file(&words) {
            Some(file) => {
                let file = crate::safe::rel_path(origin, &cmd.evidence.detail, &file)?;
                p.server_binds.get(&file).cloned()
            }
            None => None,
        },
        _ => None,
    };
    if let Some(bind) = config {
        if deploy.port.is_none() {
            hints.port = bind.port.clone();
        }
        hints.reads_env = bind.reads_env;
        if bind.not_http {
            plan.warnings.push(format!(
                "{} sets a uWSGI `socket`, which speaks the uwsgi protocol, not HTTP: put a web \
                 server in front, or use `http-socket` to answer HTTP directly",
                bind.origin
            ));
        }
        if bind.loopback {
            let port = bind.port.as_ref().map(|p| p.value).unwrap_or(8000);
            if server == "gunicorn" && plain {
                argv.push("--bind".into());
                argv.push(format!("0.0.0.0:{port}"));
                plan.warnings.push(format!(
                    "{} binds a loopback address, unreachable from outside the container: the \
                     command adds --bind 0.0.0.0:{port}, which wins over the config file",
                    bind.origin
                ));
            } else {
                hints.loopback = Some(bind.origin.clone());
            }
        }
    }
    if server == "uvicorn" && !has(&["--host"]) {
        // uvicorn binds 127.0.0.1 unless told otherwise; it reads UVICORN_HOST.
        plan.env.insert(
            "UVICORN_HOST".into(),
            Fact::new(
                "0.0.0.0".into(),
                Evidence::other("uvicorn binds 127.0.0.1 by default; a container needs 0.0.0.0"),
            ),
        );
    }
    if matches!(server, "daphne" | "hypercorn") && !has(&["--bind", "-b"]) && plain {
        // Both bind 127.0.0.1 unless told otherwise.
        let port = deploy.port.as_ref().map(|p| p.value).unwrap_or(8000);
        if server == "daphne" {
            argv.splice(1..1, ["-b".to_string(), "0.0.0.0".to_string()]);
            if !has(&["--port", "-p"]) {
                argv.splice(3..3, ["-p".to_string(), port.to_string()]);
            }
        } else {
            argv.splice(1..1, ["--bind".to_string(), format!("0.0.0.0:{port}")]);
        }
        hints.port.get_or_insert(Fact::new(
            port,
            Evidence::other(format!("{server}'s default port")),
        ));
        plan.notes.push(format!(
            "{server} binds 127.0.0.1 by default: the command from {} gets a bind on 0.0.0.0",
            cmd.evidence
        ));
    }
    Ok(Fact::new(argv, cmd.evidence.clone()))
}

/// The Node stage for a front end the app serves, or `None` (with a note)
/// when the installed app would not find its output where the code says.
fn assets_plan(
    p: &PythonProject,
    project: &crate::project::Project,
    plan: &mut Plan,
    preset: &crate::preset::Preset,
) -> Result<Option<AssetsPlan>> {
    plan.notes.extend(p.front_end_notes.iter().cloned());
    let Some(s) = &p.front_end else {
        return Ok(None);
    };
    let fe = &s.front_end;
    if p.installable && !s.cwd_relative {
        plan.notes.push(format!(
            "{} serves {} relative to a module's file, but the app is installed into the venv, where that path does not lead back to /app: dfgen builds no front end for it (build it into the package, or read it relative to the working directory)",
            s.served.evidence, fe.output
        ));
        return Ok(None);
    }
    let node = preset
        .images
        .get("assets")
        .cloned()
        .ok_or_else(|| Error::Detect("preset python: images.assets is missing".into()))?;
    plan.images.insert("assets".into(), node);
    // The front end's sources stay out of the runtime: its whole directory
    // when no Python code lives there, else its `src` folder when that holds
    // no Python either.
    let holds_python = |dir: &str| !project.source_files(dir, &[".py"], 6, 1).is_empty();
    let src = crate::project::join(&fe.dir, "src");
    let prune = if fe.dir != "." && !holds_python(&fe.dir) {
        vec![fe.dir.clone()]
    } else if project.is_dir(&src) && !holds_python(&src) {
        vec![src]
    } else {
        plan.notes.push(format!(
            "the front end's package.json is in {}, next to the Python code: its sources are copied into the image with the app (node_modules and the build output are not)",
            if fe.dir == "." { "the project root" } else { &fe.dir }
        ));
        Vec::new()
    };
    plan.notes.push(format!(
        "front end: `npm run {}` ({}) writes {} ({}), which the app serves ({}): built in the image's Node stage; only {} reaches the runtime, at /app/{}",
        fe.script, fe.script_evidence, fe.output, fe.output_evidence, s.served.evidence, fe.output,
        fe.output
    ));
    if fe.lockfile.is_none() {
        plan.warnings.push(format!(
            "{} builds the front end, but there is no package-lock.json next to it: npm resolves afresh on every build",
            fe.script_evidence
        ));
    }
    Ok(Some(AssetsPlan {
        front_end: fe.clone(),
        served: crate::safe::comment_text(&format!("{} in {}", s.served.value, s.served.evidence))?,
        prune,
    }))
}

/// The server command for a framework app found in the code.
fn framework_command(
    p: &PythonProject,
    fw: &str,
    app: &Fact<String>,
    port: &Fact<u16>,
    notes: &mut Vec<String>,
    need: &dyn Fn(&str, &[&str]) -> Result<()>,
) -> Result<Vec<String>> {
    let src_dir = p.app_dir.as_ref().filter(|_| !p.installable);
    let uvicorn = |target: &str, factory: bool| {
        let mut argv = vec![
            "uvicorn".to_string(),
            target.to_string(),
            "--host".into(),
            "0.0.0.0".into(),
            "--port".into(),
            port.value.to_string(),
        ];
        if factory {
            argv.push("--factory".into());
        }
        // An installed project imports from the venv; only source trees need the dir.
        if let Some(dir) = src_dir {
            argv.extend(["--app-dir".into(), dir.clone()]);
        }
        argv
    };
    let gunicorn = |target: &str| {
        let mut argv = vec![
            "gunicorn".to_string(),
            "--bind".into(),
            format!("0.0.0.0:{}", port.value),
        ];
        if let Some(dir) = src_dir {
            argv.extend(["--chdir".into(), dir.clone()]);
        }
        argv.push(target.to_string());
        argv
    };
    match fw {
        "fastapi" | "starlette" => {
            need("uvicorn", &["uvicorn", "fastapi[standard]", "fastapi[all]"])?;
            if p.app_factory {
                notes.push(format!(
                    "{} is an app factory: uvicorn calls it (--factory)",
                    app.value
                ));
            }
            Ok(uvicorn(&app.value, p.app_factory))
        }
        "django" => {
            let asgi = p.django.as_ref().and_then(|d| d.asgi.as_ref());
            let wants_asgi = p.depends_on("channels")
                || (!p.depends_on("gunicorn")
                    && (p.depends_on("uvicorn") || p.depends_on("daphne")));
            if let (Some(asgi), true) = (asgi, wants_asgi) {
                let target = format!("{}:application", asgi.value);
                notes.push(format!(
                    "Django runs as an ASGI app ({}), as the project uses {}",
                    asgi.evidence,
                    if p.depends_on("channels") {
                        "channels"
                    } else {
                        "an ASGI server and no gunicorn"
                    }
                ));
                if p.depends_on("daphne") {
                    let mut argv = vec![
                        "daphne".to_string(),
                        "-b".into(),
                        "0.0.0.0".into(),
                        "-p".into(),
                        port.value.to_string(),
                    ];
                    argv.push(target);
                    return Ok(argv);
                }
                need("uvicorn", &["uvicorn", "uvicorn[standard]"])?;
                return Ok(uvicorn(&target, false));
            }
            if !p.depends_on("gunicorn") && p.depends_on("uwsgi") {
                let mut argv = vec![
                    "uwsgi".to_string(),
                    "--http-socket".into(),
                    format!("0.0.0.0:{}", port.value),
                    "--master".into(),
                    "--need-app".into(),
                    "--module".into(),
                    format!("{}:application", app.value),
                ];
                if let Some(dir) = src_dir {
                    argv.extend(["--chdir".into(), format!("/app/{dir}")]);
                }
                return Ok(argv);
            }
            need("gunicorn", &["gunicorn"])?;
            Ok(gunicorn(&app.value))
        }
        _ => {
            need("gunicorn", &["gunicorn"])?;
            if p.app_factory {
                notes.push(format!(
                    "{} is an app factory: gunicorn calls it ('{}()')",
                    app.value, app.value
                ));
                Ok(gunicorn(&format!("{}()", app.value)))
            } else {
                Ok(gunicorn(&app.value))
            }
        }
    }
}

/// A harmless value for a variable the settings read at import, for the
/// build-time collectstatic step only.
fn placeholder(name: &str) -> &'static str {
    let n = name.to_ascii_uppercase();
    if n.contains("DATABASE_URL") || n.ends_with("DB_URL") {
        "sqlite:///:memory:"
    } else if n.contains("DEBUG") {
        "False"
    } else if n.contains("HOSTS") {
        "localhost"
    } else {
        "build-time-placeholder"
    }
}

/// Hosts a Django `ALLOWED_HOSTS` literal allows, or None when it is not a
/// plain list literal (read from the environment, computed...).
fn literal_hosts(value: &str) -> Option<Vec<String>> {
    let v = value.trim();
    let inner = v
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .or_else(|| v.strip_prefix('(').and_then(|r| r.strip_suffix(')')))?;
    let mut hosts = Vec::new();
    for item in inner.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let h = item.trim_matches(['"', '\'']);
        if h.len() + 2 != item.len() {
            return None; // not a string literal
        }
        hosts.push(h.to_string());
    }
    Some(hosts)
}

fn django_plan(
    p: &PythonProject,
    warnings: &mut Vec<String>,
    notes: &mut Vec<String>,
) -> Result<Option<DjangoPlan>> {
    let Some(d) = &p.django else {
        return Ok(None);
    };
    let mut comments = Vec::new();
    let manage = match d.manage_dir.as_deref() {
        Some("") => Some("manage.py".to_string()),
        Some(dir) => Some(format!("{dir}/manage.py")),
        None => None,
    };
    if let Some(h) = &d.allowed_hosts
        && let Some(hosts) = literal_hosts(&h.value)
    {
        let local = |h: &String| {
            matches!(
                h.as_str(),
                "localhost" | "127.0.0.1" | "[::1]" | ".localhost"
            )
        };
        if hosts.is_empty() || hosts.iter().all(local) {
            let msg = format!(
                "ALLOWED_HOSTS ({}) is {}: with DEBUG off, Django answers 400 to requests for any \
                 other host name; list the host names the app is served under",
                h.evidence,
                if hosts.is_empty() {
                    "empty"
                } else {
                    "local names only"
                }
            );
            warnings.push(msg.clone());
            comments.push(crate::safe::comment_text(&msg)?);
        }
    }
    let collectstatic = match &d.static_root {
        Some(root) if manage.is_some() || p.installable => {
            let command = match (&manage, p.installable) {
                (Some(m), false) => format!("python {m}"),
                _ => "python -m django".to_string(),
            };
            crate::safe::exec_arg("manage.py", "path", &command)?;
            let mut env = Vec::new();
            if command == "python -m django"
                && let Some(s) = &d.settings
            {
                env.push(("DJANGO_SETTINGS_MODULE".to_string(), s.value.clone()));
            }
            let mut why = Vec::new();
            for name in &d.required_env {
                let n = crate::safe::name(
                    name.evidence.file.as_deref().unwrap_or("settings"),
                    &name.evidence.detail,
                    &name.value,
                )?;
                why.push(format!("{n} ({})", name.evidence));
                env.push((n.clone(), placeholder(&n).to_string()));
            }
            let literal = root.value.trim_matches(['"', '\'']);
            let outside = (literal.starts_with('/')
                && literal.len() + 2 == root.value.len()
                && !literal.starts_with("/app/")
                && literal != "/app")
                .then(|| {
                    crate::safe::rel_path(
                        &root.evidence.to_string(),
                        "STATIC_ROOT",
                        literal.trim_start_matches('/'),
                    )
                })
                .transpose()?
                .map(|p| format!("/{p}"));
            if d.whitenoise.is_none() {
                let msg = format!(
                    "STATIC_ROOT is set ({}) but whitenoise is not in MIDDLEWARE: the collected files \
                     are in the image, and a web server in front must serve them under STATIC_URL",
                    root.evidence
                );
                notes.push(msg.clone());
                comments.push(crate::safe::comment_text(&msg)?);
            }
            Some(Collectstatic {
                evidence: crate::safe::comment_text(&root.evidence.to_string())?,
                command,
                env,
                env_evidence: crate::safe::comment_text(&why.join(", "))?,
                outside,
            })
        }
        Some(root) => {
            warnings.push(format!(
                "STATIC_ROOT is set ({}) but dfgen found no manage.py to run collectstatic with",
                root.evidence
            ));
            None
        }
        None => {
            if d.whitenoise.is_some() {
                warnings.push(
                    "whitenoise is in MIDDLEWARE but STATIC_ROOT is not set: collectstatic has \
                     nowhere to write, so static files will not be served"
                        .to_string(),
                );
            }
            None
        }
    };
    let migrate = match (&manage, p.installable) {
        (Some(m), false) => format!("python {m} migrate"),
        _ => "python -m django migrate".to_string(),
    };
    comments.push(crate::safe::comment_text(&format!(
        "Migrations are not run at build time (no database there): run them once per release, \
         e.g. `docker run --rm --env-file .env IMAGE {migrate}`"
    ))?);
    Ok(Some(DjangoPlan {
        collectstatic,
        comments,
    }))
}

/// The installer version from the preset; Poetry matched to the lockfile's
/// format: a lock written by Poetry 1 (`lock-version` 1.x or 2.0) gets the
/// preset's Poetry 1 (`tools.poetry1`), since Poetry 2 hashes pyproject.toml
/// differently and refuses such a lock as out of date.
fn tool_version(
    p: &PythonProject,
    tools: &std::collections::BTreeMap<String, String>,
) -> (Option<String>, Option<String>) {
    let tool = p.tool.value.as_str();
    if tool == "poetry"
        && let Some(lv) = &p.poetry_lock_version
        && let Some(v1) = tools.get("poetry1")
    {
        let old = crate::version::parse_numbers(&lv.value)
            .is_some_and(|n| n.first().copied().unwrap_or(0) < 2 || n == [2, 0]);
        if old {
            return (
                Some(v1.clone()),
                Some(format!(
                    "Poetry {v1}: the lockfile was written by Poetry 1 (lock-version {}, {}), which Poetry 2 would refuse as out of date",
                    lv.value, lv.evidence
                )),
            );
        }
    }
    (tools.get(tool).cloned(), None)
}
