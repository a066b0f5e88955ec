//! The static site's part of the plan: the folder to serve (or, at the root,
//! the entries that are the site), the fallback for client-side routes and
//! the 404 page. nginx serves it; there is no start command of our own.

use serde::{Deserialize, Serialize};

use super::{SITE_DIRS, Site, StaticSite};
use crate::ecosystems::PlanContext;
use crate::error::Result;
use crate::evidence::{Evidence, Fact};
use crate::plan::{Rule, pick_main};
use crate::ports::PortHints;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StaticPlan {
    /// The folder served, `.` for the project root.
    pub dir: String,
    /// Root-level sites: files and folders copied one by one (nothing else of
    /// the repository reaches the image).
    pub root_files: Vec<String>,
    pub root_dirs: Vec<String>,
    /// The page unknown paths fall back to (client-side routing), if any.
    pub fallback: Option<String>,
    /// Why there is a fallback.
    pub spa_evidence: Option<String>,
    pub not_found: Option<String>,
}

pub fn plan(site: &StaticSite, ctx: &mut PlanContext) -> Result<PortHints> {
    // Several folders with an index.html: the root, then public/, site/, ...
    // in that order; `--main <folder>` picks another.
    let order: Vec<&str> = std::iter::once(".")
        .chain(SITE_DIRS.iter().copied())
        .collect();
    let rules: Vec<Rule<Site>> = order
        .iter()
        .map(|d| {
            let d = d.to_string();
            let why = if d == "." {
                "the index.html at the project root comes first".to_string()
            } else {
                format!("the first site folder in the order {}", order.join(", "))
            };
            Rule::new(why, move |x: &Site| x.dir.value == d)
        })
        .collect();
    let s = pick_main(
        &site.sites,
        |x| vec![x.dir.value.clone()],
        ctx.choices.main.as_deref(),
        "site folder",
        |x| x.dir.value.clone(),
        &rules,
        &mut ctx.plan.notes,
    )?;
    let plan = &mut *ctx.plan;
    plan.shape = "static".into();
    plan.main = Some(s.dir.clone());
    if s.dir.value == "." {
        plan.notes.push(format!(
            "the site is the project root: the image gets {} only; a new top-level file needs \
             `dfgen init --force` (or move the site into public/)",
            s.root_files
                .iter()
                .cloned()
                .chain(s.root_dirs.iter().map(|d| format!("{d}/")))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        if !s.left_out.is_empty() {
            plan.notes.push(format!(
                "left out of the image (not web content): {}",
                s.left_out.join(", ")
            ));
        }
    }
    match &s.spa {
        Some(spa) => plan.notes.push(format!(
            "client-side routing ({}, {}): unknown paths get /{} instead of a 404",
            spa.value, spa.evidence, s.fallback
        )),
        None => plan.notes.push(
            "no client-side router seen: unknown paths get a 404 (a `_redirects` rule \
             `/* /index.html 200` turns on the fallback)"
                .into(),
        ),
    }
    plan.set_part(
        "static",
        &StaticPlan {
            dir: s.dir.value.clone(),
            root_files: s.root_files.clone(),
            root_dirs: s.root_dirs.clone(),
            fallback: s.spa.as_ref().map(|_| s.fallback.clone()),
            spa_evidence: s
                .spa
                .as_ref()
                .map(|f| format!("{}, {}", f.value, f.evidence)),
            not_found: s.not_found.clone(),
        },
    )?;
    plan.port = Some(Fact::new(
        ctx.preset.default_port.unwrap_or(8080),
        Evidence::other(format!(
            "the port the {} runtime listens on",
            plan.runtime.name
        )),
    ));
    Ok(PortHints::default())
}
