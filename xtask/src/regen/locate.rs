//! Finding locked documents by content: `generated/lock.json` records each input's
//! sha256, so the exact bytes can be recognised in any folder, whatever the file is
//! called there.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::{Input, Lock, LockedDocument, sha256_hex};

/// Reads the lock at `path`; `None` when there is none.
///
/// # Errors
///
/// When the file exists but cannot be read or is not a lock.
pub fn read_lock(path: &Path) -> anyhow::Result<Option<Lock>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(err).with_context(|| format!("cannot read {}", path.display())),
    };
    let lock = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a valid lock", path.display()))?;
    Ok(Some(lock))
}

/// The document of `lock` with `role` (`stable` or `preview`).
pub fn locked<'a>(lock: &'a Lock, role: &str) -> Option<&'a LockedDocument> {
    lock.documents.iter().find(|d| d.role == role)
}

/// Finds the bytes `locked` records in `dirs` (each dir: the locked file name first, then
/// every `*.json` file); folders that do not exist are skipped. The returned input keeps
/// the locked file name.
///
/// # Errors
///
/// When a folder or a candidate file exists but cannot be read.
pub fn find(dirs: &[PathBuf], locked: &LockedDocument) -> anyhow::Result<Option<Input>> {
    for dir in dirs {
        let preferred = dir.join(&locked.file);
        if Path::new(&locked.file).file_name() == Some(std::ffi::OsStr::new(&locked.file))
            && preferred.is_file()
        {
            let input = Input::read(&preferred)?;
            if sha256_hex(&input.bytes) == locked.sha256 {
                return Ok(Some(input));
            }
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => continue,
            Err(err) => return Err(err).with_context(|| format!("cannot list {}", dir.display())),
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json") && p.is_file())
            .collect();
        paths.sort();
        for path in paths {
            let input = Input::read(&path)?;
            if sha256_hex(&input.bytes) == locked.sha256 {
                return Ok(Some(Input {
                    file: locked.file.clone(),
                    ..input
                }));
            }
        }
    }
    Ok(None)
}

/// `dirs` without repeats, in order.
pub fn dedup(dirs: impl IntoIterator<Item = PathBuf>) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    for dir in dirs {
        if !out.contains(&dir) {
            out.push(dir);
        }
    }
    out
}

/// Folder names for messages: `a, b and c`.
pub fn list(dirs: &[PathBuf]) -> String {
    let names: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
    match names.split_last() {
        None => "(no folders)".to_owned(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_by_content_under_any_name() {
        let base = std::env::temp_dir().join(format!("xtask-locate-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let (a, b) = (base.join("a"), base.join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        // Same name, other bytes in `a`; the right bytes under another name in `b`.
        std::fs::write(a.join("doc.json"), "other").unwrap();
        std::fs::write(b.join("renamed.json"), "bytes").unwrap();
        let locked = LockedDocument {
            role: "stable".into(),
            file: "doc.json".into(),
            id: "x:v1".into(),
            revision: "1".into(),
            sha256: sha256_hex(b"bytes"),
        };
        let dirs = vec![base.join("missing"), a.clone(), b.clone()];
        let found = find(&dirs, &locked).unwrap().unwrap();
        assert_eq!(found.file, "doc.json");
        assert_eq!(found.bytes, b"bytes");
        assert!(find(&[a], &locked).unwrap().is_none());
        assert_eq!(
            list(&dedup([b.clone(), b.clone()])),
            b.display().to_string()
        );
        std::fs::remove_dir_all(&base).unwrap();
    }
}
