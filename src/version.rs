//! Language versions: what a project declares (an exact pin, a range, an alias
//! or nothing) and how that becomes an image tag the preset knows about.
//!
//! Image tags name a release line (`22`, `3.13`, `1.24`), which always holds
//! the newest patch of that line. A tag therefore satisfies a range when the
//! newest patch of its line does, which is how a line is compared here.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::evidence::Evidence;

/// What a project says about its language version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Declared {
    /// An exact version (`go 1.24`, `.nvmrc` 20.11.0, `.python-version` 3.13).
    Pin { version: String, evidence: Evidence },
    /// A range or minimum (`engines.node >=20`, `requires-python`, `rust-version`).
    Range {
        text: String,
        evidence: Evidence,
        dialect: Dialect,
    },
    /// A named alias (`lts/*`, `lts/iron`, `stable`) looked up in the preset.
    Alias { name: String, evidence: Evidence },
    /// Nothing declared.
    Nothing,
}

/// Which range syntax a declaration uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dialect {
    /// npm semver ranges, also Poetry and Cargo constraints (`^`, `~`, `x`, `||`, hyphen).
    Semver,
    /// PEP 440 specifiers (`>=3.11,<3.14`, `~=3.11`, `==3.12.*`).
    Pep440,
}

/// The preset's knowledge about one language's releases.
pub struct Known<'a> {
    pub language: &'a str,
    /// Tags the preset knows, any order.
    pub tags: &'a [String],
    pub default: &'a str,
    /// Alias → tag (e.g. `lts/*` → `24`).
    pub aliases: &'a std::collections::BTreeMap<String, String>,
    /// How many numeric parts a tag has (1 for Node's `22`, 2 for `3.13`).
    pub tag_parts: usize,
}

/// A version chosen for the Dockerfile, with the sentence explaining why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resolved {
    pub tag: String,
    /// One line for the Dockerfile comment: where the version came from.
    pub reason: String,
    pub evidence: Evidence,
}

pub fn resolve(decl: &Declared, known: &Known) -> Result<Resolved> {
    let lang = known.language;
    match decl {
        Declared::Nothing => Ok(Resolved {
            tag: known.default.to_string(),
            reason: format!(
                "{lang} {}: nothing in the project declares a version, so this is the preset's default",
                known.default
            ),
            evidence: Evidence::other("preset default"),
        }),
        Declared::Pin { version, evidence } => {
            let parts = parse_numbers(version).ok_or_else(|| {
                bad_decl(evidence, format!("{version:?} is not a version number"))
            })?;
            let tag = parts
                .iter()
                .take(known.tag_parts)
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(".");
            if parts.len() < known.tag_parts {
                return Err(bad_decl(
                    evidence,
                    format!("{version:?} is not specific enough for a {lang} image tag"),
                ));
            }
            if !known.tags.iter().any(|t| t == &tag) {
                return Err(bad_decl(
                    evidence,
                    format!(
                        "{lang} {version} is pinned, but the preset knows no image for {lang} {tag} (it knows {}); \
                         change the pin or add the version to the preset (dfgen eject)",
                        known.tags.join(", ")
                    ),
                ));
            }
            let how = if evidence.file.is_some() {
                "pinned to {version} by"
            } else {
                "{version},"
            };
            Ok(Resolved {
                reason: format!(
                    "{lang} {tag}: {} {}",
                    how.replace("{version}", version),
                    where_(evidence)
                ),
                tag,
                evidence: evidence.clone(),
            })
        }
        Declared::Alias { name, evidence } => {
            let tag = known.aliases.get(&name.to_ascii_lowercase()).ok_or_else(|| {
                bad_decl(
                    evidence,
                    format!(
                        "{name:?} is not a {lang} version or an alias the preset knows (it knows {})",
                        known.aliases.keys().cloned().collect::<Vec<_>>().join(", ")
                    ),
                )
            })?;
            Ok(Resolved {
                tag: tag.clone(),
                reason: format!(
                    "{lang} {tag}: {} says {name:?}, which the preset maps to {tag}",
                    where_(evidence)
                ),
                evidence: evidence.clone(),
            })
        }
        Declared::Range {
            text,
            evidence,
            dialect,
        } => {
            let req = Req::parse(text, *dialect)
                .map_err(|m| bad_decl(evidence, format!("{text:?}: {m}")))?;
            let mut candidates: Vec<(Vec<u64>, &String)> = known
                .tags
                .iter()
                .filter_map(|t| parse_numbers(t).map(|n| (n, t)))
                .collect();
            candidates.sort();
            let chosen = candidates
                .iter()
                .rev()
                .find(|(n, _)| req.matches(&line_top(n)))
                .map(|(_, t)| (*t).clone());
            match chosen {
                Some(tag) => Ok(Resolved {
                    reason: format!(
                        "{lang} {tag}: the newest release the preset knows that satisfies {text:?} from {}",
                        where_(evidence)
                    ),
                    tag,
                    evidence: evidence.clone(),
                }),
                None => Err(bad_decl(
                    evidence,
                    format!(
                        "no {lang} release the preset knows ({}) satisfies {text:?}",
                        known.tags.join(", ")
                    ),
                )),
            }
        }
    }
}

fn where_(e: &Evidence) -> String {
    match &e.file {
        Some(f) => format!("{f}, {}", e.detail),
        None => e.detail.clone(),
    }
}

fn bad_decl(e: &Evidence, message: String) -> Error {
    match &e.file {
        Some(f) => Error::field(f.clone(), e.detail.clone(), message),
        None => Error::Usage(format!("{}: {message}", e.detail)),
    }
}

/// `1.24.3` → [1, 24, 3]; also accepts a leading `v`. None for anything else.
pub fn parse_numbers(s: &str) -> Option<Vec<u64>> {
    let s = s.trim();
    let s = s.strip_prefix('v').unwrap_or(s);
    if s.is_empty() {
        return None;
    }
    s.split('.').map(|p| p.parse::<u64>().ok()).collect()
}

/// The newest version a release line can hold: `3.13` → 3.13.∞.
fn line_top(parts: &[u64]) -> [u64; 3] {
    let mut v = [LINE_MAX; 3];
    for (i, p) in parts.iter().take(3).enumerate() {
        v[i] = *p;
    }
    v
}

const LINE_MAX: u64 = 999_999;

/// A parsed range: alternatives (`||`) of conjunctions of half-open intervals.
#[derive(Debug, Clone)]
pub struct Req {
    alternatives: Vec<Vec<Bound>>,
}

#[derive(Debug, Clone, Copy)]
enum Bound {
    Ge([u64; 3]),
    Gt([u64; 3]),
    Lt([u64; 3]),
    Le([u64; 3]),
    /// Excludes [lo, hi).
    Not([u64; 3], [u64; 3]),
}

impl Bound {
    fn ok(&self, v: &[u64; 3]) -> bool {
        match self {
            Bound::Ge(b) => v >= b,
            Bound::Gt(b) => v > b,
            Bound::Lt(b) => v < b,
            Bound::Le(b) => v <= b,
            Bound::Not(lo, hi) => !(v >= lo && v < hi),
        }
    }
}

impl Req {
    pub fn matches(&self, v: &[u64; 3]) -> bool {
        self.alternatives
            .iter()
            .any(|conj| conj.iter().all(|b| b.ok(v)))
    }

    pub fn parse(text: &str, dialect: Dialect) -> std::result::Result<Req, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("empty range".into());
        }
        let mut alternatives = Vec::new();
        for alt in text.split("||") {
            let mut bounds = Vec::new();
            let tokens = tokenize(alt)?;
            let mut i = 0;
            while i < tokens.len() {
                // npm hyphen range: `1.2 - 2.3`
                if dialect == Dialect::Semver && i + 2 < tokens.len() && tokens[i + 1] == "-" {
                    let (lo, _) = partial(&tokens[i])?;
                    let (hi, hi_n) = partial(&tokens[i + 2])?;
                    bounds.push(Bound::Ge(pad(&lo)));
                    bounds.push(upper_inclusive(&hi, hi_n));
                    i += 3;
                    continue;
                }
                comparator(&tokens[i], dialect, &mut bounds)?;
                i += 1;
            }
            if bounds.is_empty() {
                return Err("empty range".into());
            }
            alternatives.push(bounds);
        }
        Ok(Req { alternatives })
    }
}

/// Splits one alternative into comparators: commas and spaces separate them,
/// and an operator may be written apart from its version (`>= 3.11`).
fn tokenize(s: &str) -> std::result::Result<Vec<String>, String> {
    let mut raw: Vec<String> = s
        .split([',', ' ', '\t'])
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    let mut out: Vec<String> = Vec::new();
    let is_op = |t: &str| t.chars().all(|c| "<>=!~^".contains(c));
    raw.reverse();
    while let Some(t) = raw.pop() {
        if is_op(&t) && t != "-" {
            let next = raw
                .pop()
                .ok_or_else(|| format!("operator {t:?} without a version"))?;
            out.push(format!("{t}{next}"));
        } else {
            out.push(t);
        }
    }
    for t in &out {
        if let Some(c) = t
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || "<>=!~^.*-".contains(*c)))
        {
            return Err(format!("unexpected character {c:?}"));
        }
    }
    Ok(out)
}

/// `3.11` → ([3, 11], 2); wildcards (`x`, `X`, `*`) end the numbers.
fn partial(s: &str) -> std::result::Result<(Vec<u64>, usize), String> {
    let s = s.strip_prefix('v').unwrap_or(s);
    let mut nums = Vec::new();
    for part in s.split('.') {
        if matches!(part, "x" | "X" | "*") {
            break;
        }
        nums.push(
            part.parse::<u64>()
                .map_err(|_| format!("{s:?} is not a version"))?,
        );
        if nums.len() > 3 {
            return Err(format!("{s:?} has too many parts"));
        }
    }
    let n = nums.len();
    Ok((nums, n))
}

fn pad(n: &[u64]) -> [u64; 3] {
    let mut v = [0; 3];
    for (i, p) in n.iter().take(3).enumerate() {
        v[i] = *p;
    }
    v
}

/// First version after the line a partial version names: 3 → 4.0.0, 3.11 → 3.12.0.
fn bump(n: &[u64], at: usize) -> [u64; 3] {
    let mut v = pad(&n[..at.min(n.len())]);
    if at == 0 {
        return [LINE_MAX + 1, 0, 0];
    }
    v[at - 1] += 1;
    v
}

fn upper_inclusive(n: &[u64], count: usize) -> Bound {
    if count >= 3 {
        Bound::Le(pad(n))
    } else {
        Bound::Lt(bump(n, count))
    }
}

fn comparator(
    tok: &str,
    dialect: Dialect,
    out: &mut Vec<Bound>,
) -> std::result::Result<(), String> {
    let op_len = tok.chars().take_while(|c| "<>=!~^".contains(*c)).count();
    let (op, ver) = tok.split_at(op_len);
    let wildcard = ver.ends_with(".*")
        || ver.ends_with(".x")
        || ver.ends_with(".X")
        || ver == "*"
        || ver == "x";
    let (n, count) = partial(ver)?;
    if count == 0 && !(wildcard && matches!(op, "" | "=" | "==")) {
        return Err(format!("{tok:?} has no version"));
    }
    let exact_or_line = |out: &mut Vec<Bound>| {
        if count == 0 {
            out.push(Bound::Ge([0, 0, 0])); // `*`: anything
            return;
        }
        out.push(Bound::Ge(pad(&n)));
        if count >= 3 && !wildcard {
            out.push(Bound::Le(pad(&n)));
        } else {
            out.push(Bound::Lt(bump(&n, count)));
        }
    };
    match (op, dialect) {
        ("" | "=" | "==", Dialect::Semver) => exact_or_line(out),
        ("==" | "===", Dialect::Pep440) => {
            if wildcard {
                exact_or_line(out)
            } else {
                out.push(Bound::Ge(pad(&n)));
                out.push(Bound::Le(pad(&n)));
            }
        }
        ("", Dialect::Pep440) => return Err(format!("{tok:?} has no operator")),
        ("!=", _) => {
            let lo = pad(&n);
            let hi = if wildcard || (dialect == Dialect::Semver && count < 3) {
                bump(&n, count)
            } else {
                let mut h = lo;
                h[2] += 1;
                h
            };
            out.push(Bound::Not(lo, hi));
        }
        (">=", _) => out.push(Bound::Ge(pad(&n))),
        (">", Dialect::Semver) if count < 3 => out.push(Bound::Ge(bump(&n, count))),
        (">", _) => out.push(Bound::Gt(pad(&n))),
        ("<", _) => out.push(Bound::Lt(pad(&n))),
        ("<=", Dialect::Semver) => out.push(upper_inclusive(&n, count)),
        ("<=", Dialect::Pep440) => out.push(Bound::Le(pad(&n))),
        ("^", Dialect::Semver) => {
            out.push(Bound::Ge(pad(&n)));
            // The first non-zero part may not change.
            let keep = n
                .iter()
                .position(|p| *p != 0)
                .map(|i| i + 1)
                .unwrap_or(count)
                .min(count.max(1));
            out.push(Bound::Lt(bump(&n, keep)));
        }
        ("~", Dialect::Semver) => {
            out.push(Bound::Ge(pad(&n)));
            out.push(Bound::Lt(bump(&n, count.clamp(1, 2))));
        }
        ("~=", Dialect::Pep440) => {
            if count < 2 {
                return Err(format!("{tok:?}: ~= needs at least two version parts"));
            }
            out.push(Bound::Ge(pad(&n)));
            out.push(Bound::Lt(bump(&n, count - 1)));
        }
        _ => return Err(format!("operator {op:?} is not understood here")),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn pick(text: &str, dialect: Dialect, tags: &[&str]) -> Option<String> {
        let tags: Vec<String> = tags.iter().map(|s| s.to_string()).collect();
        let aliases = BTreeMap::new();
        let known = Known {
            language: "X",
            tags: &tags,
            default: "0",
            aliases: &aliases,
            tag_parts: 2,
        };
        let decl = Declared::Range {
            text: text.into(),
            evidence: Evidence::file("f", "field"),
            dialect,
        };
        resolve(&decl, &known).ok().map(|r| r.tag)
    }

    const PY: &[&str] = &["3.10", "3.11", "3.12", "3.13", "3.14"];
    const NODE: &[&str] = &["20", "22", "24", "26"];

    #[test]
    fn pep440_ranges_pick_the_newest_allowed_minor() {
        let p = |t| pick(t, Dialect::Pep440, PY);
        assert_eq!(p(">=3.11").as_deref(), Some("3.14"));
        assert_eq!(p(">=3.11,<3.14").as_deref(), Some("3.13"));
        assert_eq!(p(">= 3.10, < 3.13").as_deref(), Some("3.12"));
        assert_eq!(p("~=3.11").as_deref(), Some("3.14"));
        assert_eq!(p("~=3.11.2").as_deref(), Some("3.11"));
        assert_eq!(p("==3.12.*").as_deref(), Some("3.12"));
        assert_eq!(p(">=3.11,!=3.14.*").as_deref(), Some("3.13"));
        assert_eq!(p("<3.13").as_deref(), Some("3.12"));
        assert_eq!(p(">=3.15"), None);
        assert_eq!(p("3.11"), None, "PEP 440 needs an operator");
    }

    #[test]
    fn semver_ranges_match_release_lines() {
        let n = |t| pick(t, Dialect::Semver, NODE);
        assert_eq!(n(">=20").as_deref(), Some("26"));
        assert_eq!(n("^22.11.0").as_deref(), Some("22"));
        assert_eq!(n("20.x || 22.x").as_deref(), Some("22"));
        assert_eq!(n(">=18 <23").as_deref(), Some("22"));
        assert_eq!(
            n("~20.1").as_deref(),
            None,
            "20's newest patch line is past 20.1"
        );
        assert_eq!(n("20 - 22").as_deref(), Some("22"));
        assert_eq!(n("<=22").as_deref(), Some("22"));
        assert_eq!(n(">22").as_deref(), Some("26"));
        assert_eq!(n("*").as_deref(), Some("26"));
        assert_eq!(n("<20"), None);
        let py = |t| pick(t, Dialect::Semver, PY);
        assert_eq!(
            py("^3.11").as_deref(),
            Some("3.14"),
            "poetry caret keeps the major"
        );
        assert_eq!(py("~3.12").as_deref(), Some("3.12"));
        assert_eq!(py(">=3.11,<3.14").as_deref(), Some("3.13"));
    }

    #[test]
    fn garbage_ranges_are_errors_not_guesses() {
        assert!(Req::parse("banana", Dialect::Semver).is_err());
        assert!(Req::parse(">=3.11; rm", Dialect::Pep440).is_err());
        assert!(Req::parse("", Dialect::Pep440).is_err());
        assert!(Req::parse(">=", Dialect::Pep440).is_err());
    }

    #[test]
    fn pins_must_be_known() {
        let tags: Vec<String> = ["1.24", "1.25"].iter().map(|s| s.to_string()).collect();
        let aliases = BTreeMap::new();
        let known = Known {
            language: "Go",
            tags: &tags,
            default: "1.25",
            aliases: &aliases,
            tag_parts: 2,
        };
        let pin = |v: &str| Declared::Pin {
            version: v.into(),
            evidence: Evidence::file("go.mod", "go directive"),
        };
        let r = resolve(&pin("1.24.3"), &known).unwrap();
        assert_eq!(r.tag, "1.24");
        assert!(r.reason.contains("go.mod"), "{}", r.reason);
        let e = resolve(&pin("1.19"), &known).unwrap_err().to_string();
        assert!(
            e.contains("go.mod") && e.contains("1.19") && e.contains("1.24, 1.25"),
            "{e}"
        );
        assert_eq!(resolve(&Declared::Nothing, &known).unwrap().tag, "1.25");
    }
}
