//! uv workspaces: `uv.lock` and `[tool.uv.workspace]` at the root, the app in
//! a member. The build context is the workspace root; the member is synced
//! with `uv sync --package <member>`.

use serde::Serialize;
use toml_edit::{DocumentMut, Item};

use crate::error::{Error, Result};
use crate::evidence::Fact;
use crate::formats::parse_toml;
use crate::project::{self, MANIFEST_CAP, Project};
use crate::safe;

#[derive(Debug, Clone, Serialize)]
pub struct Workspace {
    /// The member that holds the app (its directory, with evidence).
    pub member: Fact<String>,
    /// Its `[project] name`, for `--package`.
    pub package: String,
    /// Every member's pyproject.toml: `uv sync --locked` checks the lock against all of them.
    pub manifests: Vec<String>,
}

/// Member directories from `members` globs (`packages/*`, `backend`), minus `exclude`.
fn members(p: &Project, ws: &Item) -> Result<Vec<String>> {
    // (directory, is `dir/*`)
    let list = |key: &str| -> Result<Vec<(String, bool)>> {
        let Some(item) = ws.get(key) else {
            return Ok(Vec::new());
        };
        let field = format!("tool.uv.workspace.{key}");
        let arr = item
            .as_array()
            .ok_or_else(|| Error::field("pyproject.toml", &field, "is not an array"))?;
        arr.iter()
            .map(|v| {
                let s = v
                    .as_str()
                    .ok_or_else(|| Error::field("pyproject.toml", &field, "holds a non-string"))?;
                let s = s.trim_end_matches('/');
                let (dir, glob) = match s.strip_suffix("/*") {
                    Some(d) => (d, true),
                    None => (s, false),
                };
                if dir.contains(['*', '?', '[']) {
                    return Err(Error::field(
                        "pyproject.toml",
                        &field,
                        format!("{s:?}: only `dir` and `dir/*` patterns are understood"),
                    ));
                }
                Ok((safe::rel_path("pyproject.toml", &field, dir)?, glob))
            })
            .collect()
    };
    let exclude: Vec<String> = list("exclude")?.into_iter().map(|(d, _)| d).collect();
    let mut out = Vec::new();
    for (pattern, glob) in list("members")? {
        let dirs: Vec<String> = if glob {
            p.list(&pattern)?
                .into_iter()
                .filter(|e| e.is_dir && !project::is_skipped_dir(&e.name))
                .map(|e| project::join(&pattern, &e.name))
                .collect()
        } else {
            vec![pattern.clone()]
        };
        for d in dirs {
            if p.has_file(&format!("{d}/pyproject.toml"))
                && !exclude.contains(&d)
                && !out.contains(&d)
            {
                out.push(d);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn web_deps(doc: &DocumentMut) -> bool {
    let Some(deps) = doc
        .get("project")
        .and_then(|p| p.get("dependencies"))
        .and_then(Item::as_array)
    else {
        return false;
    };
    deps.iter().filter_map(|d| d.as_str()).any(|d| {
        let name: String = d
            .trim()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .collect::<String>()
            .to_ascii_lowercase();
        matches!(name.as_str(), "django" | "fastapi" | "flask" | "starlette")
    })
}

/// The workspace and its app member, when the root's pyproject.toml declares a
/// uv workspace and uv.lock sits next to it. The app member is the one that
/// depends on a web framework, else the only member.
pub fn find(p: &Project, root: Option<&DocumentMut>) -> Result<Option<Workspace>> {
    let Some(ws) = root
        .and_then(|d| d.get("tool"))
        .and_then(|t| t.get("uv"))
        .and_then(|u| u.get("workspace"))
    else {
        return Ok(None);
    };
    if !p.has_file("uv.lock") {
        return Ok(None);
    }
    let dirs = members(p, ws)?;
    let mut docs = Vec::new();
    for d in &dirs {
        let file = format!("{d}/pyproject.toml");
        let text = p.read(&file, MANIFEST_CAP)?;
        docs.push((d.clone(), file.clone(), parse_toml(&file, &text)?));
    }
    let web: Vec<&(String, String, DocumentMut)> =
        docs.iter().filter(|(_, _, doc)| web_deps(doc)).collect();
    let (dir, file, doc, why) = match (web.as_slice(), docs.as_slice()) {
        ([one], _) => (
            &one.0,
            &one.1,
            &one.2,
            "the workspace member with a web framework",
        ),
        ([], [only]) => (&only.0, &only.1, &only.2, "the only workspace member"),
        ([], []) => return Ok(None),
        (several, all) => {
            let names: Vec<&str> = if several.is_empty() {
                all.iter().map(|m| m.0.as_str()).collect()
            } else {
                several.iter().map(|m| m.0.as_str()).collect()
            };
            return Err(Error::Detect(format!(
                "uv workspace (pyproject.toml, tool.uv.workspace): several members could be the app \
                 ({}); run dfgen on the workspace root with --cmd, or give each app its own Dockerfile",
                names.join(", ")
            )));
        }
    };
    let name = doc
        .get("project")
        .and_then(|p| p.get("name"))
        .and_then(Item::as_str)
        .ok_or_else(|| Error::field(file, "project.name", "is missing"))?;
    let package = safe::name(file, "project.name", name)?;
    Ok(Some(Workspace {
        member: Fact::in_file(dir.clone(), file, why),
        package,
        manifests: docs.iter().map(|(_, f, _)| f.clone()).collect(),
    }))
}
