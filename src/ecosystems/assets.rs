//! Front-end assets a server app builds with Node: a package.json whose build
//! script writes files the server serves (a Spring Boot app's static
//! resources, a Laravel app's `public/build`). Read by the Java and PHP
//! detectors; each template builds them in a Node stage of its own, so no
//! Node and no node_modules reach the runtime.
//!
//! A docs site (Docusaurus, VitePress...) next to a server is neither an app
//! nor the server's assets: [`docs_generator`] tells it apart.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::evidence::{Evidence, Fact};
use crate::formats::parse_json;
use crate::project::{MANIFEST_CAP, Project};
use crate::safe;

/// Site generators whose output is documentation, not an app's assets.
pub const DOCS_GENERATORS: &[(&str, &str)] = &[
    ("@docusaurus/core", "Docusaurus"),
    ("vitepress", "VitePress"),
    ("vuepress", "VuePress"),
    ("@vuepress/cli", "VuePress"),
    ("docsify-cli", "docsify"),
    ("@astrojs/starlight", "Starlight"),
    ("nextra", "Nextra"),
];

/// Vite's config files, in the order Vite looks for them.
pub const VITE_CONFIGS: &[&str] = &[
    "vite.config.js",
    "vite.config.mjs",
    "vite.config.ts",
    "vite.config.cjs",
    "vite.config.mts",
    "vite.config.cts",
];

/// npm's lockfiles (the assets stage runs npm).
const NPM_LOCKS: &[&str] = &["package-lock.json", "npm-shrinkwrap.json"];
/// Other package managers' lockfiles: the assets stage cannot honour them.
const OTHER_LOCKS: &[&str] = &["pnpm-lock.yaml", "yarn.lock", "bun.lock", "bun.lockb"];

/// The front end a server app builds, as its plan carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrontEnd {
    /// The directory of package.json, relative to the project root (`.` for the root).
    pub dir: String,
    /// npm's lockfile in that directory (`npm ci`), else `npm install`.
    pub lockfile: Option<String>,
    /// The npm script that builds the assets (`build`).
    pub script: String,
    pub script_evidence: String,
    /// Where the build writes, relative to the project root.
    pub output: String,
    pub output_evidence: String,
}

impl FrontEnd {
    /// `dir/name`, or `name` at the root.
    pub fn path(&self, name: &str) -> String {
        join_dir(&self.dir, name)
    }
}

fn join_dir(dir: &str, name: &str) -> String {
    if dir == "." || dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// A package.json and what the asset rules need from it.
pub struct Package {
    pub dir: String,
    pub file: String,
    text: String,
    json: Value,
}

impl Package {
    /// The package.json in `dir` (`.` for the root), if there is one.
    pub fn read(p: &Project, dir: &str) -> Result<Option<Package>> {
        let file = join_dir(dir, "package.json");
        let Some(text) = p.read_opt(&file, MANIFEST_CAP)? else {
            return Ok(None);
        };
        let json = parse_json(&file, &text)?;
        if !json.is_object() {
            return Err(Error::parse(&file, "is not a JSON object"));
        }
        Ok(Some(Package {
            dir: dir.to_string(),
            file,
            text,
            json,
        }))
    }

    /// `scripts.<name>`, with its evidence.
    pub fn script(&self, name: &str) -> Option<Fact<String>> {
        let s = self
            .json
            .pointer(&format!("/scripts/{name}"))
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())?;
        Some(Fact::in_file(
            s.to_string(),
            &self.file,
            format!(
                "scripts.{name}{}",
                line_of(&self.text, &format!("\"{name}\""))
            ),
        ))
    }

    /// In dependencies or devDependencies.
    pub fn has_dep(&self, name: &str) -> bool {
        ["dependencies", "devDependencies"]
            .iter()
            .any(|k| self.json.get(*k).and_then(|d| d.get(name)).is_some())
    }

    /// Where the dependency is declared, as evidence.
    pub fn dep_evidence(&self, name: &str) -> Evidence {
        Evidence::file(
            &self.file,
            format!(
                "{name} in dependencies{}",
                line_of(&self.text, &format!("\"{name}\""))
            ),
        )
    }

    /// npm's lockfile next to it (`Ok(None)`: none), or `Err(file)` for another
    /// package manager's lockfile.
    pub fn npm_lockfile(&self, p: &Project) -> std::result::Result<Option<String>, String> {
        if let Some(f) = OTHER_LOCKS
            .iter()
            .find(|f| p.has_file(&join_dir(&self.dir, f)))
        {
            return Err(join_dir(&self.dir, f));
        }
        Ok(NPM_LOCKS
            .iter()
            .find(|f| p.has_file(&join_dir(&self.dir, f)))
            .map(|f| f.to_string()))
    }
}

/// The docs generator a package.json builds with, if it is a docs site.
pub fn docs_generator(pkg: &Package) -> Option<Fact<String>> {
    DOCS_GENERATORS
        .iter()
        .find(|(dep, _)| pkg.has_dep(dep))
        .map(|(dep, name)| Fact::new(name.to_string(), pkg.dep_evidence(dep)))
}

/// `vite build` (not `vitepress build`) in a script.
pub fn runs_vite(script: &str) -> bool {
    script
        .split(|c: char| c.is_whitespace() || matches!(c, '&' | ';' | '|'))
        .any(|w| w == "vite" || w.ends_with("/vite"))
}

/// The Vite config file in `dir`, with its text.
pub fn vite_config(p: &Project, dir: &str) -> Result<Option<(String, String)>> {
    for name in VITE_CONFIGS {
        let file = join_dir(dir, name);
        if let Some(text) = p.read_opt(&file, MANIFEST_CAP)? {
            return Ok(Some((file, text)));
        }
    }
    Ok(None)
}

/// What a Vite config says about its output.
#[derive(Debug, Default)]
pub struct ViteOutput {
    /// `build.outDir` (as written, relative to the config's directory).
    pub out_dir: Option<Fact<String>>,
    /// `build.manifest` is on (a backend reads the manifest).
    pub manifest: Option<Evidence>,
    /// laravel-vite-plugin is used: it writes `<publicDirectory>/<buildDirectory>`.
    pub laravel: Option<Fact<String>>,
}

/// Reads `build.outDir`, `build.manifest` and laravel-vite-plugin's output
/// from a Vite config's text.
pub fn vite_output(file: &str, text: &str) -> ViteOutput {
    let prop = |key: &str| crate::ecosystems::node::js_string_prop(text, key);
    let out_dir = prop("outDir").map(|(v, line)| {
        Fact::new(
            v,
            Evidence::file(file, format!("build.outDir, line {line}")),
        )
    });
    let manifest = text.lines().enumerate().find_map(|(i, l)| {
        let code = l.split("//").next().unwrap_or("");
        let pos = code.find("manifest")?;
        let rest = code[pos + "manifest".len()..]
            .trim_start()
            .strip_prefix(':')?;
        let v = rest.trim_start();
        (!v.starts_with("false"))
            .then(|| Evidence::file(file, format!("build.manifest, line {}", i + 1)))
    });
    let laravel = text
        .lines()
        .position(|l| {
            let t = l.trim_start();
            !(t.starts_with("//") || t.starts_with('*') || t.starts_with("/*"))
                && (l.contains("'laravel-vite-plugin'") || l.contains("\"laravel-vite-plugin\""))
        })
        .map(|i| {
            let public = prop("publicDirectory")
                .map(|(v, _)| v)
                .unwrap_or_else(|| "public".into());
            let build = prop("buildDirectory")
                .map(|(v, _)| v)
                .unwrap_or_else(|| "build".into());
            Fact::new(
                format!(
                    "{}/{}",
                    public.trim_end_matches('/'),
                    build.trim_matches('/')
                ),
                Evidence::file(file, format!("laravel-vite-plugin, line {}", i + 1)),
            )
        });
    ViteOutput {
        out_dir,
        manifest,
        laravel,
    }
}

/// `--outDir X` / `--outDir=X` / `--out-dir X` in a build script.
pub fn script_out_dir(script: &Fact<String>) -> Option<Fact<String>> {
    let words: Vec<&str> = script.value.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        for flag in ["--outDir", "--out-dir"] {
            if let Some(v) = w.strip_prefix(&format!("{flag}=")) {
                return Some(Fact::new(
                    v.trim_matches(['"', '\'']).to_string(),
                    script.evidence.clone(),
                ));
            }
            if *w == flag
                && let Some(v) = words.get(i + 1)
            {
                return Some(Fact::new(
                    v.trim_matches(['"', '\'']).to_string(),
                    script.evidence.clone(),
                ));
            }
        }
    }
    None
}

/// How `npm run <script>` in `pkg` builds assets: `Ok(Err(why))` when it
/// cannot be built in the image's Node stage (no such script, another package
/// manager, an output directory dfgen cannot tell). `default_out`: the
/// caller knows the build is the app's (frontend-maven-plugin runs it, a
/// Python app serves its output), so Vite's default `dist` counts, and so
/// does Create React App's `build`.
pub fn build(
    p: &Project,
    pkg: &Package,
    script: &str,
    default_out: bool,
) -> Result<std::result::Result<FrontEnd, String>> {
    if script.is_empty()
        || !script
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '_' | '-'))
    {
        return Ok(Err(format!(
            "the npm script name {script:?} is not a plain name"
        )));
    }
    let Some(run) = pkg.script(script) else {
        return Ok(Err(format!("{} has no `{script}` script", pkg.file)));
    };
    let lockfile = match pkg.npm_lockfile(p) {
        Ok(l) => l,
        Err(other) => {
            return Ok(Err(format!(
                "{other} belongs to another package manager than npm"
            )));
        }
    };
    if default_out && runs_react_scripts(&run.value) {
        return Ok(Ok(FrontEnd {
            dir: pkg.dir.clone(),
            lockfile,
            script: script.to_string(),
            script_evidence: run.evidence.to_string(),
            output: join_dir(&pkg.dir, "build"),
            output_evidence: format!("Create React App's output directory ({})", run.evidence),
        }));
    }
    if !runs_vite(&run.value) {
        return Ok(Err(format!(
            "{} does not run Vite, so dfgen cannot tell where it writes",
            run.evidence
        )));
    }
    let out = match script_out_dir(&run) {
        Some(o) => Some(o),
        None => match vite_config(p, &pkg.dir)? {
            Some((file, text)) => vite_output(&file, &text).out_dir,
            None => None,
        },
    };
    let out = match out {
        Some(o) => o,
        None if default_out => Fact::new(
            "dist".to_string(),
            Evidence::other(format!(
                "Vite's default output directory, as there is no build.outDir; built by {}",
                run.evidence
            )),
        ),
        None => return Ok(Err("no build.outDir".into())),
    };
    let output = resolve(&pkg.dir, &out)?;
    Ok(Ok(FrontEnd {
        dir: pkg.dir.clone(),
        lockfile,
        script: script.to_string(),
        script_evidence: run.evidence.to_string(),
        output,
        output_evidence: out.evidence.to_string(),
    }))
}

/// `react-scripts build` (Create React App) in a script.
pub fn runs_react_scripts(script: &str) -> bool {
    let words: Vec<&str> = script
        .split(|c: char| c.is_whitespace() || matches!(c, '&' | ';' | '|'))
        .filter(|w| !w.is_empty())
        .collect();
    words
        .windows(2)
        .any(|w| (w[0] == "react-scripts" || w[0].ends_with("/react-scripts")) && w[1] == "build")
}

/// `dir` joined with a path written relative to it (`../src/main/resources/static`),
/// as a path relative to the project root. An error when it leaves the project
/// or is the root itself.
pub fn resolve(dir: &str, rel: &Fact<String>) -> Result<String> {
    let file = rel.evidence.file.clone().unwrap_or_default();
    let field = rel.evidence.detail.clone();
    let value = rel.value.as_str();
    if value.starts_with('/') {
        return Err(Error::field(
            &file,
            &field,
            format!("{value:?} is an absolute path; the build output must be inside the project"),
        ));
    }
    let Some(joined) = join_rel(dir, value) else {
        return Err(Error::field(
            &file,
            &field,
            format!("{value:?} points outside the project"),
        ));
    };
    safe::output_dir(&file, &field, &joined)
}

/// `rel` (relative, `..` allowed) from `dir`, as a path relative to the
/// project root (`.` for the root); `None` when it leaves the project.
pub fn join_rel(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    })
}

/// `, line N` of the first line holding `needle`.
pub fn line_of(text: &str, needle: &str) -> String {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| format!(", line {}", i + 1))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(v: &str) -> Fact<String> {
        Fact::in_file(v.to_string(), "vite.config.js", "build.outDir")
    }

    #[test]
    fn output_paths_resolve_against_the_package_dir() {
        assert_eq!(
            resolve("frontend", &fact("../src/main/resources/static")).unwrap(),
            "src/main/resources/static"
        );
        assert_eq!(
            resolve(".", &fact("./public/build/")).unwrap(),
            "public/build"
        );
        assert!(resolve(".", &fact("../out")).is_err());
        assert!(resolve("frontend", &fact("..")).is_err());
        assert!(resolve(".", &fact("/srv/www")).is_err());
    }

    #[test]
    fn vite_is_not_vitepress() {
        assert!(runs_vite("vite build"));
        assert!(runs_vite("tsc && vite build --mode prod"));
        assert!(runs_vite("node_modules/.bin/vite build"));
        assert!(!runs_vite("vitepress build docs"));
        assert!(!runs_vite("vitest run"));
    }

    #[test]
    fn vite_configs_say_where_the_output_goes() {
        let o = vite_output(
            "vite.config.js",
            "export default {\n  build: {\n    manifest: true,\n    outDir: 'public/build',\n  },\n};\n",
        );
        assert_eq!(o.out_dir.unwrap().value, "public/build");
        assert!(o.manifest.unwrap().to_string().contains("line 3"));
        assert!(o.laravel.is_none());
        let o = vite_output(
            "vite.config.js",
            "import laravel from 'laravel-vite-plugin';\nexport default { plugins: [laravel({ input: ['a.js'], buildDirectory: 'assets' })] };\n",
        );
        assert_eq!(o.laravel.unwrap().value, "public/assets");
        assert!(o.manifest.is_none());
        // Named in a comment only: not used.
        let o = vite_output("v.js", "// like laravel-vite-plugin\nexport default {}\n");
        assert!(o.laravel.is_none());
        let o = vite_output("v.js", "build: { manifest: false }");
        assert!(o.manifest.is_none());
    }

    #[test]
    fn out_dir_flags_in_scripts() {
        let s = |t: &str| script_out_dir(&Fact::in_file(t.to_string(), "package.json", "x"));
        assert_eq!(
            s("vite build --outDir ../static").unwrap().value,
            "../static"
        );
        assert_eq!(s("vite build --outDir=dist/x").unwrap().value, "dist/x");
        assert!(s("vite build").is_none());
    }
}
