//! Web frameworks' app objects: FastAPI/Starlette/Flask app objects and the
//! factories that build them, Django's WSGI/ASGI modules and the settings that
//! matter to an image (STATIC_ROOT, ALLOWED_HOSTS, whitenoise).

use serde::Serialize;

use crate::error::Result;
use crate::evidence::Fact;
use crate::project::Project;
use crate::safe;

/// Where the app object is.
#[derive(Debug, Clone, Serialize)]
pub struct AppTarget {
    /// `module:attribute` (a factory: `module:function`).
    pub target: Fact<String>,
    /// Directory to import from when it is not the project root (src layout).
    pub dir: Option<String>,
    /// `target` names a factory function to call, not the app object.
    pub factory: bool,
}

/// `foo/bar.py` → `foo.bar`, stripping a leading `src/` (returned as the dir to import from).
pub fn module_of(file: &str) -> (String, Option<String>) {
    let path = file.trim_end_matches(".py");
    let (dir, path) = match path.strip_prefix("src/") {
        Some(rest) => (Some("src".to_string()), rest),
        None => (None, path),
    };
    let module = path.trim_end_matches("/__init__").replace('/', ".");
    (module, dir)
}

fn is_ident(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !s.starts_with(|c: char| c.is_ascii_digit())
}

/// `NAME = <callee>(` at the start of a line, where callee (or its last dotted
/// part) is one of `callees`: the assigned name.
fn assignment_of<'a>(line: &'a str, callees: &[&str]) -> Option<&'a str> {
    if line.starts_with(char::is_whitespace) {
        return None;
    }
    let (lhs, rhs) = line.split_once('=')?;
    let var = lhs.trim();
    // `NAME: Flask = Flask(...)` annotations.
    let var = var.split(':').next().unwrap_or(var).trim();
    let rhs = rhs.trim_start();
    let call = rhs.split('(').next()?;
    if !rhs.contains('(') {
        return None;
    }
    let last = call.rsplit('.').next().unwrap_or(call).trim();
    (is_ident(var) && callees.contains(&last)).then_some(var)
}

/// A module-level function whose body calls `ctor` and that can be called
/// without arguments (a factory a server can call): its name.
fn factories(text: &str, ctors: &[&str]) -> Vec<(String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = line
            .strip_prefix("def ")
            .or_else(|| line.strip_prefix("async def "))
        else {
            continue;
        };
        let Some((name, args)) = rest.split_once('(') else {
            continue;
        };
        let Some((args, _)) = args.split_once(')') else {
            continue; // a multi-line signature: not a zero-argument factory we can vouch for
        };
        // Every parameter has a default (or there are none).
        let callable = args
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty() && *a != "*" && *a != "/")
            .all(|a| a.contains('=') || a.starts_with("**") || a.starts_with('*'));
        if !is_ident(name.trim()) || !callable {
            continue;
        }
        let body = lines[i + 1..]
            .iter()
            .take_while(|l| l.trim().is_empty() || l.starts_with(char::is_whitespace));
        if body
            .clone()
            .any(|l| ctors.iter().any(|c| l.contains(&format!("{c}("))))
        {
            out.push((name.trim().to_string(), i + 1));
        }
    }
    out
}

/// The app object of a framework whose apps are built by `ctors`
/// (`FastAPI`, `Flask`...): `NAME = Ctor(...)` at module level first, then
/// `NAME = factory()` at module level, then the factory itself.
pub fn find_app(p: &Project, sources: &[String], ctors: &[&str]) -> Result<Option<AppTarget>> {
    let mut found_factories = Vec::new();
    for file in sources {
        let Some(text) = p.read_source(file) else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            if let Some(var) = assignment_of(line, ctors) {
                return target(file, i + 1, var, false).map(Some);
            }
        }
        for (name, line) in factories(&text, ctors) {
            found_factories.push((file.clone(), name, line));
        }
    }
    if found_factories.is_empty() {
        return Ok(None);
    }
    let names: Vec<&str> = found_factories.iter().map(|(_, n, _)| n.as_str()).collect();
    for file in sources {
        let Some(text) = p.read_source(file) else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            if let Some(var) = assignment_of(line, &names) {
                return target(file, i + 1, var, false).map(Some);
            }
        }
    }
    let (file, name, line) = &found_factories[0];
    target(file, *line, name, true).map(Some)
}

fn target(file: &str, line: usize, var: &str, factory: bool) -> Result<AppTarget> {
    let (module, dir) = module_of(file);
    let t = format!("{module}:{var}");
    safe::name(file, &format!("line {line}"), &t.replace(':', "/"))?;
    let detail = if factory {
        format!("app factory, line {line}")
    } else {
        format!("line {line}")
    };
    Ok(AppTarget {
        target: Fact::in_file(t, file, detail),
        dir,
        factory,
    })
}

/// What Django's settings say that the image depends on.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DjangoFacts {
    /// The settings module (`mysite.settings`).
    pub settings: Option<Fact<String>>,
    /// `STATIC_ROOT` is set: `collectstatic` has somewhere to write.
    pub static_root: Option<Fact<String>>,
    /// whitenoise's middleware serves the collected files.
    pub whitenoise: Option<Fact<String>>,
    /// `ASGI_APPLICATION` or an `asgi.py` next to the settings.
    pub asgi: Option<Fact<String>>,
    /// `ALLOWED_HOSTS` read as written, for a warning when it is empty or local only.
    pub allowed_hosts: Option<Fact<String>>,
    /// Directory that holds `manage.py` (empty: the root).
    pub manage_dir: Option<String>,
    /// Environment variables the settings need at import (no default), with
    /// where: `collectstatic` gets harmless placeholders for them.
    pub required_env: Vec<Fact<String>>,
}

/// Environment variables a settings line reads without a default (so importing
/// the settings fails without them): `os.environ["X"]`, django-environ's
/// `env("X")`/`env.str("X")`/`env.db()`, decouple's `config("X")`, and
/// `SECRET_KEY = os.environ.get("X")` (Django refuses an empty SECRET_KEY).
pub fn required_env(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let code = line.split(" #").next().unwrap_or(line);
    let quoted = |s: &str| -> Option<String> {
        let s = s.trim_start();
        let q = s.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let rest = &s[1..];
        let end = rest.find(q)?;
        let name = &rest[..end];
        (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .then(|| name.to_string())
    };
    // The argument list of a call starting right after `open`, up to its `)`.
    let args_after = |at: usize| -> &str {
        let rest = &code[at..];
        &rest[..rest.find(')').unwrap_or(rest.len())]
    };
    for (i, _) in code.match_indices("os.environ[") {
        if let Some(n) = quoted(&code[i + "os.environ[".len()..]) {
            out.push(n);
        }
    }
    for call in [
        "env(",
        "env.str(",
        "env.bool(",
        "env.int(",
        "env.list(",
        "env.db(",
        "env.url(",
        "config(",
    ] {
        for (i, _) in code.match_indices(call) {
            // `getenv(`/`environ(` are not django-environ's env().
            if i > 0
                && code[..i]
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
            {
                continue;
            }
            let args = args_after(i + call.len());
            if args.contains("default") || args.contains(',') && call == "config(" {
                continue;
            }
            match quoted(args) {
                Some(n) => out.push(n),
                None if call == "env.db(" && args.trim().is_empty() => {
                    out.push("DATABASE_URL".into())
                }
                None => {}
            }
        }
    }
    if code.starts_with("SECRET_KEY") {
        for call in ["os.environ.get(", "os.getenv("] {
            if let Some(i) = code.find(call) {
                let args = args_after(i + call.len());
                if !args.contains(',')
                    && let Some(n) = quoted(args)
                {
                    out.push(n);
                }
            }
        }
    }
    out
}

fn setting_value<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(name)?;
    let rest = rest.trim_start().strip_prefix('=')?;
    Some(rest.trim())
}

/// Django's WSGI module (from WSGI_APPLICATION in a settings module, else the
/// package that holds both wsgi.py and settings.py) and its settings facts.
pub fn find_django(p: &Project, sources: &[String]) -> Result<(Option<AppTarget>, DjangoFacts)> {
    let mut facts = DjangoFacts {
        manage_dir: sources
            .iter()
            .find(|f| *f == "manage.py" || f.ends_with("/manage.py"))
            .map(|f| {
                f.trim_end_matches("manage.py")
                    .trim_end_matches('/')
                    .to_string()
            }),
        ..Default::default()
    };
    let mut wsgi = None;
    let settings_files: Vec<&String> = sources
        .iter()
        .filter(|f| f.ends_with("settings.py") || f.contains("/settings/"))
        .collect();
    for file in &settings_files {
        let Some(text) = p.read_source(file) else {
            continue;
        };
        let mut here = false;
        for (i, line) in text.lines().enumerate() {
            let field = |name: &str| format!("{name}, line {}", i + 1);
            for name in required_env(line) {
                if !facts.required_env.iter().any(|f| f.value == name) {
                    facts
                        .required_env
                        .push(Fact::in_file(name, file, format!("line {}", i + 1)));
                }
            }
            if let Some(v) = setting_value(line, "WSGI_APPLICATION") {
                let value = v.trim_matches(['"', '\'']);
                let module = value.strip_suffix(".application").unwrap_or(value);
                let f = field("WSGI_APPLICATION");
                safe::name(file, &f, module)?;
                if wsgi.is_none() {
                    wsgi = Some(AppTarget {
                        target: Fact::in_file(module.to_string(), file, f),
                        dir: file.starts_with("src/").then(|| "src".to_string()),
                        factory: false,
                    });
                }
                here = true;
            } else if let Some(v) = setting_value(line, "ASGI_APPLICATION") {
                let value = v.trim_matches(['"', '\'']);
                let module = value.strip_suffix(".application").unwrap_or(value);
                let f = field("ASGI_APPLICATION");
                safe::name(file, &f, module)?;
                facts
                    .asgi
                    .get_or_insert(Fact::in_file(module.to_string(), file, f));
            } else if let Some(v) = setting_value(line, "STATIC_ROOT") {
                if v != "None" && !v.is_empty() {
                    facts.static_root.get_or_insert(Fact::in_file(
                        v.to_string(),
                        file,
                        field("STATIC_ROOT"),
                    ));
                }
                here = true;
            } else if let Some(v) = setting_value(line, "ALLOWED_HOSTS") {
                facts.allowed_hosts.get_or_insert(Fact::in_file(
                    v.to_string(),
                    file,
                    field("ALLOWED_HOSTS"),
                ));
                here = true;
            } else if line.contains("whitenoise.middleware.WhiteNoiseMiddleware") {
                facts.whitenoise.get_or_insert(Fact::in_file(
                    "whitenoise".to_string(),
                    file,
                    field("MIDDLEWARE"),
                ));
            } else if line.starts_with("ROOT_URLCONF") || line.starts_with("INSTALLED_APPS") {
                here = true;
            }
        }
        if here && facts.settings.is_none() {
            let (module, _) = module_of(file);
            facts.settings = Some(Fact::in_file(module, file, "Django settings module"));
        }
    }
    if wsgi.is_none() {
        for file in sources.iter().filter(|f| f.ends_with("/wsgi.py")) {
            let pkg_dir = file.trim_end_matches("/wsgi.py");
            if p.has_file(&format!("{pkg_dir}/settings.py"))
                || p.is_dir(&format!("{pkg_dir}/settings"))
            {
                let (module, dir) = module_of(&format!("{pkg_dir}/wsgi.py"));
                wsgi = Some(AppTarget {
                    target: Fact::in_file(module, file, "WSGI module next to settings.py"),
                    dir,
                    factory: false,
                });
                break;
            }
        }
    }
    // A subfolder that holds manage.py is where Django's modules import from.
    if let (Some(w), Some(dir)) = (&mut wsgi, &facts.manage_dir)
        && !dir.is_empty()
        && w.dir.is_none()
    {
        let prefix = format!("{}.", dir.replace('/', "."));
        if let Some(stripped) = w.target.value.strip_prefix(&prefix) {
            w.target.value = stripped.to_string();
        }
        w.dir = Some(dir.clone());
    }
    if facts.asgi.is_none()
        && let Some(w) = &wsgi
    {
        // asgi.py next to wsgi.py (startproject writes both).
        let module = w.target.value.trim_end_matches(".wsgi");
        let file = format!(
            "{}{}/asgi.py",
            w.dir
                .as_deref()
                .map(|d| format!("{d}/"))
                .unwrap_or_default(),
            module.replace('.', "/")
        );
        if w.target.value.ends_with(".wsgi") && p.has_file(&file) {
            facts.asgi = Some(Fact::in_file(
                format!("{module}.asgi"),
                &file,
                "ASGI module next to wsgi.py",
            ));
        }
    }
    if let (Some(s), Some(dir)) = (&mut facts.settings, &facts.manage_dir)
        && !dir.is_empty()
    {
        let prefix = format!("{}.", dir.replace('/', "."));
        if let Some(stripped) = s.value.strip_prefix(&prefix) {
            s.value = stripped.to_string();
        }
    }
    if let (Some(a), Some(dir)) = (&mut facts.asgi, &facts.manage_dir)
        && !dir.is_empty()
    {
        let prefix = format!("{}.", dir.replace('/', "."));
        if let Some(stripped) = a.value.strip_prefix(&prefix) {
            a.value = stripped.to_string();
        }
    }
    Ok((wsgi, facts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modules_from_paths() {
        assert_eq!(module_of("app/main.py"), ("app.main".into(), None));
        assert_eq!(
            module_of("src/shop/api.py"),
            ("shop.api".into(), Some("src".into()))
        );
        assert_eq!(module_of("main.py"), ("main".into(), None));
    }

    #[test]
    fn factories_need_no_arguments() {
        let text = "def create_app(config=None):\n    app = Flask(__name__)\n    return app\n\
                    def other(x):\n    return Flask(x)\n\
                    def unrelated():\n    return 1\n";
        assert_eq!(factories(text, &["Flask"]), vec![("create_app".into(), 1)]);
    }

    #[test]
    fn settings_env_without_defaults() {
        assert_eq!(
            required_env("SECRET_KEY = os.environ[\"DJANGO_SECRET\"]"),
            vec!["DJANGO_SECRET"]
        );
        assert_eq!(
            required_env("SECRET_KEY = env(\"SECRET_KEY\")"),
            vec!["SECRET_KEY"]
        );
        assert!(required_env("DEBUG = env.bool(\"DEBUG\", default=False)").is_empty());
        assert_eq!(
            required_env("DATABASES = {\"default\": env.db()}"),
            vec!["DATABASE_URL"]
        );
        assert_eq!(
            required_env("SECRET_KEY = os.environ.get('SK')"),
            vec!["SK"]
        );
        assert!(required_env("SECRET_KEY = os.environ.get('SK', 'dev')").is_empty());
        assert!(required_env("X = os.getenv(\"X\")").is_empty());
        assert!(required_env("KEY = config('KEY', default='x')").is_empty());
        assert_eq!(required_env("KEY = config('KEY')"), vec!["KEY"]);
    }

    #[test]
    fn assignments() {
        assert_eq!(
            assignment_of("app = Flask(__name__)", &["Flask"]),
            Some("app")
        );
        assert_eq!(
            assignment_of("api: FastAPI = fastapi.FastAPI()", &["FastAPI"]),
            Some("api")
        );
        assert_eq!(assignment_of("    app = Flask(x)", &["Flask"]), None);
        assert_eq!(assignment_of("app = make(x)", &["Flask"]), None);
    }
}
