//! Plain static sites: an `index.html` at the root or in one of the usual
//! site folders, served as it is (no package.json build). What matters for
//! serving it: which folder, whether a client-side router needs a fallback to
//! the index page, a custom 404 page, and — for a site at the project root —
//! exactly which top-level entries are the site.

use serde::Serialize;

use crate::error::Result;
use crate::evidence::{Evidence, Fact};
use crate::formats;
use crate::project::{self, MANIFEST_CAP, Project};
use crate::safe;
use crate::version::Declared;

/// Folders a hand-written site is kept in, tried in this order after the root.
pub const SITE_DIRS: &[&str] = &["public", "site", "www", "docs", "static", "html", "web"];

/// File extensions of web content: what a root-level site serves.
const WEB_EXTENSIONS: &[&str] = &[
    "html",
    "htm",
    "css",
    "js",
    "mjs",
    "map",
    "json",
    "webmanifest",
    "xml",
    "txt",
    "ico",
    "png",
    "jpg",
    "jpeg",
    "gif",
    "svg",
    "webp",
    "avif",
    "bmp",
    "woff",
    "woff2",
    "ttf",
    "otf",
    "eot",
    "mp4",
    "webm",
    "mp3",
    "ogg",
    "wav",
    "wasm",
    "pdf",
    "csv",
];

/// Top-level files with a web extension that are project tooling, not the site.
const NOT_SITE_FILES: &[&str] = &[
    "package.json",
    "package-lock.json",
    "tsconfig.json",
    "jsconfig.json",
    "deno.json",
    "deno.lock",
    "composer.json",
    "composer.lock",
    "vercel.json",
    "firebase.json",
    "renovate.json",
    "requirements.txt",
    "robots.txt.example",
    "CMakeLists.txt",
];

/// Top-level folders that are never part of a root-level site.
const NOT_SITE_DIRS: &[&str] = &[
    "node_modules",
    "test",
    "tests",
    "__tests__",
    "spec",
    "e2e",
    "target",
    "venv",
    "__pycache__",
];

/// Script URLs (or imports) of history-API routers: a page loading one routes
/// on the client and needs unknown paths to fall back to the index page.
const HISTORY_ROUTERS: &[&str] = &[
    "react-router",
    "vue-router",
    "@vaadin/router",
    "@solidjs/router",
    "@remix-run/router",
    "universal-router",
    "navigo",
    "page.js",
    "/page@",
    "wouter",
    "@tanstack/router",
    "@tanstack/react-router",
];

#[derive(Debug, Clone, Serialize)]
pub struct StaticSite {
    /// Every folder with an index.html, the root first, then in SITE_DIRS order.
    pub sites: Vec<Site>,
    /// package.json has a build script: this is source for a build, not a site.
    pub build_script: Option<Evidence>,
    pub version: Declared,
}

#[derive(Debug, Clone, Serialize)]
pub struct Site {
    /// The folder served, `.` for the project root.
    pub dir: Fact<String>,
    /// Client-side routing evidence: unknown paths get `fallback` instead of a 404.
    pub spa: Option<Fact<String>>,
    /// The page unknown paths fall back to when `spa` is set (`index.html`, `200.html`).
    pub fallback: String,
    /// A custom 404 page in the site folder.
    pub not_found: Option<String>,
    /// Root-level sites: the top-level files and folders that are the site.
    pub root_files: Vec<String>,
    pub root_dirs: Vec<String>,
    /// Root-level entries left out (tooling, docs, unsafe names), for the notes.
    pub left_out: Vec<String>,
}

pub fn detect(p: &Project) -> Result<Option<StaticSite>> {
    let mut sites = Vec::new();
    for dir in std::iter::once("").chain(SITE_DIRS.iter().copied()) {
        if p.has_file(&project::join(dir, "index.html")) {
            sites.push(site(p, dir)?);
        }
    }
    if sites.is_empty() {
        return Ok(None);
    }
    Ok(Some(StaticSite {
        sites,
        build_script: build_script(p)?,
        version: Declared::Nothing,
    }))
}

/// One folder holding an index.html (`""` for the root).
fn site(p: &Project, dir: &str) -> Result<Site> {
    let shown = if dir.is_empty() { "." } else { dir };
    let index = project::join(dir, "index.html");
    let (spa, fallback) = spa_evidence(p, dir)?;
    let not_found = p
        .has_file(&project::join(dir, "404.html"))
        .then(|| "404.html".to_string());
    let (mut root_files, mut root_dirs, mut left_out) = (Vec::new(), Vec::new(), Vec::new());
    if dir.is_empty() {
        for e in p.list("")? {
            if e.name.starts_with('.') {
                continue;
            }
            let safe_name = safe::name(".", "file name", &e.name).is_ok();
            if e.is_dir {
                if NOT_SITE_DIRS.contains(&e.name.as_str()) {
                    continue;
                }
                if safe_name {
                    root_dirs.push(e.name);
                } else {
                    left_out.push(format!(
                        "{}/ (a name dfgen will not write into COPY)",
                        e.name
                    ));
                }
                continue;
            }
            let ext = e
                .name
                .rsplit_once('.')
                .map(|(_, x)| x.to_ascii_lowercase())
                .unwrap_or_default();
            if !WEB_EXTENSIONS.contains(&ext.as_str()) || NOT_SITE_FILES.contains(&e.name.as_str())
            {
                left_out.push(e.name);
            } else if safe_name {
                root_files.push(e.name);
            } else {
                left_out.push(format!(
                    "{} (a name dfgen will not write into COPY)",
                    e.name
                ));
            }
        }
    }
    Ok(Site {
        dir: Fact::in_file(shown.to_string(), &index, "the site's index page"),
        spa,
        fallback,
        not_found,
        root_files,
        root_dirs,
        left_out,
    })
}

/// `scripts.build` in package.json: then the site is built (node-static), and
/// serving its sources as they are would be wrong.
fn build_script(p: &Project) -> Result<Option<Evidence>> {
    let Some(text) = p.read_opt("package.json", MANIFEST_CAP)? else {
        return Ok(None);
    };
    let json = formats::parse_json("package.json", &text)?;
    Ok(json
        .get("scripts")
        .and_then(|s| s.get("build"))
        .and_then(|b| b.as_str())
        .map(|b| Evidence::file("package.json", format!("`scripts.build`: {b}"))))
}

/// Evidence of a client-side (history API) router, and the page unknown
/// paths should get: a `_redirects` rule to the index with status 200
/// (Netlify, Cloudflare Pages), a `200.html` (surge.sh), netlify.toml's
/// equivalent, or a history router loaded by the index page.
fn spa_evidence(p: &Project, dir: &str) -> Result<(Option<Fact<String>>, String)> {
    let index = "index.html".to_string();
    for redirects in [project::join(dir, "_redirects"), "_redirects".to_string()] {
        let Some(text) = p.read_opt(&redirects, MANIFEST_CAP)? else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            let words: Vec<&str> = line
                .split('#')
                .next()
                .unwrap_or("")
                .split_whitespace()
                .collect();
            if let [from, to, status, ..] = words.as_slice()
                && from.ends_with('*')
                && status.starts_with("200")
                && let Some(page) = to.strip_prefix('/').filter(|t| t.ends_with(".html"))
                && safe::name(&redirects, "rewrite target", page).is_ok()
                && p.has_file(&project::join(dir, page))
            {
                return Ok((
                    Some(Fact::in_file(
                        format!("rewrite {from} to /{page} (200)"),
                        &redirects,
                        format!("line {}", i + 1),
                    )),
                    page.to_string(),
                ));
            }
        }
    }
    let surge = project::join(dir, "200.html");
    if p.has_file(&surge) {
        return Ok((
            Some(Fact::in_file(
                "200.html fallback page".to_string(),
                &surge,
                "the page served for unknown paths (surge.sh convention)",
            )),
            "200.html".into(),
        ));
    }
    if let Some(text) = p.read_opt("netlify.toml", MANIFEST_CAP)? {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.contains("to=\"/index.html\"") && compact.contains("status=200") {
            return Ok((
                Some(Fact::in_file(
                    "rewrite to /index.html (200)".to_string(),
                    "netlify.toml",
                    "[[redirects]]",
                )),
                index,
            ));
        }
    }
    let index_file = project::join(dir, "index.html");
    if let Some(text) = p.read_source(&index_file) {
        let mut in_script = false;
        for (i, line) in text.lines().enumerate() {
            let lower = line.to_ascii_lowercase();
            if lower.contains("<script") {
                in_script = true;
            }
            if in_script && let Some(lib) = HISTORY_ROUTERS.iter().find(|r| lower.contains(*r)) {
                return Ok((
                    Some(Fact::in_file(
                        format!("loads the client-side router {}", lib.trim_matches('/')),
                        &index_file,
                        format!("line {}", i + 1),
                    )),
                    index,
                ));
            }
            if lower.contains("</script") {
                in_script = false;
            }
        }
    }
    Ok((None, index))
}
