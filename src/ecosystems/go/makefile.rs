//! A Makefile's `go build` recipe as evidence of the release build, when there
//! is no `.goreleaser.yaml`: its package, `-o` binary name, `-tags` and the
//! `-X` stamps of `-ldflags` (make variables expanded one level; version,
//! commit and date variables become build args like goreleaser's templates).

use std::collections::BTreeMap;

use super::goreleaser::{Release, translate};
use crate::error::Result;
use crate::project::{MANIFEST_CAP, Project};
use crate::safe;

/// Make variable names that hold what a goreleaser template would, as the
/// template field [`translate`] maps to a build arg.
const VARIABLES: &[(&[&str], &str)] = &[
    (
        &["VERSION", "TAG", "GIT_TAG", "RELEASE", "APP_VERSION"],
        ".Version",
    ),
    (
        &[
            "COMMIT",
            "GIT_COMMIT",
            "SHA",
            "GIT_SHA",
            "REVISION",
            "GIT_REVISION",
        ],
        ".Commit",
    ),
    (&["DATE", "BUILD_DATE", "BUILD_TIME", "BUILDTIME"], ".Date"),
];

pub fn read(p: &Project) -> Result<Option<Release>> {
    for file in ["Makefile", "makefile", "GNUmakefile"] {
        let Some(text) = p.read_opt(file, MANIFEST_CAP)? else {
            continue;
        };
        return parse(file, &text);
    }
    Ok(None)
}

/// Logical lines (backslash continuations joined), each with its first line number.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    for (i, raw) in text.lines().enumerate() {
        if current.is_empty() {
            start = i + 1;
        }
        match raw.strip_suffix('\\') {
            Some(head) => {
                current.push_str(head);
                current.push(' ');
            }
            None => {
                current.push_str(raw);
                out.push((start, std::mem::take(&mut current)));
            }
        }
    }
    if !current.is_empty() {
        out.push((start, current));
    }
    out
}

fn parse(file: &str, text: &str) -> Result<Option<Release>> {
    let lines = logical_lines(text);
    // NAME = value, NAME := value, NAME ?= value (recipe lines start with a tab).
    let mut vars: BTreeMap<String, String> = BTreeMap::new();
    for (_, line) in &lines {
        if line.starts_with('\t') || line.trim_start().starts_with('#') {
            continue;
        }
        for op in [":=", "?=", "::=", "+=", "="] {
            if let Some((name, value)) = line.split_once(op) {
                let name = name.trim().trim_start_matches("export ").trim();
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    vars.entry(name.to_string())
                        .or_insert_with(|| value.trim().to_string());
                }
                break;
            }
        }
    }
    let Some((line_no, recipe)) = lines.iter().find(|(_, l)| {
        l.starts_with('\t') && {
            let t = l.trim();
            t.contains("go build") || t.contains("(GO) build") || t.contains("{GO} build")
        }
    }) else {
        return Ok(None);
    };
    let words = shell_words::split(recipe.trim())
        .unwrap_or_else(|_| recipe.split_whitespace().map(str::to_string).collect());
    let Some(build_at) = words.iter().position(|w| w == "build") else {
        return Ok(None);
    };
    let field = format!("`go build` recipe, line {line_no}");
    let mut out = Release {
        file: file.to_string(),
        origin: format!("{file}, line {line_no}"),
        main_field: "the `go build` package".to_string(),
        main: ".".to_string(),
        binary: None,
        stamps: Vec::new(),
        args: Vec::new(),
        tags: Vec::new(),
        dropped: Vec::new(),
    };
    let mut package = None;
    let mut rest = words[build_at + 1..].iter();
    while let Some(w) = rest.next() {
        let (flag, inline) = match w.split_once('=') {
            Some((f, v)) if f.starts_with('-') => (f, Some(v.to_string())),
            _ => (w.as_str(), None),
        };
        let mut value = || inline.clone().or_else(|| rest.next().cloned());
        match flag.trim_start_matches('-') {
            "o" => {
                if let Some(v) = value() {
                    let name = v.trim_end_matches('/').rsplit('/').next().unwrap_or("");
                    if !name.is_empty() && !name.contains('$') {
                        out.binary = Some(safe::binary(file, &format!("{field}: -o"), name)?);
                    }
                }
            }
            "tags" => {
                if let Some(v) = value() {
                    for t in expand(&v, &vars)
                        .split([',', ' '])
                        .filter(|t| !t.is_empty())
                    {
                        if t.contains('$') {
                            continue;
                        }
                        out.tags
                            .push(safe::name(file, &format!("{field}: -tags"), t)?);
                    }
                }
            }
            "ldflags" => {
                if let Some(v) = value() {
                    stamps(&expand(&v, &vars), &mut out);
                }
            }
            // Flags that take a value dfgen does not use.
            "gcflags" | "asmflags" | "mod" | "modfile" | "p" | "pgo" | "buildmode" | "C"
            | "overlay" | "pkgdir" | "toolexec" | "installsuffix" | "compiler" => {
                value();
            }
            _ if w.starts_with('-') => {}
            _ => package = Some(w.clone()),
        }
    }
    if let Some(pkg) = package {
        if pkg.contains('$') || pkg.contains("...") {
            return Ok(None); // not one main package dfgen can name
        }
        let dir = pkg.trim_start_matches("./").trim_end_matches('/');
        let dir = if pkg.ends_with(".go") {
            dir.rsplit_once('/').map(|x| x.0).unwrap_or(".")
        } else if dir.is_empty() {
            "."
        } else {
            dir
        };
        out.main = safe::rel_path(file, &format!("{field}: package"), dir)?;
    }
    Ok(Some(out))
}

/// `$(NAME)` and `${NAME}` replaced by the variable's value (three levels at
/// most), except version, commit and date variables: build args stand in for
/// those, whatever the Makefile computes them from.
fn expand(text: &str, vars: &BTreeMap<String, String>) -> String {
    let stamped = |name: &str| VARIABLES.iter().any(|(names, _)| names.contains(&name));
    let mut out = text.to_string();
    for _ in 0..3 {
        let before = out.clone();
        for (name, value) in vars.iter().filter(|(n, _)| !stamped(n)) {
            for r in [format!("$({name})"), format!("${{{name}}}")] {
                out = out.replace(&r, value);
            }
        }
        if out == before {
            break;
        }
    }
    out
}

/// The `-X` stamps of expanded ldflags; make references left in a value are
/// mapped to goreleaser's fields (then to build args), or the stamp is dropped.
fn stamps(ldflags: &str, out: &mut Release) {
    let words: Vec<&str> = ldflags.split_whitespace().collect();
    let mut i = 0;
    while i < words.len() {
        let stamp = match words[i] {
            "-X" | "--X" => {
                i += 1;
                words.get(i).map(|s| s.to_string())
            }
            w => w.strip_prefix("-X=").map(str::to_string),
        };
        i += 1;
        let Some(stamp) = stamp else { continue };
        let stamp = stamp.trim_matches(['\'', '"']).to_string();
        let templated = to_template(&stamp);
        match templated.and_then(|t| translate(&t, &mut out.args)) {
            Some(s) => out.stamps.push(s),
            None => out.dropped.push(stamp),
        }
    }
}

/// `main.version=$(VERSION)` → `main.version={{.Version}}` when VERSION is a
/// version variable: computed or not (`git describe`...), a build arg stands in.
fn to_template(stamp: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = stamp;
    while let Some(start) = rest.find('$') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let close = match after.chars().next()? {
            '(' => ')',
            '{' => '}',
            _ => return None,
        };
        let end = after.find(close)?;
        let name = &after[1..end];
        let (_, field) = VARIABLES.iter().find(|(names, _)| names.contains(&name))?;
        out.push_str(&format!("{{{{{field}}}}}"));
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_makefile_recipe_gives_package_binary_tags_and_stamps() {
        let text = "VERSION ?= $(shell git describe --tags)\n\
                    COMMIT := $(shell git rev-parse HEAD)\n\
                    LDFLAGS := -s -w -X main.version=$(VERSION) \\\n  -X main.commit=$(COMMIT)\n\
                    \n\
                    build:\n\
                    \tCGO_ENABLED=0 go build -tags 'netgo osusergo' -ldflags \"$(LDFLAGS) -X main.env=$(ENVIRONMENT)\" \\\n\
                    \t  -o bin/shopd ./cmd/shopd\n";
        let r = parse("Makefile", text).unwrap().unwrap();
        assert_eq!(r.main, "cmd/shopd");
        assert_eq!(r.binary.as_deref(), Some("shopd"));
        assert_eq!(r.tags, ["netgo", "osusergo"]);
        assert_eq!(
            r.stamps,
            ["main.version=${VERSION}", "main.commit=${COMMIT}"]
        );
        assert_eq!(r.dropped, ["main.env=$(ENVIRONMENT)"]);
        assert_eq!(r.origin, "Makefile, line 7");
    }

    #[test]
    fn no_go_build_or_a_pattern_package_is_no_evidence() {
        assert!(
            parse("Makefile", "test:\n\tgo test ./...\n")
                .unwrap()
                .is_none()
        );
        assert!(
            parse("Makefile", "build:\n\tgo build ./...\n")
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn bad_names_are_refused_with_the_line() {
        let e = parse("Makefile", "build:\n\tgo build -o bin/.. .\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("Makefile") && e.contains("line 2"), "{e}");
    }
}
