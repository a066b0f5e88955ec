//! Rust's part of the plan: which binary of which package, --locked, OpenSSL.

use serde::{Deserialize, Serialize};

use super::RustProject;
use crate::ecosystems::PlanContext;
use crate::error::Result;
use crate::evidence::{Evidence, Fact};
use crate::plan::pick_main;
use crate::ports::PortHints;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RustPlan {
    pub package: String,
    pub binary: String,
    pub locked: bool,
    /// Why the build links OpenSSL (evidence), if it does.
    pub openssl: Option<String>,
}

pub fn plan(r: &RustProject, ctx: &mut PlanContext) -> Result<PortHints> {
    let wanted = ctx
        .choices
        .main
        .as_deref()
        .or(r.default_run.as_ref().map(|d| d.value.as_str()));
    let bin = pick_main(
        &r.binaries,
        |b| {
            vec![
                b.name.value.clone(),
                format!("{}/{}", b.package, b.name.value),
            ]
        },
        wanted,
        "binary",
        |b| {
            if r.workspace {
                format!("{} (package {})", b.name.value, b.package)
            } else {
                b.name.value.clone()
            }
        },
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
        },
    )?;
    if !r.locked {
        plan.warnings.push(
            "no Cargo.lock: the build resolves dependencies afresh and is not reproducible".into(),
        );
    }
    plan.command = Some(Fact::new(
        vec![format!("/usr/local/bin/{}", bin.name.value)],
        bin.name.evidence.clone(),
    ));
    Ok(bin.ports.clone())
}
