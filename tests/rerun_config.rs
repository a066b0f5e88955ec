//! dfgen.yaml, `init --check`, re-runs that respect the user's files,
//! `eject`, completions and output conventions.

mod common;

use std::fs;

use assert_cmd::Command;
use common::{GO_APP, dfgen, project};
use predicates::prelude::*;

#[test]
fn config_file_overrides_detection_and_flags_override_the_file() {
    let mut files = GO_APP.to_vec();
    files.push(("dfgen.yaml", "runtime: scratch\nport: 7000\n"));
    let p = project(&files);
    dfgen()
        .args(["init", "--dry-run"])
        .arg(p.path())
        .assert()
        .success()
        .stdout(
            predicate::str::contains("FROM scratch AS runtime")
                .and(predicate::str::contains("EXPOSE 7000")),
        );
    dfgen()
        .args(["init", "--dry-run", "--port", "7100"])
        .arg(p.path())
        .assert()
        .success()
        .stdout(
            predicate::str::contains("FROM scratch AS runtime")
                .and(predicate::str::contains("EXPOSE 7100")),
        );
}

#[test]
fn config_keeps_only_what_differs_from_detection() {
    let p = project(GO_APP);
    // 9000 is what detection finds; only the runtime differs.
    dfgen()
        .args(["init", "-y", "-q", "--port", "9000", "--runtime", "scratch"])
        .arg(p.path())
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(p.path().join("dfgen.yaml"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect::<Vec<_>>(),
        vec!["runtime: scratch"]
    );
    // Flags equal to detection alone: no dfgen.yaml at all.
    let q = project(GO_APP);
    dfgen()
        .args([
            "init",
            "-y",
            "-q",
            "--port",
            "9000",
            "--runtime",
            "distroless",
        ])
        .arg(q.path())
        .assert()
        .success();
    assert!(!q.path().join("dfgen.yaml").exists());
}

#[test]
fn config_errors_name_the_key_and_line_and_write_nothing() {
    let cases: &[(&str, &[&str])] = &[
        (
            "runtime: scratch\nbogus: 1\n",
            &["dfgen.yaml", "line 2", "bogus"],
        ),
        ("port: \"abc\"\n", &["dfgen.yaml", "line 1", "port"]),
        ("port: 0\n", &["dfgen.yaml", "line 1", "`port`"]),
        (
            "# note\nruntime: alpine\n",
            &[
                "dfgen.yaml",
                "line 2",
                "`runtime`",
                "distroless, glibc, scratch",
            ],
        ),
        ("version: \"one\"\n", &["dfgen.yaml", "line 1", "`version`"]),
        ("cmd: []\n", &["dfgen.yaml", "`cmd`"]),
        (
            "preset: nope\n",
            &["dfgen.yaml", "`preset`", "known presets"],
        ),
    ];
    for (yaml, needles) in cases {
        let mut files = GO_APP.to_vec();
        files.push(("dfgen.yaml", yaml));
        let p = project(&files);
        let mut a = dfgen().args(["init", "-y"]).arg(p.path()).assert().code(2);
        for n in *needles {
            a = a.stderr(predicate::str::contains(*n));
        }
        assert!(
            !p.path().join("Dockerfile").exists(),
            "{yaml}: nothing written"
        );
    }
}

#[test]
fn check_is_zero_when_up_to_date_and_one_with_a_diff_when_not() {
    let p = project(GO_APP);
    dfgen()
        .args(["init", "--check"])
        .arg(p.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("+++ b/Dockerfile"));
    assert!(
        !p.path().join("Dockerfile").exists(),
        "--check writes nothing"
    );
    dfgen()
        .args(["init", "-y", "-q"])
        .arg(p.path())
        .assert()
        .success();
    dfgen()
        .args(["init", "--check"])
        .arg(p.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("up to date"));
    fs::write(
        p.path().join("main.go"),
        GO_APP[1].1.replace("9000", "9100"),
    )
    .unwrap();
    dfgen()
        .args(["init", "--check"])
        .arg(p.path())
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("-EXPOSE 9000").and(predicate::str::contains("+EXPOSE 9100")),
        )
        .stderr(predicate::str::contains("Dockerfile would change"));
}

#[test]
fn refusal_shows_the_diff_and_hand_written_files_need_force() {
    let p = project(GO_APP);
    dfgen()
        .args(["init", "-y", "-q"])
        .arg(p.path())
        .assert()
        .success();
    fs::write(
        p.path().join("main.go"),
        GO_APP[1].1.replace("9000", "9100"),
    )
    .unwrap();
    dfgen()
        .args(["init", "-y"])
        .arg(p.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("+EXPOSE 9100").and(predicate::str::contains("--force")));
    // A Dockerfile dfgen did not write is never replaced without --force.
    let q = project(GO_APP);
    fs::write(q.path().join("Dockerfile"), "FROM golang\n").unwrap();
    dfgen()
        .args(["init", "-y"])
        .arg(q.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not generated by dfgen"));
    assert_eq!(
        fs::read_to_string(q.path().join("Dockerfile")).unwrap(),
        "FROM golang\n"
    );
}

#[test]
fn diffs_are_plain_when_not_a_terminal_even_without_no_color() {
    let p = project(GO_APP);
    Command::cargo_bin("dfgen")
        .unwrap()
        .env_remove("NO_COLOR")
        .args(["init", "--check"])
        .arg(p.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\u{1b}[").not());
}

#[test]
fn eject_writes_templates_and_presets_that_the_project_then_uses() {
    let p = project(GO_APP);
    let dfgen_dir = p.path().join(".dfgen");
    dfgen().arg("eject").arg(&dfgen_dir).assert().success();
    assert!(dfgen_dir.join("templates/go/Dockerfile.tera").is_file());
    assert!(dfgen_dir.join("presets/go.yaml").is_file());
    // Ejecting again refuses to overwrite edited files.
    fs::write(dfgen_dir.join("presets/go.yaml"), "edited").unwrap();
    dfgen()
        .arg("eject")
        .arg(&dfgen_dir)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("go.yaml"));
    fs::remove_dir_all(&dfgen_dir).unwrap();
    dfgen().arg("eject").arg(&dfgen_dir).assert().success();

    // A custom runtime variant and a template edit, no recompiling.
    let preset = fs::read_to_string(dfgen_dir.join("presets/go.yaml")).unwrap().replace(
        "    scratch:\n",
        "    debian12:\n      description: distroless static on Debian 12\n      image: gcr.io/distroless/static-debian12:nonroot\n      user: 65532\n    scratch:\n",
    );
    fs::write(dfgen_dir.join("presets/go.yaml"), preset).unwrap();
    let t = dfgen_dir.join("templates/go/Dockerfile.tera");
    fs::write(
        &t,
        fs::read_to_string(&t)
            .unwrap()
            .replace("WORKDIR /src", "WORKDIR /src\n# team rule 7"),
    )
    .unwrap();
    dfgen()
        .args(["init", "--dry-run", "--runtime", "debian12"])
        .arg(p.path())
        .assert()
        .success()
        .stdout(
            predicate::str::contains("FROM gcr.io/distroless/static-debian12:nonroot AS runtime")
                .and(predicate::str::contains("# team rule 7")),
        )
        .stderr(
            predicate::str::contains(".dfgen/templates")
                .and(predicate::str::contains(".dfgen/presets")),
        );

    // A broken custom template: error naming the template and where.
    fs::write(&t, "FROM {{ images.build \n").unwrap();
    dfgen()
        .args(["init", "--dry-run"])
        .arg(p.path())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("go/Dockerfile.tera")
                .and(predicate::str::is_match(r"--> \d+:\d+").unwrap()),
        );
}

#[test]
fn completions_quiet_and_verbose() {
    for shell in ["bash", "zsh", "fish"] {
        dfgen()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("dfgen"));
    }
    let p = project(GO_APP);
    dfgen()
        .args(["init", "-y", "-q"])
        .arg(p.path())
        .assert()
        .success()
        .stdout("")
        .stderr("");
    let q = project(GO_APP);
    dfgen()
        .args(["init", "-y", "-v"])
        .arg(q.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("go.mod, `go` directive"));
}

#[test]
fn json_goes_to_stdout_alone() {
    let p = project(GO_APP);
    let out = dfgen()
        .args(["detect", "--json"])
        .arg(p.path())
        .assert()
        .success()
        .get_output()
        .clone();
    serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .expect("stdout is exactly one JSON document");
}

#[test]
fn a_python_main_choice_is_saved() {
    let p = project(&[
        ("requirements.txt", ""),
        ("app.py", "print('app')\n"),
        ("worker/__main__.py", "print('worker')\n"),
    ]);
    dfgen()
        .args(["init", "-y", "-q", "--main", "app.py"])
        .arg(p.path())
        .assert()
        .success();
    let cfg = fs::read_to_string(p.path().join("dfgen.yaml")).unwrap();
    assert!(cfg.contains("main: app.py"), "{cfg}");
    dfgen()
        .args(["init", "--check"])
        .arg(p.path())
        .assert()
        .success();
}

#[test]
fn optional_files_are_written_only_when_asked_for() {
    let p = project(GO_APP);
    dfgen()
        .args(["init", "-y", "-q"])
        .arg(p.path())
        .assert()
        .success();
    assert!(!p.path().join("compose.yaml").exists());
    dfgen()
        .args(["init", "-y", "-q", "--also", "compose.yaml"])
        .arg(p.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("differ"));
    dfgen()
        .args(["init", "-y", "-q", "--force", "--also", "compose.yaml"])
        .arg(p.path())
        .assert()
        .success();
    let compose = fs::read_to_string(p.path().join("compose.yaml")).unwrap();
    assert!(compose.contains("127.0.0.1:9000:9000"), "{compose}");
    assert!(
        fs::read_to_string(p.path().join("dfgen.yaml"))
            .unwrap()
            .contains("- compose.yaml")
    );
    // Saved: a bare run keeps writing it.
    dfgen()
        .args(["init", "--check"])
        .arg(p.path())
        .assert()
        .success();
    dfgen()
        .args(["init", "--dry-run", "--also", "k8s.yaml"])
        .arg(p.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("offers compose.yaml"));
}
