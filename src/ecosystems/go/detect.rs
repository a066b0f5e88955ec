//! Go: go.mod (module, `go` and `toolchain` directives), go.sum, vendor/, and
//! the main packages anywhere in the module; or a go.work workspace and the
//! main packages of the modules it uses.

use serde::Serialize;

use super::source;
use crate::ecosystems::bind::LoopbackDefault;
use crate::error::{Error, Result};
use crate::evidence::Fact;
use crate::ports::{self as hints, PortHints};
use crate::project::{self, MANIFEST_CAP, Project};
use crate::safe;
use crate::version::Declared;

#[derive(Debug, Clone, Serialize)]
pub struct GoProject {
    pub module: Fact<String>,
    pub version: Declared,
    pub has_go_sum: bool,
    /// `vendor/modules.txt` exists: build with -mod=vendor and download nothing.
    pub vendor: Option<Fact<bool>>,
    pub mains: Vec<GoMain>,
    /// Module path patterns fetched directly, not through the proxy
    /// (`GOPRIVATE=...` in a Makefile, .envrc or CI file): the build mounts
    /// a `.netrc` secret for them.
    pub goprivate: Option<Fact<String>>,
    /// A required module that compiles C through cgo (go.mod `require`).
    pub cgo_module: Option<Fact<String>>,
    /// The first build of `.goreleaser.yaml`.
    pub release: Option<super::goreleaser::Release>,
    /// go.mod/go.sum (or go.work, go.work.sum and every used module's go.mod
    /// and go.sum): what `go mod download` needs, in the order they are mounted.
    pub mod_files: Vec<String>,
    /// go.work at the root: built from there, in workspace mode.
    pub workspace: Option<Workspace>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Workspace {
    /// Each used module: its directory (`.` for the root) and module path.
    pub modules: Vec<Fact<(String, String)>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GoMain {
    /// Package directory relative to the root: `.` or `cmd/api`.
    pub dir: Fact<String>,
    /// Name of the built binary.
    pub binary: String,
    /// The module path of the module holding it.
    pub module: String,
    pub ports: PortHints,
    /// `import "C"` in this package or one of the module's packages it imports.
    pub cgo: Option<Fact<bool>>,
    /// A loopback listen address that an env var or flag overrides.
    pub bind: Option<LoopbackDefault>,
    /// Directories read at runtime by relative path and not embedded.
    pub runtime_dirs: Vec<Fact<String>>,
}

pub fn detect(p: &Project) -> Result<Option<GoProject>> {
    if let Some(text) = p.read_opt("go.work", MANIFEST_CAP)? {
        return detect_workspace(p, &text).map(Some);
    }
    let Some(text) = p.read_opt("go.mod", MANIFEST_CAP)? else {
        return Ok(None);
    };
    let gomod = parse_go_mod(&text, "go.mod")?;
    let module = gomod
        .module
        .clone()
        .ok_or_else(|| Error::parse("go.mod", "no `module` directive"))?;
    let version = version_of(p, "go.mod", &gomod)?;
    let modules = vec![(module.0.clone(), String::new())];
    let mains = module_mains(p, "", &module.0, &modules)?;
    let has_go_sum = p.has_file("go.sum");
    let mut mod_files = vec!["go.mod".to_string()];
    if has_go_sum {
        mod_files.push("go.sum".into());
    }
    Ok(Some(GoProject {
        goprivate: source::goprivate(p)?,
        release: super::goreleaser::read(p)?,
        cgo_module: cgo_module("go.mod", &gomod),
        module: Fact::in_file(
            module.0,
            "go.mod",
            format!("`module` directive, line {}", module.1),
        ),
        version,
        has_go_sum,
        vendor: vendor(p),
        mains,
        mod_files,
        workspace: None,
    }))
}

/// A go.work workspace: every module its `use` directives name, their main
/// packages, and the workspace's own `go`/`toolchain` directives (which the go
/// command requires to be at least each module's).
fn detect_workspace(p: &Project, text: &str) -> Result<GoProject> {
    let work = parse_go_mod(text, "go.work")?;
    if work.uses.is_empty() {
        return Err(Error::parse(
            "go.work",
            "no `use` directive: the workspace has no module",
        ));
    }
    let mut used = Vec::new();
    let mut mod_files = vec!["go.work".to_string()];
    if p.has_file("go.work.sum") {
        mod_files.push("go.work.sum".into());
    }
    let mut first_go = None;
    let mut cgo = None;
    for (dir, line) in &work.uses {
        let field = format!("`use {dir}`, line {line}");
        let dir = dir.trim_start_matches("./").trim_end_matches('/');
        let dir = if dir.is_empty() || dir == "." {
            ""
        } else {
            dir
        };
        // The checked, normalised path is the one used from here on: it
        // reaches bind mounts in the Dockerfile.
        let checked;
        let dir = if dir.is_empty() {
            dir
        } else {
            checked = safe::rel_path("go.work", &field, dir)?;
            if checked == "." { "" } else { checked.as_str() }
        };
        let gomod_file = project::join(dir, "go.mod");
        let Some(mod_text) = p.read_opt(&gomod_file, MANIFEST_CAP)? else {
            return Err(Error::parse(
                "go.work",
                format!("{field}: {gomod_file} does not exist"),
            ));
        };
        let gomod = parse_go_mod(&mod_text, &gomod_file)?;
        let module = gomod
            .module
            .clone()
            .ok_or_else(|| Error::parse(&gomod_file, "no `module` directive"))?;
        if first_go.is_none() {
            first_go = gomod.go.clone().map(|g| (g, gomod_file.clone()));
        }
        if cgo.is_none() {
            cgo = cgo_module(&gomod_file, &gomod);
        }
        mod_files.push(gomod_file.clone());
        let sum = project::join(dir, "go.sum");
        if p.has_file(&sum) {
            mod_files.push(sum);
        }
        used.push(Fact::in_file(
            (
                if dir.is_empty() {
                    ".".to_string()
                } else {
                    dir.to_string()
                },
                module.0,
            ),
            "go.work",
            field,
        ));
    }
    let modules: Vec<(String, String)> = used
        .iter()
        .map(|m| {
            let (dir, path) = &m.value;
            (
                path.clone(),
                if dir == "." {
                    String::new()
                } else {
                    dir.clone()
                },
            )
        })
        .collect();
    let mut mains = Vec::new();
    for (path, dir) in &modules {
        mains.extend(module_mains(p, dir, path, &modules)?);
    }
    let mut version = version_of(p, "go.work", &work)?;
    if matches!(version, Declared::Nothing)
        && let Some(((v, line), file)) = first_go
    {
        version = Declared::Minimum {
            version: v,
            evidence: crate::evidence::Evidence::file(
                file,
                format!("`go` directive (a minimum), line {line}"),
            ),
        };
    }
    let names: Vec<&str> = used.iter().map(|m| m.value.0.as_str()).collect();
    Ok(GoProject {
        goprivate: source::goprivate(p)?,
        release: super::goreleaser::read(p)?,
        cgo_module: cgo,
        module: Fact::in_file(
            format!(
                "workspace of {} ({})",
                if used.len() == 1 {
                    "1 module".to_string()
                } else {
                    format!("{} modules", used.len())
                },
                names.join(", ")
            ),
            "go.work",
            "`use` directives",
        ),
        version,
        has_go_sum: mod_files.iter().any(|f| f.ends_with(".sum")),
        vendor: vendor(p),
        mains,
        mod_files,
        workspace: Some(Workspace { modules: used }),
    })
}

/// The Go version: a `toolchain` pin, then `.tool-versions`, then the `go`
/// directive (a minimum).
fn version_of(p: &Project, file: &str, gomod: &GoMod) -> Result<Declared> {
    let tool_pin = crate::version::tool_versions(p, &["golang", "go"])?;
    Ok(
        match (gomod.toolchain.clone(), tool_pin, gomod.go.clone()) {
            (Some((v, line)), _, _) => Declared::Pin {
                version: v,
                evidence: crate::evidence::Evidence::file(
                    file,
                    format!("`toolchain` directive, line {line}"),
                ),
            },
            (None, Some(pin), _) => pin,
            (None, None, Some((v, line))) => Declared::Minimum {
                version: v,
                evidence: crate::evidence::Evidence::file(
                    file,
                    format!("`go` directive (a minimum), line {line}"),
                ),
            },
            (None, None, None) => Declared::Nothing,
        },
    )
}

fn vendor(p: &Project) -> Option<Fact<bool>> {
    p.has_file("vendor/modules.txt")
        .then(|| Fact::in_file(true, "vendor/modules.txt", "vendored modules"))
}

fn cgo_module(file: &str, gomod: &GoMod) -> Option<Fact<String>> {
    gomod.requires.iter().find_map(|(m, line)| {
        source::CGO_MODULES
            .iter()
            .any(|c| m == c || m.starts_with(&format!("{c}/")))
            .then(|| Fact::in_file(m.clone(), file, format!("require {m}, line {line}")))
    })
}

/// The main packages of the module in `dir` (`""` for the root), named like
/// the go command names their binaries.
fn module_mains(
    p: &Project,
    dir: &str,
    module: &str,
    modules: &[(String, String)],
) -> Result<Vec<GoMain>> {
    let module_last = module.rsplit('/').next().unwrap_or(module).to_string();
    let mut mains = Vec::new();
    for pkg in main_package_dirs(p, dir)? {
        let Some(file) = main_package_file(p, &pkg)? else {
            continue;
        };
        let binary = if pkg == dir {
            module_last.clone()
        } else {
            pkg.rsplit('/').next().unwrap_or(&pkg).to_string()
        };
        let shown = if pkg.is_empty() { "." } else { pkg.as_str() };
        let gomod = project::join(dir, "go.mod");
        mains.push(main_at(p, shown, &file, &binary, module, &gomod, modules)?);
    }
    Ok(mains)
}

fn main_at(
    p: &Project,
    dir: &str,
    file: &str,
    binary: &str,
    module: &str,
    gomod: &str,
    modules: &[(String, String)],
) -> Result<GoMain> {
    let field = format!("main package directory {dir}");
    let dir_checked = safe::rel_path(file, &field, dir)?;
    let module_dir = gomod
        .strip_suffix("go.mod")
        .unwrap_or("")
        .trim_end_matches('/');
    let at_module_root = dir == "." || dir == module_dir;
    // A module root package's binary is named after the module path: a bad
    // name is go.mod's fault, not main.go's.
    let binary = if at_module_root {
        safe::binary(gomod, "module (its last element names the binary)", binary)?
    } else {
        safe::binary(file, "binary name (from the directory)", binary)?
    };
    let packages = source::local_packages(p, if dir == "." { "" } else { dir }, modules);
    let mut package_sources = Vec::new();
    for pkg in &packages {
        package_sources.extend(source::package_files(p, pkg)?);
    }
    Ok(GoMain {
        bind: crate::ecosystems::bind::find(p, &package_sources, &[binary.as_str()]),
        runtime_dirs: source::runtime_dirs(p, &package_sources),
        dir: Fact::in_file(dir_checked, file, "`package main`"),
        binary,
        module: module.to_string(),
        ports: hints::scan(p, &package_sources),
        cgo: source::cgo_import(p, &packages),
    })
}

/// How deep below the module root main packages are looked for.
const MAIN_SEARCH_DEPTH: usize = 5;

/// Directories (relative, `""` for the root) that may hold a main package:
/// the whole module in `start`, depth-limited, in sorted order, skipping vendor/,
/// testdata/, hidden and `_`-prefixed directories (the go tool ignores those)
/// and nested modules (a directory with its own go.mod is another module).
fn main_package_dirs(p: &Project, start: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut queue = vec![(start.to_string(), 0usize)];
    while let Some((dir, depth)) = queue.pop() {
        let entries = p.list(&dir)?;
        if entries
            .iter()
            .any(|e| !e.is_dir && e.name.ends_with(".go") && !e.name.ends_with("_test.go"))
        {
            out.push(dir.clone());
        }
        if depth >= MAIN_SEARCH_DEPTH {
            continue;
        }
        for e in entries.iter().rev() {
            let skip = !e.is_dir
                || e.name.starts_with('.')
                || e.name.starts_with('_')
                || matches!(e.name.as_str(), "vendor" | "testdata" | "node_modules");
            if skip {
                continue;
            }
            let child = project::join(&dir, &e.name);
            if p.has_file(&project::join(&child, "go.mod")) {
                continue;
            }
            queue.push((child, depth + 1));
        }
        if out.len() > 500 {
            break;
        }
    }
    out.sort_by(|a, b| {
        // The root first, then by depth, then by name: the order mains are listed in.
        (a.matches('/').count() + usize::from(!a.is_empty()), a)
            .cmp(&(b.matches('/').count() + usize::from(!b.is_empty()), b))
    });
    Ok(out)
}

/// The first non-test .go file in `dir` that declares `package main`.
fn main_package_file(p: &Project, dir: &str) -> Result<Option<String>> {
    for e in p.list(dir)? {
        if e.is_dir || !e.name.ends_with(".go") || e.name.ends_with("_test.go") {
            continue;
        }
        let file = project::join(dir, &e.name);
        if let Some(src) = p.read_source(&file)
            && package_clause(&src) == Some("main")
        {
            return Ok(Some(file));
        }
    }
    Ok(None)
}

fn package_clause(src: &str) -> Option<&str> {
    let mut in_block = false;
    for line in src.lines() {
        let t = line.trim();
        if in_block {
            if t.contains("*/") {
                in_block = false;
            }
            continue;
        }
        if t.starts_with("/*") {
            in_block = !t.contains("*/");
            continue;
        }
        if t.is_empty() || t.starts_with("//") {
            continue;
        }
        return t
            .strip_prefix("package ")
            .map(|r| r.split_whitespace().next().unwrap_or(""));
    }
    None
}

#[derive(Debug, Default)]
struct GoMod {
    module: Option<(String, usize)>,
    go: Option<(String, usize)>,
    toolchain: Option<(String, usize)>,
    /// Required module paths (direct and indirect) and their lines.
    requires: Vec<(String, usize)>,
    /// go.work `use` directories and their lines.
    uses: Vec<(String, usize)>,
}

/// go.mod and go.work share their syntax; `file` names the one read.
fn parse_go_mod(text: &str, file: &str) -> Result<GoMod> {
    let mut out = GoMod::default();
    // The verb of the `verb (` block we are in, if any.
    let mut block: Option<String> = None;
    for (idx, raw) in text.lines().enumerate() {
        let line_no = idx + 1;
        let line = raw.split("//").next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if let Some(verb) = &block {
            if line == ")" {
                block = None;
            } else if let Some(m) = line.split_whitespace().next() {
                let m = m.trim_matches('"').to_string();
                match verb.as_str() {
                    "require" => out.requires.push((m, line_no)),
                    "use" => out.uses.push((m, line_no)),
                    _ => {}
                }
            }
            continue;
        }
        if let Some(verb) = line.strip_suffix('(') {
            block = Some(verb.trim().to_string());
            continue;
        }
        let mut words = line.split_whitespace();
        let verb = words.next().unwrap_or("");
        let arg = words.next().map(|a| a.trim_matches('"').to_string());
        let bad = |what: &str| Error::parse(file, format!("line {line_no}: {what}"));
        match verb {
            "module" => {
                let m = arg.ok_or_else(|| bad("`module` without a path"))?;
                out.module = Some((m, line_no));
            }
            "go" => {
                let v = arg.ok_or_else(|| bad("`go` without a version"))?;
                if crate::version::parse_numbers(&v).is_none() {
                    return Err(bad(&format!("`go {v}` is not a Go version")));
                }
                out.go = Some((v, line_no));
            }
            "require" => {
                if let Some(m) = arg {
                    out.requires.push((m, line_no));
                }
            }
            "use" => {
                let d = arg.ok_or_else(|| bad("`use` without a directory"))?;
                out.uses.push((d, line_no));
            }
            "toolchain" => {
                let t = arg.ok_or_else(|| bad("`toolchain` without a name"))?;
                if t == "default" {
                    continue;
                }
                let v = t
                    .strip_prefix("go")
                    .filter(|v| crate::version::parse_numbers(v).is_some())
                    .ok_or_else(|| {
                        bad(&format!(
                            "`toolchain {t}` is not a Go toolchain name like go1.24.3"
                        ))
                    })?;
                out.toolchain = Some((v.to_string(), line_no));
            }
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_mod_directives_with_comments_and_blocks() {
        let m = parse_go_mod(
            "// header\nmodule example.com/acme/api // trailing\n\ngo 1.24.2\n\nrequire (\n\tgo 9.9\n)\ntoolchain go1.25.1\n",
            "go.mod",
        )
        .unwrap();
        assert_eq!(m.module, Some(("example.com/acme/api".into(), 2)));
        assert_eq!(m.go, Some(("1.24.2".into(), 4)));
        assert_eq!(m.toolchain, Some(("1.25.1".into(), 9)));
    }

    #[test]
    fn bad_directives_name_the_line() {
        let e = parse_go_mod("module x\ngo banana\n", "go.mod")
            .unwrap_err()
            .to_string();
        assert!(e.contains("go.mod") && e.contains("line 2"), "{e}");
        let e = parse_go_mod("module x\ntoolchain gcc\n", "go.mod")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2") && e.contains("toolchain"), "{e}");
    }

    #[test]
    fn package_clause_skips_comments() {
        assert_eq!(
            package_clause("// c\n/* a\n b */\npackage main\n"),
            Some("main")
        );
        assert_eq!(package_clause("package server // x\n"), Some("server"));
    }
}
