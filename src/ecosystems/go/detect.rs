//! Go: go.mod (module, `go` and `toolchain` directives), go.sum, vendor/, and
//! the main packages at the root or under cmd/<name>/.

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
}

#[derive(Debug, Clone, Serialize)]
pub struct GoMain {
    /// Package directory relative to the root: `.` or `cmd/api`.
    pub dir: Fact<String>,
    /// Name of the built binary.
    pub binary: String,
    pub ports: PortHints,
    /// `import "C"` in this package or one of the module's packages it imports.
    pub cgo: Option<Fact<bool>>,
    /// A loopback listen address that an env var or flag overrides.
    pub bind: Option<LoopbackDefault>,
    /// Directories read at runtime by relative path and not embedded.
    pub runtime_dirs: Vec<Fact<String>>,
}

pub fn detect(p: &Project) -> Result<Option<GoProject>> {
    let Some(text) = p.read_opt("go.mod", MANIFEST_CAP)? else {
        return Ok(None);
    };
    let gomod = parse_go_mod(&text)?;
    let module = gomod
        .module
        .ok_or_else(|| Error::parse("go.mod", "no `module` directive"))?;
    let tool_pin = crate::version::tool_versions(p, &["golang", "go"])?;
    let version = match (gomod.toolchain, tool_pin, gomod.go) {
        (Some((v, line)), _, _) => Declared::Pin {
            version: v,
            evidence: crate::evidence::Evidence::file(
                "go.mod",
                format!("`toolchain` directive, line {line}"),
            ),
        },
        (None, Some(pin), _) => pin,
        (None, None, Some((v, line))) => Declared::Minimum {
            version: v,
            evidence: crate::evidence::Evidence::file(
                "go.mod",
                format!("`go` directive (a minimum), line {line}"),
            ),
        },
        (None, None, None) => Declared::Nothing,
    };
    let module_last = module.0.rsplit('/').next().unwrap_or(&module.0).to_string();
    let modules = vec![(module.0.clone(), String::new())];
    let mut mains = Vec::new();
    for dir in main_package_dirs(p)? {
        let Some(file) = main_package_file(p, &dir)? else {
            continue;
        };
        let binary = if dir.is_empty() {
            module_last.clone()
        } else {
            dir.rsplit('/').next().unwrap_or(&dir).to_string()
        };
        let shown = if dir.is_empty() { "." } else { dir.as_str() };
        mains.push(main_at(p, shown, &file, &binary, &modules)?);
    }
    let vendor = p
        .has_file("vendor/modules.txt")
        .then(|| Fact::in_file(true, "vendor/modules.txt", "vendored modules"));
    let cgo_module = gomod.requires.iter().find_map(|(m, line)| {
        source::CGO_MODULES
            .iter()
            .any(|c| m == c || m.starts_with(&format!("{c}/")))
            .then(|| Fact::in_file(m.clone(), "go.mod", format!("require {m}, line {line}")))
    });
    Ok(Some(GoProject {
        goprivate: source::goprivate(p)?,
        release: super::goreleaser::read(p)?,
        cgo_module,
        module: Fact::in_file(
            module.0,
            "go.mod",
            format!("`module` directive, line {}", module.1),
        ),
        version,
        has_go_sum: p.has_file("go.sum"),
        vendor,
        mains,
    }))
}

fn main_at(
    p: &Project,
    dir: &str,
    file: &str,
    binary: &str,
    modules: &[(String, String)],
) -> Result<GoMain> {
    let field = format!("main package directory {dir}");
    let dir_checked = safe::rel_path(file, &field, dir)?;
    // The root package's binary is named after the module path: a bad name is
    // go.mod's fault, not main.go's.
    let binary = if dir == "." {
        safe::binary(
            "go.mod",
            "module (its last element names the binary)",
            binary,
        )?
    } else {
        safe::binary(file, "binary name (from the directory)", binary)?
    };
    let packages = source::local_packages(p, if dir == "." { "" } else { dir }, modules);
    let mut package_sources = Vec::new();
    for pkg in &packages {
        package_sources.extend(source::package_files(p, pkg)?);
    }
    Ok(GoMain {
        bind: crate::ecosystems::bind::find(p, &package_sources),
        runtime_dirs: source::runtime_dirs(p, &package_sources),
        dir: Fact::in_file(dir_checked, file, "`package main`"),
        binary,
        ports: hints::scan(p, &package_sources),
        cgo: source::cgo_import(p, &packages),
    })
}

/// How deep below the module root main packages are looked for.
const MAIN_SEARCH_DEPTH: usize = 5;

/// Directories (relative, `""` for the root) that may hold a main package:
/// the whole module, depth-limited, in sorted order, skipping vendor/,
/// testdata/, hidden and `_`-prefixed directories (the go tool ignores those)
/// and nested modules (a directory with its own go.mod is another module).
fn main_package_dirs(p: &Project) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut queue = vec![(String::new(), 0usize)];
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
}

fn parse_go_mod(text: &str) -> Result<GoMod> {
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
            } else if verb == "require"
                && let Some(m) = line.split_whitespace().next()
            {
                out.requires
                    .push((m.trim_matches('"').to_string(), line_no));
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
        let bad = |what: &str| Error::parse("go.mod", format!("line {line_no}: {what}"));
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
        )
        .unwrap();
        assert_eq!(m.module, Some(("example.com/acme/api".into(), 2)));
        assert_eq!(m.go, Some(("1.24.2".into(), 4)));
        assert_eq!(m.toolchain, Some(("1.25.1".into(), 9)));
    }

    #[test]
    fn bad_directives_name_the_line() {
        let e = parse_go_mod("module x\ngo banana\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("go.mod") && e.contains("line 2"), "{e}");
        let e = parse_go_mod("module x\ntoolchain gcc\n")
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
