//! Ruby's part of the plan: Bundler settings, the Debian packages native gems
//! need (from the preset's data), Rails' build steps, writable directories and
//! the start command (Procfile, Rails, Rack server or a plain script).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::RubyProject;
use crate::ecosystems::PlanContext;
use crate::error::{Error, Result};
use crate::evidence::{Evidence, Fact};
use crate::ports::PortHints;
use crate::safe;
use crate::version::Declared;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RubyPlan {
    pub app_dir: String,
    pub lockfile: bool,
    /// The Gemfile reads .ruby-version: it is copied with the Gemfile.
    pub ruby_version_file: bool,
    pub rails: bool,
    /// `bundle exec bootsnap precompile` (bootsnap is in the bundle).
    pub bootsnap: bool,
    /// Rails with an asset pipeline: `assets:precompile`.
    pub assets: bool,
    /// Debian packages native gems build against (builder only).
    pub build_packages: Vec<String>,
    /// Libraries those gems load at runtime.
    pub runtime_packages: Vec<String>,
    /// Directories the runtime user owns (everything else stays root's).
    pub writable: Vec<String>,
}

/// A native gem's needs (preset data `native_gems`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct NativeGem {
    #[serde(default)]
    build: Vec<String>,
    #[serde(default)]
    runtime: Vec<String>,
}

pub fn plan(r: &RubyProject, ctx: &mut PlanContext) -> Result<PortHints> {
    let (preset, choices, deploy) = (ctx.preset, ctx.choices, ctx.deploy);
    let natives: BTreeMap<String, NativeGem> = match preset.data.get("native_gems") {
        Some(v) => serde_json::from_value(v.clone()).map_err(|e| Error::Preset {
            preset: preset.name.clone(),
            message: format!("data.native_gems: {e}"),
        })?,
        None => BTreeMap::new(),
    };
    let plan = &mut *ctx.plan;
    plan.shape = "app".into();
    // Bundler refuses a Ruby whose patch release differs from an exact `ruby`
    // directive, and the ruby images publish every patch release: use it whole.
    if let (Some(exact), None, Declared::Pin { version, evidence }) =
        (&r.exact_ruby, &choices.version, &r.version)
        && crate::version::parse_numbers(version).is_some_and(|p| p.len() >= 3)
    {
        plan.version.tag = version.clone();
        plan.version.reason = safe::comment_text(&format!(
            "Ruby {version}: pinned by {evidence}; the Gemfile's {} makes Bundler require exactly \
             this release, so the image tag names it whole",
            exact.evidence.detail
        ))?;
    }
    let mut build_packages: Vec<String> = Vec::new();
    let mut runtime_packages: Vec<String> = Vec::new();
    for (gem, needs) in &natives {
        if !r.has_gem(gem) || r.precompiled.contains(gem) {
            continue;
        }
        let field = format!("data.native_gems.{gem}");
        for (list, out) in [
            (&needs.build, &mut build_packages),
            (&needs.runtime, &mut runtime_packages),
        ] {
            for pkg in list {
                let pkg = safe::name(&preset.origin, &field, pkg)?;
                if !out.contains(&pkg) {
                    out.push(pkg);
                }
            }
        }
    }
    let rails = r.rails.is_some();
    if !r.lockfile {
        plan.warnings.push(
            "no Gemfile.lock: gems are resolved afresh on every build, and Bundler's deployment \
             mode (frozen lockfile) is off; commit the lockfile"
                .into(),
        );
    }
    let mut writable: Vec<String> = Vec::new();
    if rails {
        writable.extend(["tmp", "log", "storage"].map(String::from));
        if r.dirs.iter().any(|d| d == "db") && r.has_gem("sqlite3") {
            // SQLite databases live in db/ (older Rails) or storage/.
            writable.push("db".into());
        }
    } else {
        writable.extend(
            r.dirs
                .iter()
                .filter(|d| matches!(d.as_str(), "tmp" | "log" | "storage"))
                .cloned(),
        );
    }
    let assets =
        rails && (r.has_gem("sprockets-rails") || r.has_gem("propshaft") || r.has_gem("sprockets"));
    if rails && r.package_json {
        plan.warnings.push(
            "package.json: if assets:precompile runs a JavaScript build (jsbundling-rails, \
             cssbundling-rails), the builder needs Node, which this preset does not install; \
             add it to the build stage"
                .into(),
        );
    }
    plan.set_part(
        "ruby",
        &RubyPlan {
            app_dir: "/app".into(),
            lockfile: r.lockfile,
            ruby_version_file: r.ruby_version_file,
            rails,
            bootsnap: r.has_gem("bootsnap"),
            assets,
            build_packages,
            runtime_packages,
            writable,
        },
    )?;
    let env = |plan: &mut crate::plan::Plan, k: &str, v: &str, why: &str| {
        plan.env
            .insert(k.into(), Fact::new(v.into(), Evidence::other(why)));
    };
    if rails {
        env(
            plan,
            "RAILS_ENV",
            "production",
            "Rails: run in production mode",
        );
        env(
            plan,
            "RAILS_LOG_TO_STDOUT",
            "1",
            "Rails: logs to stdout, where the container runtime collects them",
        );
        env(
            plan,
            "RAILS_SERVE_STATIC_FILES",
            "1",
            "Rails: serve the precompiled assets itself (no web server in front)",
        );
    } else {
        env(plan, "RACK_ENV", "production", "Rack: production mode");
        env(
            plan,
            "APP_ENV",
            "production",
            "Sinatra: production mode (binds 0.0.0.0)",
        );
    }
    let mut hints = r.ports.clone();
    if choices.cmd.is_some() {
        return Ok(hints);
    }
    let port_or = |default: u16, why: &str| -> Fact<u16> {
        if let Some(port) = choices.port {
            return Fact::new(
                port,
                Evidence::other("your choice (--port, dfgen.yaml or the wizard)"),
            );
        }
        deploy
            .port
            .clone()
            .unwrap_or_else(|| Fact::new(default, Evidence::other(why)))
    };
    let bundle = |args: &[&str]| -> Vec<String> {
        let mut v = vec!["bundle".to_string(), "exec".to_string()];
        v.extend(args.iter().map(|s| s.to_string()));
        v
    };
    let command = if let Some(cmd) = &deploy.command {
        let argv = crate::deploy::exec_form(cmd, plan.runtime.shell)?;
        let text = &cmd.value;
        if text.contains("$PORT") || text.contains("${PORT}") {
            hints.reads_env = true;
        }
        if let Some(port) = &deploy.port {
            hints.port = Some(port.clone());
        }
        hints.loopback = ["127.0.0.1", "localhost"]
            .iter()
            .any(|h| text.contains(h))
            .then(|| cmd.evidence.to_string());
        if rails && hints.port.is_none() && !hints.reads_env {
            hints.port = Some(Fact::new(3000, Evidence::other("Rails' default port")));
        }
        Fact::new(argv, cmd.evidence.clone())
    } else if let Some(evidence) = &r.rails {
        let port = port_or(3000, "Rails' default port");
        let argv = vec![
            "bin/rails".into(),
            "server".into(),
            "-b".into(),
            "0.0.0.0".into(),
            "-p".into(),
            port.value.to_string(),
        ];
        hints = PortHints {
            port: Some(port),
            ..PortHints::default()
        };
        Fact::new(argv, evidence.evidence.clone())
    } else if let Some(rack) = &r.rack {
        let port = port_or(9292, "the Rack servers' default port");
        let p = port.value.to_string();
        let argv = if r.has_gem("puma") {
            bundle(&["puma", "--bind", &format!("tcp://0.0.0.0:{p}"), "config.ru"])
        } else if r.has_gem("rackup") || r.has_gem("rack") {
            bundle(&["rackup", "--host", "0.0.0.0", "--port", &p, "config.ru"])
        } else {
            return Err(Error::Detect(
                "config.ru is a Rack app, but neither puma nor rackup is in the bundle: add one \
                 (`bundle add puma`) or pass --cmd"
                    .into(),
            ));
        };
        hints = PortHints {
            port: Some(port),
            ..PortHints::default()
        };
        Fact::new(argv, rack.evidence.clone())
    } else if let Some(main) = &r.main_file {
        let mut argv = if r.gems.is_empty() {
            vec!["ruby".to_string()]
        } else {
            bundle(&["ruby"])
        };
        argv.push(main.value.clone());
        if r.has_gem("sinatra") && hints.port.is_none() {
            hints.port = Some(Fact::new(4567, Evidence::other("Sinatra's default port")));
        }
        Fact::new(argv, main.evidence.clone())
    } else {
        return Err(Error::Detect(
            "no start command: no Procfile `web:` process, no Rails app, no config.ru and no \
             app.rb/server.rb/main.rb; pass --cmd"
                .into(),
        ));
    };
    plan.command = Some(command);
    Ok(hints)
}
