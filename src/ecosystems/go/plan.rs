//! Go's part of the plan: which main package, the binary, vendoring.

use serde::{Deserialize, Serialize};

use super::{GoMain, GoProject};
use crate::ecosystems::PlanContext;
use crate::ecosystems::bind::Steer;
use crate::error::{Error, Result};
use crate::evidence::{Evidence, Fact};
use crate::plan::{Rule, pick_main};
use crate::ports::PortHints;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GoPlan {
    /// `./cmd/api`, or `.` for the root package.
    pub package: String,
    pub binary: String,
    pub vendor: bool,
    pub go_sum: bool,
    /// Files `go mod download` reads (go.mod, go.sum; in a workspace go.work,
    /// go.work.sum and each module's), bind-mounted in this order.
    pub mod_files: Vec<String>,
    /// go.work names the modules: the build runs in workspace mode.
    pub workspace: bool,
    /// Why the build needs cgo (evidence), if it does: CGO_ENABLED=1, no
    /// cross-compilation, a glibc runtime.
    pub cgo: Option<String>,
    /// GOPRIVATE patterns and where they were read.
    pub goprivate: Option<String>,
    pub goprivate_evidence: Option<String>,
    /// file:line of a hard-coded loopback bind nothing can override.
    pub loopback: Option<String>,
    /// Directories the program reads at runtime (copied next to it), each
    /// with where it is read.
    pub runtime_dirs: Vec<RuntimeDir>,
    /// `-ldflags` for go build.
    pub ldflags: String,
    /// `-tags` list (comma-separated), empty for none.
    pub tags: String,
    /// Build args the ldflags use (`VERSION`...), with defaults.
    pub build_args: Vec<(String, String)>,
    /// Where the release build settings come from (`.goreleaser.yaml, builds[0]`).
    pub release: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RuntimeDir {
    pub dir: String,
    pub why: String,
}

/// The runtime variant cgo binaries run on (it has glibc).
const CGO_RUNTIME: &str = "glibc";

/// Directories whose main packages are examples or tooling, not the app.
const NOT_THE_APP: &[&str] = &[
    "example",
    "examples",
    "_examples",
    "test",
    "tests",
    "tools",
    "tool",
    "hack",
    "scripts",
    "script",
    "docs",
    "doc",
    "bench",
    "benchmark",
    "benchmarks",
    "internal/tools",
    "e2e",
];

/// Names that say "this is the server".
const SERVER_NAMES: &[&str] = &["server", "api", "web", "app", "http", "httpd", "service"];

pub fn plan(g: &GoProject, ctx: &mut PlanContext) -> Result<PortHints> {
    let deploy_cmd = ctx.deploy.command.as_ref();
    // The program a deployment file runs (`bin/api serve` → api) and its arguments.
    let deploy_prog = ctx.deploy.program();
    let is_app = |m: &GoMain| {
        let d = m.dir.value.as_str();
        !d.split('/').any(|seg| NOT_THE_APP.contains(&seg)) && !NOT_THE_APP.contains(&d)
    };
    let release = g.release.as_ref();
    let rules = [
        Rule::new(
            format!(
                "{} runs it",
                deploy_cmd
                    .map(|c| c.evidence.to_string())
                    .unwrap_or_default()
            ),
            |m: &GoMain| {
                deploy_prog.as_deref() == Some(m.binary.as_str())
                    || release.is_some_and(|r| {
                        r.binary.as_deref() == deploy_prog.as_deref() && r.main == m.dir.value
                    })
            },
        ),
        Rule::new(
            format!(
                "{} builds it",
                release.map(|r| r.file.as_str()).unwrap_or_default()
            ),
            |m: &GoMain| release.is_some_and(|r| r.main == m.dir.value),
        ),
        Rule::new(
            "the only main package outside examples and tools",
            |m: &GoMain| is_app(m),
        ),
        Rule::new("the main package at the module root", |m: &GoMain| {
            m.dir.value == "."
        }),
        Rule::new("named after the module", |m: &GoMain| {
            is_app(m) && Some(m.binary.as_str()) == m.module.rsplit('/').next()
        }),
        Rule::new("the only one named like a server", |m: &GoMain| {
            is_app(m)
                && (SERVER_NAMES.contains(&m.binary.as_str())
                    || SERVER_NAMES
                        .iter()
                        .any(|s| m.binary.ends_with(&format!("-{s}"))))
        }),
    ];
    let main = pick_main(
        &g.mains,
        |m| vec![m.dir.value.clone(), m.binary.clone()],
        ctx.choices.main.as_deref(),
        "main package",
        |m| m.dir.value.clone(),
        &rules,
        &mut ctx.plan.notes,
    )?;
    // The release build's settings apply when it builds this main package.
    let release = release.filter(|r| r.main == main.dir.value);
    if let Some(r) = g.release.as_ref()
        && release.is_none()
        && !g.mains.iter().any(|m| m.dir.value == r.main)
    {
        ctx.plan.warnings.push(format!(
            "{}: {} {} is not a main package of this module; ignored",
            r.file, r.main_field, r.main
        ));
    }
    let binary = release
        .and_then(|r| r.binary.clone())
        .unwrap_or_else(|| main.binary.clone());
    let mut ldflags = "-s -w".to_string();
    for stamp in release.map(|r| r.stamps.as_slice()).unwrap_or_default() {
        ldflags.push_str(&format!(" -X {stamp}"));
    }
    if let Some(r) = release
        && !r.dropped.is_empty()
    {
        ctx.plan.warnings.push(format!(
            "{}: ldflags {} use templates dfgen cannot fill at build time; left out",
            r.file,
            r.dropped.join(", ")
        ));
    }
    let cgo = main
        .cgo
        .as_ref()
        .or(g
            .cgo_module
            .as_ref()
            .map(|m| Fact::new(true, m.evidence.clone()))
            .as_ref())
        .map(|f| f.evidence.to_string());
    if let Some(why) = &cgo {
        use_glibc_runtime(ctx, why)?;
    }
    let plan = &mut *ctx.plan;
    plan.shape = "binary".into();
    let package = if main.dir.value == "." {
        ".".to_string()
    } else {
        format!("./{}", main.dir.value)
    };
    plan.main = Some(Fact::new(
        package.clone(),
        Evidence::other(format!("binary {binary}")),
    ));
    plan.set_part(
        "go",
        &GoPlan {
            package,
            binary: binary.clone(),
            ldflags,
            tags: release.map(|r| r.tags.join(",")).unwrap_or_default(),
            build_args: release.map(|r| r.args.clone()).unwrap_or_default(),
            release: release.map(|r| r.origin.clone()),
            vendor: g.vendor.is_some(),
            go_sum: g.has_go_sum,
            mod_files: g.mod_files.clone(),
            workspace: g.workspace.is_some(),
            cgo,
            goprivate: g.goprivate.as_ref().map(|f| f.value.clone()),
            goprivate_evidence: g.goprivate.as_ref().map(|f| f.evidence.to_string()),
            runtime_dirs: main
                .runtime_dirs
                .iter()
                .map(|d| RuntimeDir {
                    dir: d.value.clone(),
                    why: d.evidence.to_string(),
                })
                .collect(),
            loopback: if main.bind.is_some() {
                None
            } else {
                main.ports.loopback.clone()
            },
        },
    )?;
    let mut argv = vec![format!("/usr/local/bin/{binary}")];
    let mut evidence = Evidence::other(format!("binary built from {}", main.dir.value));
    // A deployment file that runs this binary with arguments (`api serve
    // --config /etc/api.toml`) keeps them.
    if let Some(args) = ctx.deploy.args_for(&binary, &mut plan.warnings) {
        argv.extend(args.value);
        evidence = args.evidence;
    }
    let workdir = if main.runtime_dirs.is_empty() {
        "/"
    } else {
        "/app"
    };
    plan.run_notes = crate::deploy::config_mount_notes(ctx.project, &argv, &evidence, workdir);
    let mut hints = main.ports.clone();
    if let Some(bind) = &main.bind {
        match &bind.steer {
            Steer::Env(var) => {
                plan.env.insert(var.clone(), bind.fact());
            }
            Steer::Flag(flag) => {
                let given = argv[1..]
                    .iter()
                    .any(|a| a.trim_start_matches('-').split('=').next() == Some(flag));
                if !given {
                    argv.push(format!("-{flag}={}", bind.value));
                }
            }
        }
        hints.loopback = None; // overridden: the image binds 0.0.0.0
    }
    plan.command = Some(Fact::new(argv, evidence));
    Ok(hints)
}

/// A cgo binary links glibc dynamically: it runs on the preset's glibc
/// variant. Chosen by default; a runtime chosen without libc is refused.
fn use_glibc_runtime(ctx: &mut PlanContext, why: &str) -> Result<()> {
    let has_libc = |settings: &std::collections::BTreeMap<String, serde_json::Value>| {
        settings.get("libc").and_then(|v| v.as_bool()) == Some(true)
    };
    if has_libc(&ctx.plan.runtime.settings) {
        return Ok(());
    }
    if let Some(chosen) = &ctx.choices.runtime {
        return Err(Error::Usage(format!(
            "the app needs cgo ({why}), so the binary links glibc, but runtime `{chosen}` has no \
             libc: use --runtime {CGO_RUNTIME}"
        )));
    }
    ctx.switch_runtime(CGO_RUNTIME)?;
    ctx.plan.notes.push(format!(
        "runtime {CGO_RUNTIME}: the app needs cgo ({why}), so the binary links glibc and \
         cannot run on the static image"
    ));
    Ok(())
}
