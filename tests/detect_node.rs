//! Node detection rules added with the framework breadth work: Next.js output
//! modes, dev-command start scripts, chained build steps, a `main` that does not exist.

mod common;

use common::project;
use dfgen::assets::Assets;
use dfgen::ecosystems::node::NodePlan;
use dfgen::pipeline::{self, Planned};
use dfgen::plan::{Choices, Plan};

fn plan(files: &[(&str, &str)]) -> Result<Planned, String> {
    let dir = project(files);
    pipeline::plan(dir.path(), &Choices::default(), &Assets::default()).map_err(|e| e.to_string())
}

fn ok(files: &[(&str, &str)]) -> Plan {
    plan(files).unwrap_or_else(|e| panic!("{e}")).plan
}

const NEXT_PKG: &str = r#"{"scripts":{"dev":"next dev","build":"next build","start":"next start"},
  "dependencies":{"next":"16.0.0","react":"19.0.0","react-dom":"19.0.0"}}"#;

#[test]
fn next_standalone_runs_server_js_with_hostname_and_only_the_standalone_output() {
    let p = ok(&[
        ("package.json", NEXT_PKG),
        (
            "next.config.mjs",
            "export default {\n  // output: 'export',\n  output: 'standalone',\n};\n",
        ),
        ("public/robots.txt", ""),
        (
            "app/page.tsx",
            "export default () => <p>{process.env.NEXT_PUBLIC_API_URL}</p>;",
        ),
    ]);
    assert_eq!(p.shape, "server-build");
    assert_eq!(p.command.as_ref().unwrap().value, vec!["node", "server.js"]);
    assert!(
        p.command
            .as_ref()
            .unwrap()
            .evidence
            .to_string()
            .contains("line 3")
    );
    assert_eq!(p.env["HOSTNAME"].value, "0.0.0.0");
    assert_eq!(p.env["NEXT_TELEMETRY_DISABLED"].value, "1");
    assert_eq!(p.port.as_ref().unwrap().value, 3000);
    assert!(p.port_env);
    let n = p.part::<NodePlan>("node").unwrap();
    assert!(!n.prod_deps, "standalone carries its own node_modules");
    let copies: Vec<_> = n
        .copies
        .iter()
        .map(|c| (c.from.as_str(), c.to.as_str()))
        .collect();
    assert_eq!(
        copies,
        vec![
            (".next/standalone", "."),
            (".next/static", ".next/static"),
            ("public", "public")
        ]
    );
    assert_eq!(n.build_cache, vec![".next/cache"]);
    assert_eq!(
        n.build_args,
        vec![(
            "NEXT_PUBLIC_API_URL".to_string(),
            "app/page.tsx".to_string()
        )]
    );
}

#[test]
fn next_without_output_uses_next_start_from_the_production_install() {
    let p = ok(&[
        ("package.json", NEXT_PKG),
        ("next.config.js", "module.exports = {};\n"),
    ]);
    assert_eq!(
        p.command.as_ref().unwrap().value,
        vec!["node", "node_modules/next/dist/bin/next", "start"]
    );
    assert!(!p.env.contains_key("HOSTNAME"));
    let n = p.part::<NodePlan>("node").unwrap();
    assert!(n.prod_deps);
    let froms: Vec<_> = n.copies.iter().map(|c| c.from.as_str()).collect();
    assert_eq!(froms, vec![".next", "next.config.js"], "no public/ here");
    // No config at all, only the build script: still Next.
    let p = ok(&[("package.json", NEXT_PKG)]);
    assert_eq!(p.command.as_ref().unwrap().value[2], "start");
}

#[test]
fn next_export_is_a_static_site_from_out() {
    let p = ok(&[
        ("package.json", NEXT_PKG),
        (
            "next.config.ts",
            "const c: NextConfig = { output: \"export\" };\nexport default c;\n",
        ),
    ]);
    assert_eq!(p.preset, "node-static");
    let n = p.part::<NodePlan>("node").unwrap();
    assert_eq!(n.output_dir.as_deref(), Some("out"));
    assert_eq!(n.build_env[0].0, "NEXT_TELEMETRY_DISABLED");
}

#[test]
fn next_unknown_output_mode_is_an_error_naming_file_and_line() {
    let e = plan(&[
        ("package.json", NEXT_PKG),
        (
            "next.config.js",
            "module.exports = {\n  output: 'serverless',\n};\n",
        ),
    ])
    .unwrap_err();
    assert!(
        e.contains("next.config.js") && e.contains("line 2") && e.contains("serverless"),
        "{e}"
    );
}

#[test]
fn dev_runners_in_start_name_the_file_node_runs() {
    let p = ok(&[
        (
            "package.json",
            r#"{"scripts":{"start":"nodemon --watch src server.js"}}"#,
        ),
        ("server.js", ""),
    ]);
    assert_eq!(p.command.as_ref().unwrap().value, vec!["node", "server.js"]);
    assert!(
        p.command
            .as_ref()
            .unwrap()
            .evidence
            .to_string()
            .contains("development tool")
    );
    // ts-node on a TypeScript entry: its compiled output under outDir.
    let p = ok(&[
        (
            "package.json",
            r#"{"scripts":{"build":"tsc","start":"ts-node src/index.ts"},"devDependencies":{"typescript":"5"}}"#,
        ),
        ("tsconfig.json", r#"{"compilerOptions":{"outDir":"dist"}}"#),
        ("src/index.ts", ""),
    ]);
    assert_eq!(
        p.command.as_ref().unwrap().value,
        vec!["node", "dist/index.js"]
    );
}

#[test]
fn start_script_chaining_a_build_runs_it_at_build_time() {
    let p = ok(&[
        (
            "package.json",
            r#"{"scripts":{"css":"sass s:p","start":"npm run css && node app.js"}}"#,
        ),
        ("app.js", ""),
    ]);
    assert_eq!(p.shape, "server-build");
    assert_eq!(p.command.as_ref().unwrap().value, vec!["node", "app.js"]);
    let n = p.part::<NodePlan>("node").unwrap();
    assert!(n.build && n.sources_from_build);
    assert_eq!(n.build_steps, vec!["npm run css"]);
}

#[test]
fn a_main_that_does_not_exist_is_not_evidence() {
    // The conventional file wins over a leftover `main`.
    let p = ok(&[
        ("package.json", r#"{"main":"index.js"}"#),
        ("server.js", ""),
    ]);
    assert_eq!(p.command.as_ref().unwrap().value, vec!["node", "server.js"]);
    let e = plan(&[("package.json", r#"{"main":"lib/missing.js"}"#)]).unwrap_err();
    assert!(
        e.contains("lib/missing.js") && e.contains("does not exist"),
        "{e}"
    );
}

#[test]
fn apps_reading_host_get_host_0000_and_fastify_on_localhost_is_a_warning() {
    let pkg = r#"{"scripts":{"start":"node server.js"},"dependencies":{"fastify":"5"}}"#;
    let p = ok(&[
        ("package.json", pkg),
        (
            "server.js",
            "const app = require('fastify')();\napp.listen({ port: 3000, host: process.env.HOST ?? 'localhost' });\n",
        ),
    ]);
    let host = &p.env["HOST"];
    assert_eq!(host.value, "0.0.0.0");
    assert!(
        host.evidence.to_string().contains("server.js:2"),
        "{}",
        host.evidence
    );
    assert!(p.warnings.iter().all(|w| !w.contains("localhost unless")));
    let p = ok(&[
        ("package.json", pkg),
        (
            "server.js",
            "require('fastify')().listen({ port: 3000 });\n",
        ),
    ]);
    assert!(!p.env.contains_key("HOST"));
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("fastify listens on localhost")),
        "{:?}",
        p.warnings
    );
    let p = ok(&[
        ("package.json", pkg),
        (
            "server.js",
            "require('fastify')().listen({ port: 3000, host: '0.0.0.0' });\n",
        ),
    ]);
    assert!(p.warnings.iter().all(|w| !w.contains("localhost unless")));
    // HOSTNAME is not HOST.
    let p = ok(&[
        ("package.json", pkg),
        (
            "server.js",
            "const h = process.env.HOSTNAME; require('fastify')().listen({ host: '::' });\n",
        ),
    ]);
    assert!(!p.env.contains_key("HOST"));
}

#[test]
fn env_templates_the_app_reads_stay_in_the_context() {
    let dir = project(&[
        (
            "package.json",
            r#"{"main":"server.js","dependencies":{"dotenv-safe":"9"}}"#,
        ),
        ("server.js", ""),
        (".env.example", "A=\n"),
        (".env.sample", "A=\n"),
    ]);
    let planned = pipeline::plan(dir.path(), &Choices::default(), &Assets::default()).unwrap();
    let n = planned.plan.part::<NodePlan>("node").unwrap();
    assert_eq!(n.keep_env, vec![".env.example"], ".env.sample is not read");
}

#[test]
fn pnpm_version_follows_the_lockfile_format() {
    let setup = |lock: &str| {
        let p = ok(&[
            ("package.json", r#"{"main":"server.js"}"#),
            ("server.js", ""),
            ("pnpm-lock.yaml", lock),
        ]);
        (p.part::<NodePlan>("node").unwrap().setup.unwrap(), p.notes)
    };
    let (s, notes) = setup("lockfileVersion: '6.0'\n");
    assert!(s.ends_with("pnpm@8"), "{s}");
    assert!(notes.iter().any(|n| n.contains("pnpm 8")), "{notes:?}");
    assert!(setup("lockfileVersion: 5.4\n").0.ends_with("pnpm@7"));
    assert!(setup("lockfileVersion: '9.0'\n").0.ends_with("pnpm@10"));
    let e = plan(&[
        ("package.json", r#"{"main":"server.js"}"#),
        ("server.js", ""),
        ("pnpm-lock.yaml", "lockfileVersion: '42.0'\n"),
    ])
    .unwrap_err();
    assert!(
        e.contains("pnpm-lock.yaml") && e.contains("lockfileVersion"),
        "{e}"
    );
}

#[test]
fn npmrc_credentials_become_a_build_secret_and_settings_do_not() {
    let plan_npmrc = |npmrc: &str| {
        ok(&[
            ("package.json", r#"{"main":"server.js"}"#),
            ("server.js", ""),
            (".npmrc", npmrc),
        ])
        .part::<NodePlan>("node")
        .unwrap()
        .npmrc_secret
    };
    let s = plan_npmrc("registry=https://npm.example.com/\n//npm.example.com/:_authToken=abc123\n")
        .unwrap();
    assert!(s.0.contains(".npmrc") && s.0.contains("line 2"), "{}", s.0);
    assert!(!s.1);
    assert!(plan_npmrc("//r/:_authToken=${NPM_TOKEN}\n").unwrap().1);
    assert!(plan_npmrc("# _authToken=old\nlegacy-peer-deps=true\n").is_none());
}

#[test]
fn yarn_berry_from_packagemanager_yarnrc_or_lockfile_with_its_linker() {
    let base = [
        ("package.json", r#"{"main":"server.js"}"#),
        ("server.js", ""),
        ("yarn.lock", "__metadata:\n  version: 8\n"),
    ];
    // v2+ lockfile, no .yarnrc.yml: Plug'n'Play, Yarn's default.
    let p = ok(&base);
    let n = p.part::<NodePlan>("node").unwrap();
    assert_eq!(n.package_manager, "yarn-berry");
    assert!(n.setup.as_deref().unwrap().contains("yarn@4"));
    assert!(n.pnp.is_some());
    assert_eq!(
        p.command.as_ref().unwrap().value,
        vec!["node", "--require", "./.pnp.cjs", "server.js"]
    );
    // node-modules linker, with Yarn's own release checked in.
    let mut files = base.to_vec();
    files.push((
        ".yarnrc.yml",
        "nodeLinker: node-modules\nyarnPath: .yarn/releases/yarn-4.5.0.cjs\n",
    ));
    files.push((".yarn/releases/yarn-4.5.0.cjs", ""));
    let p = ok(&files);
    let n = p.part::<NodePlan>("node").unwrap();
    assert!(n.pnp.is_none());
    assert_eq!(n.install_files, vec![".yarnrc.yml", ".yarn/releases"]);
    assert_eq!(p.command.as_ref().unwrap().value, vec!["node", "server.js"]);
    // packageManager names the version; an ES module app gets the ESM loader too.
    let p = ok(&[
        (
            "package.json",
            r#"{"main":"server.js","type":"module","packageManager":"yarn@4.1.0+sha512.abc"}"#,
        ),
        ("server.js", ""),
        ("yarn.lock", "__metadata:\n  version: 8\n"),
    ]);
    let n = p.part::<NodePlan>("node").unwrap();
    assert!(n.setup.as_deref().unwrap().contains("yarn@4.1.0 "));
    assert!(
        p.command
            .as_ref()
            .unwrap()
            .value
            .contains(&"./.pnp.loader.mjs".to_string())
    );
    let e = plan(&[
        ("package.json", r#"{"main":"server.js"}"#),
        ("server.js", ""),
        ("yarn.lock", ""),
        (".yarnrc.yml", "nodeLinker: magic\n"),
    ])
    .unwrap_err();
    assert!(e.contains(".yarnrc.yml") && e.contains("nodeLinker"), "{e}");
}

#[test]
fn frameworks_that_build_their_own_server() {
    let p = ok(&[(
        "package.json",
        r#"{"scripts":{"build":"nuxt build","dev":"nuxt dev"},"dependencies":{"nuxt":"4"}}"#,
    )]);
    assert_eq!(
        p.command.as_ref().unwrap().value,
        vec!["node", ".output/server/index.mjs"]
    );
    assert_eq!(p.env["HOST"].value, "0.0.0.0");
    assert!(
        !p.part::<NodePlan>("node").unwrap().prod_deps,
        "Nitro bundles what it uses"
    );

    let kit = r#"{"type":"module","scripts":{"build":"vite build","dev":"vite dev"},
      "devDependencies":{"@sveltejs/kit":"2","@sveltejs/adapter-node":"5","vite":"7"}}"#;
    let p = ok(&[("package.json", kit)]);
    assert_eq!(p.command.as_ref().unwrap().value, vec!["node", "build"]);
    let n = p.part::<NodePlan>("node").unwrap();
    assert!(
        !n.prod_deps,
        "only devDependencies: nothing to install for production"
    );
    assert!(
        n.package_json,
        "the server build needs package.json (type: module)"
    );
    let p = ok(&[
        ("package.json", kit),
        (
            "svelte.config.js",
            "export default { kit: { adapter: adapter({ out: 'out/server' }) } };",
        ),
    ]);
    assert_eq!(
        p.command.as_ref().unwrap().value,
        vec!["node", "out/server"]
    );
    // SvelteKit 3: the adapter's options live in vite.config.*.
    let p = ok(&[
        ("package.json", kit),
        (
            "vite.config.js",
            "export default defineConfig({ plugins: [sveltekit({ adapter: adapter({ out: 'srv' }) })] });",
        ),
    ]);
    assert_eq!(p.command.as_ref().unwrap().value, vec!["node", "srv"]);
    let e = plan(&[(
        "package.json",
        r#"{"scripts":{"build":"vite build"},"devDependencies":{"@sveltejs/kit":"2","@sveltejs/adapter-auto":"3","vite":"7"}}"#,
    )])
    .unwrap_err();
    assert!(
        e.contains("adapter-auto") && e.contains("adapter-node"),
        "{e}"
    );

    let astro =
        r#"{"scripts":{"build":"astro build"},"dependencies":{"astro":"5","@astrojs/node":"9"}}"#;
    let p = ok(&[
        ("package.json", astro),
        (
            "astro.config.mjs",
            "export default defineConfig({\n  output: 'server',\n  adapter: node({ mode: 'standalone' }),\n});\n",
        ),
    ]);
    assert_eq!(
        p.command.as_ref().unwrap().value,
        vec!["node", "dist/server/entry.mjs"]
    );
    assert_eq!(p.port.as_ref().unwrap().value, 4321);
    // Astro without output: 'server' is a static site.
    let p = ok(&[
        ("package.json", astro),
        ("astro.config.mjs", "export default {};\n"),
    ]);
    assert_eq!(p.preset, "node-static");
}

#[test]
fn nest_start_is_a_dev_command_and_the_compiled_main_runs() {
    let p = ok(&[
        (
            "package.json",
            r#"{"scripts":{"build":"nest build","start":"nest start","start:dev":"nest start --watch"},
               "dependencies":{"@nestjs/core":"11","@nestjs/common":"11"},"devDependencies":{"@nestjs/cli":"11","typescript":"5"}}"#,
        ),
        (
            "tsconfig.json",
            r#"{"compilerOptions":{"outDir":"./dist"}}"#,
        ),
        (
            "src/main.ts",
            "await app.listen(process.env.PORT ?? 3000);\n",
        ),
    ]);
    assert_eq!(
        p.command.as_ref().unwrap().value,
        vec!["node", "dist/main.js"]
    );
    assert_eq!(
        p.part::<NodePlan>("node").unwrap().output_dir.as_deref(),
        Some("dist")
    );
}

#[test]
fn angular_spa_output_dir_from_angular_json() {
    let pkg = r#"{"scripts":{"start":"ng serve","build":"ng build"},"dependencies":{"@angular/core":"20"},"devDependencies":{"@angular/cli":"20"}}"#;
    let p = ok(&[
        ("package.json", pkg),
        (
            "angular.json",
            r#"{"projects":{"shop":{"projectType":"application","architect":{"build":{"builder":"@angular/build:application","options":{"outputPath":"dist/shop"}}}}}}"#,
        ),
    ]);
    assert_eq!(p.preset, "node-static");
    let n = p.part::<NodePlan>("node").unwrap();
    assert_eq!(n.output_dir.as_deref(), Some("dist/shop/browser"));
    let p = ok(&[
        ("package.json", pkg),
        (
            "angular.json",
            r#"{"projects":{"shop":{"architect":{"build":{"builder":"@angular-devkit/build-angular:browser","options":{"outputPath":"www"}}}}}}"#,
        ),
    ]);
    assert_eq!(
        p.part::<NodePlan>("node").unwrap().output_dir.as_deref(),
        Some("www")
    );
}

#[test]
fn bun_installs_and_node_runs() {
    for (lock, pm) in [
        (("bun.lock", "{}"), r#"{"main":"server.js"}"#),
        (("bun.lockb", ""), r#"{"main":"server.js"}"#),
        (
            ("bun.lock", "{}"),
            r#"{"main":"server.js","packageManager":"bun@1.2.3"}"#,
        ),
    ] {
        let p = ok(&[("package.json", pm), ("server.js", ""), lock]);
        let n = p.part::<NodePlan>("node").unwrap();
        assert_eq!(n.package_manager, "bun");
        assert_eq!(n.lockfile.as_deref(), Some(lock.0));
        assert!(
            n.setup
                .as_deref()
                .unwrap()
                .starts_with("npm install --global bun@")
        );
        assert_eq!(p.command.as_ref().unwrap().value, vec!["node", "server.js"]);
    }
}
