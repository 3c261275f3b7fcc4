//! Writing a generation: only the files that differ, each one written to a temporary
//! file in its own directory and renamed over its target, the lock last.
//!
//! What this buys:
//!
//! - **Unchanged files are not touched** (bytes and mtimes stay), so cargo rebuilds
//!   nothing it does not have to, and a run that changes nothing writes nothing.
//! - **No file is ever half-written**: every new file is first written to a temporary
//!   file beside its target and synced; only when all of them are written are they
//!   renamed over their targets, one rename each. A crash before that point leaves the
//!   tree untouched; only a crash during the renames (about a millisecond for a whole
//!   Chat generation) leaves it mixed.
//! - **A crash leaves a tree the next run recognises and repairs.** Files are written in
//!   the order of the targets, and the caller puts `generated/lock.json` in the last
//!   one; stale files are removed only after that, so the lock never names a file that
//!   is gone. A crash (even `kill -9`) partway leaves "some files new, the lock old"
//!   (or "the lock new, some stale files left"):
//!   `cargo xtask check` then names the files that differ from the locked generation and
//!   `cargo xtask check --fix` (or re-running the regen) brings the tree back to one
//!   generation. Temporary files a crash leaves (`.NAME.regen-tmp-PID`), and the
//!   staging folders of the earlier transactional writer (`.gen.regen-PID`,
//!   `.generated.regen-PID`), are found and removed by the next run; they are
//!   git-ignored meanwhile.
//! - **An error is undone**: the bytes of every file a run replaces or removes are kept
//!   in memory (they were read anyway to compare), and when a write fails the files
//!   already written are put back the same way. Only if putting back fails too is the
//!   tree left mixed, and the error says how to repair it.
//!
//! Environment variables let tests stand in for a crash or a failing disk, at the point
//! right before step N + 1 of phase 2 (the renames, the lock's last, then the removals of
//! stale files; all temporary files are written by then):
//! with `XTASK_FAULT_AFTER_WRITES=N` the process exits there (as if killed, nothing is
//! cleaned up); with `XTASK_FAULT_PAUSE_AFTER_WRITES=N` it prints a line to stderr and
//! waits, so that a test can kill it for real; with `XTASK_FAULT_ERROR_AFTER_WRITES=N`
//! that rename fails with an I/O error (and is undone like any other failure).

use std::collections::BTreeSet;
use std::fs;
use std::io::{ErrorKind, Write as _};
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use codegen::GeneratedFile;

/// Exits the process after this many steps of phase 2 (a test hook, see the module docs).
pub const FAULT_AFTER_WRITES_VAR: &str = "XTASK_FAULT_AFTER_WRITES";
/// Pauses the process after this many steps of phase 2 (a test hook, see the module docs).
pub const FAULT_PAUSE_AFTER_WRITES_VAR: &str = "XTASK_FAULT_PAUSE_AFTER_WRITES";
/// Fails step N + 1 of phase 2 with an I/O error (a test hook, see the module docs).
pub const FAULT_ERROR_AFTER_WRITES_VAR: &str = "XTASK_FAULT_ERROR_AFTER_WRITES";
/// The exit code of a simulated crash.
pub const FAULT_EXIT_CODE: i32 = 86;
/// The marker in the names of temporary files (`.NAME.regen-tmp-PID`).
const TMP_MARKER: &str = ".regen-tmp-";

/// A directory to bring to a given content.
#[derive(Debug, Clone)]
pub struct Target {
    /// The directory.
    pub root: PathBuf,
    /// How it is named in messages (e.g. `chat-api/src/gen`).
    pub shown: String,
    /// Its files, paths relative to `root` with `/` separators.
    pub files: Vec<GeneratedFile>,
    /// Whether the directory holds exactly `files` (other files are stale and removed) or
    /// may hold other files too, which are left alone.
    pub exact: bool,
}

/// What happens to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A new file.
    Added,
    /// An existing file gets new contents.
    Modified,
    /// A stale file is removed.
    Removed,
}

impl Kind {
    /// For messages.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Added => "added",
            Kind::Modified => "changed",
            Kind::Removed => "removed",
        }
    }
}

/// One changed file, for the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// What happens to it.
    pub kind: Kind,
    /// The file as shown to people (`{target shown}/{relative path}`).
    pub shown: String,
}

/// One planned file change.
#[derive(Debug, Clone)]
struct Op {
    kind: Kind,
    /// Index of the target the file belongs to.
    target: usize,
    /// Path relative to the target's root.
    rel: PathBuf,
    /// New contents (`None` for a removal).
    contents: Option<String>,
    /// The bytes on disk before (`None` for an added file), to undo the change.
    old: Option<Vec<u8>>,
}

/// The changes that bring the targets to their contents, and what earlier runs left.
#[derive(Debug, Clone)]
pub struct Plan {
    targets: Vec<Target>,
    ops: Vec<Op>,
    /// Temporary files and staging folders of interrupted runs, and empty folders in
    /// exact targets, with how they are shown.
    leftovers: Vec<(PathBuf, String)>,
}

impl Plan {
    /// Compares `targets` with the files on disk, and finds what interrupted runs left.
    ///
    /// # Errors
    ///
    /// When a file or directory exists but cannot be read, or a file's path is not a
    /// plain relative path inside its target (`..`, an absolute path).
    pub fn new(targets: Vec<Target>) -> anyhow::Result<Plan> {
        let mut ops = Vec::new();
        let mut leftovers = Vec::new();
        for (index, target) in targets.iter().enumerate() {
            let listing = list(&target.root)?;
            for rel in &listing.temporary {
                leftovers.push((target.root.join(rel), shown(target, rel)));
            }
            for rel in listing.empty_dirs.iter().filter(|_| target.exact) {
                leftovers.push((target.root.join(rel), format!("{}/", shown(target, rel))));
            }
            leftovers.extend(staging_leftovers(target)?);
            let mut expected = BTreeSet::new();
            for file in &target.files {
                let rel = PathBuf::from(&file.path);
                let plain = rel.components().next().is_some()
                    && rel
                        .components()
                        .all(|c| matches!(c, std::path::Component::Normal(_)));
                if !plain {
                    anyhow::bail!(
                        "refusing to write {:?}: not a plain relative path inside {}",
                        file.path,
                        target.root.display()
                    );
                }
                let path = target.root.join(&rel);
                let (kind, old) = match fs::read(&path) {
                    Ok(bytes) if bytes == file.contents.as_bytes() => (None, None),
                    Ok(bytes) => (Some(Kind::Modified), Some(bytes)),
                    // Under a file that is in the way: to be added (and writing it fails).
                    Err(err)
                        if matches!(err.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) =>
                    {
                        (Some(Kind::Added), None)
                    }
                    Err(err) => {
                        return Err(err).with_context(|| format!("cannot read {}", path.display()));
                    }
                };
                if let Some(kind) = kind {
                    ops.push(Op {
                        kind,
                        target: index,
                        rel: rel.clone(),
                        contents: Some(file.contents.clone()),
                        old,
                    });
                }
                expected.insert(rel);
            }
            if target.exact {
                for rel in listing.files {
                    if !expected.contains(&rel) {
                        let path = target.root.join(&rel);
                        let old = fs::read(&path)
                            .with_context(|| format!("cannot read {}", path.display()))?;
                        ops.push(Op {
                            kind: Kind::Removed,
                            target: index,
                            rel,
                            contents: None,
                            old: Some(old),
                        });
                    }
                }
            }
        }
        leftovers.sort();
        leftovers.dedup();
        Ok(Plan {
            targets,
            ops,
            leftovers,
        })
    }

    /// Whether the files on disk already are what the targets say (leftovers of
    /// interrupted runs aside).
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// The planned changes, in order.
    pub fn changes(&self) -> Vec<FileChange> {
        self.ops
            .iter()
            .map(|op| FileChange {
                kind: op.kind,
                shown: shown(&self.targets[op.target], &op.rel),
            })
            .collect()
    }

    /// What interrupted runs left (temporary files, staging folders, empty folders),
    /// as shown to people; [`Plan::commit`] removes them.
    pub fn leftovers(&self) -> Vec<String> {
        self.leftovers.iter().map(|(_, s)| s.clone()).collect()
    }

    /// Removes the leftovers, then writes the changes: first every new file into a
    /// synced temporary file beside its target, then the renames (and removals) in
    /// order, the last target (the lock) last. See the module docs.
    ///
    /// # Errors
    ///
    /// When a write fails: the files written so far are put back, and the error says
    /// so; if putting one back fails too, the error names it and how to repair.
    pub fn commit(self) -> anyhow::Result<()> {
        for (path, shown) in &self.leftovers {
            let removed = if path.is_dir() {
                fs::remove_dir_all(path)
            } else {
                fs::remove_file(path)
            };
            match removed {
                Ok(()) => {}
                Err(err) if err.kind() == ErrorKind::NotFound => {}
                Err(err) => eprintln!("warning: cannot remove the leftover {shown}: {err}"),
            }
        }
        if self.ops.is_empty() {
            return Ok(());
        }

        // Phase 1: the bytes. A crash or an error here leaves the tree untouched (and
        // temporary files, which the next run removes).
        let mut staged: Vec<Option<Staged>> = Vec::with_capacity(self.ops.len());
        for op in &self.ops {
            let Some(contents) = &op.contents else {
                staged.push(None);
                continue;
            };
            let path = self.targets[op.target].root.join(&op.rel);
            match stage(&path, contents.as_bytes()) {
                Ok(stage) => staged.push(Some(stage)),
                Err(err) => {
                    discard(staged.into_iter().flatten());
                    return Err(err.context("nothing was changed"));
                }
            }
        }

        // Phase 2: the renames in order, the lock last, and only then the removals of
        // stale files. Only a crash here leaves a mixed tree, and every such tree is one
        // that `check --fix` repairs: before the lock's rename, the old lock names files
        // that all still exist (a locked document that goes is removed only after the
        // new lock is in place); after it, only stale files are left, which the new
        // lock's generation removes.
        let order: Vec<usize> = (0..self.ops.len())
            .filter(|&i| staged[i].is_some())
            .chain((0..self.ops.len()).filter(|&i| staged[i].is_none()))
            .collect();
        let fault = Fault::from_env();
        let mut done: Vec<usize> = Vec::new();
        let mut touched: BTreeSet<PathBuf> = BTreeSet::new();
        let mut failed = None;
        for (step, &index) in order.iter().enumerate() {
            let op = &self.ops[index];
            let path = self.targets[op.target].root.join(&op.rel);
            if let Some(parent) = path.parent() {
                touched.insert(parent.to_path_buf());
            }
            let result = fault
                .at(step)
                .with_context(|| format!("cannot write {}", path.display()))
                .and_then(|()| match &staged[index] {
                    Some(stage) => put(&stage.tmp, &path),
                    None => fs::remove_file(&path)
                        .with_context(|| format!("cannot remove the stale {}", path.display())),
                });
            if let Err(err) = result {
                failed = Some(err);
                break;
            }
            done.push(index);
            // Before the next target (the lock is the last one written), what this one
            // wrote is made durable.
            let next = order.get(step + 1).map(|&next| self.ops[next].target);
            if next != Some(op.target) {
                self.remove_emptied_dirs(op.target);
                for dir in std::mem::take(&mut touched) {
                    sync_dir(&dir);
                }
            }
        }
        let Some(err) = failed else {
            return Ok(());
        };
        let failures = self.undo(&done);
        // Temporary files not renamed yet, then the folders created for them (those that
        // are empty again).
        discard(staged.into_iter().flatten());
        if failures.is_empty() {
            Err(err.context("nothing was changed (every file written so far was put back)"))
        } else {
            Err(err.context(format!(
                "the tree is now partly rewritten, and these could not be put back: {}; \
                 repair it with `cargo xtask check --fix` (the locked generation) or by \
                 running the regen again",
                failures.join("; ")
            )))
        }
    }

    /// Undoes the ops `done`, newest first; returns what could not be undone.
    fn undo(&self, done: &[usize]) -> Vec<String> {
        let mut failures = Vec::new();
        for &index in done.iter().rev() {
            let op = &self.ops[index];
            let path = self.targets[op.target].root.join(&op.rel);
            let undone = match &op.old {
                Some(old) => stage(&path, old).and_then(|stage| put(&stage.tmp, &path)),
                None => fs::remove_file(&path)
                    .with_context(|| format!("cannot remove {}", path.display())),
            };
            if let Err(err) = undone {
                failures.push(format!("{}: {err:#}", path.display()));
            }
        }
        failures
    }

    /// Removes directories of an exact target that removing stale files left empty.
    fn remove_emptied_dirs(&self, target: usize) {
        let root = &self.targets[target].root;
        for op in self
            .ops
            .iter()
            .filter(|op| op.target == target && op.kind == Kind::Removed)
        {
            let mut dir = root.join(&op.rel);
            while dir.pop() && dir.starts_with(root) && dir != *root {
                // Fails (and stops) at the first directory that is not empty.
                if fs::remove_dir(&dir).is_err() {
                    break;
                }
            }
        }
    }
}

/// A new file's bytes in a temporary file beside it, and the directories created for it
/// (outermost first).
#[derive(Debug)]
struct Staged {
    tmp: PathBuf,
    created: Vec<PathBuf>,
}

/// Removes the temporary files of `staged` that were not renamed (those that were are
/// gone already), then the directories created for them that are empty.
fn discard(staged: impl DoubleEndedIterator<Item = Staged>) {
    for stage in staged.rev() {
        let _ = fs::remove_file(&stage.tmp);
        for dir in stage.created.iter().rev() {
            // Fails, harmlessly, when the directory holds files again.
            let _ = fs::remove_dir(dir);
        }
    }
}

/// `{target shown}/{rel}` with `/` separators.
fn shown(target: &Target, rel: &Path) -> String {
    format!(
        "{}/{}",
        target.shown,
        rel.display().to_string().replace('\\', "/")
    )
}

/// Writes `bytes` to a synced temporary file beside `path` (`.NAME.regen-tmp-PID`),
/// creating missing directories.
fn stage(path: &Path, bytes: &[u8]) -> anyhow::Result<Staged> {
    let parent = path
        .parent()
        .with_context(|| format!("{} has no parent directory", path.display()))?;
    let name = path
        .file_name()
        .with_context(|| format!("{} has no file name", path.display()))?
        .to_string_lossy();
    let created = create_dirs(parent)?;
    let tmp = parent.join(format!(".{name}{TMP_MARKER}{}", std::process::id()));
    let written = fs::File::create(&tmp).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    if let Err(err) = written {
        let _ = fs::remove_file(&tmp);
        for dir in created.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
        return Err(err).with_context(|| format!("cannot write {}", tmp.display()));
    }
    Ok(Staged { tmp, created })
}

/// Renames the temporary file `tmp` over `path`.
fn put(tmp: &Path, path: &Path) -> anyhow::Result<()> {
    fs::rename(tmp, path).with_context(|| {
        format!(
            "cannot write {} (renaming {} over it)",
            path.display(),
            tmp.display()
        )
    })
}

/// Creates `dir` and its missing ancestors; returns those created, outermost first.
fn create_dirs(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut missing = Vec::new();
    let mut at = dir;
    while !at.exists() {
        missing.push(at.to_path_buf());
        match at.parent() {
            Some(parent) => at = parent,
            None => break,
        }
    }
    missing.reverse();
    for (i, dir) in missing.iter().enumerate() {
        if let Err(err) = fs::create_dir(dir) {
            for made in missing[..i].iter().rev() {
                let _ = fs::remove_dir(made);
            }
            return Err(err).with_context(|| format!("cannot create {}", dir.display()));
        }
    }
    Ok(missing)
}

/// Makes the renames in `dir` durable where the platform allows it (best effort: a
/// crash of the process alone loses nothing either way).
fn sync_dir(dir: &Path) {
    if let Ok(handle) = fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}

/// The test hooks standing in for a crash (see the module docs).
#[derive(Debug, Clone, Copy)]
enum Fault {
    None,
    Exit(usize),
    Pause(usize),
    Error(usize),
}

impl Fault {
    fn from_env() -> Fault {
        let read = |var: &str| {
            std::env::var(var)
                .ok()
                .and_then(|v| v.trim().parse::<usize>().ok())
        };
        if let Some(n) = read(FAULT_AFTER_WRITES_VAR) {
            Fault::Exit(n)
        } else if let Some(n) = read(FAULT_PAUSE_AFTER_WRITES_VAR) {
            Fault::Pause(n)
        } else if let Some(n) = read(FAULT_ERROR_AFTER_WRITES_VAR) {
            Fault::Error(n)
        } else {
            Fault::None
        }
    }

    /// Called before step number `steps + 1` of phase 2.
    fn at(self, steps: usize) -> std::io::Result<()> {
        match self {
            Fault::Exit(n) if n == steps => {
                eprintln!("{FAULT_AFTER_WRITES_VAR}={n}: exiting as if killed");
                std::process::exit(FAULT_EXIT_CODE);
            }
            Fault::Pause(n) if n == steps => {
                eprintln!("{FAULT_PAUSE_AFTER_WRITES_VAR}={n}: paused, waiting to be killed");
                loop {
                    std::thread::sleep(std::time::Duration::from_secs(3600));
                }
            }
            Fault::Error(n) if n == steps => Err(std::io::Error::other(format!(
                "{FAULT_ERROR_AFTER_WRITES_VAR}={n}: simulated I/O error"
            ))),
            _ => Ok(()),
        }
    }
}

/// The files of a directory tree, relative to it and sorted, with the temporary files of
/// interrupted runs and the empty directories apart.
#[derive(Debug, Default)]
struct Listing {
    files: Vec<PathBuf>,
    temporary: Vec<PathBuf>,
    empty_dirs: Vec<PathBuf>,
}

/// Lists `dir` (nothing when it does not exist).
fn list(dir: &Path) -> anyhow::Result<Listing> {
    let mut listing = Listing::default();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let here = dir.join(&rel);
        let entries = match fs::read_dir(&here) {
            Ok(entries) => entries,
            Err(err) if err.kind() == ErrorKind::NotFound => continue,
            Err(err) => return Err(err).with_context(|| format!("cannot list {}", here.display())),
        };
        let mut empty = true;
        for entry in entries {
            empty = false;
            let entry = entry.with_context(|| format!("cannot list {}", here.display()))?;
            let path = rel.join(entry.file_name());
            let kind = entry
                .file_type()
                .with_context(|| format!("cannot stat {}", dir.join(&path).display()))?;
            if kind.is_dir() {
                stack.push(path);
            } else if let Some(stale) = temporary(&entry.file_name().to_string_lossy()) {
                // A running regen's temporary file is neither ours nor stale.
                if stale {
                    listing.temporary.push(path);
                }
            } else {
                listing.files.push(path);
            }
        }
        if empty && !rel.as_os_str().is_empty() {
            listing.empty_dirs.push(rel);
        }
    }
    listing.files.sort();
    listing.temporary.sort();
    listing.empty_dirs.sort();
    Ok(listing)
}

/// Whether `name` is a temporary file of a regen: `Some(true)` when that run is no longer
/// running, `Some(false)` when it is (this one included), `None` for other names.
fn temporary(name: &str) -> Option<bool> {
    let pid = name
        .strip_prefix('.')?
        .rsplit_once(TMP_MARKER)?
        .1
        .parse::<u32>()
        .ok()?;
    Some(!running(pid))
}

/// Staging folders of the earlier transactional writer beside `target`
/// (`.gen.regen-PID`, and `.gen.new-PID` / `.gen.old-PID` of the older `write_tree`),
/// of runs that are no longer running.
fn staging_leftovers(target: &Target) -> anyhow::Result<Vec<(PathBuf, String)>> {
    let (Some(parent), Some(name)) = (target.root.parent(), target.root.file_name()) else {
        return Ok(Vec::new());
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    let entries = match fs::read_dir(parent) {
        Ok(entries) => entries,
        Err(err) if err.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(err).with_context(|| format!("cannot list {}", parent.display())),
    };
    let shown_parent = target
        .shown
        .rsplit_once('/')
        .map_or(String::new(), |(p, _)| format!("{p}/"));
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot list {}", parent.display()))?;
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        let pid = ["regen-", "new-", "old-"]
            .iter()
            .find_map(|kind| rest.strip_prefix(kind))
            .and_then(|pid| pid.parse::<u32>().ok());
        if pid.is_some_and(|pid| !running(pid)) {
            out.push((entry.path(), format!("{shown_parent}{file_name}/")));
        }
    }
    Ok(out)
}

/// Whether a process with this id is running (this one always is). Where that cannot
/// be known (no `/proc`), only this process counts as running.
fn running(pid: u32) -> bool {
    pid == std::process::id() || Path::new("/proc").join(pid.to_string()).is_dir()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> GeneratedFile {
        GeneratedFile {
            path: path.to_owned(),
            contents: contents.to_owned(),
        }
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-write-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Every file under `dir` with its bytes.
    fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let listing = list(dir).unwrap();
        assert!(listing.temporary.is_empty(), "{:?}", listing.temporary);
        listing
            .files
            .into_iter()
            .map(|rel| {
                let bytes = fs::read(dir.join(&rel)).unwrap();
                (rel, bytes)
            })
            .collect()
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    fn target(root: &Path, exact: bool, files: Vec<GeneratedFile>) -> Target {
        Target {
            root: root.to_path_buf(),
            shown: root.file_name().unwrap().to_string_lossy().into_owned(),
            files,
            exact,
        }
    }

    /// A process id that is surely not running.
    const DEAD_PID: u32 = 4_000_000_000;

    #[test]
    fn plans_only_what_differs_and_commits_it() {
        let base = scratch("plan");
        let gen_dir = base.join("gen");
        let review = base.join("generated");
        fs::create_dir_all(gen_dir.join("resources")).unwrap();
        fs::create_dir_all(&review).unwrap();
        fs::write(gen_dir.join("mod.rs"), "same").unwrap();
        fs::write(gen_dir.join("models.rs"), "old").unwrap();
        fs::write(gen_dir.join("resources/stale.rs"), "stale").unwrap();
        fs::write(review.join("keep.txt"), "not ours").unwrap();
        let targets = vec![
            target(
                &gen_dir,
                true,
                vec![
                    file("mod.rs", "same"),
                    file("models.rs", "new"),
                    file("a/b.rs", "b"),
                ],
            ),
            target(&review, false, vec![file("lock.json", "{}")]),
        ];
        let plan = Plan::new(targets.clone()).unwrap();
        let changes: Vec<_> = plan
            .changes()
            .into_iter()
            .map(|c| format!("{} {}", c.kind.label(), c.shown))
            .collect();
        assert_eq!(
            changes,
            [
                "changed gen/models.rs",
                "added gen/a/b.rs",
                "removed gen/resources/stale.rs",
                "added generated/lock.json"
            ]
        );
        assert!(plan.leftovers().is_empty());
        let before = fs::metadata(gen_dir.join("mod.rs"))
            .unwrap()
            .modified()
            .unwrap();
        plan.commit().unwrap();
        assert_eq!(
            fs::read_to_string(gen_dir.join("models.rs")).unwrap(),
            "new"
        );
        assert_eq!(fs::read_to_string(gen_dir.join("a/b.rs")).unwrap(), "b");
        assert!(
            !gen_dir.join("resources").exists(),
            "emptied directory removed"
        );
        assert_eq!(
            fs::read_to_string(review.join("keep.txt")).unwrap(),
            "not ours"
        );
        assert_eq!(fs::read_to_string(review.join("lock.json")).unwrap(), "{}");
        // Untouched files keep their mtime; no temporary file is left.
        let after = fs::metadata(gen_dir.join("mod.rs"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after);
        assert_eq!(names(&base), ["gen", "generated"]);
        assert_eq!(names(&gen_dir), ["a", "mod.rs", "models.rs"]);
        // Now the plan is empty.
        assert!(Plan::new(targets).unwrap().is_empty());
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn leftovers_of_interrupted_runs_are_found_and_removed() {
        let base = scratch("leftovers");
        let gen_dir = base.join("gen");
        fs::create_dir_all(gen_dir.join("resources/empty")).unwrap();
        fs::write(gen_dir.join("mod.rs"), "mod").unwrap();
        // A temporary file of a dead run, one of a running run (this one), the staging
        // folders of the earlier writers, and a folder that only looks like one.
        let dead_tmp = format!(".models.rs{TMP_MARKER}{DEAD_PID}");
        fs::write(gen_dir.join("resources").join(&dead_tmp), "half").unwrap();
        let live_tmp = format!(".x.rs{TMP_MARKER}{}", std::process::id());
        fs::write(gen_dir.join(&live_tmp), "in flight").unwrap();
        for dir in [
            format!(".gen.regen-{DEAD_PID}/new"),
            format!(".gen.new-{DEAD_PID}"),
            format!(".gen.old-{DEAD_PID}"),
            ".gen.regen-notapid".to_owned(),
        ] {
            fs::create_dir_all(base.join(&dir)).unwrap();
        }
        let targets = vec![target(&gen_dir, true, vec![file("mod.rs", "mod")])];
        let plan = Plan::new(targets.clone()).unwrap();
        assert!(plan.is_empty(), "{:?}", plan.changes());
        assert_eq!(
            plan.leftovers(),
            [
                format!(".gen.new-{DEAD_PID}/"),
                format!(".gen.old-{DEAD_PID}/"),
                format!(".gen.regen-{DEAD_PID}/"),
                format!("gen/resources/{dead_tmp}"),
                "gen/resources/empty/".to_owned(),
            ]
        );
        let before = fs::metadata(gen_dir.join("mod.rs"))
            .unwrap()
            .modified()
            .unwrap();
        plan.commit().unwrap();
        assert_eq!(names(&base), [".gen.regen-notapid", "gen"]);
        assert_eq!(names(&gen_dir.join("resources")), Vec::<String>::new());
        assert_eq!(names(&gen_dir), [live_tmp.as_str(), "mod.rs", "resources"]);
        let after = fs::metadata(gen_dir.join("mod.rs"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after);
        // The emptied `resources/` is itself an empty folder now: the next run removes it.
        let plan = Plan::new(targets).unwrap();
        assert_eq!(plan.leftovers(), ["gen/resources/"]);
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn paths_outside_the_target_are_refused() {
        let base = scratch("outside");
        for bad in ["../escape.rs", "/etc/passwd", "a/../../b.rs", ""] {
            let err =
                Plan::new(vec![target(&base.join("gen"), true, vec![file(bad, "x")])]).unwrap_err();
            assert!(
                format!("{err:#}").contains("not a plain relative path"),
                "{bad}"
            );
        }
        assert_eq!(names(&base), Vec::<String>::new());
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn a_failed_first_generation_leaves_no_new_folders() {
        let base = scratch("first");
        let fresh = base.join("new-crate/src/gen");
        let review = base.join("generated");
        fs::create_dir_all(&review).unwrap();
        fs::write(review.join("blocker"), "file").unwrap();
        let plan = Plan::new(vec![
            target(&fresh, true, vec![file("mod.rs", "mod")]),
            // `blocker` is a file, so nothing can be written under it.
            target(&review, false, vec![file("blocker/lock.json", "{}")]),
        ])
        .unwrap();
        let err = format!("{:#}", plan.commit().unwrap_err());
        assert!(err.contains("nothing was changed"), "{err}");
        assert!(err.contains("blocker"), "{err}");
        assert!(!base.join("new-crate").exists());
        assert_eq!(names(&base), ["generated"]);
        assert_eq!(snapshot(&review), [("blocker".into(), b"file".to_vec())]);
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn a_failure_midway_puts_every_written_file_back() {
        let base = scratch("undo");
        let (gen_dir, review) = (base.join("gen"), base.join("generated"));
        fs::create_dir_all(gen_dir.join("old")).unwrap();
        fs::create_dir_all(&review).unwrap();
        fs::write(gen_dir.join("a.rs"), "old a").unwrap();
        fs::write(gen_dir.join("old/stale.rs"), "stale").unwrap();
        let before = snapshot(&gen_dir);
        let plan = Plan::new(vec![
            target(
                &gen_dir,
                true,
                vec![file("a.rs", "new a"), file("new/x.rs", "x")],
            ),
            target(&review, false, vec![file("lock.json", "{}")]),
        ])
        .unwrap();
        let order: Vec<_> = plan.changes().into_iter().map(|c| c.shown).collect();
        assert_eq!(
            order,
            [
                "gen/a.rs",
                "gen/new/x.rs",
                "gen/old/stale.rs",
                "generated/lock.json"
            ]
        );
        // Every change to `gen` is made (a.rs replaced, new/x.rs created with its folder,
        // old/stale.rs removed with its folder) before the last rename fails: a folder
        // appeared where the lock goes.
        fs::create_dir_all(review.join("lock.json/in-the-way")).unwrap();
        let err = format!("{:#}", plan.commit().unwrap_err());
        assert!(err.contains("nothing was changed"), "{err}");
        assert!(err.contains("lock.json (renaming"), "{err}");
        assert_eq!(snapshot(&gen_dir), before);
        assert_eq!(names(&gen_dir), ["a.rs", "old"]);
        assert_eq!(names(&review), ["lock.json"]);
        assert_eq!(names(&review.join("lock.json")), ["in-the-way"]);
        assert_eq!(names(&base), ["gen", "generated"]);
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn a_failure_before_the_renames_touches_nothing() {
        let base = scratch("stage-fail");
        let gen_dir = base.join("gen");
        fs::create_dir_all(&gen_dir).unwrap();
        fs::write(gen_dir.join("a.rs"), "old a").unwrap();
        fs::write(gen_dir.join("blocker"), "file").unwrap();
        let mtime = |p: &Path| fs::metadata(p).unwrap().modified().unwrap();
        let before = (snapshot(&gen_dir), mtime(&gen_dir.join("a.rs")));
        // The temporary file of blocker/c.rs cannot be made: `blocker` is a file.
        let plan = Plan::new(vec![target(
            &gen_dir,
            true,
            vec![
                file("a.rs", "new a"),
                file("blocker", "file"),
                file("blocker/c.rs", "c"),
            ],
        )])
        .unwrap();
        let err = format!("{:#}", plan.commit().unwrap_err());
        assert!(err.contains("nothing was changed"), "{err}");
        assert!(err.contains("blocker"), "{err}");
        // Not even an mtime changed, and no temporary file is left.
        assert_eq!((snapshot(&gen_dir), mtime(&gen_dir.join("a.rs"))), before);
        assert_eq!(names(&gen_dir), ["a.rs", "blocker"]);
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn temporary_names_are_recognised_with_the_state_of_their_run() {
        assert_eq!(
            temporary(&format!(".mod.rs{TMP_MARKER}{DEAD_PID}")),
            Some(true)
        );
        let live = format!(".mod.rs{TMP_MARKER}{}", std::process::id());
        assert_eq!(temporary(&live), Some(false));
        for other in [
            "mod.rs.regen-tmp-1",
            ".mod.rs.regen-tmp-x",
            "mod.rs",
            ".regen-tmp-",
        ] {
            assert_eq!(temporary(other), None, "{other}");
        }
    }
}
