//! Python: pyproject.toml (PEP 621 and Poetry), uv.lock, poetry.lock,
//! requirements.txt, .python-version / runtime.txt, and the app object of
//! FastAPI, Flask or Django.

use std::collections::BTreeSet;

use serde::Serialize;
use toml_edit::{DocumentMut, Item};

use crate::error::{Error, Result};
use crate::evidence::{Evidence, Fact};
use crate::formats::parse_toml;
use crate::ports::{self as hints, PortHints};
use crate::project::{self, MANIFEST_CAP, Project};
use crate::safe;
use crate::version::{Declared, Dialect};

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
    pub scripts: Vec<Fact<String>>,
    /// A package with `__main__.py`, runnable as `python -m NAME`.
    pub module_main: Option<Fact<String>>,
    pub main_file: Option<Fact<String>>,
    pub dependencies: BTreeSet<String>,
    pub ports: PortHints,
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
    let has_req = p.has_file("requirements.txt");
    let doc = pyproject.as_ref();
    let has_project = doc.is_some_and(|d| d.get("project").is_some());
    let has_poetry = doc.is_some_and(|d| d.get("tool").and_then(|t| t.get("poetry")).is_some());
    if !has_project && !has_poetry && !has_req {
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
        d.get("build-system").is_some() && poetry_package_mode
    }) && tool.value != "pip"
        || (tool.value == "pip" && !has_req && has_project);

    let scripts = console_scripts(doc)?;
    let version = python_version(p, doc)?;

    let sources = python_sources(p);
    let framework = if dependencies.contains("django") {
        Some("django")
    } else if dependencies.contains("fastapi") {
        Some("fastapi")
    } else if dependencies.contains("flask") {
        Some("flask")
    } else {
        None
    };
    let evidence_file = if has_req && tool.value == "pip" {
        "requirements.txt"
    } else {
        "pyproject.toml"
    };
    let framework_fact =
        framework.map(|f| Fact::in_file(f.to_string(), evidence_file, "dependencies"));
    let (app, app_dir) = match framework {
        Some("fastapi") => find_app_object(p, &sources, "FastAPI(")?,
        Some("flask") => find_app_object(p, &sources, "Flask(")?,
        Some("django") => find_django_wsgi(p, &sources)?,
        _ => (None, None),
    };
    let module_main = find_module_main(p)?;
    let main_file = ["main.py", "app.py"]
        .iter()
        .find(|f| p.has_file(f))
        .map(|f| Fact::in_file(f.to_string(), f, "conventional entry file"));
    let ports = hints::scan(p, &sources);
    Ok(Some(PythonProject {
        tool,
        lockfile,
        requirements,
        version,
        installable,
        framework: framework_fact,
        app,
        app_dir,
        scripts,
        module_main,
        main_file,
        dependencies,
        ports,
    }))
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
            return Ok(Declared::Range {
                text: text.to_string(),
                evidence: Evidence::file("pyproject.toml", "tool.poetry.dependencies.python"),
                dialect: Dialect::Semver,
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

/// `foo/bar.py` → `foo.bar`, stripping a leading `src/` (returned as the dir to import from).
fn module_of(file: &str) -> (String, Option<String>) {
    let path = file.trim_end_matches(".py");
    let (dir, path) = match path.strip_prefix("src/") {
        Some(rest) => (Some("src".to_string()), rest),
        None => (None, path),
    };
    let module = path.trim_end_matches("/__init__").replace('/', ".");
    (module, dir)
}

/// `NAME = FastAPI(` / `NAME = Flask(` at the start of a line: the app object.
fn find_app_object(
    p: &Project,
    sources: &[String],
    ctor: &str,
) -> Result<(Option<Fact<String>>, Option<String>)> {
    for file in sources {
        let Some(text) = p.read_source(file) else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            let Some((lhs, rhs)) = line.split_once('=') else {
                continue;
            };
            let var = lhs.trim();
            let rhs = rhs.trim_start();
            let is_call = rhs.starts_with(ctor)
                || rhs
                    .split_once('.')
                    .is_some_and(|(_, r)| r.starts_with(ctor));
            if line.starts_with(char::is_whitespace)
                || !is_call
                || var.is_empty()
                || !var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                continue;
            }
            let (module, dir) = module_of(file);
            let target = format!("{module}:{var}");
            let target = safe::name(file, &format!("line {}", i + 1), &target.replace(':', "/"))
                .map(|_| target)?;
            return Ok((
                Some(Fact::in_file(target, file, format!("line {}", i + 1))),
                dir,
            ));
        }
    }
    Ok((None, None))
}

/// Django's WSGI module: from WSGI_APPLICATION in a settings module, else the
/// package that holds both wsgi.py and settings.py.
fn find_django_wsgi(
    p: &Project,
    sources: &[String],
) -> Result<(Option<Fact<String>>, Option<String>)> {
    for file in sources
        .iter()
        .filter(|f| f.ends_with("settings.py") || f.contains("/settings/"))
    {
        let Some(text) = p.read_source(file) else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            let t = line.trim();
            if let Some(rest) = t.strip_prefix("WSGI_APPLICATION") {
                let value = rest
                    .trim_start()
                    .trim_start_matches('=')
                    .trim()
                    .trim_matches(['"', '\'']);
                let module = value.strip_suffix(".application").unwrap_or(value);
                let field = format!("WSGI_APPLICATION, line {}", i + 1);
                safe::name(file, &field, module)?;
                let dir = file.starts_with("src/").then(|| "src".to_string());
                return Ok((Some(Fact::in_file(module.to_string(), file, field)), dir));
            }
        }
    }
    for file in sources.iter().filter(|f| f.ends_with("/wsgi.py")) {
        let pkg_dir = file.trim_end_matches("/wsgi.py");
        if p.has_file(&format!("{pkg_dir}/settings.py")) {
            let (module, dir) = module_of(&format!("{pkg_dir}/wsgi.py"));
            return Ok((
                Some(Fact::in_file(
                    module,
                    file,
                    "WSGI module next to settings.py",
                )),
                dir,
            ));
        }
    }
    Ok((None, None))
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

    #[test]
    fn modules_from_paths() {
        assert_eq!(module_of("app/main.py"), ("app.main".into(), None));
        assert_eq!(
            module_of("src/shop/api.py"),
            ("shop.api".into(), Some("src".into()))
        );
        assert_eq!(module_of("main.py"), ("main".into(), None));
    }
}
