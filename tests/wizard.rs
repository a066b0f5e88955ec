//! The wizard driven through a real pseudo-terminal, as a person would.
#![cfg(unix)]

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{files_in, tests_dir};
use rexpect::process::WaitStatus;
use rexpect::session::{PtySession, spawn_command};

const ENTER: &str = "\r";
const DOWN: &str = "\x1b[B";
const ESC: &str = "\x1b";

fn copy_app(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&tests_dir().join("apps").join(name), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

fn wizard(dir: &Path) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dfgen"));
    cmd.arg("init")
        .arg(dir)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    spawn_command(cmd, Some(20_000)).expect("spawn dfgen in a pty")
}

/// Waits for `prompt`, then types `keys`, one key at a time as a person would
/// (escape sequences sent in one write can be read as one unknown key).
fn answer(s: &mut PtySession, prompt: &str, keys: &str) {
    s.exp_string(prompt)
        .unwrap_or_else(|e| panic!("waiting for {prompt:?}: {e}"));
    let mut rest = keys;
    while !rest.is_empty() {
        let n = if rest.starts_with("\x1b[") {
            3
        } else {
            rest.chars().next().unwrap().len_utf8()
        };
        s.send(&rest[..n]).unwrap();
        s.flush().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(30));
        rest = &rest[n..];
    }
}

fn exit_code(s: &PtySession) -> i32 {
    match s.process().wait().unwrap() {
        WaitStatus::Exited(_, code) => code,
        other => panic!("dfgen did not exit normally: {other:?}"),
    }
}

#[test]
fn enter_through_everything_equals_yes() {
    let app = copy_app("go-root");
    let mut s = wizard(app.path());
    answer(&mut s, "Go version", ENTER);
    answer(&mut s, "Runtime image", ENTER);
    answer(&mut s, "Port", ENTER);
    answer(&mut s, "Start command", ENTER);
    answer(&mut s, "Also write compose.yaml", ENTER);
    answer(&mut s, "Write Dockerfile, .dockerignore?", ENTER);
    s.exp_eof().unwrap();
    assert_eq!(exit_code(&s), 0);

    let yes = copy_app("go-root");
    assert_cmd::Command::cargo_bin("dfgen")
        .unwrap()
        .args(["init", "--yes"])
        .arg(yes.path())
        .assert()
        .success();
    for f in ["Dockerfile", ".dockerignore"] {
        assert_eq!(
            fs::read(app.path().join(f)).unwrap(),
            fs::read(yes.path().join(f)).unwrap(),
            "{f}"
        );
    }
    assert!(
        !app.path().join("dfgen.yaml").exists(),
        "no choices differ, so no dfgen.yaml"
    );
}

#[test]
fn changing_port_and_runtime_is_written_and_saved() {
    let app = copy_app("go-root");
    let mut s = wizard(app.path());
    answer(&mut s, "Go version", ENTER);
    // distroless, glibc, scratch: two down is scratch.
    answer(&mut s, "Runtime image", &format!("{DOWN}{DOWN}{ENTER}"));
    answer(&mut s, "Port", &format!("9090{ENTER}"));
    answer(&mut s, "Start command", ENTER);
    answer(&mut s, "Also write compose.yaml", ENTER);
    answer(
        &mut s,
        "Write Dockerfile, .dockerignore, dfgen.yaml?",
        ENTER,
    );
    s.exp_eof().unwrap();
    assert_eq!(exit_code(&s), 0);
    let df = fs::read_to_string(app.path().join("Dockerfile")).unwrap();
    assert!(
        df.contains("FROM scratch AS runtime") && df.contains("EXPOSE 9090"),
        "{df}"
    );
    let cfg = fs::read_to_string(app.path().join("dfgen.yaml")).unwrap();
    assert!(
        cfg.contains("runtime: scratch") && cfg.contains("port: 9090"),
        "{cfg}"
    );
    assert!(
        !cfg.contains("version") && !cfg.contains("cmd"),
        "only what differs: {cfg}"
    );
    // A later non-interactive run reproduces the same files from dfgen.yaml alone.
    assert_cmd::Command::cargo_bin("dfgen")
        .unwrap()
        .args(["init", "--check"])
        .arg(app.path())
        .assert()
        .success();
}

#[test]
fn picking_one_of_several_mains() {
    let app = copy_app("go-cmd");
    let mut s = wizard(app.path());
    answer(
        &mut s,
        "Several programs can be built",
        &format!("{DOWN}{ENTER}"),
    );
    answer(&mut s, "Go version", ENTER);
    answer(&mut s, "Runtime image", ENTER);
    answer(&mut s, "Port", ENTER);
    answer(&mut s, "Start command", ENTER);
    answer(&mut s, "Also write compose.yaml", ENTER);
    answer(&mut s, "Write", ENTER);
    s.exp_eof().unwrap();
    assert_eq!(exit_code(&s), 0);
    let df = fs::read_to_string(app.path().join("Dockerfile")).unwrap();
    assert!(df.contains("-o /out/worker ./cmd/worker"), "{df}");
    assert!(
        fs::read_to_string(app.path().join("dfgen.yaml"))
            .unwrap()
            .contains("main: cmd/worker")
    );
}

#[test]
fn escape_midway_writes_nothing_and_exits_130() {
    let app = copy_app("go-root");
    let before = files_in(app.path());
    let mut s = wizard(app.path());
    answer(&mut s, "Go version", ENTER);
    answer(&mut s, "Runtime image", ESC);
    s.exp_eof().unwrap();
    assert_eq!(exit_code(&s), 130);
    assert_eq!(files_in(app.path()), before);
}

#[test]
fn ctrl_c_at_a_text_prompt_writes_nothing_and_exits_130() {
    let app = copy_app("node-express");
    let before = files_in(app.path());
    let mut s = wizard(app.path());
    answer(&mut s, "Node version", ENTER);
    answer(&mut s, "Runtime image", ENTER);
    s.exp_string("Port").unwrap();
    s.send_control('c').unwrap();
    s.exp_eof().unwrap();
    assert_eq!(exit_code(&s), 130);
    assert_eq!(files_in(app.path()), before);
}

#[test]
fn a_differing_generated_file_is_asked_about() {
    let app = copy_app("go-root");
    assert_cmd::Command::cargo_bin("dfgen")
        .unwrap()
        .args(["init", "--yes", "--port", "7070"])
        .arg(app.path())
        .assert()
        .success();
    fs::remove_file(app.path().join("dfgen.yaml")).unwrap();
    let mut s = wizard(app.path());
    answer(&mut s, "Go version", ENTER);
    answer(&mut s, "Runtime image", ENTER);
    answer(&mut s, "Port", ENTER);
    answer(&mut s, "Start command", ENTER);
    answer(&mut s, "Also write compose.yaml", ENTER);
    answer(&mut s, "Write", ENTER);
    // show the diff, then keep the user's file
    answer(
        &mut s,
        "Dockerfile differs",
        &format!("{DOWN}{DOWN}{ENTER}"),
    );
    s.exp_string("-EXPOSE 7070").unwrap();
    answer(&mut s, "Dockerfile differs", &format!("{DOWN}{ENTER}"));
    // its header named dfgen.yaml, which is gone: overwrite this one
    answer(&mut s, ".dockerignore differs", ENTER);
    s.exp_eof().unwrap();
    assert_eq!(exit_code(&s), 0);
    assert!(
        fs::read_to_string(app.path().join("Dockerfile"))
            .unwrap()
            .contains("EXPOSE 7070"),
        "kept"
    );
    let ignore = fs::read_to_string(app.path().join(".dockerignore")).unwrap();
    assert!(!ignore.contains("dfgen.yaml"), "overwritten: {ignore}");
}

#[test]
fn enter_through_keeps_the_choices_saved_in_dfgen_yaml() {
    // Saved: build cmd/worker (not detection's pick, cmd/api) and write compose.yaml.
    let app = copy_app("go-cmd");
    assert_cmd::Command::cargo_bin("dfgen")
        .unwrap()
        .args([
            "init",
            "--yes",
            "--main",
            "cmd/worker",
            "--also",
            "compose.yaml",
        ])
        .arg(app.path())
        .assert()
        .success();
    let before: Vec<(String, Vec<u8>)> = files_in(app.path())
        .into_iter()
        .filter(|f| app.path().join(f).is_file())
        .map(|f| {
            let bytes = fs::read(app.path().join(&f)).unwrap();
            (f, bytes)
        })
        .collect();
    let mut s = wizard(app.path());
    answer(&mut s, "Several programs", ENTER);
    answer(&mut s, "Go version", ENTER);
    answer(&mut s, "Runtime image", ENTER);
    answer(&mut s, "Port", ENTER);
    answer(&mut s, "Start command", ENTER);
    answer(&mut s, "Also write compose.yaml", ENTER);
    answer(&mut s, "Write Dockerfile", ENTER);
    s.exp_eof().unwrap();
    assert_eq!(exit_code(&s), 0);
    for (f, bytes) in before {
        assert_eq!(fs::read(app.path().join(&f)).unwrap(), bytes, "{f} changed");
    }
    let df = fs::read_to_string(app.path().join("Dockerfile")).unwrap();
    assert!(df.contains("./cmd/worker"), "{df}");
    assert!(app.path().join("compose.yaml").exists());
}
