//! dfgen: detect a project, plan its container image, render the Dockerfile.
//!
//! The pipeline, one module per step: [`project`] (reading the user's files
//! safely) → [`detect`] (per-ecosystem detectors) → [`plan`] (one typed plan
//! with evidence) → [`render`] (Tera templates) → [`write`] (atomic writes).

pub mod assets;
pub mod cli;
pub mod config;
pub mod detect;
pub mod diff;
pub mod error;
pub mod evidence;
pub mod pipeline;
pub mod plan;
pub mod preset;
pub mod project;
pub mod render;
pub mod safe;
pub mod version;
pub mod wizard;
pub mod write;
mod yaml;
