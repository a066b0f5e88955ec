//! `.goreleaser.yaml` `builds:` as evidence of how the project builds its
//! release binary: the main package, the binary name, build tags and the
//! `-X` version stamps in `ldflags`.

use serde::Serialize;
use serde_json::Value;

use crate::error::Result;
use crate::project::{MANIFEST_CAP, Project};
use crate::safe;

#[derive(Debug, Clone, Serialize)]
pub struct Release {
    /// The file it was read from.
    pub file: String,
    /// Where in it (`.goreleaser.yaml, builds[0]`, `Makefile, line 12`).
    pub origin: String,
    /// The field that names the main package, for messages.
    pub main_field: String,
    /// Main package directory, relative (`.` or `cmd/api`).
    pub main: String,
    pub binary: Option<String>,
    /// `-X name=value` stamps, with goreleaser's templates turned into build
    /// args (`{{.Version}}` → `${VERSION}`).
    pub stamps: Vec<String>,
    /// Build args the stamps use, with their defaults (`VERSION`, `dev`).
    pub args: Vec<(String, String)>,
    pub tags: Vec<String>,
    /// Stamps dropped because they use a template dfgen cannot provide.
    pub dropped: Vec<String>,
}

/// goreleaser template fields dfgen maps to a build arg, and its default.
const TEMPLATE_ARGS: &[(&[&str], &str, &str)] = &[
    (&[".Version", ".Tag", ".RawVersion"], "VERSION", "dev"),
    (
        &[".Commit", ".FullCommit", ".ShortCommit"],
        "COMMIT",
        "unknown",
    ),
    (&[".Date", ".CommitDate"], "BUILD_DATE", "unknown"),
];

pub fn read(p: &Project) -> Result<Option<Release>> {
    for file in [
        ".goreleaser.yaml",
        ".goreleaser.yml",
        "goreleaser.yaml",
        "goreleaser.yml",
    ] {
        let Some(text) = p.read_opt(file, MANIFEST_CAP)? else {
            continue;
        };
        let doc: Value = crate::yaml::from_str(file, &text)?;
        let Some(build) = doc
            .get("builds")
            .and_then(Value::as_array)
            .and_then(|b| b.iter().find(|b| b.get("skip") != Some(&Value::Bool(true))))
        else {
            return Ok(None);
        };
        return parse_build(file, build).map(Some);
    }
    super::makefile::read(p)
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

fn parse_build(file: &str, build: &Value) -> Result<Release> {
    let main_raw = build.get("main").and_then(Value::as_str).unwrap_or(".");
    // `main` may name a file (./cmd/api/main.go): its directory is the package.
    let main_dir = if main_raw.ends_with(".go") {
        main_raw.rsplit_once('/').map(|x| x.0).unwrap_or(".")
    } else {
        main_raw
    };
    let main = safe::rel_path(file, "builds[0].main", main_dir)?;
    let binary = match build.get("binary").and_then(Value::as_str) {
        Some(b) if !b.contains("{{") => Some(safe::binary(file, "builds[0].binary", b)?),
        _ => None,
    };
    let mut out = Release {
        file: file.to_string(),
        origin: format!("{file}, builds[0]"),
        main_field: "builds[0].main".to_string(),
        main,
        binary,
        stamps: Vec::new(),
        args: Vec::new(),
        tags: Vec::new(),
        dropped: Vec::new(),
    };
    let flags: Vec<String> = strings(build.get("ldflags"))
        .iter()
        .flat_map(|l| l.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .collect();
    let mut i = 0;
    while i < flags.len() {
        let stamp = match flags[i].as_str() {
            "-X" | "--X" => {
                i += 1;
                flags.get(i).cloned()
            }
            f => f.strip_prefix("-X=").map(str::to_string),
        };
        i += 1;
        if let Some(stamp) = stamp {
            match translate(&stamp, &mut out.args) {
                Some(s) => out.stamps.push(s),
                None => out.dropped.push(stamp),
            }
        }
    }
    for t in strings(build.get("tags")) {
        out.tags.push(safe::name(file, "builds[0].tags", &t)?);
    }
    for f in strings(build.get("flags")) {
        if let Some(list) = f
            .strip_prefix("-tags=")
            .or_else(|| f.strip_prefix("--tags="))
        {
            for t in list.split(',') {
                out.tags.push(safe::name(file, "builds[0].flags", t)?);
            }
        }
    }
    Ok(out)
}

/// `main.version={{.Version}}` → `main.version=${VERSION}`; `None` when the
/// stamp is not a plain `name=value` or uses a template dfgen cannot fill.
pub(super) fn translate(stamp: &str, args: &mut Vec<(String, String)>) -> Option<String> {
    let (name, value) = stamp.split_once('=')?;
    safe::name("", "", name).ok()?;
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}")? + start;
        let field = rest[start + 2..end].trim();
        let (_, arg, default) = TEMPLATE_ARGS.iter().find(|(f, _, _)| f.contains(&field))?;
        if !args.iter().any(|(a, _)| a == arg) {
            args.push((arg.to_string(), default.to_string()));
        }
        out.push_str(&format!("${{{arg}}}"));
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    // Literal parts must be plain tokens: they land inside a shell string.
    let literal = out
        .replace("${VERSION}", "")
        .replace("${COMMIT}", "")
        .replace("${BUILD_DATE}", "");
    if !literal
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | '@' | '+' | ':'))
    {
        return None;
    }
    Some(format!("{name}={out}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_become_build_args() {
        let mut args = Vec::new();
        assert_eq!(
            translate("main.version={{ .Version }}", &mut args).as_deref(),
            Some("main.version=${VERSION}")
        );
        assert_eq!(
            translate("x/build.Commit={{.ShortCommit}}-dirty", &mut args).as_deref(),
            Some("x/build.Commit=${COMMIT}-dirty")
        );
        assert_eq!(translate("main.env={{.Env.FOO}}", &mut args), None);
        assert_eq!(translate("main.x=$(rm -rf /)", &mut args), None);
        assert_eq!(
            args,
            [
                ("VERSION".to_string(), "dev".to_string()),
                ("COMMIT".to_string(), "unknown".to_string())
            ]
        );
    }

    #[test]
    fn build_fields() {
        let v: Value = serde_json::json!({
            "main": "./cmd/api/main.go",
            "binary": "api",
            "ldflags": ["-s -w -X main.version={{.Version}}", "-X=main.date={{.Date}}"],
            "flags": ["-tags=netgo,osusergo"],
            "tags": ["sqlite"]
        });
        let r = parse_build(".goreleaser.yaml", &v).unwrap();
        assert_eq!(r.main, "cmd/api");
        assert_eq!(r.binary.as_deref(), Some("api"));
        assert_eq!(
            r.stamps,
            ["main.version=${VERSION}", "main.date=${BUILD_DATE}"]
        );
        assert_eq!(r.tags, ["sqlite", "netgo", "osusergo"]);
    }
}
