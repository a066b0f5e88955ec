//! Facts carry where they came from, so `dfgen detect` can show its reasoning
//! and the Dockerfile comments can name the file a version was read from.

use serde::Serialize;

/// Where a fact came from: a file of the project (and which part of it), a
/// command-line flag, or the preset's default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// Path relative to the project root; `None` for flags and defaults.
    pub file: Option<String>,
    /// What in the file said so: a field, directive, or line.
    pub detail: String,
}

impl Evidence {
    pub fn file(file: impl Into<String>, detail: impl Into<String>) -> Self {
        Evidence {
            file: Some(file.into()),
            detail: detail.into(),
        }
    }

    pub fn other(detail: impl Into<String>) -> Self {
        Evidence {
            file: None,
            detail: detail.into(),
        }
    }
}

/// Serialised with a ready-made `text`, which templates put in comments.
impl Serialize for Evidence {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Evidence", 3)?;
        st.serialize_field("file", &self.file)?;
        st.serialize_field("detail", &self.detail)?;
        st.serialize_field("text", &self.to_string())?;
        st.end()
    }
}

impl std::fmt::Display for Evidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.file {
            Some(file) => write!(f, "{file}, {}", self.detail),
            None => f.write_str(&self.detail),
        }
    }
}

/// A value and the evidence for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact<T> {
    pub value: T,
    pub evidence: Evidence,
}

impl<T> Fact<T> {
    pub fn new(value: T, evidence: Evidence) -> Self {
        Fact { value, evidence }
    }

    pub fn in_file(value: T, file: &str, detail: impl Into<String>) -> Self {
        Fact::new(value, Evidence::file(file, detail))
    }
}
