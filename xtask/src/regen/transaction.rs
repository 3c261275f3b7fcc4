//! Writing a generation as one transaction: plan what differs from the files on disk,
//! stage every new file beside its target, then swap the files in one by one, rolling
//! back every swap already made if any step fails.
//!
//! Files are swapped individually (not whole directories) so that a regeneration that
//! changes one file touches only that file: unchanged files keep their bytes and mtimes,
//! and cargo rebuilds nothing it does not have to.

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::codegen::GeneratedFile;

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
}

/// The changes that bring the targets to their contents.
#[derive(Debug, Clone)]
pub struct Plan {
    targets: Vec<Target>,
    ops: Vec<Op>,
}

/// One changed file, for the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// What happens to it.
    pub kind: Kind,
    /// The file as shown to people (`{target shown}/{relative path}`).
    pub shown: String,
}

impl Plan {
    /// Compares `targets` with the files on disk.
    ///
    /// # Errors
    ///
    /// When a file or directory exists but cannot be read.
    pub fn new(targets: Vec<Target>) -> anyhow::Result<Plan> {
        let mut ops = Vec::new();
        for (index, target) in targets.iter().enumerate() {
            let mut expected = std::collections::BTreeSet::new();
            for file in &target.files {
                let rel = PathBuf::from(&file.path);
                let path = target.root.join(&rel);
                let kind = match fs::read(&path) {
                    Ok(bytes) if bytes == file.contents.as_bytes() => None,
                    Ok(_) => Some(Kind::Modified),
                    Err(err) if err.kind() == ErrorKind::NotFound => Some(Kind::Added),
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
                    });
                }
                expected.insert(rel);
            }
            if target.exact {
                for rel in list_files(&target.root)? {
                    if !expected.contains(&rel) {
                        ops.push(Op {
                            kind: Kind::Removed,
                            target: index,
                            rel,
                            contents: None,
                        });
                    }
                }
            }
        }
        Ok(Plan { targets, ops })
    }

    /// Whether the files on disk already are what the targets say.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// The planned changes, in order.
    pub fn changes(&self) -> Vec<FileChange> {
        self.ops
            .iter()
            .map(|op| FileChange {
                kind: op.kind,
                shown: format!(
                    "{}/{}",
                    self.targets[op.target].shown,
                    op.rel.display().to_string().replace('\\', "/")
                ),
            })
            .collect()
    }

    /// Applies the plan: every new file is written to a staging directory beside its
    /// target first; then files are swapped in one by one, the replaced ones kept aside
    /// until all swaps succeeded. On any error, every swap made so far is undone, so
    /// the targets are exactly as they were.
    ///
    /// # Errors
    ///
    /// When staging or a swap fails (the targets are then unchanged), or when undoing a
    /// swap fails too (the error then says where the old files were left).
    pub fn commit(self) -> anyhow::Result<()> {
        if self.ops.is_empty() {
            return Ok(());
        }
        let staging = self.stage()?;
        let mut journal = Vec::new();
        let applied = self.apply(&staging, &mut journal);
        match applied {
            Ok(()) => {
                for dir in &staging {
                    // The tree is committed; a leftover hidden directory only costs space.
                    if let Err(err) = fs::remove_dir_all(&dir.path) {
                        eprintln!(
                            "warning: cannot remove the staging directory {}: {err}",
                            dir.path.display()
                        );
                    }
                }
                self.remove_emptied_dirs();
                Ok(())
            }
            Err(err) => {
                let failures = rollback(journal);
                if failures.is_empty() {
                    for dir in staging.iter().rev() {
                        dir.discard();
                    }
                    Err(err.context("nothing was changed (every file written so far was put back)"))
                } else {
                    Err(err.context(format!(
                        "the previous files could not all be put back: {}; the originals are \
                         in {}",
                        failures.join("; "),
                        staging
                            .iter()
                            .map(|d| d.path.join("old").display().to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )))
                }
            }
        }
    }

    /// Writes every new file into a staging directory per target.
    fn stage(&self) -> anyhow::Result<Vec<Staging>> {
        let mut staging: Vec<Staging> = Vec::new();
        let result = (|| -> anyhow::Result<()> {
            for target in &self.targets {
                staging.push(Staging::create(&target.root)?);
            }
            for op in &self.ops {
                let Some(contents) = &op.contents else {
                    continue;
                };
                let path = staging[op.target].path.join("new").join(&op.rel);
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent)
                        .with_context(|| format!("cannot create {}", parent.display()))?;
                }
                fs::write(&path, contents)
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
            Ok(())
        })();
        match result {
            Ok(()) => Ok(staging),
            Err(err) => {
                for dir in staging.iter().rev() {
                    dir.discard();
                }
                Err(err.context("nothing was changed"))
            }
        }
    }

    /// Swaps the staged files in, recording each step in `journal`.
    fn apply(&self, staging: &[Staging], journal: &mut Vec<Step>) -> anyhow::Result<()> {
        for op in &self.ops {
            let target = self.targets[op.target].root.join(&op.rel);
            let stage = &staging[op.target].path;
            if let Some(parent) = target.parent() {
                create_dirs(parent, journal)?;
            }
            if op.kind != Kind::Added {
                let backup = stage.join("old").join(&op.rel);
                if let Some(parent) = backup.parent() {
                    fs::create_dir_all(parent)
                        .with_context(|| format!("cannot create {}", parent.display()))?;
                }
                fs::rename(&target, &backup)
                    .with_context(|| format!("cannot move {} aside", target.display()))?;
                journal.push(Step::MovedAside {
                    target: target.clone(),
                    backup,
                });
            }
            if op.contents.is_some() {
                let new = stage.join("new").join(&op.rel);
                fs::rename(&new, &target)
                    .with_context(|| format!("cannot move the new {} in", target.display()))?;
                journal.push(Step::Placed(target));
            }
        }
        Ok(())
    }

    /// Removes directories of exact targets that removing stale files left empty.
    fn remove_emptied_dirs(&self) {
        for op in self.ops.iter().filter(|op| op.kind == Kind::Removed) {
            let root = &self.targets[op.target].root;
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

/// A hidden directory beside a target holding the new files (`new/`) and, during the
/// swap, the replaced ones (`old/`).
#[derive(Debug)]
struct Staging {
    path: PathBuf,
    /// Ancestors that did not exist and were created for it (a first generation into a
    /// new folder), outermost first: removed again when the commit fails.
    created: Vec<PathBuf>,
}

impl Staging {
    fn create(root: &Path) -> anyhow::Result<Staging> {
        let parent = root
            .parent()
            .with_context(|| format!("{} has no parent directory", root.display()))?;
        let name = root
            .file_name()
            .with_context(|| format!("{} has no name", root.display()))?
            .to_string_lossy();
        let mut journal = Vec::new();
        create_dirs(parent, &mut journal)?;
        let created = journal
            .into_iter()
            .filter_map(|step| match step {
                Step::CreatedDir(dir) => Some(dir),
                _ => None,
            })
            .collect();
        let path = parent.join(format!(".{name}.regen-{}", std::process::id()));
        let staging = Staging { path, created };
        if staging.path.exists() {
            // Left by an earlier run of this pid that was killed; never ours to keep.
            fs::remove_dir_all(&staging.path)
                .with_context(|| format!("cannot remove {}", staging.path.display()))?;
        }
        fs::create_dir(&staging.path)
            .with_context(|| format!("cannot create {}", staging.path.display()))?;
        Ok(staging)
    }

    /// Removes the staging directory and the folders created for it (after a failure).
    fn discard(&self) {
        let _ = fs::remove_dir_all(&self.path);
        for dir in self.created.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
    }
}

/// One undoable step of a commit.
#[derive(Debug)]
enum Step {
    /// A directory that did not exist was created.
    CreatedDir(PathBuf),
    /// A file was moved from `target` to `backup`.
    MovedAside { target: PathBuf, backup: PathBuf },
    /// A new file was moved to this path.
    Placed(PathBuf),
}

/// Creates `dir` and its missing ancestors, journaling each directory created.
fn create_dirs(dir: &Path, journal: &mut Vec<Step>) -> anyhow::Result<()> {
    let mut missing = Vec::new();
    let mut at = dir;
    while !at.exists() {
        missing.push(at.to_path_buf());
        match at.parent() {
            Some(parent) => at = parent,
            None => break,
        }
    }
    for dir in missing.into_iter().rev() {
        fs::create_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        journal.push(Step::CreatedDir(dir));
    }
    Ok(())
}

/// Undoes `journal` newest first; returns what could not be undone.
fn rollback(journal: Vec<Step>) -> Vec<String> {
    let mut failures = Vec::new();
    for step in journal.into_iter().rev() {
        let result = match &step {
            Step::Placed(path) => fs::remove_file(path),
            Step::MovedAside { target, backup } => fs::rename(backup, target),
            Step::CreatedDir(dir) => fs::remove_dir(dir),
        };
        if let Err(err) = result {
            failures.push(format!("{step:?}: {err}"));
        }
    }
    failures
}

/// Files under `dir`, relative to it, sorted; none when `dir` does not exist.
fn list_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let here = dir.join(&rel);
        let entries = match fs::read_dir(&here) {
            Ok(entries) => entries,
            Err(err) if err.kind() == ErrorKind::NotFound => continue,
            Err(err) => return Err(err).with_context(|| format!("cannot list {}", here.display())),
        };
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot list {}", here.display()))?;
            let path = rel.join(entry.file_name());
            let kind = entry
                .file_type()
                .with_context(|| format!("cannot stat {}", dir.join(&path).display()))?;
            if kind.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
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
        let dir = std::env::temp_dir().join(format!("xtask-tx-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Every file under `dir` with its bytes.
    fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        list_files(dir)
            .unwrap()
            .into_iter()
            .map(|rel| {
                let bytes = fs::read(dir.join(&rel)).unwrap();
                (rel, bytes)
            })
            .collect()
    }

    fn target(root: &Path, exact: bool, files: Vec<GeneratedFile>) -> Target {
        Target {
            root: root.to_path_buf(),
            shown: root.file_name().unwrap().to_string_lossy().into_owned(),
            files,
            exact,
        }
    }

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
        // Untouched files keep their mtime; no staging directory is left.
        let after = fs::metadata(gen_dir.join("mod.rs"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after);
        let mut names: Vec<_> = fs::read_dir(&base)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["gen", "generated"]);
        // Now the plan is empty.
        assert!(Plan::new(targets).unwrap().is_empty());
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn a_failed_first_generation_leaves_no_new_folders() {
        let base = scratch("first");
        let fresh = base.join("new-crate/src/gen");
        let review = base.join("generated");
        fs::create_dir_all(&review).unwrap();
        fs::write(review.join("blocker"), "file").unwrap();
        let plan = Plan {
            targets: vec![
                target(&fresh, true, Vec::new()),
                target(&review, false, Vec::new()),
            ],
            ops: vec![
                Op {
                    kind: Kind::Added,
                    target: 0,
                    rel: "mod.rs".into(),
                    contents: Some("mod".into()),
                },
                Op {
                    kind: Kind::Added,
                    target: 1,
                    rel: "blocker/lock.json".into(),
                    contents: Some("{}".into()),
                },
            ],
        };
        let err = format!("{:#}", plan.commit().unwrap_err());
        assert!(err.contains("nothing was changed"), "{err}");
        assert!(!base.join("new-crate").exists());
        let mut names: Vec<_> = fs::read_dir(&base)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["generated"]);
        assert_eq!(snapshot(&review), [("blocker".into(), b"file".to_vec())]);
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn a_failure_midway_puts_every_swapped_file_back() {
        let base = scratch("rollback");
        let gen_dir = base.join("gen");
        fs::create_dir_all(&gen_dir).unwrap();
        fs::write(gen_dir.join("a.rs"), "old a").unwrap();
        fs::write(gen_dir.join("stale.rs"), "stale").unwrap();
        // `blocker` is a file, so `blocker/c.rs` cannot be created: the third swap fails
        // after the first two (a.rs replaced, new/x.rs created with its directory).
        fs::write(gen_dir.join("blocker"), "file").unwrap();
        let before = snapshot(&gen_dir);
        let plan = Plan {
            targets: vec![target(&gen_dir, true, Vec::new())],
            ops: vec![
                Op {
                    kind: Kind::Modified,
                    target: 0,
                    rel: "a.rs".into(),
                    contents: Some("new a".into()),
                },
                Op {
                    kind: Kind::Added,
                    target: 0,
                    rel: "new/x.rs".into(),
                    contents: Some("x".into()),
                },
                Op {
                    kind: Kind::Removed,
                    target: 0,
                    rel: "stale.rs".into(),
                    contents: None,
                },
                Op {
                    kind: Kind::Added,
                    target: 0,
                    rel: "blocker/c.rs".into(),
                    contents: Some("c".into()),
                },
            ],
        };
        let err = format!("{:#}", plan.commit().unwrap_err());
        assert!(err.contains("nothing was changed"), "{err}");
        assert!(err.contains("blocker"), "{err}");
        assert_eq!(snapshot(&gen_dir), before);
        assert!(!gen_dir.join("new").exists());
        let names: Vec<_> = fs::read_dir(&base)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["gen"]);
        fs::remove_dir_all(&base).unwrap();
    }
}
