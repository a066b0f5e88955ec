//! The only module that touches serde_yaml (archived upstream, still what the
//! design names). Swapping in a maintained fork means changing this file only.

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// Parses YAML into `T`; errors name the file, line and column.
pub fn from_str<T: DeserializeOwned>(file: &str, text: &str) -> Result<T> {
    serde_yaml::from_str(text).map_err(|e| {
        let place = e
            .location()
            .map(|l| format!("line {}, column {}: ", l.line(), l.column()))
            .unwrap_or_default();
        // serde_yaml appends "at line X column Y" itself; keep one location.
        let msg = e.to_string();
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        Error::parse(file, format!("{place}{msg}"))
    })
}

pub fn to_string<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_yaml::to_string(value).map_err(|e| Error::Detect(format!("cannot write YAML: {e}")))
}

/// Every document of a multi-document YAML file (`---` separated), as JSON
/// values. Spring's application.yml keeps one profile per document.
pub fn documents(file: &str, text: &str) -> Result<Vec<serde_json::Value>> {
    use serde::Deserialize;
    let mut out = Vec::new();
    for doc in serde_yaml::Deserializer::from_str(text) {
        let value = serde_json::Value::deserialize(doc).map_err(|e| {
            let msg = e.to_string();
            Error::parse(
                file,
                msg.split(" at line ").next().unwrap_or(&msg).to_string(),
            )
        })?;
        out.push(value);
    }
    Ok(out)
}
