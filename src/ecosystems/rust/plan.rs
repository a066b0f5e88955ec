//! Rust's part of the plan: which binary of which package, --locked, the C
//! libraries of its -sys crates (preset data `sys_crates`), the runtime that
//! can load them, and the static (musl) build.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{RustBin, RustProject};
use crate::ecosystems::PlanContext;
use crate::ecosystems::bind::Steer;
use crate::error::{Error, Result};
use crate::evidence::{Evidence, Fact};
use crate::plan::{Rule, pick_main};
use crate::ports::PortHints;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RustPlan {
    pub package: String,
    pub binary: String,
    pub locked: bool,
    /// The -sys crates of the build, each with its evidence and what it does.
    pub sys: Vec<SysUse>,
    /// Debian packages the builder installs for them (and musl-tools).
    pub build_packages: Vec<String>,
    /// Shared objects copied from the builder into the runtime image, with
    /// the Debian package each comes from (distroless: libraries that load
    /// nothing but glibc).
    pub copy_libs: Vec<CopyLib>,
    /// Every shared object of `copy_libs`, in order.
    pub copy_sonames: Vec<String>,
    /// Debian packages the runtime image installs (slim).
    pub runtime_packages: Vec<String>,
    /// Runtime packages the image already holds (`provides`), for the comment.
    pub provided: Vec<String>,
    /// The default runtime lacked libraries that cannot be copied: dfgen
    /// moved to the slim runtime (the comment says why).
    pub moved_for_libs: bool,
    /// The -sys crates that need runtime packages, for the comments.
    pub lib_crates: Vec<String>,
    /// Static build for the musl target (runtime `static`).
    pub musl: Option<MuslPlan>,
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

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SysUse {
    /// The Cargo.lock package (`libsqlite3-sys`).
    pub name: String,
    /// Why it is in the build: `Cargo.lock, package libsqlite3-sys`.
    pub evidence: String,
    /// What it does with its C library, and the feature that decided it.
    pub what: String,
    /// The Debian packages it needs at run time.
    pub runtime: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CopyLib {
    pub package: String,
    pub sonames: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MuslPlan {
    /// Why the builder needs musl-gcc (a build script compiles C), if it does.
    pub cc: Option<String>,
}

/// One entry of the preset's `sys_crates` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SysCrate {
    #[serde(default)]
    unlocked: Vec<String>,
    #[serde(default)]
    unlocked_default_features: Vec<String>,
    modes: Vec<SysMode>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SysMode {
    /// crate -> features that select this mode; none: the default.
    #[serde(default)]
    when: BTreeMap<String, Vec<String>>,
    what: String,
    #[serde(default)]
    build: Vec<String>,
    #[serde(default)]
    runtime: Vec<String>,
}

/// What the -sys crates of the project need, before a runtime is settled.
struct SysNeeds {
    uses: Vec<SysUse>,
    build: Vec<String>,
    runtime: Vec<String>,
    /// A crate whose chosen mode compiles C++ (g++ in its build): it cannot
    /// be linked into a musl binary with Debian's glibc libstdc++.
    cplusplus: Option<String>,
}

/// The runtime variant an app whose libraries the default image lacks goes to.
const LIBS_RUNTIME: &str = "slim";

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
    let needs = sys_needs(r, ctx)?;
    let default_runtime = ctx.plan.runtime.name.clone();
    let (copy_libs, runtime_packages) = runtime_libraries(ctx, &needs)?;
    let ctx_moved = ctx.plan.runtime.name != default_runtime;
    let provided: Vec<String> = {
        let provides: Vec<String> = ctx
            .plan
            .runtime
            .settings
            .get("provides")
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default();
        needs
            .runtime
            .iter()
            .filter(|p| runtime_packages.is_empty() && provides.contains(p))
            .cloned()
            .collect()
    };
    let mut build_packages = needs.build.clone();
    let musl = if setting(&ctx.plan.runtime.settings, "musl") {
        let cc = musl_check(r, &needs, &ctx.plan.runtime.name)?;
        if cc.is_some() {
            push_unique(&mut build_packages, "musl-tools");
        }
        Some(MuslPlan { cc })
    } else {
        None
    };
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
            sys: needs.uses.clone(),
            build_packages,
            copy_sonames: copy_libs
                .iter()
                .flat_map(|l| l.sonames.iter().cloned())
                .collect(),
            copy_libs,
            runtime_packages,
            provided,
            moved_for_libs: ctx_moved,
            lib_crates: needs
                .uses
                .iter()
                .filter(|u| !u.runtime.is_empty())
                .map(|u| u.name.clone())
                .collect(),
            musl,
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
    plan.run_notes = crate::deploy::config_mount_notes(ctx.project, &argv, &evidence, "/");
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

fn setting(settings: &BTreeMap<String, serde_json::Value>, key: &str) -> bool {
    settings.get(key).and_then(|v| v.as_bool()) == Some(true)
}

fn push_unique(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|x| x == item) {
        list.push(item.to_string());
    }
}

/// The preset's `sys_crates` table applied to Cargo.lock (or, without one, to
/// the direct dependencies) and the manifests' features.
fn sys_needs(r: &RustProject, ctx: &PlanContext) -> Result<SysNeeds> {
    let preset = ctx.preset;
    let bad = |m: String| Error::Preset {
        preset: preset.name.clone(),
        message: m,
    };
    let table: BTreeMap<String, SysCrate> = match preset.data.get("sys_crates") {
        Some(v) => {
            serde_json::from_value(v.clone()).map_err(|e| bad(format!("data.sys_crates: {e}")))?
        }
        None => BTreeMap::new(),
    };
    let mut out = SysNeeds {
        uses: Vec::new(),
        build: Vec::new(),
        runtime: Vec::new(),
        cplusplus: None,
    };
    for (name, entry) in &table {
        let evidence = match &r.lock_packages {
            Some(names) => names
                .binary_search(name)
                .is_ok()
                .then(|| format!("Cargo.lock, package {name}")),
            // With no lockfile, a direct dependency that pulls the crate in.
            None => r
                .dependencies
                .iter()
                .find(|d| {
                    entry.unlocked.contains(&d.name)
                        || (d.default_features && entry.unlocked_default_features.contains(&d.name))
                })
                .map(|d| d.evidence.to_string()),
        };
        let Some(evidence) = evidence else {
            continue;
        };
        let field = format!("data.sys_crates.{name}");
        let Some(default) = entry.modes.last().filter(|m| m.when.is_empty()) else {
            return Err(bad(format!(
                "{field}: the last mode must be the default (no `when`)"
            )));
        };
        let mut chosen = (default, None);
        'modes: for mode in &entry.modes {
            for (krate, features) in &mode.when {
                if let Some((dep, f)) = r.dependencies.iter().find_map(|d| {
                    (d.name == *krate)
                        .then(|| {
                            d.features
                                .iter()
                                .find(|f| features.contains(f))
                                .map(|f| (d, f))
                        })
                        .flatten()
                }) {
                    chosen = (
                        mode,
                        Some(format!("feature `{f}` of {krate}, {}", dep.evidence)),
                    );
                    break 'modes;
                }
            }
        }
        let (mode, why) = chosen;
        for (list, out) in [
            (&mode.build, &mut out.build),
            (&mode.runtime, &mut out.runtime),
        ] {
            for pkg in list {
                let pkg = crate::safe::name(&preset.origin, &field, pkg)?;
                push_unique(out, &pkg);
            }
        }
        if mode.build.iter().any(|b| b == "g++") && out.cplusplus.is_none() {
            out.cplusplus = Some(name.clone());
        }
        let what = match why {
            Some(why) => format!("{} ({why})", mode.what),
            None => mode.what.clone(),
        };
        out.uses.push(SysUse {
            name: name.clone(),
            evidence: crate::safe::comment_text(&evidence)?,
            what: crate::safe::comment_text(&what)?,
            runtime: mode.runtime.clone(),
        });
    }
    Ok(out)
}

/// Where the runtime gets the shared libraries: the image has them
/// (`provides`), they are copied from the builder (`copies`), or apt
/// installs them (`apt`). A default runtime that can do none of these is
/// replaced by the slim one; a chosen one is an error.
fn runtime_libraries(
    ctx: &mut PlanContext,
    needs: &SysNeeds,
) -> Result<(Vec<CopyLib>, Vec<String>)> {
    if needs.runtime.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let why = || {
        needs
            .uses
            .iter()
            .filter(|u| !u.runtime.is_empty())
            .map(|u| format!("{}: {}", u.name, u.evidence))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let list = |settings: &BTreeMap<String, serde_json::Value>, key: &str| -> Vec<String> {
        settings
            .get(key)
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default()
    };
    let settings = ctx.plan.runtime.settings.clone();
    let runtime = ctx.plan.runtime.name.clone();
    if setting(&settings, "musl") {
        return Err(Error::Usage(format!(
            "runtime `{runtime}` builds a static binary, but the app needs Debian's {} at run \
             time ({}): use the default runtime (it picks one that has them), or turn on the \
             crate's bundled/vendored feature",
            needs.runtime.join(", "),
            why()
        )));
    }
    if setting(&settings, "apt") {
        return Ok((Vec::new(), needs.runtime.clone()));
    }
    let provides = list(&settings, "provides");
    let copies: BTreeMap<String, Vec<String>> = settings
        .get("copies")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default();
    let missing: Vec<&String> = needs
        .runtime
        .iter()
        .filter(|p| !provides.contains(p))
        .collect();
    if missing.iter().all(|p| copies.contains_key(*p)) {
        let mut libs = Vec::new();
        for p in missing {
            let field = format!("runtime.variants.{runtime}.copies.{p}");
            let sonames = copies[p]
                .iter()
                .map(|so| crate::safe::name(&ctx.preset.origin, &field, so))
                .collect::<Result<Vec<_>>>()?;
            libs.push(CopyLib {
                package: p.clone(),
                sonames,
            });
        }
        return Ok((libs, Vec::new()));
    }
    let missing = missing
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    if ctx.choices.runtime.is_some() {
        return Err(Error::Usage(format!(
            "the binary loads {missing} ({}), which runtime `{runtime}` lacks and cannot take \
             as copied files: use --runtime {LIBS_RUNTIME}",
            why()
        )));
    }
    ctx.switch_runtime(LIBS_RUNTIME)?;
    ctx.plan.notes.push(format!(
        "runtime {LIBS_RUNTIME}: the binary loads {missing} ({}), which runtime `{runtime}` \
         lacks; Debian slim installs them with apt",
        why()
    ));
    Ok((Vec::new(), needs.runtime.clone()))
}

/// The static (musl) build works for pure Rust and for C compiled from
/// source; it refuses C++ (Debian's libstdc++ is built for glibc). Returns
/// why the builder needs musl-gcc: the `cc` crate compiles C in a build script.
fn musl_check(r: &RustProject, needs: &SysNeeds, runtime: &str) -> Result<Option<String>> {
    if let Some(name) = &needs.cplusplus {
        return Err(Error::Usage(format!(
            "runtime `{runtime}` builds a static musl binary, but {name} compiles C++ ({}), \
             which Debian's glibc libstdc++ cannot link into it: use --runtime distroless",
            needs
                .uses
                .iter()
                .find(|u| &u.name == name)
                .map(|u| u.evidence.as_str())
                .unwrap_or_default()
        )));
    }
    Ok(r.lock_packages
        .as_ref()
        .is_some_and(|names| names.binary_search(&"cc".to_string()).is_ok())
        .then(|| "Cargo.lock, package cc".to_string()))
}
