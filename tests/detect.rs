//! One test (or a few assertions) per detection rule, each on a small project.

mod common;

use common::project;
use dfgen::assets::Assets;
use dfgen::ecosystems::go::GoPlan;
use dfgen::ecosystems::node::NodePlan;
use dfgen::ecosystems::python::PythonPlan;
use dfgen::ecosystems::rust::RustPlan;
use dfgen::ecosystems::{self as detect};
use dfgen::pipeline::{self, Planned};
use dfgen::plan::{Choices, Plan};
use dfgen::project::Project;

fn plan(files: &[(&str, &str)]) -> Result<Planned, String> {
    plan_with(files, Choices::default())
}

fn plan_with(files: &[(&str, &str)], choices: Choices) -> Result<Planned, String> {
    let dir = project(files);
    pipeline::plan(dir.path(), &choices, &Assets::default()).map_err(|e| e.to_string())
}

fn with_main(files: &[(&str, &str)], main: &str) -> Result<Planned, String> {
    plan_with(
        files,
        Choices {
            main: Some(main.into()),
            ..Choices::default()
        },
    )
}

fn ok(files: &[(&str, &str)]) -> Plan {
    plan(files).unwrap_or_else(|e| panic!("{e}")).plan
}

fn err(files: &[(&str, &str)]) -> String {
    match plan(files) {
        Ok(p) => panic!("expected an error, got a {} plan", p.plan.preset),
        Err(e) => e,
    }
}

const MAIN_GO: (&str, &str) = ("main.go", "package main\n\nfunc main() {}\n");

// ---------- Go ----------

#[test]
fn go_toolchain_directive_wins_over_go_directive() {
    let p = ok(&[
        ("go.mod", "module x\n\ngo 1.24\ntoolchain go1.26.3\n"),
        MAIN_GO,
    ]);
    assert_eq!(p.version.tag, "1.26");
    assert!(
        p.version.reason.contains("toolchain"),
        "{}",
        p.version.reason
    );
    // The `go` directive is a minimum: the preset's default satisfies it.
    let p = ok(&[("go.mod", "module x\n\ngo 1.25.4\n"), MAIN_GO]);
    assert_eq!(p.version.tag, "1.27");
    assert!(
        p.version.reason.contains("a minimum"),
        "{}",
        p.version.reason
    );
    // ...unless it asks for more than the default.
    let p = ok(&[("go.mod", "module x\n\ngo 1.28.1\n"), MAIN_GO]);
    assert_eq!(p.version.tag, "1.28");
    assert!(
        p.version.reason.contains("not seen an image"),
        "{}",
        p.version.reason
    );
}

#[test]
fn go_without_directive_uses_preset_default_and_says_so() {
    let p = ok(&[("go.mod", "module x\n"), MAIN_GO]);
    assert_eq!(p.version.tag, "1.27");
    assert!(p.version.reason.contains("default"));
}

#[test]
fn old_go_directives_build_with_the_default_go_and_tool_versions_pin() {
    // Go 1 compatibility: a `go 1.9` or `go 1.13` module builds with today's Go.
    for old in ["1.9", "1.13", "1.20"] {
        let p = ok(&[("go.mod", &*format!("module x\ngo {old}\n")), MAIN_GO]);
        assert_eq!(p.version.tag, "1.27", "go {old}");
    }
    let p = ok(&[
        ("go.mod", "module x\ngo 1.20\n"),
        (".tool-versions", "nodejs 22.1.0\ngolang 1.24.3\n"),
        MAIN_GO,
    ]);
    assert_eq!(p.version.tag, "1.24");
    assert!(
        p.version.reason.contains(".tool-versions, golang, line 2"),
        "{}",
        p.version.reason
    );
    let e = err(&[("go.mod", "module x\ngo banana\n"), MAIN_GO]);
    assert!(e.contains("go.mod") && e.contains("line 2"), "{e}");
}

#[test]
fn go_vendor_dir_builds_with_mod_vendor() {
    let p = ok(&[
        ("go.mod", "module x\ngo 1.24\n"),
        MAIN_GO,
        ("vendor/modules.txt", "# none\n"),
    ]);
    assert!(p.part::<GoPlan>("go").unwrap().vendor);
    let p = ok(&[("go.mod", "module x\ngo 1.24\n"), MAIN_GO, ("go.sum", "")]);
    let go = p.part::<GoPlan>("go").unwrap();
    assert!(!go.vendor && go.go_sum);
}

#[test]
fn go_main_package_under_cmd_is_found_and_named_after_its_dir() {
    let p = ok(&[
        ("go.mod", "module example.com/x\ngo 1.24\n"),
        (
            "cmd/server/main.go",
            "// Command server.\npackage main\n\nfunc main() {}\n",
        ),
        ("internal/lib/lib.go", "package lib\n"),
    ]);
    let go = p.part::<GoPlan>("go").unwrap();
    assert_eq!(go.package, "./cmd/server");
    assert_eq!(go.binary, "server");
}

#[test]
fn go_root_binary_is_named_after_the_module() {
    let p = ok(&[
        ("go.mod", "module github.com/acme/widget\ngo 1.24\n"),
        MAIN_GO,
    ]);
    assert_eq!(p.part::<GoPlan>("go").unwrap().binary, "widget");
}

#[test]
fn go_test_files_do_not_make_a_main_package() {
    let e = err(&[
        ("go.mod", "module x\ngo 1.24\n"),
        ("lib.go", "package x\n"),
        ("x_test.go", "package main\n"),
    ]);
    assert!(e.contains("no `package main`"), "{e}");
}

#[test]
fn go_port_from_env_default_sets_env_port() {
    let p = ok(&[
        ("go.mod", "module x\ngo 1.24\n"),
        (
            "main.go",
            "package main\nimport (\"net/http\"; \"os\")\nfunc main() {\n\tport := os.Getenv(\"PORT\")\n\tif port == \"\" {\n\t\tport = \"8090\"\n\t}\n\thttp.ListenAndServe(\":\"+port, nil)\n}\n",
        ),
    ]);
    assert_eq!(p.port.unwrap().value, 8090);
    assert!(p.port_env);
}

#[test]
fn go_client_ports_are_not_mistaken_for_listening_ports() {
    let p = ok(&[
        ("go.mod", "module x\ngo 1.24\n"),
        (
            "main.go",
            "package main\nfunc main() {\n\tconnect(Addr: \"localhost:6379\")\n}\n",
        ),
    ]);
    assert!(p.port.is_none());
}

// ---------- Node ----------

fn pkg(json: &str) -> (&'static str, String) {
    ("package.json", json.to_string())
}

fn node(files: &[(&str, String)]) -> Result<Planned, String> {
    let v: Vec<(&str, &str)> = files.iter().map(|(a, b)| (*a, b.as_str())).collect();
    plan(&v)
}

#[test]
fn node_package_manager_from_packagemanager_then_lockfile_then_npm() {
    let server = ("server.js", String::new());
    let p = node(&[
        pkg(r#"{"packageManager":"pnpm@9.12.1+sha512.abc","main":"server.js"}"#),
        server.clone(),
    ])
    .unwrap();
    let n = p.plan.part::<NodePlan>("node").unwrap();
    assert_eq!(n.package_manager, "pnpm");
    assert_eq!(n.setup.as_deref(), Some("npm install --global pnpm@9.12.1"));
    let p = node(&[
        pkg(r#"{"main":"server.js"}"#),
        server.clone(),
        ("yarn.lock", "# yarn lockfile v1\n".into()),
    ])
    .unwrap();
    assert_eq!(
        p.plan.part::<NodePlan>("node").unwrap().package_manager,
        "yarn"
    );
    // A pnpm config block does not make it pnpm when the lockfile is npm's.
    let p = node(&[
        pkg(r#"{"main":"server.js","pnpm":{"overrides":{}}}"#),
        server.clone(),
        ("package-lock.json", "{}".into()),
    ])
    .unwrap();
    assert_eq!(
        p.plan.part::<NodePlan>("node").unwrap().package_manager,
        "npm"
    );
    let p = node(&[pkg(r#"{"main":"server.js"}"#), server]).unwrap();
    let n = p.plan.part::<NodePlan>("node").unwrap();
    assert_eq!(n.package_manager, "npm");
    assert!(n.lockfile.is_none());
    assert!(p.plan.warnings.iter().any(|w| w.contains("no lockfile")));
}

#[test]
fn node_unknown_package_managers_are_errors_not_silently_npm() {
    // Bun and Yarn 2+ are supported now: tests/detect_node.rs.
    let e = node(&[
        pkg(r#"{"packageManager":"deno@2.0.0","main":"server.js"}"#),
        ("server.js", String::new()),
    ])
    .unwrap_err();
    assert!(
        e.contains("packageManager") && e.contains("unknown package manager"),
        "{e}"
    );
}

#[test]
fn node_version_files_and_aliases() {
    let server = ("server.js", String::new());
    let base = pkg(r#"{"main":"server.js","engines":{"node":">=20"}}"#);
    let tag = |nvmrc: &str| {
        node(&[base.clone(), server.clone(), (".nvmrc", nvmrc.to_string())])
            .map(|p| p.plan.version.tag)
    };
    assert_eq!(tag("v20.11.0\n").unwrap(), "20");
    assert_eq!(tag("# team standard\n22\n").unwrap(), "22");
    assert_eq!(tag("lts/*").unwrap(), "24");
    assert_eq!(tag("lts/iron").unwrap(), "20");
    assert_eq!(tag("node").unwrap(), "26");
    let e = tag("lts/argon").unwrap_err();
    assert!(e.contains(".nvmrc") && e.contains("lts/argon"), "{e}");
    // A pin dfgen has no image for is used as written, and the comment says so.
    assert_eq!(tag("18").unwrap(), "18");
    let p = node(&[base.clone(), server.clone(), (".nvmrc", "18\n".into())]).unwrap();
    assert!(
        p.plan.version.reason.contains("not seen an image"),
        "{}",
        p.plan.version.reason
    );
    let p = node(&[
        base.clone(),
        server.clone(),
        (".node-version", "24.1.0".into()),
    ])
    .unwrap();
    assert_eq!(p.plan.version.tag, "24");
    // engines alone: a range; the preset's default satisfies it
    let p = node(&[base, server.clone()]).unwrap();
    assert_eq!(p.plan.version.tag, "24");
    assert!(p.plan.version.reason.contains("engines.node"));
    // below every known release: the line below the bound, with a warning
    let p = node(&[
        pkg(r#"{"main":"server.js","engines":{"node":"<18"}}"#),
        server.clone(),
    ])
    .unwrap();
    assert_eq!(p.plan.version.tag, "17");
    assert!(
        p.plan.warnings.iter().any(|w| w.contains("engines.node")),
        "{:?}",
        p.plan.warnings
    );
    let e = node(&[
        pkg(r#"{"main":"server.js","engines":{"node":">=twenty"}}"#),
        server,
    ])
    .unwrap_err();
    assert!(
        e.contains("package.json") && e.contains("engines.node"),
        "{e}"
    );
}

#[test]
fn node_plain_server_entry_from_start_main_or_conventional_file() {
    let p = node(&[
        pkg(r#"{"scripts":{"start":"node --enable-source-maps src/app.js"}}"#),
        ("src/app.js", String::new()),
    ])
    .unwrap();
    assert_eq!(p.plan.shape, "server");
    assert_eq!(
        p.plan.command.unwrap().value,
        vec!["node", "--enable-source-maps", "src/app.js"]
    );
    let p = node(&[
        pkg(r#"{"scripts":{"start":"nodemon index.js"}}"#),
        ("index.js", String::new()),
    ])
    .unwrap();
    assert_eq!(
        p.plan.command.unwrap().value,
        vec!["node", "index.js"],
        "a dev command in start is not used"
    );
    let e = node(&[pkg(r#"{"main":"lib/missing.js"}"#)]).unwrap_err();
    assert!(
        e.contains("package.json") && e.contains("lib/missing.js"),
        "{e}"
    );
}

#[test]
fn node_build_step_ships_only_the_output_dir() {
    let p = node(&[
        pkg(r#"{"scripts":{"build":"tsc","start":"nest start","start:prod":"node dist/main"},"dependencies":{"@nestjs/core":"1"},"devDependencies":{"typescript":"5"}}"#),
        ("tsconfig.json", "{\n // comment\n \"compilerOptions\": {\"outDir\": \"./dist\",},\n}".into()),
        ("src/main.ts", String::new()),
    ])
    .unwrap();
    assert_eq!(p.plan.shape, "server-build");
    let n = p.plan.part::<NodePlan>("node").unwrap();
    assert_eq!(n.output_dir.as_deref(), Some("dist"));
    assert_eq!(p.plan.command.unwrap().value, vec!["node", "dist/main"]);
    // Without a start script: the compiled counterpart of src/<name>.ts
    let p = node(&[
        pkg(r#"{"scripts":{"build":"tsc"}}"#),
        (
            "tsconfig.json",
            r#"{"compilerOptions":{"outDir":"build"}}"#.into(),
        ),
        ("src/server.ts", String::new()),
    ])
    .unwrap();
    assert_eq!(
        p.plan.command.unwrap().value,
        vec!["node", "build/server.js"]
    );
}

#[test]
fn node_root_lifecycle_scripts_are_skipped_in_installs() {
    let p = node(&[
        pkg(r#"{"main":"server.js","scripts":{"prepare":"husky install"}}"#),
        ("server.js", String::new()),
        (
            "package-lock.json",
            r#"{"packages":{"":{},"node_modules/bcrypt":{"hasInstallScript":true},"node_modules/husky":{"dev":true,"hasInstallScript":true}}}"#.into(),
        ),
    ])
    .unwrap();
    let n = p.plan.part::<NodePlan>("node").unwrap();
    assert!(n.ignore_scripts);
    assert!(
        n.rebuild,
        "bcrypt is a production dependency with an install script"
    );
}

#[test]
fn node_static_site_is_detected_with_its_output_dir() {
    let p = node(&[
        pkg(r#"{"scripts":{"build":"vite build"},"devDependencies":{"vite":"7"}}"#),
        (
            "vite.config.js",
            "export default { build: { outDir: 'public-dist' } }\n".into(),
        ),
    ])
    .unwrap();
    assert_eq!(p.plan.preset, "node-static");
    assert_eq!(
        p.plan
            .part::<NodePlan>("node")
            .unwrap()
            .output_dir
            .as_deref(),
        Some("public-dist")
    );
    assert_eq!(p.plan.port.unwrap().value, 8080);
    let p = node(&[pkg(
        r#"{"scripts":{"build":"react-scripts build"},"dependencies":{"react-scripts":"5"}}"#,
    )])
    .unwrap();
    assert_eq!(
        p.plan
            .part::<NodePlan>("node")
            .unwrap()
            .output_dir
            .as_deref(),
        Some("build")
    );
    // A bundler next to a server is not a static site: the server ships with
    // its sources and the bundle.
    let p = node(&[
        pkg(r#"{"scripts":{"build":"vite build","start":"node server.js"},"dependencies":{"express":"5"},"devDependencies":{"vite":"7"}}"#),
        ("server.js", String::new()),
    ])
    .unwrap();
    assert_eq!(p.plan.preset, "node");
    let n = p.plan.part::<NodePlan>("node").unwrap();
    assert_eq!(n.output_dir.as_deref(), Some("dist"));
    assert!(n.ship_sources);
}

// ---------- Python ----------

#[test]
fn python_versions_from_pin_range_poetry_and_runtime_txt() {
    let app = ("main.py", "print('hi')\n");
    let p = ok(&[
        ("requirements.txt", ""),
        (".python-version", "3.12.4\n"),
        app,
    ]);
    assert_eq!(p.version.tag, "3.12");
    let p = ok(&[
        (
            "pyproject.toml",
            "[project]\nname='x'\nrequires-python='>=3.11'\n",
        ),
        app,
    ]);
    assert_eq!(p.version.tag, "3.13", "the default satisfies the range");
    assert!(p.version.reason.contains("requires-python"));
    let p = ok(&[
        (
            "pyproject.toml",
            "[tool.poetry]\nname='x'\n[tool.poetry.dependencies]\npython='~3.11'\n",
        ),
        app,
    ]);
    assert_eq!(p.version.tag, "3.11");
    let p = ok(&[
        ("requirements.txt", ""),
        ("runtime.txt", "python-3.10.14\n"),
        app,
    ]);
    assert_eq!(p.version.tag, "3.10");
    let e = err(&[
        ("requirements.txt", ""),
        (".python-version", "pypy3.10\n"),
        app,
    ]);
    assert!(e.contains(".python-version"), "{e}");
    // Only malformed text is refused.
    let e = err(&[
        (
            "pyproject.toml",
            "[project]\nname='x'\nrequires-python='>=three'\n",
        ),
        app,
    ]);
    assert!(
        e.contains("pyproject.toml") && e.contains("requires-python"),
        "{e}"
    );
}

#[test]
fn python_installer_from_lockfiles() {
    let app = ("main.py", "");
    let tool = |files: &[(&str, &str)]| ok(files).part::<PythonPlan>("python").unwrap().tool;
    assert_eq!(
        tool(&[
            ("pyproject.toml", "[project]\nname='x'\n"),
            ("uv.lock", ""),
            app
        ]),
        "uv"
    );
    assert_eq!(
        tool(&[
            ("pyproject.toml", "[tool.poetry]\nname='x'\n"),
            ("poetry.lock", ""),
            app
        ]),
        "poetry"
    );
    assert_eq!(tool(&[("requirements.txt", "requests\n"), app]), "pip");
}

#[test]
fn python_requirements_includes_are_mounted_and_editables_refused() {
    let p = ok(&[
        ("requirements.txt", "-r reqs/base.txt\n"),
        ("reqs/base.txt", "requests\n"),
        ("main.py", ""),
    ]);
    assert_eq!(
        p.part::<PythonPlan>("python").unwrap().requirements,
        vec!["requirements.txt", "reqs/base.txt"]
    );
    let e = err(&[("requirements.txt", "-e .\n"), ("main.py", "")]);
    assert!(
        e.contains("requirements.txt") && e.contains("line 1"),
        "{e}"
    );
}

#[test]
fn python_frameworks_get_their_servers() {
    let p = ok(&[
        (
            "pyproject.toml",
            "[project]\nname='x'\ndependencies=['fastapi[standard]']\n",
        ),
        ("uv.lock", ""),
        (
            "src/shop/api.py",
            "from fastapi import FastAPI\n\napi = FastAPI()\n",
        ),
    ]);
    assert_eq!(
        p.command.unwrap().value,
        vec![
            "uvicorn",
            "shop.api:api",
            "--host",
            "0.0.0.0",
            "--port",
            "8000",
            "--app-dir",
            "src"
        ]
    );
    let p = ok(&[
        ("requirements.txt", "Flask==3\ngunicorn\n"),
        ("Procfile", "web: gunicorn --bind 0.0.0.0:5000 app:app\n"),
        ("app.py", "from flask import Flask\napp = Flask(__name__)\n"),
    ]);
    assert_eq!(
        p.command.unwrap().value,
        vec!["gunicorn", "--bind", "0.0.0.0:5000", "app:app"]
    );
    assert_eq!(p.port.unwrap().evidence.file.as_deref(), Some("Procfile"));
    let p = ok(&[
        ("requirements.txt", "django\ngunicorn\n"),
        ("manage.py", ""),
        (
            "site_cfg/settings.py",
            "WSGI_APPLICATION = 'site_cfg.wsgi.application'\n",
        ),
        ("site_cfg/wsgi.py", "application = None\n"),
    ]);
    assert_eq!(
        p.command.unwrap().value,
        vec!["gunicorn", "--bind", "0.0.0.0:8000", "site_cfg.wsgi"]
    );
}

#[test]
fn python_framework_without_its_server_is_an_error_that_says_what_to_add() {
    let e = err(&[
        ("requirements.txt", "flask\n"),
        ("app.py", "from flask import Flask\napp = Flask(__name__)\n"),
    ]);
    assert!(e.contains("gunicorn") && e.contains("--cmd"), "{e}");
}

#[test]
fn python_start_command_fallbacks() {
    let p = ok(&[
        (
            "pyproject.toml",
            "[project]\nname='x'\n[project.scripts]\nserve='x.cli:main'\n[build-system]\nrequires=['hatchling']\nbuild-backend='hatchling.build'\n",
        ),
        ("uv.lock", ""),
        ("src/x/cli.py", ""),
    ]);
    assert_eq!(p.command.unwrap().value, vec!["serve"]);
    let p = ok(&[("requirements.txt", ""), ("worker/__main__.py", "")]);
    assert_eq!(p.command.unwrap().value, vec!["python", "-m", "worker"]);
    let p = ok(&[("requirements.txt", ""), ("app.py", "")]);
    assert_eq!(p.command.unwrap().value, vec!["python", "app.py"]);
}

#[test]
fn python_tooling_only_pyproject_is_not_an_app() {
    let dir = project(&[("pyproject.toml", "[tool.black]\nline-length = 100\n")]);
    let all = detect::detect_all(&Project::open(dir.path()).unwrap(), None).unwrap();
    assert!(all.is_empty());
}

// ---------- Rust ----------

const CARGO: &str = "[package]\nname = \"app\"\nversion = \"0.1.0\"\n";

#[test]
fn rust_versions_from_toolchain_file_and_msrv() {
    let main = ("src/main.rs", "fn main() {}\n");
    let p = ok(&[
        ("Cargo.toml", CARGO),
        main,
        ("rust-toolchain.toml", "[toolchain]\nchannel = \"1.90.0\"\n"),
    ]);
    assert_eq!(p.version.tag, "1.90");
    let p = ok(&[("Cargo.toml", CARGO), main, ("rust-toolchain", "stable\n")]);
    assert_eq!(p.version.tag, "1.95");
    // A release newer than the preset knows: used as written.
    let p = ok(&[
        ("Cargo.toml", CARGO),
        main,
        ("rust-toolchain.toml", "[toolchain]\nchannel = \"1.99.0\"\n"),
    ]);
    assert_eq!(p.version.tag, "1.99");
    let e = err(&[
        ("Cargo.toml", CARGO),
        main,
        (
            "rust-toolchain.toml",
            "[toolchain]\nchannel = \"nightly\"\n",
        ),
    ]);
    assert!(
        e.contains("rust-toolchain.toml") && e.contains("nightly"),
        "{e}"
    );
    let p = ok(&[
        ("Cargo.toml", &format!("{CARGO}rust-version = \"1.86\"\n")),
        main,
    ]);
    assert_eq!(p.version.tag, "1.95", "an MSRV is a minimum, not a pin");
    assert!(p.version.reason.contains("rust-version"));
    // above every known release: the minimum itself
    let p = ok(&[
        ("Cargo.toml", &format!("{CARGO}rust-version = \"1.97\"\n")),
        main,
    ]);
    assert_eq!(p.version.tag, "1.97");
}

#[test]
fn rust_several_binaries_need_main_unless_default_run() {
    let files = [
        ("Cargo.toml", CARGO),
        ("src/main.rs", "fn main() {}\n"),
        ("src/bin/migrate.rs", "fn main() {}\n"),
    ];
    // The binary named after the package is the app; the note names the other.
    let p = plan(&files).unwrap();
    assert_eq!(p.plan.part::<RustPlan>("rust").unwrap().binary, "app");
    assert!(
        p.plan
            .notes
            .iter()
            .any(|n| n.contains("migrate") && n.contains("--main")),
        "{:?}",
        p.plan.notes
    );
    // No rule decides between two tools: refuse, listing them.
    let tools = [
        ("Cargo.toml", CARGO),
        ("src/bin/migrate.rs", "fn main() {}\n"),
        ("src/bin/seed.rs", "fn main() {}\n"),
    ];
    let e = err(&tools);
    assert!(
        e.contains("seed") && e.contains("migrate") && e.contains("--main"),
        "{e}"
    );
    assert!(e.contains("2 binaries"), "{e}");
    let p = with_main(&files, "migrate").unwrap();
    assert_eq!(p.plan.part::<RustPlan>("rust").unwrap().binary, "migrate");
    let with_default = format!("{CARGO}default-run = \"app\"\n");
    let p = ok(&[("Cargo.toml", &with_default), files[1], files[2]]);
    assert_eq!(p.part::<RustPlan>("rust").unwrap().binary, "app");
}

#[test]
fn rust_workspace_members_glob_and_library_crates() {
    let p = ok(&[
        (
            "Cargo.toml",
            "[workspace]\nmembers = [\"crates/*\"]\nexclude = [\"crates/old\"]\n",
        ),
        ("Cargo.lock", ""),
        (
            "crates/core/Cargo.toml",
            "[package]\nname = \"core-lib\"\nversion = \"0.1.0\"\n",
        ),
        ("crates/core/src/lib.rs", ""),
        (
            "crates/api/Cargo.toml",
            "[package]\nname = \"api\"\nversion = \"0.1.0\"\n",
        ),
        ("crates/api/src/main.rs", "fn main() {}\n"),
        (
            "crates/old/Cargo.toml",
            "[package]\nname = \"old\"\nversion = \"0.1.0\"\n",
        ),
        ("crates/old/src/main.rs", "fn main() {}\n"),
    ]);
    let r = p.part::<RustPlan>("rust").unwrap();
    assert_eq!(
        (r.package.as_str(), r.binary.as_str(), r.locked),
        ("api", "api", true)
    );
    let e = err(&[("Cargo.toml", CARGO), ("src/lib.rs", "")]);
    assert!(e.contains("no binary target"), "{e}");
}

#[test]
fn rust_openssl_from_lockfile_or_manifest() {
    let main = ("src/main.rs", "fn main() {}\n");
    let p = ok(&[
        ("Cargo.toml", CARGO),
        main,
        ("Cargo.lock", "[[package]]\nname = \"openssl-sys\"\n"),
    ]);
    let sys = p.part::<RustPlan>("rust").unwrap().sys;
    assert_eq!(sys.len(), 1);
    assert_eq!(
        (sys[0].name.as_str(), sys[0].evidence.as_str()),
        ("openssl-sys", "Cargo.lock, package openssl-sys")
    );
    let p = ok(&[
        (
            "Cargo.toml",
            &format!("{CARGO}[dependencies]\nreqwest = \"0.12\"\n"),
        ),
        main,
    ]);
    assert!(
        p.part::<RustPlan>("rust").unwrap().sys[0].name == "openssl-sys",
        "reqwest's default TLS is OpenSSL"
    );
    let p = ok(&[
        (
            "Cargo.toml",
            &format!(
                "{CARGO}[dependencies]\nreqwest = {{ version = \"0.12\", default-features = false, features = [\"rustls-tls\"] }}\n"
            ),
        ),
        main,
    ]);
    assert!(p.part::<RustPlan>("rust").unwrap().sys.is_empty());
}

// ---------- Which ecosystem ----------

#[test]
fn tooling_manifests_next_to_an_app_do_not_compete() {
    let p = ok(&[
        ("go.mod", "module x\ngo 1.24\n"),
        MAIN_GO,
        (
            "package.json",
            r#"{"devDependencies":{"prettier":"3"},"scripts":{"fmt":"prettier -w ."}}"#,
        ),
        ("docs/pyproject.toml", "[project]\nname='docs'\n"),
    ]);
    assert_eq!(p.ecosystem, "go");
}

#[test]
fn two_runnable_apps_are_an_error_naming_both_and_preset() {
    let files = [
        ("go.mod", "module x\ngo 1.24\n"),
        MAIN_GO,
        ("package.json", r#"{"scripts":{"start":"node server.js"}}"#),
        ("server.js", ""),
    ];
    let e = err(&files);
    assert!(
        e.contains("go:") && e.contains("node:") && e.contains("--preset"),
        "{e}"
    );
    let p = plan_with(
        &files,
        Choices {
            preset: Some("node".into()),
            ..Choices::default()
        },
    )
    .unwrap();
    assert!(p.detected.ecosystem() == "node");
}

#[test]
fn manifests_without_a_runnable_app_explain_why() {
    let e = err(&[("package.json", r#"{"devDependencies":{"eslint":"9"}}"#)]);
    assert!(e.contains("tooling only"), "{e}");
}

#[test]
fn python_main_picks_among_console_scripts() {
    let files = [
        (
            "pyproject.toml",
            "[project]\nname='x'\n[project.scripts]\nserve='x.cli:serve'\nmigrate='x.cli:migrate'\n[build-system]\nrequires=['hatchling']\nbuild-backend='hatchling.build'\n",
        ),
        ("uv.lock", ""),
        ("src/x/cli.py", ""),
    ];
    let e = err(&files);
    assert!(
        e.contains("serve") && e.contains("migrate") && e.contains("--main"),
        "{e}"
    );
    let p = with_main(&files, "migrate").unwrap();
    assert_eq!(p.plan.command.unwrap().value, vec!["migrate"]);
    let e = with_main(&files, "nope").unwrap_err();
    assert!(e.contains("serve, migrate"), "{e}");
}
