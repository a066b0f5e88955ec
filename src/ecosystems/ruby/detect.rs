//! Ruby: Gemfile (the `ruby` directive, gems), Gemfile.lock (specs,
//! platforms, `RUBY VERSION`), .ruby-version, .tool-versions; Rails
//! (`bin/rails`, config/application.rb), Rack (`config.ru`) or a plain script.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::evidence::{Evidence, Fact};
use crate::ports::{self as hints, PortHints};
use crate::project::{MANIFEST_CAP, Project};
use crate::safe;
use crate::version::{Declared, Dialect};

#[derive(Debug, Clone, Serialize)]
pub struct RubyProject {
    pub version: Declared,
    pub lockfile: bool,
    /// Gem names: the lockfile's specs, else the Gemfile's `gem` lines.
    pub gems: Vec<String>,
    /// Gems the lockfile resolves to a precompiled platform build
    /// (`nokogiri (1.16.0-x86_64-linux)`): no compiler or -dev package needed.
    pub precompiled: Vec<String>,
    /// .ruby-version exists (the Gemfile may read it: copy it with the Gemfile).
    pub ruby_version_file: bool,
    /// The Gemfile's `ruby` directive names an exact version (or `file:`):
    /// Bundler then refuses any other patch release.
    pub exact_ruby: Option<Fact<bool>>,
    pub rails: Option<Fact<bool>>,
    /// config.ru: a Rack app.
    pub rack: Option<Fact<bool>>,
    /// A plain script to run (app.rb, server.rb, main.rb) when there is no config.ru.
    pub main_file: Option<Fact<String>>,
    /// Directories of the project the app writes to (tmp, log, storage, db).
    pub dirs: Vec<String>,
    /// A package.json next to the Gemfile (jsbundling, cssbundling...).
    pub package_json: bool,
    pub ports: PortHints,
}

impl RubyProject {
    pub fn has_gem(&self, name: &str) -> bool {
        self.gems.iter().any(|g| g == name)
    }
}

pub fn detect(p: &Project) -> Result<Option<RubyProject>> {
    let Some(gemfile) = p.read_opt("Gemfile", MANIFEST_CAP)? else {
        return Ok(None);
    };
    let lock = p.read_opt("Gemfile.lock", MANIFEST_CAP * 16)?;
    let (lock_gems, precompiled, lock_ruby) = match &lock {
        Some(text) => parse_lock(text)?,
        None => (Vec::new(), Vec::new(), None),
    };
    let (gemfile_gems, gemfile_ruby) = parse_gemfile(&gemfile)?;
    let exact_ruby = gemfile.lines().enumerate().find_map(|(i, l)| {
        let l = l.trim();
        let rest = l
            .strip_prefix("ruby ")
            .or_else(|| l.strip_prefix("ruby("))?;
        let exact = rest.contains("file:")
            || quoted(rest)
                .first()
                .is_some_and(|v| crate::version::parse_numbers(v).is_some());
        exact.then(|| Fact::in_file(true, "Gemfile", format!("`ruby` directive, line {}", i + 1)))
    });
    let gems = if lock.is_some() {
        lock_gems
    } else {
        gemfile_gems
    };
    for g in &gems {
        safe::name(
            if lock.is_some() {
                "Gemfile.lock"
            } else {
                "Gemfile"
            },
            "gem name",
            g,
        )?;
    }
    let version = if let Some(v) = ruby_version_file(p)? {
        v
    } else if let Some(v) = crate::version::tool_versions(p, &["ruby"])? {
        v
    } else if let Some(v) = gemfile_ruby {
        v
    } else if let Some(v) = lock_ruby {
        v
    } else {
        Declared::Nothing
    };
    let rails = (p.has_file("bin/rails") && p.has_file("config/application.rb")).then(|| {
        Fact::in_file(
            true,
            "config/application.rb",
            "a Rails application (bin/rails)",
        )
    });
    let rack = p
        .has_file("config.ru")
        .then(|| Fact::in_file(true, "config.ru", "a Rack app"));
    let main_file = ["app.rb", "server.rb", "main.rb", "web.rb"]
        .iter()
        .find(|f| p.has_file(f))
        .map(|f| Fact::in_file(f.to_string(), f, "the app's script"));
    let dirs = ["tmp", "log", "storage", "db"]
        .iter()
        .filter(|d| p.is_dir(d))
        .map(|d| d.to_string())
        .collect();
    let mut files: Vec<String> = main_file.iter().map(|f| f.value.clone()).collect();
    files.extend(p.source_files("", &[".rb", ".ru"], 2, 100));
    files.dedup();
    Ok(Some(RubyProject {
        version,
        lockfile: lock.is_some(),
        gems,
        precompiled,
        ruby_version_file: p.has_file(".ruby-version"),
        exact_ruby,
        rails,
        rack,
        main_file,
        dirs,
        package_json: p.has_file("package.json"),
        ports: hints::scan(p, &files),
    }))
}

fn ruby_version_file(p: &Project) -> Result<Option<Declared>> {
    let Some(text) = p.read_opt(".ruby-version", MANIFEST_CAP)? else {
        return Ok(None);
    };
    let v = text.lines().next().unwrap_or("").trim();
    let v = v.strip_prefix("ruby-").unwrap_or(v);
    if v.is_empty() {
        return Ok(None);
    }
    if crate::version::parse_numbers(v).is_none() {
        return Err(Error::field(
            ".ruby-version",
            "line 1",
            format!("{v:?} is not a Ruby version like 3.3.6"),
        ));
    }
    Ok(Some(Declared::Pin {
        version: v.to_string(),
        evidence: Evidence::file(".ruby-version", "line 1"),
    }))
}

/// The quoted strings of a Gemfile line: `gem "pg", "~> 1.5"` → [pg, ~> 1.5].
fn quoted(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Option<(char, String)> = None;
    for c in line.chars() {
        match &mut cur {
            Some((q, s)) if c == *q => {
                out.push(std::mem::take(s));
                cur = None;
            }
            Some((_, s)) => s.push(c),
            None if c == '"' || c == '\'' => cur = Some((c, String::new())),
            None if c == '#' => break,
            None => {}
        }
    }
    out
}

/// `gem` names and the `ruby` directive of a Gemfile.
fn parse_gemfile(text: &str) -> Result<(Vec<String>, Option<Declared>)> {
    let mut gems = Vec::new();
    let mut ruby = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if let Some(rest) = line
            .strip_prefix("gem ")
            .or_else(|| line.strip_prefix("gem("))
        {
            if let Some(name) = quoted(rest).into_iter().next() {
                gems.push(name);
            }
        } else if let Some(rest) = line
            .strip_prefix("ruby ")
            .or_else(|| line.strip_prefix("ruby("))
        {
            let evidence = Evidence::file("Gemfile", format!("`ruby` directive, line {}", i + 1));
            if rest.contains("file:") || rest.contains(":file") {
                // `ruby file: ".ruby-version"`: that file is read on its own.
                continue;
            }
            let Some(req) = quoted(rest).into_iter().next() else {
                continue;
            };
            ruby = Some(ruby_requirement(&req, evidence)?);
        }
    }
    Ok((gems, ruby))
}

/// A Gemfile `ruby` requirement: an exact version is a pin; `~>`/`>=` a range.
fn ruby_requirement(req: &str, evidence: Evidence) -> Result<Declared> {
    let req = req.trim();
    if let Some(v) = req.strip_prefix("~>") {
        let v = v.trim();
        let parts = crate::version::parse_numbers(v)
            .filter(|p| p.len() >= 2)
            .ok_or_else(|| {
                Error::field(
                    evidence.file.clone().unwrap_or_default(),
                    evidence.detail.clone(),
                    format!("{req:?} is not a Ruby requirement like \"~> 3.3\""),
                )
            })?;
        // Pessimistic: `~> 3.3` is >= 3.3, < 4; `~> 3.3.1` is >= 3.3.1, < 3.4.
        let upper = if parts.len() == 2 {
            format!("{}", parts[0] + 1)
        } else {
            format!("{}.{}", parts[0], parts[1] + 1)
        };
        return Ok(Declared::Range {
            text: format!(">={v} <{upper}"),
            evidence,
            dialect: Dialect::Semver,
        });
    }
    if req.starts_with(['>', '<', '=']) {
        let text = req.trim_start_matches('=').trim().to_string();
        let text = if req.starts_with('=') && !req.starts_with("==") {
            text
        } else {
            req.to_string()
        };
        if crate::version::Req::parse(&text, Dialect::Semver).is_err() {
            return Err(Error::field(
                evidence.file.clone().unwrap_or_default(),
                evidence.detail.clone(),
                format!("{req:?} is not a Ruby version requirement"),
            ));
        }
        return Ok(Declared::Range {
            text,
            evidence,
            dialect: Dialect::Semver,
        });
    }
    if crate::version::parse_numbers(req).is_none() {
        return Err(Error::field(
            evidence.file.clone().unwrap_or_default(),
            evidence.detail.clone(),
            format!("{req:?} is not a Ruby version like 3.3.6"),
        ));
    }
    Ok(Declared::Pin {
        version: req.to_string(),
        evidence,
    })
}

type Lock = (Vec<String>, Vec<String>, Option<Declared>);

/// Gemfile.lock: spec names (4-space indent under `specs:`), the ones locked
/// to a platform build, and `RUBY VERSION`.
fn parse_lock(text: &str) -> Result<Lock> {
    let mut gems: Vec<String> = Vec::new();
    let mut precompiled: Vec<String> = Vec::new();
    let mut ruby = None;
    let mut section = "";
    let mut in_specs = false;
    for (i, line) in text.lines().enumerate() {
        if !line.starts_with(' ') && !line.trim().is_empty() {
            section = line.trim();
            in_specs = false;
            continue;
        }
        if line.trim() == "specs:" {
            in_specs = true;
            continue;
        }
        if section == "RUBY VERSION" {
            // `   ruby 3.3.6p108`
            if let Some(v) = line.trim().strip_prefix("ruby ") {
                let v = v.split('p').next().unwrap_or(v).trim();
                if crate::version::parse_numbers(v).is_none() {
                    return Err(Error::field(
                        "Gemfile.lock",
                        format!("RUBY VERSION, line {}", i + 1),
                        format!("{v:?} is not a Ruby version"),
                    ));
                }
                ruby = Some(Declared::Pin {
                    version: v.to_string(),
                    evidence: Evidence::file(
                        "Gemfile.lock",
                        format!("RUBY VERSION, line {}", i + 1),
                    ),
                });
            }
            continue;
        }
        if !in_specs {
            continue;
        }
        // Exactly four spaces: a spec; six are its dependencies.
        let Some(rest) = line.strip_prefix("    ") else {
            continue;
        };
        if rest.starts_with(' ') {
            continue;
        }
        let mut words = rest.splitn(2, ' ');
        let name = words.next().unwrap_or("").to_string();
        let ver = words
            .next()
            .unwrap_or("")
            .trim_matches(|c| c == '(' || c == ')');
        // `1.16.0-x86_64-linux`: a prebuilt platform gem.
        if (ver.contains("-x86_64-linux") || ver.contains("-aarch64-linux"))
            && !precompiled.contains(&name)
        {
            precompiled.push(name.clone());
        }
        if !name.is_empty() && !gems.contains(&name) {
            gems.push(name);
        }
    }
    Ok((gems, precompiled, ruby))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_specs_platforms_and_ruby() {
        let lock = "GEM\n  remote: https://rubygems.org/\n  specs:\n    nokogiri (1.16.0-x86_64-linux)\n      racc (~> 1.4)\n    pg (1.5.4)\n    racc (1.7.3)\n\nPLATFORMS\n  x86_64-linux\n\nRUBY VERSION\n   ruby 3.3.6p108\n\nBUNDLED WITH\n   2.5.3\n";
        let (gems, pre, ruby) = parse_lock(lock).unwrap();
        assert_eq!(gems, ["nokogiri", "pg", "racc"]);
        assert_eq!(pre, ["nokogiri"]);
        assert!(matches!(ruby, Some(Declared::Pin { version, .. }) if version == "3.3.6"));
    }

    #[test]
    fn gemfile_ruby_directive() {
        let (gems, ruby) =
            parse_gemfile("source \"https://rubygems.org\"\nruby \"~> 3.3\"\ngem 'puma', '>= 6'\n")
                .unwrap();
        assert_eq!(gems, ["puma"]);
        assert!(matches!(ruby, Some(Declared::Range { text, .. }) if text == ">=3.3 <4"));
        let e = parse_gemfile("ruby \"banana\"\n").unwrap_err().to_string();
        assert!(e.contains("Gemfile") && e.contains("line 1"), "{e}");
    }
}
