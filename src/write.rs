//! Writing: all or nothing. Every target is checked before anything is
//! written; each file is written to a temporary file beside it and renamed
//! over the target only when all temporaries exist, keeping the file's mode.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result, describe_io};
use crate::render::Output;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Created,
    Unchanged,
    Overwritten,
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // pad, not write_str: callers align columns with `{:<11}`.
        f.pad(match self {
            Status::Created => "created",
            Status::Unchanged => "unchanged",
            Status::Overwritten => "overwritten",
        })
    }
}

/// What would happen to each output, without writing.
pub fn statuses(root: &Path, outputs: &[Output]) -> Result<Vec<(String, Status)>> {
    outputs
        .iter()
        .map(|o| {
            let path = root.join(&o.path);
            let status = match fs::read(&path) {
                Ok(existing) if existing == o.content.as_bytes() => Status::Unchanged,
                Ok(_) => Status::Overwritten,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Status::Created,
                Err(e) => return Err(Error::io(&o.path, &e)),
            };
            Ok((o.path.clone(), status))
        })
        .collect()
}

/// The error for files that exist, differ, and may not be overwritten.
pub fn refusal(paths: &[impl AsRef<str>]) -> Error {
    let one = paths.len() == 1;
    Error::Refused(format!(
        "{} already exist{} and differ{} from what dfgen would write; nothing was written. \
         Pass --force to overwrite (`dfgen init --dry-run` shows the new content)",
        paths
            .iter()
            .map(AsRef::as_ref)
            .collect::<Vec<_>>()
            .join(", "),
        if one { "s" } else { "" },
        if one { "s" } else { "" },
    ))
}

/// Writes the outputs; refuses (writing nothing) when one would replace a
/// different existing file and `force` is off. Identical files are left alone.
pub fn write_all(root: &Path, outputs: &[Output], force: bool) -> Result<Vec<(String, Status)>> {
    let plan = statuses(root, outputs)?;
    let conflicts: Vec<&str> = plan
        .iter()
        .filter(|(_, s)| *s == Status::Overwritten)
        .map(|(p, _)| p.as_str())
        .collect();
    if !force && !conflicts.is_empty() {
        return Err(refusal(&conflicts));
    }
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let result = (|| {
        for (o, (_, status)) in outputs.iter().zip(&plan) {
            if *status == Status::Unchanged {
                continue;
            }
            let target = root.join(&o.path);
            let tmp = stage(&target, &o.path, o.content.as_bytes())?;
            staged.push((tmp, target));
        }
        for (tmp, target) in &staged {
            fs::rename(tmp, target).map_err(|e| Error::io(target, &e))?;
        }
        Ok(())
    })();
    if result.is_err() {
        for (tmp, _) in &staged {
            let _ = fs::remove_file(tmp);
        }
    }
    result.map(|()| plan)
}

fn stage(target: &Path, label: &str, bytes: &[u8]) -> Result<PathBuf> {
    let dir = target.parent().unwrap_or(Path::new("."));
    if !dir.exists() {
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, &e))?;
    }
    let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let tmp = dir.join(format!(".{name}.dfgen-{}.tmp", std::process::id()));
    let io_err = |e: std::io::Error| Error::Io {
        path: PathBuf::from(label),
        message: format!("cannot write: {}", describe_io(&e)),
    };
    let mut f = fs::File::create(&tmp).map_err(io_err)?;
    let written = f.write_all(bytes).and_then(|()| f.sync_all());
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(io_err(e));
    }
    if let Ok(meta) = fs::metadata(target) {
        let _ = fs::set_permissions(&tmp, meta.permissions());
    }
    Ok(tmp)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(path: &str, content: &str) -> Output {
        Output {
            path: path.into(),
            content: content.into(),
        }
    }

    #[test]
    fn refuses_without_force_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("Dockerfile"), "mine\n").unwrap();
        let outs = [out(".dockerignore", "x\n"), out("Dockerfile", "new\n")];
        let e = write_all(dir.path(), &outs, false).unwrap_err().to_string();
        assert!(e.contains("Dockerfile") && e.contains("--force"), "{e}");
        assert!(!dir.path().join(".dockerignore").exists());
        assert_eq!(
            fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
            "mine\n"
        );
    }

    #[cfg(unix)]
    #[test]
    fn force_overwrites_keeping_permissions_and_identical_is_unchanged() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("Dockerfile");
        fs::write(&target, "old\n").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o640)).unwrap();
        let outs = [out("Dockerfile", "new\n")];
        let st = write_all(dir.path(), &outs, true).unwrap();
        assert_eq!(st[0].1, Status::Overwritten);
        assert_eq!(fs::read_to_string(&target).unwrap(), "new\n");
        assert_eq!(
            fs::metadata(&target).unwrap().permissions().mode() & 0o777,
            0o640
        );
        let st = write_all(dir.path(), &outs, false).unwrap();
        assert_eq!(st[0].1, Status::Unchanged);
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(leftovers.len(), 1, "no temporary files left behind");
    }
}
