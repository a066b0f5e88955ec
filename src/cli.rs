//! Command-line interface: argument parsing and the three commands.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::assets::Assets;
use crate::error::{Error, Result};
use crate::pipeline::{self, Planned};
use crate::plan::Choices;
use crate::render::Renderer;
use crate::{preset, safe, write};

#[derive(Debug, Parser)]
#[command(
    name = "dfgen",
    version,
    about = "Writes the multi-stage Dockerfile an expert would write for a Go, Node, Python or Rust project",
    long_about = None
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
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Detect the project and write Dockerfile, .dockerignore (and any file the preset adds)
    Init(InitArgs),
    /// Show what dfgen detects in a project, with the evidence for each fact
    Detect(DetectArgs),
    /// List the presets dfgen knows, with their runtime variants and versions
    Presets(PresetsArgs),
}

#[derive(Debug, Args)]
pub struct Selection {
    /// Project directory
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Use this preset instead of the detected one (see `dfgen presets`)
    #[arg(long, value_name = "NAME")]
    pub preset: Option<String>,

    /// Runtime base variant the preset offers (e.g. distroless, scratch, slim)
    #[arg(long, value_name = "NAME")]
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
}

impl Selection {
    pub fn choices(&self) -> Result<Choices> {
        let cmd = match &self.cmd {
            Some(text) => Some(safe::split_command("--cmd", text)?),
            None => None,
        };
        Ok(Choices {
            preset: self.preset.clone(),
            runtime: self.runtime.clone(),
            port: self.port,
            cmd,
            main: self.main.clone(),
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
    #[arg(long)]
    pub dry_run: bool,

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
    let assets = Assets {
        templates_dir: cli.templates_dir,
        presets_dir: cli.presets_dir,
    };
    match cli.command {
        Command::Init(args) => init(&args, &assets),
        Command::Detect(args) => detect(&args, &assets),
        Command::Presets(args) => presets(&args, &assets),
    }
}

fn warn(planned: &Planned) {
    for w in &planned.plan.warnings {
        eprintln!("warning: {w}");
    }
}

fn init(args: &InitArgs, assets: &Assets) -> Result<()> {
    let choices = args.select.choices()?;
    // The wizard (an interactive terminal without --yes) settles `choices`
    // before planning; without a terminal nothing may ever prompt.
    let _interactive =
        !args.yes && std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let planned = pipeline::plan(&args.select.path, &choices, assets)?;
    let renderer = Renderer::new(assets)?;
    let outputs = renderer.render(&planned.plan)?;
    warn(&planned);
    let root = planned.project.root();
    if args.dry_run {
        for ((path, status), out) in write::statuses(root, &outputs)?.iter().zip(&outputs) {
            let note = match status {
                write::Status::Created => "would be created",
                write::Status::Unchanged => "unchanged",
                write::Status::Overwritten if args.force => "would be overwritten",
                write::Status::Overwritten => "exists and differs: would need --force",
            };
            println!("==> {path} ({note}) <==");
            print!("{}", out.content);
            println!();
        }
        return Ok(());
    }
    let done = write::write_all(root, &outputs, args.force)?;
    let p = &planned.plan;
    println!(
        "{} project: preset {}, runtime {}, {} {}",
        p.ecosystem, p.preset, p.runtime.name, p.version.arg, p.version.tag
    );
    for (path, status) in done {
        println!("  {status:<11} {}", root.join(path).display());
    }
    Ok(())
}

fn detect(args: &DetectArgs, assets: &Assets) -> Result<()> {
    let choices = args.select.choices()?;
    let planned = pipeline::plan(&args.select.path, &choices, assets)?;
    let findings = pipeline::findings(&planned);
    if args.json {
        let doc = serde_json::json!({
            "findings": findings,
            "detected": planned.detected,
            "plan": planned.plan,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&doc).map_err(|e| Error::Detect(e.to_string()))?
        );
        return Ok(());
    }
    warn(&planned);
    let width = findings.iter().map(|f| f.what.len()).max().unwrap_or(0);
    for f in findings {
        if f.evidence.is_empty() {
            println!("{:width$}  {}", f.what, f.value);
        } else {
            println!("{:width$}  {}  ({})", f.what, f.value, f.evidence);
        }
    }
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
