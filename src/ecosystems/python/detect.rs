//! Python: pyproject.toml (PEP 621 and Poetry), uv.lock, poetry.lock,
//! requirements.txt, .python-version / runtime.txt, and the app object of
//! FastAPI, Flask or Django.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use toml_edit::{DocumentMut, Item};

use crate::error::{Error, Result};
use crate::evidence::{Evidence, Fact};
use crate::formats::parse_toml;
use crate::ports::{self as hints, PortHints};
use crate::project::{self, MANIFEST_CAP, Project};
use crate::safe;
use crate::version::{Declared, Dialect};

use super::frameworks::{self, AppTarget, DjangoFacts};
use super::frontend::{self, ServedFrontEnd};
use super::indexes::{self, PrivateIndex};
use super::servers::{self, Bind};
use super::wheels;
use super::workspace::{self, Workspace};

#[derive(Debug, Clone, Serialize)]
pub struct PythonProject {
    /// uv, poetry or pip.
    pub tool: Fact<String>,
    pub lockfile: Option<String>,
    /// requirements files to mount for a pip install (the file and those it includes).
    pub requirements: Vec<String>,
    pub version: Declared,
    /// The project itself is installable (has a build backend), so it goes into the venv.
    pub installable: bool,
    pub framework: Option<Fact<String>>,
    /// `module:attribute` of the ASGI/WSGI app (Django: the wsgi module).
    pub app: Option<Fact<String>>,
    /// Directory to import the app from when it is not the project root (src layout).
    pub app_dir: Option<String>,
    /// `app` names a factory function (`module:create_app`), not the app object.
    pub app_factory: bool,
    /// Django's settings facts (static files, hosts, ASGI).
    pub django: Option<DjangoFacts>,
    /// A package index other than PyPI: its credentials come from a build secret.
    pub private_index: Option<PrivateIndex>,
    /// A uv workspace whose member holds the app (the build context is the root).
    pub workspace: Option<Workspace>,
    /// poetry.lock's `lock-version` (Poetry 1 wrote 1.1 and 2.0; Poetry 2 writes 2.1).
    pub poetry_lock_version: Option<Fact<String>>,
    /// Binds read from server config files (`gunicorn.conf.py`, the config or
    /// ini file the deployment command names), by file.
    pub server_binds: BTreeMap<String, Bind>,
    pub scripts: Vec<Fact<String>>,
    /// A package with `__main__.py`, runnable as `python -m NAME`.
    pub module_main: Option<Fact<String>>,
    pub main_file: Option<Fact<String>>,
    pub dependencies: BTreeSet<String>,
    pub ports: PortHints,
    /// A JS front end whose build output the app serves (built in a Node stage).
    pub front_end: Option<ServedFrontEnd>,
    /// Why a directory the app serves is not built as its front end.
    pub front_end_notes: Vec<String>,
}

impl PythonProject {
    pub fn depends_on(&self, name: &str) -> bool {
        self.dependencies.contains(name)
    }
}

pub fn detect(p: &Project) -> Result<Option<PythonProject>> {
    let pyproject = match p.read_opt("pyproject.toml", MANIFEST_CAP)? {
        Some(text) => Some(parse_toml("pyproject.toml", &text)?),
        None => None,
    };
    if let Some(ws) = workspace::find(p, pyproject.as_ref())? {
        let mut m = detect_member(p, ws)?;
        if let Some(m) = m.as_mut()
            && m.private_index.is_none()
        {
            m.private_index = indexes::find(p, pyproject.as_ref(), None, &[])?;
        }
        return Ok(m);
    }
    let has_req = p.has_file("requirements.txt");
    let pipfile = match p.read_opt("Pipfile", MANIFEST_CAP)? {
        Some(text) => Some(parse_toml("Pipfile", &text)?),
        None => None,
    };
    let has_pipfile_lock = pipfile.is_some() && p.has_file("Pipfile.lock");
    let doc = pyproject.as_ref();
    let has_project = doc.is_some_and(|d| d.get("project").is_some());
    let has_poetry = doc.is_some_and(|d| d.get("tool").and_then(|t| t.get("poetry")).is_some());
    if !has_project && !has_poetry && !has_req && pipfile.is_none() {
        return Ok(None); // no pyproject, or one that only configures tools
    }

    let (tool, lockfile) = if p.has_file("uv.lock") {
        (
            Fact::in_file("uv".to_string(), "uv.lock", "lockfile"),
            Some("uv.lock".to_string()),
        )
    } else if p.has_file("poetry.lock") {
        (
            Fact::in_file("poetry".to_string(), "poetry.lock", "lockfile"),
            Some("poetry.lock".to_string()),
        )
    } else if p.has_file("pdm.lock") && has_project {
        (
            Fact::in_file("pdm".to_string(), "pdm.lock", "lockfile"),
            Some("pdm.lock".to_string()),
        )
    } else if has_pipfile_lock {
        (
            Fact::in_file("pipenv".to_string(), "Pipfile.lock", "lockfile"),
            Some("Pipfile.lock".to_string()),
        )
    } else if has_poetry {
        (
            Fact::in_file("poetry".to_string(), "pyproject.toml", "[tool.poetry]"),
            None,
        )
    } else if has_req {
        (
            Fact::in_file("pip".to_string(), "requirements.txt", "requirements file"),
            Some("requirements.txt".to_string()),
        )
    } else if pipfile.is_some() && !has_project {
        // Pipenv resolves the Pipfile at build time (no lock to follow).
        (
            Fact::in_file("pipenv".to_string(), "Pipfile", "no Pipfile.lock"),
            None,
        )
    } else {
        (
            Fact::in_file(
                "pip".to_string(),
                "pyproject.toml",
                "[project], no lockfile",
            ),
            None,
        )
    };

    let mut dependencies = BTreeSet::new();
    let mut requirements = Vec::new();
    if let Some(d) = doc {
        collect_pyproject_deps(d, &mut dependencies)?;
    }
    if tool.value == "pipenv"
        && let Some(packages) = pipfile
            .as_ref()
            .and_then(|d| d.get("packages"))
            .and_then(Item::as_table_like)
    {
        for (k, v) in packages.iter() {
            let name = normalize(k);
            if let Some(extras) = v.get("extras").and_then(Item::as_array) {
                for e in extras.iter().filter_map(|e| e.as_str()) {
                    dependencies.insert(format!("{name}[{}]", normalize(e)));
                }
            }
            dependencies.insert(name);
        }
    }
    if tool.value == "pip" && has_req {
        read_requirements(
            p,
            "requirements.txt",
            0,
            &mut requirements,
            &mut dependencies,
        )?;
    }

    let installable = doc.is_some_and(|d| {
        let poetry_package_mode = d
            .get("tool")
            .and_then(|t| t.get("poetry"))
            .and_then(|t| t.get("package-mode"))
            .and_then(Item::as_bool)
            .unwrap_or(true);
        let pdm_distribution = d
            .get("tool")
            .and_then(|t| t.get("pdm"))
            .and_then(|t| t.get("distribution"))
            .and_then(Item::as_bool)
            .unwrap_or(true);
        d.get("build-system").is_some() && poetry_package_mode && pdm_distribution
    }) && !matches!(tool.value.as_str(), "pip" | "pipenv")
        || (tool.value == "pip" && !has_req && has_project);

    let scripts = console_scripts(doc)?;
    let version = match pipfile_python(pipfile.as_ref().filter(|_| tool.value == "pipenv"))? {
        Some(v) if !p.has_file(".python-version") => v,
        _ => python_version(p, doc)?,
    };
    let version = narrow_to_wheels(p, version, lockfile.as_deref())?;

    let sources = python_sources(p);
    let framework = ["django", "fastapi", "starlette", "flask"]
        .into_iter()
        .find(|f| dependencies.contains(*f));
    let evidence_file = if has_req && tool.value == "pip" {
        "requirements.txt"
    } else if tool.value == "pipenv" {
        "Pipfile"
    } else {
        "pyproject.toml"
    };
    let framework_fact =
        framework.map(|f| Fact::in_file(f.to_string(), evidence_file, "dependencies"));
    let mut django = None;
    let app = match framework {
        Some("fastapi") => match fastapi_entrypoint(doc)? {
            Some(t) => Some(t),
            None => frameworks::find_app(p, &sources, &["FastAPI"])?,
        },
        Some("starlette") => frameworks::find_app(p, &sources, &["Starlette"])?,
        Some("flask") => frameworks::find_app(p, &sources, &["Flask"])?,
        Some("django") => {
            let (wsgi, facts) = frameworks::find_django(p, &sources)?;
            django = Some(facts);
            wsgi
        }
        _ => None,
    };
    let (app, app_dir, app_factory) = match app {
        Some(a) => (Some(a.target), a.dir, a.factory),
        None => (None, None, false),
    };
    let mut front_end_notes = Vec::new();
    let front_end = if framework.is_some() {
        let django_base = django
            .as_ref()
            .and_then(|d: &DjangoFacts| d.manage_dir.as_deref());
        frontend::find(p, &sources, django_base, &mut front_end_notes)?
    } else {
        None
    };
    let module_main = find_module_main(p)?;
    let main_file = ["main.py", "app.py"]
        .iter()
        .find(|f| p.has_file(f))
        .map(|f| Fact::in_file(f.to_string(), f, "conventional entry file"));
    let ports = hints::scan(p, &sources);
    let server_binds = server_binds(p)?;
    let private_index = indexes::find(p, doc, pipfile.as_ref(), &requirements)?;
    let poetry_lock_version = if lockfile.as_deref() == Some("poetry.lock") {
        let text = p.read("poetry.lock", crate::project::LOCKFILE_CAP)?;
        text.lines().enumerate().find_map(|(i, l)| {
            let v = l
                .strip_prefix("lock-version")?
                .trim_start()
                .strip_prefix('=')?;
            Some(Fact::in_file(
                v.trim().trim_matches('"').to_string(),
                "poetry.lock",
                format!("metadata.lock-version, line {}", i + 1),
            ))
        })
    } else {
        None
    };
    Ok(Some(PythonProject {
        tool,
        lockfile,
        requirements,
        version,
        installable,
        framework: framework_fact,
        app,
        app_dir,
        app_factory,
        django,
        server_binds,
        poetry_lock_version,
        workspace: None,
        private_index,
        scripts,
        module_main,
        main_file,
        dependencies,
        ports,
        front_end,
        front_end_notes,
    }))
}

/// The app member of a uv workspace, detected on its own, then set to build
/// from the workspace root: uv with the root's lockfile, paths under the member.
fn detect_member(p: &Project, ws: Workspace) -> Result<Option<PythonProject>> {
    let dir = ws.member.value.clone();
    let sub = Project::open(&p.root().join(&dir))?;
    let Some(mut m) = detect(&sub)? else {
        return Err(Error::parse(
            format!("{dir}/pyproject.toml"),
            "the workspace member has no [project] table",
        ));
    };
    let prefix = |f: &mut Option<String>| {
        if let Some(file) = f {
            *file = project::join(&dir, file);
        }
    };
    m.tool = Fact::in_file("uv".to_string(), "uv.lock", "lockfile (workspace root)");
    m.lockfile = Some("uv.lock".to_string());
    m.requirements.clear();
    let doc = sub
        .read_opt("pyproject.toml", MANIFEST_CAP)?
        .map(|t| parse_toml(&format!("{dir}/pyproject.toml"), &t))
        .transpose()?;
    m.installable = doc.is_some_and(|d| d.get("build-system").is_some());
    if !m.installable {
        // Imported from the member's directory inside the workspace copy.
        m.app_dir = Some(match &m.app_dir {
            Some(d) => project::join(&dir, d),
            None => dir.clone(),
        });
    }
    for f in [&mut m.app, &mut m.framework].into_iter().flatten() {
        prefix(&mut f.evidence.file);
    }
    for f in m.scripts.iter_mut() {
        prefix(&mut f.evidence.file);
    }
    if let Some(port) = &mut m.ports.port {
        prefix(&mut port.evidence.file);
    }
    if let Declared::Range { evidence, .. } | Declared::Minimum { evidence, .. } = &mut m.version {
        prefix(&mut evidence.file);
    }
    if p.has_file(".python-version") || p.has_file(".tool-versions") {
        // A version file at the workspace root applies to every member.
        if let v @ (Declared::Pin { .. } | Declared::Alias { .. }) = python_version(p, None)? {
            m.version = v;
        }
    }
    m.version = narrow_to_wheels(p, m.version, Some("uv.lock"))?;
    if let Some(s) = m.front_end.take() {
        m.front_end_notes.push(format!(
            "{dir}/{} serves {dir}/{}, built by npm: dfgen does not build the front ends of uv workspace members",
            s.served.evidence, s.front_end.output
        ));
    }
    m.workspace = Some(ws);
    Ok(Some(m))
}

/// A range (or nothing) narrowed to the Python minors every locked package
/// with binary wheels has wheels for (see `wheels`).
fn narrow_to_wheels(p: &Project, version: Declared, lockfile: Option<&str>) -> Result<Declared> {
    match lockfile {
        Some(lock @ ("uv.lock" | "poetry.lock" | "pdm.lock")) => {
            let text = p.read(lock, crate::project::LOCKFILE_CAP)?;
            Ok(wheels::narrow(version, lock, &text))
        }
        _ => Ok(version),
    }
}

/// PEP 503 normalisation, enough to compare names: lower case, `_`/`.` → `-`.
fn normalize(name: &str) -> String {
    name.trim().to_ascii_lowercase().replace(['_', '.'], "-")
}

/// The distribution name at the start of a PEP 508 requirement, with extras
/// folded in as `name[extra]` entries too (`fastapi[standard]` brings uvicorn).
fn requirement_names(req: &str, out: &mut BTreeSet<String>) {
    let req = req.trim();
    let end = req
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(req.len());
    let name = normalize(&req[..end]);
    if name.is_empty() {
        return;
    }
    if let Some(extras) = req[end..].trim_start().strip_prefix('[')
        && let Some(close) = extras.find(']')
    {
        for extra in extras[..close].split(',') {
            out.insert(format!("{name}[{}]", normalize(extra)));
        }
    }
    out.insert(name);
}

fn collect_pyproject_deps(d: &DocumentMut, out: &mut BTreeSet<String>) -> Result<()> {
    if let Some(deps) = d.get("project").and_then(|p| p.get("dependencies")) {
        let arr = deps.as_array().ok_or_else(|| {
            Error::field("pyproject.toml", "project.dependencies", "is not an array")
        })?;
        for v in arr {
            if let Some(s) = v.as_str() {
                requirement_names(s, out);
            }
        }
    }
    if let Some(tbl) = d
        .get("tool")
        .and_then(|t| t.get("poetry"))
        .and_then(|t| t.get("dependencies"))
        .and_then(Item::as_table_like)
    {
        for (k, v) in tbl.iter() {
            if k == "python" {
                continue;
            }
            let name = normalize(k);
            if let Some(extras) = v.get("extras").and_then(Item::as_array) {
                for e in extras.iter().filter_map(|e| e.as_str()) {
                    out.insert(format!("{name}[{}]", normalize(e)));
                }
            }
            out.insert(name);
        }
    }
    Ok(())
}

/// requirements.txt and the files it includes with -r/-c (which the install
/// needs to see, so they are mounted too).
fn read_requirements(
    p: &Project,
    file: &str,
    depth: usize,
    files: &mut Vec<String>,
    out: &mut BTreeSet<String>,
) -> Result<()> {
    if files.iter().any(|f| f == file) {
        return Ok(());
    }
    if depth > 4 {
        return Err(Error::parse(file, "requirements includes nest too deep"));
    }
    let text = p.read(file, MANIFEST_CAP)?;
    files.push(file.to_string());
    let dir = file.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split(" #").next().unwrap_or("").trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let field = format!("line {}", i + 1);
        if let Some(rest) = line
            .strip_prefix("-r ")
            .or_else(|| line.strip_prefix("--requirement "))
            .or_else(|| line.strip_prefix("-c "))
            .or_else(|| line.strip_prefix("--constraint "))
        {
            let inc = safe::rel_path(file, &field, &project::join(dir, rest.trim()))?;
            if !p.has_file(&inc) {
                return Err(Error::field(
                    file,
                    field,
                    format!("includes {inc}, which does not exist"),
                ));
            }
            read_requirements(p, &inc, depth + 1, files, out)?;
        } else if line.starts_with("-e") || line.starts_with("--editable") || line.starts_with('.')
        {
            return Err(Error::field(
                file,
                field,
                format!(
                    "{line:?} installs the project itself from source, which a dependency layer \
                     cannot do; list only dependencies in requirements.txt"
                ),
            ));
        } else if !line.starts_with('-') {
            requirement_names(line, out);
        }
    }
    Ok(())
}

fn console_scripts(doc: Option<&DocumentMut>) -> Result<Vec<Fact<String>>> {
    let Some(d) = doc else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    let tables = [
        (
            d.get("project").and_then(|p| p.get("scripts")),
            "project.scripts",
        ),
        (
            d.get("tool")
                .and_then(|t| t.get("poetry"))
                .and_then(|t| t.get("scripts")),
            "tool.poetry.scripts",
        ),
    ];
    for (item, field) in tables {
        let Some(tbl) = item.and_then(Item::as_table_like) else {
            continue;
        };
        for (name, _) in tbl.iter() {
            let name = safe::name("pyproject.toml", &format!("{field}.{name}"), name)?;
            if !out.iter().any(|f: &Fact<String>| f.value == name) {
                out.push(Fact::in_file(name, "pyproject.toml", field));
            }
        }
    }
    Ok(out)
}

/// Pipfile `[requires] python_full_version` / `python_version`.
fn pipfile_python(doc: Option<&DocumentMut>) -> Result<Option<Declared>> {
    let Some(req) = doc.and_then(|d| d.get("requires")) else {
        return Ok(None);
    };
    for key in ["python_full_version", "python_version"] {
        let Some(item) = req.get(key) else { continue };
        let field = format!("requires.{key}");
        let v = item
            .as_str()
            .ok_or_else(|| Error::field("Pipfile", &field, "is not a string"))?;
        if crate::version::parse_numbers(v).is_none() {
            return Err(Error::field(
                "Pipfile",
                &field,
                format!("{v:?} is not a Python version like 3.13"),
            ));
        }
        return Ok(Some(Declared::Pin {
            version: v.to_string(),
            evidence: Evidence::file("Pipfile", field),
        }));
    }
    Ok(None)
}

fn python_version(p: &Project, doc: Option<&DocumentMut>) -> Result<Declared> {
    if let Some(text) = p.read_opt(".python-version", MANIFEST_CAP)? {
        let v = text
            .lines()
            .map(|l| l.split('#').next().unwrap_or("").trim())
            .find(|l| !l.is_empty())
            .ok_or_else(|| Error::parse(".python-version", "holds no version"))?;
        if crate::version::parse_numbers(v).is_none() {
            return Err(Error::field(
                ".python-version",
                "version",
                format!(
                    "{v:?} is not a CPython version like 3.13 (dfgen builds on the official python images)"
                ),
            ));
        }
        return Ok(Declared::Pin {
            version: v.to_string(),
            evidence: Evidence::file(".python-version", "version"),
        });
    }
    if let Some(pin) = crate::version::tool_versions(p, &["python"])? {
        return Ok(pin);
    }
    if let Some(d) = doc {
        if let Some(item) = d.get("project").and_then(|p| p.get("requires-python")) {
            let text = item.as_str().ok_or_else(|| {
                Error::field(
                    "pyproject.toml",
                    "project.requires-python",
                    "is not a string",
                )
            })?;
            return Ok(Declared::Range {
                text: text.to_string(),
                evidence: Evidence::file("pyproject.toml", "project.requires-python"),
                dialect: Dialect::Pep440,
            });
        }
        if let Some(item) = d
            .get("tool")
            .and_then(|t| t.get("poetry"))
            .and_then(|t| t.get("dependencies"))
            .and_then(|t| t.get("python"))
        {
            let text = item.as_str().ok_or_else(|| {
                Error::field(
                    "pyproject.toml",
                    "tool.poetry.dependencies.python",
                    "is not a string",
                )
            })?;
            // Poetry takes both its own caret/tilde ranges and PEP 440
            // specifiers (`~=3.11`, `==3.12.*`, `!=3.12.0`).
            let pep440 = ["~=", "==", "!="].iter().any(|op| text.contains(op))
                && !text.contains('^')
                && !text.contains("||");
            return Ok(Declared::Range {
                text: text.to_string(),
                evidence: Evidence::file("pyproject.toml", "tool.poetry.dependencies.python"),
                dialect: if pep440 {
                    Dialect::Pep440
                } else {
                    Dialect::Semver
                },
            });
        }
    }
    if let Some(text) = p.read_opt("runtime.txt", MANIFEST_CAP)? {
        let v = text
            .trim()
            .strip_prefix("python-")
            .unwrap_or(text.trim())
            .to_string();
        if crate::version::parse_numbers(&v).is_none() {
            return Err(Error::field(
                "runtime.txt",
                "version",
                format!("{:?} is not python-X.Y[.Z]", text.trim()),
            ));
        }
        return Ok(Declared::Pin {
            version: v,
            evidence: Evidence::file("runtime.txt", "version"),
        });
    }
    Ok(Declared::Nothing)
}

fn python_sources(p: &Project) -> Vec<String> {
    let mut files = p.source_files("", &[".py"], 3, 400);
    files.retain(|f| {
        !f.starts_with("tests/")
            && !f.starts_with("test/")
            && !f.contains("/tests/")
            && !f.contains("/migrations/")
    });
    files
}

/// `[tool.fastapi] entrypoint = "pkg.main:app"`: where `fastapi run` looks first.
fn fastapi_entrypoint(doc: Option<&DocumentMut>) -> Result<Option<AppTarget>> {
    let Some(item) = doc
        .and_then(|d| d.get("tool"))
        .and_then(|t| t.get("fastapi"))
        .and_then(|t| t.get("entrypoint"))
    else {
        return Ok(None);
    };
    let field = "tool.fastapi.entrypoint";
    let value = item
        .as_str()
        .ok_or_else(|| Error::field("pyproject.toml", field, "is not a string"))?;
    let Some((module, attr)) = value.split_once(':') else {
        return Err(Error::field(
            "pyproject.toml",
            field,
            format!("{value:?} is not `module:attribute`"),
        ));
    };
    safe::name("pyproject.toml", field, &format!("{module}/{attr}"))?;
    Ok(Some(AppTarget {
        target: Fact::in_file(value.to_string(), "pyproject.toml", field),
        dir: None,
        factory: false,
    }))
}

/// The binds of `gunicorn.conf.py` and of the config file the deployment
/// command names (`gunicorn -c FILE`, `uwsgi --ini FILE`).
fn server_binds(p: &Project) -> Result<BTreeMap<String, Bind>> {
    let mut out = BTreeMap::new();
    if let Some(b) = servers::gunicorn(p, "gunicorn.conf.py")? {
        out.insert("gunicorn.conf.py".to_string(), b);
    }
    let deploy = crate::deploy::read(p)?;
    let Some(cmd) = &deploy.command else {
        return Ok(out);
    };
    let origin = cmd.evidence.file.as_deref().unwrap_or("deployment file");
    let words = safe::split_command(origin, &cmd.value).unwrap_or_default();
    let (file, bind) = match words.first().map(String::as_str) {
        Some("gunicorn") => {
            let file = servers::gunicorn_config_file(&words);
            let file = safe::rel_path(origin, &cmd.evidence.detail, &file)?;
            let bind = servers::gunicorn(p, &file)?;
            (file, bind)
        }
        Some("uwsgi") => match servers::uwsgi_ini_file(&words) {
            Some(file) => {
                let file = safe::rel_path(origin, &cmd.evidence.detail, &file)?;
                let bind = servers::uwsgi(p, &file)?;
                (file, bind)
            }
            None => return Ok(out),
        },
        _ => return Ok(out),
    };
    if let Some(b) = bind {
        out.insert(file, b);
    }
    Ok(out)
}

fn find_module_main(p: &Project) -> Result<Option<Fact<String>>> {
    for base in ["", "src"] {
        for e in p.list(base)? {
            if !e.is_dir || project::is_skipped_dir(&e.name) || e.name == "tests" {
                continue;
            }
            let main = project::join(&project::join(base, &e.name), "__main__.py");
            if p.has_file(&main) {
                let name = safe::name(&main, "package name", &e.name)?;
                return Ok(Some(Fact::in_file(name, &main, "runnable package")));
            }
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_names_and_extras() {
        let mut s = BTreeSet::new();
        requirement_names("FastAPI[standard]>=0.110 ; python_version>'3.8'", &mut s);
        requirement_names("Flask_Login==0.6", &mut s);
        requirement_names("gunicorn", &mut s);
        assert!(s.contains("fastapi") && s.contains("fastapi[standard]"));
        assert!(s.contains("flask-login") && s.contains("gunicorn"));
    }
}
