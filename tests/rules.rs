//! The rules that decide without asking: deployment-file evidence and its
//! ranking, programs picked by rule, what `detect` says when several fit, and
//! what dfgen says when it finds nothing it supports.

mod common;

use common::{dfgen, project, tests_dir};
use dfgen::assets::Assets;
use dfgen::ecosystems::go::GoPlan;
use dfgen::ecosystems::rust::RustPlan;
use dfgen::pipeline;
use dfgen::plan::{Choices, Plan};
use predicates::prelude::*;

fn plan(files: &[(&str, &str)]) -> Result<Plan, String> {
    plan_with(files, Choices::default())
}

fn plan_with(files: &[(&str, &str)], choices: Choices) -> Result<Plan, String> {
    let dir = project(files);
    pipeline::plan(dir.path(), &choices, &Assets::default())
        .map(|p| p.plan)
        .map_err(|e| e.to_string())
}

const MAIN: &str = "package main\n\nfunc main() {}\n";
const GO_MOD: &str = "module example.com/shop\n\ngo 1.22\n";

// ---------- deployment files ----------

#[test]
fn a_procfile_web_process_is_the_python_start_command() {
    let p = plan(&[
        ("requirements.txt", "gunicorn\nflask\n"),
        ("wsgi.py", "from shop import make\napplication = make()\n"),
        (
            "Procfile",
            "release: flask db upgrade\nweb: gunicorn --workers 3 wsgi:application\n",
        ),
    ])
    .unwrap();
    let cmd = p.command.expect("a command");
    assert_eq!(
        cmd.value,
        ["gunicorn", "--workers", "3", "wsgi:application"]
    );
    assert_eq!(cmd.evidence.to_string(), "Procfile, web process, line 2");
    // gunicorn without --bind binds 0.0.0.0:$PORT when PORT is set.
    assert!(p.port_env, "ENV PORT must steer gunicorn");
    assert_eq!(p.port.map(|f| f.value), Some(8000));
}

#[test]
fn a_shell_procfile_command_runs_under_sh_with_exec() {
    let p = plan(&[
        ("requirements.txt", "uvicorn\nfastapi\n"),
        ("main.py", "from fastapi import FastAPI\napp = FastAPI()\n"),
        (
            "Procfile",
            "web: uvicorn main:app --host 0.0.0.0 --port ${PORT:-5000}\n",
        ),
    ])
    .unwrap();
    assert_eq!(
        p.command.unwrap().value,
        [
            "sh",
            "-c",
            "exec uvicorn main:app --host 0.0.0.0 --port ${PORT:-5000}"
        ]
    );
    // The command reads PORT (default 5000): ENV PORT steers it, EXPOSE agrees.
    assert!(p.port_env);
    assert_eq!(p.port.unwrap().value, 5000);
}

#[test]
fn the_port_of_a_compose_file_beats_the_code_and_is_the_container_side() {
    let go = "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":\"+port(), nil) }\n";
    let p = plan(&[
        ("go.mod", GO_MOD),
        ("main.go", go),
        (
            "compose.yaml",
            "services:\n  db:\n    image: postgres\n    ports: [\"5432:5432\"]\n  web:\n    build: .\n    ports:\n      - \"8080:9090\"\n",
        ),
    ])
    .unwrap();
    let port = p.port.expect("a port");
    assert_eq!(port.value, 9090);
    assert_eq!(
        port.evidence.to_string(),
        "compose.yaml, service `web`, ports, line 8"
    );
}

#[test]
fn deployment_files_rank_above_code_and_the_losers_are_shown() {
    let dir = project(&[
        ("go.mod", GO_MOD),
        (
            "main.go",
            "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":7000\", nil) }\n",
        ),
        (
            "fly.toml",
            "app = 'shop'\n[http_service]\n  internal_port = 8081\n",
        ),
        (".env.example", "PORT=3000\nSMTP_PORT=2525\n"),
    ]);
    let planned = pipeline::plan(dir.path(), &Choices::default(), &Assets::default()).unwrap();
    assert_eq!(planned.plan.port.as_ref().unwrap().value, 8081);
    // The code disagrees and the app does not read PORT: say so.
    assert!(
        planned.plan.warnings.iter().any(|w| w.contains("7000")),
        "{:?}",
        planned.plan.warnings
    );
    let findings = pipeline::findings(&planned);
    assert!(
        findings
            .iter()
            .any(|f| f.what == "also seen (port)" && f.value == "3000"),
        "{findings:?}"
    );
    assert!(!findings.iter().any(|f| f.value == "2525"));
}

#[test]
fn a_hand_written_dockerfile_gives_port_and_arguments_of_its_last_stage() {
    let p = plan(&[
        ("go.mod", GO_MOD),
        ("cmd/shopd/main.go", MAIN),
        ("cmd/migrate/main.go", MAIN),
        (
            "Dockerfile",
            "FROM golang:1.22 AS build\nEXPOSE 1234\nFROM debian\nEXPOSE 7070\nENTRYPOINT [\"/usr/bin/shopd\"]\nCMD [\"serve\", \"--config\", \"/etc/shop.toml\"]\n",
        ),
    ])
    .unwrap();
    assert_eq!(p.part::<GoPlan>("go").unwrap().package, "./cmd/shopd");
    assert_eq!(
        p.command.as_ref().unwrap().value,
        [
            "/usr/local/bin/shopd",
            "serve",
            "--config",
            "/etc/shop.toml"
        ]
    );
    assert_eq!(p.port.unwrap().value, 7070);
    assert!(
        p.notes.iter().any(|n| n.contains("Dockerfile")),
        "{:?}",
        p.notes
    );
}

#[test]
fn a_lone_ecosystem_with_a_procfile_is_runnable_without_app_evidence() {
    // No framework dfgen recognises, but the Procfile says how it runs.
    let p = plan(&[
        ("requirements.txt", "waitress\n"),
        ("serve.py", "import waitress\n"),
        (
            "Procfile",
            "web: waitress-serve --port=8080 shop.wsgi:app\n",
        ),
    ])
    .unwrap();
    assert_eq!(
        p.command.unwrap().value,
        ["waitress-serve", "--port=8080", "shop.wsgi:app"]
    );
    assert_eq!(p.port.unwrap().value, 8080);
}

// ---------- programs picked by rule ----------

#[test]
fn go_main_packages_are_found_anywhere_and_picked_by_rule() {
    // A deep, non-cmd/ main package next to tools and examples.
    let files = [
        ("go.mod", GO_MOD),
        ("app/services/api/main.go", MAIN),
        ("tools/gen/main.go", MAIN),
        ("examples/basic/main.go", MAIN),
        ("vendor/x/main.go", MAIN),
        ("internal/testdata/main.go", MAIN),
    ];
    let p = plan(&files).unwrap();
    assert_eq!(
        p.part::<GoPlan>("go").unwrap().package,
        "./app/services/api"
    );
    assert!(
        p.notes
            .iter()
            .any(|n| n.contains("tools/gen") && n.contains("--main")),
        "{:?}",
        p.notes
    );
    // --main takes any main package, wherever it is.
    let p = plan_with(
        &files,
        Choices {
            main: Some("tools/gen".into()),
            ..Choices::default()
        },
    )
    .unwrap();
    assert_eq!(p.part::<GoPlan>("go").unwrap().binary, "gen");
    // vendor/ and testdata/ are never candidates.
    let e = plan_with(
        &files,
        Choices {
            main: Some("vendor/x".into()),
            ..Choices::default()
        },
    )
    .unwrap_err();
    assert!(e.contains("no such main package"), "{e}");
}

#[test]
fn go_rules_in_order_root_then_module_name_then_server_name() {
    let p = plan(&[
        ("go.mod", GO_MOD),
        ("main.go", MAIN),
        ("cmd/tool/main.go", MAIN),
    ])
    .unwrap();
    assert_eq!(p.part::<GoPlan>("go").unwrap().package, ".");
    let p = plan(&[
        ("go.mod", GO_MOD),
        ("cmd/shop/main.go", MAIN),
        ("cmd/tool/main.go", MAIN),
    ])
    .unwrap();
    assert_eq!(p.part::<GoPlan>("go").unwrap().binary, "shop");
    let p = plan(&[
        ("go.mod", GO_MOD),
        ("cmd/shop-server/main.go", MAIN),
        ("cmd/tool/main.go", MAIN),
    ])
    .unwrap();
    assert_eq!(p.part::<GoPlan>("go").unwrap().binary, "shop-server");
    // A nested module is another module: not a main package of this one.
    let p = plan(&[
        ("go.mod", GO_MOD),
        ("main.go", MAIN),
        ("tools/go.mod", "module example.com/tools\n"),
        ("tools/lint/main.go", MAIN),
    ])
    .unwrap();
    assert!(p.notes.is_empty(), "{:?}", p.notes);
}

#[test]
fn rust_workspace_default_members_name_the_binary() {
    let krate = |name: &str| format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\n");
    let (api, cli, worker) = (krate("api"), krate("shopctl"), krate("worker"));
    let files = [
        (
            "Cargo.toml",
            "[workspace]\nmembers = [\"crates/*\"]\ndefault-members = [\"crates/worker\"]\n",
        ),
        ("crates/api/Cargo.toml", api.as_str()),
        ("crates/api/src/main.rs", "fn main() {}\n"),
        ("crates/shopctl/Cargo.toml", cli.as_str()),
        ("crates/shopctl/src/main.rs", "fn main() {}\n"),
        ("crates/worker/Cargo.toml", worker.as_str()),
        ("crates/worker/src/main.rs", "fn main() {}\n"),
    ];
    let p = plan(&files).unwrap();
    assert_eq!(p.part::<RustPlan>("rust").unwrap().binary, "worker");
    assert!(
        p.notes
            .iter()
            .any(|n| n.contains("default-members") && n.contains("api")),
        "{:?}",
        p.notes
    );
    // Without default-members, the server-named binary.
    let mut without = files;
    without[0].1 = "[workspace]\nmembers = [\"crates/*\"]\n";
    let p = plan(&without).unwrap();
    assert_eq!(p.part::<RustPlan>("rust").unwrap().binary, "api");
    // --main by crate path works too.
    let p = plan_with(
        &without,
        Choices {
            main: Some("crates/shopctl".into()),
            ..Choices::default()
        },
    )
    .unwrap();
    assert_eq!(p.part::<RustPlan>("rust").unwrap().binary, "shopctl");
}

// ---------- detect never fails on ambiguity; nothing found says what was ----------

#[test]
fn detect_lists_the_candidates_when_no_rule_decides() {
    let p = project(&[
        ("go.mod", GO_MOD),
        ("cmd/alpha/main.go", MAIN),
        ("cmd/beta/main.go", MAIN),
    ]);
    dfgen()
        .arg("detect")
        .arg(p.path())
        .assert()
        .success()
        .stdout(
            predicate::str::contains("--main cmd/alpha")
                .and(predicate::str::contains("--main cmd/beta")),
        );
    let out = dfgen()
        .args(["detect", "--json"])
        .arg(p.path())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["candidates"][0]["ecosystem"], "go");
    assert_eq!(
        doc["candidates"][0]["programs"],
        serde_json::json!(["cmd/alpha", "cmd/beta"])
    );
    // init still needs the flag.
    dfgen()
        .args(["init", "--dry-run"])
        .arg(p.path())
        .assert()
        .code(2);
}

#[test]
fn nothing_supported_says_what_was_found() {
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("build.sbt", "name := \"x\"")], "found build.sbt (Scala)"),
        (
            &[("mix.exs", "defmodule X do end\n")],
            "found mix.exs (Elixir)",
        ),
        (&[("Shop.csproj", "<Project/>")], "found Shop.csproj (.NET)"),
        (&[(".gitignore", "x\n")], "the directory looks empty"),
        (
            &[
                ("apps/web/package.json", "{}"),
                ("apps/api/go.mod", "module x\n"),
            ],
            "monorepo root with apps in apps/api, apps/web",
        ),
    ];
    for (files, needle) in cases {
        let p = project(files);
        dfgen()
            .args(["init", "--dry-run"])
            .arg(p.path())
            .assert()
            .code(2)
            .stderr(predicate::str::contains(*needle));
    }
}

#[test]
fn example_apps_of_these_rules_plan_as_the_e2e_suite_expects() {
    // The e2e suite builds these; here their plans are pinned without an engine.
    let dir = |d: &str| tests_dir().join("apps").join(d);
    let planned = |d: &str| {
        pipeline::plan(&dir(d), &Choices::default(), &Assets::default())
            .unwrap_or_else(|e| panic!("{d}: {e}"))
            .plan
    };
    assert_eq!(planned("go-old-module").version.tag, "1.27");
    let vendor = planned("go-old-vendor");
    assert!(vendor.part::<GoPlan>("go").unwrap().vendor);
    assert_eq!(
        planned("go-deep-main")
            .part::<GoPlan>("go")
            .unwrap()
            .package,
        "./app/services/api"
    );
    assert_eq!(
        planned("rust-default-members")
            .part::<RustPlan>("rust")
            .unwrap()
            .binary,
        "shop-api"
    );
    let py = planned("py-procfile");
    assert_eq!(
        py.command.unwrap().evidence.file.as_deref(),
        Some("Procfile")
    );
    let compose = planned("go-compose-port");
    assert_eq!(
        compose.port.unwrap().evidence.file.as_deref(),
        Some("compose.yaml")
    );
}
