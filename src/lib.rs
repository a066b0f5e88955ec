//! dfgen: detect a project, plan its container image, render the Dockerfile.
//!
//! The pipeline, one module per step: [`project`] (reading the user's files
//! safely) → [`ecosystems`] (one folder per ecosystem: its detector and its
//! planner; the registry decides which one the project is) and [`deploy`] (the
//! project's own deployment files) → [`plan`] (one typed plan with evidence)
//! → [`render`] (Tera templates) → [`write`] (atomic writes). The shared core
//! beside them: [`evidence`], [`version`], [`ports`], [`safe`], [`formats`].

pub mod assets;
pub mod cli;
pub mod config;
pub mod deploy;
pub mod diff;
pub mod ecosystems;
pub mod error;
pub mod evidence;
pub mod formats;
pub mod pipeline;
pub mod plan;
pub mod ports;
pub mod preset;
pub mod project;
pub mod render;
pub mod safe;
pub mod survey;
pub mod version;
pub mod wizard;
pub mod write;
mod yaml;
