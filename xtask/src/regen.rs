//! `cargo xtask regen`: regenerate the crate's `src/gen/` and the review files under
//! `generated/` (the lock, the surface listings, `preview-vs-stable.md`), from freshly
//! fetched documents or from local files (`--stable FILE --preview FILE`).
//!
//! Everything is computed in memory first (documents, model, code, listings, report and
//! the summary against the previously locked generation); only then are the files that
//! differ written, each replaced whole, the lock last (see [`write`](mod@write)): a
//! failure before or during the writes leaves the tree as it was, a run that changes
//! nothing writes nothing, and a crash during the writes leaves a tree that
//! `cargo xtask check` recognises and the next run repairs.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use codegen::Model;
use discovery::Document;
use discovery::surface::View;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use codegen::GeneratedFile;

mod command;
mod inputs;
pub mod locate;
mod previous;
mod renames;
pub mod write;

pub use command::run;

/// Arguments of `cargo xtask regen`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The stable Discovery document (JSON); without it, the documents are fetched.
    #[arg(long, value_name = "FILE")]
    pub stable: Option<PathBuf>,
    /// The DEVELOPER_PREVIEW Discovery document (instead of fetching it).
    #[arg(long, value_name = "FILE", conflicts_with = "no_preview")]
    pub preview: Option<PathBuf>,
    /// Generate from the stable document only: the `developer-preview` feature then adds
    /// nothing.
    #[arg(long)]
    pub no_preview: bool,
    /// Folder fetched documents are written to, also searched for the locked documents
    /// [default: discovery/documents].
    #[arg(long, value_name = "DIR")]
    pub documents: Option<PathBuf>,
    /// The crate to write `src/gen/` into, relative to the workspace root.
    #[arg(long, value_name = "DIR", default_value = "chat-api")]
    pub out_crate: PathBuf,
    /// The folder of review files (lock, surface listings, preview report), relative to
    /// the workspace root.
    #[arg(long, value_name = "DIR", default_value = "generated")]
    pub generated_dir: PathBuf,
    /// Where and how to fetch (unused with --stable).
    #[command(flatten)]
    pub remote: crate::fetch::Remote,
}

/// One input document, as recorded in `generated/lock.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockedDocument {
    /// `stable` or `preview`.
    pub role: String,
    /// File name the document was read from.
    pub file: String,
    /// The API id, e.g. `chat:v1`.
    pub id: String,
    /// The document's revision.
    pub revision: String,
    /// Hex sha256 of the document's bytes.
    pub sha256: String,
}

/// `generated/lock.json`: the inputs of the committed generation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lock {
    /// The stable document, then the preview one when there is one.
    pub documents: Vec<LockedDocument>,
}

/// A document's bytes and the name they were read under.
#[derive(Debug, Clone)]
pub struct Input {
    /// The file name (no directory), recorded in the lock.
    pub file: String,
    /// Where the bytes came from (the path), for error messages.
    pub origin: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

impl Input {
    /// Reads `path`.
    pub fn read(path: &Path) -> anyhow::Result<Self> {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        Ok(Self {
            file,
            origin: path.display().to_string(),
            bytes,
        })
    }
}

/// Everything a generation writes, in memory.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// Files of the crate's `src/gen/`, paths relative to it.
    pub gen_files: Vec<GeneratedFile>,
    /// Files of `generated/`, paths relative to it (`lock.json`, surface listings,
    /// `preview-vs-stable.md`).
    pub review_files: Vec<GeneratedFile>,
    /// The locked input documents themselves, byte for byte, for `generated/documents/`
    /// (paths are the locked file names): committed so that `check`, `diff` and the regen
    /// summary work on a fresh clone with nothing beside it.
    pub documents: Vec<GeneratedFile>,
}

pub use crate::layout::{DOCUMENTS_DIR, workspace_root};

/// Hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Parses the documents and builds the merged model.
pub fn build_model(stable: &Input, preview: Option<&Input>) -> anyhow::Result<Model> {
    let stable_doc = Document::from_slice(&stable.bytes, &stable.origin)?;
    let preview_doc = preview
        .map(|p| Document::from_slice(&p.bytes, &p.origin))
        .transpose()?;
    // The model names the document by id and revision; the file comes first, as in
    // every other error about a document.
    let files = match preview {
        Some(p) => format!("{} + {}", stable.origin, p.origin),
        None => stable.origin.clone(),
    };
    Model::build(&stable_doc, preview_doc.as_ref()).map_err(|e| anyhow::anyhow!("{files}: {e}"))
}

/// Renders the generated crate sources, the lock, the surface listings and the
/// preview-vs-stable report.
pub fn render(stable: &Input, preview: Option<&Input>) -> anyhow::Result<Rendered> {
    let model = build_model(stable, preview)?;
    render_model(&model, stable, preview)
}

/// [`render`] for a model already built from `stable` and `preview`.
pub fn render_model(
    model: &Model,
    stable: &Input,
    preview: Option<&Input>,
) -> anyhow::Result<Rendered> {
    let gen_files = codegen::generate(model)?;
    let mut documents = vec![LockedDocument {
        role: "stable".to_owned(),
        file: stable.file.clone(),
        id: model.id.clone(),
        revision: model.revision.clone(),
        sha256: sha256_hex(&stable.bytes),
    }];
    if let Some(p) = preview {
        documents.push(LockedDocument {
            role: "preview".to_owned(),
            file: p.file.clone(),
            id: model.id.clone(),
            revision: model.preview_revision.clone().unwrap_or_default(),
            sha256: sha256_hex(&p.bytes),
        });
    }
    let mut lock = serde_json::to_string_pretty(&Lock { documents })?;
    lock.push('\n');
    let mut review_files = vec![GeneratedFile {
        path: LOCK_FILE.to_owned(),
        contents: lock,
    }];
    review_files.extend(surface_listings(model));
    review_files.push(GeneratedFile {
        path: PREVIEW_REPORT.to_owned(),
        contents: crate::diff::preview_vs_stable_markdown(model),
    });
    let mut documents = Vec::new();
    for input in std::iter::once(stable).chain(preview) {
        let contents = String::from_utf8(input.bytes.clone())
            .with_context(|| format!("{}: not UTF-8", input.origin))?;
        documents.push(GeneratedFile {
            path: input.file.clone(),
            contents,
        });
    }
    documents.dedup_by(|a, b| a.path == b.path);
    Ok(Rendered {
        gen_files,
        review_files,
        documents,
    })
}

/// The lock, under `generated/`: written last by a regeneration.
pub const LOCK_FILE: &str = "lock.json";

/// The distinct `// @generated` first lines of the `.rs` files under `gen_dir`, each with
/// the files (relative, `/`-separated) that carry it: more than one means the files come
/// from different generations, as after an interrupted regen. Files that cannot be read
/// are skipped (the comparison with the expected files reports them).
pub fn generations(gen_dir: &Path) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut out: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(gen_dir.join(&rel)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = rel.join(entry.file_name());
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(gen_dir.join(&path)) else {
                continue;
            };
            let first = text.lines().next().unwrap_or_default();
            if first.starts_with("// @generated") {
                out.entry(first.to_owned())
                    .or_default()
                    .push(path.display().to_string().replace('\\', "/"));
            }
        }
    }
    for files in out.values_mut() {
        files.sort();
    }
    out
}

/// The report of what the `developer-preview` feature adds, under `generated/`.
pub const PREVIEW_REPORT: &str = "preview-vs-stable.md";

/// The surface listings of both views (`surface-stable.txt`, `surface-preview.txt`).
fn surface_listings(model: &Model) -> Vec<GeneratedFile> {
    [
        (View::Stable, "surface-stable.txt"),
        (View::Preview, "surface-preview.txt"),
    ]
    .into_iter()
    .map(|(view, path)| GeneratedFile {
        path: path.to_owned(),
        contents: codegen::surface(model, view).listing(),
    })
    .collect()
}

/// Brings the directory `dir` to exactly `files` (stale files are removed), writing only
/// what differs (see [`write`](mod@write)).
pub fn write_tree(dir: &Path, files: &[GeneratedFile]) -> anyhow::Result<()> {
    write::Plan::new(vec![write::Target {
        root: dir.to_path_buf(),
        shown: dir.display().to_string(),
        files: files.to_vec(),
        exact: true,
    }])?
    .commit()
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

    #[test]
    fn write_tree_replaces_the_whole_tree_and_drops_stale_files() {
        let base = std::env::temp_dir().join(format!("xtask-write-tree-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let dir = base.join("gen");
        write_tree(
            &dir,
            &[file("mod.rs", "a"), file("resources/old.rs", "old")],
        )
        .unwrap();
        write_tree(
            &dir,
            &[file("mod.rs", "b"), file("resources/new.rs", "new")],
        )
        .unwrap();
        assert_eq!(std::fs::read_to_string(dir.join("mod.rs")).unwrap(), "b");
        assert_eq!(
            std::fs::read_to_string(dir.join("resources/new.rs")).unwrap(),
            "new"
        );
        assert!(!dir.join("resources/old.rs").exists());
        // Nothing is left beside the tree.
        let names: Vec<_> = std::fs::read_dir(&base)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["gen"]);
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn a_failed_write_leaves_the_old_tree() {
        let base = std::env::temp_dir().join(format!("xtask-write-fail-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let dir = base.join("gen");
        write_tree(&dir, &[file("mod.rs", "old")]).unwrap();
        // A path that cannot be a file (a directory of the same name is written first).
        let err = write_tree(&dir, &[file("x/y.rs", "1"), file("x", "2")]).unwrap_err();
        assert!(format!("{err:#}").contains("cannot write"), "{err:#}");
        assert_eq!(std::fs::read_to_string(dir.join("mod.rs")).unwrap(), "old");
        let names: Vec<_> = std::fs::read_dir(&base)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["gen"]);
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn sha256_is_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
