//! Issue 12, finding 3: secrets at any depth stay out of the build context,
//! checked with Docker's own matching (not a re-implementation of it): the
//! generated .dockerignore of each ecosystem goes into a context full of
//! secrets, BuildKit copies that context into an empty image exported to a
//! local directory (`FROM scratch`, `COPY . /`, `--output type=local`), and the
//! test lists what arrived.
//!
//! Needs a Docker engine with BuildKit, so it is ignored by default:
//! `cargo test --test dockerignore -- --ignored` (DOCKER picks the client,
//! default /usr/bin/docker). It fails, never skips, when run without one.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{CASES, render_case};

/// Files that must never reach the context.
const SECRETS: &[&str] = &[
    ".env",
    ".env.local",
    "config/.env",
    "config/.env.production",
    "packages/api/.env.local",
    ".envrc",
    "certs/tls.key",
    "certs/tls.pem",
    "deep/a/b/c/server.pem",
    "keys/client.p12",
    ".ssh/id_ed25519",
    ".ssh/config",
    "home/.ssh/id_rsa",
    "deploy/id_rsa",
    "deploy/id_rsa.pub",
    "deploy/id_ed25519",
    "deploy/id_ecdsa",
    ".aws/credentials",
    "infra/.aws/config",
    ".git-credentials",
    "sub/.git-credentials",
    "credentials.json",
    "gcp/credentials.json",
    ".netrc",
    "sub/.netrc",
    ".pypirc",
    "py/.pypirc",
    ".npmrc",
    "packages/web/.npmrc",
    ".gnupg/private-keys-v1.d/x.key",
];

/// Files that must still arrive (examples and ordinary sources).
const KEPT: &[&str] = &[
    ".env.example",
    "config/.env.example",
    "config/.env.sample",
    "config/.env.template",
    "config/.env.defaults",
    "app/main.src",
    "config/settings.yaml",
    "docs/keys.md",
];

fn docker() -> String {
    std::env::var("DOCKER").unwrap_or_else(|_| "/usr/bin/docker".into())
}

fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if e.file_type().unwrap().is_dir() {
            walk(&p, base, out);
        } else {
            out.push(
                p.strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
            );
        }
    }
}

#[test]
#[ignore = "needs a Docker engine with BuildKit: cargo test --test dockerignore -- --ignored"]
fn secrets_at_any_depth_never_reach_the_build_context() {
    let info = Command::new(docker()).arg("info").output();
    assert!(
        info.as_ref().is_ok_and(|o| o.status.success()),
        "no Docker engine answers at {}",
        docker()
    );
    // One case per distinct .dockerignore template.
    let mut seen = std::collections::BTreeSet::new();
    for case in CASES {
        let (_, outputs) = render_case(case);
        let ignore = outputs
            .iter()
            .find(|o| o.path == ".dockerignore")
            .unwrap()
            .content
            .clone();
        let ecosystem = case.name.split('-').next().unwrap().to_string();
        if !seen.insert(ecosystem.clone()) {
            continue;
        }
        let ctx = tempfile::tempdir().unwrap();
        let work = tempfile::tempdir().unwrap();
        for f in SECRETS.iter().chain(KEPT) {
            let p = ctx.path().join(f);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(&p, format!("content of {f}\n")).unwrap();
        }
        fs::write(ctx.path().join(".dockerignore"), &ignore).unwrap();
        let dockerfile = work.path().join("Dockerfile");
        fs::write(&dockerfile, "FROM scratch\nCOPY . /\n").unwrap();
        let out = work.path().join("out");
        let status = Command::new(docker())
            .env("DOCKER_BUILDKIT", "1")
            .args(["build", "--quiet", "--output"])
            .arg(format!("type=local,dest={}", out.display()))
            .arg("-f")
            .arg(&dockerfile)
            .arg(ctx.path())
            .status()
            .unwrap();
        assert!(status.success(), "{ecosystem}: docker build failed");
        let mut arrived = Vec::new();
        walk(&out, &out, &mut arrived);
        arrived.sort();
        let leaked: Vec<&&str> = SECRETS
            .iter()
            .filter(|s| arrived.iter().any(|a| a == *s))
            .collect();
        assert!(
            leaked.is_empty(),
            "{ecosystem}: secrets reached the build context: {leaked:?}\n(arrived: {arrived:?})"
        );
        let missing: Vec<&&str> = KEPT
            .iter()
            .filter(|k| !arrived.iter().any(|a| a == *k))
            .collect();
        assert!(
            missing.is_empty(),
            "{ecosystem}: files that should reach the context did not: {missing:?}\n(arrived: {arrived:?})"
        );
    }
    assert_eq!(seen.len(), 4, "{seen:?}");
}
