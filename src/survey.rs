//! What a directory holds when no supported ecosystem is found in it, so the
//! error says what was found instead of only what was looked for: another
//! language's manifest, an empty directory, or a monorepo root whose apps
//! live in subfolders.

use crate::ecosystems::REGISTRY;
use crate::project::{self, Project};

/// Manifests of languages dfgen has no ecosystem for (yet), by file name.
const OTHER_LANGUAGES: &[(&str, &str)] = &[
    ("mix.exs", "Elixir"),
    ("pubspec.yaml", "Dart"),
    ("Package.swift", "Swift"),
    ("stack.yaml", "Haskell"),
    ("CMakeLists.txt", "C/C++, CMake"),
    ("build.sbt", "Scala"),
];

/// Folders where monorepos keep their apps; their children are looked at too.
const APP_FOLDERS: &[&str] = &["apps", "services", "packages", "cmd", "backend", "frontend"];

/// The message for a directory where no ecosystem's manifest was found.
pub fn nothing_found(p: &Project) -> String {
    let looked_for = REGISTRY
        .iter()
        .map(|e| e.manifests())
        .collect::<Vec<_>>()
        .join(", ");
    let top = p.list("").unwrap_or_default();
    let mut found: Vec<String> = Vec::new();
    for e in &top {
        if e.is_dir {
            continue;
        }
        if let Some((_, lang)) = OTHER_LANGUAGES.iter().find(|(f, _)| *f == e.name) {
            found.push(format!("found {} ({lang}): not supported yet", e.name));
        } else if e.name.ends_with(".csproj") || e.name.ends_with(".sln") {
            found.push(format!("found {} (.NET): not supported yet", e.name));
        }
    }
    let apps = app_folders(p, &top);
    if !apps.is_empty() {
        found.push(format!(
            "this looks like a monorepo root with apps in {}: run dfgen in one of them \
             (e.g. `dfgen init {}`)",
            apps.join(", "),
            apps[0]
        ));
    }
    if found.is_empty() && top.iter().all(|e| e.name.starts_with('.')) {
        found.push("the directory looks empty".into());
    }
    let mut msg = format!(
        "no supported project in {}: looked for {looked_for} at its top level",
        p.root().display()
    );
    for f in found {
        msg.push_str("\n  - ");
        msg.push_str(&f);
    }
    msg
}

/// Subfolders (one level down, and inside the usual app folders) that hold a
/// manifest of a supported ecosystem.
fn app_folders(p: &Project, top: &[project::DirEntry]) -> Vec<String> {
    let manifests = [
        "go.mod",
        "package.json",
        "pyproject.toml",
        "requirements.txt",
        "Cargo.toml",
        "deno.json",
        "deno.jsonc",
        "composer.json",
        "Gemfile",
        "pom.xml",
        "build.gradle",
        "build.gradle.kts",
    ];
    let holds_app = |dir: &str| manifests.iter().any(|m| p.has_file(&project::join(dir, m)));
    let mut out = Vec::new();
    for e in top
        .iter()
        .filter(|e| e.is_dir && !project::is_skipped_dir(&e.name))
    {
        if holds_app(&e.name) {
            out.push(e.name.clone());
        } else if APP_FOLDERS.contains(&e.name.as_str()) {
            for child in p.list(&e.name).unwrap_or_default() {
                let dir = project::join(&e.name, &child.name);
                if child.is_dir && !project::is_skipped_dir(&child.name) && holds_app(&dir) {
                    out.push(dir);
                }
            }
        }
        if out.len() >= 8 {
            break;
        }
    }
    out
}
