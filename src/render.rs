//! Rendering: the plan goes into Tera templates (embedded, or the user's own),
//! one template per output file. Dockerfiles are not HTML: autoescape is off,
//! and the two filters that matter for safety live here.

use std::collections::HashMap;

use tera::{Context, Tera, Value};

use crate::assets::Assets;
use crate::error::{Error, Result};
use crate::plan::Plan;

/// A rendered file, path relative to the project root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub path: String,
    pub content: String,
}

pub struct Renderer {
    tera: Tera,
}

impl Renderer {
    pub fn new(assets: &Assets) -> Result<Renderer> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![]);
        tera.register_filter("exec_form", exec_form);
        tera.register_filter("comment", comment);
        let templates = assets.templates()?;
        // A partial's final newline would add a blank line wherever it is
        // included; the including template supplies its own line break.
        let pairs: Vec<(String, String)> = templates
            .iter()
            .map(|t| {
                let text = if t.name.starts_with("partials/") {
                    t.text.strip_suffix('\n').unwrap_or(&t.text).to_string()
                } else {
                    t.text.clone()
                };
                (t.name.clone(), text)
            })
            .collect();
        tera.add_raw_templates(pairs).map_err(|e| {
            // Name the file the user would have to fix, not just the template key.
            let msg = chain(&e);
            let origin = templates
                .iter()
                .find(|t| msg.contains(&t.name))
                .map(|t| {
                    if t.origin == "embedded" {
                        format!("templates/{}", t.name)
                    } else {
                        t.origin.clone()
                    }
                })
                .unwrap_or_else(|| "templates".into());
            Error::Template {
                template: origin,
                message: msg,
            }
        })?;
        Ok(Renderer { tera })
    }

    pub fn render(&self, plan: &Plan) -> Result<Vec<Output>> {
        let context = Context::from_serialize(plan).map_err(|e| Error::Template {
            template: "(plan)".into(),
            message: chain(&e),
        })?;
        plan.files
            .iter()
            .map(|f| {
                let text =
                    self.tera
                        .render(&f.template, &context)
                        .map_err(|e| Error::Template {
                            template: f.template.clone(),
                            message: chain(&e),
                        })?;
                Ok(Output {
                    path: f.path.clone(),
                    content: tidy(&text),
                })
            })
            .collect()
    }
}

/// Tera's top-level error says only "failed to render"; the cause is in the chain.
fn chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        parts.push(s.to_string());
        cur = s.source();
    }
    parts.join(": ")
}

/// Templates stay readable with conditionals; the output still has no
/// trailing spaces, at most one blank line in a row, and one final newline.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// `["node", "server.js"]`: each argument JSON-escaped, so quotes, backslashes
/// and the like cannot leave the string, and no shell ever sees them.
fn exec_form(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let args = value
        .as_array()
        .ok_or_else(|| tera::Error::msg("exec_form needs a list of strings"))?;
    let mut parts = Vec::with_capacity(args.len());
    for a in args {
        let s = a
            .as_str()
            .ok_or_else(|| tera::Error::msg("exec_form needs a list of strings"))?;
        if s.chars().any(char::is_control) {
            return Err(tera::Error::msg(format!(
                "refusing a control character in {s:?}"
            )));
        }
        parts.push(serde_json::to_string(s).map_err(|e| tera::Error::msg(e.to_string()))?);
    }
    Ok(Value::String(format!("[{}]", parts.join(", "))))
}

/// Text for a `#` comment: refuses anything that would end the line.
fn comment(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let s = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if s.chars().any(char::is_control) {
        return Err(tera::Error::msg(format!(
            "refusing a control character in comment text {s:?}"
        )));
    }
    Ok(Value::String(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exec_form_escapes_quotes_and_refuses_newlines() {
        let v = serde_json::json!(["sh", "a\"b", "c\\d"]);
        let out = exec_form(&v, &HashMap::new()).unwrap();
        assert_eq!(out.as_str().unwrap(), r#"["sh", "a\"b", "c\\d"]"#);
        assert!(exec_form(&serde_json::json!(["a\nRUN x"]), &HashMap::new()).is_err());
    }

    #[test]
    fn tidy_collapses_blank_runs() {
        assert_eq!(tidy("\n\nA  \n\n\n\nB\n\n"), "A\n\nB\n");
    }
}
