//! Go and Rust breadth: cgo, GOPRIVATE, goreleaser, runtime directories,
//! loopback binds, sqlx offline data, -sys crates and the static runtime.
//! One small project per rule.

mod common;

use common::project;
use dfgen::assets::Assets;
use dfgen::ecosystems::go::GoPlan;
use dfgen::ecosystems::rust::RustPlan;
use dfgen::pipeline;
use dfgen::plan::{Choices, Plan};
use dfgen::render::Renderer;

fn plan_with(files: &[(&str, &str)], choices: Choices) -> Result<Plan, String> {
    let dir = project(files);
    pipeline::plan(dir.path(), &choices, &Assets::default())
        .map(|p| p.plan)
        .map_err(|e| e.to_string())
}

fn ok(files: &[(&str, &str)]) -> Plan {
    plan_with(files, Choices::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn dockerfile(plan: &Plan) -> String {
    let assets = Assets::default();
    Renderer::new(&assets)
        .unwrap()
        .render(plan)
        .unwrap()
        .into_iter()
        .find(|o| o.path == "Dockerfile")
        .unwrap()
        .content
}

fn go(plan: &Plan) -> GoPlan {
    plan.part("go").unwrap()
}

const GO_MOD: (&str, &str) = ("go.mod", "module example.com/app\n\ngo 1.24\n");
const SERVE: &str =
    "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n";

// ---------- Go: go.work workspaces ----------

const WORK: (&str, &str) = (
    "go.work",
    "go 1.24\n\nuse (\n\t./api\n\t./lib // shared code\n)\n",
);

#[test]
fn go_work_builds_the_server_module_from_the_root_in_workspace_mode() {
    let p = ok(&[
        WORK,
        ("api/go.mod", "module example.com/ws/api\n\ngo 1.24\n"),
        ("api/go.sum", ""),
        ("api/main.go", SERVE),
        ("lib/go.mod", "module example.com/ws/lib\n\ngo 1.23\n"),
        ("lib/lib.go", "package lib\n"),
        (
            "lib/cmd/migrate/main.go",
            "package main\n\nfunc main() {}\n",
        ),
    ]);
    let g = go(&p);
    assert_eq!(g.package, "./api");
    assert_eq!(g.binary, "api");
    assert!(g.workspace);
    assert_eq!(
        g.mod_files,
        ["go.work", "api/go.mod", "api/go.sum", "lib/go.mod"]
    );
    let d = dockerfile(&p);
    assert!(
        d.contains("--mount=type=bind,source=lib/go.mod,target=lib/go.mod"),
        "{d}"
    );
    assert!(
        d.contains("go build -trimpath -ldflags=\"-s -w\" -o /out/api ./api"),
        "{d}"
    );
    assert!(
        d.contains("go.work, `go` directive (a minimum), line 1"),
        "{d}"
    );
    // The other module's tool is an alternative, by --main.
    let p = plan_with(
        &[
            WORK,
            ("api/go.mod", "module example.com/ws/api\n\ngo 1.24\n"),
            ("api/main.go", SERVE),
            ("lib/go.mod", "module example.com/ws/lib\n\ngo 1.23\n"),
            (
                "lib/cmd/migrate/main.go",
                "package main\n\nfunc main() {}\n",
            ),
        ],
        Choices {
            main: Some("lib/cmd/migrate".into()),
            ..Choices::default()
        },
    )
    .unwrap();
    assert_eq!(go(&p).package, "./lib/cmd/migrate");
}

#[test]
fn go_work_use_paths_are_checked_and_errors_name_go_work_and_the_line() {
    let e = plan_with(
        &[
            ("go.work", "go 1.24\n\nuse ../outside\n"),
            GO_MOD,
            ("main.go", SERVE),
        ],
        Choices::default(),
    )
    .unwrap_err();
    assert!(e.contains("go.work") && e.contains("line 3"), "{e}");
    let e = plan_with(
        &[
            ("go.work", "go 1.24\nuse (\n\t.\n\t./missing\n)\n"),
            GO_MOD,
            ("main.go", SERVE),
        ],
        Choices::default(),
    )
    .unwrap_err();
    assert!(
        e.contains("go.work") && e.contains("line 4") && e.contains("missing/go.mod"),
        "{e}"
    );
    let e = plan_with(&[("go.work", "go 1.24\n"), GO_MOD], Choices::default()).unwrap_err();
    assert!(e.contains("go.work") && e.contains("no `use`"), "{e}");
}

#[test]
fn go_work_with_the_root_module_and_a_toolchain_pin() {
    let p = ok(&[
        (
            "go.work",
            "go 1.24\ntoolchain go1.26.2\n\nuse .\nuse ./tools\n",
        ),
        GO_MOD,
        ("go.sum", ""),
        ("main.go", SERVE),
        ("tools/go.mod", "module example.com/tools\n\ngo 1.24\n"),
        ("tools/gen/main.go", "package main\n\nfunc main() {}\n"),
    ]);
    let g = go(&p);
    assert_eq!(g.package, ".");
    assert_eq!(g.binary, "app");
    assert_eq!(g.mod_files, ["go.work", "go.mod", "go.sum", "tools/go.mod"]);
    let d = dockerfile(&p);
    assert!(d.contains("ARG GO_VERSION=1.26"), "{d}");
    assert!(d.contains("go.work, `toolchain` directive, line 2"), "{d}");
}

// ---------- Go: a Makefile's go build recipe ----------

#[test]
fn go_makefile_recipe_gives_binary_tags_and_version_stamps() {
    let p = ok(&[
        GO_MOD,
        ("cmd/shopd/main.go", SERVE),
        ("cmd/tool/main.go", "package main\n\nfunc main() {}\n"),
        (
            "Makefile",
            "VERSION ?= $(shell git describe --tags)\n\
             LDFLAGS := -s -w -X main.version=$(VERSION)\n\nbuild:\n\
             \tgo build -tags netgo -ldflags \"$(LDFLAGS)\" -o bin/shop ./cmd/shopd\n",
        ),
    ]);
    let g = go(&p);
    assert_eq!(g.package, "./cmd/shopd");
    assert_eq!(g.binary, "shop");
    assert_eq!(g.tags, "netgo");
    assert_eq!(g.ldflags, "-s -w -X main.version=${VERSION}");
    let d = dockerfile(&p);
    assert!(
        d.contains("# Makefile, line 5 builds this binary: its version stamps (-X) and build tags are kept."),
        "{d}"
    );
    assert!(d.contains("ARG VERSION=dev"), "{d}");
    assert!(d.contains("-tags=netgo"), "{d}");
}

// ---------- Config files named by the start command ----------

#[test]
fn a_config_file_the_command_names_gets_mount_instructions_and_its_example() {
    let p = ok(&[
        GO_MOD,
        ("main.go", SERVE),
        ("Procfile", "web: app serve --config=conf/app.yaml\n"),
        ("config/app.example.yaml", "port: 8080\n"),
    ]);
    assert_eq!(
        p.command.as_ref().unwrap().value,
        ["/usr/local/bin/app", "serve", "--config=conf/app.yaml"]
    );
    let d = dockerfile(&p);
    assert!(
        d.contains("# The app reads its configuration from /conf/app.yaml (--config, Procfile"),
        "{d}"
    );
    assert!(
        d.contains("#   docker run -v \"$PWD/app.yaml:/conf/app.yaml:ro\" ..."),
        "{d}"
    );
    assert!(
        d.contains("# config/app.example.yaml in the repository is a template for it."),
        "{d}"
    );
    // A path that is not plain is not explained (nor echoed).
    let p = ok(&[
        GO_MOD,
        ("main.go", SERVE),
        ("Procfile", "web: app -c /etc/app/../x.toml\n"),
    ]);
    assert!(p.run_notes.is_empty(), "{:?}", p.run_notes);
    // No config flag, no note.
    let p = ok(&[GO_MOD, ("main.go", SERVE), ("Procfile", "web: app serve\n")]);
    assert!(p.run_notes.is_empty());
}

#[test]
fn a_bind_variable_named_after_the_program_is_set_to_any_address() {
    let p = ok(&[
        (
            "Cargo.toml",
            "[package]\nname = \"shopd\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        ),
        (
            "src/main.rs",
            "fn main() {\n    let a = std::env::var(\"SHOPD_ADDR\").unwrap_or_else(|_| \"127.0.0.1:7070\".into());\n    let l = std::net::TcpListener::bind(a).unwrap();\n}\n",
        ),
    ]);
    assert_eq!(p.env["SHOPD_ADDR"].value, "0.0.0.0:7070");
}

// ---------- Go: cgo ----------

#[test]
fn go_import_c_in_an_imported_package_turns_cgo_on() {
    let p = ok(&[
        GO_MOD,
        (
            "main.go",
            "package main\n\nimport (\n\t\"net/http\"\n\t\"example.com/app/internal/hash\"\n)\n\nfunc main() { hash.Do(); http.ListenAndServe(\":8080\", nil) }\n",
        ),
        (
            "internal/hash/hash.go",
            "package hash\n\n// #include <stdlib.h>\nimport \"C\"\n\nfunc Do() {}\n",
        ),
    ]);
    let g = go(&p);
    let why = g.cgo.expect("cgo");
    assert!(
        why.contains("internal/hash/hash.go") && why.contains("line 4"),
        "{why}"
    );
    assert_eq!(p.runtime.name, "glibc");
    assert!(
        p.runtime.image.contains("distroless/base"),
        "{}",
        p.runtime.image
    );
    let df = dockerfile(&p);
    assert!(df.contains("CGO_ENABLED=1"), "{df}");
    assert!(!df.contains("--platform=$BUILDPLATFORM"), "{df}");
    assert!(df.contains("not static"), "{df}");
}

#[test]
fn go_import_c_outside_the_main_graph_keeps_cgo_off() {
    let p = ok(&[
        GO_MOD,
        ("main.go", SERVE),
        ("tools/gen/gen.go", "package gen\n\nimport \"C\"\n"),
    ]);
    assert!(go(&p).cgo.is_none());
    assert_eq!(p.runtime.name, "distroless");
    assert!(dockerfile(&p).contains("CGO_ENABLED=0"));
}

#[test]
fn go_known_cgo_module_in_go_mod_turns_cgo_on() {
    let p = ok(&[
        (
            "go.mod",
            "module example.com/app\n\ngo 1.24\n\nrequire (\n\tgithub.com/confluentinc/confluent-kafka-go/v2 v2.6.0\n)\n",
        ),
        ("main.go", SERVE),
    ]);
    let why = go(&p).cgo.expect("cgo");
    assert!(why.contains("go.mod") && why.contains("line 6"), "{why}");
}

#[test]
fn go_cgo_with_a_static_runtime_chosen_is_refused_with_the_way_out() {
    let e = plan_with(
        &[
            (
                "go.mod",
                "module example.com/app\n\ngo 1.24\n\nrequire github.com/mattn/go-sqlite3 v1.14.28\n",
            ),
            ("main.go", SERVE),
        ],
        Choices {
            runtime: Some("scratch".into()),
            ..Choices::default()
        },
    )
    .unwrap_err();
    assert!(e.contains("cgo") && e.contains("--runtime glibc"), "{e}");
}

// ---------- Go: GOPRIVATE ----------

#[test]
fn go_goprivate_mounts_a_netrc_secret_never_an_arg() {
    let p = ok(&[
        GO_MOD,
        ("main.go", SERVE),
        (
            "Makefile",
            "# private modules\nexport GOPRIVATE := git.corp.example/*,github.com/acme\n",
        ),
    ]);
    let g = go(&p);
    assert_eq!(
        g.goprivate.as_deref(),
        Some("git.corp.example/*,github.com/acme")
    );
    let df = dockerfile(&p);
    assert_eq!(
        df.matches("GOPRIVATE='git.corp.example/*,github.com/acme'")
            .count(),
        2,
        "{df}"
    );
    assert_eq!(
        df.matches("--mount=type=secret,id=netrc,target=/root/.netrc")
            .count(),
        2,
        "{df}"
    );
    assert!(
        df.contains("docker build --secret id=netrc,src=$HOME/.netrc"),
        "{df}"
    );
    assert!(
        !df.contains("ARG NETRC") && !df.contains("ARG GOPRIVATE"),
        "{df}"
    );
}

#[test]
fn go_goprivate_from_a_workflow_and_bad_values_are_refused() {
    let p = ok(&[
        GO_MOD,
        ("main.go", SERVE),
        (
            ".github/workflows/ci.yml",
            "env:\n  GOPRIVATE: \"github.com/acme/*\"\n",
        ),
    ]);
    assert_eq!(go(&p).goprivate.as_deref(), Some("github.com/acme/*"));
    let e = plan_with(
        &[
            GO_MOD,
            ("main.go", SERVE),
            (".envrc", "export GOPRIVATE='a;b'\n"),
        ],
        Choices::default(),
    )
    .unwrap_err();
    assert!(e.contains(".envrc") && e.contains("line 1"), "{e}");
}

#[test]
fn go_without_goprivate_has_no_secret_mount() {
    let df = dockerfile(&ok(&[GO_MOD, ("main.go", SERVE)]));
    assert!(!df.contains("type=secret"), "{df}");
}

// ---------- Go: goreleaser ----------

#[test]
fn go_goreleaser_picks_main_binary_and_stamps() {
    let p = ok(&[
        GO_MOD,
        ("cmd/api/main.go", SERVE),
        ("cmd/worker/main.go", SERVE),
        (
            ".goreleaser.yaml",
            "builds:\n  - main: ./cmd/worker\n    binary: jobs\n    flags: [-tags=netgo]\n    ldflags:\n      - -s -w -X main.version={{.Version}} -X main.commit={{.Commit}} -X main.who={{.Env.USER}}\n",
        ),
    ]);
    let g = go(&p);
    assert_eq!(g.package, "./cmd/worker");
    assert_eq!(g.binary, "jobs");
    assert_eq!(g.tags, "netgo");
    assert_eq!(
        g.ldflags,
        "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT}"
    );
    assert!(
        p.warnings.iter().any(|w| w.contains("main.who")),
        "{:?}",
        p.warnings
    );
    assert!(
        p.notes
            .iter()
            .any(|n| n.contains(".goreleaser.yaml builds it")),
        "{:?}",
        p.notes
    );
    let df = dockerfile(&p);
    assert!(
        df.contains("ARG VERSION=dev") && df.contains("ARG COMMIT=unknown"),
        "{df}"
    );
    assert!(
        df.contains("-tags=netgo -ldflags=\"-s -w -X main.version=${VERSION}"),
        "{df}"
    );
    assert!(df.contains("/usr/local/bin/jobs"), "{df}");
}

#[test]
fn go_goreleaser_main_that_does_not_exist_is_a_warning() {
    let p = ok(&[
        GO_MOD,
        ("main.go", SERVE),
        (".goreleaser.yml", "builds:\n  - main: ./cmd/gone\n"),
    ]);
    assert_eq!(go(&p).package, ".");
    assert!(
        p.warnings.iter().any(|w| w.contains("cmd/gone")),
        "{:?}",
        p.warnings
    );
}

// ---------- Go: runtime files ----------

#[test]
fn go_dirs_read_at_runtime_are_copied_unless_embedded() {
    let files = [
        GO_MOD,
        (
            "main.go",
            "package main\n\nimport (\n\t\"html/template\"\n\t\"net/http\"\n)\n\nfunc main() {\n\ttemplate.Must(template.ParseGlob(\"templates/*.html\"))\n\thttp.Handle(\"/s/\", http.FileServer(http.Dir(\"./public\")))\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
        ),
        ("templates/a.html", "hi"),
        ("public/x.css", "x"),
    ];
    let p = ok(&files);
    let dirs: Vec<String> = go(&p).runtime_dirs.into_iter().map(|d| d.dir).collect();
    assert_eq!(dirs, ["templates", "public"]);
    let df = dockerfile(&p);
    assert!(
        df.contains("COPY templates/ /app/templates/") && df.contains("WORKDIR /app"),
        "{df}"
    );

    let mut embedded = files.to_vec();
    embedded.push((
        "embed.go",
        "package main\n\nimport \"embed\"\n\n//go:embed templates\nvar tpl embed.FS\n",
    ));
    let p = ok(&embedded);
    let dirs: Vec<String> = go(&p).runtime_dirs.into_iter().map(|d| d.dir).collect();
    assert_eq!(dirs, ["public"]);
}

// ---------- Loopback binds ----------

#[test]
fn go_loopback_default_from_env_is_set_to_any_address() {
    let p = ok(&[
        GO_MOD,
        (
            "main.go",
            "package main\n\nimport (\n\t\"net/http\"\n\t\"os\"\n)\n\nfunc main() {\n\taddr := os.Getenv(\"HTTP_ADDR\")\n\tif addr == \"\" {\n\t\taddr = \"127.0.0.1:8090\"\n\t}\n\thttp.ListenAndServe(addr, nil)\n}\n",
        ),
    ]);
    assert_eq!(p.env["HTTP_ADDR"].value, "0.0.0.0:8090");
    assert!(
        !p.warnings.iter().any(|w| w.contains("loopback")),
        "{:?}",
        p.warnings
    );
    assert!(dockerfile(&p).contains("ENV HTTP_ADDR=0.0.0.0:8090"));
}

#[test]
fn go_loopback_default_flag_is_passed_on_the_command_line() {
    let p = ok(&[
        GO_MOD,
        (
            "main.go",
            "package main\n\nimport (\n\t\"flag\"\n\t\"net/http\"\n)\n\nvar addr = flag.String(\"listen\", \"localhost:9000\", \"address\")\n\nfunc main() {\n\tflag.Parse()\n\thttp.ListenAndServe(*addr, nil)\n}\n",
        ),
    ]);
    let cmd = p.command.unwrap().value;
    assert_eq!(cmd[1..], ["-listen=0.0.0.0:9000"]);
}

#[test]
fn go_db_host_default_is_not_a_bind() {
    let p = ok(&[
        GO_MOD,
        (
            "main.go",
            "package main\n\nimport (\n\t\"net/http\"\n\t\"os\"\n)\n\nfunc main() {\n\th := os.Getenv(\"DB_HOST\")\n\tif h == \"\" { h = \"localhost\" }\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
        ),
    ]);
    assert!(p.env.is_empty(), "{:?}", p.env);
}

#[test]
fn go_hard_coded_loopback_is_warned_and_commented() {
    let p = ok(&[
        GO_MOD,
        (
            "main.go",
            "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.ListenAndServe(\"127.0.0.1:8080\", nil)\n}\n",
        ),
    ]);
    assert!(
        p.warnings.iter().any(|w| w.contains("loopback")),
        "{:?}",
        p.warnings
    );
    let df = dockerfile(&p);
    assert!(
        df.contains("# Warning: main.go:6 binds a loopback address"),
        "{df}"
    );
}

const CARGO: (&str, &str) = (
    "Cargo.toml",
    "[package]\nname = \"svc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
);

#[test]
fn rust_loopback_default_from_env_is_set_to_any_address() {
    let p = ok(&[
        CARGO,
        (
            "src/main.rs",
            "fn main() {\n    let addr = std::env::var(\"BIND_ADDR\")\n        .unwrap_or_else(|_| \"127.0.0.1:3000\".to_string());\n    let l = std::net::TcpListener::bind(addr).unwrap();\n}\n",
        ),
    ]);
    assert_eq!(p.env["BIND_ADDR"].value, "0.0.0.0:3000");
    assert!(dockerfile(&p).contains("ENV BIND_ADDR=0.0.0.0:3000"));
}

#[test]
fn rust_hard_coded_loopback_is_commented() {
    let p = ok(&[
        CARGO,
        (
            "src/main.rs",
            "fn main() {\n    let l = std::net::TcpListener::bind(\"127.0.0.1:3000\").unwrap();\n}\n",
        ),
    ]);
    let r: RustPlan = p.part("rust").unwrap();
    assert_eq!(r.loopback.as_deref(), Some("src/main.rs:2"));
    assert!(dockerfile(&p).contains("# Warning: src/main.rs:2 binds a loopback address"));
}

// ---------- Rust: sqlx ----------

const CARGO_SQLX: (&str, &str) = (
    "Cargo.toml",
    "[package]\nname = \"svc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nsqlx = \"0.8\"\n",
);

const SQLX_MAIN: (&str, &str) = (
    "src/main.rs",
    "fn main() {\n    // sqlx::query!(\"commented\")\n    let q = sqlx::query!(\"SELECT 1 AS one\");\n}\n",
);

#[test]
fn rust_sqlx_macros_without_offline_data_warn_and_comment() {
    let p = ok(&[CARGO_SQLX, SQLX_MAIN]);
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("src/main.rs:3") && w.contains("cargo sqlx prepare")),
        "{:?}",
        p.warnings
    );
    let df = dockerfile(&p);
    assert!(
        df.contains("cargo sqlx prepare") && !df.contains("SQLX_OFFLINE"),
        "{df}"
    );
}

#[test]
fn rust_sqlx_offline_data_sets_sqlx_offline() {
    let p = ok(&[CARGO_SQLX, SQLX_MAIN, (".sqlx/query-1.json", "{}")]);
    assert!(
        !p.warnings.iter().any(|w| w.contains("sqlx")),
        "{:?}",
        p.warnings
    );
    assert!(dockerfile(&p).contains("ENV SQLX_OFFLINE=true"));
}

// ---------- Rust: rust-toolchain.toml ----------

#[test]
fn rust_toolchain_components_and_targets_only_when_listed() {
    let toolchain = (
        "rust-toolchain.toml",
        "[toolchain]\nchannel = \"1.95\"\ncomponents = [\"clippy\", \"rust-src\"]\ntargets = [\"wasm32-unknown-unknown\"]\n",
    );
    let p = ok(&[CARGO, ("src/main.rs", "fn main() {}\n"), toolchain]);
    let r: RustPlan = p.part("rust").unwrap();
    assert_eq!(r.components, ["rust-src"]);
    assert_eq!(r.skipped_components, ["clippy"]);
    assert_eq!(r.targets, ["wasm32-unknown-unknown"]);
    let df = dockerfile(&p);
    assert!(df.contains("rustup component add rust-src"), "{df}");
    assert!(
        df.contains("rustup target add wasm32-unknown-unknown"),
        "{df}"
    );
    assert!(df.contains("RUSTUP_TOOLCHAIN=\"${tc%% *}\""), "{df}");

    let p = ok(&[CARGO, ("src/main.rs", "fn main() {}\n")]);
    let df = dockerfile(&p);
    assert!(
        !df.contains("rustup") && !df.contains("RUSTUP_TOOLCHAIN"),
        "{df}"
    );
}

// ---------- Rust: -sys crates (preset data `sys_crates`) ----------

const MAIN_RS: (&str, &str) = ("src/main.rs", "fn main() {}\n");

/// A Cargo.toml with these dependency lines and a Cargo.lock listing these packages.
fn cargo_with(deps: &str, lock: &[&str]) -> [(&'static str, String); 2] {
    let mut l = String::from("version = 4\n");
    for name in lock {
        l.push_str(&format!(
            "\n[[package]]\nname = \"{name}\"\nversion = \"1.0.0\"\n"
        ));
    }
    [
        (
            "Cargo.toml",
            format!(
                "[package]\nname = \"svc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n{deps}"
            ),
        ),
        ("Cargo.lock", l),
    ]
}

fn rust_plan(files: &[(&str, String)], runtime: Option<&str>) -> Result<Plan, String> {
    let mut all: Vec<(&str, &str)> = files.iter().map(|(p, c)| (*p, c.as_str())).collect();
    all.push(MAIN_RS);
    plan_with(
        &all,
        Choices {
            runtime: runtime.map(str::to_string),
            ..Choices::default()
        },
    )
}

#[test]
fn rust_system_sqlite_copies_its_library_into_distroless() {
    let files = cargo_with(
        "rusqlite = \"0.43\"\n",
        &["svc", "rusqlite", "libsqlite3-sys"],
    );
    let p = rust_plan(&files, None).unwrap();
    assert_eq!(p.runtime.name, "distroless");
    let r: RustPlan = p.part("rust").unwrap();
    assert_eq!(r.build_packages, ["pkg-config", "libsqlite3-dev"]);
    assert_eq!(r.copy_sonames, ["libsqlite3.so.0"]);
    assert!(r.runtime_packages.is_empty());
    assert_eq!(r.sys[0].evidence, "Cargo.lock, package libsqlite3-sys");
    let df = dockerfile(&p);
    assert!(
        df.contains("cp -a --parents /usr/lib/*-linux-gnu/libsqlite3.so.0* /out/libs/"),
        "{df}"
    );
    assert!(df.contains("COPY --from=build /out/libs/ /"), "{df}");
}

#[test]
fn rust_bundled_sqlite_needs_only_the_image_compiler() {
    for deps in [
        "rusqlite = { version = \"0.43\", features = [\"bundled\"] }\n",
        "sqlx = { version = \"0.8\", features = [\"sqlite\", \"runtime-tokio\"] }\n",
        "db = { package = \"rusqlite\", version = \"0.43\", features = [\"bundled-full\"] }\n",
    ] {
        let files = cargo_with(deps, &["svc", "libsqlite3-sys"]);
        let p = rust_plan(&files, None).unwrap();
        let r: RustPlan = p.part("rust").unwrap();
        assert!(
            r.build_packages.is_empty(),
            "{deps}: {:?}",
            r.build_packages
        );
        assert!(
            r.copy_libs.is_empty() && r.runtime_packages.is_empty(),
            "{deps}"
        );
        assert!(
            r.sys[0].what.contains("dependencies.") && r.sys[0].what.contains("feature `"),
            "{deps}: the feature is the evidence: {}",
            r.sys[0].what
        );
        assert_eq!(p.runtime.name, "distroless");
    }
    // A non-default feature that would bundle it does not count; `default` does.
    let files = cargo_with(
        "rusqlite = \"0.43\"\n\n[features]\ndefault = [\"rusqlite/bundled\"]\n",
        &["svc", "libsqlite3-sys"],
    );
    let r: RustPlan = rust_plan(&files, None).unwrap().part("rust").unwrap();
    assert!(r.build_packages.is_empty(), "{:?}", r.build_packages);
    assert!(
        r.sys[0].what.contains("features.default"),
        "{}",
        r.sys[0].what
    );
}

#[test]
fn rust_libpq_moves_to_debian_slim_with_apt_and_a_numeric_user() {
    let files = cargo_with(
        "diesel = { version = \"2.2\", features = [\"postgres\"] }\n",
        &["svc", "diesel", "pq-sys"],
    );
    let p = rust_plan(&files, None).unwrap();
    assert_eq!(p.runtime.name, "slim");
    assert!(
        p.notes
            .iter()
            .any(|n| n.contains("libpq5") && n.contains("pq-sys")),
        "{:?}",
        p.notes
    );
    let r: RustPlan = p.part("rust").unwrap();
    assert_eq!(r.build_packages, ["pkg-config", "libpq-dev"]);
    assert_eq!(r.runtime_packages, ["libpq5"]);
    let df = dockerfile(&p);
    assert!(df.contains("FROM debian:trixie-slim AS runtime"), "{df}");
    assert!(
        df.contains("apt-get install -y --no-install-recommends libpq5"),
        "{df}"
    );
    assert!(df.contains("useradd --system --uid 10001"), "{df}");
    assert!(df.contains("USER 10001:10001"), "{df}");

    // Chosen explicitly, distroless is refused with the way out.
    let e = rust_plan(&files, Some("distroless")).unwrap_err();
    assert!(e.contains("libpq5") && e.contains("--runtime slim"), "{e}");
    // pq-sys built from source needs nothing at run time.
    let files = cargo_with(
        "pq-sys = { version = \"0.7\", features = [\"bundled\"] }\n",
        &["svc", "pq-sys"],
    );
    let p = rust_plan(&files, None).unwrap();
    assert_eq!(p.runtime.name, "distroless");
}

#[test]
fn rust_openssl_is_in_distroless_cc_and_vendored_needs_make_and_perl() {
    let files = cargo_with("openssl = \"0.10\"\n", &["svc", "openssl", "openssl-sys"]);
    let p = rust_plan(&files, None).unwrap();
    let r: RustPlan = p.part("rust").unwrap();
    assert_eq!(r.build_packages, ["pkg-config", "libssl-dev"]);
    assert_eq!(r.provided, ["libssl3t64", "ca-certificates"]);
    assert!(r.copy_libs.is_empty());
    assert!(dockerfile(&p).contains("this image has them"));
    // On Debian slim, apt installs them (and the CA certificates).
    let p = rust_plan(&files, Some("slim")).unwrap();
    let r: RustPlan = p.part("rust").unwrap();
    assert_eq!(r.runtime_packages, ["libssl3t64", "ca-certificates"]);

    let files = cargo_with(
        "openssl = { version = \"0.10\", features = [\"vendored\"] }\n",
        &["svc", "openssl", "openssl-sys", "openssl-src"],
    );
    let r: RustPlan = rust_plan(&files, None).unwrap().part("rust").unwrap();
    assert_eq!(r.build_packages, ["make", "perl"]);
    assert!(r.provided.is_empty());
}

#[test]
fn rust_build_modes_follow_features_in_table_order() {
    // rdkafka: dynamic-linking > cmake-build > the crate's ./configure build.
    let cases = [
        ("rdkafka = \"0.39\"\n", vec!["make", "g++"], "distroless"),
        (
            "rdkafka = { version = \"0.39\", features = [\"cmake-build\"] }\n",
            vec!["cmake", "g++"],
            "distroless",
        ),
        (
            "rdkafka = { version = \"0.39\", features = [\"cmake-build\", \"dynamic-linking\"] }\n",
            vec!["pkg-config", "librdkafka-dev"],
            "slim",
        ),
    ];
    for (deps, build, runtime) in cases {
        let files = cargo_with(deps, &["svc", "rdkafka", "rdkafka-sys"]);
        let p = rust_plan(&files, None).unwrap();
        let r: RustPlan = p.part("rust").unwrap();
        assert_eq!(r.build_packages, build, "{deps}");
        assert_eq!(p.runtime.name, runtime, "{deps}");
    }
    // zstd-sys and libz-sys compile their bundled sources unless told otherwise;
    // curl-sys builds its own libcurl.
    let files = cargo_with(
        "zstd = \"0.13\"\n",
        &["svc", "zstd-sys", "libz-sys", "curl-sys"],
    );
    let r: RustPlan = rust_plan(&files, None).unwrap().part("rust").unwrap();
    assert!(r.build_packages.is_empty(), "{:?}", r.build_packages);
    assert_eq!(r.sys.len(), 3);
    let files = cargo_with(
        "zstd = { version = \"0.13\", features = [\"pkg-config\"] }\n",
        &["svc", "zstd-sys"],
    );
    let r: RustPlan = rust_plan(&files, None).unwrap().part("rust").unwrap();
    assert_eq!(r.build_packages, ["pkg-config", "libzstd-dev"]);
    assert_eq!(r.provided, ["libzstd1"], "distroless cc has libzstd");
}

#[test]
fn rust_lockfile_decides_over_manifest_dependencies() {
    // rusqlite in Cargo.toml, but not in Cargo.lock (a feature-gated,
    // never-built dependency): nothing to install.
    let files = cargo_with("rusqlite = \"0.43\"\n", &["svc"]);
    let r: RustPlan = rust_plan(&files, None).unwrap().part("rust").unwrap();
    assert!(r.sys.is_empty() && r.build_packages.is_empty());
}

// ---------- Rust: the static (musl) runtime ----------

#[test]
fn rust_static_builds_for_musl_on_distroless_static() {
    let files = cargo_with("", &["svc"]);
    let p = rust_plan(&files, Some("static")).unwrap();
    assert_eq!(p.runtime.image, "gcr.io/distroless/static-debian13:nonroot");
    let r: RustPlan = p.part("rust").unwrap();
    assert!(r.musl.as_ref().is_some_and(|m| m.cc.is_none()));
    assert!(r.build_packages.is_empty());
    let df = dockerfile(&p);
    assert!(
        df.contains("rustup target add \"$(uname -m)-unknown-linux-musl\""),
        "{df}"
    );
    assert!(df.contains("--target \"$target\""), "{df}");
    assert!(!df.contains("apt-get"), "{df}");
    // A build script that compiles C (bundled SQLite) gets musl-gcc.
    let files = cargo_with(
        "rusqlite = { version = \"0.43\", features = [\"bundled\"] }\n",
        &["svc", "libsqlite3-sys", "cc"],
    );
    let r: RustPlan = rust_plan(&files, Some("static"))
        .unwrap()
        .part("rust")
        .unwrap();
    assert_eq!(r.build_packages, ["musl-tools"]);
    assert_eq!(
        r.musl.unwrap().cc.as_deref(),
        Some("Cargo.lock, package cc")
    );
}

#[test]
fn rust_static_is_refused_for_shared_libraries_and_cplusplus() {
    for (deps, lock, needle) in [
        (
            "rusqlite = \"0.43\"\n",
            vec!["svc", "libsqlite3-sys"],
            "libsqlite3-0",
        ),
        (
            "openssl = \"0.10\"\n",
            vec!["svc", "openssl-sys"],
            "libssl3t64",
        ),
        ("rdkafka = \"0.39\"\n", vec!["svc", "rdkafka-sys"], "C++"),
    ] {
        let files = cargo_with(deps, &lock);
        let e = rust_plan(&files, Some("static")).unwrap_err();
        assert!(e.contains("static") && e.contains(needle), "{deps}: {e}");
        assert!(
            e.contains("Cargo.lock, package"),
            "{deps}: the evidence: {e}"
        );
    }
    // Vendored OpenSSL is compiled in: static works.
    let files = cargo_with(
        "openssl = { version = \"0.10\", features = [\"vendored\"] }\n",
        &["svc", "openssl-sys", "cc"],
    );
    let r: RustPlan = rust_plan(&files, Some("static"))
        .unwrap()
        .part("rust")
        .unwrap();
    assert_eq!(r.build_packages, ["make", "perl", "musl-tools"]);
}
