//! PHP: composer.json (`require.php`, `config.platform.php`, `ext-*`,
//! scripts), composer.lock (the extensions its packages require), Laravel
//! (`artisan`), the document root (`public/`) and a Vite front end.

use serde::Serialize;
use serde_json::Value;

use crate::ecosystems::assets::{self, Package, line_of};
use crate::error::Result;
use crate::evidence::{Evidence, Fact};
use crate::formats::parse_json;
use crate::project::{MANIFEST_CAP, Project};
use crate::safe;
use crate::version::{Declared, Dialect};

#[derive(Debug, Clone, Serialize)]
pub struct PhpProject {
    pub version: Declared,
    /// composer.json exists: dependencies install with Composer.
    pub composer: bool,
    pub composer_lock: bool,
    /// `ext-*` requirements (root and locked packages), lower-case, deduplicated.
    pub extensions: Vec<Fact<String>>,
    /// composer.json has `post-install-cmd` scripts (run after the source copy).
    pub post_install_scripts: bool,
    /// Laravel: an `artisan` script (and laravel/framework required).
    pub laravel: Option<Fact<bool>>,
    /// `public/` holds the front controller: Apache's document root.
    pub public_dir: bool,
    /// `public/.htaccess`: the app relies on mod_rewrite rules.
    pub htaccess: bool,
    /// The front controller (`index.php` or `public/index.php`).
    pub entry: Option<Fact<String>>,
    /// A Vite front end (package.json with vite and a build script).
    pub vite: Option<Fact<String>>,
    /// The Node lockfile of the front end, if any.
    pub node_lockfile: Option<String>,
    /// Where the front end's build writes (`public/build`), with the evidence.
    pub assets_out: Option<Fact<String>>,
    /// Why a package.json is not built as the app's front end, or how it is.
    pub front_end_notes: Vec<String>,
}

pub fn detect(p: &Project) -> Result<Option<PhpProject>> {
    let composer_text = p.read_opt("composer.json", MANIFEST_CAP)?;
    let entry = if p.has_file("public/index.php") {
        Some(Fact::in_file(
            "public/index.php".to_string(),
            "public/index.php",
            "front controller",
        ))
    } else if p.has_file("index.php") {
        Some(Fact::in_file(
            "index.php".to_string(),
            "index.php",
            "front controller",
        ))
    } else {
        None
    };
    if composer_text.is_none() && entry.is_none() {
        return Ok(None);
    }
    let mut version = Declared::Nothing;
    let mut extensions: Vec<Fact<String>> = Vec::new();
    let mut post_install_scripts = false;
    let mut requires_laravel = false;
    if let Some(text) = &composer_text {
        let json = parse_json("composer.json", text)?;
        if !json.is_object() {
            return Err(crate::error::Error::parse(
                "composer.json",
                "the top level is not a JSON object",
            ));
        }
        let require = json.get("require");
        if let Some(req) = require.and_then(|r| r.get("php")) {
            let text_req = req.as_str().ok_or_else(|| {
                crate::error::Error::field("composer.json", "require.php", "is not a string")
            })?;
            version = Declared::Range {
                text: composer_range(text_req),
                evidence: Evidence::file(
                    "composer.json",
                    format!("require.php {text_req:?}{}", line_of(text, "\"php\"")),
                ),
                dialect: Dialect::Semver,
            };
        }
        if let Some(pin) = json.pointer("/config/platform/php") {
            let v = pin.as_str().ok_or_else(|| {
                crate::error::Error::field(
                    "composer.json",
                    "config.platform.php",
                    "is not a string",
                )
            })?;
            if crate::version::parse_numbers(v).is_none() {
                return Err(crate::error::Error::field(
                    "composer.json",
                    "config.platform.php",
                    format!("{v:?} is not a PHP version like 8.3.12"),
                ));
            }
            version = Declared::Pin {
                version: v.to_string(),
                evidence: Evidence::file(
                    "composer.json",
                    format!(
                        "config.platform.php (the platform Composer resolves for){}",
                        line_of(text, "\"platform\"")
                    ),
                ),
            };
        }
        if let Some(req) = require.and_then(Value::as_object) {
            for name in req.keys() {
                if let Some(ext) = name.strip_prefix("ext-") {
                    add_ext(
                        &mut extensions,
                        ext,
                        Evidence::file(
                            "composer.json",
                            format!("require.{name}{}", line_of(text, &format!("\"{name}\""))),
                        ),
                    )?;
                }
            }
            requires_laravel = req.contains_key("laravel/framework");
        }
        post_install_scripts = json
            .pointer("/scripts/post-install-cmd")
            .is_some_and(|s| !s.is_null());
    }
    // .tool-versions and .php-version pin the interpreter more exactly than a range.
    if let Some(pin) = crate::version::tool_versions(p, &["php"])? {
        version = pin;
    } else if let Some(text) = p.read_opt(".php-version", MANIFEST_CAP)? {
        let v = text.trim();
        if crate::version::parse_numbers(v).is_none() {
            return Err(crate::error::Error::field(
                ".php-version",
                "line 1",
                format!("{v:?} is not a PHP version like 8.3"),
            ));
        }
        version = Declared::Pin {
            version: v.to_string(),
            evidence: Evidence::file(".php-version", "line 1"),
        };
    }
    let composer_lock = p.has_file("composer.lock");
    if composer_lock && composer_text.is_some() {
        let text = p.read("composer.lock", MANIFEST_CAP * 16)?;
        let lock = parse_json("composer.lock", &text)?;
        if let Some(pkgs) = lock.get("packages").and_then(Value::as_array) {
            for pkg in pkgs {
                let name = pkg.get("name").and_then(Value::as_str).unwrap_or("?");
                let Some(req) = pkg.get("require").and_then(Value::as_object) else {
                    continue;
                };
                for r in req.keys() {
                    if let Some(ext) = r.strip_prefix("ext-") {
                        add_ext(
                            &mut extensions,
                            ext,
                            Evidence::file("composer.lock", format!("package {name} requires {r}")),
                        )?;
                    }
                }
            }
        }
    }
    let laravel =
        (p.has_file("artisan") && (requires_laravel || composer_text.is_none())).then(|| {
            Fact::in_file(
                true,
                "artisan",
                if requires_laravel {
                    "Laravel's console script (laravel/framework in composer.json)"
                } else {
                    "Laravel's console script"
                },
            )
        });
    let mut front_end_notes = Vec::new();
    let front_end = vite_front_end(p, &mut front_end_notes)?;
    let (vite, node_lockfile, assets_out) = match front_end {
        Some((v, l, o)) => (Some(v), l, Some(o)),
        None => (None, None, None),
    };
    Ok(Some(PhpProject {
        version,
        composer: composer_text.is_some(),
        composer_lock,
        extensions,
        post_install_scripts,
        laravel,
        public_dir: p.has_file("public/index.php"),
        htaccess: p.has_file("public/.htaccess") || p.has_file(".htaccess"),
        entry,
        vite,
        node_lockfile,
        assets_out,
        front_end_notes,
    }))
}

/// Composer constraints in the range syntax the version module reads:
/// `|` and `||` both mean "or", and stability flags (`@dev`) are dropped.
pub fn composer_range(text: &str) -> String {
    let or = text.replace("||", "|").replace('|', " || ");
    or.split_whitespace()
        .map(|w| w.split('@').next().unwrap_or(""))
        .filter(|w| !w.is_empty())
        .map(|w| {
            // Composer's `~8.1` is `>=8.1 <9` (the last given part may grow),
            // which is npm's `^8.1`; npm's `~8.1` would stop at 8.2. With three
            // parts (`~8.1.2`) both mean `<8.2`.
            match w.strip_prefix('~') {
                Some(v) if v.split('.').count() == 2 => format!("^{v}"),
                _ => w.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn add_ext(out: &mut Vec<Fact<String>>, ext: &str, evidence: Evidence) -> Result<()> {
    let file = evidence.file.clone().unwrap_or_default();
    let name = safe::name(&file, &evidence.detail, &ext.to_ascii_lowercase())?;
    if !out.iter().any(|e| e.value == name) {
        out.push(Fact::new(name, evidence));
    }
    Ok(())
}

type ViteFrontEnd = (Fact<String>, Option<String>, Fact<String>);

/// A Vite front end the PHP app serves: package.json's `build` script runs
/// Vite, and the config says the output is a backend's (laravel-vite-plugin,
/// `build.manifest`, or `build.outDir` under public/). Returns the build
/// script, npm's lockfile and the output directory. A docs site or a Vite
/// build that writes elsewhere is not the app's, and `notes` says so.
fn vite_front_end(p: &Project, notes: &mut Vec<String>) -> Result<Option<ViteFrontEnd>> {
    let Some(pkg) = Package::read(p, ".")? else {
        return Ok(None);
    };
    if let Some(docs) = assets::docs_generator(&pkg) {
        notes.push(format!(
            "package.json is a {} docs site ({}): not part of the app, so it is not built into the image",
            docs.value, docs.evidence
        ));
        return Ok(None);
    }
    let Some(build) = pkg.script("build").filter(|b| assets::runs_vite(&b.value)) else {
        return Ok(None);
    };
    let config = match assets::vite_config(p, ".")? {
        Some((file, text)) => assets::vite_output(&file, &text),
        None => Default::default(),
    };
    let out_dir = assets::script_out_dir(&build).or(config.out_dir);
    let out = if let Some(l) = config.laravel {
        Some(l)
    } else if let Some(o) = out_dir {
        let under_public = assets::resolve(".", &o)?.starts_with("public/");
        (under_public || config.manifest.is_some()).then_some(o)
    } else if pkg.has_dep("laravel-vite-plugin") {
        Some(Fact::new(
            "public/build".to_string(),
            Evidence::other(format!(
                "laravel-vite-plugin's default output ({})",
                pkg.dep_evidence("laravel-vite-plugin")
            )),
        ))
    } else {
        None
    };
    let Some(out) = out else {
        notes.push(format!(
            "{} runs Vite, but neither laravel-vite-plugin, build.manifest nor an outDir under public/ \
             says the PHP app serves its output: it is not built into the image",
            build.evidence
        ));
        return Ok(None);
    };
    let output = assets::resolve(".", &out)?;
    if p.has_file("public/index.php") && !output.starts_with("public/") {
        notes.push(format!(
            "{} writes {output} ({}), outside public/, the document root: it is not built into the image",
            build.evidence, out.evidence
        ));
        return Ok(None);
    }
    let lock = match pkg.npm_lockfile(p) {
        Ok(l) => l,
        Err(other) => {
            notes.push(format!(
                "{other} belongs to another package manager: the assets stage installs with npm, \
                 unpinned (add a package-lock.json)"
            ));
            None
        }
    };
    Ok(Some((build, lock, Fact::new(output, out.evidence))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composer_constraints_become_ranges() {
        assert_eq!(composer_range("^8.1|^8.2"), "^8.1 || ^8.2");
        assert_eq!(composer_range("^8.1 || ^8.2"), "^8.1 || ^8.2");
        assert_eq!(composer_range(">=8.2@dev"), ">=8.2");
        assert_eq!(composer_range(">=8.1 <9.0"), ">=8.1 <9.0");
        assert_eq!(composer_range("~8.1"), "^8.1", "Composer tilde: >=8.1 <9");
        assert_eq!(composer_range("~8.1.2"), "~8.1.2");
    }
}
