//! A bounded mutation fuzzer over the manifests of the example apps
//! (tests/apps, tests/fixtures): each case copies an app, mutates one or more
//! of its manifests (byte flips, deletions, duplications, truncation, BOMs and
//! injection payloads placed inside string values), plans and renders it with
//! the public API, and asserts:
//!
//! - no panic (planning and rendering return `Ok` or an `Err`, never unwind);
//! - no hang (each case answers within [`CASE_TIMEOUT`]);
//! - no generated line starts an instruction from mutated bytes: every payload
//!   carries a marker, and no line of any output may start with it, nor be an
//!   instruction whose argument starts with it (`\nRUN <marker>`), nor a
//!   `.dockerignore` negation of it.
//!
//! `DFGEN_FUZZ_CASES` sets the number of cases (default 2,000);
//! `DFGEN_FUZZ_SEED` the seed (default fixed, so failures reproduce).

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use dfgen::assets::Assets;
use dfgen::plan::Choices;
use dfgen::render::Renderer;

const MARK: &str = "ZZINJ";
const CASE_TIMEOUT: Duration = Duration::from_secs(20);
const DEFAULT_CASES: usize = 2_000;

const MANIFESTS: &[&str] = &[
    "go.mod",
    "package.json",
    "Cargo.toml",
    "pyproject.toml",
    "requirements.txt",
    "tsconfig.json",
    ".python-version",
    ".nvmrc",
    "rust-toolchain.toml",
    "vite.config.ts",
    "vite.config.js",
];

const INSTRUCTIONS: &[&str] = &[
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

fn payloads() -> Vec<String> {
    let m = MARK;
    vec![
        format!("\nRUN {m}"),
        format!("\r\nRUN {m}"),
        format!("\nrun {m}"),
        format!("\\nRUN {m}"),
        format!("\\r\\nUSER {m}"),
        format!("\\u000aRUN {m}"),
        format!("\u{2028}RUN {m}"),
        format!("\u{85}RUN {m}"),
        format!("\\u2028RUN {m}"),
        format!("\u{202E}{m}"),
        format!("\u{200B}{m}"),
        format!("\n!{m}"),
        format!("\\n!{m}"),
        format!("../../{m}"),
        format!("{m}/.."),
        format!("/{m}"),
        format!("-{m}"),
        format!("$({m})"),
        format!("`{m}`"),
        format!("\"{m}"),
        format!("'{m}"),
        format!("{{{{ {m} }}}}"),
        format!("{{% {m} %}}"),
        format!("{m}\\"),
        format!("{m} \\\n"),
        "\u{0}".to_string(),
        "\u{feff}".to_string(),
        "a".repeat(300),
        "99999999999999999999".to_string(),
        "-1".to_string(),
        "[[[[[[[[[[[[[[[[".to_string(),
        "{{{{{{{{{{{{{{{{".to_string(),
        ".".to_string(),
        "..".to_string(),
        "\"\"".to_string(),
        "\n".to_string(),
    ]
}

/// splitmix64: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>, payloads: &[String]) -> String {
    let len = bytes.len();
    match rng.below(9) {
        0 if len > 0 => {
            let i = rng.below(len);
            bytes[i] = rng.next() as u8;
            format!("flip byte {i}")
        }
        1 if len > 0 => {
            let i = rng.below(len);
            let n = 1 + rng.below(16.min(len - i));
            bytes.drain(i..i + n);
            format!("delete {n} at {i}")
        }
        2 if len > 0 => {
            let i = rng.below(len);
            let n = 1 + rng.below(32.min(len - i));
            let chunk = bytes[i..i + n].to_vec();
            let at = rng.below(len);
            bytes.splice(at..at, chunk);
            format!("duplicate {n} from {i} to {at}")
        }
        3 => {
            let i = rng.below(len + 1);
            bytes.truncate(i);
            format!("truncate at {i}")
        }
        4 => {
            bytes.splice(0..0, "\u{feff}".bytes());
            "BOM".into()
        }
        5..=7 => {
            // Inside a string value: right after a quote (JSON, TOML) or
            // after `= `/`: ` or at the end of a token.
            let p = &payloads[rng.below(payloads.len())];
            let spots: Vec<usize> = bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| matches!(b, b'"' | b'\'' | b'=' | b':' | b' ' | b'/'))
                .map(|(i, _)| i + 1)
                .collect();
            let at = if spots.is_empty() {
                rng.below(len + 1)
            } else {
                spots[rng.below(spots.len())]
            };
            bytes.splice(at..at, p.bytes());
            format!("insert {p:?} at {at}")
        }
        _ => {
            let p = &payloads[rng.below(payloads.len())];
            let at = rng.below(len + 1);
            bytes.splice(at..at, p.bytes());
            format!("insert {p:?} at {at}")
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap().flatten() {
        let name = e.file_name();
        if name == "node_modules" || name == "target" {
            continue;
        }
        let ft = e.file_type().unwrap();
        if ft.is_dir() {
            copy_dir(&e.path(), &to.join(&name));
        } else if ft.is_file() {
            fs::copy(e.path(), to.join(&name)).unwrap();
        }
    }
}

fn manifests_in(dir: &Path, rel: &str, out: &mut Vec<String>) {
    for e in fs::read_dir(dir.join(rel)).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let child = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        if e.file_type().unwrap().is_dir() {
            if name != "node_modules" && name != "target" && !name.starts_with('.') {
                manifests_in(dir, &child, out);
            }
        } else if MANIFESTS.contains(&name.as_str()) {
            out.push(child);
        }
    }
}

/// The offending line, if any output starts an instruction (or a
/// `.dockerignore` line) with marked, mutated bytes.
fn injected_line(path: &str, content: &str) -> Option<String> {
    for line in content.lines() {
        let t = line.trim_start();
        if t.starts_with('#') {
            continue;
        }
        let mut words = t.split_whitespace();
        let Some(first) = words.next() else { continue };
        // A value inside a template's line (`id=cargo-target-<name>`) is
        // not an injection; a line that begins with mutated bytes is, except
        // in .dockerignore, where the template puts a build output directory
        // (a checked path) on a line of its own. A negation (`!x`, which
        // would re-include a secret) never comes from a value.
        if first.strip_prefix('!').is_some_and(|f| f.starts_with(MARK))
            || (first.starts_with(MARK) && path != ".dockerignore")
        {
            return Some(format!("{path}: {line:?}"));
        }
        if INSTRUCTIONS.iter().any(|i| first.eq_ignore_ascii_case(i))
            && words.next().is_some_and(|w| w.starts_with(MARK))
        {
            return Some(format!("{path}: {line:?}"));
        }
    }
    None
}

struct Case {
    id: usize,
    dir: PathBuf,
    what: String,
}

#[test]
fn mutated_manifests_never_panic_hang_or_inject() {
    let cases: usize = std::env::var("DFGEN_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    let seed: u64 = std::env::var("DFGEN_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x00df_9e00);
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut apps: Vec<(PathBuf, Vec<String>)> = Vec::new();
    for group in ["apps", "fixtures"] {
        let mut dirs: Vec<PathBuf> = fs::read_dir(tests.join(group))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        for d in dirs {
            let mut m = Vec::new();
            manifests_in(&d, "", &mut m);
            m.sort();
            if !m.is_empty() {
                apps.push((d, m));
            }
        }
    }
    assert!(apps.len() >= 10, "{apps:?}");

    // One scratch copy per app; each case mutates it and restores it after.
    let scratch = tempfile::tempdir().unwrap();
    let copies: Vec<PathBuf> = apps
        .iter()
        .enumerate()
        .map(|(i, (d, _))| {
            let to = scratch.path().join(format!("app{i}"));
            copy_dir(d, &to);
            to
        })
        .collect();

    // The work runs on one worker thread, so a hang is a timeout here, not
    // a stuck test run.
    let (to_worker, work) = mpsc::channel::<Case>();
    type Outcome = Result<(bool, Option<String>), String>;
    let (to_main, results) = mpsc::channel::<(usize, Outcome)>();
    let worker = std::thread::spawn(move || {
        let assets = Assets::default();
        let renderer = Renderer::new(&assets).unwrap();
        for case in work {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let Ok(planned) = dfgen::pipeline::plan(&case.dir, &Choices::default(), &assets)
                else {
                    return (false, None);
                };
                let Ok(outputs) = renderer.render(&planned.plan) else {
                    return (false, None);
                };
                let injected = outputs
                    .iter()
                    .find_map(|o| injected_line(&o.path, &o.content));
                (true, injected)
            }))
            .map_err(|e| {
                e.downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "panic".into())
            });
            let _ = &case.what;
            if to_main.send((case.id, outcome)).is_err() {
                return;
            }
        }
    });

    let payloads = payloads();
    let mut rng = Rng(seed);
    let mut slowest = Duration::ZERO;
    let mut answered = 0usize;
    let mut rendered = 0usize;
    for id in 0..cases {
        let a = rng.below(apps.len());
        let (orig_dir, manifests) = &apps[a];
        let dir = &copies[a];
        let mut touched = Vec::new();
        let mut what = Vec::new();
        let rounds = if rng.below(4) == 0 {
            2 + rng.below(2)
        } else {
            1
        };
        for _ in 0..rounds {
            let m = &manifests[rng.below(manifests.len())];
            let path = dir.join(m);
            let mut bytes = fs::read(&path).unwrap();
            what.push(format!("{m}: {}", mutate(&mut rng, &mut bytes, &payloads)));
            fs::write(&path, &bytes).unwrap();
            touched.push(m.clone());
        }
        let what = format!(
            "case {id} (seed {seed}), {}: {}",
            orig_dir.display(),
            what.join("; ")
        );
        let start = Instant::now();
        to_worker
            .send(Case {
                id,
                dir: dir.clone(),
                what: what.clone(),
            })
            .unwrap();
        let (rid, outcome) = results
            .recv_timeout(CASE_TIMEOUT)
            .unwrap_or_else(|_| panic!("hang: no answer within {CASE_TIMEOUT:?} for {what}"));
        assert_eq!(rid, id);
        slowest = slowest.max(start.elapsed());
        match outcome {
            Err(panic) => panic!("panic: {panic}\n  in {what}"),
            Ok((_, Some(line))) => panic!("injected instruction: {line}\n  in {what}"),
            Ok((ok, None)) => {
                answered += 1;
                rendered += usize::from(ok);
            }
        }
        for m in touched {
            fs::copy(orig_dir.join(&m), dir.join(&m)).unwrap();
        }
    }
    drop(to_worker);
    worker.join().unwrap();
    eprintln!(
        "fuzz: {cases} cases over {} apps, {rendered} rendered (the rest were errors), slowest {slowest:?}",
        apps.len()
    );
    assert_eq!(answered, cases);
    // The fuzzer must reach the renderer, not only the parsers' error paths.
    assert!(
        rendered * 5 >= cases,
        "only {rendered} of {cases} cases rendered"
    );
}

#[test]
fn the_injection_check_sees_injections() {
    assert!(injected_line("Dockerfile", &format!("FROM x\nRUN {MARK}\n")).is_some());
    assert!(injected_line("Dockerfile", &format!("FROM x\n  run {MARK}\n")).is_some());
    assert!(injected_line(".dockerignore", &format!("dist\n!{MARK}\n")).is_some());
    assert!(injected_line(".dockerignore", &format!("dist\n{MARK}\n")).is_none());
    assert!(injected_line("Dockerfile", &format!("{MARK}\n")).is_some());
    assert!(injected_line("Dockerfile", &format!("# from {MARK}\nCMD [\"{MARK}\"]\n")).is_none());
    assert!(injected_line("Dockerfile", &format!("COPY x/{MARK} ./\n")).is_none());
    assert!(injected_line("Dockerfile", &format!("    --mount=id=x-{MARK} \\\n")).is_none());
}
