//! Which CPython minors a lockfile's binary wheels allow. uv.lock, poetry.lock
//! and pdm.lock list each package's files; a package whose Linux wheels are
//! all built for specific CPython versions (`cp312`, `cp313`...) only installs
//! without a compiler on those, so the Python version must be one of them.
//! Pure-Python (`py3-none-any`) and sdist-only packages don't restrict;
//! `abi3` wheels cover their version and every later one.

use std::collections::{BTreeMap, BTreeSet};

use crate::evidence::Evidence;
use crate::version::{Declared, Dialect};

/// Minors (the `13` of 3.13) a package's wheels cover; None: no restriction.
#[derive(Debug, Default)]
struct Coverage {
    minors: BTreeSet<u32>,
    abi3_from: Option<u32>,
    pure: bool,
    linux: bool,
}

impl Coverage {
    fn allows(&self, minor: u32) -> bool {
        !self.linux
            || self.pure
            || self.minors.contains(&minor)
            || self.abi3_from.is_some_and(|f| minor >= f)
    }
}

/// The wheel file names in a lockfile, by package (`name version`).
fn wheel_files(lockfile: &str, text: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current = String::new();
    let mut name = String::new();
    for line in text.lines() {
        let t = line.trim();
        if t == "[[package]]" {
            name.clear();
            current.clear();
            continue;
        }
        if let Some(v) = t.strip_prefix("name = ") {
            name = v.trim_matches('"').to_string();
        } else if let Some(v) = t.strip_prefix("version = ")
            && !name.is_empty()
            && current.is_empty()
        {
            current = format!("{name} {}", v.trim_matches('"'));
        }
        // poetry.lock 1.x keeps files in [metadata.files]: `name = [ {file = ...}, ]`.
        if lockfile == "poetry.lock"
            && let Some((k, _)) = t.split_once(" = [")
            && !t.starts_with("files")
            && !t.starts_with("name")
        {
            current = k.trim_matches('"').to_string();
        }
        for part in t.split(".whl").take(t.matches(".whl").count()) {
            let file = part
                .rsplit(['/', '"', ' '])
                .next()
                .unwrap_or("")
                .to_string();
            if !file.is_empty() && !current.is_empty() {
                out.entry(current.clone())
                    .or_default()
                    .push(format!("{file}.whl"));
            }
        }
    }
    out
}

fn coverage(files: &[String]) -> Coverage {
    let mut c = Coverage::default();
    for f in files {
        let stem = f.trim_end_matches(".whl");
        let parts: Vec<&str> = stem.rsplitn(4, '-').collect();
        let [plat, abi, py, ..] = parts.as_slice() else {
            continue;
        };
        if !(plat.contains("linux") || *plat == "any") {
            continue;
        }
        c.linux = true;
        for tag in py.split('.') {
            if tag.starts_with("py3") || tag == "py2" {
                c.pure = true;
            } else if let Some(n) = tag.strip_prefix("cp3")
                && let Ok(minor) = n.parse::<u32>()
            {
                if *abi == "abi3" {
                    c.abi3_from = Some(c.abi3_from.map_or(minor, |m| m.min(minor)));
                } else {
                    c.minors.insert(minor);
                }
            }
        }
    }
    c
}

/// The declared version narrowed to the minors every locked package has
/// wheels for, when that changes anything; pins and aliases stay as written.
pub fn narrow(declared: Declared, lockfile: &str, text: &str) -> Declared {
    let (base, evidence) = match &declared {
        Declared::Range {
            text,
            evidence,
            dialect: Dialect::Pep440,
        } => (Some(text.clone()), evidence.clone()),
        Declared::Nothing => (None, Evidence::file(lockfile, "wheels")),
        _ => return declared,
    };
    let files = wheel_files(lockfile, text);
    let restricting: Vec<(String, Coverage)> = files
        .into_iter()
        .map(|(pkg, f)| (pkg, coverage(&f)))
        .filter(|(_, c)| c.linux && !c.pure)
        .collect();
    if restricting.is_empty() {
        return declared;
    }
    // Minors 3.8..=3.20 that every restricting package allows.
    let ok: Vec<u32> = (8..=20)
        .filter(|m| restricting.iter().all(|(_, c)| c.allows(*m)))
        .collect();
    let (Some(lo), Some(hi)) = (ok.first(), ok.last()) else {
        return declared; // no common version: leave it to the declared range
    };
    // Only a range that allows a minor the wheels rule out (up to the newest
    // minor any wheel in the lock is built for) is narrowed: lockers record
    // wheels for the versions the project allows, so most locks cut nothing.
    let newest = restricting
        .iter()
        .flat_map(|(_, c)| c.minors.iter().copied().chain(c.abi3_from))
        .max()
        .unwrap_or(0);
    let req = match &base {
        Some(b) => match crate::version::Req::parse(b, Dialect::Pep440) {
            Ok(r) => Some(r),
            Err(_) => return declared, // the resolver will name the problem
        },
        None => None,
    };
    let allowed = |m: u32| {
        req.as_ref()
            .is_none_or(|r| r.matches(&[3, u64::from(m), 0]) || r.matches(&[3, u64::from(m), 50]))
    };
    if !(8..=newest).any(|m| allowed(m) && !ok.contains(&m)) {
        return declared;
    }
    // The package that sets the upper bound, for the comment.
    let limiting = restricting
        .iter()
        .find(|(_, c)| !c.allows(hi + 1))
        .map(|(p, _)| p.clone())
        .unwrap_or_default();
    let bound = format!(">=3.{lo},<3.{}", hi + 1);
    let text = match &base {
        Some(b) => format!("{b},{bound}"),
        None => bound,
    };
    let reason = if limiting.is_empty() {
        let first = restricting
            .iter()
            .find(|(_, c)| lo > &8 && !c.allows(lo - 1))
            .map(|(p, _)| p.as_str())
            .unwrap_or("a package");
        format!("{first} has none before 3.{lo}")
    } else {
        format!("{limiting} has none past 3.{hi}")
    };
    let why = match base {
        Some(_) => format!(
            "{} narrowed by the wheels in {lockfile} ({reason})",
            evidence.detail
        ),
        None => format!("wheels ({reason})"),
    };
    Declared::Range {
        text,
        evidence: Evidence {
            file: evidence.file.clone().or(Some(lockfile.to_string())),
            detail: why,
        },
        dialect: Dialect::Pep440,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const UV_LOCK: &str = r#"
[[package]]
name = "numpy"
version = "1.26.4"
source = { registry = "https://pypi.org/simple" }
wheels = [
    { url = "https://files/numpy-1.26.4-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", hash = "x" },
    { url = "https://files/numpy-1.26.4-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", hash = "x" },
    { url = "https://files/numpy-1.26.4-cp313-cp313-win_amd64.whl", hash = "x" },
]

[[package]]
name = "flask"
version = "3.1.2"
wheels = [
    { url = "https://files/flask-3.1.2-py3-none-any.whl", hash = "x" },
]

[[package]]
name = "cryptography"
version = "46.0.1"
wheels = [
    { url = "https://files/cryptography-46.0.1-cp311-abi3-manylinux_2_28_x86_64.whl", hash = "x" },
]
"#;

    #[test]
    fn a_range_is_capped_at_the_last_minor_with_wheels() {
        let d = Declared::Range {
            text: ">=3.10".into(),
            evidence: Evidence::file("pyproject.toml", "project.requires-python"),
            dialect: Dialect::Pep440,
        };
        let Declared::Range { text, evidence, .. } = narrow(d, "uv.lock", UV_LOCK) else {
            panic!("a range")
        };
        // numpy: 3.11 and 3.12 on Linux; cryptography abi3 from 3.11.
        assert_eq!(text, ">=3.10,>=3.11,<3.13");
        assert!(
            evidence.detail.contains("numpy 1.26.4"),
            "{}",
            evidence.detail
        );
    }

    #[test]
    fn pins_and_pure_locks_are_left_alone() {
        let pin = Declared::Pin {
            version: "3.13".into(),
            evidence: Evidence::file(".python-version", "version"),
        };
        assert!(matches!(
            narrow(pin, "uv.lock", UV_LOCK),
            Declared::Pin { .. }
        ));
        let pure = "[[package]]\nname = \"a\"\nversion = \"1\"\nwheels = [\n  { url = \"a-1-py3-none-any.whl\" },\n]\n";
        assert!(matches!(
            narrow(Declared::Nothing, "uv.lock", pure),
            Declared::Nothing
        ));
    }

    #[test]
    fn poetry_and_pdm_file_lists() {
        let poetry = "[[package]]\nname = \"numpy\"\nversion = \"1.26.4\"\nfiles = [\n    {file = \"numpy-1.26.4-cp312-cp312-manylinux_2_17_x86_64.whl\", hash = \"x\"},\n]\n";
        let Declared::Range { text, .. } = narrow(Declared::Nothing, "poetry.lock", poetry) else {
            panic!("a range")
        };
        assert_eq!(text, ">=3.12,<3.13");
    }
}
