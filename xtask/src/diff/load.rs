//! Resolving `OLD`/`NEW` to surfaces: document files, or the current stable and preview
//! documents.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use codegen::Model;
use discovery::Document;
use discovery::surface::{Surface, View};

/// One side of a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Side {
    /// A Discovery document file, seen as a stable-only API.
    File(PathBuf),
    /// The current stable surface.
    Stable,
    /// The current preview surface (stable merged with the preview document).
    Preview,
}

impl Side {
    /// `stable`, `preview`, or a file path.
    pub fn parse(arg: &str) -> Side {
        match arg {
            "stable" => Side::Stable,
            "preview" => Side::Preview,
            path => Side::File(PathBuf::from(path)),
        }
    }

    /// For messages.
    pub fn describe(&self) -> String {
        match self {
            Side::File(path) => path.display().to_string(),
            Side::Stable => "stable".to_owned(),
            Side::Preview => "preview".to_owned(),
        }
    }
}

/// The workspace root (xtask lives one level below it).
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// Where the current documents are.
#[derive(Debug, Clone, Default)]
pub struct Current {
    /// The stable document, when found.
    pub stable: Option<PathBuf>,
    /// The preview document, when found.
    pub preview: Option<PathBuf>,
    /// Where they were looked for, for error messages.
    pub searched: String,
}

impl Current {
    /// Finds the current documents: the files `lock` records when it exists and names
    /// them (in `documents`, by default the `documents/` folder beside the lock), else the
    /// newest revisions in `documents` (default `$DISCOVERY_DIR/chat`, else
    /// `discovery/documents`).
    ///
    /// # Errors
    ///
    /// When the lock exists but cannot be read or parsed, or names a file `documents`
    /// does not hold.
    pub fn locate(documents: Option<&Path>, lock: &Path) -> anyhow::Result<Current> {
        let root = workspace_root();
        let lock = if lock.is_absolute() || lock.exists() {
            lock.to_path_buf()
        } else {
            root.join(lock)
        };
        let dir = match documents {
            Some(dir) => dir.to_path_buf(),
            // The locked documents are committed beside the lock.
            None if lock.is_file() => lock
                .parent()
                .unwrap_or(&root)
                .join(crate::layout::DOCUMENTS_DIR),
            None => match std::env::var_os(discovery::testing::DISCOVERY_DIR_VAR) {
                Some(dir) => PathBuf::from(dir).join("chat"),
                None => root.join("discovery").join("documents"),
            },
        };
        if lock.is_file() {
            return locked(&lock, &dir);
        }
        let (stable, preview) = newest_in(&dir, "chat", "v1");
        Ok(Current {
            stable,
            preview,
            searched: dir.display().to_string(),
        })
    }
}

/// The parts of `generated/lock.json` (written by `cargo xtask regen`) that say which
/// files are current.
#[derive(Debug, serde::Deserialize)]
struct Lock {
    documents: Vec<LockedDocument>,
}

#[derive(Debug, serde::Deserialize)]
struct LockedDocument {
    /// `stable` or `preview`.
    role: String,
    /// File name inside the documents folder.
    file: String,
}

/// The documents `lock` names, found in `dir`.
fn locked(lock: &Path, dir: &Path) -> anyhow::Result<Current> {
    let text =
        std::fs::read_to_string(lock).with_context(|| format!("cannot read {}", lock.display()))?;
    let parsed: Lock = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a lock file", lock.display()))?;
    let mut current = Current {
        searched: format!("{} (named by {})", dir.display(), lock.display()),
        ..Current::default()
    };
    for (i, document) in parsed.documents.iter().enumerate() {
        // A lock entry is a bare file name; anything else could point outside `dir`.
        if Path::new(&document.file).file_name() != Some(std::ffi::OsStr::new(&document.file)) {
            anyhow::bail!(
                "{}: documents[{i}].file {:?} is not a plain file name",
                lock.display(),
                document.file
            );
        }
        let path = dir.join(&document.file);
        if !path.is_file() {
            anyhow::bail!(
                "{}: documents[{i}] names {}, which is not in {} (pass --documents DIR)",
                lock.display(),
                document.file,
                dir.display()
            );
        }
        let slot = match document.role.as_str() {
            "stable" => &mut current.stable,
            "preview" => &mut current.preview,
            other => anyhow::bail!(
                "{}: documents[{i}].role is {other:?}, expected \"stable\" or \"preview\"",
                lock.display()
            ),
        };
        *slot = Some(path);
    }
    Ok(current)
}

/// The newest `{name}.{version}.{revision}.json` and
/// `{name}.{version}.preview.{revision}.json` in `dir` (the names `cargo xtask fetch`
/// writes).
fn newest_in(dir: &Path, name: &str, version: &str) -> (Option<PathBuf>, Option<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (None, None);
    };
    let mut stable: Option<(String, PathBuf)> = None;
    let mut preview: Option<(String, PathBuf)> = None;
    let prefix = format!("{name}.{version}.");
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let Some(rest) = file_name
            .strip_prefix(&prefix)
            .and_then(|r| r.strip_suffix(".json"))
        else {
            continue;
        };
        let (slot, revision) = match rest.strip_prefix("preview.") {
            Some(revision) => (&mut preview, revision),
            None => (&mut stable, rest),
        };
        if revision.is_empty() || !revision.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if slot
            .as_ref()
            .is_none_or(|(best, _)| discovery::revision_order(revision, best).is_gt())
        {
            *slot = Some((revision.to_owned(), entry.path()));
        }
    }
    (stable.map(|(_, p)| p), preview.map(|(_, p)| p))
}

/// Loads surfaces, finding the current documents and building their merged model only
/// when a side asks for them, and only once.
#[derive(Debug)]
pub struct Loader {
    documents: Option<PathBuf>,
    lock: PathBuf,
    current: Option<Current>,
    model: Option<Model>,
}

impl Loader {
    /// A loader looking for the current documents as [`Current::locate`] does.
    pub fn new(documents: Option<PathBuf>, lock: PathBuf) -> Loader {
        Loader {
            documents,
            lock,
            current: None,
            model: None,
        }
    }

    fn current(&mut self) -> anyhow::Result<&Current> {
        let current = match self.current.take() {
            Some(current) => current,
            None => Current::locate(self.documents.as_deref(), &self.lock)?,
        };
        Ok(self.current.insert(current))
    }

    /// The surface of `side`.
    pub fn surface(&mut self, side: &Side) -> anyhow::Result<Surface> {
        match side {
            Side::File(path) => super::file_surface(path),
            Side::Stable => Ok(codegen::surface(&self.current_model()?, View::Stable)),
            Side::Preview => {
                let current = self.current()?;
                if current.preview.is_none() {
                    anyhow::bail!(
                        "no preview document in {} (fetch one with `cargo xtask fetch` and \
                         GOOGLE_API_KEY set, or name a file)",
                        current.searched
                    );
                }
                Ok(codegen::surface(&self.current_model()?, View::Preview))
            }
        }
    }

    /// The current stable document merged with the current preview one, if any.
    pub fn current_model(&mut self) -> anyhow::Result<Model> {
        if let Some(model) = &self.model {
            return Ok(model.clone());
        }
        let current = self.current()?.clone();
        let Some(stable_path) = &current.stable else {
            anyhow::bail!(
                "no stable document found in {} (pass --documents DIR, set DISCOVERY_DIR, or \
                 run `cargo xtask fetch`)",
                current.searched
            );
        };
        let stable = Document::from_file(stable_path)?;
        let preview = match &current.preview {
            Some(path) => Some(Document::from_file(path)?),
            None => None,
        };
        let model = Model::build(&stable, preview.as_ref()).with_context(|| {
            format!(
                "cannot build the model of {}{}",
                stable_path.display(),
                current
                    .preview
                    .as_ref()
                    .map(|p| format!(" merged with {}", p.display()))
                    .unwrap_or_default()
            )
        })?;
        self.model = Some(model.clone());
        Ok(model)
    }
}
