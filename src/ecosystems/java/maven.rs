//! Maven: pom.xml and its modules (parents inside the project are followed for
//! properties, plugins and dependencies), `mvnw` + `.mvn/wrapper`,
//! `.mvn/maven.config`. Decides each module's kind from its build plugins.

use std::collections::BTreeMap;

use roxmltree::{Document, Node};

use super::detect::{self, BuildFound, BuildTool, JavaModule, Kind};
use super::sources;
use crate::error::{Error, Result};
use crate::evidence::{Evidence, Fact};
use crate::project::{self, MANIFEST_CAP, Project};
use crate::safe;
use crate::version::Declared;

const BOOT_GROUP: &str = "org.springframework.boot";
const BOOT_PLUGIN: &str = "spring-boot-maven-plugin";
const MODULE_CAP: usize = 200;

#[derive(Debug, Clone, Default)]
struct Gav {
    group_id: Option<String>,
    artifact_id: String,
    version: Option<String>,
}

#[derive(Debug, Clone)]
struct Dep {
    scope: String,
    optional: bool,
}

#[derive(Debug, Clone, Default)]
struct Plugin {
    gav: Gav,
    goals: Vec<String>,
    /// Leaf elements of its configuration (and its executions'), name → text.
    config: Vec<(String, String)>,
}

impl Plugin {
    fn is(&self, group: &str, artifact: &str) -> bool {
        self.gav.artifact_id == artifact
            && self
                .gav
                .group_id
                .as_deref()
                .unwrap_or("org.apache.maven.plugins")
                == group
    }
    fn conf(&self, name: &str) -> Option<&str> {
        self.config
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    fn confs<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.config
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone)]
struct Pom {
    file: String,
    dir: String,
    gav: Gav,
    packaging: String,
    parent: Option<Gav>,
    /// Where the parent POM is, relative to the project root, when it is a
    /// file of the project (`<relativePath>`, by default `../pom.xml`).
    parent_file: Option<String>,
    properties: Vec<(String, String)>,
    modules: Vec<String>,
    dependencies: Vec<Dep>,
    imports: Vec<Gav>,
    plugins: Vec<Plugin>,
    managed: Vec<Plugin>,
    final_name: Option<String>,
}

pub fn detect(p: &Project) -> Result<BuildFound> {
    let mut warnings = Vec::new();
    let (wrapper, wrapper_executable) = detect::wrapper(
        p,
        "mvnw",
        ".mvn/wrapper/maven-wrapper.properties",
        &mut warnings,
    );
    let cli_props = maven_config(p)?;
    let poms = read_tree(p)?;
    let mut build_files: Vec<String> = poms.iter().map(|p| p.file.clone()).collect();
    build_files.sort();
    let mut build_dirs = Vec::new();
    if p.is_dir(".mvn") {
        build_dirs.push(".mvn".to_string());
    }
    if wrapper.is_some() {
        build_files.push("mvnw".to_string());
    }

    let mut modules = Vec::new();
    let mut frontend_plugin = None;
    let mut minimum: Option<(Vec<u64>, String, Evidence)> = None;
    for pom in &poms {
        let chain = chain(&poms, pom);
        let props = properties(&chain, &cli_props);
        if let Some((v, ev)) = java_level(&chain, &props)? {
            let nums = crate::version::parse_numbers(&v).unwrap_or_default();
            if minimum.as_ref().is_none_or(|(m, _, _)| nums > *m) {
                minimum = Some((nums, v, ev));
            }
        }
        let plugins = effective_plugins(&chain);
        if frontend_plugin.is_none()
            && let Some(pl) = plugins
                .iter()
                .find(|pl| pl.gav.artifact_id == "frontend-maven-plugin")
        {
            frontend_plugin = Some(frontend(p, pom, pl, &props)?);
        }
        if pom.packaging == "pom" {
            continue; // an aggregator or parent: builds no artifact
        }
        modules.push(module(p, pom, &chain, &props, &plugins)?);
    }
    let build_minimum = match minimum {
        Some((_, version, evidence)) => Declared::Minimum { version, evidence },
        None => Declared::Nothing,
    };
    Ok(BuildFound {
        tool: Fact::in_file(BuildTool::Maven, "pom.xml", "project"),
        wrapper,
        wrapper_executable,
        build_pin: None,
        build_minimum,
        modules,
        build_files,
        build_dirs,
        warnings,
        frontend_plugin,
    })
}

/// frontend-maven-plugin: its goals, its working directory (relative to the
/// project root) and the npm script it runs.
fn frontend(
    p: &Project,
    pom: &Pom,
    pl: &Plugin,
    props: &BTreeMap<String, String>,
) -> Result<Fact<detect::FrontendPlugin>> {
    let text = p.read_opt(&pom.file, MANIFEST_CAP)?.unwrap_or_default();
    let line = text
        .lines()
        .position(|l| l.contains("frontend-maven-plugin"))
        .map(|i| format!(", line {}", i + 1))
        .unwrap_or_default();
    let working_dir = match pl.conf("workingDirectory") {
        Some(w) => {
            let w = interpolate(w, props);
            let w = ["${project.basedir}", "${basedir}"]
                .iter()
                .find_map(|b| w.strip_prefix(b))
                .map(|r| r.trim_start_matches('/').to_string())
                .unwrap_or(w);
            if w.starts_with('/') {
                return Err(Error::field(
                    &pom.file,
                    "frontend-maven-plugin workingDirectory",
                    format!("{w:?} is an absolute path"),
                ));
            }
            let dir = crate::ecosystems::assets::join_rel(&pom.dir, &w).ok_or_else(|| {
                Error::field(
                    &pom.file,
                    "frontend-maven-plugin workingDirectory",
                    format!("{w:?} points outside the project"),
                )
            })?;
            safe::rel_path(&pom.file, "frontend-maven-plugin workingDirectory", &dir)?
        }
        None => pom.dir.clone(),
    };
    let script = pl.confs("arguments").find_map(|a| {
        let mut words = a.split_whitespace();
        match (words.next(), words.next()) {
            (Some("run" | "run-script"), Some(s)) => Some(s.to_string()),
            _ => None,
        }
    });
    let mut goals: Vec<String> = Vec::new();
    for g in &pl.goals {
        if !goals.contains(g) {
            goals.push(g.clone());
        }
    }
    Ok(Fact::in_file(
        detect::FrontendPlugin {
            goals,
            working_dir,
            script,
        },
        &pom.file,
        format!("build.plugins: frontend-maven-plugin{line}"),
    ))
}

/// `-Dkey=value` options in `.mvn/maven.config` (CI-friendly `${revision}`).
fn maven_config(p: &Project) -> Result<Vec<(String, String)>> {
    let Some(text) = p.read_opt(".mvn/maven.config", MANIFEST_CAP)? else {
        return Ok(Vec::new());
    };
    Ok(text
        .split_whitespace()
        .filter_map(|w| w.strip_prefix("-D"))
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect())
}

/// The root POM and every module it lists, depth first.
fn read_tree(p: &Project) -> Result<Vec<Pom>> {
    let mut out: Vec<Pom> = Vec::new();
    let mut todo = vec![".".to_string()];
    while let Some(dir) = todo.pop() {
        if out.iter().any(|x| x.dir == dir) {
            continue;
        }
        if out.len() >= MODULE_CAP {
            return Err(Error::Detect(format!(
                "more than {MODULE_CAP} Maven modules: dfgen stops here"
            )));
        }
        let file = project::join(&dir, "pom.xml");
        let text = p.read(&file, MANIFEST_CAP)?;
        let pom = parse(&file, &dir, &text)?;
        let mut children = Vec::new();
        for m in &pom.modules {
            let m = m.trim().trim_end_matches("/pom.xml");
            let rel = safe::rel_path(&file, "modules.module", m)?;
            let child = if dir == "." {
                rel
            } else {
                project::join(&dir, &rel)
            };
            if !p.has_file(&project::join(&child, "pom.xml")) {
                return Err(Error::field(
                    file.clone(),
                    "modules.module",
                    format!("module {m} has no pom.xml"),
                ));
            }
            children.push(child);
        }
        out.push(pom);
        // Reversed so that modules come out in the order the POM lists them.
        todo.extend(children.into_iter().rev());
    }
    // Parents that are files of the project but not modules: Maven reads them
    // through <relativePath>, so the dependency step needs them too.
    let mut i = 0;
    while i < out.len() && out.len() < MODULE_CAP {
        if let Some(file) = out[i].parent_file.clone()
            && !out.iter().any(|x| x.file == file)
            && p.has_file(&file)
        {
            let dir = file
                .rsplit_once('/')
                .map(|(d, _)| d.to_string())
                .unwrap_or_else(|| ".".into());
            let text = p.read(&file, MANIFEST_CAP)?;
            let mut parent = parse(&file, &dir, &text)?;
            // Read for what it passes on; it is built only if it is a module.
            parent.packaging = "pom".into();
            out.push(parent);
        }
        i += 1;
    }
    Ok(out)
}

/// `a/../b/pom.xml` → `b/pom.xml`; `None` when it leaves the project.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

fn kids<'a, 'i>(n: Node<'a, 'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    n.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

fn kid<'a, 'i>(n: Node<'a, 'i>, name: &'a str) -> Option<Node<'a, 'i>> {
    kids(n, name).next()
}

fn text_of(n: Node, name: &str) -> Option<String> {
    kid(n, name)
        .and_then(|c| c.text())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

fn path<'a, 'i>(n: Node<'a, 'i>, names: &[&'a str]) -> Option<Node<'a, 'i>> {
    let mut cur = n;
    for name in names {
        cur = kid(cur, name)?;
    }
    Some(cur)
}

fn gav(n: Node) -> Gav {
    Gav {
        group_id: text_of(n, "groupId"),
        artifact_id: text_of(n, "artifactId").unwrap_or_default(),
        version: text_of(n, "version"),
    }
}

fn plugins_in(n: Option<Node>) -> Vec<Plugin> {
    let Some(n) = n else { return Vec::new() };
    kids(n, "plugin")
        .map(|pl| {
            let mut goals = Vec::new();
            let mut config = Vec::new();
            if let Some(c) = kid(pl, "configuration") {
                leaves(c, &mut config);
            }
            if let Some(execs) = kid(pl, "executions") {
                for e in kids(execs, "execution") {
                    if let Some(g) = kid(e, "goals") {
                        goals.extend(
                            kids(g, "goal")
                                .filter_map(|x| x.text())
                                .map(|t| t.trim().to_string()),
                        );
                    }
                    if let Some(c) = kid(e, "configuration") {
                        leaves(c, &mut config);
                    }
                }
            }
            Plugin {
                gav: gav(pl),
                goals,
                config,
            }
        })
        .collect()
}

fn leaves(n: Node, out: &mut Vec<(String, String)>) {
    for c in n.children().filter(|c| c.is_element()) {
        if c.children().any(|x| x.is_element()) {
            leaves(c, out);
        } else if let Some(t) = c.text() {
            out.push((c.tag_name().name().to_string(), t.trim().to_string()));
        }
    }
}

fn parse(file: &str, dir: &str, text: &str) -> Result<Pom> {
    let doc = Document::parse(text).map_err(|e| Error::parse(file, format!("invalid XML: {e}")))?;
    let root = doc.root_element();
    if root.tag_name().name() != "project" {
        return Err(Error::parse(file, "the root element is not <project>"));
    }
    let gav = gav(root);
    if gav.artifact_id.is_empty() {
        return Err(Error::field(file, "artifactId", "is missing"));
    }
    let properties = kid(root, "properties")
        .map(|ps| {
            ps.children()
                .filter(|c| c.is_element())
                .map(|c| {
                    (
                        c.tag_name().name().to_string(),
                        c.text().unwrap_or("").trim().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let modules = kid(root, "modules")
        .map(|ms| {
            kids(ms, "module")
                .filter_map(|m| m.text())
                .map(|t| t.trim().to_string())
                .collect()
        })
        .unwrap_or_default();
    let dependencies = kid(root, "dependencies")
        .map(|ds| {
            kids(ds, "dependency")
                .map(|d| Dep {
                    scope: text_of(d, "scope").unwrap_or_else(|| "compile".into()),
                    optional: text_of(d, "optional").as_deref() == Some("true"),
                })
                .collect()
        })
        .unwrap_or_default();
    let imports = path(root, &["dependencyManagement", "dependencies"])
        .map(|ds| {
            kids(ds, "dependency")
                .filter(|d| text_of(*d, "scope").as_deref() == Some("import"))
                .map(gav_of)
                .collect()
        })
        .unwrap_or_default();
    Ok(Pom {
        file: file.to_string(),
        dir: dir.to_string(),
        packaging: text_of(root, "packaging").unwrap_or_else(|| "jar".into()),
        parent: kid(root, "parent").map(gav_of),
        parent_file: kid(root, "parent").and_then(|pn| {
            // An empty <relativePath/> means "from the repository, not a file".
            let rel = match kid(pn, "relativePath") {
                Some(r) => r.text().map(str::trim).unwrap_or("").to_string(),
                None => "../pom.xml".to_string(),
            };
            if rel.is_empty() {
                return None;
            }
            let rel = if rel.ends_with(".xml") {
                rel
            } else {
                format!("{}/pom.xml", rel.trim_end_matches('/'))
            };
            normalize(&project::join(dir, &rel))
        }),
        properties,
        modules,
        dependencies,
        imports,
        plugins: plugins_in(path(root, &["build", "plugins"])),
        managed: plugins_in(path(root, &["build", "pluginManagement", "plugins"])),
        final_name: path(root, &["build", "finalName"])
            .and_then(|n| n.text())
            .map(|t| t.trim().to_string()),
        gav,
    })
}

fn gav_of(n: Node) -> Gav {
    gav(n)
}

/// The POM and its parents inside the project, child first.
fn chain<'a>(poms: &'a [Pom], pom: &'a Pom) -> Vec<&'a Pom> {
    let mut out = vec![pom];
    let mut cur = pom;
    while let Some(parent) = &cur.parent {
        let by_file = cur
            .parent_file
            .as_ref()
            .and_then(|f| poms.iter().find(|p| &p.file == f))
            .filter(|p| p.gav.artifact_id == parent.artifact_id);
        let Some(next) = by_file.or_else(|| {
            poms.iter().find(|p| {
                p.gav.artifact_id == parent.artifact_id
                    && (parent.group_id.is_none()
                        || p.gav.group_id.is_none()
                        || p.gav.group_id == parent.group_id)
            })
        }) else {
            break;
        };
        if out.iter().any(|x| std::ptr::eq(*x, next)) || out.len() > 20 {
            break;
        }
        out.push(next);
        cur = next;
    }
    out
}

/// The first parent outside the project (spring-boot-starter-parent...).
fn external_parent<'a>(chain: &[&'a Pom]) -> Option<&'a Gav> {
    chain.last().and_then(|top| top.parent.as_ref())
}

/// Properties a POM sees: its parents' (inside the project), its own, the
/// project.* built-ins and `.mvn/maven.config` (which wins, as `-D` does).
fn properties(chain: &[&Pom], cli: &[(String, String)]) -> BTreeMap<String, String> {
    let mut props = BTreeMap::new();
    for pom in chain.iter().rev() {
        for (k, v) in &pom.properties {
            props.insert(k.clone(), v.clone());
        }
    }
    let me = chain[0];
    let version = me
        .gav
        .version
        .clone()
        .or_else(|| me.parent.as_ref().and_then(|p| p.version.clone()));
    let group = me
        .gav
        .group_id
        .clone()
        .or_else(|| me.parent.as_ref().and_then(|p| p.group_id.clone()));
    for prefix in ["project.", "pom.", ""] {
        props.insert(format!("{prefix}artifactId"), me.gav.artifact_id.clone());
        if let Some(v) = &version {
            props.insert(format!("{prefix}version"), v.clone());
        }
        if let Some(g) = &group {
            props.insert(format!("{prefix}groupId"), g.clone());
        }
    }
    if let Some(pv) = me.parent.as_ref().and_then(|p| p.version.clone()) {
        props.insert("project.parent.version".into(), pv);
    }
    for (k, v) in cli {
        props.insert(k.clone(), v.clone());
    }
    props
}

/// `${name}` references replaced, a few levels deep; unknown ones stay.
fn interpolate(s: &str, props: &BTreeMap<String, String>) -> String {
    let mut cur = s.to_string();
    for _ in 0..5 {
        let mut out = String::new();
        let mut rest = cur.as_str();
        let mut changed = false;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            match after.find('}') {
                Some(end) => {
                    let key = &after[..end];
                    match props.get(key) {
                        Some(v) => {
                            out.push_str(v);
                            changed = true;
                        }
                        None => out.push_str(&rest[start..start + 3 + end]),
                    }
                    rest = &after[end + 1..];
                }
                None => {
                    out.push_str(&rest[start..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        cur = out;
        if !changed {
            break;
        }
    }
    cur
}

fn resolved(s: &str, props: &BTreeMap<String, String>) -> Option<String> {
    let v = interpolate(s, props);
    (!v.contains("${")).then_some(v)
}

/// The language level the build compiles for, with the file and property
/// that says so: `maven.compiler.release`, the compiler plugin's `release`,
/// `maven.compiler.source`, its `source`, then `java.version` (Spring Boot's).
fn java_level(
    chain: &[&Pom],
    props: &BTreeMap<String, String>,
) -> Result<Option<(String, Evidence)>> {
    // Where a property is written: the nearest POM of the chain that sets it.
    let owner = |key: &str| -> String {
        chain
            .iter()
            .find(|p| p.properties.iter().any(|(k, _)| k == key))
            .map(|p| p.file.clone())
            .unwrap_or_else(|| chain[0].file.clone())
    };
    let compiler = |name: &str| -> Option<(String, String)> {
        chain.iter().find_map(|pom| {
            pom.plugins
                .iter()
                .chain(&pom.managed)
                .find(|pl| pl.is("org.apache.maven.plugins", "maven-compiler-plugin"))
                .and_then(|pl| pl.conf(name))
                .map(|v| (v.to_string(), pom.file.clone()))
        })
    };
    let mut candidates: Vec<(String, String, String)> = Vec::new(); // value, file, detail
    for (key, plugin_conf) in [
        ("maven.compiler.release", Some("release")),
        ("maven.compiler.source", Some("source")),
        ("java.version", None),
    ] {
        if let Some(v) = props.get(key).filter(|_| {
            chain
                .iter()
                .any(|p| p.properties.iter().any(|(k, _)| k == key))
        }) {
            candidates.push((v.clone(), owner(key), format!("{key} property")));
        }
        if let Some(conf) = plugin_conf
            && let Some((v, file)) = compiler(conf)
        {
            candidates.push((v, file, format!("maven-compiler-plugin <{conf}>")));
        }
    }
    let Some((raw, file, detail)) = candidates.into_iter().next() else {
        return Ok(None);
    };
    let evidence = Evidence::file(file, format!("{detail} (a minimum)"));
    let Some(value) = resolved(&raw, props) else {
        return Ok(None); // a property dfgen cannot see (from a parent outside the project)
    };
    match detect::java_version(&value) {
        Some(v) => Ok(Some((v, evidence))),
        None => Err(detect::bad_version(&evidence, &value)),
    }
}

/// Build plugins of a POM and its parents inside the project (a child's
/// declaration of the same plugin comes first), each merged with what
/// pluginManagement in the chain says about it.
fn effective_plugins(chain: &[&Pom]) -> Vec<Plugin> {
    let mut out: Vec<Plugin> = Vec::new();
    for pom in chain {
        for pl in &pom.plugins {
            if let Some(existing) = out.iter_mut().find(|x| {
                x.gav.artifact_id == pl.gav.artifact_id && x.gav.group_id == pl.gav.group_id
            }) {
                existing.goals.extend(pl.goals.iter().cloned());
                existing.config.extend(pl.config.iter().cloned());
            } else {
                out.push(pl.clone());
            }
        }
    }
    for pl in out.iter_mut() {
        for pom in chain {
            for m in &pom.managed {
                if m.gav.artifact_id == pl.gav.artifact_id && m.gav.group_id == pl.gav.group_id {
                    pl.goals.extend(m.goals.iter().cloned());
                    pl.config.extend(m.config.iter().cloned());
                    if pl.gav.version.is_none() {
                        pl.gav.version = m.gav.version.clone();
                    }
                }
            }
        }
    }
    out
}

fn module(
    p: &Project,
    pom: &Pom,
    chain: &[&Pom],
    props: &BTreeMap<String, String>,
    plugins: &[Plugin],
) -> Result<JavaModule> {
    let mut warnings = Vec::new();
    let files = sources::files(p, &pom.dir);
    let final_name = chain
        .iter()
        .find_map(|x| x.final_name.clone())
        .unwrap_or_else(|| "${project.artifactId}-${project.version}".into());
    let final_name = wildcard(&interpolate(&final_name, props));
    let target = project::join(&pom.dir, "target");
    let jar = |suffix: &str| project::join(&target, &format!("{final_name}{suffix}.jar"));
    let base = JavaModule {
        dir: pom.dir.clone(),
        name: pom.gav.artifact_id.clone(),
        kind: Fact::in_file(Kind::Library, &pom.file, "packaging"),
        main_class: None,
        manifest_main: false,
        boot_version: None,
        boot_repackage: false,
        quarkus_uber: None,
        artifact: jar(""),
        runtime_deps: false,
        ports: Default::default(),
        warnings: Vec::new(),
        why_not: None,
    };
    if pom.packaging == "war" {
        return Ok(JavaModule {
            why_not: Some(format!(
                "{} builds a war, which needs a servlet container: dfgen builds runnable jars only",
                pom.file
            )),
            ..base
        });
    }
    let mains = sources::main_classes(p, &files);

    // Spring Boot: its plugin in the build, or a Spring Boot parent/BOM and an
    // @SpringBootApplication class.
    let boot_parent = external_parent(chain)
        .filter(|g| {
            g.group_id.as_deref() == Some(BOOT_GROUP)
                && matches!(
                    g.artifact_id.as_str(),
                    "spring-boot-starter-parent" | "spring-boot-dependencies"
                )
        })
        .cloned();
    let boot_bom = chain.iter().find_map(|x| {
        x.imports
            .iter()
            .find(|g| {
                g.group_id.as_deref() == Some(BOOT_GROUP)
                    && g.artifact_id == "spring-boot-dependencies"
            })
            .map(|g| (g.clone(), x.file.clone()))
    });
    let boot_plugin = plugins.iter().find(|pl| pl.is(BOOT_GROUP, BOOT_PLUGIN));
    let boot_version: Option<Fact<String>> = boot_parent
        .as_ref()
        .and_then(|g| {
            let v = resolved(g.version.as_deref()?, props)?;
            Some(Fact::in_file(
                v,
                &chain.last().unwrap().file,
                format!("parent {}", g.artifact_id),
            ))
        })
        .or_else(|| {
            let (g, file) = boot_bom.as_ref()?;
            let v = resolved(g.version.as_deref()?, props)?;
            Some(Fact::in_file(
                v,
                file,
                "dependencyManagement import spring-boot-dependencies",
            ))
        })
        .or_else(|| {
            let pl = boot_plugin?;
            let v = resolved(pl.gav.version.as_deref()?, props)?;
            Some(Fact::in_file(
                v,
                &pom.file,
                format!("build.plugins: {BOOT_PLUGIN} version"),
            ))
        });
    let boot_app = sources::spring_boot_application(p, &files);
    let mut settings_warnings = Vec::new();
    let settings = sources::settings(p, &pom.dir, &mut settings_warnings);
    warnings.extend(settings_warnings);
    if boot_plugin.is_some()
        || ((boot_parent.is_some() || boot_bom.is_some()) && boot_app.is_some())
    {
        let kind = match (boot_plugin, &boot_app) {
            (Some(_), _) => Fact::in_file(
                Kind::SpringBoot,
                &pom.file,
                format!("build.plugins: {BOOT_PLUGIN}"),
            ),
            (None, Some(app)) => Fact::new(Kind::SpringBoot, app.evidence.clone()),
            (None, None) => unreachable!(),
        };
        // repackage runs in `package` when the build binds it: the starter
        // parent does for a declared plugin; without that parent, an execution must.
        let bound = boot_plugin.is_some_and(|pl| {
            pl.goals.iter().any(|g| g == "repackage")
                || boot_parent
                    .as_ref()
                    .is_some_and(|g| g.artifact_id == "spring-boot-starter-parent")
        });
        if !bound {
            warnings.push(format!(
                "{}: spring-boot-maven-plugin's `repackage` goal is not bound to `package`, so dfgen runs it \
                 explicitly",
                pom.file
            ));
        }
        return Ok(JavaModule {
            kind,
            boot_version,
            boot_repackage: !bound,
            ports: sources::spring_ports(&settings),
            warnings,
            ..base
        });
    }

    // Quarkus: its plugin (io.quarkus or io.quarkus.platform).
    if plugins
        .iter()
        .any(|pl| pl.gav.artifact_id == "quarkus-maven-plugin")
    {
        let uber = ["quarkus.package.jar.type", "quarkus.package.type"]
            .iter()
            .find_map(|k| sources::lookup(&settings, k, &["prod".to_string()]))
            .map(|s| Fact::new(s.value == "uber-jar", s.evidence.clone()));
        if let Some(t) = ["quarkus.package.jar.type", "quarkus.package.type"]
            .iter()
            .find_map(|k| sources::lookup(&settings, k, &["prod".to_string()]))
            && !matches!(t.value.as_str(), "fast-jar" | "uber-jar" | "mutable-jar")
        {
            warnings.push(format!(
                "{} asks for a {} package; dfgen builds the JVM fast-jar layout",
                t.evidence, t.value
            ));
        }
        let is_uber = uber.as_ref().is_some_and(|u| u.value);
        return Ok(JavaModule {
            kind: Fact::in_file(
                Kind::Quarkus,
                &pom.file,
                "build.plugins: quarkus-maven-plugin",
            ),
            quarkus_uber: uber.filter(|u| u.value),
            artifact: if is_uber {
                jar("-runner")
            } else {
                project::join(&target, "quarkus-app")
            },
            ports: sources::quarkus_ports(&settings),
            warnings,
            ..base
        });
    }

    let declared_main = |pl: &Plugin| pl.conf("mainClass").and_then(|m| resolved(m, props));
    let ports = sources::source_ports(p, &files);
    let scanned = sources::pick_main(&mains).cloned();

    // Uber jars: shade (with a main class in its manifest transformer) or
    // assembly's jar-with-dependencies.
    if let Some(shade) = plugins
        .iter()
        .find(|pl| pl.is("org.apache.maven.plugins", "maven-shade-plugin"))
    {
        let attached = shade.conf("shadedArtifactAttached") == Some("true");
        let classifier = shade.conf("shadedClassifierName").unwrap_or("shaded");
        let artifact = if attached {
            jar(&format!("-{classifier}"))
        } else {
            jar("")
        };
        let (main_class, manifest_main) = match declared_main(shade) {
            Some(m) => (
                Some(Fact::in_file(m, &pom.file, "maven-shade-plugin mainClass")),
                true,
            ),
            None => (scanned.clone(), false),
        };
        if main_class.is_some() {
            return Ok(JavaModule {
                kind: Fact::in_file(
                    Kind::UberJar,
                    &pom.file,
                    "build.plugins: maven-shade-plugin",
                ),
                main_class,
                manifest_main,
                artifact,
                ports,
                warnings,
                ..base
            });
        }
    }
    if let Some(asm) = plugins.iter().find(|pl| {
        pl.is("org.apache.maven.plugins", "maven-assembly-plugin")
            && pl
                .confs("descriptorRef")
                .any(|d| d == "jar-with-dependencies")
    }) {
        let name = asm
            .conf("finalName")
            .map(|n| wildcard(&interpolate(n, props)))
            .unwrap_or_else(|| final_name.clone());
        let suffix = if asm.conf("appendAssemblyId") == Some("false") {
            ""
        } else {
            "-jar-with-dependencies"
        };
        let (main_class, manifest_main) = match declared_main(asm) {
            Some(m) => (
                Some(Fact::in_file(
                    m,
                    &pom.file,
                    "maven-assembly-plugin mainClass",
                )),
                true,
            ),
            None => (scanned.clone(), false),
        };
        if main_class.is_some() {
            return Ok(JavaModule {
                kind: Fact::in_file(
                    Kind::UberJar,
                    &pom.file,
                    "build.plugins: maven-assembly-plugin jar-with-dependencies",
                ),
                main_class,
                manifest_main,
                artifact: project::join(&target, &format!("{name}{suffix}.jar")),
                ports,
                warnings,
                ..base
            });
        }
    }

    // A plain jar with a main class: the manifest's, else the only one in the sources.
    let runtime_deps = chain.iter().any(|x| {
        x.dependencies
            .iter()
            .any(|d| matches!(d.scope.as_str(), "compile" | "runtime") && !d.optional)
    });
    let jar_plugin = plugins
        .iter()
        .find(|pl| pl.is("org.apache.maven.plugins", "maven-jar-plugin"));
    if let Some(m) = jar_plugin.and_then(declared_main) {
        return Ok(JavaModule {
            kind: Fact::in_file(Kind::Jar, &pom.file, "maven-jar-plugin manifest mainClass"),
            main_class: Some(Fact::in_file(
                m,
                &pom.file,
                "maven-jar-plugin manifest mainClass",
            )),
            manifest_main: true,
            runtime_deps,
            ports,
            warnings,
            ..base
        });
    }
    if let Some(m) = scanned {
        return Ok(JavaModule {
            kind: Fact::new(Kind::Jar, m.evidence.clone()),
            main_class: Some(m),
            runtime_deps,
            ports,
            warnings,
            ..base
        });
    }
    let why = if mains.len() > 1 {
        format!(
            "{} main classes ({}) and no manifest mainClass to pick one",
            mains.len(),
            mains
                .iter()
                .map(|m| m.value.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        "no main class (a library?)".to_string()
    };
    Ok(JavaModule {
        why_not: Some(why),
        ..base
    })
}

/// Unresolved `${...}` parts of a file name become `*` (the build's shell
/// expands them).
fn wildcard(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        match rest[start..].find('}') {
            Some(end) => {
                out.push('*');
                rest = &rest[start + end + 1..];
            }
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolation_and_wildcards() {
        let mut props = BTreeMap::new();
        props.insert("a".to_string(), "${b}-x".to_string());
        props.insert("b".to_string(), "1".to_string());
        assert_eq!(interpolate("v${a}", &props), "v1-x");
        assert_eq!(interpolate("${nope}", &props), "${nope}");
        assert_eq!(wildcard("app-${revision}"), "app-*");
    }

    #[test]
    fn parent_paths_stay_in_the_project() {
        assert_eq!(normalize("api/../pom.xml").as_deref(), Some("pom.xml"));
        assert_eq!(
            normalize("api/../parent/pom.xml").as_deref(),
            Some("parent/pom.xml")
        );
        assert_eq!(normalize("./../pom.xml"), None);
    }
}
