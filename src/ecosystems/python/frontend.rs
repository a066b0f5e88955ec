//! A JS front end the Python app serves: a directory the app's code reads
//! (FastAPI/Starlette `StaticFiles(directory=...)`, Flask's `static_folder=`
//! or `send_from_directory(...)`, Django's `STATICFILES_DIRS`) that is the
//! build output of a package.json in the project (read by `assets::build`).
//! The image builds it in a Node stage and copies only that output in.

use serde::Serialize;

use crate::ecosystems::assets::{self, FrontEnd, Package};
use crate::error::Result;
use crate::evidence::Fact;
use crate::project::{self, Project};

/// The front end, and what in the Python code serves it.
#[derive(Debug, Clone, Serialize)]
pub struct ServedFrontEnd {
    pub front_end: FrontEnd,
    /// What reads the build output (`StaticFiles(directory=...)`...), file and line.
    pub served: Fact<String>,
    /// The path is read relative to the working directory (StaticFiles), not
    /// to a module's file or Django's BASE_DIR.
    pub cwd_relative: bool,
}

/// What a path in the code is relative to, when written as a bare string.
#[derive(Clone, Copy, PartialEq)]
enum Base {
    /// The process's working directory (Starlette's StaticFiles).
    Cwd,
    /// The directory of the file that names it (Flask resolves against the app's root path).
    FileDir,
}

/// A directory the code reads static files from, relative to the project root.
struct Served {
    dir: String,
    what: Fact<String>,
    cwd_relative: bool,
}

/// The front end the app serves, if a directory its code reads is a
/// package.json's build output. `django_base`: the directory of manage.py
/// (BASE_DIR when the settings' own definition cannot be read).
pub fn find(
    p: &Project,
    sources: &[String],
    django_base: Option<&str>,
    notes: &mut Vec<String>,
) -> Result<Option<ServedFrontEnd>> {
    let mut served = Vec::new();
    for file in sources {
        let Some(text) = p.read_source(file) else {
            continue;
        };
        served.extend(served_dirs(file, &text, django_base));
    }
    if served.is_empty() {
        return Ok(None);
    }
    let mut pkg_dirs: Vec<String> = Vec::new();
    for s in &served {
        let mut d = s.dir.as_str();
        while let Some((parent, _)) = d.rsplit_once('/') {
            pkg_dirs.push(parent.to_string());
            d = parent;
        }
    }
    pkg_dirs.push(".".into());
    for e in p.list("")? {
        if e.is_dir && !project::is_skipped_dir(&e.name) {
            pkg_dirs.push(e.name.clone());
        }
    }
    let mut seen = Vec::new();
    pkg_dirs.retain(|d| {
        let new = !seen.contains(d);
        seen.push(d.clone());
        new
    });
    let mut why_not = Vec::new();
    let mut pkgs_read = 0;
    for dir in &pkg_dirs {
        let Some(pkg) = Package::read(p, dir)? else {
            continue;
        };
        pkgs_read += 1;
        if assets::docs_generator(&pkg).is_some() {
            continue;
        }
        let fe = match assets::build(p, &pkg, "build", true)? {
            Ok(fe) => fe,
            Err(why) => {
                why_not.push(format!("{}: {why}", pkg.file));
                continue;
            }
        };
        if let Some(s) = served.iter().find(|s| s.dir == fe.output) {
            return Ok(Some(ServedFrontEnd {
                front_end: fe,
                served: s.what.clone(),
                cwd_relative: s.cwd_relative,
            }));
        }
    }
    // A plain static folder next to no package.json needs no word.
    if pkgs_read == 0 {
        return Ok(None);
    }
    let s = &served[0];
    notes.push(format!(
        "{} serves {}, which no package.json in the project is known to build{}: \
         dfgen builds no front end for it",
        s.what.evidence,
        s.dir,
        if why_not.is_empty() {
            String::new()
        } else {
            format!(" ({})", why_not.join("; "))
        }
    ));
    Ok(None)
}

/// The directories a Python file reads static files from.
fn served_dirs(file: &str, text: &str, django_base: Option<&str>) -> Vec<Served> {
    let mut out = Vec::new();
    let calls: [(&str, Option<&str>, Base, &str); 3] = [
        (
            "StaticFiles(",
            Some("directory"),
            Base::Cwd,
            "StaticFiles(directory=...)",
        ),
        (
            "Flask(",
            Some("static_folder"),
            Base::FileDir,
            "Flask(static_folder=...)",
        ),
        (
            "send_from_directory(",
            None,
            Base::FileDir,
            "send_from_directory(...)",
        ),
    ];
    for (call, kwarg, base, label) in calls {
        for (at, _) in text.match_indices(call) {
            if text[..at]
                .chars()
                .last()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                continue;
            }
            let line = text[..at].lines().count().max(1);
            if text[..at]
                .rsplit('\n')
                .next()
                .is_some_and(|l| l.trim_start().starts_with('#'))
            {
                continue;
            }
            let args = call_args(&text[at + call.len()..], ')');
            let arg = match kwarg {
                Some(k) => args.iter().find_map(|a| {
                    let (name, v) = a.split_once('=')?;
                    (name.trim() == k).then(|| v.trim())
                }),
                None => args.first().map(|a| a.trim()).filter(|a| !a.contains('=')),
            };
            let Some(dir) = arg.and_then(|a| resolve(a, file, text, base, django_base, 0)) else {
                continue;
            };
            out.push(Served {
                dir,
                what: Fact::in_file(label.to_string(), file, format!("line {line}")),
                cwd_relative: base == Base::Cwd,
            });
        }
    }
    for (i, l) in text.lines().enumerate() {
        let Some(rest) = l.strip_prefix("STATICFILES_DIRS") else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        // `rest` is a slice of `text`: where it starts in it.
        let offset = rest.as_ptr() as usize - text.as_ptr() as usize;
        let close = match rest.chars().next() {
            Some('[') => ']',
            Some('(') => ')',
            _ => continue,
        };
        for entry in call_args(&text[offset + 1..], close) {
            // `("prefix", path)` tuples serve the path under a prefix of STATIC_URL.
            let entry = entry.trim();
            let path = match entry.strip_prefix('(') {
                Some(t) => call_args(t, ')').get(1).cloned().unwrap_or_default(),
                None => entry.to_string(),
            };
            if let Some(dir) = resolve(&path, file, text, Base::FileDir, django_base, 0) {
                out.push(Served {
                    dir,
                    what: Fact::in_file(
                        "STATICFILES_DIRS".to_string(),
                        file,
                        format!("line {}", i + 1),
                    ),
                    cwd_relative: false,
                });
            }
        }
    }
    out
}

/// The top-level, comma-separated arguments up to the `close` that ends them.
fn call_args(text: &str, close: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut cur = String::new();
    for c in text.chars() {
        if let Some(q) = quote {
            cur.push(c);
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth > 0 => depth -= 1,
            c if c == close => break,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            '#' => return out, // a comment: too clever to follow
            _ => {}
        }
        cur.push(c);
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out
}

/// Words a path expression may use besides its one base name.
const PATH_WORDS: &[&str] = &[
    "os", "path", "join", "dirname", "abspath", "realpath", "Path", "pathlib", "PurePath",
    "resolve", "absolute", "parent", "str", "joinpath", "__file__",
];

/// A path expression (`"frontend/dist"`, `BASE_DIR / "frontend" / "dist"`,
/// `os.path.join(os.path.dirname(__file__), "..", "web", "build")`) as a
/// directory relative to the project root. `None` when it is anything else.
fn resolve(
    expr: &str,
    file: &str,
    text: &str,
    base: Base,
    django_base: Option<&str>,
    depth: usize,
) -> Option<String> {
    let mut literals = Vec::new();
    let mut words = Vec::new();
    let mut chars = expr.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '"' || c == '\'' {
            let prefix = expr[..i].chars().last();
            if prefix.is_some_and(|p| matches!(p, 'f' | 'F' | 'b' | 'B')) {
                return None; // f-strings and bytes
            }
            let rest = &expr[i + 1..];
            let end = rest.find(c)?;
            literals.push(rest[..end].to_string());
            while chars.peek().is_some_and(|(j, _)| *j <= i + 1 + end) {
                chars.next();
            }
        } else if c.is_ascii_alphabetic() || c == '_' {
            let mut w = String::from(c);
            while let Some((_, n)) = chars.peek().copied() {
                if n.is_ascii_alphanumeric() || n == '_' {
                    w.push(n);
                    chars.next();
                } else {
                    break;
                }
            }
            words.push(w);
        } else if !(c.is_whitespace() || matches!(c, '/' | ',' | '(' | ')' | '.')) {
            return None; // subscripts, operators, numbers: not a plain path
        }
    }
    let words: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| !matches!(*w, "r" | "R" | "u" | "U"))
        .collect();
    let names: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !PATH_WORDS.contains(w))
        .collect();
    let file_dir = file.rsplit_once('/').map(|(d, _)| d).unwrap_or(".");
    let start = if words.contains(&"__file__") {
        if !names.is_empty() {
            return None;
        }
        let ups = words
            .iter()
            .filter(|w| matches!(**w, "parent" | "dirname"))
            .count();
        if ups == 0 {
            return None; // the file itself
        }
        assets::join_rel(file_dir, &vec![".."; ups - 1].join("/"))?
    } else if let [name] = names.as_slice() {
        if depth > 1 {
            return None;
        }
        let defined = text.lines().find_map(|l| {
            let rest = l.strip_prefix(name)?.trim_start().strip_prefix('=')?;
            (!rest.starts_with('=')).then_some(rest)
        });
        match defined.and_then(|d| resolve(d, file, text, base, None, depth + 1)) {
            Some(d) => d,
            None if *name == "BASE_DIR" => django_base
                .map(|d| if d.is_empty() { "." } else { d })?
                .to_string(),
            None => return None,
        }
    } else if names.is_empty() {
        match base {
            Base::Cwd => ".".to_string(),
            Base::FileDir => file_dir.to_string(),
        }
    } else {
        return None;
    };
    if literals
        .iter()
        .any(|l| l.starts_with('/') || l.contains('{'))
    {
        return None;
    }
    let dir = assets::join_rel(&start, &literals.join("/"))?;
    (depth > 0 || dir != ".").then_some(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dirs(file: &str, text: &str) -> Vec<String> {
        served_dirs(file, text, Some(""))
            .into_iter()
            .map(|s| s.dir)
            .collect()
    }

    #[test]
    fn static_dirs_in_code() {
        assert_eq!(
            dirs(
                "app/main.py",
                "app.mount(\"/\", StaticFiles(directory=\"frontend/dist\", html=True), name=\"spa\")\n"
            ),
            vec!["frontend/dist"]
        );
        assert_eq!(
            dirs(
                "backend/app.py",
                "app = Flask(__name__, static_folder=\"../frontend/dist\", static_url_path=\"/\")\n"
            ),
            vec!["frontend/dist"]
        );
        assert_eq!(
            dirs(
                "server/app.py",
                "HERE = os.path.dirname(os.path.abspath(__file__))\n\
                 def index():\n    return send_from_directory(os.path.join(HERE, '..', 'web', 'build'), 'index.html')\n"
            ),
            vec!["web/build"]
        );
        assert_eq!(
            dirs(
                "mysite/settings.py",
                "BASE_DIR = Path(__file__).resolve().parent.parent\n\
                 STATICFILES_DIRS = [\n    BASE_DIR / \"frontend\" / \"dist\",\n    (\"img\", BASE_DIR / \"img\"),\n]\n"
            ),
            vec!["frontend/dist", "img"]
        );
        // BASE_DIR defined elsewhere: manage.py's directory.
        assert_eq!(
            served_dirs(
                "web/mysite/settings/base.py",
                "STATICFILES_DIRS = [os.path.join(BASE_DIR, 'ui', 'dist')]\n",
                Some("web")
            )
            .into_iter()
            .map(|s| s.dir)
            .collect::<Vec<_>>(),
            vec!["web/ui/dist"]
        );
        // Not paths dfgen can tell.
        assert!(dirs("a.py", "StaticFiles(directory=settings.STATIC)\n").is_empty());
        assert!(dirs("a.py", "StaticFiles(directory=f\"{root}/dist\")\n").is_empty());
        assert!(dirs("a.py", "# StaticFiles(directory=\"dist\")\n").is_empty());
        assert!(dirs("a.py", "MyStaticFiles(directory=\"dist\")\n").is_empty());
    }
}
