//! Java detection and planning: one test (or a few assertions) per rule, each
//! on a small project.

mod common;

use common::project;
use dfgen::assets::Assets;
use dfgen::ecosystems::java::JavaPlan;
use dfgen::pipeline::{self, Planned};
use dfgen::plan::{Choices, Plan};

fn plan_with(files: &[(&str, &str)], choices: Choices) -> Result<Planned, String> {
    let dir = project(files);
    pipeline::plan(dir.path(), &choices, &Assets::default()).map_err(|e| e.to_string())
}

fn ok(files: &[(&str, &str)]) -> Plan {
    plan_with(files, Choices::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .plan
}

fn err(files: &[(&str, &str)]) -> String {
    match plan_with(files, Choices::default()) {
        Ok(p) => panic!("expected an error, got a {} plan", p.plan.preset),
        Err(e) => e,
    }
}

fn java(p: &Plan) -> JavaPlan {
    p.part("java").expect("a java section")
}

fn cmd(p: &Plan) -> Vec<String> {
    p.command.as_ref().unwrap().value.clone()
}

fn pom(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n\
         <modelVersion>4.0.0</modelVersion>\n<groupId>com.example</groupId>\n{body}\n</project>\n"
    )
}

const MAIN: (&str, &str) = (
    "src/main/java/com/example/Main.java",
    "package com.example;\n\npublic class Main {\n    public static void main(String[] args) {}\n}\n",
);

const BOOT_APP: (&str, &str) = (
    "src/main/java/com/example/DemoApplication.java",
    "package com.example;\n\n@SpringBootApplication\npublic class DemoApplication {\n    public static void main(String[] a) {}\n}\n",
);

fn boot_pom(version: &str, plugin: bool) -> String {
    pom(&format!(
        "<parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId>\
         <version>{version}</version></parent>\n<artifactId>demo</artifactId><version>0.1.0</version>\n\
         <properties><java.version>17</java.version></properties>\n{}",
        if plugin {
            "<build><plugins><plugin><groupId>org.springframework.boot</groupId>\
             <artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build>"
        } else {
            ""
        }
    ))
}

// ---------- Maven: kinds ----------

#[test]
fn a_plain_jar_runs_with_java_jar_when_its_manifest_names_the_main_class() {
    let p = ok(&[
        (
            "pom.xml",
            &pom("<artifactId>hello</artifactId><version>1.0</version>\
                  <build><plugins><plugin><artifactId>maven-jar-plugin</artifactId><configuration><archive>\
                  <manifest><mainClass>com.example.Main</mainClass></manifest></archive></configuration>\
                  </plugin></plugins></build>"),
        ),
        MAIN,
    ]);
    assert_eq!(p.ecosystem, "java");
    assert_eq!(p.shape, "jar");
    assert_eq!(cmd(&p), vec!["java", "-jar", "app.jar"]);
    let j = java(&p);
    assert_eq!(j.artifact, "target/hello-1.0.jar");
    assert!(!j.lib);
    assert_eq!(
        p.images["build"],
        "maven:3.9-eclipse-temurin-${JAVA_VERSION}"
    );
}

#[test]
fn a_jar_with_dependencies_gets_them_in_lib_and_a_class_path() {
    let p = ok(&[
        (
            "pom.xml",
            &pom(
                "<artifactId>hello</artifactId><version>1.0</version><dependencies>\
                  <dependency><groupId>g</groupId><artifactId>a</artifactId><version>1</version></dependency>\
                  <dependency><groupId>t</groupId><artifactId>t</artifactId><version>1</version><scope>test</scope></dependency>\
                  </dependencies>",
            ),
        ),
        MAIN,
    ]);
    let j = java(&p);
    assert!(j.lib);
    assert!(
        j.package_command
            .contains("copy-dependencies -DincludeScope=runtime"),
        "{}",
        j.package_command
    );
    assert_eq!(
        cmd(&p),
        vec!["java", "-cp", "app.jar:lib/*", "com.example.Main"]
    );
    // Test-scoped dependencies alone do not need lib/.
    let p = ok(&[
        (
            "pom.xml",
            &pom(
                "<artifactId>hello</artifactId><version>1.0</version><dependencies>\
                  <dependency><groupId>t</groupId><artifactId>t</artifactId><version>1</version><scope>test</scope></dependency>\
                  </dependencies>",
            ),
        ),
        MAIN,
    ]);
    assert!(!java(&p).lib);
    assert_eq!(cmd(&p), vec!["java", "-cp", "app.jar", "com.example.Main"]);
}

#[test]
fn shade_and_assembly_build_uber_jars() {
    let shade = pom(
        "<artifactId>relay</artifactId><version>2</version><build><plugins><plugin>\
         <artifactId>maven-shade-plugin</artifactId><executions><execution><goals><goal>shade</goal></goals>\
         <configuration><shadedArtifactAttached>true</shadedArtifactAttached><transformers><transformer>\
         <mainClass>com.example.Main</mainClass></transformer></transformers></configuration></execution>\
         </executions></plugin></plugins></build>",
    );
    let p = ok(&[("pom.xml", &shade), MAIN]);
    assert_eq!(p.shape, "uber-jar");
    assert_eq!(java(&p).artifact, "target/relay-2-shaded.jar");
    assert_eq!(cmd(&p), vec!["java", "-jar", "app.jar"]);
    let asm = pom(
        "<artifactId>relay</artifactId><version>2</version><build><plugins><plugin>\
         <artifactId>maven-assembly-plugin</artifactId><configuration><descriptorRefs>\
         <descriptorRef>jar-with-dependencies</descriptorRef></descriptorRefs></configuration>\
         </plugin></plugins></build>",
    );
    let p = ok(&[("pom.xml", &asm), MAIN]);
    assert_eq!(
        java(&p).artifact,
        "target/relay-2-jar-with-dependencies.jar"
    );
    // No mainClass in the manifest: the class from the sources, by -cp.
    assert_eq!(cmd(&p), vec!["java", "-cp", "app.jar", "com.example.Main"]);
}

#[test]
fn spring_boot_layers_and_launcher_follow_the_boot_version() {
    let case = |v: &str| {
        let p = ok(&[("pom.xml", &boot_pom(v, true)), BOOT_APP]);
        (java(&p).boot_jarmode, cmd(&p))
    };
    let (mode, c) = case("4.1.2");
    assert_eq!(mode.as_deref(), Some("tools"));
    assert_eq!(
        c,
        vec!["java", "org.springframework.boot.loader.launch.JarLauncher"]
    );
    let (mode, c) = case("3.2.5");
    assert_eq!(mode.as_deref(), Some("layertools"));
    assert_eq!(
        c,
        vec!["java", "org.springframework.boot.loader.launch.JarLauncher"]
    );
    let (mode, c) = case("2.7.18");
    assert_eq!(mode.as_deref(), Some("layertools"));
    assert_eq!(
        c,
        vec!["java", "org.springframework.boot.loader.JarLauncher"]
    );
    let (mode, c) = case("2.2.13.RELEASE");
    assert_eq!(mode, None);
    assert_eq!(c, vec!["java", "-jar", "app.jar"]);
    let p = ok(&[("pom.xml", &boot_pom("4.1.2", true)), BOOT_APP]);
    assert_eq!(p.shape, "spring-boot");
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn spring_boot_without_a_bound_repackage_runs_it_explicitly() {
    // The starter parent but no plugin: repackage is named on the command line.
    let p = ok(&[("pom.xml", &boot_pom("3.5.6", false)), BOOT_APP]);
    let j = java(&p);
    assert!(
        j.package_command
            .ends_with("package org.springframework.boot:spring-boot-maven-plugin:3.5.6:repackage"),
        "{}",
        j.package_command
    );
    assert!(
        p.warnings.iter().any(|w| w.contains("repackage")),
        "{:?}",
        p.warnings
    );
    // The parent alone, without an application class, is not an app.
    let e = err(&[("pom.xml", &boot_pom("3.5.6", false))]);
    assert!(e.contains("no module builds a runnable artifact"), "{e}");
}

#[test]
fn spring_boot_port_from_the_default_profile() {
    let files = |props: &'static str, yml: &'static str| {
        let mut v = vec![("pom.xml".to_string(), boot_pom("4.1.2", true))];
        v.push((BOOT_APP.0.into(), BOOT_APP.1.into()));
        if !props.is_empty() {
            v.push((
                "src/main/resources/application.properties".into(),
                props.into(),
            ));
        }
        if !yml.is_empty() {
            v.push(("src/main/resources/application.yml".into(), yml.into()));
        }
        v
    };
    let port = |props: &'static str, yml: &'static str| {
        let v = files(props, yml);
        let refs: Vec<(&str, &str)> = v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let p = ok(&refs);
        let port = p.port.as_ref().unwrap();
        (port.value, port.evidence.to_string(), p.port_env)
    };
    let (n, ev, env) = port("", "");
    assert_eq!(n, 8080);
    assert!(ev.contains("Spring Boot's default"), "{ev}");
    assert!(!env);
    let (n, ev, _) = port("server.port=8081\n", "");
    assert_eq!(n, 8081);
    assert!(
        ev.contains("application.properties") && ev.contains("line 1"),
        "{ev}"
    );
    // YAML, with a profile document that does not apply by default.
    let (n, _, _) = port(
        "",
        "server:\n  port: 9090\n---\nspring:\n  config:\n    activate:\n      on-profile: dev\nserver:\n  port: 1234\n",
    );
    assert_eq!(n, 9090);
    // .properties wins over .yml; a PORT placeholder sets ENV PORT.
    let (n, _, env) = port("server.port=${PORT:8083}\n", "server:\n  port: 9090\n");
    assert_eq!(n, 8083);
    assert!(env);
}

#[test]
fn quarkus_fast_jar_and_its_prod_port() {
    let q = pom(
        "<artifactId>q</artifactId><version>1</version><build><plugins><plugin>\
         <groupId>io.quarkus.platform</groupId><artifactId>quarkus-maven-plugin</artifactId>\
         <version>3.40.1</version></plugin></plugins></build>",
    );
    let p = ok(&[
        ("pom.xml", &q),
        (
            "src/main/resources/application.properties",
            "quarkus.http.port=8081\n%prod.quarkus.http.port=8082\n%dev.quarkus.http.port=9999\n",
        ),
        ("src/main/java/org/acme/R.java", "package org.acme;\n"),
    ]);
    assert_eq!(p.shape, "quarkus");
    assert_eq!(java(&p).artifact, "target/quarkus-app");
    assert_eq!(cmd(&p)[cmd(&p).len() - 1], "quarkus-run.jar");
    assert_eq!(p.port.as_ref().unwrap().value, 8082);
    let p = ok(&[
        ("pom.xml", &q),
        (
            "src/main/resources/application.properties",
            "quarkus.package.jar.type=uber-jar\n",
        ),
    ]);
    assert!(java(&p).quarkus_uber);
    assert_eq!(java(&p).artifact, "target/q-1-runner.jar");
    assert_eq!(cmd(&p), vec!["java", "-jar", "app.jar"]);
    assert_eq!(p.port.as_ref().unwrap().value, 8080);
}

#[test]
fn a_war_or_a_library_is_not_runnable_and_says_why() {
    let e = err(&[
        (
            "pom.xml",
            &pom("<artifactId>w</artifactId><packaging>war</packaging>"),
        ),
        MAIN,
    ]);
    assert!(e.contains("war") && e.contains("servlet container"), "{e}");
    let e = err(&[("pom.xml", &pom("<artifactId>lib</artifactId>"))]);
    assert!(e.contains("no main class"), "{e}");
    let e = err(&[("pom.xml", "<project><artifactId>x</artifactId>")]);
    assert!(e.contains("pom.xml") && e.contains("invalid XML"), "{e}");
}

// ---------- Maven: modules, wrapper ----------

fn multi(second_boot: bool) -> Vec<(String, String)> {
    let boot_plugin = "<build><plugins><plugin><groupId>org.springframework.boot</groupId>\
        <artifactId>spring-boot-maven-plugin</artifactId><version>3.5.6</version><executions><execution>\
        <goals><goal>repackage</goal></goals></execution></executions></plugin></plugins></build>";
    let parent = "<parent><groupId>com.example</groupId><artifactId>root</artifactId><version>1</version></parent>";
    vec![
        (
            "pom.xml".into(),
            pom(
                "<artifactId>root</artifactId><version>1</version><packaging>pom</packaging>\
                 <modules><module>core</module><module>api</module><module>admin</module></modules>",
            ),
        ),
        (
            "core/pom.xml".into(),
            pom(&format!("{parent}<artifactId>core</artifactId>")),
        ),
        (
            "api/pom.xml".into(),
            pom(&format!(
                "{parent}<artifactId>shop-api</artifactId>{boot_plugin}"
            )),
        ),
        (
            "admin/pom.xml".into(),
            pom(&format!(
                "{parent}<artifactId>admin</artifactId>{}",
                if second_boot { boot_plugin } else { "" }
            )),
        ),
        (
            "admin/src/main/java/a/Tool.java".into(),
            "package a;\nclass Tool { public static void main(String[] a) {} }\n".into(),
        ),
    ]
}

fn refs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}

#[test]
fn multi_module_builds_the_one_module_a_rule_picks() {
    let files = multi(false);
    let p = plan_with(&refs(&files), Choices::default()).unwrap().plan;
    let j = java(&p);
    assert_eq!(j.module, "api");
    assert!(
        j.package_command.contains("-pl api -am package"),
        "{}",
        j.package_command
    );
    assert_eq!(j.artifact, "api/target/shop-api-1.jar");
    assert_eq!(
        j.build_files,
        vec!["admin/pom.xml", "api/pom.xml", "core/pom.xml", "pom.xml"]
    );
    assert!(
        p.notes
            .iter()
            .any(|n| n.contains("the only Spring Boot or Quarkus app") && n.contains("--main")),
        "{:?}",
        p.notes
    );
    // --main picks another by its path or artifactId.
    let p = plan_with(
        &refs(&files),
        Choices {
            main: Some("admin".into()),
            ..Choices::default()
        },
    )
    .unwrap()
    .plan;
    assert_eq!(java(&p).module, "admin");
    assert_eq!(cmd(&p), vec!["java", "-cp", "app.jar", "a.Tool"]);
}

#[test]
fn two_framework_modules_need_a_rule_or_main() {
    // "api" is named like a server: that rule decides.
    let files = multi(true);
    let p = plan_with(&refs(&files), Choices::default()).unwrap().plan;
    assert_eq!(java(&p).module, "api");
    assert!(
        p.notes.iter().any(|n| n.contains("named like a server")),
        "{:?}",
        p.notes
    );
    // Renamed, nothing decides: an error naming both and the flag.
    let files: Vec<(String, String)> = multi(true)
        .into_iter()
        .map(|(f, c)| {
            (
                f.replace("api/", "orders/"),
                c.replace("<module>api<", "<module>orders<"),
            )
        })
        .collect();
    let e = plan_with(&refs(&files), Choices::default()).unwrap_err();
    assert!(
        e.contains("orders") && e.contains("admin") && e.contains("--main"),
        "{e}"
    );
}

#[test]
fn the_wrapper_builds_when_it_can_run() {
    let base = [
        ("pom.xml", boot_pom("4.1.2", true)),
        (BOOT_APP.0, BOOT_APP.1.to_string()),
    ];
    let with = |extra: &[(&str, &str)]| {
        let mut v: Vec<(String, String)> = base
            .iter()
            .map(|(a, b)| (a.to_string(), b.clone()))
            .collect();
        v.extend(extra.iter().map(|(a, b)| (a.to_string(), b.to_string())));
        ok(&refs(&v))
    };
    let props = (
        ".mvn/wrapper/maven-wrapper.properties",
        "distributionUrl=https://x/apache-maven-3.9.11-bin.zip\n",
    );
    let p = with(&[("mvnw", "#!/bin/sh\n"), props]);
    let j = java(&p);
    assert!(j.wrapper);
    assert_eq!(p.images["build"], "eclipse-temurin:${JAVA_VERSION}-jdk");
    // Written by project() without the executable bit: run with sh, and say so.
    assert!(
        j.deps_command.starts_with("sh mvnw -B -ntp"),
        "{}",
        j.deps_command
    );
    assert!(j.build_files.contains(&"mvnw".to_string()));
    assert_eq!(j.build_dirs, vec![".mvn"]);
    assert!(
        p.notes.iter().any(|n| n.contains("not executable")),
        "{:?}",
        p.notes
    );
    // The script alone cannot run.
    let p = with(&[("mvnw", "#!/bin/sh\n")]);
    assert!(!java(&p).wrapper);
    assert_eq!(
        p.images["build"],
        "maven:3.9-eclipse-temurin-${JAVA_VERSION}"
    );
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("maven-wrapper.properties")),
        "{:?}",
        p.warnings
    );
}

#[cfg(unix)]
#[test]
fn an_executable_wrapper_runs_as_is() {
    use std::os::unix::fs::PermissionsExt;
    let dir = project(&[
        ("pom.xml", &boot_pom("4.1.2", true)),
        BOOT_APP,
        ("mvnw", "#!/bin/sh\n"),
        (
            ".mvn/wrapper/maven-wrapper.properties",
            "distributionUrl=x\n",
        ),
    ]);
    std::fs::set_permissions(
        dir.path().join("mvnw"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let p = pipeline::plan(dir.path(), &Choices::default(), &Assets::default())
        .unwrap()
        .plan;
    assert!(java(&p).deps_command.starts_with("./mvnw "));
    assert!(
        java(&p)
            .package_command
            .starts_with("./mvnw -B -DskipTests package")
    );
}

// ---------- versions ----------

#[test]
fn build_levels_are_minimums_and_version_files_are_pins() {
    let jar = |props: &str| {
        pom(&format!(
            "<artifactId>a</artifactId><version>1</version><properties>{props}</properties>"
        ))
    };
    let tag = |files: &[(&str, &str)]| ok(files).version.tag;
    // A minimum gives the preset's default when it satisfies it.
    let p = ok(&[
        (
            "pom.xml",
            &jar("<maven.compiler.release>17</maven.compiler.release>"),
        ),
        MAIN,
    ]);
    assert_eq!(p.version.tag, "21");
    assert!(
        p.version.reason.contains("maven.compiler.release") && p.version.reason.contains("minimum")
    );
    assert_eq!(
        tag(&[
            (
                "pom.xml",
                &jar("<maven.compiler.release>25</maven.compiler.release>")
            ),
            MAIN
        ]),
        "25"
    );
    assert_eq!(
        tag(&[
            (
                "pom.xml",
                &jar("<maven.compiler.source>1.8</maven.compiler.source>")
            ),
            MAIN
        ]),
        "21"
    );
    // Interpolated, and release outranks source.
    let p = ok(&[
        (
            "pom.xml",
            &jar(
                "<jdk>25</jdk><maven.compiler.source>11</maven.compiler.source>\
                  <maven.compiler.release>${jdk}</maven.compiler.release>",
            ),
        ),
        MAIN,
    ]);
    assert_eq!(p.version.tag, "25");
    // Version files pin, in this order.
    let base = jar("<maven.compiler.release>21</maven.compiler.release>");
    assert_eq!(
        tag(&[("pom.xml", &base), MAIN, (".java-version", "17\n")]),
        "17"
    );
    assert_eq!(
        tag(&[
            ("pom.xml", &base),
            MAIN,
            (".java-version", "temurin64-17.0.2\n")
        ]),
        "17"
    );
    assert_eq!(
        tag(&[
            ("pom.xml", &base),
            MAIN,
            (".sdkmanrc", "# sdk env\njava=25.0.1-tem\n")
        ]),
        "25"
    );
    assert_eq!(
        tag(&[
            ("pom.xml", &base),
            MAIN,
            (".tool-versions", "nodejs 22\njava temurin-17.0.9+9\n")
        ]),
        "17"
    );
    assert_eq!(
        tag(&[
            ("pom.xml", &base),
            MAIN,
            ("system.properties", "java.runtime.version=11\n")
        ]),
        "11"
    );
    let p = ok(&[
        ("pom.xml", &base),
        MAIN,
        ("system.properties", "java.runtime.version=11\n"),
    ]);
    assert!(
        p.version.reason.contains("system.properties"),
        "{}",
        p.version.reason
    );
    // Malformed text is an error naming the file.
    let e = err(&[("pom.xml", &base), MAIN, (".java-version", "system\n")]);
    assert!(e.contains(".java-version") && e.contains("system"), "{e}");
    let e = err(&[
        (
            "pom.xml",
            &jar("<maven.compiler.release>banana</maven.compiler.release>"),
        ),
        MAIN,
    ]);
    assert!(e.contains("pom.xml") && e.contains("banana"), "{e}");
}

// ---------- runtimes ----------

#[test]
fn distroless_java_names_the_debian_release_of_each_java() {
    let choose = |files: &[(&str, &str)]| {
        plan_with(
            files,
            Choices {
                runtime: Some("distroless".into()),
                ..Choices::default()
            },
        )
    };
    let jar = pom("<artifactId>a</artifactId><version>1</version>");
    let p = choose(&[("pom.xml", &jar), MAIN]).unwrap().plan;
    assert_eq!(
        p.runtime.image,
        "gcr.io/distroless/java${JAVA_VERSION}-debian13:nonroot"
    );
    assert_eq!(p.images["runtime"], p.runtime.image);
    assert_eq!(p.runtime.user, 65532);
    assert_eq!(cmd(&p)[0], "/usr/bin/java");
    let p = choose(&[("pom.xml", &jar), MAIN, (".java-version", "17")])
        .unwrap()
        .plan;
    assert_eq!(
        p.runtime.image,
        "gcr.io/distroless/java${JAVA_VERSION}-debian12:nonroot"
    );
    let e = choose(&[("pom.xml", &jar), MAIN, (".java-version", "11")]).unwrap_err();
    assert!(e.contains("Java 11") && e.contains("--runtime jre"), "{e}");
    // The JRE runtime has every version.
    assert_eq!(
        ok(&[("pom.xml", &jar), MAIN, (".java-version", "11")])
            .runtime
            .image,
        "eclipse-temurin:${JAVA_VERSION}-jre"
    );
}

// ---------- mixed projects ----------

#[test]
fn a_spring_app_with_a_front_end_build_is_the_spring_app() {
    let p = plan_with(
        &[
            ("pom.xml", &boot_pom("4.1.2", true)),
            BOOT_APP,
            (
                "package.json",
                r#"{"scripts":{"build":"vite build"},"devDependencies":{"vite":"7"}}"#,
            ),
            ("index.html", "<div id=app></div>"),
        ],
        Choices::default(),
    )
    .unwrap();
    assert_eq!(p.plan.ecosystem, "java");
    assert!(
        p.plan.notes.iter().any(|n| n.contains("package.json")),
        "{:?}",
        p.plan.notes
    );
    // Two servers are still a question for --preset.
    let e = err(&[
        ("pom.xml", &boot_pom("4.1.2", true)),
        BOOT_APP,
        ("package.json", r#"{"scripts":{"start":"node server.js"}}"#),
        ("server.js", ""),
    ]);
    assert!(
        e.contains("java:") && e.contains("node:") && e.contains("--preset"),
        "{e}"
    );
}

fn boot_pom_with(plugins: &str) -> String {
    pom(&format!(
        "<parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId>\
         <version>4.1.2</version></parent>\n<artifactId>demo</artifactId><version>0.1.0</version>\n\
         <properties><java.version>21</java.version></properties>\n<build><plugins>\n\
         <plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId></plugin>\n\
         {plugins}\n</plugins></build>"
    ))
}

const FRONTEND_PLUGIN: &str = "<plugin><groupId>com.github.eirslett</groupId><artifactId>frontend-maven-plugin</artifactId>\
    <version>1.15.1</version><executions>\
    <execution><id>node</id><goals><goal>install-node-and-npm</goal></goals></execution>\
    <execution><id>build</id><goals><goal>npm</goal></goals><configuration><arguments>run build</arguments></configuration></execution>\
    </executions></plugin>";

const VITE_PKG: (&str, &str) = (
    "package.json",
    r#"{"private":true,"scripts":{"build":"vite build"},"devDependencies":{"vite":"7"}}"#,
);

#[test]
fn frontend_maven_plugin_gives_way_to_a_node_stage() {
    let pom = boot_pom_with(FRONTEND_PLUGIN);
    let p = plan_with(
        &[
            ("pom.xml", &pom),
            BOOT_APP,
            VITE_PKG,
            ("package-lock.json", "{}"),
            ("index.html", "<div id=app></div>"),
            (
                "vite.config.js",
                "export default {\n  build: { outDir: 'target/classes/static' },\n};\n",
            ),
        ],
        Choices::default(),
    )
    .unwrap();
    // The root package.json is the Spring app's front end, not a second app.
    assert_eq!(p.plan.ecosystem, "java");
    let j = java(&p.plan);
    let fe = j.assets.as_ref().expect("a Node assets stage");
    assert_eq!(fe.dir, ".");
    assert_eq!(fe.output, "target/classes/static");
    assert_eq!(fe.output_evidence, "vite.config.js, build.outDir, line 2");
    assert_eq!(fe.lockfile.as_deref(), Some("package-lock.json"));
    assert_eq!(fe.script, "build");
    // The plugin's goals are skipped by their own skip properties.
    assert_eq!(j.frontend_skips, ["skip.installnodenpm", "skip.npm"]);
    assert_eq!(
        j.package_command,
        "mvn -B -DskipTests -Dskip.installnodenpm -Dskip.npm package"
    );
    assert!(
        j.frontend_plugin.as_deref().unwrap().contains("pom.xml")
            && j.frontend_plugin.as_deref().unwrap().contains("line"),
        "{:?}",
        j.frontend_plugin
    );
    assert_eq!(p.plan.images["assets"], "node:22-slim");
}

#[test]
fn frontend_maven_plugin_working_directory_and_script() {
    let plugin = "<plugin><groupId>com.github.eirslett</groupId><artifactId>frontend-maven-plugin</artifactId>\
        <configuration><workingDirectory>${project.basedir}/src/main/frontend</workingDirectory></configuration>\
        <executions><execution><goals><goal>install-node-and-npm</goal></goals></execution>\
        <execution><id>ci</id><goals><goal>npm</goal></goals><configuration><arguments>ci</arguments></configuration></execution>\
        <execution><id>b</id><goals><goal>npm</goal></goals><configuration><arguments>run build:prod</arguments></configuration></execution>\
        </executions></plugin>";
    let p = ok(&[
        ("pom.xml", &boot_pom_with(plugin)),
        BOOT_APP,
        (
            "src/main/frontend/package.json",
            r#"{"scripts":{"build:prod":"vite build --outDir ../resources/static"},"devDependencies":{"vite":"7"}}"#,
        ),
        ("src/main/frontend/package-lock.json", "{}"),
    ]);
    let fe = java(&p).assets.expect("assets");
    assert_eq!(fe.dir, "src/main/frontend");
    assert_eq!(fe.script, "build:prod");
    assert_eq!(fe.output, "src/main/resources/static");
    assert!(
        fe.output_evidence.contains("scripts.build:prod"),
        "{}",
        fe.output_evidence
    );
    // No outDir at all: the plugin says the build is the app's, so Vite's default counts.
    let p = ok(&[
        ("pom.xml", &boot_pom_with(FRONTEND_PLUGIN)),
        BOOT_APP,
        VITE_PKG,
    ]);
    let fe = java(&p).assets.expect("assets");
    assert_eq!(fe.output, "dist");
    assert!(fe.lockfile.is_none());
    assert!(
        p.warnings.iter().any(|w| w.contains("package-lock.json")),
        "{:?}",
        p.warnings
    );
}

#[test]
fn frontend_maven_plugin_stays_when_the_node_stage_cannot_replace_it() {
    // Yarn's lockfile: the npm stage cannot honour it, so the plugin builds.
    let p = ok(&[
        ("pom.xml", &boot_pom_with(FRONTEND_PLUGIN)),
        BOOT_APP,
        VITE_PKG,
        ("yarn.lock", ""),
    ]);
    assert_eq!(p.ecosystem, "java");
    let j = java(&p);
    assert!(j.assets.is_none() && j.frontend_skips.is_empty());
    assert_eq!(j.package_command, "mvn -B -DskipTests package");
    assert!(
        p.notes
            .iter()
            .any(|n| n.contains("yarn.lock") && n.contains("nodejs.org")),
        "{:?}",
        p.notes
    );
}

#[test]
fn a_vite_build_into_the_apps_resources_is_the_apps_front_end() {
    // No plugin: the outDir into src/main/resources/static is the evidence.
    let p = ok(&[
        ("pom.xml", &boot_pom("4.1.2", true)),
        BOOT_APP,
        (
            "frontend/package.json",
            r#"{"scripts":{"build":"vite build"},"devDependencies":{"vite":"7"}}"#,
        ),
        ("frontend/package-lock.json", "{}"),
        (
            "frontend/vite.config.ts",
            "export default defineConfig({\n  build: {\n    outDir: '../src/main/resources/static',\n  },\n});\n",
        ),
    ]);
    let j = java(&p);
    let fe = j.assets.expect("assets");
    assert_eq!(
        (fe.dir.as_str(), fe.output.as_str()),
        ("frontend", "src/main/resources/static")
    );
    assert_eq!(
        fe.output_evidence,
        "frontend/vite.config.ts, build.outDir, line 3"
    );
    assert!(j.frontend_skips.is_empty() && j.frontend_plugin.is_none());
    // An outDir the Java build does not package: not the app's.
    let p = ok(&[
        ("pom.xml", &boot_pom("4.1.2", true)),
        BOOT_APP,
        VITE_PKG,
        (
            "vite.config.js",
            "export default { build: { outDir: 'dist' } };\n",
        ),
        ("index.html", "<div id=app></div>"),
    ]);
    assert_eq!(p.ecosystem, "java");
    assert!(java(&p).assets.is_none());
    // An outDir that leaves the project is bad input.
    let e = err(&[
        ("pom.xml", &boot_pom("4.1.2", true)),
        BOOT_APP,
        VITE_PKG,
        (
            "vite.config.js",
            "export default { build: { outDir: '../static' } };\n",
        ),
    ]);
    assert!(
        e.contains("vite.config.js") && e.contains("outside the project"),
        "{e}"
    );
}

#[test]
fn a_docs_site_never_wins_over_the_server_and_is_not_built_into_it() {
    for (file, pkg) in [
        (
            "package.json",
            r#"{"scripts":{"build":"vitepress build docs"},"devDependencies":{"vitepress":"1","vite":"5"}}"#,
        ),
        (
            "docs/package.json",
            r#"{"scripts":{"start":"docusaurus start","build":"docusaurus build"},"dependencies":{"@docusaurus/core":"3"}}"#,
        ),
    ] {
        let p = ok(&[
            ("pom.xml", &boot_pom("4.1.2", true)),
            BOOT_APP,
            (file, pkg),
            ("docs/index.html", "<h1>docs</h1>"),
        ]);
        assert_eq!(p.ecosystem, "java", "{file}");
        assert!(java(&p).assets.is_none(), "{file}");
    }
    // Next to a Go server too: the docs site is not a second app.
    let p = ok(&[
        ("go.mod", "module x\ngo 1.24\n"),
        ("main.go", "package main\nfunc main() {}\n"),
        (
            "package.json",
            r#"{"scripts":{"build":"vitepress build docs"},"devDependencies":{"vitepress":"1","vite":"5"}}"#,
        ),
    ]);
    assert_eq!(p.ecosystem, "go");
}

// ---------- Gradle ----------

#[test]
fn gradle_spring_boot_with_a_toolchain_and_the_wrapper() {
    let p = ok(&[
        ("settings.gradle.kts", "rootProject.name = \"web\"\n"),
        (
            "build.gradle.kts",
            "plugins {\n    java\n    id(\"org.springframework.boot\") version \"3.5.6\"\n}\n\
             java { toolchain { languageVersion = JavaLanguageVersion.of(25) } }\n",
        ),
        ("gradlew", "#!/bin/sh\n"),
        (
            "gradle/wrapper/gradle-wrapper.properties",
            "distributionUrl=x\n",
        ),
        (".java-version", "17\n"),
        BOOT_APP,
    ]);
    let j = java(&p);
    assert_eq!(j.tool, "gradle");
    assert_eq!(j.kind, "spring-boot");
    assert_eq!(j.boot_version.as_deref(), Some("3.5.6"));
    // The toolchain is what the build uses: it outranks .java-version.
    assert_eq!(p.version.tag, "25");
    assert!(
        p.version.reason.contains("toolchain"),
        "{}",
        p.version.reason
    );
    assert_eq!(j.package_command, "sh gradlew --no-daemon bootJar");
    assert!(j.artifact.contains("find build/libs"), "{}", j.artifact);
    assert_eq!(j.cache, "/root/.gradle");
}

#[test]
fn gradle_application_in_a_subproject() {
    let p = ok(&[
        (
            "settings.gradle",
            "rootProject.name = 'tool'\ninclude 'app', 'lib'\n",
        ),
        (
            "app/build.gradle",
            "plugins {\n    id 'application'\n}\nsourceCompatibility = '17'\napplication {\n    mainClass = 'org.example.App'\n}\n",
        ),
        ("lib/build.gradle", "plugins { id 'java-library' }\n"),
    ]);
    let j = java(&p);
    assert_eq!(j.module, "app");
    assert_eq!(j.package_command, "gradle --no-daemon :app:installDist");
    assert_eq!(j.deps_command, "gradle --no-daemon :app:dependencies");
    assert_eq!(p.images["build"], "gradle:jdk${JAVA_VERSION}");
    assert_eq!(cmd(&p), vec!["java", "-cp", "lib/*", "org.example.App"]);
    assert_eq!(p.version.tag, "21");
    // A Kotlin plugins block applies `application` bare.
    let p = ok(&[
        (
            "build.gradle.kts",
            "plugins {\n    application\n}\napplication { mainClass.set(\"k.MainKt\") }\n",
        ),
        ("src/main/kotlin/k/Main.kt", "package k\n\nfun main() {}\n"),
    ]);
    assert_eq!(cmd(&p), vec!["java", "-cp", "lib/*", "k.MainKt"]);
}

#[test]
fn gradle_without_a_runnable_plugin_says_so() {
    let e = err(&[("build.gradle", "plugins { id 'java-library' }\n")]);
    assert!(
        e.contains("build.gradle") && e.contains("application"),
        "{e}"
    );
}

// ---------- safety, survey ----------

#[test]
fn names_from_the_build_are_checked_before_they_reach_the_dockerfile() {
    let e = err(&[
        (
            "pom.xml",
            &pom(
                "<artifactId>a</artifactId><version>1</version><build><plugins><plugin>\
                  <artifactId>maven-jar-plugin</artifactId><configuration><archive><manifest>\
                  <mainClass>x; rm -rf /</mainClass></manifest></archive></configuration></plugin></plugins></build>",
            ),
        ),
        MAIN,
    ]);
    assert!(e.contains("main class") || e.contains("mainClass"), "{e}");
    let e = err(&[(
        "pom.xml",
        &pom(
            "<artifactId>a</artifactId><version>1</version><packaging>pom</packaging>\
                  <modules><module>../outside</module></modules>",
        ),
    )]);
    assert!(e.contains("outside the project"), "{e}");
}

#[test]
fn a_monorepo_root_with_a_maven_service_points_at_it() {
    let e = err(&[("services/api/pom.xml", "<project/>"), ("README.md", "")]);
    assert!(e.contains("services/api"), "{e}");
}

#[test]
fn a_parent_pom_outside_the_modules_is_read_and_bound() {
    let p = ok(&[
        (
            "pom.xml",
            &pom(
                "<artifactId>agg</artifactId><version>1</version><packaging>pom</packaging>\
                  <modules><module>app</module></modules>",
            ),
        ),
        (
            "parent/pom.xml",
            &pom(
                "<artifactId>corp-parent</artifactId><version>7</version><packaging>pom</packaging>\
                  <properties><maven.compiler.release>25</maven.compiler.release></properties>",
            ),
        ),
        (
            "app/pom.xml",
            &pom(
                "<parent><groupId>com.example</groupId><artifactId>corp-parent</artifactId><version>7</version>\
                  <relativePath>../parent</relativePath></parent><artifactId>app</artifactId>",
            ),
        ),
        (
            "app/src/main/java/a/Main.java",
            "package a;\nclass Main { public static void main(String[] x) {} }\n",
        ),
    ]);
    let j = java(&p);
    assert_eq!(
        j.build_files,
        vec!["app/pom.xml", "parent/pom.xml", "pom.xml"]
    );
    // Its properties reach the module: the version and the jar's name.
    assert_eq!(p.version.tag, "25");
    assert_eq!(j.artifact, "app/target/app-7.jar");
}

#[test]
fn gradle_plugins_from_the_version_catalog() {
    let p = ok(&[
        ("settings.gradle.kts", "rootProject.name = \"web\"\n"),
        (
            "gradle/libs.versions.toml",
            "[versions]\nboot = \"3.2.4\"\n\n[plugins]\nspring-boot = { id = \"org.springframework.boot\", version.ref = \"boot\" }\n",
        ),
        (
            "build.gradle.kts",
            "plugins {\n    java\n    alias(libs.plugins.spring.boot)\n}\n",
        ),
        BOOT_APP,
    ]);
    let j = java(&p);
    assert_eq!(j.kind, "spring-boot");
    assert_eq!(j.boot_version.as_deref(), Some("3.2.4"));
    assert_eq!(j.boot_jarmode.as_deref(), Some("layertools"));
    assert_eq!(j.build_dirs, vec!["gradle"]);
}
