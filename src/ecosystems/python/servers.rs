//! Server configuration files that say where the app listens:
//! `gunicorn.conf.py` (`bind = ...`) and uWSGI ini files (`http = ...`).

use serde::Serialize;

use crate::error::Result;
use crate::evidence::Fact;
use crate::project::{MANIFEST_CAP, Project};

/// A bind read from a server's config file.
#[derive(Debug, Clone, Serialize)]
pub struct Bind {
    /// The port, with the file and line.
    pub port: Option<Fact<u16>>,
    /// The address is 127.0.0.1/localhost: unreachable from outside a container.
    pub loopback: bool,
    /// The value reads `PORT` from the environment (the port above is its default).
    pub reads_env: bool,
    /// uWSGI `socket =`: the uwsgi protocol, not HTTP (needs a web server in front).
    pub not_http: bool,
    /// `file, line N`, for messages.
    pub origin: String,
}

fn port_of(value: &str) -> Option<u16> {
    // The digits after the last ':' ("0.0.0.0:8000", ":8000"), or a default
    // inside an environment lookup (`os.environ.get("PORT", "8000")`).
    let digits = |s: &str| -> Option<u16> {
        let d: String = s
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        d.parse().ok().filter(|p| *p > 0)
    };
    if let Some(p) = value.rsplit_once(':').and_then(|(_, r)| digits(r)) {
        return Some(p);
    }
    // `"PORT", "8000"` / `'PORT', 8000`
    let after = value.split("PORT").nth(1)?;
    let after = after.trim_start_matches(['"', '\'', ' ', ',']);
    digits(after)
}

fn bind_of(value: &str, file: &str, line: usize, not_http: bool) -> Bind {
    let lower = value.to_ascii_lowercase();
    Bind {
        port: port_of(value).map(|p| Fact::in_file(p, file, format!("bind, line {line}"))),
        loopback: lower.contains("127.0.0.1") || lower.contains("localhost"),
        reads_env: value.contains("PORT"),
        not_http,
        origin: format!("{file}, line {line}"),
    }
}

/// `bind = "0.0.0.0:8000"` (or a list, or an f-string reading PORT) in a
/// gunicorn config file.
pub fn gunicorn(p: &Project, file: &str) -> Result<Option<Bind>> {
    let Some(text) = p.read_opt(file, MANIFEST_CAP)? else {
        return Ok(None);
    };
    for (i, line) in text.lines().enumerate() {
        let Some(rest) = line.strip_prefix("bind") else {
            continue;
        };
        let Some(value) = rest.trim_start().strip_prefix('=') else {
            continue;
        };
        return Ok(Some(bind_of(value, file, i + 1, false)));
    }
    Ok(None)
}

/// `http = :8000` / `http-socket = 0.0.0.0:8000` (or `socket = ...`) in the
/// `[uwsgi]` section of an ini file.
pub fn uwsgi(p: &Project, file: &str) -> Result<Option<Bind>> {
    let Some(text) = p.read_opt(file, MANIFEST_CAP)? else {
        return Ok(None);
    };
    let mut in_section = false;
    let mut socket = None;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('[') {
            in_section = t == "[uwsgi]";
            continue;
        }
        if !in_section {
            continue;
        }
        let Some((key, value)) = t.split_once('=') else {
            continue;
        };
        match key.trim() {
            "http" | "http-socket" => return Ok(Some(bind_of(value, file, i + 1, false))),
            "socket" | "uwsgi-socket" if socket.is_none() => {
                socket = Some(bind_of(value, file, i + 1, true));
            }
            _ => {}
        }
    }
    Ok(socket)
}

/// The config file a gunicorn command line names (`-c FILE`, `--config FILE`,
/// `--config=FILE`), else `gunicorn.conf.py`, which gunicorn reads from its
/// working directory by default.
pub fn gunicorn_config_file(words: &[String]) -> String {
    let mut it = words.iter();
    while let Some(w) = it.next() {
        if w == "-c" || w == "--config" {
            if let Some(f) = it.next() {
                return f.trim_start_matches("./").to_string();
            }
        } else if let Some(f) = w.strip_prefix("--config=") {
            return f.trim_start_matches("./").to_string();
        }
    }
    "gunicorn.conf.py".to_string()
}

/// The ini file a uWSGI command line names (`--ini FILE` or a bare `FILE.ini`).
pub fn uwsgi_ini_file(words: &[String]) -> Option<String> {
    let mut it = words.iter().skip(1);
    while let Some(w) = it.next() {
        if w == "--ini" {
            return it.next().map(|f| f.trim_start_matches("./").to_string());
        }
        if let Some(f) = w.strip_prefix("--ini=") {
            return Some(f.trim_start_matches("./").to_string());
        }
        if w.ends_with(".ini") && !w.starts_with('-') {
            return Some(w.trim_start_matches("./").to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_from_binds() {
        assert_eq!(port_of(" \"0.0.0.0:5005\""), Some(5005));
        assert_eq!(port_of(" [\"0.0.0.0:8080\"]"), Some(8080));
        assert_eq!(port_of(" :9000"), Some(9000));
        assert_eq!(
            port_of(" f\"0.0.0.0:{os.environ.get('PORT', '8001')}\""),
            Some(8001)
        );
        assert_eq!(port_of(" \"unix:/tmp/g.sock\""), None);
    }

    #[test]
    fn config_file_names() {
        let w = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        assert_eq!(
            gunicorn_config_file(&w("gunicorn -c conf/g.py app:app")),
            "conf/g.py"
        );
        assert_eq!(
            gunicorn_config_file(&w("gunicorn app:app")),
            "gunicorn.conf.py"
        );
        assert_eq!(
            uwsgi_ini_file(&w("uwsgi --ini deploy/uwsgi.ini")).as_deref(),
            Some("deploy/uwsgi.ini")
        );
        assert_eq!(
            uwsgi_ini_file(&w("uwsgi app.ini")).as_deref(),
            Some("app.ini")
        );
    }
}
