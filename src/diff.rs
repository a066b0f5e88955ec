//! Unified diffs of a file on disk against what dfgen would write, coloured
//! only for terminals and never when NO_COLOR is set.

use similar::TextDiff;

/// Whether to colour output for a stream: a terminal, and no NO_COLOR.
pub fn color_for(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

pub fn unified(path: &str, old: &str, new: &str, color: bool) -> String {
    let diff = TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    if !color {
        return text;
    }
    text.lines()
        .map(|l| {
            let styled = if l.starts_with("+++") || l.starts_with("---") {
                console::style(l).bold()
            } else if l.starts_with('+') {
                console::style(l).green()
            } else if l.starts_with('-') {
                console::style(l).red()
            } else if l.starts_with("@@") {
                console::style(l).cyan()
            } else {
                console::style(l)
            };
            format!("{}\n", styled.force_styling(true))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_unified_diff() {
        let d = unified("Dockerfile", "a\nb\nc\n", "a\nB\nc\n", false);
        assert!(
            d.contains("--- a/Dockerfile") && d.contains("+++ b/Dockerfile"),
            "{d}"
        );
        assert!(d.contains("-b\n") && d.contains("+B\n"), "{d}");
        assert!(!d.contains('\u{1b}'));
    }

    #[test]
    fn colour_is_ansi_only_when_asked() {
        assert!(unified("f", "a\n", "b\n", true).contains('\u{1b}'));
    }
}
