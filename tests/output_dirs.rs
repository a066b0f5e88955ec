//! Issue 12, findings 6 and 7 at the planners: build output directories that
//! are the project root (`outDir: "./"` copied the whole build stage, dev
//! dependencies and sources, into the runtime, or had nginx serve the project
//! tree), and binary names with a path separator. `safe::output_dir` and
//! `safe::binary` do the checking (unit-tested in safe.rs); the Node detector
//! calls `safe::output_dir` for tsconfig's and the bundler's `outDir`, the
//! Go and Rust detectors `safe::binary` for binary names.

mod common;

use std::fs;

use common::{dfgen, project, tests_dir};
use predicates::prelude::*;

fn copy_app(name: &str) -> tempfile::TempDir {
    let p = project(&[]);
    let from = tests_dir().join("apps").join(name);
    for e in walk(&from) {
        let rel = e.strip_prefix(&from).unwrap();
        let to = p.path().join(rel);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(&e, to).unwrap();
    }
    p
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap().flatten() {
        if e.file_type().unwrap().is_dir() {
            if e.file_name() != "node_modules" {
                out.extend(walk(&e.path()));
            }
        } else {
            out.push(e.path());
        }
    }
    out
}

#[test]
fn an_out_dir_that_is_the_project_root_is_refused() {
    for out_dir in ["./", ".", ""] {
        let p = copy_app("node-ts");
        let ts = fs::read_to_string(p.path().join("tsconfig.json"))
            .unwrap()
            .replace(
                "\"outDir\": \"dist\"",
                &format!("\"outDir\": \"{out_dir}\""),
            );
        fs::write(p.path().join("tsconfig.json"), ts).unwrap();
        dfgen()
            .args(["init", "--yes"])
            .arg(p.path())
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains("tsconfig.json")
                    .and(predicate::str::contains("compilerOptions.outDir"))
                    .and(predicate::str::contains("project root")),
            );

        let p = copy_app("node-vite");
        fs::write(
            p.path().join("vite.config.js"),
            format!("export default {{ build: {{ outDir: '{out_dir}' }} }}\n"),
        )
        .unwrap();
        dfgen()
            .args(["init", "--yes"])
            .arg(p.path())
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains("vite.config.js")
                    .and(predicate::str::contains("outDir"))
                    .and(predicate::str::contains("project root")),
            );
    }
}

#[test]
fn binary_names_with_a_separator_are_refused() {
    let p = project(&[
        (
            "Cargo.toml",
            "[package]\nname = \"hi\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[[bin]]\nname = \"cron.d/x\"\npath = \"src/main.rs\"\n",
        ),
        ("src/main.rs", "fn main() {}\n"),
    ]);
    dfgen()
        .args(["init", "--yes"])
        .arg(p.path())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("Cargo.toml").and(predicate::str::contains("bin[0].name")),
        );
}
