//! Language versions: what a project declares (an exact pin, a range, an alias
//! or nothing) and how that becomes an image tag the preset knows about.
//!
//! Image tags name a release line (`22`, `3.13`, `1.24`), which always holds
//! the newest patch of that line. A tag therefore satisfies a range when the
//! newest patch of its line does, which is how a line is compared here.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::evidence::Evidence;
use crate::project::{MANIFEST_CAP, Project};

/// `.tool-versions` (asdf, mise): the exact version pinned for one of `tools`
/// (`nodejs 22.11.0`, `python 3.12.4`, `golang 1.24.1`, `rust 1.86.0`).
pub fn tool_versions(p: &Project, tools: &[&str]) -> Result<Option<Declared>> {
    let Some(text) = p.read_opt(".tool-versions", MANIFEST_CAP)? else {
        return Ok(None);
    };
    for (i, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        let mut words = line.split_whitespace();
        let (Some(tool), Some(version)) = (words.next(), words.next()) else {
            continue;
        };
        if !tools.contains(&tool) {
            continue;
        }
        let evidence = Evidence::file(".tool-versions", format!("{tool}, line {}", i + 1));
        if parse_numbers(version).is_none() {
            return Err(bad_decl(
                &evidence,
                format!("{version:?} is not a version number"),
            ));
        }
        return Ok(Some(Declared::Pin {
            version: version.trim_start_matches('v').to_string(),
            evidence,
        }));
    }
    Ok(None)
}

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
    /// A minimum (`go 1.20` in go.mod: since Go 1.21 the directive is a
    /// minimum, and older modules build with newer Go under the Go 1 promise).
    Minimum { version: String, evidence: Evidence },
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
    /// Something the user should hear about the choice (no release satisfies the range...).
    pub warning: Option<String>,
}

/// The version policy (README, "Versions"): use what the project says and
/// never refuse a well-formed declaration.
///
/// - An exact pin is used at its release line, known to the preset or not.
/// - A minimum or range gives the preset's default when it satisfies it (the
///   newest release often lacks prebuilt wheels and binaries), else the newest
///   known release that does, else — with an upper bound — the highest release
///   line below it (with a warning), else the minimum itself.
/// - Only malformed text is an error, naming the file, field and line.
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
            warning: None,
        }),
        Declared::Pin { version, evidence } => {
            let parts = parse_numbers(version).ok_or_else(|| {
                bad_decl(evidence, format!("{version:?} is not a version number"))
            })?;
            if parts.len() < known.tag_parts {
                // `3` for Python: a release line family, resolved like `==3.*`.
                let text = format!("{version}.*");
                let req = Req::parse(&format!("=={text}"), Dialect::Pep440)
                    .map_err(|m| bad_decl(evidence, format!("{version:?}: {m}")))?;
                return resolve_req(&req, &text, evidence, known);
            }
            let tag = tag_of(&parts, known.tag_parts);
            let how = if evidence.file.is_some() {
                format!("pinned to {version} by {}", where_(evidence))
            } else {
                format!("{version}, {}", where_(evidence))
            };
            let unseen = if known.tags.iter().any(|t| t == &tag) {
                String::new()
            } else {
                format!(
                    " (dfgen has not seen an image for {lang} {tag}; the build fails if there is none)"
                )
            };
            Ok(Resolved {
                reason: format!("{lang} {tag}: {how}{unseen}"),
                tag,
                evidence: evidence.clone(),
                warning: None,
            })
        }
        Declared::Minimum { version, evidence } => {
            if parse_numbers(version).is_none() {
                return Err(bad_decl(
                    evidence,
                    format!("{version:?} is not a version number"),
                ));
            }
            let req = Req::parse(&format!(">={version}"), Dialect::Semver)
                .map_err(|m| bad_decl(evidence, format!("{version:?}: {m}")))?;
            resolve_req(&req, &format!(">={version}"), evidence, known)
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
                warning: None,
            })
        }
        Declared::Range {
            text,
            evidence,
            dialect,
        } => {
            let req = Req::parse(text, *dialect)
                .map_err(|m| bad_decl(evidence, format!("{text:?}: {m}")))?;
            resolve_req(&req, text, evidence, known)
        }
    }
}

/// Whether a release line (image tag) fits what the project declares; the
/// wizard offers only these. Pins fit their own line; aliases and nothing fit all.
pub fn satisfies(decl: &Declared, tag: &str, tag_parts: usize) -> bool {
    let Some(line) = parse_numbers(tag) else {
        return false;
    };
    let req = match decl {
        Declared::Pin { version, .. } => {
            return parse_numbers(version).is_some_and(|v| {
                tag_of(&v, tag_parts) == tag || (v.len() < tag_parts && line.starts_with(&v))
            });
        }
        Declared::Minimum { version, .. } => Req::parse(&format!(">={version}"), Dialect::Semver),
        Declared::Range { text, dialect, .. } => Req::parse(text, *dialect),
        Declared::Alias { .. } | Declared::Nothing => return true,
    };
    req.is_ok_and(|r| r.matches(&line_top(&line)))
}

/// The first `parts` numbers of a version, as an image tag: `1.24.3` → `1.24`.
fn tag_of(parts: &[u64], tag_parts: usize) -> String {
    parts
        .iter()
        .take(tag_parts)
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// A minimum or range → a release line (see [`resolve`] for the order).
fn resolve_req(req: &Req, text: &str, evidence: &Evidence, known: &Known) -> Result<Resolved> {
    let lang = known.language;
    let from = where_(evidence);
    let fits = |t: &str| parse_numbers(t).is_some_and(|n| req.matches(&line_top(&n)));
    let done = |tag: String, reason: String, warning: Option<String>| Resolved {
        tag,
        reason,
        evidence: evidence.clone(),
        warning,
    };
    if fits(known.default) {
        return Ok(done(
            known.default.to_string(),
            format!(
                "{lang} {}: the preset's default, which satisfies {text:?} from {from}",
                known.default
            ),
            None,
        ));
    }
    let mut candidates: Vec<(Vec<u64>, &String)> = known
        .tags
        .iter()
        .filter_map(|t| parse_numbers(t).map(|n| (n, t)))
        .collect();
    candidates.sort();
    if let Some((_, tag)) = candidates
        .iter()
        .rev()
        .find(|(n, _)| req.matches(&line_top(n)))
    {
        return Ok(done(
            (*tag).clone(),
            format!(
                "{lang} {tag}: the newest release the preset knows that satisfies {text:?} from {from}"
            ),
            None,
        ));
    }
    // Nothing known satisfies it. With an upper bound: the highest release
    // line below it; else the minimum itself. Either way an image dfgen has not seen.
    if let Some(upper) = req.upper() {
        let mut line: Vec<u64> = upper[..known.tag_parts].to_vec();
        for _ in 0..1000 {
            if req.matches(&line_top(&line)) {
                let tag = tag_of(&line, known.tag_parts);
                return Ok(done(
                    tag.clone(),
                    format!(
                        "{lang} {tag}: the highest release line below the bound of {text:?} from {from} \
                         (dfgen has not seen an image for it)"
                    ),
                    Some(format!(
                        "no {lang} release dfgen knows ({}) satisfies {text:?} from {from}; using {lang} {tag}, \
                         the highest release line below its bound",
                        known.tags.join(", ")
                    )),
                ));
            }
            let Some(last) = line.last_mut() else { break };
            if *last == 0 {
                break;
            }
            *last -= 1;
        }
    }
    let lowest = req
        .lower()
        .ok_or_else(|| bad_decl(evidence, format!("no {lang} release satisfies {text:?}")))?;
    let tag = tag_of(&lowest, known.tag_parts);
    if !fits(&tag) {
        // `~20.1`: the line's image holds a newer patch than the range allows;
        // that line is still the closest there is.
        return Ok(done(
            tag.clone(),
            format!("{lang} {tag}: the release line of {text:?} from {from}"),
            Some(format!(
                "{text:?} from {from} allows only part of the {lang} {tag} release line; the {tag} \
                 image holds its newest patch"
            )),
        ));
    }
    Ok(done(
        tag.clone(),
        format!(
            "{lang} {tag}: {from} asks for {text:?}, newer than any release the preset knows \
             (dfgen has not seen an image for it)"
        ),
        None,
    ))
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
    /// The smallest version any alternative allows from below (`>=3.10` → 3.10.0),
    /// `None` when an alternative has no lower bound.
    pub fn lower(&self) -> Option<[u64; 3]> {
        self.alternatives
            .iter()
            .map(|conj| {
                conj.iter()
                    .filter_map(|b| match b {
                        Bound::Ge(v) | Bound::Gt(v) => Some(*v),
                        _ => None,
                    })
                    .max()
            })
            .collect::<Option<Vec<_>>>()?
            .into_iter()
            .min()
    }

    /// The largest upper bound over the alternatives (`<3.10` → 3.10.0),
    /// `None` when some alternative is unbounded above.
    pub fn upper(&self) -> Option<[u64; 3]> {
        self.alternatives
            .iter()
            .map(|conj| {
                conj.iter()
                    .filter_map(|b| match b {
                        Bound::Lt(v) | Bound::Le(v) => Some(*v),
                        _ => None,
                    })
                    .min()
            })
            .collect::<Option<Vec<_>>>()?
            .into_iter()
            .max()
    }

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

    fn known<'a>(
        tags: &'a [String],
        default: &'a str,
        aliases: &'a BTreeMap<String, String>,
        parts: usize,
    ) -> Known<'a> {
        Known {
            language: "X",
            tags,
            default,
            aliases,
            tag_parts: parts,
        }
    }

    fn resolve_range(
        text: &str,
        dialect: Dialect,
        tags: &[&str],
        default: &str,
        parts: usize,
    ) -> Result<Resolved> {
        let tags: Vec<String> = tags.iter().map(|s| s.to_string()).collect();
        let aliases = BTreeMap::new();
        let decl = Declared::Range {
            text: text.into(),
            evidence: Evidence::file("f", "field"),
            dialect,
        };
        resolve(&decl, &known(&tags, default, &aliases, parts))
    }

    fn pick(
        text: &str,
        dialect: Dialect,
        tags: &[&str],
        default: &str,
        parts: usize,
    ) -> Option<String> {
        resolve_range(text, dialect, tags, default, parts)
            .ok()
            .map(|r| r.tag)
    }

    const PY: &[&str] = &["3.10", "3.11", "3.12", "3.13", "3.14"];
    const NODE: &[&str] = &["20", "22", "24", "26"];

    #[test]
    fn the_default_wins_when_it_satisfies_the_range() {
        let p = |t| pick(t, Dialect::Pep440, PY, "3.13", 2);
        // The default, not the newest: the newest often lacks wheels.
        assert_eq!(p(">=3.11").as_deref(), Some("3.13"));
        assert_eq!(p("~=3.11").as_deref(), Some("3.13"));
        assert_eq!(p(">=3.10,<4").as_deref(), Some("3.13"));
        let r = resolve_range(">=3.11", Dialect::Pep440, PY, "3.13", 2).unwrap();
        assert!(
            r.reason.contains("default") && r.reason.contains("f, field"),
            "{}",
            r.reason
        );
    }

    #[test]
    fn else_the_newest_known_release_that_satisfies_it() {
        let p = |t| pick(t, Dialect::Pep440, PY, "3.13", 2);
        assert_eq!(p(">=3.11,<3.13").as_deref(), Some("3.12"));
        assert_eq!(p(">= 3.10, < 3.13").as_deref(), Some("3.12"));
        assert_eq!(p("~=3.11.2").as_deref(), Some("3.11"));
        assert_eq!(p("==3.12.*").as_deref(), Some("3.12"));
        assert_eq!(p(">=3.14").as_deref(), Some("3.14"));
        assert_eq!(p(">=3.11,!=3.13.*").as_deref(), Some("3.14"));
        let n = |t| pick(t, Dialect::Semver, NODE, "24", 1);
        assert_eq!(n(">=20").as_deref(), Some("24"));
        assert_eq!(n("^22.11.0").as_deref(), Some("22"));
        assert_eq!(n("20.x || 22.x").as_deref(), Some("22"));
        assert_eq!(n(">=18 <23").as_deref(), Some("22"));
        assert_eq!(n("20 - 22").as_deref(), Some("22"));
        assert_eq!(n("<=22").as_deref(), Some("22"));
        assert_eq!(n(">24").as_deref(), Some("26"));
        assert_eq!(n("*").as_deref(), Some("24"));
        let py = |t| pick(t, Dialect::Semver, PY, "3.13", 2);
        assert_eq!(
            py("^3.11").as_deref(),
            Some("3.13"),
            "poetry caret keeps the major"
        );
        assert_eq!(py("~3.12").as_deref(), Some("3.12"));
    }

    #[test]
    fn above_every_known_release_the_minimum_itself() {
        let r = resolve_range(">=3.15", Dialect::Pep440, PY, "3.13", 2).unwrap();
        assert_eq!(r.tag, "3.15");
        assert!(r.reason.contains("not seen an image"), "{}", r.reason);
        assert!(r.warning.is_none());
    }

    #[test]
    fn an_upper_bound_below_every_known_release_gives_the_line_below_it_with_a_warning() {
        let r = resolve_range(">=3.8,<3.10", Dialect::Pep440, PY, "3.13", 2).unwrap();
        assert_eq!(r.tag, "3.9");
        assert!(
            r.warning.as_deref().is_some_and(|w| w.contains("<3.10")),
            "{r:?}"
        );
        assert_eq!(
            pick("<20", Dialect::Semver, NODE, "24", 1).as_deref(),
            Some("19")
        );
        // A patch range inside one line: that line, the closest there is.
        assert_eq!(
            pick("~20.1", Dialect::Semver, NODE, "24", 1).as_deref(),
            Some("20")
        );
    }

    #[test]
    fn garbage_ranges_are_errors_not_guesses() {
        assert!(Req::parse("banana", Dialect::Semver).is_err());
        assert!(Req::parse(">=3.11; rm", Dialect::Pep440).is_err());
        assert!(Req::parse("", Dialect::Pep440).is_err());
        assert!(Req::parse(">=", Dialect::Pep440).is_err());
        assert!(
            pick("3.11", Dialect::Pep440, PY, "3.13", 2).is_none(),
            "PEP 440 needs an operator"
        );
        let e = resolve_range("banana", Dialect::Semver, PY, "3.13", 2)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("f") && e.contains("field") && e.contains("banana"),
            "{e}"
        );
    }

    #[test]
    fn pins_are_used_as_written_known_or_not() {
        let tags: Vec<String> = ["1.24", "1.25"].iter().map(|s| s.to_string()).collect();
        let aliases = BTreeMap::new();
        let k = known(&tags, "1.25", &aliases, 2);
        let pin = |v: &str| Declared::Pin {
            version: v.into(),
            evidence: Evidence::file("go.mod", "toolchain directive"),
        };
        let r = resolve(&pin("1.24.3"), &k).unwrap();
        assert_eq!(r.tag, "1.24");
        assert!(
            r.reason.contains("go.mod") && !r.reason.contains("not seen"),
            "{}",
            r.reason
        );
        let r = resolve(&pin("1.31.2"), &k).unwrap();
        assert_eq!(r.tag, "1.31");
        assert!(r.reason.contains("not seen an image"), "{}", r.reason);
        let e = resolve(&pin("one.two"), &k).unwrap_err().to_string();
        assert!(
            e.contains("go.mod") && e.contains("toolchain directive"),
            "{e}"
        );
        assert_eq!(resolve(&Declared::Nothing, &k).unwrap().tag, "1.25");
    }

    #[test]
    fn minimums_prefer_the_default() {
        let tags: Vec<String> = ["1.24", "1.25", "1.26"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let aliases = BTreeMap::new();
        let k = known(&tags, "1.25", &aliases, 2);
        let min = |v: &str| Declared::Minimum {
            version: v.into(),
            evidence: Evidence::file("go.mod", "`go` directive (a minimum), line 3"),
        };
        assert_eq!(resolve(&min("1.13"), &k).unwrap().tag, "1.25");
        assert_eq!(resolve(&min("1.20"), &k).unwrap().tag, "1.25");
        assert_eq!(resolve(&min("1.26.1"), &k).unwrap().tag, "1.26");
        let r = resolve(&min("1.29"), &k).unwrap();
        assert_eq!(r.tag, "1.29");
        assert!(r.reason.contains("not seen an image"), "{}", r.reason);
    }

    #[test]
    fn the_wizard_offers_only_versions_that_fit() {
        let ev = || Evidence::file("f", "field");
        let min = Declared::Minimum {
            version: "1.25".into(),
            evidence: ev(),
        };
        assert!(
            !satisfies(&min, "1.24", 2) && satisfies(&min, "1.25", 2) && satisfies(&min, "1.27", 2)
        );
        let range = Declared::Range {
            text: ">=3.11,<3.14".into(),
            evidence: ev(),
            dialect: Dialect::Pep440,
        };
        let fits: Vec<&str> = PY
            .iter()
            .copied()
            .filter(|t| satisfies(&range, t, 2))
            .collect();
        assert_eq!(fits, ["3.11", "3.12", "3.13"]);
        let pin = Declared::Pin {
            version: "22.11.0".into(),
            evidence: ev(),
        };
        let fits: Vec<&str> = NODE
            .iter()
            .copied()
            .filter(|t| satisfies(&pin, t, 1))
            .collect();
        assert_eq!(fits, ["22"]);
        assert!(satisfies(&Declared::Nothing, "20", 1));
    }
}
