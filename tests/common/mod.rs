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
    /// The workspace package (`--app`).
    pub app: Option<&'static str>,
    /// Optional files to write too.
    pub also: &'static [&'static str],
}

const fn case(name: &'static str, dir: &'static str) -> Case {
    Case {
        name,
        dir,
        runtime: None,
        main: None,
        app: None,
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
    case("python-procfile-flask-factory", "apps/py-flask-factory"),
    case("python-uv-fastapi-factory", "apps/py-fastapi-factory"),
    case("python-django-collectstatic", "apps/py-django-static"),
    case("python-native-psycopg2", "apps/py-psycopg2-source"),
    case("python-pdm", "apps/py-pdm"),
    case("python-pipenv", "apps/py-pipenv"),
    case("python-poetry1-lock", "apps/py-poetry-legacy"),
    case("python-uv-workspace-member", "apps/py-uv-workspace"),
    case("python-private-index", "fixtures/py-private-index"),
    case("python-django-asgi-uvicorn", "apps/py-django-asgi"),
    case("python-fastapi-frontend", "apps/py-fastapi-frontend"),
    case("python-django-frontend", "fixtures/py-django-frontend"),
    case("rust-single-crate", "apps/rust-axum"),
    case("rust-workspace", "apps/rust-workspace"),
    case("rust-openssl-unlocked", "fixtures/rust-openssl"),
    // Versions dfgen has no image list entry for: used as written (no engine
    // here has these images, so they are proven by snapshot and hadolint).
    case("rust-toolchain-unknown", "fixtures/rust-toolchain-unknown"),
    case("rust-msrv-future", "fixtures/rust-msrv-future"),
    case("static-site-folder", "apps/static-site"),
    case("static-root-spa", "fixtures/static-root-spa"),
    case("deno-task", "apps/deno-server"),
    Case {
        runtime: Some("distroless"),
        ..case("deno-task-distroless", "apps/deno-server")
    },
    case("deno-jsonc-inferred", "fixtures/deno-jsonc-inferred"),
    case("deno-serve-build-task", "fixtures/deno-build-task"),
    case("php-apache-plain", "apps/php-plain"),
    case("php-apache-composer-ext", "apps/php-composer-ext"),
    Case {
        runtime: Some("fpm"),
        ..case("php-fpm-composer-ext", "apps/php-composer-ext")
    },
    case("php-laravel", "fixtures/php-laravel"),
    case("php-apache-vite-assets", "apps/php-vite-assets"),
    case("php-simple-exts-unlocked", "fixtures/php-simple-exts"),
    case("ruby-plain", "apps/ruby-plain"),
    case("ruby-rails", "fixtures/ruby-rails"),
    Case {
        also: &["compose.yaml"],
        ..case("ruby-sinatra-with-compose", "fixtures/ruby-sinatra")
    },
    case("node-next-standalone", "apps/next-standalone"),
    case("node-next-start", "apps/next-start"),
    case("node-next-export", "apps/next-export"),
    case("node-chained-start", "apps/node-chained-start"),
    case("node-fastify-host", "apps/node-fastify"),
    case("node-env-template-kept", "fixtures/node-env-template"),
    case("node-npmrc-secret", "apps/node-private-registry"),
    case("node-yarn-berry-node-modules", "apps/node-yarn-berry"),
    case("node-yarn-berry-pnp", "apps/node-yarn-pnp"),
    case("node-nuxt", "fixtures/node-nuxt"),
    case("node-sveltekit-adapter-node", "fixtures/node-sveltekit"),
    case("node-astro-ssr", "fixtures/node-astro-ssr"),
    case("node-bun-package-manager", "apps/node-bun"),
    Case {
        app: Some("apps/api"),
        ..case("node-npm-workspaces", "apps/node-npm-workspaces")
    },
    // dfgen run on a package folder: files there, context at the workspace root.
    Case {
        also: &["compose.yaml"],
        ..case(
            "node-npm-workspace-package-folder",
            "apps/node-npm-workspaces/apps/web",
        )
    },
    Case {
        app: Some("@acme/web"),
        ..case(
            "node-pnpm-workspace-turbo",
            "fixtures/node-pnpm-workspace-turbo",
        )
    },
    Case {
        app: Some("services/api"),
        ..case("node-yarn-workspaces", "fixtures/node-yarn-workspaces")
    },
    Case {
        app: Some("site"),
        ..case(
            "node-yarn-workspace-static",
            "fixtures/node-yarn-workspaces",
        )
    },
    case(
        "node-yarn-berry-workspace-pnp",
        "fixtures/node-yarn-berry-workspace",
    ),
    case("node-sveltekit-3", "apps/node-sveltekit"),
    case("java-plain-jar", "apps/java-plain-jar"),
    Case {
        runtime: Some("distroless"),
        ..case("java-plain-jar-distroless", "apps/java-plain-jar")
    },
    case("java-spring-boot-wrapper", "apps/java-spring-boot"),
    case("java-quarkus", "apps/java-quarkus"),
    case("java-spring-frontend-plugin", "apps/java-spring-frontend"),
    case("java-spring-vite-resources", "fixtures/java-vite-resources"),
    case("java-maven-lib", "fixtures/java-maven-lib"),
    case("java-maven-multi-layertools", "fixtures/java-maven-multi"),
    case("java-maven-shade", "fixtures/java-maven-shade"),
    case("java-spring-boot-2.2-fat-jar", "fixtures/java-boot-old"),
    case("java-gradle-boot", "fixtures/java-gradle-boot"),
    case("java-gradle-application", "fixtures/java-gradle-app"),
    case("java-gradle-quarkus-uber", "fixtures/java-gradle-quarkus"),
    case("go-deps-goprivate", "apps/go-chi"),
    case("go-cgo", "apps/go-cgo-sqlite"),
    case("go-goreleaser-runtime-dirs-bind-env", "apps/go-web"),
    case("go-workspace", "apps/go-workspace"),
    case("rust-serve-subcommand-config", "apps/rust-serve-subcommand"),
    case("python-pipfile-unlocked", "apps/py-pipfile-unlocked"),
    case("rust-sqlx-unprepared", "fixtures/rust-sqlx"),
    case("rust-sqlx-offline", "fixtures/rust-sqlx-offline"),
    case(
        "rust-toolchain-components",
        "fixtures/rust-toolchain-components",
    ),
    // -sys crates (presets/rust.yaml `sys_crates`): a system library copied
    // into distroless cc, one that needs Debian slim, bundled sources, and
    // feature-selected build modes.
    case("rust-sys-sqlite-copied", "apps/rust-sqlite-sys"),
    case("rust-sys-pq-slim", "fixtures/rust-pq-sys"),
    case("rust-sys-sqlite-bundled", "fixtures/rust-sqlite-bundled"),
    case("rust-sys-build-modes", "fixtures/rust-kafka-cmake"),
    Case {
        runtime: Some("slim"),
        ..case("rust-openssl-slim", "fixtures/rust-openssl")
    },
    Case {
        runtime: Some("static"),
        ..case("rust-static", "apps/rust-axum")
    },
    Case {
        runtime: Some("static"),
        ..case("rust-static-musl-cc", "fixtures/rust-sqlite-bundled")
    },
    Case {
        runtime: Some("scratch"),
        ..case("rust-scratch", "apps/rust-axum")
    },
];

pub fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

pub fn render_case(c: &Case) -> (dfgen::plan::Plan, Vec<Output>) {
    let choices = Choices {
        runtime: c.runtime.map(str::to_string),
        main: c.main.map(str::to_string),
        app: c.app.map(str::to_string),
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
    // A workspace package folder's files (apps/web/Dockerfile) by their own name.
    let output = output.rsplit('/').next().unwrap_or(output);
    format!("{case}.{}", output.trim_start_matches('.'))
}

/// The dfgen binary, with colours off so assertions see plain text, and
/// neither `CI` nor the trust switch inherited from the environment running
/// the tests (they decide whether a project's own templates are used).
pub fn dfgen() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("dfgen").unwrap();
    c.env("NO_COLOR", "1")
        .env_remove("CI")
        .env_remove("DFGEN_TRUST_PROJECT_TEMPLATES");
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
