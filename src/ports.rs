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

/// Names of settings that hold the app's own listening port or address
/// (lower-cased, separators removed). Any other `*PORT*` name on a line
/// (`SMTP_PORT`, `DB_PORT`, `METRICS_PORT`...) is another service's setting.
const LISTEN_NAMES: &[&str] = &[
    "port",
    "httpport",
    "serverport",
    "appport",
    "listenport",
    "webport",
    "apiport",
    "portnumber",
    "listenaddr",
    "listenaddress",
    "serveraddr",
    "serveraddress",
    "httpaddr",
    "httpaddress",
    "addr",
    "address",
    "bindaddr",
    "bindaddress",
    "bind",
];

/// Files that are not the app: tests, examples, fixtures, vendored code, docs.
pub fn is_not_app_code(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let in_dir = |d: &str| lower.starts_with(&format!("{d}/")) || lower.contains(&format!("/{d}/"));
    // Example and doc folders count only at the top: `com/example/` is a
    // Java package, `src/docs/` may be served.
    let top = |d: &str| lower.starts_with(&format!("{d}/"));
    [
        "test",
        "tests",
        "__tests__",
        "testdata",
        "vendor",
        "fixtures",
        "spec",
        "e2e",
        "node_modules",
        "third_party",
    ]
    .iter()
    .any(|d| in_dir(d))
        || [
            "example",
            "examples",
            "_examples",
            "docs",
            "doc",
            "benchmarks",
        ]
        .iter()
        .any(|d| top(d))
        || name.ends_with("_test.go")
        || name.ends_with("_test.py")
        || name.starts_with("test_")
        || name.contains(".test.")
        || name.contains(".spec.")
        || name == "conftest.py"
}

pub fn scan(project: &Project, files: &[String]) -> PortHints {
    let mut hints = PortHints::default();
    for file in files.iter().filter(|f| !is_not_app_code(f)) {
        let Some(text) = project.read_source(file) else {
            continue;
        };
        let python = file.ends_with(".py");
        for (idx, code) in code_lines(&text, python).into_iter().enumerate() {
            let code = code.as_str();
            if code.trim().is_empty() {
                continue;
            }
            let lower = code.to_ascii_lowercase();
            let env_read = reads_port_env(code);
            if env_read {
                hints.reads_env = true;
            }
            let context = env_read
                || ["listen", "bind", "serve", "addr", "port", ".run(", "run("]
                    .iter()
                    .any(|k| lower.contains(k));
            if !context || names_another_service(code) {
                continue;
            }
            // A URL (`http://localhost:8080/...`) is a client talking to a
            // server, not this app binding.
            let client = lower.contains("://")
                || ["dial", "connect", "fetch(", "request", "client"]
                    .iter()
                    .any(|k| lower.contains(k));
            let loopback = !client
                && [
                    "127.0.0.1:",
                    "localhost:",
                    "\"127.0.0.1\"",
                    "'127.0.0.1'",
                    "\"localhost\"",
                    "'localhost'",
                    "[127, 0, 0, 1]",
                ]
                .iter()
                .any(|k| lower.contains(k));
            if client {
                continue;
            }
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
            } else if loopback && hints.loopback.is_none() && !env_read && binds(&lower) {
                hints.loopback = Some(format!("{file}:{}", idx + 1));
            }
        }
    }
    hints
}

/// A call that binds a listening socket (as opposed to naming an address).
fn binds(lower: &str) -> bool {
    ["listen", "bind", ".run(", "serve("]
        .iter()
        .any(|k| lower.contains(k))
}

/// The line names a `*port*` setting, and none of the ones it names is the
/// app's own listening port (`SMTP_PORT = 2525`, `redis_port: 6380`).
fn names_another_service(code: &str) -> bool {
    let mut names = Vec::new();
    let mut cur = String::new();
    for c in code.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            cur.push(c);
        } else if !cur.is_empty() {
            names.push(std::mem::take(&mut cur));
        }
    }
    let port_names: Vec<String> = names
        .iter()
        .map(|n| n.to_ascii_lowercase().replace(['_', '-'], ""))
        .filter(|n| {
            n.contains("port")
                && n != "import"
                && n != "export"
                && !n.contains("support")
                && !n.contains("report")
        })
        .collect();
    !port_names.is_empty()
        && !port_names
            .iter()
            .any(|n| LISTEN_NAMES.contains(&n.as_str()))
}

/// The source's lines with comments blanked out (line numbers kept): `//`
/// and `#` comments outside strings, `/* */` blocks, and Python docstrings.
fn code_lines(text: &str, python: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_block = false; // inside /* */
    let mut in_doc: Option<&str> = None; // inside a Python triple-quoted string
    for line in text.lines() {
        let mut code = String::new();
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        let mut quote: Option<char> = None;
        while i < chars.len() {
            let c = chars[i];
            let rest: String = chars[i..].iter().take(3).collect();
            if let Some(delim) = in_doc {
                if rest == delim {
                    in_doc = None;
                    i += 3;
                } else {
                    i += 1;
                }
                continue;
            }
            if in_block {
                if rest.starts_with("*/") {
                    in_block = false;
                    i += 2;
                } else {
                    i += 1;
                }
                continue;
            }
            if let Some(q) = quote {
                code.push(c);
                if c == '\\' {
                    if let Some(n) = chars.get(i + 1) {
                        code.push(*n);
                    }
                    i += 2;
                    continue;
                }
                if c == q {
                    quote = None;
                }
                i += 1;
                continue;
            }
            if python && (rest == "\"\"\"" || rest == "'''") {
                // A docstring or other triple-quoted string: prose, not code.
                in_doc = Some(if rest == "\"\"\"" { "\"\"\"" } else { "'''" });
                i += 3;
                continue;
            }
            if rest.starts_with("//") || (c == '#' && (python || code.trim().is_empty())) {
                break;
            }
            if !python && rest.starts_with("/*") {
                in_block = true;
                i += 2;
                continue;
            }
            if matches!(c, '"' | '\'' | '`') {
                quote = Some(c);
            }
            code.push(c);
            i += 1;
        }
        out.push(code);
    }
    out
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

    fn scan_text(file: &str, text: &str) -> PortHints {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        let p = Project::open(dir.path()).unwrap();
        scan(&p, &[file.to_string()])
    }

    #[test]
    fn ports_in_comments_docstrings_and_prose_are_ignored() {
        let go = "package main\n// listen on :9999 in production\n/* http.ListenAndServe(\":7777\", nil)\n*/\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n";
        assert_eq!(scan_text("main.go", go).port.map(|p| p.value), Some(8080));
        let py = "\"\"\"Run with: app.run(port=9999)\n\"\"\"\n# app.run(port=7777)\napp.run(host='0.0.0.0', port=5001)  # not 9998\n";
        let h = scan_text("app.py", py);
        let port = h.port.expect("a port");
        assert_eq!(
            (port.value, port.evidence.detail.as_str()),
            (5001, "line 4")
        );
    }

    #[test]
    fn other_services_ports_are_not_the_apps() {
        let py = "SMTP_PORT = 2525\nDB_PORT = int(os.environ.get('DB_PORT', 5433))\nMETRICS_PORT = 9100\nPORT = int(os.environ.get('PORT', 8000))\n";
        let h = scan_text("settings.py", py);
        assert_eq!(h.port.map(|p| p.value), Some(8000));
        let js = "const redisPort = 6380;\nconst port = process.env.PORT || 3000;\n";
        assert_eq!(scan_text("server.js", js).port.map(|p| p.value), Some(3000));
    }

    #[test]
    fn tests_and_examples_are_not_the_app() {
        let go = "package main\nfunc main() { http.ListenAndServe(\":9999\", nil) }\n";
        assert!(scan_text("main_test.go", go).port.is_none());
        assert!(scan_text("examples/demo/main.go", go).port.is_none());
        assert!(
            scan_text("tests/test_app.py", "app.run(port=9999)\n")
                .port
                .is_none()
        );
    }

    #[test]
    fn loopback_warnings_only_from_real_binds() {
        let go = "package main\nfunc main() { http.ListenAndServe(\"127.0.0.1:8080\", nil) }\n";
        assert_eq!(
            scan_text("main.go", go).loopback.as_deref(),
            Some("main.go:2")
        );
        let comment = "package main\n// http.ListenAndServe(\"127.0.0.1:8080\", nil)\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n";
        assert!(scan_text("main.go", comment).loopback.is_none());
        // A client subcommand talking to a local server is not a bind.
        let client = "package main\nfunc status() { http.Get(\"http://localhost:8080/health\") }\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n";
        let h = scan_text("main.go", client);
        assert!(h.loopback.is_none(), "{h:?}");
        assert_eq!(h.port.map(|p| p.value), Some(8080));
        let rust = "let listener = TcpListener::bind(\"127.0.0.1:3000\").await?;\n";
        assert!(scan_text("src/main.rs", rust).loopback.is_some());
    }

    #[test]
    fn env_reads() {
        assert!(reads_port_env(r#"p := os.Getenv("PORT")"#));
        assert!(reads_port_env("const p = process.env.PORT ?? 3000"));
        assert!(!reads_port_env("const SUPPORT = 1"));
    }

    #[test]
    fn a_java_package_named_example_is_the_app() {
        let java = "int port = env == null ? 8080 : Integer.parseInt(env);\n";
        let h = scan_text("src/main/java/com/example/hello/Main.java", java);
        assert_eq!(h.port.map(|p| p.value), Some(8080));
        assert!(
            scan_text(
                "examples/basic/main.go",
                "http.ListenAndServe(\":9999\", nil)\n"
            )
            .port
            .is_none()
        );
    }
}
