//! Deno: deno.json / deno.jsonc (tasks, imports, nodeModulesDir, vendor),
//! deno.lock, the Deno version (.dvmrc, .tool-versions), the entry module and
//! the flags its start task runs it with, and what the sources say about ports.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::evidence::{Evidence, Fact};
use crate::ports::{self as hints, PortHints};
use crate::project::{MANIFEST_CAP, Project};
use crate::safe;
use crate::version::Declared;

/// Entry modules tried, in order, when no task or deployment file names one.
pub const ENTRY_FILES: &[&str] = &[
    "main.ts",
    "main.js",
    "server.ts",
    "server.js",
    "src/main.ts",
    "src/main.js",
    "src/server.ts",
];

/// Flags of `deno run`/`deno serve` that take their value as the next word.
const VALUE_FLAGS: &[&str] = &[
    "-c",
    "--config",
    "--import-map",
    "--lock",
    "--cert",
    "--location",
    "--seed",
    "--ext",
    "-L",
    "--log-level",
    "--port",
    "--host",
    "--preload",
    "--require",
];

/// Flags for development only: dropped from the container's command.
const DEV_FLAGS: &[&str] = &[
    "--watch",
    "--watch-hmr",
    "--hmr",
    "--inspect",
    "--inspect-brk",
    "--inspect-wait",
    "-r",
    "--reload",
    "--env-file",
    "--env",
    "--no-clear-screen",
    "--watch-exclude",
];

#[derive(Debug, Clone, Serialize)]
pub struct DenoProject {
    /// deno.json or deno.jsonc.
    pub config: Option<String>,
    pub lockfile: Option<String>,
    /// package.json next to it (Deno 2 installs its dependencies too).
    pub package_json: bool,
    /// The config maps imports (or names an import map), or package.json exists:
    /// there are dependencies a lockfile would pin.
    pub has_dependencies: bool,
    pub version: Declared,
    /// `deno run` or `deno serve`.
    pub subcommand: String,
    pub entry: Option<Fact<String>>,
    /// The flags the start command gives deno, as written (permissions included).
    pub flags: Vec<String>,
    /// Arguments after the entry module.
    pub app_args: Vec<String>,
    /// No task says which permissions: these were inferred from the sources.
    pub inferred_permissions: Vec<Fact<String>>,
    /// deno.json sets `"vendor": true` or `nodeModulesDir`: the config already
    /// says where dependencies live.
    pub vendor_in_config: bool,
    pub ports: PortHints,
    /// deno.json has a `build` task: run at build time, before the runtime copy.
    pub build_task: Option<Fact<String>>,
    /// Flags dropped from the start command (development only), with why.
    pub dropped: Vec<String>,
    /// The entry and flags come from a start command (task or deployment file).
    pub from_command: bool,
}

pub fn detect(p: &Project) -> Result<Option<DenoProject>> {
    let config = ["deno.json", "deno.jsonc"]
        .into_iter()
        .find(|f| p.has_file(f))
        .map(str::to_string);
    let lockfile = p.has_file("deno.lock").then(|| "deno.lock".to_string());
    if config.is_none() && lockfile.is_none() {
        return Ok(None);
    }
    let json = match &config {
        Some(file) => {
            let text = p.read(file, MANIFEST_CAP)?;
            parse_jsonc(file, &text)?
        }
        None => serde_json::Value::Null,
    };
    let version = deno_version(p)?;
    let vendor_in_config = json.get("vendor").and_then(|v| v.as_bool()) == Some(true);
    let imports = json
        .get("imports")
        .and_then(|i| i.as_object())
        .is_some_and(|i| !i.is_empty());
    let package_json = p.has_file("package.json");
    let mut d = DenoProject {
        config: config.clone(),
        lockfile,
        package_json,
        has_dependencies: imports || json.get("importMap").is_some() || package_json,
        version,
        subcommand: "run".into(),
        entry: None,
        flags: Vec::new(),
        app_args: Vec::new(),
        inferred_permissions: Vec::new(),
        vendor_in_config,
        ports: PortHints::default(),
        dropped: Vec::new(),
        from_command: false,
        build_task: None,
    };
    if let (Some(file), Some((path, cmd))) = (&config, task_command(&json, "build")) {
        d.build_task = Some(Fact::in_file(cmd.clone(), file, format!("{path}: {cmd}")));
    }
    // The start task, else a production-sounding one, else the dev task (its
    // development flags dropped): the first that runs `deno run/serve <file>`.
    if let Some(file) = &config {
        for name in TASKS {
            let Some((path, task)) = task_command(&json, name) else {
                continue;
            };
            let evidence = Evidence::file(file.as_str(), format!("{path}: {task}"));
            parse_start(&task, evidence, &mut d)?;
            if d.entry.is_some() {
                break;
            }
        }
    }
    if d.entry.is_none()
        && let Some(f) = ENTRY_FILES.iter().find(|f| p.has_file(f))
    {
        d.entry = Some(Fact::in_file(
            f.to_string(),
            f,
            "the usual entry module name",
        ));
    }
    let sources = p.source_files("", &[".ts", ".js", ".tsx", ".jsx", ".mts", ".mjs"], 3, 200);
    let sources: Vec<String> = sources.into_iter().filter(|f| !is_test(f)).collect();
    d.ports = scan_ports(p, &sources, &d);
    if d.entry.is_some() && !d.from_command {
        d.inferred_permissions = infer_permissions(p, &sources);
    }
    Ok(Some(d))
}

/// Tasks that may say how the app runs, in the order they are trusted.
const TASKS: &[&str] = &["start", "serve", "prod", "production", "dev"];

/// A task's command: a string, or (Deno 2.1+) an object with `command`. A task
/// that only runs another (`deno task serve`) is followed, three levels deep.
/// Returns the tasks followed (`` `tasks.start` -> `tasks.serve` ``) and the command.
fn task_command(json: &serde_json::Value, name: &str) -> Option<(String, String)> {
    let mut name = name.to_string();
    let mut path = Vec::new();
    for _ in 0..3 {
        path.push(format!("`tasks.{name}`"));
        let t = json.get("tasks")?.get(&name)?;
        let cmd = t
            .as_str()
            .or_else(|| t.get("command").and_then(|c| c.as_str()))?
            .trim();
        match cmd.strip_prefix("deno task ") {
            Some(next) if !next.trim().contains(char::is_whitespace) => {
                name = next.trim().to_string()
            }
            _ => return Some((path.join(" -> "), cmd.to_string())),
        }
    }
    None
}

fn is_test(f: &str) -> bool {
    let name = f.rsplit('/').next().unwrap_or(f);
    name.contains("_test.") || name.contains(".test.") || name.starts_with("test.")
}

/// deno.json and deno.jsonc both allow comments and trailing commas: parsed
/// with the JSONC parser Deno itself uses, errors naming the line.
pub fn parse_jsonc(file: &str, text: &str) -> Result<serde_json::Value> {
    let v: Option<serde_json::Value> =
        jsonc_parser::parse_to_serde_value(text, &Default::default())
            .map_err(|e| Error::parse(file, format!("invalid JSON with comments: {e}")))?;
    Ok(v.unwrap_or(serde_json::Value::Null))
}

/// `.dvmrc` (dvm) or `.tool-versions` (asdf, mise): an exact Deno version.
fn deno_version(p: &Project) -> Result<Declared> {
    if let Some(text) = p.read_opt(".dvmrc", MANIFEST_CAP)? {
        let v = text.trim().trim_start_matches('v');
        let evidence = Evidence::file(".dvmrc", "line 1");
        if crate::version::parse_numbers(v).is_none() {
            return Err(Error::parse(
                ".dvmrc",
                format!("line 1: {:?} is not a Deno version", text.trim()),
            ));
        }
        return Ok(Declared::Pin {
            version: v.to_string(),
            evidence,
        });
    }
    Ok(crate::version::tool_versions(p, &["deno"])?.unwrap_or(Declared::Nothing))
}

/// Reads `deno run [flags] file [args]` (or `deno serve ...`) out of a start
/// command. Anything else (another task, a shell pipeline) names no entry.
pub fn parse_start(text: &str, evidence: Evidence, d: &mut DenoProject) -> Result<()> {
    let origin = evidence
        .file
        .clone()
        .unwrap_or_else(|| "start command".into());
    if crate::deploy::needs_shell(text) {
        return Ok(());
    }
    let words = safe::split_command(&origin, text)?;
    let mut it = words.iter().peekable();
    match it.next().map(|w| w.rsplit('/').next().unwrap_or(w)) {
        Some("deno") => {}
        _ => return Ok(()),
    }
    let sub = match it.next().map(String::as_str) {
        Some(s @ ("run" | "serve")) => s.to_string(),
        _ => return Ok(()),
    };
    let mut flags = Vec::new();
    let mut dropped = Vec::new();
    let mut entry = None;
    while let Some(w) = it.next() {
        if !w.starts_with('-') {
            entry = Some(w.clone());
            break;
        }
        let name = w.split('=').next().unwrap_or(w);
        let takes_value = VALUE_FLAGS.contains(&name) && !w.contains('=');
        let value = if takes_value {
            it.next().cloned()
        } else {
            None
        };
        if DEV_FLAGS.contains(&name) {
            dropped.push(match &value {
                Some(v) => format!("{w} {v}"),
                None => w.clone(),
            });
            continue;
        }
        flags.push(safe::exec_arg(&origin, "start command", w)?);
        if let Some(v) = value {
            flags.push(safe::exec_arg(&origin, "start command", &v)?);
        }
    }
    let Some(entry) = entry else {
        return Ok(());
    };
    // A URL or jsr:/npm: entry is not a file of the project.
    if entry.contains(':') {
        return Err(Error::field(
            &origin,
            "start command",
            format!(
                "runs {entry}, a remote module: dfgen containerises the project's own code; pass --cmd"
            ),
        ));
    }
    let entry = safe::rel_path(&origin, "entry module of the start command", &entry)?;
    d.app_args = it
        .map(|a| safe::exec_arg(&origin, "start command", a))
        .collect::<Result<_>>()?;
    d.subcommand = sub;
    d.flags = flags;
    d.dropped = dropped;
    d.entry = Some(Fact::new(entry, evidence));
    d.from_command = true;
    Ok(())
}

/// Ports from the sources, plus what only Deno code says: `Deno.env.get("PORT")`,
/// `Deno.serve` without a port (8000), `deno serve --port`, loopback hostnames.
fn scan_ports(p: &Project, sources: &[String], d: &DenoProject) -> PortHints {
    let mut h = hints::scan(p, sources);
    let mut default_serve: Option<Fact<u16>> = None;
    for file in sources {
        let Some(text) = p.read_source(file) else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            let t = line.trim_start();
            if t.starts_with("//") || t.starts_with('*') {
                continue;
            }
            if line.contains("Deno.env.get(\"PORT\")") || line.contains("Deno.env.get('PORT')") {
                h.reads_env = true;
            }
            let lower = line.to_ascii_lowercase();
            if lower.contains("hostname")
                && [
                    "\"127.0.0.1\"",
                    "'127.0.0.1'",
                    "\"localhost\"",
                    "'localhost'",
                ]
                .iter()
                .any(|l| lower.contains(l))
                && h.loopback.is_none()
            {
                h.loopback = Some(format!("{file}:{}", i + 1));
            }
            if default_serve.is_none() && line.contains("Deno.serve(") && !line.contains("port") {
                default_serve = Some(Fact::in_file(
                    8000,
                    file,
                    format!("line {}: Deno.serve without a port listens on 8000", i + 1),
                ));
            }
        }
    }
    if d.subcommand == "serve" {
        let port = d
            .flags
            .iter()
            .position(|f| f == "--port")
            .and_then(|i| d.flags.get(i + 1).cloned())
            .or_else(|| {
                d.flags
                    .iter()
                    .find_map(|f| f.strip_prefix("--port=").map(str::to_string))
            });
        if let Some(ev) = d.entry.as_ref().map(|e| e.evidence.clone()) {
            // `tasks.start`: deno serve ... → `tasks.start`, the part that says so.
            let task = ev.detail.split(": ").next().unwrap_or("").to_string();
            h.port = Some(match port.and_then(|p| p.parse::<u16>().ok()) {
                Some(p) => Fact::new(
                    p,
                    Evidence {
                        detail: format!("{task}, deno serve --port {p}"),
                        ..ev
                    },
                ),
                None => Fact::new(
                    8000,
                    Evidence {
                        detail: format!("{task}, deno serve without --port listens on 8000"),
                        ..ev
                    },
                ),
            });
        }
    } else if h.port.is_none() {
        h.port = default_serve;
    }
    h
}

/// The permissions the sources need, when no start task names them: network
/// for servers and fetch, env for Deno.env, read/write for file APIs. Each
/// with the first file and line that needs it.
fn infer_permissions(p: &Project, sources: &[String]) -> Vec<Fact<String>> {
    const NEEDS: &[(&str, &[&str])] = &[
        (
            "--allow-net",
            &["Deno.serve(", "Deno.listen(", "Deno.connect(", "fetch("],
        ),
        ("--allow-env", &["Deno.env.", "process.env"]),
        (
            "--allow-read",
            &[
                "Deno.readFile",
                "Deno.readTextFile",
                "Deno.readDir",
                "Deno.open(",
                "Deno.stat",
                "serveDir(",
                "serveFile(",
            ],
        ),
        (
            "--allow-write",
            &[
                "Deno.writeFile",
                "Deno.writeTextFile",
                "Deno.mkdir",
                "Deno.remove(",
            ],
        ),
    ];
    let mut out = Vec::new();
    for (flag, calls) in NEEDS {
        'files: for file in sources {
            let Some(text) = p.read_source(file) else {
                continue;
            };
            for (i, line) in text.lines().enumerate() {
                if line.trim_start().starts_with("//") {
                    continue;
                }
                if let Some(call) = calls.iter().find(|c| line.contains(*c)) {
                    out.push(Fact::in_file(
                        flag.to_string(),
                        file,
                        format!("line {}: {}", i + 1, call.trim_end_matches('(')),
                    ));
                    break 'files;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty() -> DenoProject {
        DenoProject {
            config: None,
            lockfile: None,
            package_json: false,
            has_dependencies: false,
            version: Declared::Nothing,
            subcommand: "run".into(),
            entry: None,
            flags: vec![],
            app_args: vec![],
            inferred_permissions: vec![],
            vendor_in_config: false,
            ports: PortHints::default(),
            dropped: vec![],
            from_command: false,
            build_task: None,
        }
    }

    #[test]
    fn start_task_flags_kept_dev_flags_dropped() {
        let mut d = empty();
        parse_start(
            "deno run --watch --allow-net --allow-env=PORT -c deno.json --env-file=.env main.ts --verbose",
            Evidence::file("deno.json", "tasks.start"),
            &mut d,
        )
        .unwrap();
        assert_eq!(d.entry.unwrap().value, "main.ts");
        assert_eq!(
            d.flags,
            ["--allow-net", "--allow-env=PORT", "-c", "deno.json"]
        );
        assert_eq!(d.app_args, ["--verbose"]);
        assert_eq!(d.dropped, ["--watch", "--env-file=.env"]);
    }

    #[test]
    fn other_commands_name_no_entry() {
        let mut d = empty();
        parse_start("deno task dev", Evidence::other("x"), &mut d).unwrap();
        assert!(d.entry.is_none());
        parse_start(
            "deno run -A main.ts && echo hi",
            Evidence::other("x"),
            &mut d,
        )
        .unwrap();
        assert!(d.entry.is_none());
        let e = parse_start(
            "deno run -A jsr:@std/http/file-server",
            Evidence::file("deno.json", "tasks.start"),
            &mut d,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("deno.json") && e.contains("remote module"),
            "{e}"
        );
    }

    #[test]
    fn jsonc_comments_and_trailing_commas() {
        let v = parse_jsonc(
            "deno.jsonc",
            "{\n  // the server\n  \"tasks\": { \"start\": \"deno run -N main.ts\", /* x */ },\n}\n",
        )
        .unwrap();
        assert_eq!(v["tasks"]["start"], "deno run -N main.ts");
        let e = parse_jsonc("deno.jsonc", "{\n  \"tasks\": {\n    \"start\": \n}\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("deno.jsonc") && e.contains("line"), "{e}");
    }
}
