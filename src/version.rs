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

/// A parsed range: PEP 440 specifiers are parsed and matched by `pep440_rs`
/// (the code uv uses); npm-style ranges by the parser below, because the npm
/// crates (`node-semver`, `nodejs-semver`) parse loosely: they drop words they
/// cannot read (`>=18 foo` is `>=18`) and turn an empty intersection into a
/// union (`>=18 <17` allows everything), where dfgen must refuse or warn.
#[derive(Debug, Clone)]
pub enum Req {
    /// Alternatives (`||`) of conjunctions of half-open intervals.
    Semver(Vec<Vec<Bound>>),
    Pep440(pep440_rs::VersionSpecifiers),
}

#[derive(Debug, Clone, Copy)]
pub enum Bound {
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

/// A lower and an upper bound, either possibly absent.
type Interval = (Option<[u64; 3]>, Option<[u64; 3]>);

impl Req {
    pub fn parse(text: &str, dialect: Dialect) -> std::result::Result<Req, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("empty range".into());
        }
        match dialect {
            Dialect::Semver => parse_semver(text).map(Req::Semver),
            Dialect::Pep440 => {
                // The text is quoted in the Dockerfile's comments: refuse what
                // no specifier holds before the parser sees it.
                if let Some(c) = text
                    .chars()
                    .find(|c| !(c.is_ascii_alphanumeric() || " \t,<>=!~.*+-_".contains(*c)))
                {
                    return Err(format!("unexpected character {c:?}"));
                }
                // Empty items between commas are skipped, as pip does (uv refuses them).
                let text = text
                    .split(',')
                    .filter(|s| !s.trim().is_empty())
                    .collect::<Vec<_>>()
                    .join(",");
                text.parse::<pep440_rs::VersionSpecifiers>()
                    .map(Req::Pep440)
                    .map_err(|e| {
                        // The crate's reason, without the text and caret lines after it.
                        let msg = e.to_string();
                        let first = msg.lines().next().unwrap_or_default();
                        first
                            .strip_prefix("Failed to parse version: ")
                            .unwrap_or(first)
                            .trim_end_matches(':')
                            .to_string()
                    })
            }
        }
    }

    pub fn matches(&self, v: &[u64; 3]) -> bool {
        match self {
            Req::Semver(alternatives) => {
                alternatives.iter().any(|conj| conj.iter().all(|b| b.ok(v)))
            }
            Req::Pep440(specs) => specs.contains(&pep440_rs::Version::new(v.iter().copied())),
        }
    }

    /// The smallest version any alternative allows from below (`>=3.10` → 3.10.0),
    /// `None` when an alternative has no lower bound.
    pub fn lower(&self) -> Option<[u64; 3]> {
        self.intervals()
            .into_iter()
            .map(|(lo, _)| lo)
            .collect::<Option<Vec<_>>>()?
            .into_iter()
            .min()
    }

    /// The largest upper bound over the alternatives (`<3.10` → 3.10.0),
    /// `None` when some alternative is unbounded above.
    pub fn upper(&self) -> Option<[u64; 3]> {
        self.intervals()
            .into_iter()
            .map(|(_, hi)| hi)
            .collect::<Option<Vec<_>>>()?
            .into_iter()
            .max()
    }

    /// Each alternative's tightest (lower, upper) bound, inclusive or not.
    fn intervals(&self) -> Vec<Interval> {
        let tightest = |bounds: &mut dyn Iterator<Item = Interval>| {
            bounds.fold((None, None), |(lo, hi), (l, h)| {
                (lo.max(l), hi.into_iter().chain(h).min())
            })
        };
        match self {
            Req::Semver(alternatives) => alternatives
                .iter()
                .map(|conj| {
                    tightest(&mut conj.iter().map(|b| match b {
                        Bound::Ge(v) | Bound::Gt(v) => (Some(*v), None),
                        Bound::Lt(v) | Bound::Le(v) => (None, Some(*v)),
                        Bound::Not(..) => (None, None),
                    }))
                })
                .collect(),
            // PEP 440 specifiers are one conjunction.
            Req::Pep440(specs) => {
                use pep440_rs::Operator as Op;
                vec![tightest(&mut specs.iter().map(|s| {
                    let n = s.version().release();
                    let v = pad(n);
                    match s.operator() {
                        Op::GreaterThan | Op::GreaterThanEqual => (Some(v), None),
                        Op::LessThan | Op::LessThanEqual => (None, Some(v)),
                        Op::Equal | Op::ExactEqual => (Some(v), Some(v)),
                        Op::EqualStar => (Some(v), Some(bump(n, n.len()))),
                        Op::TildeEqual => (Some(v), Some(bump(n, n.len() - 1))),
                        Op::NotEqual | Op::NotEqualStar => (None, None),
                    }
                }))]
            }
        }
    }
}

/// npm's range grammar (also Poetry's, Composer's and Gemfile requirements
/// once rewritten in it): `||` alternatives of comparators, `^`, `~`, `x`
/// wildcards, hyphen ranges; commas and spaces separate comparators.
fn parse_semver(text: &str) -> std::result::Result<Vec<Vec<Bound>>, String> {
    let mut alternatives = Vec::new();
    for alt in text.split("||") {
        let mut bounds = Vec::new();
        let tokens = tokenize(alt)?;
        let mut i = 0;
        while i < tokens.len() {
            // Hyphen range: `1.2 - 2.3`
            if i + 2 < tokens.len() && tokens[i + 1] == "-" {
                let (lo, _) = partial(&tokens[i])?;
                let (hi, hi_n) = partial(&tokens[i + 2])?;
                bounds.push(Bound::Ge(pad(&lo)));
                bounds.push(upper_inclusive(&hi, hi_n));
                i += 3;
                continue;
            }
            comparator(&tokens[i], &mut bounds)?;
            i += 1;
        }
        if bounds.is_empty() {
            return Err("empty range".into());
        }
        alternatives.push(bounds);
    }
    Ok(alternatives)
}

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

fn comparator(tok: &str, out: &mut Vec<Bound>) -> std::result::Result<(), String> {
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
    match op {
        // An exact version, or the line a partial one names (`20`, `3.12.*`).
        "" | "=" | "==" => {
            if count == 0 {
                out.push(Bound::Ge([0, 0, 0])); // `*`: anything
            } else {
                out.push(Bound::Ge(pad(&n)));
                out.push(if count >= 3 && !wildcard {
                    Bound::Le(pad(&n))
                } else {
                    Bound::Lt(bump(&n, count))
                });
            }
        }
        "!=" => {
            let lo = pad(&n);
            let hi = if wildcard || count < 3 {
                bump(&n, count)
            } else {
                let mut h = lo;
                h[2] += 1;
                h
            };
            out.push(Bound::Not(lo, hi));
        }
        ">=" => out.push(Bound::Ge(pad(&n))),
        ">" if count < 3 => out.push(Bound::Ge(bump(&n, count))),
        ">" => out.push(Bound::Gt(pad(&n))),
        "<" => out.push(Bound::Lt(pad(&n))),
        "<=" => out.push(upper_inclusive(&n, count)),
        "^" => {
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
        "~" => {
            out.push(Bound::Ge(pad(&n)));
            out.push(Bound::Lt(bump(&n, count.clamp(1, 2))));
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
    fn npm_ranges_the_way_npm_reads_them() {
        let n = |t| pick(t, Dialect::Semver, NODE, "24", 1);
        assert_eq!(n("^18 || ^20").as_deref(), Some("20"));
        assert_eq!(n(">=18 <21").as_deref(), Some("20"));
        assert_eq!(n(">=18.0.0 <21.0.0 || >=22").as_deref(), Some("24"));
        assert_eq!(n("^20.11.0 || ^22.1").as_deref(), Some("22"));
        assert_eq!(n("20.x").as_deref(), Some("20"));
        assert_eq!(n("20.*").as_deref(), Some("20"));
        assert_eq!(n("v22").as_deref(), Some("22"));
        assert_eq!(
            n(">= 20").as_deref(),
            Some("24"),
            "operator apart from its version"
        );
        assert_eq!(
            n("18 - 22.1").as_deref(),
            Some("20"),
            "22.1.x is not the whole 22 line"
        );
        // No known release: the line below the bound, with a warning.
        let r = resolve_range("18.x", Dialect::Semver, NODE, "24", 1).unwrap();
        assert_eq!(r.tag, "18");
        assert!(r.warning.is_some(), "{r:?}");
        let r = resolve_range("~20.1", Dialect::Semver, NODE, "24", 1).unwrap();
        assert_eq!(r.tag, "20");
        assert!(
            r.warning.as_deref().is_some_and(|w| w.contains("part of")),
            "{r:?}"
        );
        let req = Req::parse("^18 || ^20", Dialect::Semver).unwrap();
        assert_eq!(req.lower(), Some([18, 0, 0]));
        assert_eq!(req.upper(), Some([21, 0, 0]));
        assert_eq!(Req::parse(">=20", Dialect::Semver).unwrap().upper(), None);
        assert_eq!(
            Req::parse("<=22.1.5", Dialect::Semver).unwrap().upper(),
            Some([22, 1, 5])
        );
        // Poetry and Composer write "and" as a comma.
        assert_eq!(
            pick(">=3.10,<3.13", Dialect::Semver, PY, "3.13", 2).as_deref(),
            Some("3.12")
        );
        // Words it cannot read are errors, not dropped; an empty intersection
        // allows nothing (the npm crates read these as `>=18` and "anything").
        for bad in [
            "18 ||",
            "|| 20",
            "node",
            "^",
            ">=18 foo",
            "20 || node",
            "20.1.2.3.4",
        ] {
            assert!(
                Req::parse(bad, Dialect::Semver).is_err(),
                "{bad:?} accepted"
            );
        }
        let empty = Req::parse(">=18 <17", Dialect::Semver).unwrap();
        assert!(!(0..30).any(|m| empty.matches(&[m, LINE_MAX, LINE_MAX])));
    }

    #[test]
    fn pep440_specifiers_the_way_pip_reads_them() {
        let p = |t| pick(t, Dialect::Pep440, PY, "3.13", 2);
        assert_eq!(p(">=3.10,<3.13").as_deref(), Some("3.12"));
        assert_eq!(p("~=3.11").as_deref(), Some("3.13"));
        assert_eq!(p("~=3.11.0").as_deref(), Some("3.11"));
        assert_eq!(p("==3.12.*").as_deref(), Some("3.12"));
        assert_eq!(p("!=3.12.0").as_deref(), Some("3.13"));
        assert_eq!(p(">=3.12,!=3.13.*").as_deref(), Some("3.14"));
        assert_eq!(p(">=3.10,<3.13,!=3.12.*").as_deref(), Some("3.11"));
        assert_eq!(p(">3.12").as_deref(), Some("3.13"), "3.12.1 is > 3.12");
        assert_eq!(
            p("<=3.12").as_deref(),
            Some("3.11"),
            "3.12.1 is not <= 3.12"
        );
        let req = Req::parse(">=3.10,<3.13", Dialect::Pep440).unwrap();
        assert_eq!(
            (req.lower(), req.upper()),
            (Some([3, 10, 0]), Some([3, 13, 0]))
        );
        let req = Req::parse("~=3.11", Dialect::Pep440).unwrap();
        assert_eq!(
            (req.lower(), req.upper()),
            (Some([3, 11, 0]), Some([4, 0, 0]))
        );
        let req = Req::parse("==3.12.*", Dialect::Pep440).unwrap();
        assert_eq!(
            (req.lower(), req.upper()),
            (Some([3, 12, 0]), Some([3, 13, 0]))
        );
        assert_eq!(
            Req::parse("!=3.12.0", Dialect::Pep440).unwrap().lower(),
            None
        );
        for bad in ["=>3.11", "~=3", "3.11", ">=3.11 <3.13", "==3.*.1", "^3.11"] {
            assert!(
                Req::parse(bad, Dialect::Pep440).is_err(),
                "{bad:?} accepted"
            );
        }
        let e = resolve_range("=>3.11", Dialect::Pep440, PY, "3.13", 2)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("f") && e.contains("field") && e.contains("=>3.11") && !e.contains('\n'),
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
