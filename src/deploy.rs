//! Evidence from the project's own deployment files. Placeholder replaced in the next commit.
#[derive(Debug, Clone, Default)]
pub struct Deployment {}
pub fn read(_p: &crate::project::Project) -> crate::error::Result<Deployment> {
    Ok(Deployment::default())
}
