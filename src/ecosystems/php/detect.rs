//! PHP: composer.json (`require.php`, `config.platform.php`, `ext-*`,
//! scripts), composer.lock (the extensions its packages require), Laravel
//! (`artisan`), the document root (`public/`) and a Vite front end.

use serde::Serialize;
use serde_json::Value;

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
    let (vite, node_lockfile) = vite_front_end(p)?;
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
    }))
}

/// Composer constraints in the range syntax the version module reads:
/// `|` and `||` both mean "or", and stability flags (`@dev`) are dropped.
pub fn composer_range(text: &str) -> String {
    let or = text.replace("||", "|").replace('|', " || ");
    or.split_whitespace()
        .map(|w| w.split('@').next().unwrap_or(""))
        .filter(|w| !w.is_empty())
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

/// `, line N` of the first line holding `needle`.
fn line_of(text: &str, needle: &str) -> String {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| format!(", line {}", i + 1))
        .unwrap_or_default()
}

/// A package.json whose `build` script runs Vite (Laravel's front end).
fn vite_front_end(p: &Project) -> Result<(Option<Fact<String>>, Option<String>)> {
    let Some(text) = p.read_opt("package.json", MANIFEST_CAP)? else {
        return Ok((None, None));
    };
    let json = parse_json("package.json", &text)?;
    let build = json.pointer("/scripts/build").and_then(Value::as_str);
    let vite = build.filter(|b| b.contains("vite")).map(|b| {
        Fact::in_file(
            b.to_string(),
            "package.json",
            format!("scripts.build{}", line_of(&text, "\"build\"")),
        )
    });
    let lock = ["package-lock.json"]
        .iter()
        .find(|f| p.has_file(f))
        .map(|f| f.to_string());
    Ok((vite, lock))
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
    }
}
