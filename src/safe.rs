//! Values read from a user's project are checked here before they can reach a
//! Dockerfile. Names and paths end up bare in shell-form `RUN` lines and in
//! `COPY`, so they must be plain tokens; commands end up in exec-form JSON,
//! where anything printable is safe once JSON-escaped (done at render time).

use crate::error::{Error, Result};

/// Characters allowed in a name or path that is written unquoted into a
/// Dockerfile. Deliberately tight: no whitespace, quotes, `$`, backslash, glob
/// or shell metacharacters, so no value can end an instruction or start a new one.
fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | '@' | '+')
}

/// Longest name or path dfgen writes: what most filesystems allow in one component.
pub const NAME_CAP: usize = 255;

/// A bare name (binary, package, script, module), possibly with `/` between
/// segments (`cmd/api`, `@scope/pkg`): token characters, not empty, at most
/// [`NAME_CAP`] bytes, not starting with `-` (which a command would take for
/// an option) or `/` (an absolute path), and no segment that is empty, `.` or
/// `..` (so it can never lead out of the directory it is used in).
pub fn name(file: &str, field: &str, value: &str) -> Result<String> {
    if value.is_empty() {
        return Err(Error::field(file, field, "is empty"));
    }
    if value.len() > NAME_CAP {
        return Err(Error::field(
            file,
            field,
            format!(
                "is {} bytes long; dfgen writes names of at most {NAME_CAP} bytes",
                value.len()
            ),
        ));
    }
    if let Some(bad) = value.chars().find(|c| !is_token_char(*c)) {
        return Err(Error::field(
            file,
            field,
            format!(
                "{} contains {}, which dfgen will not write into a Dockerfile \
                 (allowed: letters, digits and . _ - / @ +)",
                show(value),
                describe_char(bad)
            ),
        ));
    }
    if value.starts_with('-') {
        return Err(Error::field(
            file,
            field,
            format!("{} starts with '-'", show(value)),
        ));
    }
    if value.starts_with('/') {
        return Err(Error::field(
            file,
            field,
            format!("{} is an absolute path", show(value)),
        ));
    }
    if let Some(seg) = value.split('/').find(|seg| matches!(*seg, "" | "." | "..")) {
        return Err(Error::field(
            file,
            field,
            format!(
                "{} has {}, which dfgen will not write where a name or path goes",
                show(value),
                match seg {
                    "" => "an empty path segment".to_string(),
                    s => format!("a `{s}` path segment"),
                }
            ),
        ));
    }
    Ok(value.to_string())
}

/// A binary or module file name: a [`name`] with no `/` at all (it becomes
/// `-o /app/NAME`, `install ... NAME`, `COPY` and `ENTRYPOINT`).
pub fn binary(file: &str, field: &str, value: &str) -> Result<String> {
    let v = name(file, field, value)?;
    if v.contains('/') {
        return Err(Error::field(
            file,
            field,
            format!(
                "{} contains a path separator; a binary name is one file name",
                show(value)
            ),
        ));
    }
    Ok(v)
}

/// A path inside the project: relative, normalised (`./a//b/` → `a/b`, the
/// root itself → `.`), never absolute, never through `..`.
pub fn rel_path(file: &str, field: &str, value: &str) -> Result<String> {
    if value.starts_with('/') {
        return Err(Error::field(
            file,
            field,
            format!("{} is an absolute path", show(value)),
        ));
    }
    let segments: Vec<&str> = value
        .split('/')
        .filter(|seg| !seg.is_empty() && *seg != ".")
        .collect();
    if segments.contains(&"..") {
        return Err(Error::field(
            file,
            field,
            format!("{} points outside the project", show(value)),
        ));
    }
    if segments.is_empty() {
        // Only `/` and `.` were there: check the characters all the same.
        if let Some(bad) = value.chars().find(|c| !is_token_char(*c)) {
            return Err(Error::field(
                file,
                field,
                format!("{} contains {}", show(value), describe_char(bad)),
            ));
        }
        return Ok(".".to_string());
    }
    name(file, field, &segments.join("/"))
}

/// A build output directory that the runtime stage copies (tsconfig `outDir`,
/// Vite `build.outDir`...): a [`rel_path`] that is neither the project root
/// (`.`, `./`, `a/..`: the whole build stage, dev dependencies and sources,
/// would be copied into the runtime image, or served) nor outside it.
pub fn output_dir(file: &str, field: &str, value: &str) -> Result<String> {
    if value.split('/').any(|seg| seg == "..") {
        return Err(Error::field(
            file,
            field,
            format!(
                "{} points outside the project; the build output must be a directory inside it",
                show(value)
            ),
        ));
    }
    let v = rel_path(file, field, value)?;
    if v == "." {
        return Err(Error::field(
            file,
            field,
            format!(
                "{} is the project root itself; dfgen copies only the build output into \
                 the runtime image, so it needs its own directory (e.g. \"dist\")",
                show(value)
            ),
        ));
    }
    Ok(v)
}

/// One argument of an exec-form command. It is JSON-escaped when rendered, so
/// only characters that would still be confusing there are refused: control
/// characters (newlines above all) and empty arguments.
pub fn exec_arg(file: &str, field: &str, value: &str) -> Result<String> {
    if value.is_empty() {
        return Err(Error::field(file, field, "has an empty argument"));
    }
    if let Some(bad) = value.chars().find(|c| c.is_control() || is_invisible(*c)) {
        return Err(Error::field(
            file,
            field,
            format!("{} contains {}", show(value), describe_char(bad)),
        ));
    }
    Ok(value.to_string())
}

/// Characters that are invisible or reorder text: a reviewer reading the
/// Dockerfile would not see what it says. Bidirectional controls (U+061C,
/// U+200E/F, U+202A-E, U+2066-9), zero-width ones (U+200B-D, U+2060-4,
/// U+180E), line and paragraph separators (U+2028/9), the BOM (U+FEFF) and
/// the soft hyphen (U+00AD).
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// The first character of `text` that must not reach a generated file
/// (control characters other than newline and tab, or [`is_invisible`]).
pub fn find_unsafe_char(text: &str) -> Option<char> {
    text.chars()
        .find(|c| (c.is_control() && !matches!(c, '\n' | '\t')) || is_invisible(*c))
}

/// Splits a `--cmd` value into exec-form arguments. Accepts a JSON array
/// (`["node","server.js"]`) or a command line with a shell's quoting (blanks
/// separate arguments, '...' and "..." group them). No shell expansion happens
/// in exec form, so `$` and the like stay literal; we say so rather than guess.
pub fn split_command(origin: &str, text: &str) -> Result<Vec<String>> {
    // Before splitting: U+2028 and friends count as whitespace there.
    if let Some(bad) = text.chars().find(|c| is_invisible(*c)) {
        return Err(Error::field(
            origin,
            "command",
            format!("{} contains {}", show(text), describe_char(bad)),
        ));
    }
    let trimmed = text.trim();
    let args: Vec<String> = if trimmed.starts_with('[') {
        serde_json::from_str::<Vec<String>>(trimmed).map_err(|e| {
            Error::field(
                origin,
                "command",
                format!("is not a JSON array of strings: {e}"),
            )
        })?
    } else {
        split_words(origin, trimmed)?
    };
    if args.is_empty() {
        return Err(Error::field(origin, "command", "is empty"));
    }
    args.iter()
        .map(|a| exec_arg(origin, "command", a))
        .collect()
}

/// POSIX shell word splitting without expansion, by `shell-words` (already
/// in the build through `dialoguer`): '...' is literal; in "..." a backslash
/// escapes " \\ $ and `; outside quotes it escapes any character; a word
/// starting with `#` starts a comment, as in a shell.
fn split_words(origin: &str, text: &str) -> Result<Vec<String>> {
    shell_words::split(text).map_err(|_| Error::field(origin, "command", "has an unclosed quote"))
}

/// The reverse of [`split_command`] for showing a command as a default
/// answer: plain words as they are, anything else single-quoted. Not
/// `shell_words::join`: that also quotes `=` (`'--bind=0.0.0.0:8000'`), which
/// is only special in a leading word, and the text is shown to people.
pub fn shell_join(args: &[String]) -> String {
    args.iter()
        .map(|a| {
            if !a.is_empty()
                && a.chars()
                    .all(|c| is_token_char(c) || matches!(c, ':' | '=' | ','))
            {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text that goes into a `#` comment: one line, no control characters.
pub fn comment_text(value: &str) -> Result<String> {
    if let Some(bad) = value.chars().find(|c| c.is_control() || is_invisible(*c)) {
        return Err(Error::Detect(format!(
            "refusing to write a comment containing {}: {}",
            describe_char(bad),
            show(value)
        )));
    }
    Ok(value.to_string())
}

fn show(value: &str) -> String {
    format!("{value:?}")
}

fn describe_char(c: char) -> String {
    match c {
        '\n' => "a newline".into(),
        '\r' => "a carriage return".into(),
        '\t' => "a tab".into(),
        ' ' => "a space".into(),
        c if c.is_control() => format!("the control character U+{:04X}", c as u32),
        '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{061C}' => {
            format!("the bidirectional control character U+{:04X}", c as u32)
        }
        '\u{2028}' | '\u{2029}' => format!("the line/paragraph separator U+{:04X}", c as u32),
        '\u{FEFF}' => "a byte-order mark (U+FEFF)".into(),
        c if is_invisible(c) => format!("the invisible character U+{:04X}", c as u32),
        c => format!("{c:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_refuse_everything_that_could_break_an_instruction() {
        for bad in [
            "a b", "a\nRUN x", "a\"b", "a'b", "$HOME", "a\\b", "a;b", "a&b", "a|b", "a`b", "a*b",
            "-rf", "",
        ] {
            assert!(name("f", "x", bad).is_err(), "{bad:?} accepted");
        }
        for good in ["server", "cmd/api", "@scope/pkg", "my_app-2.0", "c++"] {
            assert_eq!(name("f", "x", good).unwrap(), good);
        }
    }

    #[test]
    fn error_names_file_field_and_character() {
        let e = name("package.json", "main", "x\nRUN curl evil")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("package.json") && e.contains("`main`") && e.contains("newline"),
            "{e}"
        );
    }

    #[test]
    fn paths_stay_inside_the_project() {
        assert!(rel_path("f", "p", "../etc").is_err());
        assert!(rel_path("f", "p", "/etc/passwd").is_err());
        assert!(rel_path("f", "p", "a/../../b").is_err());
        assert!(rel_path("f", "p", "a/..").is_err());
        assert_eq!(rel_path("f", "p", "./cmd/api/").unwrap(), "cmd/api");
        assert_eq!(rel_path("f", "p", "./cmd//./api").unwrap(), "cmd/api");
        assert_eq!(rel_path("f", "p", "./").unwrap(), ".");
        assert_eq!(rel_path("f", "p", ".").unwrap(), ".");
        assert!(rel_path("f", "p", "./-rf").is_err());
    }

    /// Finding 6: a Go module path ending in `/..`, a Cargo bin named
    /// `../../etc/cron.d/x` reached `-o`, `install`, `COPY` and `ENTRYPOINT`.
    #[test]
    fn dot_segments_absolute_paths_and_separators_are_refused_in_names() {
        for bad in [
            ".",
            "..",
            "../../etc/cron.d/x",
            "a/../b",
            "a/./b",
            "/etc/x",
            "a//b",
            "a/",
            "-x",
        ] {
            let e = name("Cargo.toml", "bin[0].name", bad)
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("Cargo.toml") && e.contains("bin[0].name"),
                "{bad:?}: {e}"
            );
        }
        for bad in ["cmd/x", "..", "a/b"] {
            let e = binary("go.mod", "module", bad).unwrap_err().to_string();
            assert!(e.contains("go.mod") && e.contains("`module`"), "{e}");
        }
        assert_eq!(binary("go.mod", "module", "server").unwrap(), "server");
        assert_eq!(binary("go.mod", "module", ".hidden").unwrap(), ".hidden");
        assert_eq!(name("f", "x", "cmd/api").unwrap(), "cmd/api");
    }

    #[test]
    fn names_are_capped_at_255_bytes() {
        assert!(name("f", "x", &"a".repeat(255)).is_ok());
        let e = name("f", "x", &"a".repeat(256)).unwrap_err().to_string();
        assert!(e.contains("255"), "{e}");
        assert!(rel_path("f", "x", &format!("./{}", "a".repeat(256))).is_err());
    }

    #[test]
    fn invisible_and_bidirectional_characters_are_refused() {
        for c in [
            '\u{202E}', '\u{202A}', '\u{2066}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{2028}',
            '\u{2029}', '\u{FEFF}', '\u{00AD}', '\u{2060}',
        ] {
            let v = format!("node{c}server.js");
            let e = exec_arg("package.json", "scripts.start", &v)
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("package.json") && e.contains(&format!("U+{:04X}", c as u32)),
                "{e}"
            );
            assert!(comment_text(&v).is_err(), "U+{:04X}", c as u32);
            assert!(name("f", "x", &v).is_err());
            assert!(split_command("--cmd", &v).is_err());
            assert_eq!(find_unsafe_char(&format!("ok\n{v}")), Some(c));
        }
        assert_eq!(find_unsafe_char("plain — text, é, 日本\n\tok"), None);
        assert!(exec_arg("f", "x", "héllo wörld").is_ok());
    }

    #[test]
    fn output_dirs_are_inside_and_not_the_root() {
        for root in [".", "./", "", "a/..", "./.", ".//"] {
            let e = output_dir("tsconfig.json", "compilerOptions.outDir", root)
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("tsconfig.json") && e.contains("compilerOptions.outDir"),
                "{root:?}: {e}"
            );
        }
        let e = output_dir("vite.config.ts", "build.outDir", "./")
            .unwrap_err()
            .to_string();
        assert!(e.contains("project root"), "{e}");
        for outside in ["..", "../dist", "/var/www", "dist/../..", "a/../../b"] {
            let e = output_dir("vite.config.ts", "build.outDir", outside)
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("vite.config.ts") && (e.contains("outside") || e.contains("absolute")),
                "{outside:?}: {e}"
            );
        }
        assert_eq!(output_dir("f", "outDir", "./dist/").unwrap(), "dist");
        assert_eq!(output_dir("f", "outDir", "build/web").unwrap(), "build/web");
        assert!(output_dir("f", "outDir", "-rf").is_err());
        assert!(output_dir("f", "outDir", "dist\u{202E}").is_err());
    }

    #[test]
    fn commands_split_like_a_shell_without_expanding() {
        assert_eq!(
            split_command("--cmd", r#"node --title "my app" $X"#).unwrap(),
            vec!["node", "--title", "my app", "$X"]
        );
        assert_eq!(
            split_command("--cmd", r#"["a", "b c"]"#).unwrap(),
            vec!["a", "b c"]
        );
        assert!(split_command("--cmd", "node 'x").is_err());
        assert!(split_command("--cmd", "  ").is_err());
        assert!(split_command("--cmd", "[\"a\\nb\"]").is_err());
        assert!(split_command("--cmd", "[1]").is_err());
    }

    #[test]
    fn commands_split_by_posix_shell_rules() {
        let split = |t: &str| split_command("Procfile", t).unwrap();
        assert_eq!(
            split(r#"gunicorn -c conf.py "app:create_app(\"x\")""#),
            ["gunicorn", "-c", "conf.py", r#"app:create_app("x")"#]
        );
        assert_eq!(
            split(r#"echo 'a\b' "c\d" e\ f"#),
            ["echo", r"a\b", r"c\d", "e f"]
        );
        assert_eq!(
            split("node  server.js\t--inspect"),
            ["node", "server.js", "--inspect"]
        );
        assert_eq!(split(r#"a"b c"'d'"#), ["ab cd"]);
        // A shell drops a comment; it is not an argument.
        assert_eq!(
            split("node server.js # the web process"),
            ["node", "server.js"]
        );
        assert_eq!(split("node a#b"), ["node", "a#b"]);
        let e = split_command("Procfile", r#"node "server.js"#)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("Procfile") && e.contains("unclosed quote"),
            "{e}"
        );
    }

    #[test]
    fn shell_join_round_trips() {
        for args in [
            vec!["node", "server.js"],
            vec!["gunicorn", "--bind", "0.0.0.0:8000", "app:app"],
            vec!["sh", "it's a b"],
        ] {
            let args: Vec<String> = args.into_iter().map(String::from).collect();
            assert_eq!(split_command("t", &shell_join(&args)).unwrap(), args);
        }
    }

    #[test]
    fn comments_are_single_lines() {
        assert!(comment_text("ok text").is_ok());
        assert!(comment_text("a\nRUN rm -rf /").is_err());
    }
}
