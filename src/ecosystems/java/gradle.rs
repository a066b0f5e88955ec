//! Gradle: settings.gradle(.kts) (`include`, `rootProject.name`), each
//! project's build.gradle(.kts), `gradlew` + `gradle/wrapper`. Build scripts
//! are programs, so they are read for the usual declarations only: plugin ids
//! (`org.springframework.boot`, `io.quarkus`, `application`, shadow), `mainClass`,
//! the toolchain's `languageVersion` / `jvmToolchain(N)` and `sourceCompatibility`.

use super::detect::{self, BuildFound, BuildTool, JavaModule, Kind};
use super::sources;
use crate::error::Result;
use crate::evidence::{Evidence, Fact};
use crate::project::{self, MANIFEST_CAP, Project};
use crate::safe;
use crate::version::Declared;

const MODULE_CAP: usize = 200;
const SHADOW_IDS: &[&str] = &[
    "com.gradleup.shadow",
    "com.github.johnrengelman.shadow",
    "io.github.goooler.shadow",
];

struct Script {
    file: String,
    text: String,
}

fn script(p: &Project, dir: &str, stem: &str, catalog: &[Alias]) -> Result<Option<Script>> {
    for ext in ["", ".kts"] {
        let file = project::join(dir, &format!("{stem}.gradle{ext}"));
        if let Some(text) = p.read_opt(&file, MANIFEST_CAP)? {
            let text = expand_aliases(&text, catalog);
            return Ok(Some(Script { file, text }));
        }
    }
    Ok(None)
}

/// A plugin of the version catalog: `libs.plugins.spring.boot` → its id and version.
struct Alias {
    accessor: String,
    id: String,
    version: Option<String>,
}

/// `[plugins]` of gradle/libs.versions.toml (`{ id, version | version.ref }` or `"id:version"`).
fn catalog(p: &Project) -> Result<Vec<Alias>> {
    let file = "gradle/libs.versions.toml";
    let Some(text) = p.read_opt(file, MANIFEST_CAP)? else {
        return Ok(Vec::new());
    };
    let doc = crate::formats::parse_toml(file, &text)?;
    let versions = doc.get("versions");
    let mut out = Vec::new();
    let Some(plugins) = doc.get("plugins").and_then(|t| t.as_table_like()) else {
        return Ok(out);
    };
    for (key, item) in plugins.iter() {
        let (id, version) = if let Some(s) = item.as_str() {
            match s.split_once(':') {
                Some((id, v)) => (id.to_string(), Some(v.to_string())),
                None => (s.to_string(), None),
            }
        } else {
            let Some(id) = item.get("id").and_then(|i| i.as_str()) else {
                continue;
            };
            let v = item.get("version");
            let version = match v {
                Some(v) if v.as_str().is_some() => v.as_str().map(str::to_string),
                Some(v) => v
                    .get("ref")
                    .and_then(|r| r.as_str())
                    .and_then(|r| versions?.get(r)?.as_str().map(str::to_string)),
                None => None,
            };
            (id.to_string(), version)
        };
        out.push(Alias {
            accessor: format!("libs.plugins.{}", key.replace(['-', '_'], ".")),
            id,
            version,
        });
    }
    Ok(out)
}

/// `alias(libs.plugins.spring.boot)` read as the `id(...) version ...` it
/// stands for, line for line (so evidence keeps its line numbers).
fn expand_aliases(text: &str, catalog: &[Alias]) -> String {
    if catalog.is_empty() || !text.contains("alias(") {
        return text.to_string();
    }
    text.lines()
        .map(|l| {
            let t = l.trim_start();
            let Some(rest) = t.strip_prefix("alias(") else {
                return l.to_string();
            };
            let accessor: String = rest.chars().take_while(|c| *c != ')').collect();
            match catalog.iter().find(|a| a.accessor == accessor.trim()) {
                Some(a) => {
                    let tail = &rest[accessor.len()..].trim_start_matches(')');
                    match &a.version {
                        Some(v) => format!("id(\"{}\") version \"{v}\"{tail}", a.id),
                        None => format!("id(\"{}\"){tail}", a.id),
                    }
                }
                None => l.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Code lines of a script: `//` comments dropped, with 1-based line numbers.
fn code(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().filter_map(|(i, l)| {
        let l = match l.find("//") {
            Some(pos) if !l[..pos].contains("://") => &l[..pos],
            _ => l,
        };
        let l = l.trim();
        (!l.is_empty()).then_some((i + 1, l))
    })
}

/// The quoted strings of a line: `include 'a', ':b'` → [a, :b].
fn quoted(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = line.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '\'' || c == '"' {
            let rest = &line[i + 1..];
            if let Some(end) = rest.find(c) {
                out.push(rest[..end].to_string());
                for _ in 0..=end {
                    chars.next();
                }
            }
        }
    }
    out
}

/// The line that applies plugin `id` (`id 'x'`, `id("x")`, `apply plugin: 'x'`), if any.
fn plugin_line(s: &Script, id: &str) -> Option<(usize, String)> {
    code(&s.text).find_map(|(n, l)| {
        let applies =
            (l.starts_with("id") || l.starts_with("apply plugin") || l.starts_with("alias"))
                && quoted(l).iter().any(|q| q == id);
        (applies && !l.contains("apply false")).then(|| (n, l.to_string()))
    })
}

/// `application` as a bare line in a Kotlin `plugins { }` block, or the id.
fn applies_application(s: &Script) -> Option<usize> {
    if let Some((n, _)) = plugin_line(s, "application") {
        return Some(n);
    }
    let mut in_plugins = false;
    for (n, l) in code(&s.text) {
        if l.starts_with("plugins") && l.contains('{') {
            in_plugins = true;
            continue;
        }
        if in_plugins && l.starts_with('}') {
            in_plugins = false;
        }
        if in_plugins && (l == "application" || l == "`application`") {
            return Some(n);
        }
    }
    None
}

/// `version 'x'` / `version "x"` after a plugin id, in any of the scripts.
fn plugin_version(scripts: &[&Script], id: &str) -> Option<Fact<String>> {
    scripts.iter().find_map(|s| {
        code(&s.text).find_map(|(n, l)| {
            let q = quoted(l);
            let pos = q.iter().position(|x| x == id)?;
            if !l.contains("version") {
                return None;
            }
            let v = q.get(pos + 1)?.clone();
            Some(Fact::in_file(
                v,
                &s.file,
                format!("plugin {id} version, line {n}"),
            ))
        })
    })
}

/// `mainClass = 'x'`, `mainClass.set("x")`, `mainClassName = 'x'`,
/// `attributes 'Main-Class': 'x'`.
fn main_class(s: &Script) -> Option<(Fact<String>, bool)> {
    code(&s.text).find_map(|(n, l)| {
        let manifest = l.contains("Main-Class");
        if !(l.starts_with("mainClass") || manifest || l.contains("mainClass.set(")) {
            return None;
        }
        let q = quoted(l);
        let v = if manifest {
            q.iter().skip_while(|x| *x != "Main-Class").nth(1)?.clone()
        } else {
            q.first()?.clone()
        };
        Some((
            Fact::in_file(
                v,
                &s.file,
                format!(
                    "{}, line {n}",
                    if manifest { "Main-Class" } else { "mainClass" }
                ),
            ),
            manifest,
        ))
    })
}

/// A toolchain (`languageVersion = JavaLanguageVersion.of(21)`,
/// `jvmToolchain(21)`): the build uses exactly this Java.
fn toolchain(s: &Script) -> Option<(String, Evidence)> {
    code(&s.text).find_map(|(n, l)| {
        for marker in ["JavaLanguageVersion.of(", "jvmToolchain("] {
            if let Some(pos) = l.find(marker) {
                let arg: String = l[pos + marker.len()..]
                    .chars()
                    .take_while(|c| *c != ')')
                    .collect();
                let arg = arg.trim().trim_matches(|c| c == '"' || c == '\'');
                if arg.chars().all(|c| c.is_ascii_digit()) && !arg.is_empty() {
                    let what = if marker.starts_with("jvm") {
                        "jvmToolchain"
                    } else {
                        "toolchain languageVersion"
                    };
                    return Some((
                        arg.to_string(),
                        Evidence::file(&s.file, format!("{what}, line {n}")),
                    ));
                }
            }
        }
        None
    })
}

/// `sourceCompatibility = JavaVersion.VERSION_17` / `'17'` / `17`: a minimum.
fn source_compatibility(s: &Script) -> Result<Option<(String, Evidence)>> {
    for (n, l) in code(&s.text) {
        let Some(rest) = l.strip_prefix("sourceCompatibility") else {
            continue;
        };
        let value = rest
            .trim_start_matches([' ', '=', '('])
            .trim_end_matches(')')
            .trim();
        let evidence = Evidence::file(
            &s.file,
            format!("sourceCompatibility, line {n} (a minimum)"),
        );
        return match detect::java_version(value) {
            Some(v) => Ok(Some((v, evidence))),
            None => Err(detect::bad_version(&evidence, value)),
        };
    }
    Ok(None)
}

/// `include 'a', ':b:c'` / `include(":a")` → directories a, b/c.
fn includes(settings: &Script) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for (_, l) in code(&settings.text) {
        if !(l.starts_with("include ") || l.starts_with("include(") || l.starts_with("include\t")) {
            continue;
        }
        for q in quoted(l) {
            let dir = q.trim_start_matches(':').replace(':', "/");
            if dir.is_empty() {
                continue;
            }
            out.push(safe::rel_path(&settings.file, "include", &dir)?);
        }
    }
    out.dedup();
    Ok(out)
}

pub fn detect(p: &Project) -> Result<BuildFound> {
    let mut warnings = Vec::new();
    let (wrapper, wrapper_executable) = detect::wrapper(
        p,
        "gradlew",
        "gradle/wrapper/gradle-wrapper.properties",
        &mut warnings,
    );
    let catalog = catalog(p)?;
    let settings = script(p, ".", "settings", &catalog)?;
    let root_name = settings.as_ref().and_then(|s| {
        code(&s.text).find_map(|(_, l)| {
            l.starts_with("rootProject.name")
                .then(|| quoted(l).into_iter().next())
                .flatten()
        })
    });
    let mut dirs = vec![".".to_string()];
    if let Some(s) = &settings {
        dirs.extend(includes(s)?);
    }
    if dirs.len() > MODULE_CAP {
        return Err(crate::error::Error::Detect(format!(
            "more than {MODULE_CAP} Gradle projects: dfgen stops here"
        )));
    }
    let mut scripts: Vec<(String, Script)> = Vec::new();
    for dir in &dirs {
        if let Some(s) = script(p, dir, "build", &catalog)? {
            scripts.push((dir.clone(), s));
        }
    }
    let all: Vec<&Script> = scripts.iter().map(|(_, s)| s).collect();

    let mut build_files: Vec<String> = Vec::new();
    if let Some(s) = &settings {
        build_files.push(s.file.clone());
    }
    build_files.extend(scripts.iter().map(|(_, s)| s.file.clone()));
    if p.has_file("gradle.properties") {
        build_files.push("gradle.properties".into());
    }
    if wrapper.is_some() {
        build_files.push("gradlew".into());
    }
    let mut build_dirs = Vec::new();
    for d in ["gradle", "buildSrc"] {
        if p.is_dir(d) {
            build_dirs.push(d.to_string());
        }
    }

    // Version: a toolchain pins it; sourceCompatibility is a minimum.
    let build_pin = all
        .iter()
        .find_map(|s| toolchain(s))
        .map(|(v, evidence)| Declared::Pin {
            version: v,
            evidence,
        });
    let mut build_minimum = Declared::Nothing;
    for s in &all {
        if let Some((version, evidence)) = source_compatibility(s)? {
            build_minimum = Declared::Minimum { version, evidence };
            break;
        }
    }

    let mut modules = Vec::new();
    for (dir, s) in &scripts {
        let name = if dir == "." {
            root_name.clone().unwrap_or_else(|| {
                p.root()
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "app".into())
            })
        } else {
            dir.rsplit('/').next().unwrap_or(dir).to_string()
        };
        modules.push(module(p, dir, &name, s, &all)?);
    }
    if scripts.is_empty() {
        warnings.push("no build.gradle(.kts) found for any project".into());
    }
    let tool_file = scripts
        .first()
        .map(|(_, s)| s.file.clone())
        .or_else(|| settings.as_ref().map(|s| s.file.clone()))
        .unwrap_or_else(|| "build.gradle".into());
    Ok(BuildFound {
        tool: Fact::in_file(BuildTool::Gradle, &tool_file, "Gradle build script"),
        wrapper,
        wrapper_executable,
        build_pin,
        build_minimum,
        modules,
        build_files,
        build_dirs,
        warnings,
        frontend_plugin: None,
    })
}

fn module(p: &Project, dir: &str, name: &str, s: &Script, all: &[&Script]) -> Result<JavaModule> {
    let mut warnings = Vec::new();
    let files = sources::files(p, dir);
    let build = project::join(dir, "build");
    let settings = sources::settings(p, dir, &mut warnings);
    let base = JavaModule {
        dir: dir.to_string(),
        name: name.to_string(),
        kind: Fact::in_file(Kind::Library, &s.file, "plugins"),
        main_class: None,
        manifest_main: false,
        boot_version: None,
        boot_repackage: false,
        quarkus_uber: None,
        artifact: project::join(&build, "libs"),
        runtime_deps: false,
        ports: Default::default(),
        warnings: Vec::new(),
        why_not: None,
    };
    if let Some((n, _)) = plugin_line(s, "org.springframework.boot") {
        return Ok(JavaModule {
            kind: Fact::in_file(
                Kind::SpringBoot,
                &s.file,
                format!("plugin org.springframework.boot, line {n}"),
            ),
            boot_version: plugin_version(all, "org.springframework.boot"),
            ports: sources::spring_ports(&settings),
            warnings,
            ..base
        });
    }
    if let Some((n, _)) = plugin_line(s, "io.quarkus") {
        let prod = ["prod".to_string()];
        let uber = ["quarkus.package.jar.type", "quarkus.package.type"]
            .iter()
            .find_map(|k| sources::lookup(&settings, k, &prod))
            .filter(|s| s.value == "uber-jar")
            .map(|s| Fact::new(true, s.evidence.clone()));
        let artifact = if uber.is_some() {
            project::join(&build, "*-runner.jar")
        } else {
            project::join(&build, "quarkus-app")
        };
        return Ok(JavaModule {
            kind: Fact::in_file(
                Kind::Quarkus,
                &s.file,
                format!("plugin io.quarkus, line {n}"),
            ),
            quarkus_uber: uber,
            artifact,
            ports: sources::quarkus_ports(&settings),
            warnings,
            ..base
        });
    }
    let mains = sources::main_classes(p, &files);
    let declared = main_class(s);
    let scanned = sources::pick_main(&mains).cloned();
    let ports = sources::source_ports(p, &files);
    if let Some((n, _)) = SHADOW_IDS.iter().find_map(|id| plugin_line(s, id)) {
        let (main_class, manifest_main) = match &declared {
            Some((m, _)) => (Some(m.clone()), true),
            None => (scanned.clone(), false),
        };
        if main_class.is_some() {
            return Ok(JavaModule {
                kind: Fact::in_file(Kind::UberJar, &s.file, format!("shadow plugin, line {n}")),
                main_class,
                manifest_main,
                artifact: project::join(&build, "libs/*-all.jar"),
                ports,
                warnings,
                ..base
            });
        }
    }
    if let Some(n) = applies_application(s) {
        let main_class = declared
            .as_ref()
            .map(|(m, _)| m.clone())
            .or(scanned.clone());
        if main_class.is_some() {
            return Ok(JavaModule {
                kind: Fact::in_file(
                    Kind::Application,
                    &s.file,
                    format!("plugin application, line {n}"),
                ),
                main_class,
                artifact: project::join(&build, "install"),
                ports,
                warnings,
                ..base
            });
        }
    }
    if let Some((m, true)) = declared {
        warnings.push(format!(
            "{}: a jar with a Main-Class and no `application` or shadow plugin; its dependencies are not \
             copied into the image (apply `application` or shadow if it has any)",
            s.file
        ));
        return Ok(JavaModule {
            kind: Fact::new(Kind::Jar, m.evidence.clone()),
            main_class: Some(m),
            manifest_main: true,
            artifact: project::join(&build, "libs"),
            ports,
            warnings,
            ..base
        });
    }
    Ok(JavaModule {
        why_not: Some(format!(
            "{} applies no Spring Boot, Quarkus, application or shadow plugin",
            s.file
        )),
        ..base
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_strings_and_includes() {
        assert_eq!(quoted("include 'a', \":b:c\""), vec!["a", ":b:c"]);
        let s = Script {
            file: "settings.gradle".into(),
            text: "rootProject.name = 'x'\ninclude 'app', ':libs:core'\ninclude(\"web\")\n".into(),
        };
        assert_eq!(includes(&s).unwrap(), vec!["app", "libs/core", "web"]);
    }

    #[test]
    fn catalog_aliases_read_as_plugin_ids() {
        let catalog = vec![Alias {
            accessor: "libs.plugins.spring.boot".into(),
            id: "org.springframework.boot".into(),
            version: Some("3.5.6".into()),
        }];
        let s = Script {
            file: "build.gradle.kts".into(),
            text: expand_aliases(
                "plugins {\n    alias(libs.plugins.spring.boot)\n}\n",
                &catalog,
            ),
        };
        assert_eq!(plugin_line(&s, "org.springframework.boot").unwrap().0, 2);
        assert_eq!(
            plugin_version(&[&s], "org.springframework.boot")
                .unwrap()
                .value,
            "3.5.6"
        );
    }

    #[test]
    fn toolchains_and_main_classes() {
        let s = Script {
            file: "build.gradle.kts".into(),
            text:
                "java {\n  toolchain {\n    languageVersion = JavaLanguageVersion.of(21)\n  }\n}\n\
                   application {\n  mainClass.set(\"com.example.Main\")\n}\n"
                    .into(),
        };
        assert_eq!(toolchain(&s).unwrap().0, "21");
        assert_eq!(main_class(&s).unwrap().0.value, "com.example.Main");
        let s = Script {
            file: "build.gradle".into(),
            text: "kotlin { jvmToolchain(17) }\nsourceCompatibility = JavaVersion.VERSION_17\n"
                .into(),
        };
        assert_eq!(toolchain(&s).unwrap().0, "17");
        assert_eq!(source_compatibility(&s).unwrap().unwrap().0, "17");
    }
}
