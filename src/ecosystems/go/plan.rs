//! Go's part of the plan: which main package, the binary, vendoring.

use serde::{Deserialize, Serialize};

use super::GoProject;
use crate::ecosystems::PlanContext;
use crate::error::Result;
use crate::evidence::{Evidence, Fact};
use crate::plan::pick_main;
use crate::ports::PortHints;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GoPlan {
    /// `./cmd/api`, or `.` for the root package.
    pub package: String,
    pub binary: String,
    pub vendor: bool,
    pub go_sum: bool,
}

pub fn plan(g: &GoProject, ctx: &mut PlanContext) -> Result<PortHints> {
    let main = pick_main(
        &g.mains,
        |m| vec![m.dir.value.clone(), m.binary.clone()],
        ctx.choices.main.as_deref(),
        "main package",
        |m| m.dir.value.clone(),
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
    plan.command = Some(Fact::new(
        vec![format!("/usr/local/bin/{}", main.binary)],
        Evidence::other(format!("binary built from {}", main.dir.value)),
    ));
    Ok(main.ports.clone())
}
