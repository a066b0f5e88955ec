//! What Go sources say beyond the package clause: imports (to follow a main
//! package through the module's own packages), `import "C"` (cgo), files read
//! by relative path at runtime, and where the server binds. Plus GOPRIVATE
//! from the project's build files.

use std::collections::BTreeSet;

use crate::error::{Error, Result};
use crate::evidence::Fact;
use crate::project::{self, MANIFEST_CAP, Project};

/// Modules that compile C through cgo: requiring one means the binary needs
/// CGO_ENABLED=1, a C compiler and glibc. Only ones that bundle their C
/// sources (nothing but libc to link) are listed.
pub const CGO_MODULES: &[&str] = &[
    "github.com/mattn/go-sqlite3",
    "github.com/confluentinc/confluent-kafka-go",
    "github.com/mutecomm/go-sqlcipher",
    "github.com/DataDog/zstd",
    "github.com/valyala/gozstd",
];

/// The import paths of a Go file with their line numbers: `import "x"`,
/// `import alias "x"` and `import ( ... )` blocks before the first declaration.
pub fn imports(src: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut in_block = false;
    let mut in_comment = false;
    for (idx, raw) in src.lines().enumerate() {
        let mut line = raw.trim();
        if in_comment {
            match line.find("*/") {
                Some(end) => {
                    in_comment = false;
                    line = line[end + 2..].trim();
                }
                None => continue,
            }
        }
        if line.starts_with("/*") && !line.contains("*/") {
            in_comment = true;
            continue;
        }
        let line = line.split("//").next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if in_block {
            if line.starts_with(')') {
                in_block = false;
                continue;
            }
            if let Some(path) = quoted(line) {
                out.push((path, idx + 1));
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("import") {
            let rest = rest.trim();
            if rest.starts_with('(') {
                in_block = true;
                if let Some(path) = quoted(rest) {
                    out.push((path, idx + 1));
                }
                if rest.contains(')') {
                    in_block = false;
                }
            } else if let Some(path) = quoted(rest) {
                out.push((path, idx + 1));
            }
            continue;
        }
        if ["func ", "type ", "var ", "const "]
            .iter()
            .any(|k| line.starts_with(k))
        {
            break;
        }
    }
    out
}

/// The first double- or back-quoted string on a line.
fn quoted(line: &str) -> Option<String> {
    let start = line.find(['"', '`'])?;
    let q = line.as_bytes()[start] as char;
    let rest = &line[start + 1..];
    let end = rest.find(q)?;
    Some(rest[..end].to_string())
}

/// The non-test .go files directly in a package directory.
pub fn package_files(p: &Project, dir: &str) -> Result<Vec<String>> {
    Ok(p.list(dir)?
        .into_iter()
        .filter(|e| !e.is_dir && e.name.ends_with(".go") && !e.name.ends_with("_test.go"))
        .map(|e| project::join(dir, &e.name))
        .collect())
}

/// The module's own packages a main package depends on (its directory first),
/// following imports that start with one of `modules`' paths (`(module path,
/// directory)`; several in a go.work workspace). Capped.
pub fn local_packages(p: &Project, main_dir: &str, modules: &[(String, String)]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut order = Vec::new();
    let mut queue = vec![main_dir.to_string()];
    while let Some(dir) = queue.pop() {
        if !seen.insert(dir.clone()) || seen.len() > 300 {
            continue;
        }
        order.push(dir.clone());
        let Ok(files) = package_files(p, &dir) else {
            continue;
        };
        for f in files {
            let Some(src) = p.read_source(&f) else {
                continue;
            };
            for (path, _) in imports(&src) {
                for (module, mdir) in modules {
                    let rel = if path == *module {
                        Some("")
                    } else {
                        path.strip_prefix(module.as_str())
                            .and_then(|r| r.strip_prefix('/'))
                    };
                    if let Some(rel) = rel {
                        let dir = project::join(mdir, rel);
                        if !rel.split('/').any(|s| s == ".." || s.is_empty()) || rel.is_empty() {
                            queue.push(dir);
                        }
                    }
                }
            }
        }
    }
    order
}

/// `import "C"` in any of these packages: the first one, as file:line.
pub fn cgo_import(p: &Project, packages: &[String]) -> Option<Fact<bool>> {
    for dir in packages {
        for f in package_files(p, dir).ok()? {
            let Some(src) = p.read_source(&f) else {
                continue;
            };
            if let Some((_, line)) = imports(&src).into_iter().find(|(i, _)| i == "C") {
                return Some(Fact::in_file(
                    true,
                    &f,
                    format!("`import \"C\"`, line {line}"),
                ));
            }
        }
    }
    None
}

/// Files that may set GOPRIVATE for the project's builds.
const GOPRIVATE_FILES: &[&str] = &[
    "Makefile",
    "GNUmakefile",
    "makefile",
    ".envrc",
    "go.env",
    ".gitlab-ci.yml",
    "Taskfile.yml",
    "Taskfile.yaml",
    "justfile",
];

/// GOPRIVATE as the project's build files set it: `GOPRIVATE=...`,
/// `export GOPRIVATE := ...`, `GOPRIVATE: ...` (CI YAML), `go env -w GOPRIVATE=...`.
pub fn goprivate(p: &Project) -> Result<Option<Fact<String>>> {
    let mut files: Vec<String> = GOPRIVATE_FILES.iter().map(|s| s.to_string()).collect();
    for e in p.list(".github/workflows")? {
        if !e.is_dir && (e.name.ends_with(".yml") || e.name.ends_with(".yaml")) {
            files.push(format!(".github/workflows/{}", e.name));
        }
    }
    for file in files {
        let Some(text) = p.read_opt(&file, MANIFEST_CAP)? else {
            continue;
        };
        for (idx, line) in text.lines().enumerate() {
            let t = line.trim();
            if t.starts_with('#') {
                continue;
            }
            let Some(pos) = t.find("GOPRIVATE") else {
                continue;
            };
            let rest = t[pos + "GOPRIVATE".len()..].trim_start();
            let rest = ["?=", ":=", "=", ":"]
                .iter()
                .find_map(|op| rest.strip_prefix(op));
            let Some(rest) = rest else { continue };
            let value = rest
                .split(" #")
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches(|c| c == '"' || c == '\'');
            if value.is_empty() || value.starts_with('$') {
                continue;
            }
            return Ok(Some(Fact::in_file(
                check_goprivate(&file, idx + 1, value)?,
                &file,
                format!("GOPRIVATE, line {}", idx + 1),
            )));
        }
    }
    Ok(None)
}

/// A comma-separated list of module path patterns: letters, digits and
/// `. _ - / * ~`, nothing a shell or Dockerfile would interpret.
fn check_goprivate(file: &str, line: usize, value: &str) -> Result<String> {
    let ok = value.split(',').all(|pat| {
        !pat.is_empty()
            && !pat.starts_with('-')
            && pat.chars().all(|c| {
                c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | '*' | '~')
            })
    });
    if !ok {
        return Err(Error::field(
            file,
            format!("GOPRIVATE, line {line}"),
            format!(
                "{value:?} is not a comma-separated list of module path patterns \
                 (allowed: letters, digits and . _ - / * ~)"
            ),
        ));
    }
    Ok(value.to_string())
}

/// Calls that read files by a path relative to the working directory.
const FILE_READERS: &[&str] = &[
    "http.Dir(",
    "template.ParseGlob(",
    "template.ParseFiles(",
    ".ParseGlob(",
    ".ParseFiles(",
    "os.DirFS(",
    "http.ServeFile(",
];

/// Directories of the module a program reads at runtime by relative path
/// (`http.Dir("static")`, `template.ParseGlob("templates/*.html")`), that
/// exist and are not embedded (`//go:embed static`): the image must carry
/// them. Each with the file:line that reads it.
pub fn runtime_dirs(p: &Project, files: &[String]) -> Vec<Fact<String>> {
    let mut embedded = BTreeSet::new();
    let mut found: Vec<Fact<String>> = Vec::new();
    for file in files {
        let Some(src) = p.read_source(file) else {
            continue;
        };
        for (idx, line) in src.lines().enumerate() {
            let t = line.trim();
            if let Some(pats) = t.strip_prefix("//go:embed") {
                for pat in pats.split_whitespace() {
                    let pat = pat.trim_matches('"').trim_start_matches("./");
                    if let Some(first) = pat.split('/').next() {
                        embedded.insert(first.to_string());
                    }
                }
                continue;
            }
            if t.starts_with("//") {
                continue;
            }
            for reader in FILE_READERS {
                let Some(pos) = t.find(reader) else { continue };
                let Some(lit) = quoted(&t[pos..]) else {
                    continue;
                };
                let lit = lit.trim_start_matches("./");
                // A directory, or the directory of a file or glob inside it.
                let dir = if *reader == "http.Dir(" || *reader == "os.DirFS(" {
                    lit.trim_end_matches('/')
                } else {
                    match lit.split_once('/') {
                        Some((d, _)) => d,
                        None => continue,
                    }
                };
                let dir = dir.split('/').next().unwrap_or("");
                if dir.is_empty()
                    || dir == "."
                    || dir.contains(['*', '?', '['])
                    || !p.is_dir(dir)
                    || found.iter().any(|f| f.value == dir)
                    || crate::safe::rel_path(file, "", dir).is_err()
                {
                    continue;
                }
                found.push(Fact::in_file(
                    dir.to_string(),
                    file,
                    format!("{} line {}", reader.trim_end_matches('('), idx + 1),
                ));
            }
        }
    }
    found.retain(|f| !embedded.contains(&f.value));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_single_block_and_alias() {
        let src = "package main\n\n// import \"fake\"\nimport \"C\"\nimport (\n\t\"fmt\"\n\tdb \"example.com/x/db\" // c\n\t_ \"embed\"\n)\nimport y \"y\"\n\nfunc main() {}\nimport \"late\"\n";
        let got: Vec<String> = imports(src).into_iter().map(|(p, _)| p).collect();
        assert_eq!(got, ["C", "fmt", "example.com/x/db", "embed", "y"]);
        assert_eq!(imports(src)[0].1, 4);
    }

    #[test]
    fn goprivate_patterns_are_checked() {
        assert!(check_goprivate("Makefile", 2, "git.example.com/*,github.com/acme").is_ok());
        let e = check_goprivate("Makefile", 2, "x;rm -rf /")
            .unwrap_err()
            .to_string();
        assert!(e.contains("Makefile") && e.contains("line 2"), "{e}");
    }
}
