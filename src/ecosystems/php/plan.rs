//! PHP's part of the plan: extensions to install (from the preset's data),
//! Composer steps, Laravel's caches and writable directories, the document
//! root, and the Vite assets stage.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::PhpProject;
use crate::ecosystems::PlanContext;
use crate::error::{Error, Result};
use crate::evidence::{Evidence, Fact};
use crate::ports::PortHints;
use crate::safe;

/// Where the app lives in the image (the php images' own document root).
pub const APP_DIR: &str = "/var/www/html";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PhpPlan {
    pub app_dir: String,
    /// Apache's DocumentRoot (`/var/www/html/public` when public/ exists).
    pub docroot: String,
    pub composer: bool,
    pub composer_lock: bool,
    pub post_install_scripts: bool,
    /// Extensions built with `docker-php-ext-install`.
    pub ext_install: Vec<String>,
    /// Extensions from PECL (`pecl install` + `docker-php-ext-enable`).
    pub ext_pecl: Vec<String>,
    /// `docker-php-ext-configure <ext> <args>` lines, as (ext, args).
    pub ext_configure: Vec<(String, String)>,
    /// Debian -dev packages the extensions build against (removed afterwards;
    /// the libraries they link stay).
    pub ext_dev: Vec<String>,
    pub laravel: bool,
    /// mod_rewrite and `AllowOverride All` for the app's .htaccess.
    pub htaccess: bool,
    /// A Vite front end built in a Node stage into public/build.
    pub assets: bool,
    pub node_lockfile: Option<String>,
    /// Where the front end's build writes (`public/build`): all the runtime
    /// takes from the Node stage.
    pub assets_out: Option<String>,
    /// Its evidence, for the stage's comment.
    pub assets_evidence: Option<String>,
    /// Directories the runtime user must be able to write.
    pub writable: Vec<String>,
}

/// The preset's extension data: built into every official image, or how to install.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Extensions {
    #[serde(default)]
    builtin: Vec<String>,
    #[serde(default)]
    install: BTreeMap<String, ExtSpec>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtSpec {
    /// Debian -dev packages needed to build it.
    #[serde(default)]
    dev: Vec<String>,
    /// Arguments for `docker-php-ext-configure <ext>`.
    #[serde(default)]
    configure: Option<String>,
    /// Installed from PECL under this name instead of the PHP sources.
    #[serde(default)]
    pecl: Option<String>,
}

pub fn plan(p: &PhpProject, ctx: &mut PlanContext) -> Result<PortHints> {
    let origin = ctx.preset.origin.clone();
    let exts: Extensions = match ctx.preset.data.get("extensions") {
        Some(v) => serde_json::from_value(v.clone()).map_err(|e| Error::Preset {
            preset: ctx.preset.name.clone(),
            message: format!("data.extensions: {e}"),
        })?,
        None => Extensions::default(),
    };
    let plan = &mut *ctx.plan;
    plan.shape = "app".into();
    let mut ext_install = Vec::new();
    let mut ext_pecl = Vec::new();
    let mut ext_configure = Vec::new();
    let mut ext_dev: Vec<String> = Vec::new();
    for ext in &p.extensions {
        let name = ext.value.as_str();
        if exts.builtin.iter().any(|b| b == name) {
            continue;
        }
        let Some(spec) = exts.install.get(name) else {
            plan.warnings.push(format!(
                "{} requires the PHP extension `{name}`, which the preset does not know how to \
                 install; add it to the preset's data.extensions or install it in the Dockerfile",
                ext.evidence
            ));
            continue;
        };
        let field = format!("data.extensions.install.{name}");
        for dev in &spec.dev {
            let dev = safe::name(&origin, &field, dev)?;
            if !ext_dev.contains(&dev) {
                ext_dev.push(dev);
            }
        }
        if let Some(args) = &spec.configure {
            for word in args.split_whitespace() {
                safe::exec_arg(&origin, &field, word)?;
                if word.contains(['$', '`', ';', '&', '|', '<', '>', '\\', '"', '\'']) {
                    return Err(Error::field(
                        &origin,
                        &field,
                        format!("configure argument {word:?} holds shell syntax"),
                    ));
                }
            }
            ext_configure.push((
                name.to_string(),
                args.split_whitespace().collect::<Vec<_>>().join(" "),
            ));
        }
        match &spec.pecl {
            Some(pkg) => ext_pecl.push(safe::name(&origin, &field, pkg)?),
            None => ext_install.push(name.to_string()),
        }
    }
    let laravel = p.laravel.is_some();
    let mut writable = Vec::new();
    if laravel {
        writable.extend(["storage".to_string(), "bootstrap/cache".to_string()]);
    }
    let docroot = if p.public_dir {
        format!("{APP_DIR}/public")
    } else {
        APP_DIR.to_string()
    };
    if p.composer && !p.composer_lock {
        plan.warnings.push(
            "no composer.lock: dependencies are resolved afresh on every build; commit the lockfile"
                .into(),
        );
    }
    let assets = p.vite.is_some();
    plan.notes.extend(p.front_end_notes.iter().cloned());
    if let Some(v) = &p.vite
        && p.node_lockfile.is_none()
    {
        plan.warnings.push(format!(
            "{} builds the front end, but there is no package-lock.json: npm resolves afresh on every build",
            v.evidence
        ));
    }
    plan.set_part(
        "php",
        &PhpPlan {
            app_dir: APP_DIR.into(),
            docroot,
            composer: p.composer,
            composer_lock: p.composer_lock,
            post_install_scripts: p.post_install_scripts,
            ext_install,
            ext_pecl,
            ext_configure,
            ext_dev,
            laravel,
            htaccess: p.htaccess,
            assets,
            node_lockfile: p.node_lockfile.clone(),
            assets_out: p.assets_out.as_ref().map(|o| o.value.clone()),
            assets_evidence: p.assets_out.as_ref().map(|o| o.evidence.to_string()),
            writable,
        },
    )?;
    let fpm = plan.runtime.settings.get("server").and_then(|v| v.as_str()) == Some("fpm");
    let server = if fpm { "php-fpm" } else { "apache2-foreground" };
    let port = if fpm { 9000 } else { 8080 };
    if let Some(cmd) = &ctx.deploy.command {
        plan.notes.push(format!(
            "{} says `{}`; the image runs {server} instead (the web server is part of the image): \
             pass --cmd to change it",
            cmd.evidence, cmd.value
        ));
    }
    let command = if laravel {
        // config:cache bakes the environment into a file: done at start, where
        // the deployment's APP_KEY, database settings... are set.
        Fact::new(
            vec![
                "sh".into(),
                "-c".into(),
                format!("php artisan config:cache && exec {server}"),
            ],
            Evidence::other(
                "Laravel: caches the configuration from the runtime environment, then starts the server",
            ),
        )
    } else {
        Fact::new(
            vec![server.to_string()],
            Evidence::other(format!("the {} image's server", plan.runtime.name)),
        )
    };
    plan.command = Some(command);
    plan.port = Some(Fact::new(
        port,
        Evidence::other(if fpm {
            "php-fpm's FastCGI port (a web server in front speaks HTTP)"
        } else {
            "Apache, set to listen on 8080 in the base stage (a non-root user cannot bind 80)"
        }),
    ));
    Ok(PortHints::default())
}
