//! What a module's sources and resources say, whichever tool builds it: its
//! main classes, whether it is a Spring Boot application, and the port its
//! configuration (application.properties / application.yml) sets.

use crate::evidence::{Evidence, Fact};
use crate::ports::{self as hints, PortHints};
use crate::project::{self, MANIFEST_CAP, Project};

const SOURCE_ROOTS: &[&str] = &["src/main/java", "src/main/kotlin"];
const RESOURCES: &str = "src/main/resources";

/// Source files of a module (Java and Kotlin), bounded like every scan.
pub fn files(p: &Project, dir: &str) -> Vec<String> {
    let mut out = Vec::new();
    for root in SOURCE_ROOTS {
        out.extend(p.source_files(&project::join(dir, root), &[".java", ".kt"], 12, 2000));
    }
    out
}

/// Classes with a `main` method: `static void main(` in Java, a top-level
/// `fun main(` in Kotlin (class `<File>Kt`). Fully qualified, with file:line.
pub fn main_classes(p: &Project, files: &[String]) -> Vec<Fact<String>> {
    let mut out = Vec::new();
    for file in files {
        let Some(text) = p.read_source(file) else {
            continue;
        };
        let stem = file
            .rsplit('/')
            .next()
            .unwrap_or(file)
            .trim_end_matches(".java")
            .trim_end_matches(".kt");
        let kotlin = file.ends_with(".kt");
        let package = text
            .lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix("package "))
            .map(|p| p.trim().trim_end_matches(';').trim().to_string());
        for (i, line) in text.lines().enumerate() {
            let hit = if kotlin {
                line.starts_with("fun main(")
            } else {
                let l = line.trim_start();
                !l.starts_with("//")
                    && !l.starts_with('*')
                    && (l.contains("static void main(") || l.contains("static public void main("))
            };
            if hit {
                let class = if kotlin {
                    let mut c = stem.chars();
                    let first = c.next().map(|f| f.to_ascii_uppercase()).unwrap_or('X');
                    format!("{first}{}Kt", c.as_str())
                } else {
                    stem.to_string()
                };
                let fqcn = match &package {
                    Some(pkg) if !pkg.is_empty() => format!("{pkg}.{class}"),
                    _ => class,
                };
                out.push(Fact::in_file(fqcn, file, format!("`main`, line {}", i + 1)));
                break;
            }
        }
    }
    out
}

/// The class annotated `@SpringBootApplication`, if any.
pub fn spring_boot_application(p: &Project, files: &[String]) -> Option<Fact<String>> {
    for file in files {
        let Some(text) = p.read_source(file) else {
            continue;
        };
        if let Some(i) = text
            .lines()
            .position(|l| l.trim_start().starts_with("@SpringBootApplication"))
        {
            return Some(Fact::in_file(
                "@SpringBootApplication".to_string(),
                file,
                format!("line {}", i + 1),
            ));
        }
    }
    None
}

/// Of several main classes, the one a rule picks: the only one named like an
/// application entry point. `None` when no rule decides.
pub fn pick_main(mains: &[Fact<String>]) -> Option<&Fact<String>> {
    if let [one] = mains {
        return Some(one);
    }
    let named: Vec<&Fact<String>> = mains
        .iter()
        .filter(|m| {
            let simple = m.value.rsplit('.').next().unwrap_or(&m.value);
            matches!(
                simple,
                "Main" | "App" | "Application" | "Server" | "MainKt" | "AppKt" | "ApplicationKt"
            )
        })
        .collect();
    match named.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

/// One setting from application.properties / .yml: key, value, where, and the
/// profile it belongs to (`None`: the default profile).
#[derive(Debug, Clone)]
pub struct Setting {
    pub key: String,
    pub value: String,
    pub evidence: Evidence,
    pub profile: Option<String>,
}

/// Every setting of the module's application configuration, in the order
/// Spring and Quarkus apply them (YAML first, then .properties, which wins),
/// then the profile-specific files. Unreadable files are skipped with a warning:
/// they are hints, not manifests.
pub fn settings(p: &Project, dir: &str, warnings: &mut Vec<String>) -> Vec<Setting> {
    let res = project::join(dir, RESOURCES);
    let mut out = Vec::new();
    for name in [
        "application.yml",
        "application.yaml",
        "application.properties",
    ] {
        read_file(p, &project::join(&res, name), None, &mut out, warnings);
    }
    // Profile-specific files: application-<profile>.properties / .yml.
    for e in p.list(&res).unwrap_or_default() {
        if e.is_dir {
            continue;
        }
        let Some(rest) = e.name.strip_prefix("application-") else {
            continue;
        };
        for ext in [".yml", ".yaml", ".properties"] {
            if let Some(profile) = rest.strip_suffix(ext)
                && !profile.is_empty()
            {
                read_file(
                    p,
                    &project::join(&res, &e.name),
                    Some(profile.to_string()),
                    &mut out,
                    warnings,
                );
            }
        }
    }
    out
}

fn read_file(
    p: &Project,
    file: &str,
    profile: Option<String>,
    out: &mut Vec<Setting>,
    warnings: &mut Vec<String>,
) {
    let text = match p.read_opt(file, MANIFEST_CAP) {
        Ok(Some(t)) => t,
        Ok(None) => return,
        Err(e) => {
            warnings.push(format!("skipped {file}: {e}"));
            return;
        }
    };
    if file.ends_with(".properties") {
        properties(file, &text, profile, out);
    } else {
        match crate::yaml::documents(file, &text) {
            Ok(docs) => {
                for doc in docs {
                    let mut flat = Vec::new();
                    flatten("", &doc, &mut flat);
                    let doc_profile = flat
                        .iter()
                        .find(|(k, _)| {
                            k == "spring.config.activate.on-profile" || k == "spring.profiles"
                        })
                        .map(|(_, v)| v.clone())
                        .or_else(|| profile.clone());
                    for (key, value) in flat {
                        let (key, prof) = quarkus_profile(&key, doc_profile.clone());
                        out.push(Setting {
                            evidence: Evidence::file(file, key.clone()),
                            key,
                            value,
                            profile: prof,
                        });
                    }
                }
            }
            Err(e) => warnings.push(format!("skipped {file}: {e}")),
        }
    }
}

/// `%prod.quarkus.http.port` → (`quarkus.http.port`, prod).
fn quarkus_profile(key: &str, profile: Option<String>) -> (String, Option<String>) {
    if let Some(rest) = key.strip_prefix('%')
        && let Some((prof, k)) = rest.split_once('.')
    {
        return (k.to_string(), Some(prof.to_string()));
    }
    (key.to_string(), profile)
}

/// A .properties file; `#---` / `!---` start a new document (Spring Boot 2.4+),
/// whose `spring.config.activate.on-profile` applies to the whole document.
fn properties(file: &str, text: &str, profile: Option<String>, out: &mut Vec<Setting>) {
    let mut doc: Vec<Setting> = Vec::new();
    let flush = |doc: &mut Vec<Setting>, out: &mut Vec<Setting>| {
        let doc_profile = doc
            .iter()
            .find(|s| s.key == "spring.config.activate.on-profile" || s.key == "spring.profiles")
            .map(|s| s.value.clone());
        for mut s in doc.drain(..) {
            if s.profile.is_none() {
                s.profile = doc_profile.clone();
            }
            out.push(s);
        }
    };
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t == "#---" || t == "!---" {
            flush(&mut doc, out);
            continue;
        }
        if t.is_empty() || t.starts_with('#') || t.starts_with('!') {
            continue;
        }
        let sep = t.find(['=', ':']).unwrap_or(t.len());
        let (k, v) = t.split_at(sep);
        let v = v.get(1..).unwrap_or("").trim();
        let (key, prof) = quarkus_profile(k.trim(), profile.clone());
        doc.push(Setting {
            evidence: Evidence::file(file, format!("{key}, line {}", i + 1)),
            key,
            value: v.to_string(),
            profile: prof,
        });
    }
    flush(&mut doc, out);
}

fn flatten(prefix: &str, v: &serde_json::Value, out: &mut Vec<(String, String)>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        serde_json::Value::String(s) => out.push((prefix.to_string(), s.clone())),
        serde_json::Value::Number(n) => out.push((prefix.to_string(), n.to_string())),
        serde_json::Value::Bool(b) => out.push((prefix.to_string(), b.to_string())),
        _ => {}
    }
}

/// The value of `key` for the given active profiles: a profile's value
/// overrides the default's; among profiles the last one listed wins.
pub fn lookup<'a>(settings: &'a [Setting], key: &str, active: &[String]) -> Option<&'a Setting> {
    let mut found = settings
        .iter()
        .rfind(|s| s.key == key && s.profile.is_none());
    for prof in active {
        if let Some(s) = settings
            .iter()
            .rfind(|s| s.key == key && s.profile.as_deref() == Some(prof.as_str()))
        {
            found = Some(s);
        }
    }
    found
}

/// Spring Boot: `server.port` in the default profile (and the profiles that
/// `spring.profiles.active` turns on), else Spring Boot's default, 8080.
pub fn spring_ports(settings: &[Setting]) -> PortHints {
    let active: Vec<String> = lookup(settings, "spring.profiles.active", &[])
        .map(|s| {
            s.value
                .split(',')
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let mut hints = port_setting(lookup(settings, "server.port", &active), "Spring Boot");
    if let Some(addr) = lookup(settings, "server.address", &active)
        && is_loopback(&addr.value)
    {
        hints.loopback = Some(addr.evidence.to_string());
    }
    hints
}

/// Quarkus: `quarkus.http.port` as the packaged app runs it (the `prod`
/// profile), else Quarkus's default, 8080.
pub fn quarkus_ports(settings: &[Setting]) -> PortHints {
    let prod = ["prod".to_string()];
    let mut hints = port_setting(lookup(settings, "quarkus.http.port", &prod), "Quarkus");
    if let Some(host) = lookup(settings, "quarkus.http.host", &prod)
        && is_loopback(&host.value)
    {
        hints.loopback = Some(host.evidence.to_string());
    }
    hints
}

/// A port setting: `8081`, or a placeholder `${PORT:8080}` (the app then
/// reads PORT, so ENV PORT steers it) or `${SERVER_PORT:8081}`.
fn port_setting(s: Option<&Setting>, framework: &str) -> PortHints {
    let default = || {
        Some(Fact::new(
            8080,
            Evidence::other(format!(
                "{framework}'s default port (nothing in the configuration sets one)"
            )),
        ))
    };
    let Some(s) = s else {
        return PortHints {
            port: default(),
            ..PortHints::default()
        };
    };
    let v = s.value.trim();
    if let Some(inner) = v.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
        let (var, fallback) = match inner.split_once(':') {
            Some((var, fallback)) => (var.trim(), Some(fallback.trim())),
            None => (inner.trim(), None),
        };
        let port = fallback
            .and_then(|f| f.parse::<u16>().ok())
            .filter(|p| *p > 0)
            .map(|p| Fact::new(p, s.evidence.clone()))
            .or_else(default);
        return PortHints {
            port,
            reads_env: var == "PORT",
            loopback: None,
        };
    }
    match v.parse::<u16>() {
        Ok(p) if p > 0 => PortHints {
            port: Some(Fact::new(p, s.evidence.clone())),
            ..PortHints::default()
        },
        // 0 is a random port, anything else is not a port: the default is the best guess.
        _ => PortHints {
            port: default(),
            ..PortHints::default()
        },
    }
}

fn is_loopback(v: &str) -> bool {
    matches!(v.trim(), "127.0.0.1" | "localhost" | "::1")
}

/// A plain jar: what its sources say (`new InetSocketAddress(8080)`, `System.getenv("PORT")`).
pub fn source_ports(p: &Project, files: &[String]) -> PortHints {
    hints::scan(p, files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<Setting> {
        let mut out = Vec::new();
        properties("application.properties", text, None, &mut out);
        out
    }

    #[test]
    fn spring_port_from_the_default_profile() {
        let s = parse(
            "server.port=8081\n#---\nspring.config.activate.on-profile=dev\nserver.port=9999\n",
        );
        assert_eq!(spring_ports(&s).port.unwrap().value, 8081);
        let s = parse(
            "spring.profiles.active=prod\nserver.port=8081\n#---\nspring.config.activate.on-profile=prod\nserver.port=9000\n",
        );
        assert_eq!(spring_ports(&s).port.unwrap().value, 9000);
        let s = parse("server.port = ${PORT:8085}\n");
        let h = spring_ports(&s);
        assert_eq!(h.port.unwrap().value, 8085);
        assert!(h.reads_env);
        let h = spring_ports(&parse("server.port=0\n"));
        assert_eq!(h.port.unwrap().value, 8080);
        let h = spring_ports(&parse("server.address=127.0.0.1\n"));
        assert!(h.loopback.is_some());
    }

    #[test]
    fn quarkus_port_prod_profile_wins() {
        let s = parse(
            "quarkus.http.port=8081\n%dev.quarkus.http.port=9999\n%prod.quarkus.http.port=9000\n",
        );
        assert_eq!(quarkus_ports(&s).port.unwrap().value, 9000);
        let s = parse("quarkus.http.port=8081\n%dev.quarkus.http.port=9999\n");
        assert_eq!(quarkus_ports(&s).port.unwrap().value, 8081);
    }
}
