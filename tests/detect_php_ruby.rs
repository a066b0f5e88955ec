//! Detection and planning rules of the PHP and Ruby ecosystems, one small
//! project each.

mod common;

use common::project;
use dfgen::assets::Assets;
use dfgen::ecosystems::php::PhpPlan;
use dfgen::ecosystems::ruby::RubyPlan;
use dfgen::pipeline;
use dfgen::plan::{Choices, Plan};

fn plan_with(files: &[(&str, &str)], choices: Choices) -> Result<Plan, String> {
    let dir = project(files);
    pipeline::plan(dir.path(), &choices, &Assets::default())
        .map(|p| p.plan)
        .map_err(|e| e.to_string())
}

fn ok(files: &[(&str, &str)]) -> Plan {
    plan_with(files, Choices::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn err(files: &[(&str, &str)]) -> String {
    plan_with(files, Choices::default()).expect_err("should fail")
}

fn php(plan: &Plan) -> PhpPlan {
    plan.part("php").expect("php section")
}

fn ruby(plan: &Plan) -> RubyPlan {
    plan.part("ruby").expect("ruby section")
}

const INDEX: (&str, &str) = ("index.php", "<?php echo 'hi';\n");

#[test]
fn plain_php_runs_apache_on_8080_without_composer() {
    let p = ok(&[INDEX]);
    assert_eq!(p.preset, "php");
    assert_eq!(p.runtime.name, "apache");
    assert_eq!(p.port.as_ref().unwrap().value, 8080);
    assert_eq!(p.command.as_ref().unwrap().value, ["apache2-foreground"]);
    let s = php(&p);
    assert!(!s.composer);
    assert_eq!(s.docroot, "/var/www/html");
    assert_eq!(p.version.tag, "8.4", "preset default");
}

#[test]
fn require_php_is_a_range_and_platform_php_a_pin() {
    let p = ok(&[
        INDEX,
        ("composer.json", r#"{"require":{"php":">=8.1 <8.3"}}"#),
    ]);
    assert_eq!(p.version.tag, "8.2");
    assert!(
        p.version.reason.contains("require.php"),
        "{}",
        p.version.reason
    );
    let p = ok(&[
        INDEX,
        ("composer.json", r#"{"require":{"php":"^8.1|^8.2"}}"#),
    ]);
    assert_eq!(p.version.tag, "8.4", "the default satisfies ^8.2");
    let p = ok(&[
        INDEX,
        (
            "composer.json",
            "{\n \"require\": {\"php\": \"^8.2\"},\n \"config\": {\"platform\": {\"php\": \"8.3.9\"}}\n}\n",
        ),
    ]);
    assert_eq!(p.version.tag, "8.3");
    assert!(
        p.version.reason.contains("config.platform.php") && p.version.reason.contains("line 3"),
        "{}",
        p.version.reason
    );
    let p = ok(&[INDEX, (".php-version", "8.2\n")]);
    assert_eq!(p.version.tag, "8.2");
}

#[test]
fn malformed_composer_files_name_file_and_field() {
    let e = err(&[INDEX, ("composer.json", "{ nope")]);
    assert!(e.contains("composer.json"), "{e}");
    let e = err(&[INDEX, ("composer.json", r#"{"require":{"php":8}}"#)]);
    assert!(
        e.contains("composer.json") && e.contains("require.php"),
        "{e}"
    );
    let e = err(&[
        INDEX,
        (
            "composer.json",
            r#"{"config":{"platform":{"php":"eight"}}}"#,
        ),
    ]);
    assert!(e.contains("config.platform.php"), "{e}");
    let e = err(&[INDEX, ("composer.json", r#"{"require":{"ext-a b":"*"}}"#)]);
    assert!(e.contains("composer.json") && e.contains("ext-a b"), "{e}");
}

#[test]
fn extensions_come_from_composer_json_and_the_lock() {
    let p = ok(&[
        ("public/index.php", "<?php\n"),
        (
            "composer.json",
            r#"{"require":{"php":"^8.2","ext-intl":"*","ext-mbstring":"*","ext-redis":"*","ext-bcmath":"*","ext-nope":"*"}}"#,
        ),
        (
            "composer.lock",
            r#"{"packages":[{"name":"acme/img","require":{"ext-gd":"*"}}]}"#,
        ),
    ]);
    let s = php(&p);
    assert_eq!(
        s.ext_install,
        ["bcmath", "intl", "gd"],
        "mbstring is built in"
    );
    assert_eq!(s.ext_pecl, ["redis"]);
    assert!(s.ext_dev.contains(&"libicu-dev".to_string()));
    assert!(
        s.ext_dev.contains(&"libpng-dev".to_string()),
        "gd, from the lock"
    );
    assert_eq!(s.ext_configure[0].0, "gd");
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("`nope`") && w.contains("require.ext-nope")),
        "{:?}",
        p.warnings
    );
    assert_eq!(s.docroot, "/var/www/html/public");
    assert!(s.composer_lock);
    assert!(!p.warnings.iter().any(|w| w.contains("no composer.lock")));
}

#[test]
fn a_composer_library_is_not_an_app() {
    let e = err(&[("composer.json", r#"{"name":"acme/lib"}"#)]);
    assert!(e.contains("no index.php"), "{e}");
}

#[test]
fn laravel_caches_config_at_start_and_owns_storage() {
    let p = ok(&[
        ("artisan", "#!/usr/bin/env php\n"),
        ("public/index.php", "<?php\n"),
        ("public/.htaccess", "RewriteEngine On\n"),
        (
            "composer.json",
            r#"{"require":{"php":"^8.2","laravel/framework":"^11.0"}}"#,
        ),
        ("composer.lock", r#"{"packages":[]}"#),
        (
            "package.json",
            r#"{"private":true,"scripts":{"build":"vite build","dev":"vite"},"devDependencies":{"vite":"^6","laravel-vite-plugin":"^1"}}"#,
        ),
        ("package-lock.json", "{}"),
        ("vite.config.js", "export default {}\n"),
    ]);
    // The Vite front end is the app's assets, not a second app.
    assert_eq!(p.ecosystem, "php");
    let s = php(&p);
    assert!(s.laravel && s.assets && s.htaccess);
    assert_eq!(s.writable, ["storage", "bootstrap/cache"]);
    let cmd = &p.command.as_ref().unwrap().value;
    assert_eq!(cmd[0], "sh");
    assert!(cmd[2].contains("config:cache") && cmd[2].ends_with("exec apache2-foreground"));
}

// ---------- mixed projects: a Vite front end, a docs site ----------

const VITE_PKG: (&str, &str) = (
    "package.json",
    r#"{"private":true,"scripts":{"build":"vite build"},"devDependencies":{"vite":"7"}}"#,
);

#[test]
fn a_vite_manifest_under_public_is_the_php_apps_assets() {
    let p = ok(&[
        ("public/index.php", "<?php\n"),
        VITE_PKG,
        ("package-lock.json", "{}"),
        (
            "vite.config.js",
            "export default {\n  build: {\n    manifest: true,\n    outDir: 'public/build',\n  },\n};\n",
        ),
    ]);
    assert_eq!(p.ecosystem, "php", "PHP absorbs the Node front end");
    let s = php(&p);
    assert!(s.assets);
    assert_eq!(s.assets_out.as_deref(), Some("public/build"));
    assert_eq!(
        s.assets_evidence.as_deref(),
        Some("vite.config.js, build.outDir, line 4")
    );
    assert_eq!(s.node_lockfile.as_deref(), Some("package-lock.json"));
}

#[test]
fn laravel_vite_plugin_options_move_the_output() {
    let p = ok(&[
        ("public/index.php", "<?php\n"),
        VITE_PKG,
        (
            "vite.config.js",
            "import laravel from 'laravel-vite-plugin';\n\
             export default { plugins: [laravel({ input: ['resources/js/app.js'], buildDirectory: 'assets' })] };\n",
        ),
    ]);
    let s = php(&p);
    assert_eq!(s.assets_out.as_deref(), Some("public/assets"));
    assert!(
        s.assets_evidence.as_deref().unwrap().contains("line 1"),
        "{:?}",
        s.assets_evidence
    );
    // No lockfile: npm install, with a warning.
    assert!(s.node_lockfile.is_none());
    assert!(
        p.warnings.iter().any(|w| w.contains("package-lock.json")),
        "{:?}",
        p.warnings
    );
}

#[test]
fn a_vite_build_outside_the_document_root_is_not_the_apps() {
    // A SPA built to dist/: the PHP app does not serve it.
    let p = ok(&[
        ("public/index.php", "<?php\n"),
        VITE_PKG,
        (
            "vite.config.js",
            "export default { build: { outDir: 'dist' } };\n",
        ),
        ("index.html", "<div id=app></div>"),
    ]);
    assert_eq!(p.ecosystem, "php", "the server outranks a static build");
    let s = php(&p);
    assert!(!s.assets && s.assets_out.is_none());
    assert!(
        p.notes
            .iter()
            .any(|n| n.contains("not built into the image")),
        "{:?}",
        p.notes
    );
}

#[test]
fn a_docs_site_next_to_a_php_app_is_neither_app_nor_assets() {
    // VitePress's `vitepress build` is not `vite build`.
    let p = ok(&[
        INDEX,
        (
            "package.json",
            r#"{"scripts":{"build":"vitepress build docs","dev":"vitepress dev docs"},"devDependencies":{"vitepress":"1","vite":"5"}}"#,
        ),
        ("docs/index.md", "# Docs\n"),
    ]);
    assert_eq!(p.ecosystem, "php");
    let s = php(&p);
    assert!(!s.assets, "the docs are not built into the app");
    assert!(
        p.notes.iter().any(|n| n.contains("VitePress docs site")),
        "{:?}",
        p.notes
    );
    // In docs/, with its own manifest and pages: still the PHP app.
    let p = ok(&[
        INDEX,
        (
            "docs/package.json",
            r#"{"scripts":{"start":"docusaurus start","build":"docusaurus build"},"dependencies":{"@docusaurus/core":"3"}}"#,
        ),
        ("docs/index.html", "<h1>docs</h1>"),
    ]);
    assert_eq!(p.ecosystem, "php");
    assert!(!php(&p).assets);
}

#[test]
fn fpm_runtime_listens_for_fastcgi_on_9000() {
    let p = plan_with(
        &[INDEX],
        Choices {
            runtime: Some("fpm".into()),
            ..Choices::default()
        },
    )
    .unwrap();
    assert_eq!(p.port.as_ref().unwrap().value, 9000);
    assert_eq!(p.command.as_ref().unwrap().value, ["php-fpm"]);
    assert_eq!(p.runtime.user, 33);
}

const APP_RB: (&str, &str) = (
    "app.rb",
    "require 'socket'\nport = 8080\nTCPServer.new('0.0.0.0', port)\n",
);

#[test]
fn ruby_versions_in_order_of_precedence() {
    let gemfile = ("Gemfile", "source 'https://rubygems.org'\nruby '~> 3.2'\n");
    let p = ok(&[gemfile, APP_RB]);
    assert_eq!(
        p.version.tag, "3.4",
        "default satisfies ~> 3.2 (>= 3.2, < 4)"
    );
    let lock = (
        "Gemfile.lock",
        "GEM\n  specs:\n\nRUBY VERSION\n   ruby 3.2.5p208\n",
    );
    let p = ok(&[("Gemfile", "source 'https://rubygems.org'\n"), lock, APP_RB]);
    assert_eq!(p.version.tag, "3.2");
    assert!(
        p.version.reason.contains("RUBY VERSION"),
        "{}",
        p.version.reason
    );
    let p = ok(&[gemfile, (".tool-versions", "ruby 3.3.5\n"), APP_RB]);
    assert_eq!(p.version.tag, "3.3");
    let p = ok(&[
        gemfile,
        (".ruby-version", "ruby-3.1.4\n"),
        (".tool-versions", "ruby 3.3.5\n"),
        APP_RB,
    ]);
    assert_eq!(p.version.tag, "3.1", ".ruby-version wins");
    let e = err(&[("Gemfile", "ruby 'three'\n"), APP_RB]);
    assert!(e.contains("Gemfile") && e.contains("line 1"), "{e}");
}

#[test]
fn an_exact_ruby_directive_keeps_the_patch_release() {
    let p = ok(&[
        (
            "Gemfile",
            "source 'https://rubygems.org'\nruby file: '.ruby-version'\n",
        ),
        (".ruby-version", "3.3.6\n"),
        APP_RB,
    ]);
    assert_eq!(p.version.tag, "3.3.6");
    assert!(p.version.reason.contains("exactly"), "{}", p.version.reason);
    let p = ok(&[
        ("Gemfile", "ruby '~> 3.3'\n"),
        (".ruby-version", "3.3.6\n"),
        APP_RB,
    ]);
    assert_eq!(p.version.tag, "3.3", "a range directive: the release line");
}

#[test]
fn native_gems_get_dev_packages_unless_precompiled() {
    let lock = "GEM\n  specs:\n    nokogiri (1.16.8-x86_64-linux)\n      racc (~> 1.4)\n    pg (1.5.9)\n    puma (6.5.0)\n    racc (1.8.1)\n\nPLATFORMS\n  x86_64-linux\n";
    let p = ok(&[
        ("Gemfile", "gem 'pg'\ngem 'nokogiri'\ngem 'puma'\n"),
        ("Gemfile.lock", lock),
        ("config.ru", "run ->(env) { [200, {}, ['hi']] }\n"),
    ]);
    let s = ruby(&p);
    assert_eq!(s.build_packages, ["libpq-dev"]);
    assert_eq!(s.runtime_packages, ["libpq5"]);
    assert!(s.lockfile);
    assert_eq!(
        p.command.as_ref().unwrap().value,
        [
            "bundle",
            "exec",
            "puma",
            "--bind",
            "tcp://0.0.0.0:9292",
            "config.ru"
        ]
    );
    assert_eq!(p.port.as_ref().unwrap().value, 9292);
}

#[test]
fn rails_runs_its_server_on_all_interfaces_unless_the_procfile_says_otherwise() {
    let rails = [
        ("Gemfile", "gem 'rails'\ngem 'propshaft'\ngem 'bootsnap'\n"),
        ("bin/rails", "#!/usr/bin/env ruby\n"),
        ("config/application.rb", "module App; end\n"),
        ("tmp/.keep", ""),
    ];
    let p = ok(&rails);
    assert_eq!(
        p.command.as_ref().unwrap().value,
        ["bin/rails", "server", "-b", "0.0.0.0", "-p", "3000"]
    );
    let s = ruby(&p);
    assert!(s.rails && s.assets && s.bootsnap);
    assert_eq!(s.writable, ["tmp", "log", "storage"]);
    assert_eq!(p.env["RAILS_ENV"].value, "production");
    assert_eq!(p.env["RAILS_LOG_TO_STDOUT"].value, "1");
    let mut with_procfile = rails.to_vec();
    with_procfile.push(("Procfile", "web: bundle exec puma -C config/puma.rb\n"));
    let p = ok(&with_procfile);
    assert_eq!(
        p.command.as_ref().unwrap().value,
        ["bundle", "exec", "puma", "-C", "config/puma.rb"]
    );
    assert_eq!(p.port.as_ref().unwrap().value, 3000);
}

#[test]
fn rack_without_a_server_and_gemfiles_without_an_app_are_refused_clearly() {
    let e = err(&[("Gemfile", "gem 'sinatra'\n"), ("config.ru", "run App\n")]);
    assert!(e.contains("puma") && e.contains("--cmd"), "{e}");
    let e = err(&[("Gemfile", "gem 'rake'\n")]);
    assert!(e.contains("Gemfile") && e.contains("no Rails app"), "{e}");
}

#[test]
fn gem_free_script_runs_with_plain_ruby() {
    let p = ok(&[("Gemfile", "source 'https://rubygems.org'\n"), APP_RB]);
    assert_eq!(p.command.as_ref().unwrap().value, ["ruby", "app.rb"]);
    assert_eq!(p.port.as_ref().unwrap().value, 8080);
    assert!(p.warnings.iter().any(|w| w.contains("no Gemfile.lock")));
}
