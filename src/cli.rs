//! Command-line interface: argument parsing and the three commands.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::assets::Assets;
use crate::error::{Error, Result};
use crate::pipeline::{self, Planned};
use crate::plan::Choices;
use crate::render::Renderer;
use crate::{config, diff, preset, safe, wizard, write};

#[derive(Debug, Parser)]
#[command(
    name = "dfgen",
    version,
    about = "Writes the multi-stage Dockerfile an expert would write for a Go, Node, Python or Rust project",
    long_about = None,
    after_help = "Examples:
  dfgen init                        detect, ask on a terminal, write Dockerfile and .dockerignore
  dfgen init --yes path/to/app      never prompt (CI, template hooks)
  dfgen init --dry-run              print what would be written
  dfgen init --main cmd/api --port 9090 --also compose.yaml
  dfgen init --check                in CI: exit 1 with a diff when the files have drifted
  dfgen detect --json               the findings, their evidence and the full plan
  dfgen presets                     presets, versions and runtime variants"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Read templates from DIR, file by file over the built-in ones
    #[arg(long, global = true, value_name = "DIR")]
    pub templates_dir: Option<PathBuf>,

    /// Read presets from DIR, file by file over the built-in ones
    #[arg(long, global = true, value_name = "DIR")]
    pub presets_dir: Option<PathBuf>,

    /// Use the project's own .dfgen/templates and .dfgen/presets even under `init --check`
    /// or in CI (where they are not used otherwise); also DFGEN_TRUST_PROJECT_TEMPLATES=1
    #[arg(long, global = true)]
    pub trust_project_templates: bool,

    /// Print only errors (and, for --check, the diff)
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Also print what was detected, with its evidence
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Detect the project and write Dockerfile, .dockerignore (and any file the preset adds)
    Init(InitArgs),
    /// Show what dfgen detects in a project, with the evidence for each fact
    Detect(DetectArgs),
    /// List the presets dfgen knows, with their runtime variants and versions
    Presets(PresetsArgs),
    /// Write the built-in templates and presets to DIR (default .dfgen) to customise them;
    /// a project's .dfgen/templates and .dfgen/presets are used over the built-in ones
    Eject(EjectArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions(CompletionsArgs),
    /// Print the manual page (roff), e.g. `dfgen man > /usr/local/share/man/man1/dfgen.1`
    Man,
}

#[derive(Debug, Args)]
pub struct EjectArgs {
    /// Directory to write templates/ and presets/ into
    #[arg(default_value = ".dfgen")]
    pub dir: PathBuf,

    /// Overwrite files that already exist there
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct Selection {
    /// Project directory
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Use this preset instead of the detected one (see `dfgen presets`)
    #[arg(long, value_name = "NAME", value_parser = Known::Presets)]
    pub preset: Option<String>,

    /// Runtime base variant the preset offers (e.g. distroless, scratch, slim)
    #[arg(long, value_name = "NAME", value_parser = Known::Runtimes)]
    pub runtime: Option<String>,

    /// Port the app listens on (EXPOSE, and PORT for apps that read it)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub port: Option<u16>,

    /// Start command instead of the detected one, e.g. 'node server.js' or '["node","server.js"]';
    /// written in exec form (no shell)
    #[arg(long, value_name = "COMMAND", allow_hyphen_values = true)]
    pub cmd: Option<String>,

    /// Which Go main package, Rust binary or Python module to build when there are several
    #[arg(long, value_name = "PATH")]
    pub main: Option<String>,

    /// Which package of a Node workspace (npm/Yarn `workspaces`, pnpm-workspace.yaml) is the app:
    /// its directory (apps/web) or package name
    #[arg(long, value_name = "DIR|NAME")]
    pub app: Option<String>,

    /// Language version (image tag, e.g. 1.24, 22, 3.13) instead of the one the project declares
    #[arg(long, value_name = "TAG")]
    pub lang_version: Option<String>,

    /// Also write this optional file the preset offers (e.g. compose.yaml); repeatable
    #[arg(long, value_name = "FILE")]
    pub also: Vec<String>,
}

impl Selection {
    pub fn choices(&self) -> Result<Choices> {
        let cmd = match &self.cmd {
            Some(text) => Some(safe::split_command("--cmd", text)?),
            None => None,
        };
        if let Some(v) = &self.lang_version {
            safe::name("--lang-version", "version", v)?;
        }
        Ok(Choices {
            preset: self.preset.clone(),
            runtime: self.runtime.clone(),
            version: self.lang_version.clone(),
            port: self.port,
            cmd,
            main: self.main.clone(),
            app: match &self.app {
                Some(a) => Some(safe::name("--app", "app", a)?),
                None => None,
            },
            also: if self.also.is_empty() {
                None
            } else {
                Some(self.also.clone())
            },
        })
    }
}

#[derive(Debug, Args)]
pub struct InitArgs {
    #[command(flatten)]
    pub select: Selection,

    /// Never prompt: take what was detected (the default when stdin is not a terminal)
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// Print what would be written; write nothing
    #[arg(long, conflicts_with = "check")]
    pub dry_run: bool,

    /// Write nothing; exit 0 when every file is up to date, 1 (with the diff) when not
    #[arg(long)]
    pub check: bool,

    /// Overwrite existing files that differ from what dfgen writes
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct DetectArgs {
    #[command(flatten)]
    pub select: Selection,

    /// Print the findings and the full plan as JSON on stdout
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PresetsArgs {
    /// Print the presets as JSON on stdout
    #[arg(long)]
    pub json: bool,
}

pub fn run(cli: Cli) -> Result<()> {
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        console::set_colors_enabled(false);
        console::set_colors_enabled_stderr(false);
    }
    let out = Out {
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
    let assets = Assets {
        templates_dirs: cli.templates_dir.into_iter().collect(),
        presets_dirs: cli.presets_dir.into_iter().collect(),
        trust_project: cli.trust_project_templates,
    };
    match cli.command {
        Command::Init(args) => init(&args, &assets, out),
        Command::Detect(args) => detect(&args, &assets, out),
        Command::Presets(args) => presets(&args, &assets),
        Command::Eject(args) => eject(&args, out),
        Command::Man => {
            match clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout()) {
                // `dfgen man | head` closes the pipe early: not an error.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Io {
                    path: "stdout".into(),
                    message: e.to_string(),
                }),
                _ => Ok(()),
            }
        }
        Command::Completions(args) => {
            clap_complete::generate(
                args.shell,
                &mut Cli::command(),
                "dfgen",
                &mut std::io::stdout(),
            );
            Ok(())
        }
    }
}

/// How chatty to be. Errors always go to stderr; machine output to stdout.
#[derive(Debug, Clone, Copy)]
struct Out {
    quiet: bool,
    verbose: bool,
}

impl Out {
    fn note(&self, msg: &str) {
        if !self.quiet {
            eprintln!("{msg}");
        }
    }
}

fn project_assets(path: &std::path::Path, assets: &Assets, out: Out, check: bool) -> Assets {
    let (assets, notes) = assets.with_project_in(path, check);
    for n in notes {
        out.note(&format!("note: {n}"));
    }
    assets
}

fn warn(planned: &Planned, out: Out) {
    for n in &planned.plan.notes {
        out.note(&format!("note: {n}"));
    }
    for w in &planned.plan.warnings {
        out.note(&format!("warning: {w}"));
    }
}

fn print_findings(planned: &Planned, to_stderr: bool) {
    let findings = pipeline::findings(planned);
    let width = findings.iter().map(|f| f.what.len()).max().unwrap_or(0);
    for f in findings {
        let line = if f.evidence.is_empty() {
            format!("{:width$}  {}", f.what, f.value)
        } else {
            format!("{:width$}  {}  ({})", f.what, f.value, f.evidence)
        };
        if to_stderr {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    }
}

/// The first line dfgen writes into every file it generates.
fn generated_by_dfgen(text: &str) -> bool {
    text.lines()
        .take(2)
        .any(|l| l.starts_with("# Generated by dfgen"))
}

fn init(args: &InitArgs, assets: &Assets, out: Out) -> Result<()> {
    let flags = args.select.choices()?;
    let path = &args.select.path;
    let assets = project_assets(path, assets, out, args.check);
    // Prompt only with a person at a terminal; never in CI, pipes, --yes,
    // --dry-run or --check. Without one, ambiguity is an error naming the flag.
    let interactive = !args.yes
        && !args.dry_run
        && !args.check
        && std::io::stdin().is_terminal()
        && std::io::stdout().is_terminal();
    let choices = if interactive {
        // Ctrl-C anywhere in the wizard: nothing is written before its end.
        let _ = ctrlc::set_handler(|| {
            // Never exit between the renames of a write (see write.rs).
            let _writes = write::pause_writes();
            let _ = console::Term::stderr().show_cursor();
            eprintln!("\ncancelled; nothing was written");
            std::process::exit(130);
        });
        wizard::settle(path, &flags, &assets)?
    } else {
        flags
    };
    let planned = pipeline::plan(path, &choices, &assets)?;
    let outputs = Renderer::new(&assets)?.render(&planned.plan)?;
    warn(&planned, out);
    if out.verbose {
        print_findings(&planned, true);
    }
    let root = planned.project.root();
    let statuses = write::check(root, &outputs, args.force)?;
    let existing = |path: &str| write::existing(root, path);

    if args.check {
        // An interrupted write leaves a mixed set whose files may each look
        // current; the next write finishes it, so until then it is drift.
        if write::interrupted(root) {
            return Err(Error::Drift(format!(
                "an interrupted dfgen run left {} here: run `dfgen init` to finish its write",
                write::JOURNAL
            )));
        }
        let stale: Vec<&str> = statuses
            .iter()
            .filter(|(_, s)| *s != write::Status::Unchanged)
            .map(|(p, _)| p.as_str())
            .collect();
        if stale.is_empty() {
            out.note("up to date");
            return Ok(());
        }
        let color = diff::color_for(std::io::stdout().is_terminal());
        for o in outputs.iter().filter(|o| stale.contains(&o.path.as_str())) {
            print!(
                "{}",
                diff::unified(&o.path, &existing(&o.path), &o.content, color)
            );
        }
        return Err(Error::Drift(format!(
            "{} would change: run `dfgen init --force` to regenerate",
            stale.join(", ")
        )));
    }

    if args.dry_run {
        for ((path, status), o) in statuses.iter().zip(&outputs) {
            let note = match status {
                write::Status::Created => "would be created",
                write::Status::Unchanged => "unchanged",
                write::Status::Overwritten if args.force => "would be overwritten",
                write::Status::Overwritten => "exists and differs: would need --force",
            };
            println!("==> {path} ({note}) <==");
            print!("{}", o.content);
            println!();
        }
        if let Some(c) = config_output(&planned)? {
            let note = match config::refuse_rewrite(&planned.config_at)? {
                Some(_) if !args.force => "edited by hand: would need --force",
                _ => "choices that differ from detection",
            };
            println!("==> {} ({note}) <==", c.path);
            print!("{}", c.content);
        }
        return Ok(());
    }

    // Decide, file by file, before writing anything.
    let color = diff::color_for(std::io::stderr().is_terminal());
    let mut to_write = Vec::new();
    let mut kept = Vec::new();
    let mut refused = Vec::new();
    for ((path, status), o) in statuses.iter().zip(&outputs) {
        if *status != write::Status::Overwritten || args.force {
            to_write.push(o.clone());
            continue;
        }
        let old = existing(path);
        let d = diff::unified(path, &old, &o.content, color);
        if !generated_by_dfgen(&old) {
            refused.push(format!("{path} (not generated by dfgen)"));
        } else if interactive {
            match wizard::ask_overwrite(path, &d)? {
                wizard::Resolution::Overwrite => to_write.push(o.clone()),
                wizard::Resolution::Keep => kept.push(path.clone()),
            }
        } else {
            if !out.quiet {
                eprint!("{d}");
            }
            refused.push(path.clone());
        }
    }
    // dfgen.yaml goes in the same all-or-nothing write as the files it explains;
    // a hand-edited one is not rewritten without --force (config::refuse_rewrite).
    let config_out = config_output(&planned)?;
    if config_out.is_some()
        && !args.force
        && let Some(why) = config::refuse_rewrite(&planned.config_at)?
    {
        refused.push(why);
    }
    if !refused.is_empty() {
        return Err(write::refusal(&refused));
    }
    to_write.extend(config_out.clone());
    let done = write::write_all(root, &to_write, true)?;
    if !out.quiet {
        let p = &planned.plan;
        println!(
            "{} project: preset {}, runtime {}, {} {}",
            p.ecosystem, p.preset, p.runtime.name, p.version.arg, p.version.tag
        );
        for (path, status) in &statuses {
            let status = done
                .iter()
                .find(|(p, _)| p == path)
                .map(|(_, s)| s.to_string())
                .unwrap_or_else(|| {
                    if kept.contains(path) {
                        "kept".into()
                    } else {
                        status.to_string()
                    }
                });
            println!("  {status:<11} {}", root.join(path).display());
        }
        let config_status = match (&config_out, &planned.existing_config) {
            (Some(_), _) => done
                .iter()
                .find(|(p, _)| *p == pipeline::config_file(&planned.plan))
                .map(|(_, s)| s.to_string()),
            (None, Some(_)) => Some("unchanged".to_string()),
            (None, None) => None,
        };
        if let Some(s) = config_status {
            println!(
                "  {s:<11} {}",
                root.join(pipeline::config_file(&planned.plan)).display()
            );
        }
        print_next_steps(&planned, &outputs);
    }
    Ok(())
}

/// After `init`: the commands that build and run what was written, with the
/// real port, the `--secret` flags the Dockerfile mounts, and compose when
/// compose.yaml was written.
fn print_next_steps(planned: &Planned, outputs: &[crate::render::Output]) {
    let p = &planned.plan;
    let name = planned
        .project
        .root()
        .canonicalize()
        .ok()
        .and_then(|r| {
            r.file_name()
                .map(|n| n.to_string_lossy().to_ascii_lowercase())
        })
        .map(|n| {
            n.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                        c
                    } else {
                        '-'
                    }
                })
                .collect::<String>()
        })
        .filter(|n| !n.is_empty() && !n.starts_with(['-', '_']))
        .unwrap_or_else(|| "app".into());
    let name = match &p.subdir {
        Some(s) => s.rsplit('/').next().unwrap_or(s).to_ascii_lowercase(),
        None => name,
    };
    let dockerfile = outputs
        .iter()
        .find(|o| o.path == "Dockerfile" || o.path.ends_with("/Dockerfile"));
    // Each `--mount=type=secret,id=ID,target=PATH` needs `--secret id=ID,src=...`.
    let mut secrets: Vec<String> = Vec::new();
    for line in dockerfile.map(|d| d.content.lines()).into_iter().flatten() {
        for part in line
            .split_whitespace()
            .filter(|w| w.contains("type=secret"))
        {
            let field = |k: &str| {
                part.split(',')
                    .find_map(|kv| kv.strip_prefix(k))
                    .map(str::to_string)
            };
            if let Some(id) = field("id=") {
                let src = field("target=")
                    .and_then(|t| t.rsplit('/').next().map(str::to_string))
                    .unwrap_or_else(|| id.clone());
                let flag = format!("--secret id={id},src={src}");
                if !secrets.contains(&flag) {
                    secrets.push(flag);
                }
            }
        }
    }
    println!("next steps:");
    let mut build = String::from("  docker build");
    for s in &secrets {
        build.push(' ');
        build.push_str(s);
    }
    if let Some(s) = &p.subdir {
        println!(
            "  cd {}   # the workspace root: the build context",
            planned.project.root().display()
        );
        build.push_str(&format!(" -f {s}/Dockerfile"));
    }
    println!("{build} -t {name} .");
    match &p.port {
        Some(port) => println!("  docker run --rm -p {0}:{0} {name}", port.value),
        None => println!("  docker run --rm {name}"),
    }
    if let Some(f) = p.files.iter().find(|f| f.path.ends_with("compose.yaml")) {
        if p.subdir.is_some() {
            println!("  docker compose -f {} up --build", f.path);
        } else {
            println!("  docker compose up --build");
        }
    }
}

/// dfgen.yaml as it should be written, when the saved choices changed
/// (`None` when it is up to date, or when there is nothing to save and no file).
fn config_output(planned: &Planned) -> Result<Option<crate::render::Output>> {
    let wanted = &planned.config;
    match &planned.existing_config {
        Some(c) if c == wanted => Ok(None),
        None if wanted.is_empty() => Ok(None),
        _ => Ok(Some(crate::render::Output {
            path: pipeline::config_file(&planned.plan),
            content: wanted.render()?,
        })),
    }
}

fn detect(args: &DetectArgs, assets: &Assets, out: Out) -> Result<()> {
    let choices = args.select.choices()?;
    let assets = project_assets(&args.select.path, assets, out, false);
    let planned = match pipeline::plan(&args.select.path, &choices, &assets) {
        Ok(p) => p,
        // Ambiguity is a question for `init`, not a failure of `detect`: list
        // what fits, so the user can pick with a flag.
        Err(Error::Ambiguous(why)) => return show_candidates(&args.select.path, &why, args.json),
        Err(e) => return Err(e),
    };
    if args.json {
        let doc = serde_json::json!({
            "findings": pipeline::findings(&planned),
            "detected": detected_json(planned.detected.as_ref()),
            "plan": planned.plan,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&doc).map_err(|e| Error::Detect(e.to_string()))?
        );
        return Ok(());
    }
    warn(&planned, out);
    print_findings(&planned, false);
    Ok(())
}

fn presets(args: &PresetsArgs, assets: &Assets) -> Result<()> {
    let all = preset::load_all(assets)?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&all).map_err(|e| Error::Detect(e.to_string()))?
        );
        return Ok(());
    }
    for p in &all {
        println!("{}  ({})", p.name, p.origin);
        println!("  {}", p.description);
        println!(
            "  {} versions: {} (default {})",
            p.version.language,
            p.version.known.join(", "),
            p.version.default
        );
        for (name, v) in &p.runtime.variants {
            let default = if *name == p.runtime.default {
                " [default]"
            } else {
                ""
            };
            println!("  --runtime {name}{default}: {}", v.description);
        }
        println!();
    }
    Ok(())
}

fn eject(args: &EjectArgs, out: Out) -> Result<()> {
    let outputs: Vec<crate::render::Output> = crate::assets::embedded_files()
        .into_iter()
        .map(|(path, content)| crate::render::Output { path, content })
        .collect();
    std::fs::create_dir_all(&args.dir).map_err(|e| Error::io(&args.dir, &e))?;
    let done = write::write_all(&args.dir, &outputs, args.force)?;
    let written = done
        .iter()
        .filter(|(_, s)| *s != write::Status::Unchanged)
        .count();
    out.note(&format!(
        "wrote {written} of {} files to {}; a project's .dfgen/templates and .dfgen/presets are used over the built-in ones, file by file",
        done.len(),
        args.dir.display()
    ));
    Ok(())
}

/// What was detected, tagged with its ecosystem (`{"ecosystem": "go", ...}`).
fn detected_json(d: &dyn crate::ecosystems::Candidate) -> serde_json::Value {
    let mut v = d.to_json();
    if let Some(obj) = v.as_object_mut() {
        obj.insert("ecosystem".into(), d.ecosystem().into());
    }
    v
}

/// `dfgen detect` when several apps or programs fit: each candidate, why it is
/// runnable, and the programs `--main` can pick from.
fn show_candidates(path: &std::path::Path, why: &str, json: bool) -> Result<()> {
    let project = crate::project::Project::open(path)?;
    let all = match crate::ecosystems::detect_all(&project, None) {
        Ok(all) => all,
        // A workspace with several apps: the message lists them and the flag.
        Err(Error::Ambiguous(_)) if !json => {
            println!("{why}");
            return Ok(());
        }
        Err(Error::Ambiguous(_)) => {
            let doc = serde_json::json!({ "ambiguous": why, "candidates": [] });
            println!(
                "{}",
                serde_json::to_string_pretty(&doc).map_err(|e| Error::Detect(e.to_string()))?
            );
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    if json {
        let candidates: Vec<serde_json::Value> = all
            .iter()
            .map(|d| {
                serde_json::json!({
                    "ecosystem": d.ecosystem(),
                    "preset": d.default_preset(),
                    "runnable": d.runnable().ok(),
                    "programs": d.programs().into_iter().map(|(v, _)| v).collect::<Vec<_>>(),
                    "detected": detected_json(d.as_ref()),
                })
            })
            .collect();
        let doc = serde_json::json!({ "ambiguous": why, "candidates": candidates });
        println!(
            "{}",
            serde_json::to_string_pretty(&doc).map_err(|e| Error::Detect(e.to_string()))?
        );
        return Ok(());
    }
    println!("{why}");
    println!("candidates:");
    for d in &all {
        let status = d
            .runnable()
            .unwrap_or_else(|e| format!("not runnable: {e}"));
        println!(
            "  {} (preset {}): {status}",
            d.ecosystem(),
            d.default_preset()
        );
        for (value, label) in d.programs() {
            println!("    --main {value}  {label}");
        }
    }
    Ok(())
}

/// Preset and runtime names for shell completion and `--help`: the built-in
/// ones are offered, any name is accepted (a project may bring its own presets).
#[derive(Debug, Clone, Copy)]
enum Known {
    Presets,
    Runtimes,
}

impl clap::builder::TypedValueParser for Known {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> std::result::Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        let presets = preset::load_all(&Assets::default()).ok()?;
        let mut names: Vec<String> = match self {
            Known::Presets => presets.iter().map(|p| p.name.clone()).collect(),
            Known::Runtimes => presets
                .iter()
                .flat_map(|p| p.runtime.variants.keys().cloned())
                .collect(),
        };
        names.sort();
        names.dedup();
        Some(Box::new(
            names.into_iter().map(clap::builder::PossibleValue::new),
        ))
    }
}
