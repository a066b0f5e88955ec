//! Hints read from source code: which port a server listens on, and whether it
//! reads `PORT` from the environment. Heuristic by nature, so every hint names
//! the file and line it came from and the user can check it in a second.

use crate::evidence::Fact;
use crate::project::Project;

/// What the sources say about the listening port.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct PortHints {
    /// The first port found, with its file:line.
    pub port: Option<Fact<u16>>,
    /// The app reads `PORT` from the environment, so `ENV PORT=` steers it.
    pub reads_env: bool,
    /// A bind to 127.0.0.1/localhost was seen: unreachable from outside a container.
    pub loopback: Option<String>,
}

/// Ports of common backing services: a line naming one of these is a client
/// connecting out, not the app listening.
const CLIENT_PORTS: &[u16] = &[3306, 5432, 5672, 6379, 9092, 9200, 11211, 27017];

pub fn scan(project: &Project, files: &[String]) -> PortHints {
    let mut hints = PortHints::default();
    for file in files {
        let Some(text) = project.read_source(file) else {
            continue;
        };
        for (idx, line) in text.lines().enumerate() {
            let code = strip_line_comment(line);
            let lower = code.to_ascii_lowercase();
            let env_read = reads_port_env(code);
            if env_read {
                hints.reads_env = true;
            }
            let context = env_read
                || ["listen", "bind", "serve", "addr", "port", ".run(", "run("]
                    .iter()
                    .any(|k| lower.contains(k));
            if !context {
                continue;
            }
            let loopback = [
                "127.0.0.1:",
                "localhost:",
                "\"127.0.0.1\"",
                "'127.0.0.1'",
                "[127, 0, 0, 1]",
            ]
            .iter()
            .any(|k| lower.contains(k));
            if let Some(port) = port_in(code) {
                if CLIENT_PORTS.contains(&port) {
                    continue;
                }
                if loopback && hints.loopback.is_none() && !env_read {
                    hints.loopback = Some(format!("{file}:{}", idx + 1));
                }
                if hints.port.is_none() {
                    hints.port = Some(Fact::in_file(port, file, format!("line {}", idx + 1)));
                }
            }
        }
    }
    hints
}

fn strip_line_comment(line: &str) -> &str {
    let t = line.trim_start();
    if t.starts_with("//") || t.starts_with('#') || t.starts_with("/*") || t.starts_with('*') {
        return "";
    }
    line
}

fn reads_port_env(code: &str) -> bool {
    [
        "Getenv(\"PORT\")",
        "LookupEnv(\"PORT\")",
        "process.env.PORT",
        "process.env['PORT']",
        "process.env[\"PORT\"]",
        "environ.get(\"PORT\"",
        "environ.get('PORT'",
        "environ[\"PORT\"]",
        "environ['PORT']",
        "getenv(\"PORT\"",
        "getenv('PORT'",
        "env::var(\"PORT\")",
    ]
    .iter()
    .any(|k| code.contains(k))
}

/// The port a line names: a `host:port` / `:port` string, or a number after a
/// `PORT`/`port`/`listen(` context. Two to five digits, 1..=65535.
fn port_in(code: &str) -> Option<u16> {
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() && (i == 0 || !is_ident(bytes[i - 1]) || bytes[i - 1] == b':')
        {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let digits = &code[start..i];
            let prev = if start > 0 { bytes[start - 1] } else { b' ' };
            let next = if i < bytes.len() { bytes[i] } else { b' ' };
            // Skip parts of dotted numbers (versions, IP octets) and of longer words.
            if next == b'.' || prev == b'.' || is_ident(next) {
                continue;
            }
            if (2..=5).contains(&digits.len()) {
                if let Ok(p) = digits.parse::<u16>() {
                    let before = code[..start].to_ascii_lowercase();
                    let tail = before.trim_end();
                    let plausible = prev == b':'
                        || before.contains("port")
                        // ("0.0.0.0", 8000): a host and port pair
                        || ((tail.ends_with("\",") || tail.ends_with("',")) && before.contains("(("))
                        || before.contains("listen")
                        // Java: new InetSocketAddress(8080)
                        || before.ends_with("inetsocketaddress(")
                        || before.ends_with("], ")
                        || before.ends_with("],");
                    if p >= 80 && plausible {
                        return Some(p);
                    }
                }
            }
        } else {
            i += 1;
        }
    }
    None
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_from_typical_lines() {
        assert_eq!(port_in(r#"http.ListenAndServe(":8080", nil)"#), Some(8080));
        assert_eq!(
            port_in("const port = process.env.PORT || 3000;"),
            Some(3000)
        );
        assert_eq!(
            port_in(r#"port = int(os.environ.get("PORT", "5000"))"#),
            Some(5000)
        );
        assert_eq!(
            port_in(r#"let addr = SocketAddr::from(([0, 0, 0, 0], 3000));"#),
            Some(3000)
        );
        assert_eq!(port_in(r#"TcpListener::bind("0.0.0.0:8081")"#), Some(8081));
        assert_eq!(port_in("app.listen(4000, () => {})"), Some(4000));
        assert_eq!(
            port_in(r#"HTTPServer(("0.0.0.0", 8000), Handler)"#),
            Some(8000)
        );
        assert_eq!(
            port_in("HttpServer.create(new InetSocketAddress(9000), 0);"),
            Some(9000)
        );
        assert_eq!(port_in(r#"version = "1.24.3""#), None);
        assert_eq!(port_in("listen on 10.0.0.1"), None);
        assert_eq!(port_in("x = 42"), None);
    }

    #[test]
    fn env_reads() {
        assert!(reads_port_env(r#"p := os.Getenv("PORT")"#));
        assert!(reads_port_env("const p = process.env.PORT ?? 3000"));
        assert!(!reads_port_env("const SUPPORT = 1"));
    }
}
