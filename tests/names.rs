//! Hardening of names and values from a project (issue 12, findings 6 and
//! 10): `.`/`..` segments and absolute paths never reach `-o`, `install`,
//! `COPY` or `ENTRYPOINT`; names are capped; invisible and bidirectional
//! characters never reach a generated file.

mod common;

use common::{dfgen, project};
use predicates::prelude::*;

fn refused(files: &[(&str, &str)], must_name: &[&str]) {
    let p = project(files);
    let out = dfgen()
        .args(["init", "--yes"])
        .arg(p.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{files:?}: {stderr}");
    for m in must_name {
        assert!(stderr.contains(m), "{files:?}: {m} not in {stderr}");
    }
    assert!(!p.path().join("Dockerfile").exists());
}

const MAIN_RS: (&str, &str) = ("src/main.rs", "fn main() {}\n");

#[test]
fn cargo_bin_names_with_dot_segments_or_absolute_paths_are_refused() {
    for bad in ["../../etc/cron.d/x", "..", ".", "/etc/cron.d/x", "a//b"] {
        let manifest = format!(
            "[package]\nname = \"hi\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[[bin]]\nname = \"{bad}\"\npath = \"src/main.rs\"\n"
        );
        refused(
            &[("Cargo.toml", &manifest), MAIN_RS],
            &["Cargo.toml", "bin[0].name"],
        );
    }
    let long = "a".repeat(256);
    let manifest =
        format!("[package]\nname = \"{long}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
    refused(
        &[("Cargo.toml", &manifest), MAIN_RS],
        &["Cargo.toml", "255"],
    );
}

#[test]
fn go_module_paths_ending_in_dot_segments_are_refused() {
    for module in ["example.com/x/..", "example.com/x/.", ".."] {
        refused(
            &[
                ("go.mod", &format!("module {module}\n\ngo 1.25\n")),
                ("main.go", "package main\n\nfunc main() {}\n"),
            ],
            &[],
        );
    }
}

#[test]
fn invisible_characters_in_commands_are_refused_naming_the_file() {
    // (U+2028 is left out here: the Node detector splits a start script on
    // Unicode whitespace, so it never reaches a file; safe.rs refuses it in
    // values, see its unit tests.)
    for c in ['\u{202E}', '\u{200B}', '\u{200D}', '\u{FEFF}'] {
        let pkg = format!("{{\"name\":\"web\",\"scripts\":{{\"start\":\"node serv{c}er.js\"}}}}");
        refused(
            &[
                ("package.json", &pkg),
                ("server.js", "require('http').createServer().listen(3000)\n"),
            ],
            &[
                "package.json",
                "scripts.start",
                &format!("U+{:04X}", c as u32),
            ],
        );
    }
    // From the command line too.
    let p = project(common::GO_APP);
    dfgen()
        .args(["init", "--yes", "--cmd", "/app/server\u{202E}x"])
        .arg(p.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("U+202E"));
}

/// The last line of defence: a template (or preset) that would put an
/// invisible character into a file is an error naming the template.
#[test]
fn no_invisible_character_reaches_a_file_even_from_a_template() {
    let p = project(common::GO_APP);
    let t = p.path().join(".dfgen/templates/go");
    std::fs::create_dir_all(&t).unwrap();
    let text = dfgen::assets::embedded_files()
        .into_iter()
        .find(|(p, _)| p == "templates/go/Dockerfile.tera")
        .unwrap()
        .1
        .replace("WORKDIR /src", "WORKDIR /src\n# safe\u{202E}txt.exe");
    std::fs::write(t.join("Dockerfile.tera"), text).unwrap();
    dfgen()
        .args(["init", "--yes"])
        .arg(p.path())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("go/Dockerfile.tera").and(predicate::str::contains("U+202E")),
        );
}
