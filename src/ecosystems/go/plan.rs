//! Go's part of the plan: which main package, the binary, vendoring.

use serde::{Deserialize, Serialize};

use super::{GoMain, GoProject};
use crate::ecosystems::PlanContext;
use crate::error::Result;
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
}

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
    let module_last = g.module.value.rsplit('/').next().unwrap_or("").to_string();
    let is_app = |m: &GoMain| {
        let d = m.dir.value.as_str();
        !d.split('/').any(|seg| NOT_THE_APP.contains(&seg)) && !NOT_THE_APP.contains(&d)
    };
    let rules = [
        Rule::new(
            format!(
                "{} runs it",
                deploy_cmd
                    .map(|c| c.evidence.to_string())
                    .unwrap_or_default()
            ),
            |m: &GoMain| deploy_prog.as_deref() == Some(m.binary.as_str()),
        ),
        Rule::new(
            "the only main package outside examples and tools",
            |m: &GoMain| is_app(m),
        ),
        Rule::new("the main package at the module root", |m: &GoMain| {
            m.dir.value == "."
        }),
        Rule::new("named after the module", |m: &GoMain| {
            is_app(m) && m.binary == module_last
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
    let plan = &mut *ctx.plan;
    plan.shape = "binary".into();
    let package = if main.dir.value == "." {
        ".".to_string()
    } else {
        format!("./{}", main.dir.value)
    };
    plan.main = Some(Fact::new(
        package.clone(),
        Evidence::other(format!("binary {}", main.binary)),
    ));
    plan.set_part(
        "go",
        &GoPlan {
            package,
            binary: main.binary.clone(),
            vendor: g.vendor.is_some(),
            go_sum: g.has_go_sum,
        },
    )?;
    let mut argv = vec![format!("/usr/local/bin/{}", main.binary)];
    let mut evidence = Evidence::other(format!("binary built from {}", main.dir.value));
    // A deployment file that runs this binary with arguments (`api serve
    // --config /etc/api.toml`) keeps them.
    if let Some(args) = ctx.deploy.args_for(&main.binary, &mut plan.warnings) {
        argv.extend(args.value);
        evidence = args.evidence;
    }
    plan.command = Some(Fact::new(argv, evidence));
    Ok(main.ports.clone())
}
