//! Rendering: the plan goes into Tera templates (embedded, or the user's own),
//! one template per output file. Dockerfiles are not HTML: autoescape is off,
//! and the two filters that matter for safety live here.
//!
//! Templates may come from the project being generated for, so a template sees
//! the plan and nothing else: Tera's `get_env` (which reads the environment,
//! tokens included) is replaced by a function that refuses, `range` is capped,
//! and the functions Tera registers only with its `builtins` feature (`now`,
//! `get_random`) stay unregistered. No filter or function reads a file, the
//! clock, randomness or the environment.

use std::collections::HashMap;

use tera::{Context, Tera, Value};

use crate::assets::Assets;
use crate::error::{Error, Result};
use crate::plan::Plan;
use crate::safe;

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
        for name in OUTSIDE_FUNCTIONS {
            tera.register_function(name, refuse_outside(name));
        }
        tera.register_function("range", capped_range);
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
                // tidy() first: a template saved with CRLF line ends is fine.
                let text = tidy(&text);
                // Whatever a value, preset or template holds, nothing invisible
                // or bidirectional reaches a file a reviewer has to read.
                if let Some(bad) = safe::find_unsafe_char(&text) {
                    return Err(Error::Template {
                        template: f.template.clone(),
                        message: format!(
                            "the output for {} would contain the invisible or control \
                             character U+{:04X}; dfgen does not write it",
                            f.path, bad as u32
                        ),
                    });
                }
                Ok(Output {
                    path: f.path.clone(),
                    content: text,
                })
            })
            .collect()
    }
}

/// Functions Tera has (or has with some feature) that reach outside the plan.
const OUTSIDE_FUNCTIONS: [&str; 3] = ["get_env", "now", "get_random"];

/// Largest list `range` makes: enough for any template, too small to exhaust memory.
pub const RANGE_CAP: usize = 10_000;

fn refuse_outside(name: &'static str) -> impl tera::Function {
    move |_: &HashMap<String, Value>| -> tera::Result<Value> {
        Err(tera::Error::msg(format!(
            "`{name}` is not available in dfgen templates: a template sees only the plan \
             (no environment, clock or randomness), so the same project always gives the same files"
        )))
    }
}

/// Tera's `range`, with at most [`RANGE_CAP`] items.
fn capped_range(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let num = |key: &str, default: Option<u64>| -> tera::Result<u64> {
        match args.get(key) {
            Some(v) => v.as_u64().ok_or_else(|| {
                tera::Error::msg(format!("`range`: `{key}` must be a non-negative integer"))
            }),
            None => default.ok_or_else(|| tera::Error::msg(format!("`range` needs `{key}`"))),
        }
    };
    let start = num("start", Some(0))?;
    let end = num("end", None)?;
    let step = num("step_by", Some(1))?.max(1);
    if start > end {
        return Err(tera::Error::msg("`range`: `start` is greater than `end`"));
    }
    let count = (end - start).div_ceil(step);
    if count > RANGE_CAP as u64 {
        return Err(tera::Error::msg(format!(
            "`range` would make {count} items, more than the {RANGE_CAP} dfgen allows"
        )));
    }
    Ok(Value::Array(
        (start..end)
            .step_by(step as usize)
            .map(Value::from)
            .collect(),
    ))
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
        if s.chars().any(|c| c.is_control() || safe::is_invisible(c)) {
            return Err(tera::Error::msg(format!(
                "refusing a control or invisible character in {s:?}"
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
    if s.chars().any(|c| c.is_control() || safe::is_invisible(c)) {
        return Err(tera::Error::msg(format!(
            "refusing a control or invisible character in comment text {s:?}"
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

    fn render_one(template: &str) -> std::result::Result<String, String> {
        let mut tera = Tera::default();
        for name in OUTSIDE_FUNCTIONS {
            tera.register_function(name, refuse_outside(name));
        }
        tera.register_function("range", capped_range);
        tera.add_raw_template("t", template)
            .map_err(|e| chain(&e))?;
        tera.render("t", &Context::new()).map_err(|e| chain(&e))
    }

    #[test]
    fn templates_cannot_reach_outside_the_plan() {
        // SAFETY: a variable only this test reads.
        unsafe { std::env::set_var("DFGEN_TEST_TOKEN", "s3cr3t-token") };
        for t in [
            r#"{{ get_env(name="DFGEN_TEST_TOKEN") }}"#,
            r#"{{ get_env(name="DFGEN_TEST_TOKEN", default="x") }}"#,
            r#"{{ now() }}"#,
            r#"{{ get_random(start=0, end=9) }}"#,
        ] {
            let e = render_one(t).unwrap_err();
            assert!(!e.contains("s3cr3t"), "{t}: {e}");
        }
        assert_eq!(
            render_one("{% for i in range(end=3) %}{{ i }}{% endfor %}").unwrap(),
            "012"
        );
        assert_eq!(
            render_one("{% for i in range(start=1, end=7, step_by=3) %}{{ i }}{% endfor %}")
                .unwrap(),
            "14"
        );
        assert!(render_one("{{ range(end=100000000) | length }}").is_err());
    }

    #[test]
    fn tidy_collapses_blank_runs() {
        assert_eq!(tidy("\n\nA  \n\n\n\nB\n\n"), "A\n\nB\n");
    }
}
