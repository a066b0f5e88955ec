//! Java's part of the plan: which module, the builder image (wrapper or the
//! build tool's image), the dependency and package commands, how the
//! artifact is laid out in the runtime image, and the `java` command.

use serde::{Deserialize, Serialize};

use super::{BuildTool, JavaModule, JavaProject, Kind};
use crate::ecosystems::PlanContext;
use crate::ecosystems::assets::FrontEnd;
use crate::error::{Error, Result};
use crate::evidence::{Evidence, Fact};
use crate::plan::{Rule, pick_main};
use crate::ports::PortHints;
use crate::safe;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JavaPlan {
    /// `maven` or `gradle`.
    pub tool: String,
    /// The project's wrapper builds (it pins the build tool's version).
    pub wrapper: bool,
    /// The image name for the build's `-t` hint.
    pub name: String,
    /// The module built, `.` for the root project.
    pub module: String,
    /// spring-boot, quarkus, jar, uber-jar, application.
    pub kind: String,
    pub kind_evidence: String,
    /// The dependency cache (a cache mount).
    pub cache: String,
    /// Bind-mounted for the dependency step.
    pub build_files: Vec<String>,
    pub build_dirs: Vec<String>,
    pub deps_command: String,
    pub package_command: String,
    /// Shell word for the built jar (Spring Boot, uber and plain jars), or the
    /// directory the build lays out (Quarkus fast-jar, Gradle installDist).
    pub artifact: String,
    /// Spring Boot: `tools` (3.3+), `layertools` (2.3-3.2) or none (no layers).
    pub boot_jarmode: Option<String>,
    pub boot_version: Option<String>,
    pub boot_evidence: String,
    /// Quarkus builds an uber jar instead of the fast-jar layout.
    pub quarkus_uber: bool,
    /// Runtime dependencies are copied into lib/ (a plain jar).
    pub lib: bool,
    pub main_class: Option<String>,
    /// Front-end assets built in a Node stage and copied into the build
    /// before it packages them.
    pub assets: Option<FrontEnd>,
    /// frontend-maven-plugin's evidence, when the Node stage replaces it
    /// (its goals are skipped).
    pub frontend_plugin: Option<String>,
    /// The `-Dskip.*` properties that skip its goals.
    pub frontend_skips: Vec<String>,
}

/// Names that say "this is the server".
const SERVER_NAMES: &[&str] = &["server", "api", "web", "app", "service", "application"];

pub fn plan(j: &JavaProject, ctx: &mut PlanContext) -> Result<PortHints> {
    let runnable: Vec<JavaModule> = j.runnable_modules().cloned().collect();
    if runnable.is_empty() {
        return Err(Error::Detect(format!(
            "no module builds a runnable artifact{}",
            j.not_runnable_why()
        )));
    }
    let deploy_cmd = ctx.deploy.command.as_ref();
    let framework = |m: &JavaModule| matches!(m.kind.value, Kind::SpringBoot | Kind::Quarkus);
    let rules = [
        Rule::new(
            format!(
                "{} runs it",
                deploy_cmd
                    .map(|c| c.evidence.to_string())
                    .unwrap_or_default()
            ),
            |m: &JavaModule| {
                deploy_cmd.is_some_and(|c| {
                    m.dir != "."
                        && c.value
                            .split_whitespace()
                            .any(|w| w.starts_with(&format!("{}/", m.dir)))
                })
            },
        ),
        Rule::new("the only Spring Boot or Quarkus app", framework),
        Rule::new("the only one named like a server", |m: &JavaModule| {
            let n = m.dir.rsplit('/').next().unwrap_or(&m.dir);
            SERVER_NAMES
                .iter()
                .any(|s| n == *s || n.ends_with(&format!("-{s}")))
        }),
    ];
    let module = pick_main(
        &runnable,
        |m| vec![m.dir.clone(), m.name.clone()],
        ctx.choices.main.as_deref(),
        "module",
        |m| {
            if m.dir == "." {
                format!("the root project ({})", m.kind.value.describe())
            } else {
                format!("{} ({})", m.dir, m.kind.value.describe())
            }
        },
        &rules,
        &mut ctx.plan.notes,
    )?
    .clone();

    let preset = ctx.preset;
    let plan = &mut *ctx.plan;
    let maven = j.build_tool.value == BuildTool::Maven;
    let tool = j.build_tool.value.to_string();
    let cache = preset
        .cache
        .get(&tool)
        .cloned()
        .ok_or_else(|| preset_error(preset, &format!("cache.{tool} is missing")))?;

    // The builder: the wrapper on a JDK, else the build tool's image.
    let (image_key, cmd) = match (&j.wrapper, maven) {
        (Some(_), true) => (
            "jdk",
            if j.wrapper_executable {
                "./mvnw"
            } else {
                "sh mvnw"
            },
        ),
        (Some(_), false) => (
            "jdk",
            if j.wrapper_executable {
                "./gradlew"
            } else {
                "sh gradlew"
            },
        ),
        (None, true) => ("maven", "mvn"),
        (None, false) => ("gradle", "gradle"),
    };
    if j.wrapper.is_some() && !j.wrapper_executable {
        plan.notes.push(format!(
            "{} is not executable, so the build runs it with sh (`git update-index --chmod=+x {}` fixes that)",
            if maven { "mvnw" } else { "gradlew" },
            if maven { "mvnw" } else { "gradlew" }
        ));
    }
    let build_image = preset
        .images
        .get(image_key)
        .cloned()
        .ok_or_else(|| preset_error(preset, &format!("images.{image_key} is missing")))?;
    plan.images.insert("build".into(), build_image);
    if j.front_end.is_some() {
        let node = preset
            .images
            .get("assets")
            .cloned()
            .ok_or_else(|| preset_error(preset, "images.assets is missing"))?;
        plan.images.insert("assets".into(), node);
    }

    let dep_plugin = preset
        .tools
        .get("maven_dependency_plugin")
        .cloned()
        .unwrap_or_else(|| "3.10.0".into());
    let dep_plugin = format!("org.apache.maven.plugins:maven-dependency-plugin:{dep_plugin}");
    let module_dir = safe::rel_path(&j.build_tool.evidence.to_string(), "module", &module.dir)?;
    let root = module_dir == ".";

    // Spring Boot's jarmode: the tools jar since 3.3, layertools since 2.3
    // (layers on by default since 2.4), none before.
    let boot_numbers = module.boot_version.as_ref().and_then(|v| {
        crate::version::parse_numbers(
            v.value
                .split(['-', '.'])
                .take(2)
                .collect::<Vec<_>>()
                .join(".")
                .as_str(),
        )
    });
    let boot_jarmode =
        (module.kind.value == Kind::SpringBoot).then(|| match boot_numbers.as_deref() {
            Some([major, minor, ..]) if (*major, *minor) < (2, 3) => None,
            Some([major, minor, ..]) if (*major, *minor) < (3, 3) => Some("layertools".to_string()),
            _ => Some("tools".to_string()),
        });
    let boot_jarmode = boot_jarmode.flatten();
    let launcher = match boot_numbers.as_deref() {
        Some([major, minor, ..]) if (*major, *minor) < (3, 2) => {
            "org.springframework.boot.loader.JarLauncher"
        }
        _ => "org.springframework.boot.loader.launch.JarLauncher",
    };

    let lib = module.kind.value == Kind::Jar && module.runtime_deps && maven;
    // frontend-maven-plugin would download Node and reinstall the npm packages
    // on every build: when the Node stage builds its assets, its goals are skipped.
    let replaced_plugin = j.frontend_plugin.as_ref().filter(|_| j.front_end.is_some());
    let (frontend_skips, unskippable) = replaced_plugin
        .map(|pl| pl.value.skip_properties())
        .unwrap_or_default();
    if let Some(pl) = replaced_plugin
        && !unskippable.is_empty()
    {
        plan.warnings.push(format!(
            "{}: goal(s) {} have no skip property dfgen knows, so they still run in the Maven build",
            pl.evidence,
            unskippable.join(", ")
        ));
    }
    let (deps_command, package_command) = if maven {
        let deps = format!("{cmd} -B -ntp {dep_plugin}:go-offline");
        let mut pkg = format!("{cmd} -B -DskipTests");
        for prop in &frontend_skips {
            pkg.push_str(&format!(" -D{prop}"));
        }
        if !root {
            pkg.push_str(&format!(" -pl {module_dir} -am"));
        }
        pkg.push_str(" package");
        if module.boot_repackage {
            let v = module
                .boot_version
                .as_ref()
                .map(|v| format!(":{}", v.value))
                .unwrap_or_default();
            pkg.push_str(&format!(
                " org.springframework.boot:spring-boot-maven-plugin{v}:repackage"
            ));
        }
        if lib {
            pkg.push_str(&format!(
                " {dep_plugin}:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/out/lib"
            ));
        }
        (deps, pkg)
    } else {
        let prefix = if root {
            String::new()
        } else {
            format!(":{}:", module_dir.replace('/', ":"))
        };
        let task = match module.kind.value {
            Kind::SpringBoot => "bootJar",
            Kind::Quarkus => "quarkusBuild",
            Kind::UberJar => "shadowJar",
            Kind::Application => "installDist",
            _ => "jar",
        };
        (
            format!("{cmd} --no-daemon {prefix}dependencies"),
            format!("{cmd} --no-daemon {prefix}{task}"),
        )
    };

    // The artifact, as the build's shell sees it.
    let artifact_path = safe::rel_path(
        &j.build_tool.evidence.to_string(),
        "build output",
        &module.artifact.replace('*', "x"),
    )
    .map(|_| module.artifact.clone())?;
    let artifact = match (maven, module.kind.value) {
        (false, Kind::SpringBoot | Kind::Jar) => {
            format!("\"$(find {artifact_path} -maxdepth 1 -name '*.jar' ! -name '*-plain.jar')\"")
        }
        _ => artifact_path,
    };

    let java = plan
        .runtime
        .settings
        .get("java")
        .and_then(|v| v.as_str())
        .unwrap_or("java")
        .to_string();
    let main_class = match &module.main_class {
        Some(m) => Some(safe::name(
            m.evidence.file.as_deref().unwrap_or("sources"),
            "main class",
            &m.value,
        )?),
        None => None,
    };
    let quarkus_uber = module.quarkus_uber.as_ref().is_some_and(|u| u.value);
    let argv: Vec<String> = match module.kind.value {
        Kind::SpringBoot if boot_jarmode.is_some() => vec![java.clone(), launcher.into()],
        Kind::Quarkus if !quarkus_uber => vec![
            java.clone(),
            "-Djava.util.logging.manager=org.jboss.logmanager.LogManager".into(),
            "-jar".into(),
            "quarkus-run.jar".into(),
        ],
        Kind::Application => vec![
            java.clone(),
            "-cp".into(),
            "lib/*".into(),
            main_class.clone().unwrap_or_default(),
        ],
        Kind::Jar | Kind::UberJar if !module.manifest_main || lib => {
            let cp = if lib { "app.jar:lib/*" } else { "app.jar" };
            vec![
                java.clone(),
                "-cp".into(),
                cp.into(),
                main_class.clone().unwrap_or_default(),
            ]
        }
        _ => vec![java.clone(), "-jar".into(), "app.jar".into()],
    };
    plan.command = Some(Fact::new(argv, module.kind.evidence.clone()));
    plan.main = Some(Fact::new(
        module_dir.clone(),
        Evidence::other(format!(
            "{} {}",
            module.kind.value.describe(),
            module.kind.evidence
        )),
    ));
    plan.shape = module.kind.value.slug().to_string();

    // distroless publishes each Java on one Debian release.
    if plan.runtime.image.contains("{debian}") {
        let debian = plan
            .runtime
            .settings
            .get("debian")
            .and_then(|m| m.get(&plan.version.tag))
            .and_then(|d| d.as_str())
            .ok_or_else(|| {
                Error::Usage(format!(
                    "runtime `{}` has no image for Java {} (it has {}); pass --runtime jre or --lang-version",
                    plan.runtime.name,
                    plan.version.tag,
                    plan.runtime
                        .settings
                        .get("debian")
                        .and_then(|m| m.as_object())
                        .map(|m| m.keys().cloned().collect::<Vec<_>>().join(", "))
                        .unwrap_or_default()
                ))
            })?
            .to_string();
        plan.runtime.image = plan.runtime.image.replace("{debian}", &debian);
        plan.images
            .insert("runtime".into(), plan.runtime.image.clone());
    }

    plan.warnings.extend(j.warnings.iter().cloned());
    plan.warnings.extend(module.warnings.iter().cloned());
    match (&j.front_end, &j.frontend_plugin) {
        (Some(fe), pl) => {
            plan.notes.push(format!(
                "front end: `npm run {}` ({}) writes {} ({}): built in the image's Node stage and \
                 copied into the Java build before it packages the app",
                fe.script, fe.script_evidence, fe.output, fe.output_evidence
            ));
            if let Some(pl) = pl {
                plan.notes.push(format!(
                    "frontend-maven-plugin ({}) is skipped in the image ({}): it would download Node \
                     from nodejs.org and reinstall the npm packages on every build",
                    pl.evidence,
                    frontend_skips
                        .iter()
                        .map(|p| format!("-D{p}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                ));
            }
            if fe.lockfile.is_none() {
                plan.warnings.push(format!(
                    "{} builds the front end, but there is no package-lock.json next to it: npm \
                     resolves afresh on every build",
                    fe.script_evidence
                ));
            }
        }
        (None, Some(f)) => {
            plan.notes.extend(j.front_end_notes.iter().cloned());
            if j.front_end_notes.is_empty() {
                plan.notes.push(format!(
                    "the build runs frontend-maven-plugin ({}): it downloads Node and the npm packages during the build",
                    f.evidence
                ));
            }
        }
        (None, None) => {
            plan.notes.extend(j.front_end_notes.iter().cloned());
            if j.package_json && j.front_end_notes.is_empty() {
                plan.notes.push(
                    "package.json is there too: dfgen builds the Java app; front-end assets it serves must be built \
                     by the Java build (e.g. frontend-maven-plugin, or a Vite build.outDir in src/main/resources/static) \
                     or committed"
                        .into(),
                );
            }
        }
    }

    let name = safe::name(
        &j.build_tool.evidence.to_string(),
        "artifactId",
        &module.name.to_ascii_lowercase(),
    )
    .unwrap_or_else(|_| "app".into());
    plan.set_part(
        "java",
        &JavaPlan {
            tool,
            wrapper: j.wrapper.is_some(),
            name,
            module: module_dir,
            kind: module.kind.value.slug().into(),
            kind_evidence: module.kind.evidence.to_string(),
            cache,
            build_files: j
                .build_files
                .iter()
                .map(|f| safe::rel_path(f, "build file", f))
                .collect::<Result<_>>()?,
            build_dirs: j.build_dirs.clone(),
            deps_command,
            package_command,
            artifact,
            boot_jarmode: if module.kind.value == Kind::SpringBoot {
                boot_jarmode
            } else {
                None
            },
            boot_version: module.boot_version.as_ref().map(|v| v.value.clone()),
            boot_evidence: module
                .boot_version
                .as_ref()
                .map(|v| v.evidence.to_string())
                .unwrap_or_default(),
            quarkus_uber,
            lib,
            main_class,
            assets: j.front_end.clone(),
            frontend_plugin: replaced_plugin.map(|pl| pl.evidence.to_string()),
            frontend_skips,
        },
    )?;
    Ok(module.ports.clone())
}

fn preset_error(preset: &crate::preset::Preset, message: &str) -> Error {
    Error::Preset {
        preset: preset.name.clone(),
        message: message.to_string(),
    }
}
