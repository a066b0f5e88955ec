//! Servers that bind a loopback address by default but take the address from
//! an environment variable (`os.Getenv("HOST")` falling back to "127.0.0.1",
//! `env::var("BIND_ADDR").unwrap_or("127.0.0.1:3000")`, clap's `env = "..."`)
//! or a Go flag (`flag.String("addr", "localhost:8080", ...)`): the image sets
//! the variable or passes the flag with 0.0.0.0, so the server is reachable
//! from outside the container. Shared by the compiled-language ecosystems.

use crate::evidence::{Evidence, Fact};
use crate::project::Project;

/// How the bind address can be set from outside the code.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Steer {
    /// `ENV <name>=<value>`.
    Env(String),
    /// `-<name>=<value>` on the command line (Go's flag package).
    Flag(String),
}

/// A loopback default that can be overridden, and the address to use instead.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LoopbackDefault {
    pub steer: Steer,
    /// The loopback address the code falls back to (`127.0.0.1:3000`).
    pub default: String,
    /// The same with 0.0.0.0 (`0.0.0.0:3000`).
    pub value: String,
    pub evidence: Evidence,
}

impl LoopbackDefault {
    /// Why the image sets it, for a Dockerfile comment.
    pub fn fact(&self) -> Fact<String> {
        Fact::new(
            self.value.clone(),
            Evidence::other(format!(
                "{} falls back to {}, a loopback address unreachable from outside the container",
                self.evidence, self.default
            )),
        )
    }
}

/// Environment variable names that hold the server's own bind address (not a
/// client's: DB_HOST and REDIS_ADDR are where the app connects to). `own`:
/// the program's own names (package, binary), so `SHOPD_ADDR` counts for shopd.
fn is_bind_var(name: &str, own: &[&str]) -> bool {
    if matches!(name, "HOST" | "ADDR" | "ADDRESS" | "BIND" | "LISTEN") {
        return true;
    }
    if name.contains("BIND") || name.contains("LISTEN") {
        return true;
    }
    let Some((prefix, suffix)) = name.rsplit_once('_') else {
        return false;
    };
    let own_prefix = own
        .iter()
        .any(|n| !n.is_empty() && n.to_ascii_uppercase().replace('-', "_") == prefix);
    matches!(suffix, "ADDR" | "HOST" | "ADDRESS")
        && (own_prefix
            || matches!(
                prefix,
                "HTTP" | "SERVER" | "APP" | "WEB" | "API" | "SERVICE"
            ))
}

/// Go flag names that hold a listen address.
fn is_bind_flag(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    matches!(
        n.as_str(),
        "addr" | "address" | "host" | "bind" | "listen" | "http" | "http-addr" | "http.addr"
    ) || n.contains("listen")
        || n.contains("bind")
}

/// `127.0.0.1[:port]` or `localhost[:port]` → `0.0.0.0[:port]`.
fn unloop(literal: &str) -> Option<String> {
    let rest = literal
        .strip_prefix("127.0.0.1")
        .or_else(|| literal.strip_prefix("localhost"))?;
    if rest.is_empty() {
        return Some("0.0.0.0".into());
    }
    let port = rest.strip_prefix(':')?;
    (!port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("0.0.0.0:{port}"))
}

/// The quoted strings of a line, in order.
fn literals(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find('"') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('"') else { break };
        out.push(after[..end].to_string());
        rest = &after[end + 1..];
    }
    out
}

/// The environment variable a line reads, if any.
fn env_read(line: &str) -> Option<String> {
    for marker in [
        "Getenv(\"",
        "LookupEnv(\"",
        "env::var(\"",
        "env::var_os(\"",
        "env = \"",
        "env(\"",
    ] {
        if let Some(pos) = line.find(marker) {
            let rest = &line[pos + marker.len()..];
            let name = &rest[..rest.find('"')?];
            if !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
            {
                return Some(name.to_string());
            }
        }
    }
    None
}

/// The first overridable loopback default in these files of the program
/// named `own` (its package and binary names).
pub fn find(p: &Project, files: &[String], own: &[&str]) -> Option<LoopbackDefault> {
    for file in files {
        let Some(text) = p.read_source(file) else {
            continue;
        };
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            // Go flags: flag.String("addr", "127.0.0.1:8080", "...") and StringVar.
            if let Some(pos) = code
                .find("flag.String(")
                .or_else(|| code.find("flag.StringVar("))
            {
                let lits = literals(&code[pos..]);
                if let (Some(name), Some(default)) = (lits.first(), lits.get(1))
                    && is_bind_flag(name)
                    && crate::safe::name("", "", name).is_ok()
                    && let Some(value) = unloop(default)
                {
                    return Some(LoopbackDefault {
                        steer: Steer::Flag(name.clone()),
                        default: default.clone(),
                        value,
                        evidence: Evidence::file(file, format!("flag -{name}, line {}", i + 1)),
                    });
                }
            }
            let Some(var) = env_read(code) else { continue };
            if !is_bind_var(&var, own) {
                continue;
            }
            // The fallback is on the same line or within the next three.
            let window = lines[i..lines.len().min(i + 4)].join("\n");
            let Some((_, after_var)) = window.split_once(&format!("\"{var}\"")) else {
                continue;
            };
            let found = literals(after_var)
                .into_iter()
                .find_map(|l| unloop(&l).map(|v| (l, v)));
            if let Some((default, value)) = found {
                return Some(LoopbackDefault {
                    steer: Steer::Env(var.clone()),
                    default,
                    value,
                    evidence: Evidence::file(file, format!("{var}, line {}", i + 1)),
                });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_literals_become_any_address() {
        assert_eq!(unloop("127.0.0.1:3000").as_deref(), Some("0.0.0.0:3000"));
        assert_eq!(unloop("localhost").as_deref(), Some("0.0.0.0"));
        assert_eq!(unloop("localhost:x"), None);
        assert_eq!(unloop("10.0.0.1:80"), None);
    }

    #[test]
    fn client_variables_are_not_binds() {
        assert!(
            is_bind_var("HOST", &[])
                && is_bind_var("BIND_ADDR", &[])
                && is_bind_var("HTTP_ADDR", &[])
        );
        assert!(!is_bind_var("DB_HOST", &[]) && !is_bind_var("REDIS_ADDR", &[]));
        assert!(is_bind_var("SHOPD_ADDR", &["shopd"]) && is_bind_var("MY_APP_HOST", &["my-app"]));
        assert!(!is_bind_var("SHOPD_ADDR", &["api"]) && !is_bind_var("REDIS_ADDR", &["shopd"]));
    }

    #[test]
    fn env_names_are_read_from_go_and_rust() {
        assert_eq!(
            env_read("h := os.Getenv(\"HOST\")").as_deref(),
            Some("HOST")
        );
        assert_eq!(
            env_read("let a = std::env::var(\"BIND_ADDR\").unwrap_or(\"127.0.0.1:3000\".into());")
                .as_deref(),
            Some("BIND_ADDR")
        );
        assert_eq!(
            env_read("#[arg(long, env = \"LISTEN\")]").as_deref(),
            Some("LISTEN")
        );
        assert_eq!(env_read("os.Getenv(\"$(x)\")"), None);
    }
}
