//! Writing: all or nothing, and never outside the project.
//!
//! - Every target is checked before anything is written: an existing file that
//!   is a FIFO, a device or a directory is refused; a target that is a symbolic
//!   link is refused unless `force` (and then the link itself is replaced by a
//!   regular file: the file it points to is never written); a target whose
//!   directory is a symbolic link is always refused.
//! - Each file is staged in a temporary file beside it, created exclusively
//!   (`O_EXCL`, so never through a planted symlink) under an unpredictable name
//!   by the `tempfile` crate, written and synced, keeping the old file's mode.
//! - When every temporary exists, a journal (`.dfgen-journal`, at the root)
//!   lists them with their targets; then they are renamed in the outputs'
//!   order, and the journal is removed. A run killed between two renames leaves
//!   the journal behind, and the next write in that directory first finishes
//!   those renames ([`recover`]): the directory holds the old set or the new
//!   set, never a mix, once dfgen has run there again.
//! - Concurrent runs in one directory take turns: the whole write, from the
//!   comparison with what is on disk to the last rename, holds a lock on the
//!   directory.
//! - SIGINT, SIGTERM and SIGHUP wait for a write in progress to finish (it
//!   takes milliseconds) and then exit 130: no temporary file outlives a
//!   signal, and no signal splits a set.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, Once};

use crate::error::{Error, Result, describe_io};
use crate::project::{kind_of, read_capped};
use crate::render::Output;

/// The journal of a write in progress, at the root of the directory written to.
pub const JOURNAL: &str = ".dfgen-journal";
/// Existing outputs larger than this are not read: they differ from anything dfgen writes.
pub const OUTPUT_CAP: u64 = 1024 * 1024;
/// Test hook: abort (as a crash or SIGKILL would) after this many renames.
pub const CRASH_HOOK: &str = "DFGEN_TEST_CRASH_AFTER_RENAMES";
/// Test hook: sleep this many milliseconds after the first rename, so a test
/// can send a signal while a set is half renamed.
pub const PAUSE_HOOK: &str = "DFGEN_TEST_PAUSE_AFTER_FIRST_RENAME_MS";

const TMP_SUFFIX: &str = ".dfgen.tmp";

/// Held for the whole of a write (staging and renames); the signal handler
/// takes it before exiting, so a signal waits for the write to finish.
static WRITING: Mutex<()> = Mutex::new(());
static HANDLER: Once = Once::new();
/// Set by a signal handler waiting in [`pause_writes`]: the write in progress
/// finishes, then leaves the exit to the handler.
static SIGNALLED: AtomicBool = AtomicBool::new(false);

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

/// Blocks until no write is in progress and keeps new ones from starting
/// while the guard lives. A signal handler that exits the process takes this
/// first, so it never exits between two renames.
/// For signal handlers only: the caller is expected to exit.
pub fn pause_writes() -> MutexGuard<'static, ()> {
    SIGNALLED.store(true, Ordering::SeqCst);
    writing()
}

fn writing() -> MutexGuard<'static, ()> {
    WRITING.lock().unwrap_or_else(|e| e.into_inner())
}

/// After a write: when a signal came during it, the handler (waiting for the
/// lock just released) exits the process; this thread only waits for that.
fn yield_to_signal() {
    if SIGNALLED.load(Ordering::SeqCst) {
        loop {
            std::thread::park();
        }
    }
}

/// Installs the SIGINT/SIGTERM/SIGHUP handler (once; a no-op when the caller
/// already installed one, which must then call [`pause_writes`] itself).
fn install_signal_handler() {
    HANDLER.call_once(|| {
        let _ = ctrlc::try_set_handler(|| {
            let _guard = pause_writes();
            eprintln!("\ninterrupted");
            std::process::exit(130);
        });
    });
}

/// Whether a write was interrupted here and its journal awaits [`recover`]
/// (anything at the journal's name counts: recovery will judge it).
pub fn interrupted(root: &Path) -> bool {
    fs::symlink_metadata(root.join(JOURNAL)).is_ok()
}

/// What would happen to each output, without writing. Same as
/// [`check`] without `force`: a symlinked target is an error.
pub fn statuses(root: &Path, outputs: &[Output]) -> Result<Vec<(String, Status)>> {
    check(root, outputs, false)
}

/// What would happen to each output, without writing; errors for targets
/// dfgen will not replace (see the module doc). With `force`, a symlinked
/// target is reported as overwritten: the link itself will be replaced.
pub fn check(root: &Path, outputs: &[Output], force: bool) -> Result<Vec<(String, Status)>> {
    outputs
        .iter()
        .map(|o| Ok((o.path.clone(), status(root, o, force)?)))
        .collect()
}

fn status(root: &Path, o: &Output, force: bool) -> Result<Status> {
    let target = target_path(root, &o.path)?;
    let meta = match fs::symlink_metadata(&target) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Status::Created),
        Err(e) => return Err(Error::io(&o.path, &e)),
    };
    if meta.file_type().is_symlink() {
        if force {
            return Ok(Status::Overwritten);
        }
        let to = fs::read_link(&target)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| "?".into());
        return Err(Error::Refused(format!(
            "{} is a symbolic link to {to}; dfgen does not write through symbolic links, \
             so nothing was written. Pass --force to replace the link itself with a regular \
             file (the file it points to is left untouched)",
            o.path
        )));
    }
    if !meta.is_file() {
        return Err(Error::Refused(format!(
            "{} is {}, not a regular file; dfgen will not replace it, so nothing was written \
             (remove it first)",
            o.path,
            kind_of(&meta)
        )));
    }
    if meta.len() != o.content.len() as u64 {
        return Ok(Status::Overwritten);
    }
    let existing = read_capped(&target, &o.path, OUTPUT_CAP)?;
    Ok(if existing == o.content.as_bytes() {
        Status::Unchanged
    } else {
        Status::Overwritten
    })
}

/// The text of an existing output, for diffs: read like any file dfgen did
/// not write (regular file only, capped, symlinks not followed); empty when
/// it is absent or cannot be read that way.
pub fn existing(root: &Path, path: &str) -> String {
    target_path(root, path)
        .and_then(|t| read_capped(&t, path, OUTPUT_CAP))
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default()
}

/// `root/rel`, refused when `rel` is not a plain relative path or when a
/// directory on the way (below `root`) is a symbolic link.
fn target_path(root: &Path, rel: &str) -> Result<PathBuf> {
    let refuse = |why: String| Error::Refused(format!("{rel}: {why}; nothing was written"));
    let rel_path = Path::new(rel);
    if rel.is_empty()
        || !rel_path
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
    {
        return Err(refuse("is not a plain path inside the project".into()));
    }
    let mut dir = root.to_path_buf();
    let parents: Vec<_> = rel_path.components().collect();
    for c in &parents[..parents.len() - 1] {
        dir.push(c);
        match fs::symlink_metadata(&dir) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = fs::read_link(&dir)
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|_| "?".into());
                return Err(refuse(format!(
                    "its directory {} is a symbolic link to {to}; dfgen does not write \
                     through symbolic links",
                    dir.strip_prefix(root).unwrap_or(&dir).display()
                )));
            }
            Ok(m) if !m.is_dir() => {
                return Err(refuse(format!(
                    "{} is not a directory",
                    dir.strip_prefix(root).unwrap_or(&dir).display()
                )));
            }
            _ => {}
        }
    }
    Ok(root.join(rel_path))
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
/// First finishes a write an earlier run left half done (see [`recover`]).
pub fn write_all(root: &Path, outputs: &[Output], force: bool) -> Result<Vec<(String, Status)>> {
    install_signal_handler();
    let result = {
        let _writing = writing();
        write_locked(root, outputs, force)
    };
    yield_to_signal();
    result
}

fn write_locked(root: &Path, outputs: &[Output], force: bool) -> Result<Vec<(String, Status)>> {
    // One writer at a time per directory, from the comparison to the last
    // rename: a concurrent run cannot change a file between our deciding it
    // is unchanged and our renaming the rest.
    let _dir_lock = lock_dir(root)?;
    for path in recover(root)? {
        eprintln!("note: finished writing {path}, left half written by an interrupted run");
    }
    let plan = check(root, outputs, force)?;
    let conflicts: Vec<&str> = plan
        .iter()
        .filter(|(_, s)| *s == Status::Overwritten)
        .map(|(p, _)| p.as_str())
        .collect();
    if !force && !conflicts.is_empty() {
        return Err(refusal(&conflicts));
    }
    // Staged files delete themselves when dropped: an error (or a panic)
    // anywhere before the renames leaves no temporary behind.
    let mut staged: Vec<(tempfile::TempPath, PathBuf, String)> = Vec::new();
    for (o, (_, status)) in outputs.iter().zip(&plan) {
        if *status == Status::Unchanged {
            continue;
        }
        let target = target_path(root, &o.path)?;
        let tmp = stage(&target, &o.path, o.content.as_bytes())?;
        staged.push((tmp, target, o.path.clone()));
    }
    if staged.is_empty() {
        return Ok(plan);
    }
    let journal = Journal::create(
        root,
        &staged
            .iter()
            .map(|(tmp, _, rel)| (relative(root, tmp), rel.clone()))
            .collect::<Vec<_>>(),
    )?;
    let crash_after: Option<usize> = std::env::var(CRASH_HOOK).ok().and_then(|v| v.parse().ok());
    let pause_ms: Option<u64> = std::env::var(PAUSE_HOOK).ok().and_then(|v| v.parse().ok());
    let mut staged = staged.into_iter().enumerate();
    while let Some((i, (tmp, target, rel))) = staged.next() {
        if crash_after == Some(i) {
            std::process::abort();
        }
        if let Err(e) = tmp.persist(&target) {
            // Half a set is on disk now: keep the rest staged, and the
            // journal, so the next run finishes the set instead of leaving
            // it mixed.
            let _ = e.path.keep();
            for (_, (rest, _, _)) in staged {
                let _ = rest.keep();
            }
            journal.keep();
            return Err(Error::Io {
                path: PathBuf::from(&rel),
                message: format!(
                    "cannot write: {}; the files before it were replaced, and {JOURNAL} \
                     lists the rest: the next dfgen run in this directory finishes them",
                    describe_io(&e.error)
                ),
            });
        }
        if i == 0
            && let Some(ms) = pause_ms
        {
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
    }
    journal.finish()?;
    Ok(plan)
}

/// `tmp` relative to `root`, with `/`.
fn relative(root: &Path, tmp: &Path) -> String {
    tmp.strip_prefix(root)
        .unwrap_or(tmp)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn stage(target: &Path, label: &str, bytes: &[u8]) -> Result<tempfile::TempPath> {
    let dir = target.parent().unwrap_or(Path::new("."));
    if !dir.exists() {
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, &e))?;
    }
    let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let io_err = |e: std::io::Error| Error::Io {
        path: PathBuf::from(label),
        message: format!("cannot write: {}", describe_io(&e)),
    };
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(TMP_SUFFIX);
    #[cfg(unix)]
    {
        // What File::create would give (0666 less the umask), not tempfile's 0600.
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut f = builder.tempfile_in(dir).map_err(io_err)?;
    f.write_all(bytes)
        .and_then(|()| f.as_file().sync_all())
        .map_err(io_err)?;
    // Keep the mode of the file being replaced (never of a symlink's target).
    if let Ok(meta) = fs::symlink_metadata(target)
        && meta.is_file()
    {
        let _ = f.as_file().set_permissions(meta.permissions());
    }
    Ok(f.into_temp_path())
}

/// The journal of one write: which temporary becomes which target. Written
/// (and synced) after every temporary is complete, removed after the last
/// rename; held locked (flock) while live, so a concurrent run waits instead
/// of taking it for the leftover of a crash.
struct Journal {
    path: PathBuf,
    file: fs::File,
}

impl Journal {
    fn create(root: &Path, entries: &[(String, String)]) -> Result<Journal> {
        let path = root.join(JOURNAL);
        let err = |e: std::io::Error| Error::Io {
            path: PathBuf::from(JOURNAL),
            message: format!("cannot write: {}", describe_io(&e)),
        };
        let mut text = String::from("# dfgen write journal: temporary file <TAB> target\n");
        for (tmp, target) in entries {
            text.push_str(&format!("{tmp}\t{target}\n"));
        }
        let mut tmp = tempfile::Builder::new()
            .prefix(".dfgen-journal.")
            .suffix(TMP_SUFFIX)
            .tempfile_in(root)
            .map_err(err)?;
        lock(tmp.as_file(), true).map_err(err)?;
        tmp.write_all(text.as_bytes())
            .and_then(|()| tmp.as_file().sync_all())
            .map_err(err)?;
        // Publish it under its fixed name only if no other journal is there
        // (rename without replacing, or link and unlink where the filesystem
        // lacks that): a live one (another dfgen writing here) is waited for,
        // a stale one (a crash) is finished first. The lock is on the open
        // file, so it holds under the new name.
        for _ in 0..3 {
            match tmp.persist_noclobber(&path) {
                Ok(file) => {
                    sync_dir(root);
                    return Ok(Journal { path, file });
                }
                Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
                    tmp = e.file;
                    recover(root)?;
                }
                Err(e) => return Err(err(e.error)),
            }
        }
        Err(Error::Refused(format!(
            "another dfgen keeps writing in {}; nothing was written",
            root.display()
        )))
    }

    /// Leaves the journal for [`recover`] (its lock goes with the handle).
    fn keep(self) {
        drop(self.file);
    }

    /// After the last rename: make the renames durable, then drop the journal.
    fn finish(self) -> Result<()> {
        let root = self.path.parent().unwrap_or(Path::new("."));
        sync_dir(root);
        fs::remove_file(&self.path).map_err(|e| Error::io(JOURNAL, &e))?;
        sync_dir(root);
        drop(self.file);
        Ok(())
    }
}

/// Finishes a write an interrupted run left in `root`: every temporary its
/// journal lists that is still there is renamed over its target, in order,
/// then the journal is removed. Waits (up to 10 s) while the journal belongs
/// to a dfgen that is still running. Returns the targets it completed.
/// Entries are checked: a target must be a plain path under `root` and its
/// temporary a regular file beside it named like dfgen's temporaries, so a
/// journal planted in a repository can do nothing a plain file could not.
pub fn recover(root: &Path) -> Result<Vec<String>> {
    let path = root.join(JOURNAL);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let file = loop {
        let meta = match fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io(JOURNAL, &e)),
        };
        if !meta.is_file() {
            return Err(Error::Refused(format!(
                "{JOURNAL} is {}, not dfgen's write journal; remove it",
                kind_of(&meta)
            )));
        }
        let file = match open_rw_no_follow(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(Error::io(JOURNAL, &e)),
        };
        if lock(&file, false).is_ok() {
            // Locked: ours now, unless its owner removed it meanwhile (and
            // maybe another run published a new one under the same name).
            if same_file(&file, &path) {
                break file;
            }
            continue;
        }
        if std::time::Instant::now() > deadline {
            return Err(Error::Refused(format!(
                "another dfgen is writing in {} ({JOURNAL} is locked); nothing was written",
                root.display()
            )));
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::Read::take(&file, 64 * 1024), &mut bytes)
        .map_err(|e| Error::io(JOURNAL, &e))?;
    let text = crate::project::text(JOURNAL, bytes)?;
    let mut done = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let Some((tmp, target)) = line.split_once('\t') else {
            continue;
        };
        let Ok(target_path) = target_path(root, target) else {
            continue;
        };
        let Ok(tmp_path) = target_path_of_tmp(root, tmp, target) else {
            continue;
        };
        match fs::symlink_metadata(&tmp_path) {
            Ok(m) if m.is_file() => {
                fs::rename(&tmp_path, &target_path).map_err(|e| Error::io(target, &e))?;
                done.push(target.to_string());
            }
            _ => {}
        }
    }
    sync_dir(root);
    fs::remove_file(&path).map_err(|e| Error::io(JOURNAL, &e))?;
    sync_dir(root);
    drop(file);
    Ok(done)
}

/// The temporary of a journal entry, when it is one dfgen could have made for `target`.
fn target_path_of_tmp(root: &Path, tmp: &str, target: &str) -> Result<PathBuf> {
    let bad = || Error::Refused(format!("{JOURNAL}: bad entry {tmp:?}"));
    let (tmp_dir, tmp_name) = tmp.rsplit_once('/').unwrap_or(("", tmp));
    let (target_dir, target_name) = target.rsplit_once('/').unwrap_or(("", target));
    if tmp_dir != target_dir
        || !tmp_name.starts_with(&format!(".{target_name}."))
        || !tmp_name.ends_with(TMP_SUFFIX)
        || tmp_name.contains('/')
    {
        return Err(bad());
    }
    target_path(root, tmp)
}

/// Whether `path` still names the file `file` was opened from.
fn same_file(file: &fs::File, path: &Path) -> bool {
    let (Ok(a), Ok(b)) = (file.metadata(), fs::symlink_metadata(path)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        a.dev() == b.dev() && a.ino() == b.ino()
    }
    #[cfg(not(unix))]
    {
        a.len() == b.len()
    }
}

#[cfg(unix)]
fn open_rw_no_follow(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_rw_no_follow(path: &Path) -> std::io::Result<fs::File> {
    fs::OpenOptions::new().read(true).write(true).open(path)
}

/// An exclusive advisory lock; `wait` false → fails at once when held.
#[cfg(unix)]
fn lock(file: &fs::File, wait: bool) -> std::io::Result<()> {
    use std::os::unix::io::AsRawFd;
    let op = libc::LOCK_EX | if wait { 0 } else { libc::LOCK_NB };
    // SAFETY: flock on a file descriptor we own; no memory is involved.
    if unsafe { libc::flock(file.as_raw_fd(), op) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(unix))]
fn lock(_file: &fs::File, _wait: bool) -> std::io::Result<()> {
    Ok(())
}

/// An exclusive lock on the directory itself (flock on its descriptor),
/// released when the returned handle is dropped. Best effort where a
/// directory cannot be opened or locked (then the journal's lock remains).
fn lock_dir(root: &Path) -> Result<Option<fs::File>> {
    #[cfg(unix)]
    {
        let Ok(dir) = fs::File::open(root) else {
            return Ok(None);
        };
        match lock(&dir, true) {
            Ok(()) => Ok(Some(dir)),
            Err(_) => Ok(None),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = root;
        Ok(None)
    }
}

/// Makes renames in `dir` durable (best effort: not every platform can).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
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
