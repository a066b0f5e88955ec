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

/// A bare name (binary, package, script, module): token characters, not empty,
/// not starting with `-` (which a command would take for an option).
pub fn name(file: &str, field: &str, value: &str) -> Result<String> {
    if value.is_empty() {
        return Err(Error::field(file, field, "is empty"));
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
    Ok(value.to_string())
}

/// A path inside the project: a safe name that is relative and stays inside.
pub fn rel_path(file: &str, field: &str, value: &str) -> Result<String> {
    let v = value.strip_prefix("./").unwrap_or(value);
    let v = v.trim_end_matches('/');
    let v = if v.is_empty() { "." } else { v };
    name(file, field, v)?;
    if v.starts_with('/') {
        return Err(Error::field(
            file,
            field,
            format!("{} is an absolute path", show(value)),
        ));
    }
    if v.split('/').any(|seg| seg == "..") {
        return Err(Error::field(
            file,
            field,
            format!("{} points outside the project", show(value)),
        ));
    }
    Ok(v.to_string())
}

/// One argument of an exec-form command. It is JSON-escaped when rendered, so
/// only characters that would still be confusing there are refused: control
/// characters (newlines above all) and empty arguments.
pub fn exec_arg(file: &str, field: &str, value: &str) -> Result<String> {
    if value.is_empty() {
        return Err(Error::field(file, field, "has an empty argument"));
    }
    if let Some(bad) = value.chars().find(|c| c.is_control()) {
        return Err(Error::field(
            file,
            field,
            format!("{} contains {}", show(value), describe_char(bad)),
        ));
    }
    Ok(value.to_string())
}

/// Splits a `--cmd` value into exec-form arguments. Accepts a JSON array
/// (`["node","server.js"]`) or a command line with simple quoting (spaces
/// separate arguments, '...' and "..." group them). No shell expansion happens
/// in exec form, so `$` and the like stay literal; we say so rather than guess.
pub fn split_command(origin: &str, text: &str) -> Result<Vec<String>> {
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

fn split_words(origin: &str, text: &str) -> Result<Vec<String>> {
    // POSIX shell quoting, without expansion: '...' is literal; in "..." a
    // backslash escapes " \ $ and `; outside quotes it escapes any character.
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') => match chars.peek() {
                Some(&n) if matches!(n, '"' | '\\' | '$' | '`') => {
                    cur.push(n);
                    chars.next();
                }
                _ => cur.push('\\'),
            },
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if quote.is_some() {
        return Err(Error::field(origin, "command", "has an unclosed quote"));
    }
    if in_word {
        out.push(cur);
    }
    Ok(out)
}

/// The reverse of [`split_command`] for showing a command as a default
/// answer: plain words as they are, anything else single-quoted.
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
    if let Some(bad) = value.chars().find(|c| c.is_control()) {
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
        assert_eq!(rel_path("f", "p", "./cmd/api/").unwrap(), "cmd/api");
        assert_eq!(rel_path("f", "p", "./").unwrap(), ".");
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
