//! Hardening of a project's own templates and presets (issue 12, finding 2):
//! no template can read the environment; template and preset files are read
//! through the capped, regular-file-only reader (no symlink out, no device, no
//! FIFO hang); and the trust policy: announced always, not used by
//! `init --check` or in CI unless `--trust-project-templates` or
//! `DFGEN_TRUST_PROJECT_TEMPLATES=1`.
#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::time::{Duration, Instant};

use common::{GO_APP, dfgen, project};
use predicates::prelude::*;

const MARK: &str = "# team rule 7";

fn go_template() -> String {
    dfgen::assets::embedded_files()
        .into_iter()
        .find(|(p, _)| p == "templates/go/Dockerfile.tera")
        .unwrap()
        .1
}

/// A Go project whose `.dfgen/templates/go/Dockerfile.tera` is `text`.
fn with_template(text: &str) -> tempfile::TempDir {
    let p = project(GO_APP);
    let t = p.path().join(".dfgen/templates/go");
    fs::create_dir_all(&t).unwrap();
    fs::write(t.join("Dockerfile.tera"), text).unwrap();
    p
}

fn marked() -> String {
    go_template().replace("WORKDIR /src", &format!("WORKDIR /src\n{MARK}"))
}

/// `get_env` wrote a token into the Dockerfile.
#[test]
fn a_project_template_cannot_read_the_environment() {
    let token = "ghp_s3cr3tT0ken1234567890";
    for call in [
        r#"{{ get_env(name="DFGEN_TEST_SECRET") }}"#,
        r#"{{ get_env(name="DFGEN_TEST_SECRET", default="none") }}"#,
        r#"{{ now() }}"#,
        r#"{{ get_random(end=10) }}"#,
    ] {
        let p = with_template(
            &go_template().replace("WORKDIR /src", &format!("WORKDIR /src\n# {call}")),
        );
        dfgen()
            .args(["init", "--yes"])
            .arg(p.path())
            .env("DFGEN_TEST_SECRET", token)
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains("Dockerfile.tera")
                    .and(predicate::str::contains(token).not()),
            );
        assert!(!p.path().join("Dockerfile").exists(), "{call}");
    }
}

#[test]
fn template_files_outside_the_project_devices_and_fifos_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.tera");
    fs::write(&secret, "FROM scratch\n# SECRET-CONTENT\n").unwrap();

    // A template that is a symlink leading outside the project.
    let p = project(GO_APP);
    let t = p.path().join(".dfgen/templates/go");
    fs::create_dir_all(&t).unwrap();
    symlink(&secret, t.join("Dockerfile.tera")).unwrap();
    dfgen()
        .args(["init", "--dry-run"])
        .arg(p.path())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("Dockerfile.tera")
                .and(predicate::str::contains("outside"))
                .and(predicate::str::contains("SECRET-CONTENT").not()),
        )
        .stdout(predicate::str::contains("SECRET-CONTENT").not());

    // /dev/zero grew to 4 GB; a FIFO hung dfgen.
    for kind in ["zero", "fifo"] {
        let p = project(GO_APP);
        let t = p.path().join(".dfgen/templates/go");
        fs::create_dir_all(&t).unwrap();
        let file = t.join("Dockerfile.tera");
        if kind == "zero" {
            symlink("/dev/zero", &file).unwrap();
        } else {
            assert!(
                std::process::Command::new("mkfifo")
                    .arg(&file)
                    .status()
                    .unwrap()
                    .success()
            );
        }
        let start = Instant::now();
        dfgen()
            .args(["init", "--dry-run"])
            .arg(p.path())
            .timeout(Duration::from_secs(20))
            .assert()
            .code(2)
            .stderr(predicate::str::contains("Dockerfile.tera"));
        assert!(start.elapsed() < Duration::from_secs(10), "{kind}");
    }

    // The same reader for presets.
    let p = project(GO_APP);
    let d = p.path().join(".dfgen/presets");
    fs::create_dir_all(&d).unwrap();
    assert!(
        std::process::Command::new("mkfifo")
            .arg(d.join("go.yaml"))
            .status()
            .unwrap()
            .success()
    );
    dfgen()
        .args(["init", "--dry-run"])
        .arg(p.path())
        .timeout(Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("go.yaml").and(predicate::str::contains("FIFO")));

    // A whole .dfgen that leads outside the project is not used at all.
    let p = project(GO_APP);
    let elsewhere = tempfile::tempdir().unwrap();
    fs::create_dir_all(elsewhere.path().join("templates/go")).unwrap();
    fs::write(
        elsewhere.path().join("templates/go/Dockerfile.tera"),
        marked(),
    )
    .unwrap();
    symlink(elsewhere.path(), p.path().join(".dfgen")).unwrap();
    dfgen()
        .args(["init", "--dry-run"])
        .arg(p.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(MARK).not())
        .stderr(predicate::str::contains("leading outside the project"));
}

fn dry_run(p: &Path, args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
    let mut c = dfgen();
    c.args(["init", "--dry-run"]).args(args).arg(p);
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8_lossy(&out.stdout).contains(MARK),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn project_templates_are_used_locally_and_announced() {
    let p = with_template(&marked());
    let (used, stderr) = dry_run(p.path(), &[], &[]);
    assert!(used);
    assert!(
        stderr.contains("using the project's own templates"),
        "{stderr}"
    );
    // CI=false is not CI.
    assert!(dry_run(p.path(), &[], &[("CI", "false")]).0);
}

#[test]
fn in_ci_project_templates_are_announced_but_not_used_unless_trusted() {
    let p = with_template(&marked());
    for ci in ["true", "1", "yes"] {
        let (used, stderr) = dry_run(p.path(), &[], &[("CI", ci)]);
        assert!(!used, "CI={ci}");
        assert!(
            stderr.contains(".dfgen/templates, not used")
                && stderr.contains("--trust-project-templates"),
            "{stderr}"
        );
    }
    assert!(dry_run(p.path(), &["--trust-project-templates"], &[("CI", "true")]).0);
    assert!(
        dry_run(
            p.path(),
            &[],
            &[("CI", "true"), ("DFGEN_TRUST_PROJECT_TEMPLATES", "1")]
        )
        .0
    );
    assert!(
        !dry_run(
            p.path(),
            &[],
            &[("CI", "true"), ("DFGEN_TRUST_PROJECT_TEMPLATES", "0")]
        )
        .0
    );
}

#[test]
fn init_check_does_not_use_project_templates_unless_trusted() {
    let p = with_template(&marked());
    dfgen()
        .args(["init", "--yes"])
        .arg(p.path())
        .assert()
        .success();
    assert!(
        fs::read_to_string(p.path().join("Dockerfile"))
            .unwrap()
            .contains(MARK)
    );
    // Without trust, --check compares with the built-in templates: drift.
    dfgen()
        .args(["init", "--check"])
        .arg(p.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not used"));
    dfgen()
        .args(["init", "--check", "--trust-project-templates"])
        .arg(p.path())
        .assert()
        .success();
    dfgen()
        .args(["init", "--check"])
        .arg(p.path())
        .env("DFGEN_TRUST_PROJECT_TEMPLATES", "yes")
        .assert()
        .success();
}

/// The output check refuses a stray carriage return, not CRLF line ends of a
/// template edited on Windows.
#[test]
fn a_template_with_crlf_line_ends_still_renders() {
    let p = with_template(&marked().replace('\n', "\r\n"));
    let (used, _) = dry_run(p.path(), &[], &[]);
    assert!(used);
    let p = with_template(&marked().replace(MARK, &format!("{MARK}\rRUN hidden")));
    dfgen()
        .args(["init", "--dry-run"])
        .arg(p.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("U+000D"));
}
