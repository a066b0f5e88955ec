//! Parsing the manifest formats several ecosystems share (JSON, TOML), with
//! errors that name the file. YAML lives in `yaml` alone (see there).

use serde_json::Value;
use toml_edit::DocumentMut;

use crate::error::{Error, Result};

pub fn parse_json(file: &str, text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| Error::parse(file, format!("invalid JSON: {e}")))
}

pub fn parse_toml(file: &str, text: &str) -> Result<DocumentMut> {
    text.parse::<DocumentMut>().map_err(|e| {
        Error::parse(
            file,
            e.to_string()
                .trim_end()
                .replace("TOML parse error", "invalid TOML"),
        )
    })
}
