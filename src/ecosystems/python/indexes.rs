//! Package indexes other than PyPI: `[[tool.uv.index]]`, `[[tool.poetry.source]]`,
//! `[[tool.pdm.source]]`, Pipfile `[[source]]`, `--index-url` lines in
//! requirements files, a project `pip.conf`. Their credentials reach the build
//! as a BuildKit secret (a netrc file), never as an ARG or ENV.

use serde::Serialize;
use toml_edit::{DocumentMut, Item};

use crate::error::{Error, Result};
use crate::evidence::Fact;
use crate::project::{MANIFEST_CAP, Project};

/// The first index that is not PyPI, as `host` with where it was declared.
#[derive(Debug, Clone, Serialize)]
pub struct PrivateIndex {
    pub host: Fact<String>,
    /// The URL itself holds a password (`https://user:secret@host/`): it sits in a project file.
    pub inline_credentials: bool,
}

fn host_of(url: &str) -> Option<(String, bool)> {
    let rest = url.trim().trim_matches(['"', '\'']);
    let rest = rest.split_once("://").map(|(_, r)| r)?;
    let authority = rest.split('/').next().unwrap_or(rest);
    let (creds, host) = match authority.rsplit_once('@') {
        Some((c, h)) => (Some(c), h),
        None => (None, authority),
    };
    let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
    // A password that is not an environment reference: a secret in the file.
    let inline = creds.is_some_and(|c| c.contains(':') && !c.contains("${"));
    Some((host, inline))
}

fn is_pypi(host: &str) -> bool {
    matches!(
        host,
        "pypi.org" | "pypi.python.org" | "files.pythonhosted.org" | "test.pypi.org"
    )
}

fn from_tables(doc: &DocumentMut, path: &[&str], file: &str) -> Result<Option<PrivateIndex>> {
    let mut item: Option<&Item> = doc.get(path[0]);
    for key in &path[1..] {
        item = item.and_then(|i| i.get(key));
    }
    let Some(item) = item else { return Ok(None) };
    let field = path.join(".");
    let tables: Vec<&dyn toml_edit::TableLike> = if let Some(arr) = item.as_array_of_tables() {
        arr.iter().map(|t| t as &dyn toml_edit::TableLike).collect()
    } else {
        return Err(Error::field(
            file,
            &field,
            "is not an array of tables ([[...]])",
        ));
    };
    for t in tables {
        let Some(url) = t.get("url").and_then(Item::as_str) else {
            continue;
        };
        if let Some((host, inline)) = host_of(url)
            && !is_pypi(&host)
        {
            return Ok(Some(PrivateIndex {
                host: Fact::in_file(host, file, field),
                inline_credentials: inline,
            }));
        }
    }
    Ok(None)
}

pub fn find(
    p: &Project,
    pyproject: Option<&DocumentMut>,
    pipfile: Option<&DocumentMut>,
    requirements: &[String],
) -> Result<Option<PrivateIndex>> {
    if let Some(doc) = pyproject {
        for path in [
            &["tool", "uv", "index"][..],
            &["tool", "poetry", "source"][..],
            &["tool", "pdm", "source"][..],
        ] {
            if let Some(found) = from_tables(doc, path, "pyproject.toml")? {
                return Ok(Some(found));
            }
        }
        for key in ["index-url", "extra-index-url"] {
            let urls: Vec<&str> = match doc
                .get("tool")
                .and_then(|t| t.get("uv"))
                .and_then(|u| u.get(key))
            {
                Some(i) if i.is_str() => i.as_str().into_iter().collect(),
                Some(i) => i
                    .as_array()
                    .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
                    .unwrap_or_default(),
                None => Vec::new(),
            };
            for url in urls {
                if let Some((host, inline)) = host_of(url)
                    && !is_pypi(&host)
                {
                    return Ok(Some(PrivateIndex {
                        host: Fact::in_file(host, "pyproject.toml", format!("tool.uv.{key}")),
                        inline_credentials: inline,
                    }));
                }
            }
        }
    }
    if let Some(doc) = pipfile
        && let Some(found) = from_tables(doc, &["source"], "Pipfile")?
    {
        return Ok(Some(found));
    }
    for file in requirements {
        let text = p.read(file, MANIFEST_CAP)?;
        for (i, line) in text.lines().enumerate() {
            let t = line.trim();
            let url = ["--index-url", "--extra-index-url", "-i"]
                .iter()
                .find_map(|f| t.strip_prefix(f))
                .map(|r| r.trim_start_matches('=').trim());
            if let Some(url) = url
                && let Some((host, inline)) = host_of(url)
                && !is_pypi(&host)
            {
                return Ok(Some(PrivateIndex {
                    host: Fact::in_file(host, file, format!("line {}", i + 1)),
                    inline_credentials: inline,
                }));
            }
        }
    }
    if let Some(text) = p.read_opt("pip.conf", MANIFEST_CAP)? {
        for (i, line) in text.lines().enumerate() {
            if let Some((k, v)) = line.split_once('=')
                && k.trim().ends_with("index-url")
                && let Some((host, inline)) = host_of(v)
                && !is_pypi(&host)
            {
                return Ok(Some(PrivateIndex {
                    host: Fact::in_file(host, "pip.conf", format!("line {}", i + 1)),
                    inline_credentials: inline,
                }));
            }
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_inline_credentials() {
        assert_eq!(
            host_of("https://pkgs.example.com/simple/"),
            Some(("pkgs.example.com".into(), false))
        );
        assert_eq!(
            host_of("https://me:s3cret@pkgs.example.com:8443/simple"),
            Some(("pkgs.example.com".into(), true))
        );
        assert_eq!(
            host_of("https://me:${TOKEN}@pkgs.example.com/simple"),
            Some(("pkgs.example.com".into(), false))
        );
        assert!(is_pypi(&host_of("https://pypi.org/simple/").unwrap().0));
    }
}
