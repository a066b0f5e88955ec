//! Shared by the integration tests: the rendering cases (one per preset ×
//! shape × runtime variant) and small helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use dfgen::assets::Assets;
use dfgen::plan::Choices;
use dfgen::render::{Output, Renderer};

pub struct Case {
    /// Snapshot name prefix.
    pub name: &'static str,
    /// Project directory under tests/.
    pub dir: &'static str,
    pub runtime: Option<&'static str>,
    pub main: Option<&'static str>,
    /// Optional files to write too.
    pub also: &'static [&'static str],
}

const fn case(name: &'static str, dir: &'static str) -> Case {
    Case {
        name,
        dir,
        runtime: None,
        main: None,
        also: &[],
    }
}

pub const CASES: &[Case] = &[
    case("go-distroless", "apps/go-root"),
    Case {
        runtime: Some("scratch"),
        ..case("go-scratch", "apps/go-root")
    },
    Case {
        main: Some("cmd/api"),
        ..case("go-cmd-main", "apps/go-cmd")
    },
    case("go-vendor", "fixtures/go-vendor"),
    case("node-server", "apps/node-express"),
    Case {
        runtime: Some("distroless"),
        ..case("node-server-distroless", "apps/node-express")
    },
    Case {
        also: &["compose.yaml"],
        ..case("node-server-with-compose", "apps/node-express")
    },
    case("node-server-build", "apps/node-ts"),
    case("node-static", "apps/node-vite"),
    case("node-server-with-bundle", "fixtures/node-server-bundle"),
    case(
        "node-install-scripts-rebuilt",
        "fixtures/node-install-scripts",
    ),
    case("node-pnpm", "fixtures/node-pnpm"),
    case("node-yarn", "fixtures/node-yarn"),
    case("python-uv-fastapi", "apps/py-fastapi-uv"),
    case("python-pip-flask", "apps/py-flask-req"),
    case("python-poetry-django", "apps/py-django-poetry"),
    case("python-uv-package-script", "fixtures/py-uv-package"),
    case("python-pip-pyproject", "fixtures/py-pip-pyproject"),
    case("python-poetry-package-script", "fixtures/py-poetry-package"),
    case("rust-single-crate", "apps/rust-axum"),
    case("rust-workspace", "apps/rust-workspace"),
    case("rust-openssl-unlocked", "fixtures/rust-openssl"),
    case("go-deps-goprivate", "apps/go-chi"),
    case("go-cgo", "apps/go-cgo-sqlite"),
    case("go-goreleaser-runtime-dirs-bind-env", "apps/go-web"),
    case("rust-sqlx-unprepared", "fixtures/rust-sqlx"),
    case("rust-sqlx-offline", "fixtures/rust-sqlx-offline"),
    case(
        "rust-toolchain-components",
        "fixtures/rust-toolchain-components",
    ),
];

pub fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

pub fn render_case(c: &Case) -> (dfgen::plan::Plan, Vec<Output>) {
    let choices = Choices {
        runtime: c.runtime.map(str::to_string),
        main: c.main.map(str::to_string),
        also: (!c.also.is_empty()).then(|| c.also.iter().map(|s| s.to_string()).collect()),
        ..Choices::default()
    };
    let assets = Assets::default();
    let planned = dfgen::pipeline::plan(&tests_dir().join(c.dir), &choices, &assets)
        .unwrap_or_else(|e| panic!("{}: {e}", c.name));
    let outputs = Renderer::new(&assets)
        .unwrap()
        .render(&planned.plan)
        .unwrap();
    (planned.plan, outputs)
}

/// Writes files into a fresh temporary project.
pub fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, content) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }
    dir
}

/// `go-distroless.Dockerfile`, `go-distroless.dockerignore`, `node-static.nginx.conf`.
pub fn snapshot_file_name(case: &str, output: &str) -> String {
    format!("{case}.{}", output.trim_start_matches('.'))
}

/// The dfgen binary, with colours off so assertions see plain text.
pub fn dfgen() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("dfgen").unwrap();
    c.env("NO_COLOR", "1");
    c
}

/// A tiny Go service listening on :9000.
pub const GO_APP: &[(&str, &str)] = &[
    ("go.mod", "module example.com/hi\n\ngo 1.25\n"),
    (
        "main.go",
        "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":9000\", nil) }\n",
    ),
];

/// Sorted names of the entries of a directory.
pub fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}
