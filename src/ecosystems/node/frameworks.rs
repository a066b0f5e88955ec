//! Frameworks that decide how a Node app is built and run on their own, with
//! no `node FILE` start script to read: Next.js for now.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::Result;
use crate::evidence::{Evidence, Fact};
use crate::project::{MANIFEST_CAP, Project};
use crate::safe;

/// What `next build` produces, from `output` in next.config.*.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NextOutput {
    /// `output: 'standalone'`: a self-contained `server.js` with the traced
    /// node_modules it needs, in `.next/standalone`.
    Standalone,
    /// No `output`: `next start` serves `.next` with the production install.
    Start,
    /// `output: 'export'`: static files in `out/`.
    Export,
}

#[derive(Debug, Clone, Serialize)]
pub struct NextApp {
    pub output: Fact<NextOutput>,
    /// `.next`, or `distDir` from the config.
    pub dist_dir: String,
    /// The config file `next start` loads at runtime, if any.
    pub config: Option<String>,
    /// A `public/` folder, served as is.
    pub public: bool,
    /// `NEXT_PUBLIC_*` names read by the sources, with the first file naming each:
    /// `next build` inlines their values, so they are build-time settings.
    pub public_env: BTreeMap<String, String>,
    /// `next` is only a devDependency: the production install lacks it.
    pub next_is_dev_only: bool,
}

const NEXT_CONFIGS: &[&str] = &[
    "next.config.js",
    "next.config.mjs",
    "next.config.ts",
    "next.config.cjs",
    "next.config.mts",
];

/// A Next.js app: `next` is a dependency and either a script runs `next build`
/// or a next.config.* exists.
pub fn next(
    p: &Project,
    deps: &BTreeMap<String, String>,
    dev_deps: &BTreeMap<String, String>,
    scripts: &BTreeMap<String, String>,
) -> Result<Option<NextApp>> {
    if !deps.contains_key("next") && !dev_deps.contains_key("next") {
        return Ok(None);
    }
    let config = NEXT_CONFIGS.iter().find(|c| p.has_file(c)).copied();
    let builds = scripts.get("build").is_some_and(|b| {
        b.split_whitespace()
            .collect::<Vec<_>>()
            .windows(2)
            .any(|w| w == ["next", "build"])
    });
    if config.is_none() && !builds {
        return Ok(None);
    }
    let mut output = Fact::in_file(
        NextOutput::Start,
        config.unwrap_or("package.json"),
        "no `output` setting: `next start` serves the build",
    );
    let mut dist_dir = ".next".to_string();
    if let Some(cfg) = config {
        let text = p.read(cfg, MANIFEST_CAP)?;
        if let Some((value, line)) = js_string_prop(&text, "output") {
            let kind = match value.as_str() {
                "standalone" => NextOutput::Standalone,
                "export" => NextOutput::Export,
                other => {
                    return Err(crate::error::Error::field(
                        cfg,
                        format!("output (line {line})"),
                        format!(
                            "{other:?} is not an output mode Next.js knows (standalone, export)"
                        ),
                    ));
                }
            };
            output = Fact::in_file(kind, cfg, format!("output: '{value}' (line {line})"));
        }
        if let Some((value, line)) = js_string_prop(&text, "distDir") {
            dist_dir = safe::rel_path(cfg, &format!("distDir (line {line})"), &value)?;
        }
    }
    let public = p.is_dir("public");
    let mut public_env = BTreeMap::new();
    let exts = &[".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mdx"];
    let mut files = Vec::new();
    for dir in ["app", "pages", "src", "components", "lib", "utils"] {
        files.extend(p.source_files(dir, exts, 6, 400));
    }
    files.extend(p.source_files("", exts, 0, 50));
    for file in &files {
        let Some(text) = p.read_source(file) else {
            continue;
        };
        for name in public_env_names(&text) {
            public_env.entry(name).or_insert_with(|| file.clone());
        }
    }
    Ok(Some(NextApp {
        output,
        dist_dir,
        config: config.map(str::to_string),
        public,
        public_env,
        next_is_dev_only: !deps.contains_key("next"),
    }))
}

/// The string value of `key: '...'` in JS source, with its 1-based line. The key
/// must be a whole word (so `output` does not match `outputFileTracingRoot`);
/// commented-out lines are skipped; a non-literal value (`process.env.X ? ...`)
/// is not a value.
pub fn js_string_prop(text: &str, key: &str) -> Option<(String, usize)> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    for (idx, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with("//") || t.starts_with("/*") || t.starts_with('*') {
            continue;
        }
        let code = line.split(" //").next().unwrap_or(line);
        let mut from = 0;
        while let Some(pos) = code[from..].find(key) {
            let start = from + pos;
            let end = start + key.len();
            from = end;
            let before = code[..start].chars().next_back();
            if before.is_some_and(|c| word(c) || c == '.') {
                continue;
            }
            let mut rest = &code[end..];
            // A quoted key: "output": "standalone".
            if let Some(r) = rest.strip_prefix(['"', '\'']) {
                if !matches!(before, Some('"' | '\'')) {
                    continue;
                }
                rest = r;
            } else if rest.starts_with(word) {
                continue;
            }
            let Some(rest) = rest.trim_start().strip_prefix(':') else {
                continue;
            };
            let rest = rest.trim_start();
            let Some(q) = rest
                .chars()
                .next()
                .filter(|c| matches!(c, '"' | '\'' | '`'))
            else {
                continue;
            };
            let inner = &rest[1..];
            let Some(close) = inner.find(q) else { continue };
            let value = &inner[..close];
            let after = inner[close + 1..].trim_start();
            // `'a' + x`, `'a' ? ...`: not a literal.
            if !(after.is_empty() || after.starts_with([',', '}'])) {
                continue;
            }
            return Some((value.to_string(), idx + 1));
        }
    }
    None
}

/// `NEXT_PUBLIC_[A-Z0-9_]+` tokens in source text.
fn public_env_names(text: &str) -> Vec<String> {
    const PREFIX: &str = "NEXT_PUBLIC_";
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = text[from..].find(PREFIX) {
        let start = from + pos;
        let rest = &text[start + PREFIX.len()..];
        let len = rest
            .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(rest.len());
        from = start + PREFIX.len() + len;
        let before = text[..start].chars().next_back();
        if len == 0 || before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        out.push(text[start..from].to_string());
    }
    out
}

/// Evidence for the port Next.js listens on.
pub fn next_port() -> Fact<u16> {
    Fact::new(
        3000,
        Evidence::other("Next.js's default port (it reads PORT)"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_settings() {
        let cfg = "const c = {\n  // output: 'export',\n  outputFileTracingRoot: '/x',\n  output: \"standalone\", // self-contained\n};";
        assert_eq!(
            js_string_prop(cfg, "output"),
            Some(("standalone".to_string(), 4))
        );
        assert_eq!(
            js_string_prop("{ \"output\": \"export\" }", "output"),
            Some(("export".to_string(), 1))
        );
        assert_eq!(
            js_string_prop("output: process.env.X ? 'standalone' : undefined", "output"),
            None
        );
        assert_eq!(js_string_prop("output: 'a' + b,", "output"), None);
        assert_eq!(js_string_prop("x.output: 'a'", "output"), None);
    }

    #[test]
    fn public_env() {
        let src = "const a = process.env.NEXT_PUBLIC_API_URL; const b = MY_NEXT_PUBLIC_X; `${process.env.NEXT_PUBLIC_2}` NEXT_PUBLIC_";
        assert_eq!(
            public_env_names(src),
            vec!["NEXT_PUBLIC_API_URL", "NEXT_PUBLIC_2"]
        );
    }
}

/// A framework whose build writes a Node server of its own (not a `node FILE`
/// start script): where it lands and what it needs next to it.
#[derive(Debug, Clone, Serialize)]
pub struct ServerBuild {
    pub name: String,
    pub evidence: Evidence,
    /// What node runs (a file or a folder with index.js).
    pub entry: String,
    /// The build output the runtime copies.
    pub output_dir: String,
    /// The output imports packages from node_modules (else it is self-contained).
    pub prod_deps: bool,
    /// The server reads HOST (set to 0.0.0.0).
    pub reads_host: bool,
    pub port: u16,
}

/// Nuxt (Nitro's node-server output), SvelteKit with adapter-node, Astro in
/// server mode with @astrojs/node. `Err` for a setup that builds no Node server
/// (SvelteKit's adapter-auto), with what to change.
pub fn server_build(
    p: &Project,
    deps: &BTreeMap<String, String>,
    dev_deps: &BTreeMap<String, String>,
    scripts: &BTreeMap<String, String>,
) -> Result<Option<ServerBuild>> {
    let has = |d: &str| deps.contains_key(d) || dev_deps.contains_key(d);
    let build = scripts.get("build").map(String::as_str).unwrap_or("");
    if has("nuxt") && (build.contains("nuxt build") || build.contains("nuxi build")) {
        return Ok(Some(ServerBuild {
            name: "nuxt".into(),
            evidence: Evidence::file("package.json", "scripts.build (nuxt build)"),
            entry: ".output/server/index.mjs".into(),
            output_dir: ".output".into(),
            prod_deps: false,
            reads_host: true,
            port: 3000,
        }));
    }
    if has("@sveltejs/kit") {
        if has("@sveltejs/adapter-node") {
            // SvelteKit 2 reads svelte.config.*; SvelteKit 3 takes its config in vite.config.*.
            let out = [
                "svelte.config.js",
                "svelte.config.mjs",
                "svelte.config.ts",
                "vite.config.js",
                "vite.config.ts",
                "vite.config.mjs",
                "vite.config.mts",
            ]
            .iter()
            .filter_map(|c| p.read_opt(c, MANIFEST_CAP).ok().flatten().map(|t| (*c, t)))
            .find_map(|(c, t)| js_string_prop(&t, "out").map(|(v, _)| (c, v)));
            let output_dir = match out {
                Some((cfg, v)) => safe::rel_path(cfg, "adapter-node out", &v)?,
                None => "build".into(),
            };
            return Ok(Some(ServerBuild {
                name: "sveltekit".into(),
                evidence: Evidence::file("package.json", "@sveltejs/adapter-node"),
                entry: output_dir.clone(),
                output_dir,
                prod_deps: true,
                reads_host: true,
                port: 3000,
            }));
        }
        if has("@sveltejs/adapter-auto") && !has("@sveltejs/adapter-static") {
            return Err(crate::error::Error::field(
                "package.json",
                "devDependencies.@sveltejs/adapter-auto",
                "SvelteKit's adapter-auto builds for hosting platforms it recognises, not for a \
                 container: it writes no Node server. Install @sveltejs/adapter-node and use it in \
                 svelte.config.js (or adapter-static for a static site)",
            ));
        }
    }
    if has("astro") && has("@astrojs/node") {
        for cfg in [
            "astro.config.mjs",
            "astro.config.ts",
            "astro.config.js",
            "astro.config.mts",
        ] {
            let Some(text) = p.read_opt(cfg, MANIFEST_CAP)? else {
                continue;
            };
            if let Some((mode, line)) = js_string_prop(&text, "output")
                && (mode == "server" || mode == "hybrid")
            {
                return Ok(Some(ServerBuild {
                    name: "astro".into(),
                    evidence: Evidence::file(
                        cfg,
                        format!("output: '{mode}' (line {line}) with @astrojs/node"),
                    ),
                    entry: "dist/server/entry.mjs".into(),
                    output_dir: "dist".into(),
                    prod_deps: true,
                    reads_host: true,
                    port: 4321,
                }));
            }
        }
    }
    Ok(None)
}
