//! Rust's part of the plan: which binary of which package, --locked, OpenSSL.

use serde::{Deserialize, Serialize};

use super::{RustBin, RustProject};
use crate::ecosystems::PlanContext;
use crate::ecosystems::bind::Steer;
use crate::error::Result;
use crate::evidence::{Evidence, Fact};
use crate::plan::{Rule, pick_main};
use crate::ports::PortHints;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RustPlan {
    pub package: String,
    pub binary: String,
    pub locked: bool,
    /// Why the build links OpenSSL (evidence), if it does.
    pub openssl: Option<String>,
    /// file:line of a hard-coded loopback bind nothing can override.
    pub loopback: Option<String>,
    /// rust-toolchain.toml components the build installs (editor and lint
    /// tools are left out: a release build does not run them).
    pub components: Vec<String>,
    /// Listed components left out, for the comment.
    pub skipped_components: Vec<String>,
    /// rust-toolchain.toml targets the build installs.
    pub targets: Vec<String>,
    /// The rust-toolchain file that chose the image's toolchain, if any: the
    /// build tells rustup to use the image's toolchain, not download it again
    /// under the name the file gives.
    pub toolchain_file: Option<String>,
    /// Where sqlx's offline query data is: the build sets SQLX_OFFLINE=true.
    pub sqlx_offline: Option<String>,
    /// A checked sqlx query (file:line) without offline data: the build will
    /// fail without a database; the Dockerfile says why.
    pub sqlx_unprepared: Option<String>,
}

/// Toolchain components for editing, linting and docs: `cargo build` never
/// uses them, so the image does not download them.
const DEV_COMPONENTS: &[&str] = &[
    "rustfmt",
    "clippy",
    "rust-analyzer",
    "rust-analysis",
    "rust-docs",
    "miri",
];

/// Names that say "this is the server".
const SERVER_NAMES: &[&str] = &["server", "api", "web", "app", "http", "service"];

pub fn plan(r: &RustProject, ctx: &mut PlanContext) -> Result<PortHints> {
    let deploy_cmd = ctx.deploy.command.as_ref();
    let deploy_prog = ctx.deploy.program();
    let default_run = r.default_run.as_ref().map(|d| d.value.as_str());
    let default_members = r.default_members.as_ref().map(|d| &d.value);
    let rules = [
        Rule::new("package.default-run in Cargo.toml", |b: &RustBin| {
            default_run == Some(b.name.value.as_str())
        }),
        Rule::new(
            format!(
                "{} runs it",
                deploy_cmd
                    .map(|c| c.evidence.to_string())
                    .unwrap_or_default()
            ),
            |b: &RustBin| deploy_prog.as_deref() == Some(b.name.value.as_str()),
        ),
        Rule::new(
            "the only binary in workspace.default-members",
            |b: &RustBin| default_members.is_some_and(|m| m.contains(&b.dir)),
        ),
        Rule::new("named after the root package", |b: &RustBin| {
            r.root_package.as_deref() == Some(b.name.value.as_str())
        }),
        Rule::new("the only one named like a server", |b: &RustBin| {
            let n = b.name.value.as_str();
            SERVER_NAMES.contains(&n)
                || SERVER_NAMES
                    .iter()
                    .any(|s| n.ends_with(&format!("-{s}")) || n.ends_with(&format!("_{s}")))
        }),
    ];
    let bin = pick_main(
        &r.binaries,
        |b| {
            vec![
                b.name.value.clone(),
                format!("{}/{}", b.package, b.name.value),
                b.dir.clone(),
            ]
        },
        ctx.choices.main.as_deref(),
        "binary",
        |b| {
            if r.workspace {
                format!("{} (package {})", b.name.value, b.package)
            } else {
                b.name.value.clone()
            }
        },
        &rules,
        &mut ctx.plan.notes,
    )?;
    let plan = &mut *ctx.plan;
    plan.shape = "binary".into();
    plan.main = Some(Fact::new(
        bin.name.value.clone(),
        Evidence::other(format!("package {}", bin.package)),
    ));
    plan.set_part(
        "rust",
        &RustPlan {
            package: bin.package.clone(),
            binary: bin.name.value.clone(),
            locked: r.locked,
            openssl: r.openssl.as_ref().map(|f| f.evidence.to_string()),
            components: r
                .components
                .iter()
                .filter(|c| !DEV_COMPONENTS.contains(&c.as_str()))
                .cloned()
                .collect(),
            skipped_components: r
                .components
                .iter()
                .filter(|c| DEV_COMPONENTS.contains(&c.as_str()))
                .cloned()
                .collect(),
            targets: r.targets.clone(),
            toolchain_file: toolchain_file(&r.version),
            sqlx_offline: r.sqlx_offline.as_ref().map(|f| f.evidence.to_string()),
            sqlx_unprepared: if r.sqlx_offline.is_none() {
                r.sqlx_macros.clone()
            } else {
                None
            },
            loopback: if bin.bind.is_some() {
                None
            } else {
                bin.ports.loopback.clone()
            },
        },
    )?;
    if let (None, Some(at)) = (&r.sqlx_offline, &r.sqlx_macros) {
        plan.warnings.push(format!(
            "{at} uses a sqlx query macro, which checks queries against a database at compile \
             time; there is no .sqlx/ offline data, so the image build will fail: run \
             `cargo sqlx prepare --workspace` and commit .sqlx/"
        ));
    }
    if !r.locked {
        plan.warnings.push(
            "no Cargo.lock: the build resolves dependencies afresh and is not reproducible".into(),
        );
    }
    let mut argv = vec![format!("/usr/local/bin/{}", bin.name.value)];
    let mut evidence = bin.name.evidence.clone();
    // A deployment file that runs this binary with arguments (`api serve
    // --config /etc/api.toml`) keeps them.
    if let Some(args) = ctx.deploy.args_for(&bin.name.value, &mut plan.warnings) {
        argv.extend(args.value);
        evidence = args.evidence;
    }
    plan.command = Some(Fact::new(argv, evidence));
    let mut hints = bin.ports.clone();
    if let Some(bind) = &bin.bind
        && let Steer::Env(var) = &bind.steer
    {
        plan.env.insert(var.clone(), bind.fact());
        hints.loopback = None; // overridden: the image binds 0.0.0.0
    }
    Ok(hints)
}

/// The rust-toolchain file a version was read from, if it was.
fn toolchain_file(v: &crate::version::Declared) -> Option<String> {
    use crate::version::Declared;
    let evidence = match v {
        Declared::Pin { evidence, .. } | Declared::Alias { evidence, .. } => evidence,
        _ => return None,
    };
    evidence
        .file
        .clone()
        .filter(|f| f.starts_with("rust-toolchain"))
}
