//! Detection rules of the static-site and Deno ecosystems, each on a small
//! project, with the rendered files where the rule shows up there.

mod common;

use common::project;
use dfgen::assets::Assets;
use dfgen::ecosystems::deno::DenoPlan;
use dfgen::ecosystems::static_site::StaticPlan;
use dfgen::pipeline::{self, Planned};
use dfgen::plan::Choices;
use dfgen::render::Renderer;

fn plan_with(files: &[(&str, &str)], choices: Choices) -> Result<Planned, String> {
    let dir = project(files);
    pipeline::plan(dir.path(), &choices, &Assets::default()).map_err(|e| e.to_string())
}

fn ok(files: &[(&str, &str)]) -> Planned {
    plan_with(files, Choices::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn err(files: &[(&str, &str)]) -> String {
    match plan_with(files, Choices::default()) {
        Ok(p) => panic!("expected an error, got a {} plan", p.plan.preset),
        Err(e) => e,
    }
}

/// The rendered file at `path`.
fn rendered(p: &Planned, path: &str) -> String {
    Renderer::new(&Assets::default())
        .unwrap()
        .render(&p.plan)
        .unwrap()
        .into_iter()
        .find(|o| o.path == path)
        .unwrap_or_else(|| panic!("no {path}"))
        .content
}

fn site(p: &Planned) -> StaticPlan {
    p.plan.part("static").expect("a static section")
}

fn deno(p: &Planned) -> DenoPlan {
    p.plan.part("deno").expect("a deno section")
}

fn command(p: &Planned) -> Vec<String> {
    p.plan.command.as_ref().expect("a command").value.clone()
}

const INDEX: &str = "<!doctype html>\n<title>x</title>\n<p>hello</p>\n";

// ---------- static sites ----------

#[test]
fn site_folder_is_served_alone_with_plain_404s() {
    let p = ok(&[
        ("public/index.html", INDEX),
        ("public/css/site.css", "p{}"),
        ("README.md", "# x"),
    ]);
    assert_eq!(p.plan.preset, "static");
    assert_eq!(p.plan.runtime.user, 101);
    assert_eq!(p.plan.port.as_ref().unwrap().value, 8080);
    let s = site(&p);
    assert_eq!(s.dir, "public");
    assert_eq!(s.fallback, None);
    let df = rendered(&p, "Dockerfile");
    assert!(df.contains("COPY public/ /usr/share/nginx/html/"), "{df}");
    assert!(
        df.contains("USER 101:101") && df.contains("EXPOSE 8080"),
        "{df}"
    );
    assert!(!df.contains("COPY . "), "{df}");
    let conf = rendered(&p, "nginx.conf");
    assert!(conf.contains("try_files $uri $uri/ =404;"), "{conf}");
    assert!(!conf.contains("/index.html;"), "{conf}");
    let ignore = rendered(&p, ".dockerignore");
    let lines: Vec<&str> = ignore.lines().collect();
    assert!(lines.contains(&"*") && lines.contains(&"!public") && lines.contains(&"!nginx.conf"));
    assert!(
        lines.contains(&"**/.env") && lines.contains(&"**/*.pem"),
        "{ignore}"
    );
    // The allow-list comes first: a later `*` would undo it.
    let star = lines.iter().position(|l| *l == "*").unwrap();
    assert!(lines.iter().position(|l| *l == "!public").unwrap() > star);
}

#[test]
fn site_folders_in_order() {
    for dir in ["site", "www", "docs"] {
        let p = ok(&[(&format!("{dir}/index.html") as &str, INDEX)]);
        assert_eq!(site(&p).dir, dir);
    }
    // The root wins over a folder.
    let p = ok(&[("index.html", INDEX), ("public/index.html", INDEX)]);
    assert_eq!(site(&p).dir, ".");
}

#[test]
fn root_site_copies_only_its_own_entries() {
    let p = ok(&[
        ("index.html", INDEX),
        ("style.css", "p{}"),
        ("img/logo.svg", "<svg/>"),
        ("README.md", "# x"),
        ("LICENSE", "MIT"),
        (
            "package.json",
            r#"{"name":"x","devDependencies":{"prettier":"3"}}"#,
        ),
        ("my page.html", INDEX),
        ("tests/a.spec.js", "x"),
        (".env", "SECRET=1"),
    ]);
    assert_eq!(
        p.plan.preset, "static",
        "package.json without a build is tooling"
    );
    let s = site(&p);
    assert_eq!(s.root_files, ["index.html", "style.css"]);
    assert_eq!(s.root_dirs, ["img"]);
    let df = rendered(&p, "Dockerfile");
    assert!(
        df.contains("COPY index.html style.css /usr/share/nginx/html/"),
        "{df}"
    );
    assert!(df.contains("COPY img/ /usr/share/nginx/html/img/"), "{df}");
    let ignore = rendered(&p, ".dockerignore");
    for l in ["!index.html", "!style.css", "!img"] {
        assert!(ignore.lines().any(|x| x == l), "{l}: {ignore}");
    }
    assert!(!ignore.contains("!README.md") && !ignore.contains("!package.json"));
    let notes = p.plan.notes.join("\n");
    assert!(
        notes.contains("README.md") && notes.contains("my page.html"),
        "{notes}"
    );
}

#[test]
fn spa_fallback_only_with_router_evidence() {
    let p = ok(&[
        ("public/index.html", INDEX),
        ("public/_redirects", "# spa\n/*    /index.html   200\n"),
    ]);
    let s = site(&p);
    assert_eq!(s.fallback.as_deref(), Some("index.html"));
    assert!(s.spa_evidence.unwrap().contains("_redirects, line 2"));
    let conf = rendered(&p, "nginx.conf");
    assert!(conf.contains("try_files $uri $uri/ /index.html;"), "{conf}");

    // A redirect (301) is not a rewrite.
    let p = ok(&[
        ("public/index.html", INDEX),
        ("public/_redirects", "/old /new 301\n/* /index.html 301\n"),
    ]);
    assert_eq!(site(&p).fallback, None);

    let p = ok(&[("index.html", INDEX), ("200.html", INDEX)]);
    assert_eq!(site(&p).fallback.as_deref(), Some("200.html"));

    let p = ok(&[(
        "index.html",
        "<html>\n<script type=\"module\">\nimport { createRouter } from \"https://esm.sh/vue-router@4\";\n</script>\n",
    )]);
    let s = site(&p);
    assert_eq!(s.fallback.as_deref(), Some("index.html"));
    assert!(s.spa_evidence.unwrap().contains("index.html, line 3"));

    // A router named in prose is not a router loaded by the page.
    let p = ok(&[("index.html", "<p>We use react-router at work</p>\n")]);
    assert_eq!(site(&p).fallback, None);
}

#[test]
fn custom_404_page() {
    let p = ok(&[("www/index.html", INDEX), ("www/404.html", INDEX)]);
    assert_eq!(site(&p).not_found.as_deref(), Some("404.html"));
    assert!(rendered(&p, "nginx.conf").contains("error_page 404 /404.html;"));
}

#[test]
fn any_other_runnable_app_wins_over_a_static_site() {
    let p = ok(&[
        ("go.mod", "module example.com/x\n\ngo 1.24\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        ("docs/index.html", INDEX),
    ]);
    assert_eq!(p.plan.preset, "go");
    let p = ok(&[
        (
            "package.json",
            r#"{"name":"x","scripts":{"start":"node server.js"},"dependencies":{"express":"4"}}"#,
        ),
        ("server.js", "require('express')().listen(3000)\n"),
        ("public/index.html", INDEX),
    ]);
    assert_eq!(p.plan.preset, "node");
    // A library (not runnable) next to its docs site: the site is what runs.
    let p = ok(&[
        ("go.mod", "module example.com/lib\n\ngo 1.24\n"),
        ("lib.go", "package lib\n"),
        ("docs/index.html", INDEX),
    ]);
    assert_eq!(p.plan.preset, "static");
}

#[test]
fn a_built_front_end_is_not_served_as_source() {
    let p = ok(&[
        (
            "package.json",
            r#"{"name":"x","scripts":{"build":"vite build"},"devDependencies":{"vite":"7"}}"#,
        ),
        (
            "index.html",
            "<script type=\"module\" src=\"/src/main.js\"></script>\n",
        ),
        ("src/main.js", "console.log(1)\n"),
    ]);
    assert_eq!(p.plan.preset, "node-static");
    let e = plan_with(
        &[
            ("package.json", r#"{"name":"x","scripts":{"build":"make"}}"#),
            ("index.html", INDEX),
        ],
        Choices {
            preset: Some("static".into()),
            ..Choices::default()
        },
    )
    .unwrap_err();
    assert!(
        e.contains("source of a build") && e.contains("package.json"),
        "{e}"
    );
}

#[test]
fn nothing_found_no_longer_calls_deno_or_sites_unsupported() {
    let e = err(&[("README.md", "# x"), ("build.sbt", "name := \"x\"")]);
    assert!(e.contains("not supported yet"), "{e}");
    assert!(e.contains("index.html") && e.contains("deno.json"), "{e}");
    let e = err(&[("deno.json", "{}"), ("README.md", "# x")]);
    assert!(!e.contains("not supported"), "{e}");
    assert!(e.contains("deno.json") && e.contains("a library?"), "{e}");
}

// ---------- Deno ----------

const SERVER_TS: &str = "const port = Number(Deno.env.get(\"PORT\") ?? \"8000\");\n\nDeno.serve({ port }, () => new Response(\"hi\"));\n";

#[test]
fn deno_start_task_flags_exactly() {
    let p = ok(&[
        (
            "deno.json",
            r#"{"tasks":{"start":"deno run --allow-net --allow-env=PORT --watch main.ts"}}"#,
        ),
        ("deno.lock", r#"{"version":"5"}"#),
        ("main.ts", SERVER_TS),
    ]);
    assert_eq!(p.plan.preset, "deno");
    assert_eq!(
        command(&p),
        [
            "deno",
            "run",
            "--vendor",
            "--cached-only",
            "--allow-net",
            "--allow-env=PORT",
            "main.ts"
        ]
    );
    assert!(!command(&p).iter().any(|a| a == "-A" || a == "--allow-all"));
    assert!(p.plan.notes.iter().any(|n| n.contains("--watch")));
    assert_eq!(p.plan.port.as_ref().unwrap().value, 8000);
    assert!(p.plan.port_env, "Deno.env.get(\"PORT\") is a PORT read");
    let d = deno(&p);
    assert_eq!(d.lockfile.as_deref(), Some("deno.lock"));
    let df = rendered(&p, "Dockerfile");
    assert!(df.contains("COPY deno.json deno.lock ./"), "{df}");
    assert!(df.contains("deno install --frozen --vendor\n"), "{df}");
    assert!(
        df.contains("deno install --entrypoint main.ts --frozen --vendor"),
        "{df}"
    );
    assert!(df.contains("--mount=type=cache,target=/deno-dir"), "{df}");
    assert!(df.contains("USER 1993:1993"), "{df}");
    assert!(df.contains("ENTRYPOINT [\"/tini\", \"--\"]"), "{df}");
    assert!(!df.contains("# syntax"), "{df}");
}

#[test]
fn deno_allow_all_only_when_the_task_says_so() {
    let p = ok(&[
        (
            "deno.json",
            r#"{"tasks":{"start":"deno run -A server.ts --verbose"},"imports":{"ms":"npm:ms@2"}}"#,
        ),
        ("server.ts", SERVER_TS),
    ]);
    let c = command(&p);
    assert_eq!(&c[c.len() - 3..], ["-A", "server.ts", "--verbose"]);
    assert!(p.plan.warnings.iter().any(|w| w.contains("no deno.lock")));
    let df = rendered(&p, "Dockerfile");
    assert!(df.contains("COPY deno.json ./"), "{df}");
    assert!(!df.contains("--frozen"), "{df}");
}

#[test]
fn deno_jsonc_with_comments_and_task_object() {
    let p = ok(&[
        (
            "deno.jsonc",
            "{\n  // how it runs\n  \"tasks\": {\n    \"start\": { \"command\": \"deno run -N src/app.ts\", \"description\": \"x\" }, /* trailing */\n  },\n}\n",
        ),
        ("src/app.ts", SERVER_TS),
    ]);
    assert_eq!(deno(&p).entry, "src/app.ts");
    assert!(command(&p).contains(&"-N".to_string()));
    assert!(rendered(&p, "Dockerfile").contains("COPY deno.jsonc ./"));
}

#[test]
fn deno_malformed_config_names_file_and_line() {
    let e = err(&[
        ("deno.json", "{\n  \"tasks\": {\n    \"start\": \n  }\n}\n"),
        ("main.ts", SERVER_TS),
    ]);
    assert!(e.contains("deno.json") && e.contains("line"), "{e}");
}

#[test]
fn deno_permissions_from_sources_without_a_task() {
    let p = ok(&[
        ("deno.json", r#"{"imports":{}}"#),
        (
            "main.ts",
            "// fetch( in a comment does not count\nconst t = await Deno.readTextFile(\"./x.txt\");\nDeno.serve(() => new Response(t));\n",
        ),
    ]);
    let c = command(&p);
    assert!(c.contains(&"--allow-net".to_string()) && c.contains(&"--allow-read".to_string()));
    assert!(!c.contains(&"--allow-env".to_string()), "{c:?}");
    assert!(!c.contains(&"-A".to_string()));
    let port = p.plan.port.as_ref().unwrap();
    assert_eq!(port.value, 8000);
    assert!(
        port.evidence.to_string().contains("main.ts"),
        "{}",
        port.evidence
    );
    assert!(p.plan.notes.iter().any(|n| n.contains("main.ts, line 3")));
}

#[test]
fn deno_version_from_dvmrc_and_tool_versions() {
    let p = ok(&[
        ("deno.json", "{}"),
        (".dvmrc", "v2.1.4\n"),
        ("main.ts", SERVER_TS),
    ]);
    assert_eq!(p.plan.version.tag, "2.1.4");
    assert!(p.plan.version.reason.contains(".dvmrc"));
    let p = ok(&[
        ("deno.json", "{}"),
        (".tool-versions", "nodejs 22.1.0\ndeno 2.2.0\n"),
        ("main.ts", SERVER_TS),
    ]);
    assert_eq!(p.plan.version.tag, "2.2.0");
    let p = ok(&[("deno.json", "{}"), ("main.ts", SERVER_TS)]);
    assert_eq!(p.plan.version.tag, "2.9.6");
    let e = err(&[
        ("deno.json", "{}"),
        (".dvmrc", "latest\n"),
        ("main.ts", SERVER_TS),
    ]);
    assert!(e.contains(".dvmrc"), "{e}");
}

#[test]
fn deno_serve_and_its_port() {
    let p = ok(&[
        (
            "deno.json",
            r#"{"tasks":{"start":"deno serve --port 3000 -N main.ts"}}"#,
        ),
        (
            "main.ts",
            "export default { fetch() { return new Response(\"hi\"); } };\n",
        ),
    ]);
    let c = command(&p);
    assert_eq!(c[1], "serve");
    assert_eq!(p.plan.port.as_ref().unwrap().value, 3000);
}

#[test]
fn deno_loopback_bind_warns() {
    let p = ok(&[
        ("deno.json", r#"{"tasks":{"start":"deno run -N main.ts"}}"#),
        (
            "main.ts",
            "Deno.serve({ hostname: \"127.0.0.1\", port: 8080 }, () => new Response(\"x\"));\n",
        ),
    ]);
    assert!(
        p.plan.warnings.iter().any(|w| w.contains("loopback")),
        "{:?}",
        p.plan.warnings
    );
}

#[test]
fn deno_deployment_file_outranks_the_task() {
    let p = ok(&[
        ("deno.json", r#"{"tasks":{"start":"deno run -A main.ts"}}"#),
        ("Procfile", "web: deno run --allow-net server.ts\n"),
        ("main.ts", SERVER_TS),
        ("server.ts", SERVER_TS),
    ]);
    let c = command(&p);
    assert_eq!(c.last().unwrap(), "server.ts");
    assert!(!c.contains(&"-A".to_string()));
}

#[test]
fn deno_remote_entry_is_refused_with_the_field() {
    let e = err(&[(
        "deno.json",
        r#"{"tasks":{"start":"deno run -A jsr:@std/http/file-server"}}"#,
    )]);
    assert!(
        e.contains("deno.json") && e.contains("remote module"),
        "{e}"
    );
}

#[test]
fn deno_distroless_runs_deno_as_entrypoint() {
    let p = plan_with(
        &[
            ("deno.json", r#"{"tasks":{"start":"deno run -N main.ts"}}"#),
            ("main.ts", SERVER_TS),
        ],
        Choices {
            runtime: Some("distroless".into()),
            ..Choices::default()
        },
    )
    .unwrap();
    let df = rendered(&p, "Dockerfile");
    assert!(
        df.contains("FROM denoland/deno:distroless-${DENO_VERSION} AS runtime"),
        "{df}"
    );
    assert!(
        df.contains(
            "ENTRYPOINT [\"deno\", \"run\", \"--vendor\", \"--cached-only\", \"-N\", \"main.ts\"]"
        ),
        "{df}"
    );
    assert!(!df.contains("tini"), "{df}");
}

#[test]
fn deno_and_node_in_one_project_ask_for_a_choice() {
    // A deno.json next to a runnable Node server: both are apps.
    let e = err(&[
        ("deno.json", r#"{"tasks":{"start":"deno run -N main.ts"}}"#),
        ("main.ts", SERVER_TS),
        (
            "package.json",
            r#"{"name":"x","scripts":{"start":"node server.js"}}"#,
        ),
        ("server.js", "require('http').createServer().listen(3000)\n"),
    ]);
    assert!(
        e.contains("more than one kind of app") && e.contains("deno"),
        "{e}"
    );
}

#[test]
fn deno_without_start_task_uses_the_dev_task_flags_not_guesses() {
    // Real projects often have only `dev`: its flags (FFI, unstable APIs) are
    // what the app needs; its --watch and --env are for development.
    let p = ok(&[
        (
            "deno.json",
            r#"{"tasks":{"dev":"deno run --allow-net --allow-ffi --env --watch --unstable-cron server.ts","check":"deno check ."}}"#,
        ),
        ("server.ts", SERVER_TS),
    ]);
    let c = command(&p);
    assert_eq!(
        &c[4..],
        ["--allow-net", "--allow-ffi", "--unstable-cron", "server.ts"]
    );
    assert!(
        p.plan
            .command
            .as_ref()
            .unwrap()
            .evidence
            .to_string()
            .contains("tasks.dev")
    );
    // `start` wins over `dev`, and a task that runs another is followed.
    let p = ok(&[
        (
            "deno.json",
            r#"{"tasks":{"start":"deno task serve","serve":"deno run -N main.ts","dev":"deno run -A --watch main.ts"}}"#,
        ),
        ("main.ts", SERVER_TS),
    ]);
    let c = command(&p);
    assert_eq!(&c[4..], ["-N", "main.ts"]);
    assert!(
        p.plan
            .command
            .as_ref()
            .unwrap()
            .evidence
            .to_string()
            .contains("tasks.serve")
    );
}

#[test]
fn deno_lockfile_warning_only_with_dependencies() {
    let p = ok(&[("deno.json", "{}"), ("main.ts", SERVER_TS)]);
    assert!(
        !p.plan.warnings.iter().any(|w| w.contains("deno.lock")),
        "{:?}",
        p.plan.warnings
    );
    let p = ok(&[
        ("deno.json", r#"{"imports":{"ms":"npm:ms@2"}}"#),
        ("main.ts", SERVER_TS),
    ]);
    assert!(p.plan.warnings.iter().any(|w| w.contains("no deno.lock")));
}

#[test]
fn deno_build_task_runs_in_the_builder() {
    let p = ok(&[
        (
            "deno.json",
            r#"{"tasks":{"build":"deno task gen","gen":"deno run -A gen.ts","start":"deno run -N main.ts"}}"#,
        ),
        ("main.ts", SERVER_TS),
        ("gen.ts", "console.log(1)\n"),
    ]);
    let d = deno(&p);
    let why = d.build.expect("a build step");
    assert!(why.contains("`tasks.build` -> `tasks.gen`"), "{why}");
    let df = rendered(&p, "Dockerfile");
    assert!(df.contains(" && deno task build\n"), "{df}");
    // The build runs after the sources are there, in the builder only.
    assert!(df.find("deno task build").unwrap() > df.find("COPY . .").unwrap());
    assert!(df.find("deno task build").unwrap() < df.find("AS runtime").unwrap());
    let p = ok(&[
        ("deno.json", r#"{"tasks":{"start":"deno run -N main.ts"}}"#),
        ("main.ts", SERVER_TS),
    ]);
    assert!(!rendered(&p, "Dockerfile").contains("deno task"));
}

#[test]
fn several_site_folders_by_rule_or_main() {
    let files: &[(&str, &str)] = &[
        ("public/index.html", INDEX),
        ("docs/index.html", INDEX),
        ("docs/_redirects", "/* /index.html 200\n"),
    ];
    let p = ok(files);
    assert_eq!(site(&p).dir, "public");
    let notes = p.plan.notes.join("\n");
    assert!(
        notes.contains("also found docs") && notes.contains("--main"),
        "{notes}"
    );
    assert_eq!(p.detected.programs().len(), 2);
    let p = plan_with(
        files,
        Choices {
            main: Some("docs/".into()),
            ..Choices::default()
        },
    )
    .unwrap();
    let s = site(&p);
    assert_eq!(s.dir, "docs");
    assert_eq!(
        s.fallback.as_deref(),
        Some("index.html"),
        "docs/ has its own _redirects"
    );
    let e = plan_with(
        files,
        Choices {
            main: Some("www".into()),
            ..Choices::default()
        },
    )
    .unwrap_err();
    assert!(e.contains("www") && e.contains("public, docs"), "{e}");
}
