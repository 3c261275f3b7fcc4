//! Writing fetched documents: names, atomic replacement, and what changed.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use discovery::Document;

/// Which of the two documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// The public document.
    Stable,
    /// The DEVELOPER_PREVIEW-labelled document.
    Preview,
}

/// What writing did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The same file existed with the same bytes; nothing was written.
    Unchanged,
    /// A file of this revision existed with other bytes and was replaced.
    Replaced,
    /// No file of this revision existed; `previous` lists the revisions already there.
    New {
        /// Revisions of the same API and flavor found in the folder, newest last.
        previous: Vec<String>,
    },
}

/// `{name}.{version}.{revision}.json` or `{name}.{version}.preview.{revision}.json`.
///
/// The parts come from the server, so they are checked to be plain names: a document
/// must not be able to write outside `--out`.
pub fn file_name(document: &Document, flavor: Flavor) -> anyhow::Result<String> {
    for (key, value) in [
        ("name", &document.name),
        ("version", &document.version),
        ("revision", &document.revision),
    ] {
        let plain = !value.is_empty()
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !plain {
            bail!(
                "the document's {key} {value:?} is not a plain name (letters, digits, `_`, `-`): \
                 refusing to use it in a file name"
            );
        }
    }
    let prefix = prefix(document, flavor);
    Ok(format!("{prefix}{}.json", document.revision))
}

/// The file name up to the revision.
fn prefix(document: &Document, flavor: Flavor) -> String {
    match flavor {
        Flavor::Stable => format!("{}.{}.", document.name, document.version),
        Flavor::Preview => format!("{}.{}.preview.", document.name, document.version),
    }
}

/// Writes `bytes` to `dir/name` atomically (a temporary file in `dir`, then a rename),
/// unless the file already holds exactly these bytes.
pub fn write(
    dir: &Path,
    document: &Document,
    flavor: Flavor,
    bytes: &[u8],
) -> anyhow::Result<(PathBuf, Change)> {
    let name = file_name(document, flavor)?;
    let path = dir.join(&name);
    let change = match fs::read(&path) {
        Ok(existing) if existing == bytes => return Ok((path, Change::Unchanged)),
        Ok(_) => Change::Replaced,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Change::New {
            previous: revisions(dir, &prefix(document, flavor))?,
        },
        Err(err) => {
            return Err(err).with_context(|| format!("cannot read {}", path.display()));
        }
    };
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let temp = TempFile::create(dir, &name)?;
    temp.write_all(bytes)?;
    temp.persist(&path)?;
    Ok((path, change))
}

/// Revisions of the files `{prefix}{digits}.json` in `dir`, sorted.
fn revisions(dir: &Path, prefix: &str) -> anyhow::Result<Vec<String>> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(err).with_context(|| format!("cannot list {}", dir.display())),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let revision = name
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(".json"));
        if let Some(revision) =
            revision.filter(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit()))
        {
            found.push(revision.to_owned());
        }
    }
    found.sort_by(|a, b| discovery::revision_order(a, b));
    Ok(found)
}

/// A temporary file beside its destination, removed unless persisted, so that an
/// interrupted write never leaves a half-written document under the final name.
struct TempFile {
    path: PathBuf,
    file: fs::File,
    persisted: bool,
}

impl TempFile {
    fn create(dir: &Path, name: &str) -> anyhow::Result<Self> {
        let path = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        Ok(TempFile {
            path,
            file,
            persisted: false,
        })
    }

    fn write_all(&self, bytes: &[u8]) -> anyhow::Result<()> {
        (&self.file)
            .write_all(bytes)
            .and_then(|()| self.file.sync_all())
            .with_context(|| format!("cannot write {}", self.path.display()))
    }

    fn persist(mut self, to: &Path) -> anyhow::Result<()> {
        fs::rename(&self.path, to).with_context(|| {
            format!("cannot rename {} to {}", self.path.display(), to.display())
        })?;
        self.persisted = true;
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.persisted {
            // Best effort: the file is hidden and named after our pid if this fails.
            let _ = fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(name: &str, revision: &str) -> Document {
        Document {
            name: name.into(),
            version: "v1".into(),
            revision: revision.into(),
            ..Document::default()
        }
    }

    #[test]
    fn names_follow_the_shared_layout() {
        assert_eq!(
            file_name(&doc("chat", "20260405"), Flavor::Stable).unwrap(),
            "chat.v1.20260405.json"
        );
        assert_eq!(
            file_name(&doc("chat", "20260405"), Flavor::Preview).unwrap(),
            "chat.v1.preview.20260405.json"
        );
    }

    #[test]
    fn hostile_names_are_refused() {
        for bad in ["../x", "a/b", "", "a.b"] {
            assert!(file_name(&doc(bad, "1"), Flavor::Stable).is_err(), "{bad}");
            assert!(
                file_name(&doc("chat", bad), Flavor::Stable).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn write_reports_new_unchanged_replaced_and_previous_revisions() {
        let dir = std::env::temp_dir().join(format!("xtask-store-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let (path, change) = write(&dir, &doc("chat", "20260120"), Flavor::Stable, b"a").unwrap();
        assert_eq!(change, Change::New { previous: vec![] });
        assert_eq!(fs::read(&path).unwrap(), b"a");
        let (_, change) = write(&dir, &doc("chat", "20260120"), Flavor::Stable, b"a").unwrap();
        assert_eq!(change, Change::Unchanged);
        let (_, change) = write(&dir, &doc("chat", "20260120"), Flavor::Stable, b"b").unwrap();
        assert_eq!(change, Change::Replaced);
        let (_, change) = write(&dir, &doc("chat", "20260405"), Flavor::Preview, b"p").unwrap();
        assert_eq!(change, Change::New { previous: vec![] });
        let (_, change) = write(&dir, &doc("chat", "20260405"), Flavor::Stable, b"c").unwrap();
        assert_eq!(
            change,
            Change::New {
                previous: vec!["20260120".into()]
            }
        );
        let leftovers: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
        fs::remove_dir_all(&dir).unwrap();
    }
}
