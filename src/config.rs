//! dfgen.yaml: the choices that differ from detection, saved at the project
//! root so a later `dfgen init --yes` reproduces the same files with no flags.
//! Flags override the file; the file overrides detection.

use crate::error::{Error, Result};
use crate::plan::Choices;
use crate::project::{MANIFEST_CAP, Project};
use crate::safe;

pub const FILE: &str = "dfgen.yaml";

/// dfgen.yaml holds exactly the user's choices.
pub type Config = Choices;

/// The parsed file and its text (for line numbers in later errors).
pub struct Loaded {
    pub config: Config,
    text: String,
}

impl Loaded {
    /// An error about `key`, naming the file and the line it is on.
    pub fn key_error(&self, key: &str, message: impl Into<String>) -> Error {
        let line = self
            .text
            .lines()
            .position(|l| l.trim_start().starts_with(&format!("{key}:")))
            .map(|i| format!("line {}: ", i + 1))
            .unwrap_or_default();
        Error::parse(FILE, format!("{line}key `{key}`: {}", message.into()))
    }
}

pub fn load(p: &Project) -> Result<Option<Loaded>> {
    let Some(text) = p.read_opt(FILE, MANIFEST_CAP)? else {
        return Ok(None);
    };
    // An empty file (or one holding only comments) is an empty config.
    let config: Config = if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        Config::default()
    } else {
        crate::yaml::from_str(FILE, &text)?
    };
    let loaded = Loaded { config, text };
    loaded.check_values()?;
    Ok(Some(loaded))
}

impl Loaded {
    /// Checks what can be checked without knowing the project: the rest
    /// (runtime, version) is checked against the preset by the caller.
    fn check_values(&self) -> Result<()> {
        let c = &self.config;
        if c.port == Some(0) {
            return Err(self.key_error("port", "must be 1-65535"));
        }
        if let Some(cmd) = &c.cmd {
            if cmd.is_empty() {
                return Err(self.key_error("cmd", "is an empty list"));
            }
            for a in cmd {
                safe::exec_arg(FILE, "cmd", a).map_err(|e| self.key_error("cmd", e.to_string()))?;
            }
        }
        for f in c.also.iter().flatten() {
            safe::rel_path(FILE, "also", f)
                .map_err(|_| self.key_error("also", format!("{f:?} is not a file name")))?;
        }
        for (key, v) in [
            ("preset", &c.preset),
            ("runtime", &c.runtime),
            ("main", &c.main),
            ("version", &c.version),
        ] {
            if let Some(v) = v {
                safe::name(FILE, key, v)
                    .map_err(|_| self.key_error(key, format!("{v:?} is not a plain name")))?;
            }
        }
        Ok(())
    }
}

impl Config {
    pub fn is_empty(&self) -> bool {
        *self == Config::default()
    }

    /// The file's text: a header, then the keys in a fixed order.
    pub fn render(&self) -> Result<String> {
        let body = crate::yaml::to_string(self)?;
        Ok(format!(
            "# dfgen choices that differ from what it detects; `dfgen init` reads them.\n\
             # Flags override this file. Keys: see README (\"Project config\").\n{body}"
        ))
    }
}

/// Flags win over the file, field by field.
pub fn merge(flags: &Choices, file: &Choices) -> Choices {
    Choices {
        preset: flags.preset.clone().or(file.preset.clone()),
        runtime: flags.runtime.clone().or(file.runtime.clone()),
        version: flags.version.clone().or(file.version.clone()),
        port: flags.port.or(file.port),
        cmd: flags.cmd.clone().or(file.cmd.clone()),
        main: flags.main.clone().or(file.main.clone()),
        also: flags.also.clone().or(file.also.clone()),
    }
}
