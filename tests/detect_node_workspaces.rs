//! Node workspaces: which package is the app, what the install binds and the
//! runtime copies, and where `dfgen init` on a package folder writes.

mod common;

use std::fs;

use common::{dfgen, project};
use dfgen::assets::Assets;
use dfgen::ecosystems::node::NodePlan;
use dfgen::pipeline;
use dfgen::plan::Choices;

const ROOT_NPM: &str = r#"{"name":"mono","private":true,"workspaces":["apps/*","packages/*"]}"#;
const API: &str =
    r#"{"name":"api","scripts":{"start":"node server.js"},"dependencies":{"lib":"1.0.0"}}"#;
const LIB: &str =
    r#"{"name":"lib","version":"1.0.0","main":"index.js","scripts":{"start":"node index.js"}}"#;
const WEB: &str = r#"{"name":"web","dependencies":{"express":"^4"}}"#;

fn plan_with(files: &[(&str, &str)], app: Option<&str>) -> Result<pipeline::Planned, String> {
    let dir = project(files);
    let choices = Choices {
        app: app.map(str::to_string),
        ..Choices::default()
    };
    pipeline::plan(dir.path(), &choices, &Assets::default()).map_err(|e| e.to_string())
}

#[test]
fn the_only_runnable_package_no_other_depends_on_is_the_app() {
    // lib has a start script, but api depends on it: a library.
    let p = plan_with(
        &[
            ("package.json", ROOT_NPM),
            ("package-lock.json", "{}"),
            ("apps/api/package.json", API),
            (
                "apps/api/server.js",
                "require('lib'); require('http').createServer().listen(8080);",
            ),
            ("packages/lib/package.json", LIB),
            ("packages/lib/index.js", ""),
        ],
        None,
    )
    .unwrap()
    .plan;
    let node: NodePlan = p.part("node").unwrap();
    let ws = node.workspace.unwrap();
    assert_eq!(ws.app, "apps/api");
    assert!(ws.why.contains("the only runnable app"), "{}", ws.why);
    assert_eq!(ws.runtime_deps, vec!["packages/lib"]);
    assert_eq!(
        ws.manifests,
        vec!["apps/api/package.json", "packages/lib/package.json"]
    );
    assert_eq!(
        node.pm.install_prod,
        "npm ci --omit=dev --workspace apps/api --include-workspace-root=false"
    );
    assert_eq!(p.command.unwrap().value, vec!["node", "server.js"]);
    assert_eq!(
        p.port.unwrap().evidence.file.as_deref(),
        Some("apps/api/server.js")
    );
}

#[test]
fn several_apps_is_an_ambiguity_naming_them_and_the_flag() {
    let files = [
        ("package.json", ROOT_NPM),
        ("apps/api/package.json", API),
        ("apps/api/server.js", ""),
        ("apps/web/package.json", WEB),
        ("apps/web/index.js", ""),
        ("packages/lib/package.json", LIB),
        ("packages/lib/index.js", ""),
    ];
    let e = plan_with(&files, None).unwrap_err();
    assert!(e.contains("apps/api") && e.contains("apps/web"), "{e}");
    assert!(e.contains("--app"), "{e}");
    assert!(
        !e.contains("packages/lib ("),
        "a library is not an app: {e}"
    );
    // By directory or by package name.
    for app in ["apps/web", "web", "./apps/web/"] {
        let p = plan_with(&files, Some(app)).unwrap().plan;
        let node: NodePlan = p.part("node").unwrap();
        assert_eq!(node.workspace.unwrap().app, "apps/web", "{app}");
    }
    let e = plan_with(&files, Some("apps/nope")).unwrap_err();
    assert!(
        e.contains("--app apps/nope") && e.contains("apps/api (api)"),
        "{e}"
    );
}

#[test]
fn a_deployment_file_naming_one_app_picks_it() {
    let p = plan_with(
        &[
            ("package.json", ROOT_NPM),
            ("Procfile", "web: npm start --workspace apps/web\n"),
            ("apps/api/package.json", API),
            ("apps/api/server.js", ""),
            ("apps/web/package.json", WEB),
            ("apps/web/index.js", ""),
            ("packages/lib/package.json", LIB),
            ("packages/lib/index.js", ""),
        ],
        None,
    )
    .unwrap()
    .plan;
    let node: NodePlan = p.part("node").unwrap();
    assert!(node.workspace.unwrap().why.contains("Procfile"));
}

#[test]
fn pnpm_workspace_yaml_patterns_with_exclusions_and_a_filtered_prod_install() {
    let p = plan_with(
        &[
            ("package.json", r#"{"name":"root","private":true}"#),
            ("pnpm-lock.yaml", "lockfileVersion: '9.0'\n"),
            (
                "pnpm-workspace.yaml",
                "packages:\n  - 'apps/*'\n  - '!apps/legacy'\n  - 'packages/*'\n",
            ),
            ("apps/api/package.json", r#"{"name":"@x/api","scripts":{"start":"node main.js"},"dependencies":{"@x/lib":"workspace:*"}}"#),
            ("apps/api/main.js", ""),
            ("apps/legacy/package.json", r#"{"name":"legacy","scripts":{"start":"node a.js"}}"#),
            ("packages/lib/package.json", r#"{"name":"@x/lib"}"#),
        ],
        None,
    )
    .unwrap()
    .plan;
    let node: NodePlan = p.part("node").unwrap();
    assert_eq!(node.package_manager, "pnpm");
    assert!(
        node.pm.install_prod.contains("--prod --filter @x/api..."),
        "{}",
        node.pm.install_prod
    );
    let ws = node.workspace.unwrap();
    assert!(ws.manifests.contains(&"pnpm-workspace.yaml".to_string()));
    assert!(!ws.manifests.iter().any(|m| m.contains("legacy")));
}

#[test]
fn app_outside_a_workspace_and_for_another_ecosystem_is_an_error() {
    let e = plan_with(
        &[
            ("package.json", r#"{"scripts":{"start":"node a.js"}}"#),
            ("a.js", ""),
        ],
        Some("web"),
    )
    .unwrap_err();
    assert!(
        e.contains("--app") && e.contains("not a workspace root"),
        "{e}"
    );
    let e = plan_with(common::GO_APP, Some("web")).unwrap_err();
    assert!(e.contains("--app web") && e.contains("go"), "{e}");
}

#[test]
fn a_malformed_workspaces_field_names_file_and_field() {
    let e = plan_with(&[("package.json", r#"{"workspaces":"apps/*"}"#)], None).unwrap_err();
    assert!(
        e.contains("package.json") && e.contains("workspaces"),
        "{e}"
    );
    let e = plan_with(
        &[
            ("package.json", "{}"),
            ("pnpm-workspace.yaml", "packages: apps\n"),
        ],
        None,
    )
    .unwrap_err();
    assert!(
        e.contains("pnpm-workspace.yaml") && e.contains("packages"),
        "{e}"
    );
}

#[test]
fn init_on_a_package_folder_writes_there_and_builds_from_the_root() {
    let p = project(&[
        ("package.json", ROOT_NPM),
        ("package-lock.json", "{}"),
        ("apps/api/package.json", API),
        ("apps/api/server.js", ""),
        ("apps/web/package.json", WEB),
        ("apps/web/index.js", ""),
        ("packages/lib/package.json", LIB),
        ("packages/lib/index.js", ""),
    ]);
    dfgen()
        .args(["init", "--yes"])
        .arg(p.path().join("apps/web"))
        .assert()
        .success()
        .stdout(predicates::str::contains("-f apps/web/Dockerfile"));
    let df = fs::read_to_string(p.path().join("apps/web/Dockerfile")).unwrap();
    assert!(
        df.contains("docker build -f apps/web/Dockerfile -t app ."),
        "{df}"
    );
    assert!(df.contains("--workspace apps/web"), "{df}");
    assert!(p.path().join("apps/web/Dockerfile.dockerignore").exists());
    // Nothing at the root, and no dfgen.yaml for the app the folder implies.
    assert!(!p.path().join("Dockerfile").exists());
    assert!(!p.path().join(".dockerignore").exists());
    assert!(!p.path().join("apps/web/dfgen.yaml").exists());
    // --app naming another package there is refused.
    dfgen()
        .args(["init", "--yes", "--app", "apps/api"])
        .arg(p.path().join("apps/web"))
        .assert()
        .code(2);
    // At the root, the choice is saved in dfgen.yaml.
    dfgen()
        .args(["init", "--yes", "--app", "api"])
        .arg(p.path())
        .assert()
        .success();
    let cfg = fs::read_to_string(p.path().join("dfgen.yaml")).unwrap();
    assert!(cfg.contains("app: api"), "{cfg}");
    dfgen()
        .args(["init", "--check"])
        .arg(p.path())
        .assert()
        .success();
}
