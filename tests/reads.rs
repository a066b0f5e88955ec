//! Hardening of reads (issue 12, findings 4, 5 and 10): every project file is
//! read through one capped, regular-file-only reader that stays inside the
//! project, never blocks on a FIFO, never quotes a file outside the project,
//! accepts a byte-order mark, and lists directories in sorted order before
//! any cap.
#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::fs::symlink;
use std::time::{Duration, Instant};

use common::{GO_APP, dfgen, project};
use dfgen::project::{DIR_ENTRY_CAP, Project};
use predicates::prelude::*;

const SECRET: &str = "root:$6$SECRET-HASH-DO-NOT-PRINT:19000:0:99999:7:::";

/// `Cargo.toml -> /etc/shadow` printed a line of it in the parse error.
#[test]
fn a_manifest_symlinked_outside_is_refused_without_quoting_it() {
    let outside = tempfile::tempdir().unwrap();
    let shadow = outside.path().join("shadow");
    fs::write(&shadow, format!("{SECRET}\n[package\n")).unwrap();
    for manifest in [
        "Cargo.toml",
        "package.json",
        "pyproject.toml",
        "go.mod",
        "dfgen.yaml",
    ] {
        let p = project(if manifest == "dfgen.yaml" {
            GO_APP
        } else {
            &[]
        });
        symlink(&shadow, p.path().join(manifest)).unwrap();
        for cmd in ["detect", "init"] {
            dfgen()
                .args(
                    [cmd, "--yes"]
                        .iter()
                        .take(if cmd == "init" { 2 } else { 1 }),
                )
                .arg(p.path())
                .assert()
                .code(2)
                .stderr(
                    predicate::str::contains(manifest)
                        .and(predicate::str::contains("outside the project"))
                        .and(predicate::str::contains("SECRET").not()),
                )
                .stdout(predicate::str::contains("SECRET").not());
        }
    }
}

#[test]
fn symlinks_inside_the_project_still_work() {
    let p = project(&[
        ("shared/go.mod", "module example.com/hi\n\ngo 1.25\n"),
        (
            "main.go",
            "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":9000\", nil) }\n",
        ),
    ]);
    symlink("shared/go.mod", p.path().join("go.mod")).unwrap();
    dfgen()
        .args(["detect"])
        .arg(p.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("example.com/hi"));
}

/// Finding 5 for project files: a FIFO or a device where a manifest should be.
#[test]
fn fifo_and_device_manifests_are_errors_at_once() {
    let p = project(&[]);
    assert!(
        std::process::Command::new("mkfifo")
            .arg(p.path().join("package.json"))
            .status()
            .unwrap()
            .success()
    );
    let start = Instant::now();
    dfgen()
        .arg("detect")
        .arg(p.path())
        .timeout(Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("package.json").and(predicate::str::contains("FIFO")));
    assert!(start.elapsed() < Duration::from_secs(10));

    let p = project(GO_APP);
    fs::remove_file(p.path().join("go.mod")).unwrap();
    symlink("/dev/zero", p.path().join("go.mod")).unwrap();
    dfgen()
        .arg("detect")
        .arg(p.path())
        .timeout(Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("go.mod"));
}

/// A BOM (as Windows editors write) at the start of a manifest is accepted.
#[test]
fn byte_order_marks_are_accepted() {
    let bom = "\u{feff}";
    let cases: Vec<(Vec<(String, String)>, &str)> = vec![
        (
            vec![
                (
                    "go.mod".into(),
                    format!("{bom}module example.com/hi\n\ngo 1.25\n"),
                ),
                ("main.go".into(), GO_APP[1].1.into()),
            ],
            "example.com/hi",
        ),
        (
            vec![
                (
                    "package.json".into(),
                    format!(
                        "{bom}{{\"name\":\"web\",\"scripts\":{{\"start\":\"node server.js\"}}}}"
                    ),
                ),
                (
                    "server.js".into(),
                    "require('http').createServer().listen(3000)\n".into(),
                ),
            ],
            "npm",
        ),
        (
            vec![
                (
                    "Cargo.toml".into(),
                    format!(
                        "{bom}[package]\nname = \"hi\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"
                    ),
                ),
                ("src/main.rs".into(), "fn main() {}\n".into()),
            ],
            "hi",
        ),
        (
            vec![
                (
                    "pyproject.toml".into(),
                    format!(
                        "{bom}[project]\nname = \"hi\"\nversion = \"0.1.0\"\nrequires-python = \">=3.12\"\ndependencies = [\"fastapi\", \"uvicorn\"]\n"
                    ),
                ),
                (
                    "main.py".into(),
                    "from fastapi import FastAPI\napp = FastAPI()\n".into(),
                ),
            ],
            "python",
        ),
    ];
    for (files, expect) in cases {
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let p = project(&refs);
        let out = dfgen().arg("detect").arg(p.path()).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("BOM")
                && !stderr.contains("no module directive")
                && !stderr.contains("expected value"),
            "{}: {stderr}",
            files[0].0
        );
        assert!(out.status.success(), "{}: {stderr}", files[0].0);
        assert!(
            String::from_utf8_lossy(&out.stdout).contains(expect),
            "{}",
            files[0].0
        );
    }
}

/// Detection must not depend on the order the filesystem lists entries in:
/// the whole listing is sorted, then cut.
#[test]
fn listings_are_sorted_before_the_cap() {
    let dir = tempfile::tempdir().unwrap();
    let many = dir.path().join("many");
    fs::create_dir(&many).unwrap();
    let mut names: Vec<String> = (0..DIR_ENTRY_CAP + 300)
        .map(|i| format!("f{:05}", (i * 7919) % (DIR_ENTRY_CAP + 300)))
        .collect();
    for n in &names {
        fs::write(many.join(n), "").unwrap();
    }
    names.sort();
    names.truncate(DIR_ENTRY_CAP);
    let listed: Vec<String> = Project::open(dir.path())
        .unwrap()
        .list("many")
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(listed, names);
}

#[test]
fn directories_symlinked_outside_are_not_walked() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.go"), "package main\n").unwrap();
    let p = project(GO_APP);
    symlink(outside.path(), p.path().join("cmd")).unwrap();
    let project = Project::open(p.path()).unwrap();
    assert!(!project.is_dir("cmd"));
    assert!(project.list("cmd").unwrap().is_empty());
    assert!(project.read("cmd/secret.go", 1000).is_err());
}
