//! One error type for the whole pipeline. Every variant that comes from the
//! user's project names the file (and, where it exists, the field or line) so
//! the message alone tells the user what to fix.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{file}: {message}")]
    Parse { file: String, message: String },

    #[error("{file}: field `{field}`: {message}")]
    Field {
        file: String,
        field: String,
        message: String,
    },

    #[error("{path}: {message}")]
    Io { path: PathBuf, message: String },

    #[error("{0}")]
    Detect(String),

    #[error("{0}")]
    Usage(String),

    /// Several apps or programs fit and no rule decides: `init` needs a flag
    /// (or the wizard); `detect` lists the candidates instead of failing.
    #[error("{0}")]
    Ambiguous(String),

    #[error("preset `{preset}`: {message}")]
    Preset { preset: String, message: String },

    #[error("template `{template}`: {message}")]
    Template { template: String, message: String },

    #[error("{0}")]
    Refused(String),

    /// `init --check` found files that regenerating would change.
    #[error("{0}")]
    Drift(String),

    /// The user cancelled the wizard (Esc, Ctrl-C).
    #[error("cancelled; nothing was written")]
    Cancelled,
}

impl Error {
    /// The documented exit codes: 1 drift, 130 cancelled, 2 everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Drift(_) => 1,
            Error::Cancelled => 130,
            _ => 2,
        }
    }
}

impl Error {
    pub fn field(
        file: impl Into<String>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error::Field {
            file: file.into(),
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn parse(file: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Parse {
            file: file.into(),
            message: message.into(),
        }
    }

    pub fn io(path: impl Into<PathBuf>, err: &std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            message: describe_io(err),
        }
    }
}

/// Plain-language text for the io errors users actually hit, instead of
/// "Os { code: 40, .. }".
pub fn describe_io(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::NotFound => "not found".into(),
        ErrorKind::PermissionDenied => "permission denied (cannot read it)".into(),
        _ if err.raw_os_error() == Some(40) => {
            "too many levels of symbolic links (a symlink loop?)".into()
        }
        _ => err.to_string(),
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
