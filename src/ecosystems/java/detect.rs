//! Java: which build tool (Maven or Gradle, wrapper or not), the Java version
//! (version files, then what the build declares), and for each module what it
//! builds: a Spring Boot or Quarkus app, a plain or uber jar, or nothing
//! runnable. The build files themselves are read in `maven` and `gradle`.

use serde::Serialize;

use crate::ecosystems::assets::{self, FrontEnd, Package};
use crate::error::{Error, Result};
use crate::evidence::{Evidence, Fact};
use crate::ports::PortHints;
use crate::project::{MANIFEST_CAP, Project};
use crate::version::Declared;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BuildTool {
    Maven,
    Gradle,
}

impl std::fmt::Display for BuildTool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            BuildTool::Maven => "maven",
            BuildTool::Gradle => "gradle",
        })
    }
}

/// What a module builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A Spring Boot executable jar, extracted into its layers.
    SpringBoot,
    /// A Quarkus app: the fast-jar layout (`quarkus-app/`) or an uber jar.
    Quarkus,
    /// A plain jar with a main class; its runtime dependencies go next to it in `lib/`.
    Jar,
    /// One jar holding the app and its dependencies (shade, assembly, shadow).
    UberJar,
    /// Gradle's `application` plugin: `installDist` lays out `lib/`.
    Application,
    /// Nothing runnable (a library, a war, no main class).
    Library,
}

impl Kind {
    pub fn describe(&self) -> &'static str {
        match self {
            Kind::SpringBoot => "Spring Boot app",
            Kind::Quarkus => "Quarkus app",
            Kind::Jar => "runnable jar",
            Kind::UberJar => "uber jar",
            Kind::Application => "Gradle application",
            Kind::Library => "library",
        }
    }

    pub fn slug(&self) -> &'static str {
        match self {
            Kind::SpringBoot => "spring-boot",
            Kind::Quarkus => "quarkus",
            Kind::Jar => "jar",
            Kind::UberJar => "uber-jar",
            Kind::Application => "application",
            Kind::Library => "library",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct JavaModule {
    /// The module's directory, `.` for the root project.
    pub dir: String,
    /// artifactId (Maven) or project name (Gradle).
    pub name: String,
    pub kind: Fact<Kind>,
    /// The class `java` starts, when it is not in the jar's manifest (or the
    /// jar needs `lib/` on its class path).
    pub main_class: Option<Fact<String>>,
    /// The main class is in the jar's manifest, so `java -jar` works.
    pub manifest_main: bool,
    /// Spring Boot's version (parent, BOM import or plugin), when it is written down.
    pub boot_version: Option<Fact<String>>,
    /// Spring Boot: `repackage` is not bound to `package` in the build, so
    /// dfgen runs it explicitly (Maven).
    pub boot_repackage: bool,
    /// Quarkus builds an uber jar (`quarkus.package.jar.type=uber-jar`).
    pub quarkus_uber: Option<Fact<bool>>,
    /// The artifact the build writes, relative to the project root: a jar
    /// (a `*` stands for a part of its name dfgen could not resolve) or a
    /// directory (Quarkus fast-jar, Gradle installDist).
    pub artifact: String,
    /// A plain jar with runtime dependencies: they are copied into `lib/`.
    pub runtime_deps: bool,
    pub ports: PortHints,
    /// Things the user should hear when this module is the one built.
    pub warnings: Vec<String>,
    /// Why it is not runnable (Library only).
    pub why_not: Option<String>,
}

impl JavaModule {
    pub fn runnable(&self) -> bool {
        self.kind.value != Kind::Library
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct JavaProject {
    pub build_tool: Fact<BuildTool>,
    /// `mvnw` / `gradlew`, when it is there with its wrapper properties.
    pub wrapper: Option<Fact<String>>,
    /// The wrapper script has its executable bit (else it runs with `sh`).
    pub wrapper_executable: bool,
    pub version: Declared,
    pub modules: Vec<JavaModule>,
    /// Build files the dependency step needs (POMs, Gradle scripts, properties).
    pub build_files: Vec<String>,
    /// Directories the dependency step needs (`.mvn`, `gradle`, `buildSrc`).
    pub build_dirs: Vec<String>,
    /// What the build files say that the user should hear (a wrapper that cannot run...).
    pub warnings: Vec<String>,
    /// A package.json next to the build: front-end assets the Java build may need.
    pub package_json: bool,
    /// The Maven build runs frontend-maven-plugin (it builds the assets itself).
    pub frontend_plugin: Option<Fact<FrontendPlugin>>,
    /// Front-end assets the build packages, built in a Node stage of the image.
    pub front_end: Option<FrontEnd>,
    /// Why a package.json next to the build is not built into the image.
    pub front_end_notes: Vec<String>,
}

/// frontend-maven-plugin in a POM: the goals it runs and where.
#[derive(Debug, Clone, Serialize)]
pub struct FrontendPlugin {
    /// Its goals (`install-node-and-npm`, `npm`...), in build order.
    pub goals: Vec<String>,
    /// `workingDirectory` (where package.json is), relative to the project root.
    pub working_dir: String,
    /// The npm script its `npm` goal runs (`<arguments>run build</arguments>`).
    pub script: Option<String>,
}

impl FrontendPlugin {
    /// The user properties that skip its goals (each goal's `skip.*`
    /// parameter), and the goals that have none.
    pub fn skip_properties(&self) -> (Vec<String>, Vec<String>) {
        let mut props = Vec::new();
        let mut unknown = Vec::new();
        for g in &self.goals {
            let prop = match g.as_str() {
                "install-node-and-npm" => "skip.installnodenpm",
                "install-node-and-pnpm" => "skip.installnodepnpm",
                "install-node-and-yarn" => "skip.installyarn",
                "install-node-and-corepack" => "skip.installnodecorepack",
                "install-bun" => "skip.installbun",
                "npm" | "npx" | "pnpm" | "yarn" | "corepack" | "bun" | "webpack" | "gulp"
                | "grunt" | "bower" | "jspm" | "karma" | "ember" => {
                    props.push(format!("skip.{g}"));
                    continue;
                }
                _ => {
                    unknown.push(g.clone());
                    continue;
                }
            };
            props.push(prop.to_string());
        }
        props.dedup();
        (props, unknown)
    }
}

impl JavaProject {
    pub fn runnable_modules(&self) -> impl Iterator<Item = &JavaModule> {
        self.modules.iter().filter(|m| m.runnable())
    }

    pub fn not_runnable_why(&self) -> String {
        let why: Vec<String> = self
            .modules
            .iter()
            .filter_map(|m| m.why_not.as_ref().map(|w| format!("{}: {w}", m.dir)))
            .collect();
        if why.is_empty() {
            String::new()
        } else {
            format!("; {}", why.join("; "))
        }
    }
}

pub fn detect(p: &Project) -> Result<Option<JavaProject>> {
    let found = if p.has_file("pom.xml") {
        super::maven::detect(p)?
    } else if [
        "build.gradle",
        "build.gradle.kts",
        "settings.gradle",
        "settings.gradle.kts",
    ]
    .iter()
    .any(|f| p.has_file(f))
    {
        super::gradle::detect(p)?
    } else {
        return Ok(None);
    };
    let BuildFound {
        tool,
        wrapper,
        wrapper_executable,
        build_pin,
        build_minimum,
        modules,
        build_files,
        build_dirs,
        warnings,
        frontend_plugin,
    } = found;
    let version = match build_pin {
        Some(pin) => pin,
        None => match version_files(p)? {
            Some(pin) => pin,
            None => build_minimum,
        },
    };
    let mut front_end_notes = Vec::new();
    let front_end = front_end(
        p,
        tool.value,
        &modules,
        frontend_plugin.as_ref(),
        &mut front_end_notes,
    )?;
    Ok(Some(JavaProject {
        build_tool: tool,
        wrapper,
        wrapper_executable,
        version,
        modules,
        build_files,
        build_dirs,
        warnings,
        package_json: p.has_file("package.json"),
        frontend_plugin,
        front_end,
        front_end_notes,
    }))
}

/// The front end the Java build packages: the one frontend-maven-plugin
/// builds, or a package.json whose build writes into a runnable module's
/// resources (`src/main/resources/static`, `target/classes/static`). Only
/// npm projects whose output directory is known: otherwise the build stays
/// as the project wrote it, and `notes` says why.
fn front_end(
    p: &Project,
    tool: BuildTool,
    modules: &[JavaModule],
    plugin: Option<&Fact<FrontendPlugin>>,
    notes: &mut Vec<String>,
) -> Result<Option<FrontEnd>> {
    if let Some(pl) = plugin {
        let dir = &pl.value.working_dir;
        let Some(pkg) = Package::read(p, dir)? else {
            notes.push(format!(
                "{} works in {dir}, which has no package.json: the plugin runs as the project wrote it",
                pl.evidence
            ));
            return Ok(None);
        };
        let script = pl.value.script.as_deref().unwrap_or("build");
        return match assets::build(p, &pkg, script, true)? {
            Ok(fe) => Ok(Some(fe)),
            Err(why) => {
                notes.push(format!(
                    "{}: {why}, so the plugin runs in the Maven build as the project wrote it \
                     (it downloads Node from nodejs.org)",
                    pl.evidence
                ));
                Ok(None)
            }
        };
    }
    let mut dirs: Vec<String> = vec![".".into()];
    for m in modules.iter().filter(|m| m.runnable()) {
        for sub in [".", "frontend", "src/main/frontend"] {
            let d = if sub == "." {
                m.dir.clone()
            } else {
                crate::project::join(&m.dir, sub)
            };
            if !dirs.contains(&d) {
                dirs.push(d);
            }
        }
    }
    for dir in dirs {
        let Some(pkg) = Package::read(p, &dir)? else {
            continue;
        };
        if let Some(docs) = assets::docs_generator(&pkg) {
            notes.push(format!(
                "{} is a {} docs site ({}): not part of the app, so it is not built into the image",
                pkg.file, docs.value, docs.evidence
            ));
            continue;
        }
        let fe = match assets::build(p, &pkg, "build", false)? {
            Ok(fe) => fe,
            Err(_) => continue,
        };
        // Only a build whose output the Java build packages is the app's.
        let packaged = modules.iter().filter(|m| m.runnable()).any(|m| {
            let mut roots = vec![crate::project::join(&m.dir, "src/main/resources")];
            roots.push(crate::project::join(
                &m.dir,
                match tool {
                    BuildTool::Maven => "target/classes",
                    BuildTool::Gradle => "build/resources/main",
                },
            ));
            roots
                .iter()
                .any(|r| fe.output == *r || fe.output.starts_with(&format!("{r}/")))
        });
        if packaged {
            return Ok(Some(fe));
        }
    }
    Ok(None)
}

/// What a build tool's reader found.
pub struct BuildFound {
    pub tool: Fact<BuildTool>,
    pub wrapper: Option<Fact<String>>,
    pub wrapper_executable: bool,
    /// A version the build enforces (a Gradle toolchain): it outranks version files.
    pub build_pin: Option<Declared>,
    /// The language level the build compiles for: a minimum.
    pub build_minimum: Declared,
    pub modules: Vec<JavaModule>,
    pub build_files: Vec<String>,
    pub build_dirs: Vec<String>,
    pub warnings: Vec<String>,
    pub frontend_plugin: Option<Fact<FrontendPlugin>>,
}

/// The wrapper script and its properties file, when both are there (the
/// script alone cannot run). Also whether the script is executable.
pub fn wrapper(
    p: &Project,
    script: &str,
    properties: &str,
    warnings: &mut Vec<String>,
) -> (Option<Fact<String>>, bool) {
    if !p.has_file(script) {
        return (None, false);
    }
    if !p.has_file(properties) {
        warnings.push(format!(
            "{script} is there but {properties} is not, so the wrapper cannot run: building with the \
             build tool's image instead"
        ));
        return (None, false);
    }
    let executable = is_executable(&p.path(script));
    (
        Some(Fact::in_file(
            script.to_string(),
            properties,
            "distributionUrl (the wrapper pins the build tool)",
        )),
        executable,
    )
}

#[cfg(unix)]
fn is_executable(path: &std::path::Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .map(|m| m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

#[cfg(not(unix))]
fn is_executable(_: &std::path::Path) -> bool {
    false
}

/// Files that pin a Java version for local tooling: `.java-version` (jenv),
/// `.sdkmanrc` (SDKMAN), `.tool-versions` (asdf, mise), `system.properties`
/// (`java.runtime.version`, Heroku). Each is an exact pin.
fn version_files(p: &Project) -> Result<Option<Declared>> {
    if let Some(text) = p.read_opt(".java-version", MANIFEST_CAP)? {
        let line = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'));
        if let Some(v) = line {
            return pin(
                v,
                Evidence::file(".java-version", "the version jenv selects"),
            );
        }
    }
    if let Some(text) = p.read_opt(".sdkmanrc", MANIFEST_CAP)? {
        for (i, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if let Some(v) = line.strip_prefix("java=") {
                return pin(
                    v.trim(),
                    Evidence::file(".sdkmanrc", format!("java, line {}", i + 1)),
                );
            }
        }
    }
    if let Some(text) = p.read_opt(".tool-versions", MANIFEST_CAP)? {
        for (i, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            let mut words = line.split_whitespace();
            if let (Some("java"), Some(v)) = (words.next(), words.next()) {
                return pin(
                    v,
                    Evidence::file(".tool-versions", format!("java, line {}", i + 1)),
                );
            }
        }
    }
    if let Some(text) = p.read_opt("system.properties", MANIFEST_CAP)? {
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            let Some((k, v)) = line.split_once('=') else {
                continue;
            };
            if k.trim() == "java.runtime.version" {
                return pin(
                    v.trim(),
                    Evidence::file(
                        "system.properties",
                        format!("java.runtime.version, line {}", i + 1),
                    ),
                );
            }
        }
    }
    Ok(None)
}

fn pin(text: &str, evidence: Evidence) -> Result<Option<Declared>> {
    match java_version(text) {
        Some(version) => Ok(Some(Declared::Pin { version, evidence })),
        None => Err(bad_version(&evidence, text)),
    }
}

pub fn bad_version(evidence: &Evidence, text: &str) -> Error {
    Error::field(
        evidence.file.clone().unwrap_or_default(),
        evidence.detail.clone(),
        format!("{text:?} is not a Java version"),
    )
}

/// A Java version as the tools write it, as numbers: `17`, `21.0.2`,
/// `1.8` and `1.8.0_292` (→ `8`), `21.0.2-tem` (SDKMAN), `temurin-21.0.2+13.0.LTS`
/// (asdf), `openjdk64-17.0.2` (jenv), `VERSION_17` / `JavaVersion.VERSION_1_8` (Gradle).
pub fn java_version(text: &str) -> Option<String> {
    let text = text.trim().trim_matches(|c| c == '"' || c == '\'');
    let text = text
        .rsplit("VERSION_")
        .next()
        .unwrap_or(text)
        .replace('_', ".");
    // The first dash-separated part that starts with a digit: vendors come
    // before the version (asdf, jenv), SDKMAN's vendor after it.
    let part = text
        .split('-')
        .find(|s| s.starts_with(|c: char| c.is_ascii_digit()))?;
    let numeric: String = part
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let numeric = numeric.trim_end_matches('.');
    let parts = crate::version::parse_numbers(numeric)?;
    // Java 1.x is Java x (1.8 is 8); `1.8.0.292` keeps only the 8.
    if parts.len() >= 2 && parts[0] == 1 && parts[1] <= 8 {
        return Some(parts[1].to_string());
    }
    if parts[0] == 0 {
        return None;
    }
    Some(numeric.to_string())
}

#[cfg(test)]
mod tests {
    use super::java_version;

    #[test]
    fn java_versions_as_tools_write_them() {
        for (text, want) in [
            ("17", "17"),
            ("21.0.2", "21.0.2"),
            ("1.8", "8"),
            ("1.8.0_292", "8"),
            ("21.0.2-tem", "21.0.2"),
            ("temurin-21.0.2+13.0.LTS", "21.0.2"),
            ("openjdk64-17.0.2", "17.0.2"),
            ("corretto-11.0.20.8.1", "11.0.20.8.1"),
            ("JavaVersion.VERSION_17", "17"),
            ("JavaVersion.VERSION_1_8", "8"),
            ("'17'", "17"),
        ] {
            assert_eq!(java_version(text).as_deref(), Some(want), "{text}");
        }
        for bad in ["system", "", "latest", "tem", "0"] {
            assert_eq!(java_version(bad), None, "{bad}");
        }
    }
}
