//! Evidence from the project's own deployment files: real projects often
//! already say how they run. Read, with evidence, whatever ecosystem the
//! project is: `Procfile`, `app.json`, `fly.toml`, `render.yaml`, compose
//! files, a hand-written Dockerfile, `.env.example`/`.env.sample`.
//!
//! Ranking: an explicit deployment file beats framework config, which beats
//! code, which beats defaults. Among deployment files, the ones that describe
//! the deployed process itself (Procfile, fly.toml, render.yaml) rank above the
//! ones that describe a local set-up (compose, an old Dockerfile, env samples).
//! Everything read is kept in `seen`, so `dfgen detect` shows what else was seen.

use serde::Serialize;
use serde_json::Value;

use crate::error::Result;
use crate::evidence::{Evidence, Fact};
use crate::formats::{parse_json, parse_toml};
use crate::project::{MANIFEST_CAP, Project};
use crate::safe;

/// What the deployment files say, the winning value of each kind first.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Deployment {
    /// The web process's start command (shell text, as these files hold it).
    pub command: Option<Fact<String>>,
    /// The port the app listens on inside the container.
    pub port: Option<Fact<u16>>,
    /// Every value read, in rank order (the winners included).
    pub seen: Vec<Seen>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Seen {
    /// `command` or `port`.
    pub what: &'static str,
    pub value: String,
    pub evidence: Evidence,
}

impl Deployment {
    fn command(&mut self, text: &str, file: &str, detail: String) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        let fact = Fact::in_file(text.to_string(), file, detail);
        self.seen.push(Seen {
            what: "command",
            value: fact.value.clone(),
            evidence: fact.evidence.clone(),
        });
        if self.command.is_none() {
            self.command = Some(fact);
        }
    }

    fn port(&mut self, port: u16, file: &str, detail: String) {
        if port == 0 {
            return;
        }
        let fact = Fact::in_file(port, file, detail);
        self.seen.push(Seen {
            what: "port",
            value: port.to_string(),
            evidence: fact.evidence.clone(),
        });
        if self.port.is_none() {
            self.port = Some(fact);
        }
    }

    /// The program the deployment command runs (the base name of its first
    /// word: `bin/api serve` → `api`), to match against built binaries.
    pub fn program(&self) -> Option<String> {
        let cmd = self.command.as_ref()?;
        let first = safe::split_command("deployment file", &cmd.value)
            .ok()?
            .into_iter()
            .next()?;
        Some(first.rsplit('/').next().unwrap_or(&first).to_string())
    }

    /// The arguments the deployment command gives `binary` (`api serve
    /// --config /etc/api.toml` → `serve --config /etc/api.toml`), for an
    /// image without a shell. A command that needs a shell gives none, with a warning.
    pub fn args_for(&self, binary: &str, warnings: &mut Vec<String>) -> Option<Fact<Vec<String>>> {
        let cmd = self.command.as_ref()?;
        if self.program().as_deref() != Some(binary) {
            return None;
        }
        if needs_shell(&cmd.value) {
            warnings.push(format!(
                "{} runs `{}`, which needs a shell; the image has none, so its arguments are not \
                 used: pass --cmd to set them",
                cmd.evidence, cmd.value
            ));
            return None;
        }
        let words = safe::split_command("deployment file", &cmd.value).ok()?;
        (words.len() > 1).then(|| Fact::new(words[1..].to_vec(), cmd.evidence.clone()))
    }

    /// The values that lost to the winner of their kind, for "also seen".
    pub fn also_seen(&self) -> Vec<&Seen> {
        self.seen
            .iter()
            .filter(|s| {
                let winner = match s.what {
                    "command" => self.command.as_ref().map(|c| &c.evidence),
                    _ => self.port.as_ref().map(|p| &p.evidence),
                };
                winner != Some(&s.evidence)
            })
            .collect()
    }
}

/// Reads every deployment file of the project, in rank order.
pub fn read(p: &Project) -> Result<Deployment> {
    let mut d = Deployment::default();
    procfile(p, &mut d)?;
    fly_toml(p, &mut d)?;
    render_yaml(p, &mut d)?;
    app_json(p, &mut d)?;
    compose(p, &mut d)?;
    dockerfile(p, &mut d)?;
    env_sample(p, &mut d)?;
    Ok(d)
}

/// `web: <command>`. `release:` and worker processes are not the start command.
fn procfile(p: &Project, d: &mut Deployment) -> Result<()> {
    let Some(text) = p.read_opt("Procfile", MANIFEST_CAP)? else {
        return Ok(());
    };
    for (i, line) in text.lines().enumerate() {
        let Some(cmd) = line.trim().strip_prefix("web:") else {
            continue;
        };
        let detail = format!("web process, line {}", i + 1);
        if let Some(port) = port_in_command(cmd) {
            d.port(port, "Procfile", detail.clone());
        }
        d.command(cmd, "Procfile", detail);
    }
    Ok(())
}

/// fly.toml: `[http_service] internal_port`, `[[services]] internal_port`,
/// `[processes] app|web` and `[experimental] cmd`.
fn fly_toml(p: &Project, d: &mut Deployment) -> Result<()> {
    let Some(text) = p.read_opt("fly.toml", MANIFEST_CAP)? else {
        return Ok(());
    };
    let doc = parse_toml("fly.toml", &text)?;
    let line = |needle: &str| line_of(&text, needle);
    if let Some(port) = doc
        .get("http_service")
        .and_then(|s| s.get("internal_port"))
        .and_then(|v| v.as_integer())
    {
        d.port(
            port_u16(port),
            "fly.toml",
            format!("http_service.internal_port{}", line("internal_port")),
        );
    }
    if let Some(services) = doc.get("services").and_then(|s| s.as_array_of_tables()) {
        for s in services {
            if let Some(port) = s.get("internal_port").and_then(|v| v.as_integer()) {
                d.port(
                    port_u16(port),
                    "fly.toml",
                    format!("services.internal_port{}", line("internal_port")),
                );
            }
        }
    }
    if let Some(procs) = doc.get("processes").and_then(|s| s.as_table_like()) {
        for key in ["web", "app"] {
            if let Some(cmd) = procs.get(key).and_then(|v| v.as_str()) {
                d.command(cmd, "fly.toml", format!("processes.{key}{}", line(cmd)));
            }
        }
    }
    if let Some(cmd) = doc
        .get("experimental")
        .and_then(|s| s.get("cmd"))
        .and_then(|v| v.as_array())
    {
        let argv: Vec<String> = cmd
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        d.command(
            &safe::shell_join(&argv),
            "fly.toml",
            "experimental.cmd".into(),
        );
    }
    Ok(())
}

/// render.yaml: the web service's `startCommand` and a `PORT` env var.
fn render_yaml(p: &Project, d: &mut Deployment) -> Result<()> {
    let Some(text) = p.read_opt("render.yaml", MANIFEST_CAP)? else {
        return Ok(());
    };
    let doc: Value = crate::yaml::from_str("render.yaml", &text)?;
    let services = doc.get("services").and_then(Value::as_array);
    for s in services.into_iter().flatten() {
        if s.get("type").and_then(Value::as_str) != Some("web") {
            continue;
        }
        for env in s
            .get("envVars")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if env.get("key").and_then(Value::as_str) == Some("PORT")
                && let Some(port) = env.get("value").and_then(value_port)
            {
                d.port(
                    port,
                    "render.yaml",
                    format!("envVars PORT{}", line_of(&text, "PORT")),
                );
            }
        }
        if let Some(cmd) = s.get("startCommand").and_then(Value::as_str) {
            d.command(
                cmd,
                "render.yaml",
                format!("startCommand{}", line_of(&text, "startCommand")),
            );
        }
    }
    Ok(())
}

/// app.json (Heroku): `env.PORT.value`.
fn app_json(p: &Project, d: &mut Deployment) -> Result<()> {
    let Some(text) = p.read_opt("app.json", MANIFEST_CAP)? else {
        return Ok(());
    };
    let doc = parse_json("app.json", &text)?;
    if let Some(port) = doc
        .pointer("/env/PORT/value")
        .or_else(|| doc.pointer("/env/PORT"))
        .and_then(value_port)
    {
        d.port(
            port,
            "app.json",
            format!("env.PORT{}", line_of(&text, "PORT")),
        );
    }
    Ok(())
}

const COMPOSE_FILES: &[&str] = &[
    "compose.yaml",
    "compose.yml",
    "docker-compose.yml",
    "docker-compose.yaml",
];

/// The compose service built from this directory: its container port and command.
fn compose(p: &Project, d: &mut Deployment) -> Result<()> {
    for file in COMPOSE_FILES {
        let Some(text) = p.read_opt(file, MANIFEST_CAP)? else {
            continue;
        };
        if text.starts_with("# Generated by dfgen") {
            continue;
        }
        let doc: Value = crate::yaml::from_str(file, &text)?;
        let Some(services) = doc.get("services").and_then(Value::as_object) else {
            continue;
        };
        let built_here = |s: &Value| match s.get("build") {
            Some(Value::String(ctx)) => is_here(ctx),
            Some(b) => b.get("context").and_then(Value::as_str).is_none_or(is_here),
            None => false,
        };
        let Some((name, service)) = services.iter().find(|(_, s)| built_here(s)) else {
            continue;
        };
        let ports = service.get("ports").and_then(Value::as_array);
        for entry in ports.into_iter().flatten() {
            if let Some(port) = compose_container_port(entry) {
                d.port(
                    port,
                    file,
                    format!(
                        "service `{name}`, ports{}",
                        line_of(&text, &entry_text(entry))
                    ),
                );
            }
        }
        let expose = service.get("expose").and_then(Value::as_array);
        for entry in expose.into_iter().flatten() {
            if let Some(port) = value_port(entry) {
                d.port(port, file, format!("service `{name}`, expose"));
            }
        }
        match service.get("command") {
            Some(Value::String(cmd)) => d.command(
                cmd,
                file,
                format!("service `{name}`, command{}", line_of(&text, "command:")),
            ),
            Some(Value::Array(args)) => {
                let argv: Vec<String> = args
                    .iter()
                    .filter_map(|a| a.as_str().map(str::to_string))
                    .collect();
                d.command(
                    &safe::shell_join(&argv),
                    file,
                    format!("service `{name}`, command{}", line_of(&text, "command:")),
                );
            }
            _ => {}
        }
        // One compose file is the project's; the others are overrides.
        break;
    }
    Ok(())
}

fn is_here(ctx: &str) -> bool {
    matches!(ctx.trim_end_matches('/'), "." | "")
}

fn entry_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `"8080:80"`, `"127.0.0.1:8080:80/tcp"`, `80`, `{target: 80}` → 80.
fn compose_container_port(v: &Value) -> Option<u16> {
    match v {
        Value::Object(o) => o.get("target").and_then(value_port),
        Value::Number(_) => value_port(v),
        Value::String(s) => {
            let s = s.split('/').next()?;
            let last = s.rsplit(':').next()?;
            if last.contains('-') {
                return None; // a range: no single port to expose
            }
            last.trim().parse().ok().filter(|p| *p > 0)
        }
        _ => None,
    }
}

/// A hand-written Dockerfile (one without dfgen's header): `EXPOSE`, `CMD`,
/// `ENTRYPOINT` of its last stage.
fn dockerfile(p: &Project, d: &mut Deployment) -> Result<()> {
    // An output dfgen may replace: a symlinked one is no hint (see write.rs).
    let Some(text) = p.read_opt_unlinked("Dockerfile", MANIFEST_CAP)? else {
        return Ok(());
    };
    if text.starts_with("# Generated by dfgen") {
        return Ok(());
    }
    // Only the final stage runs; earlier stages' instructions are build-time.
    let last_from = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().to_ascii_uppercase().starts_with("FROM "))
        .map(|(i, _)| i)
        .last()
        .unwrap_or(0);
    let mut entrypoint: Option<(String, usize)> = None;
    let mut cmd: Option<(String, usize)> = None;
    for (i, line) in text.lines().enumerate().skip(last_from) {
        let t = line.trim();
        let (word, rest) = t.split_once(char::is_whitespace).unwrap_or((t, ""));
        match word.to_ascii_uppercase().as_str() {
            "EXPOSE" => {
                if let Some(port) = rest
                    .split_whitespace()
                    .next()
                    .and_then(|w| w.split('/').next())
                    .and_then(|w| w.parse::<u16>().ok())
                {
                    d.port(port, "Dockerfile", format!("EXPOSE, line {}", i + 1));
                }
            }
            "CMD" => cmd = Some((instruction_command(rest), i + 1)),
            "ENTRYPOINT" => entrypoint = Some((instruction_command(rest), i + 1)),
            _ => {}
        }
    }
    let joined = match (entrypoint, cmd) {
        (Some((e, line)), Some((c, _))) => Some((format!("{e} {c}"), line, "ENTRYPOINT and CMD")),
        (Some((e, line)), None) => Some((e, line, "ENTRYPOINT")),
        (None, Some((c, line))) => Some((c, line, "CMD")),
        (None, None) => None,
    };
    if let Some((text, line, what)) = joined {
        d.command(&text, "Dockerfile", format!("{what}, line {line}"));
    }
    Ok(())
}

/// Exec form (`["a", "b"]`) becomes a command line; shell form stays as written.
fn instruction_command(rest: &str) -> String {
    let rest = rest.trim();
    if rest.starts_with('[')
        && let Ok(argv) = serde_json::from_str::<Vec<String>>(rest)
    {
        return safe::shell_join(&argv);
    }
    rest.to_string()
}

/// `.env.example` / `.env.sample`: a `PORT=` line. Samples, not secrets.
fn env_sample(p: &Project, d: &mut Deployment) -> Result<()> {
    for file in [".env.example", ".env.sample"] {
        let Some(text) = p.read_opt(file, MANIFEST_CAP)? else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            let line = line.trim().trim_start_matches("export ").trim();
            if let Some(v) = line.strip_prefix("PORT=") {
                let v = v.trim().trim_matches(|c| c == '"' || c == '\'');
                if let Ok(port) = v.parse::<u16>() {
                    d.port(port, file, format!("PORT, line {}", i + 1));
                }
            }
        }
    }
    Ok(())
}

/// A literal port in a start command: `--port 8000`, `--bind 0.0.0.0:8000`,
/// `-b :8000`, `-p 8000`, `--port=8000`, `PORT=8000 node app.js`.
pub fn port_in_command(cmd: &str) -> Option<u16> {
    // Shell words, so a quoted `--bind '0.0.0.0:5000'` counts; blanks when
    // the quoting is broken (the command itself is checked elsewhere).
    let words: Vec<String> = shell_words::split(cmd)
        .unwrap_or_else(|_| cmd.split_whitespace().map(String::from).collect());
    for (j, w) in words.iter().enumerate() {
        let value = if let Some(v) = ["--port=", "--bind=", "-b=", "--http=", "PORT="]
            .iter()
            .find_map(|p| w.strip_prefix(p))
        {
            Some(v)
        } else if matches!(
            w.as_str(),
            "--port" | "-p" | "--bind" | "-b" | "--http" | "--listen"
        ) {
            words.get(j + 1).map(String::as_str)
        } else {
            None
        };
        let Some(v) = value else { continue };
        // `${PORT:-5000}`: the default the command falls back to.
        let v = match v.split_once(":-") {
            Some((_, default)) => default.trim_end_matches('}'),
            None => v,
        };
        let digits = v.rsplit(':').next().unwrap_or(v);
        if let Ok(port) = digits.parse::<u16>()
            && port > 0
        {
            return Some(port);
        }
    }
    None
}

fn value_port(v: &Value) -> Option<u16> {
    match v {
        Value::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|p| *p > 0)
}

fn port_u16(n: i64) -> u16 {
    u16::try_from(n).unwrap_or(0)
}

/// `, line N` for the first line holding `needle`, for evidence.
fn line_of(text: &str, needle: &str) -> String {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| format!(", line {}", i + 1))
        .unwrap_or_default()
}

/// Whether a command line needs a shell to mean what it says: variables,
/// operators, redirections, globs, or a leading `VAR=value`.
pub fn needs_shell(text: &str) -> bool {
    let leading_assignment = text
        .split_whitespace()
        .next()
        .is_some_and(|w| w.contains('=') && !w.starts_with(['\'', '"']));
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            // Inside double quotes the shell still expands $ and `.
            (Some('"'), '$' | '`') => return true,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (
                None,
                '$' | '&' | '|' | ';' | '<' | '>' | '`' | '(' | ')' | '*' | '?' | '~' | '\\',
            ) => {
                return true;
            }
            (None, _) => {}
        }
    }
    leading_assignment
}

/// A deployment command in exec form. A plain command line (words and quotes)
/// is split into its words; anything a shell must interpret (`$VAR`, `&&`,
/// redirections, `VAR=value cmd`) runs under `sh -c` with `exec` before the
/// final process, so signals reach it — and only where the runtime has a shell.
pub fn exec_form(cmd: &Fact<String>, runtime_has_shell: bool) -> Result<Vec<String>> {
    let file = cmd.evidence.file.as_deref().unwrap_or("deployment file");
    let text = cmd.value.trim();
    if !needs_shell(text) {
        return safe::split_command(file, text);
    }
    if !runtime_has_shell {
        return Err(crate::error::Error::field(
            file,
            cmd.evidence.detail.clone(),
            format!(
                "`{text}` needs a shell, and this runtime image has none; pass --cmd with a plain \
                 command, or choose a runtime with a shell (--runtime)"
            ),
        ));
    }
    // `a && b` / `a; b`: exec the last process, so it is PID 1 and gets signals.
    let cut = [" && ", "; ", ";"]
        .iter()
        .filter_map(|sep| text.rfind(sep).map(|i| i + sep.len()))
        .max();
    let script = match cut {
        Some(i) => format!("{}exec {}", &text[..i], text[i..].trim_start()),
        None => format!("exec {text}"),
    };
    let script = safe::exec_arg(file, &cmd.evidence.detail, &script)?;
    Ok(vec!["sh".into(), "-c".into(), script])
}

/// The config file a start command names (`--config /etc/app.toml`,
/// `-c=app.yaml`): it is not in the image (it may hold secrets), so the
/// Dockerfile says how to mount it, and names the repository's example of
/// it when there is one (`app.example.toml`, `config.toml.sample`...).
/// `workdir` is the runtime's working directory, for relative paths.
pub fn config_mount_notes(
    p: &Project,
    argv: &[String],
    evidence: &crate::evidence::Evidence,
    workdir: &str,
) -> Vec<String> {
    const FLAGS: &[&str] = &["--config", "-config", "--config-file", "-c", "--conf"];
    let mut found = None;
    for (i, a) in argv.iter().enumerate().skip(1) {
        if let Some((flag, value)) = a.split_once('=')
            && FLAGS.contains(&flag)
        {
            found = Some((flag.to_string(), value.to_string()));
            break;
        }
        if FLAGS.contains(&a.as_str())
            && let Some(value) = argv.get(i + 1)
        {
            found = Some((a.clone(), value.clone()));
            break;
        }
    }
    let Some((flag, path)) = found else {
        return Vec::new();
    };
    // Only plain paths reach the comment; anything else is left unexplained.
    let plain = !path.is_empty()
        && !path.starts_with('-')
        && !path.split('/').any(|s| s == "..")
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/-".contains(c));
    if !plain {
        return Vec::new();
    }
    let target = if path.starts_with('/') {
        path.clone()
    } else {
        format!(
            "{}/{}",
            workdir.trim_end_matches('/'),
            path.trim_start_matches("./")
        )
    };
    let name = path.rsplit('/').next().unwrap_or(&path).to_string();
    let mut notes = vec![
        format!("The app reads its configuration from {target} ({flag}, {evidence})."),
        "It is not in the image (it may hold secrets): mount yours when the container starts:"
            .to_string(),
    ];
    notes.push(format!("  docker run -v \"$PWD/{name}:{target}:ro\" ..."));
    if let Some(example) = example_config(p, &name) {
        notes.push(format!("{example} in the repository is a template for it."));
    }
    notes
}

/// A file in the root, config/, configs/ or etc/ that is an example of
/// `name` (`app.toml` → `app.example.toml`, `app.toml.example`,
/// `app.sample.toml`, `app.toml.dist`...), the first in sorted order.
fn example_config(p: &Project, name: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let mut wanted = Vec::new();
    for tag in ["example", "sample", "dist", "template"] {
        wanted.push(format!("{name}.{tag}"));
        if !ext.is_empty() {
            wanted.push(format!("{stem}.{tag}.{ext}"));
            wanted.push(format!("{stem}-{tag}.{ext}"));
        }
    }
    for dir in ["", "config", "configs", "etc"] {
        let Ok(entries) = p.list(dir) else {
            continue;
        };
        let mut names: Vec<&str> = entries
            .iter()
            .filter(|e| !e.is_dir)
            .map(|e| e.name.as_str())
            .filter(|n| wanted.iter().any(|w| w == n))
            .collect();
        names.sort_unstable();
        if let Some(n) = names.first() {
            return Some(crate::project::join(dir, n));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(s: &str) -> Fact<String> {
        Fact::in_file(s.to_string(), "Procfile", "web process, line 1")
    }

    #[test]
    fn plain_commands_become_words_shell_ones_sh_c_with_exec() {
        assert_eq!(
            exec_form(
                &fact("gunicorn -c gunicorn.conf.py 'app:create_app()'"),
                true
            )
            .unwrap(),
            ["gunicorn", "-c", "gunicorn.conf.py", "app:create_app()"]
        );
        assert_eq!(
            exec_form(&fact("gunicorn app:app --bind 0.0.0.0:$PORT"), true).unwrap(),
            ["sh", "-c", "exec gunicorn app:app --bind 0.0.0.0:$PORT"]
        );
        assert_eq!(
            exec_form(&fact("npm run css && node app.js"), true).unwrap(),
            ["sh", "-c", "npm run css && exec node app.js"]
        );
        assert!(exec_form(&fact("server --port $PORT"), false).is_err());
    }

    #[test]
    fn ports_in_commands() {
        assert_eq!(
            port_in_command("gunicorn -b 0.0.0.0:5000 app:app"),
            Some(5000)
        );
        assert_eq!(port_in_command("uvicorn main:app --port=8001"), Some(8001));
        assert_eq!(
            port_in_command("gunicorn app:app --bind 0.0.0.0:$PORT"),
            None
        );
        assert_eq!(port_in_command("node server.js"), None);
        assert_eq!(
            port_in_command("gunicorn --bind '0.0.0.0:5000' app:app"),
            Some(5000)
        );
        assert_eq!(
            port_in_command(r#"waitress-serve "--port=8080" a:b"#),
            Some(8080)
        );
        assert_eq!(
            port_in_command("uvicorn m:app --port ${PORT:-5000}"),
            Some(5000)
        );
    }

    #[test]
    fn compose_ports_are_the_container_side() {
        let p = |v: Value| compose_container_port(&v);
        assert_eq!(p(Value::from("8080:3000")), Some(3000));
        assert_eq!(p(Value::from("127.0.0.1:9000:80/tcp")), Some(80));
        assert_eq!(p(Value::from(5000)), Some(5000));
        assert_eq!(
            p(serde_json::json!({"target": 81, "published": 8081})),
            Some(81)
        );
        assert_eq!(p(Value::from("3000-3005:3000-3005")), None);
    }
}
