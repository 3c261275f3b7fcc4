//! `cargo xtask check [--documents DIR]`: regenerate in memory from the documents the
//! lock names (found by sha256 in DIR) and fail, naming the files, if the committed
//! output differs.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::regen::{self, Input, Lock};

/// Arguments of `cargo xtask check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder of Discovery documents holding the locked ones [default:
    /// generated/documents, where regen commits them].
    #[arg(long, value_name = "DIR")]
    pub documents: Option<PathBuf>,
    /// The crate whose `src/gen/` is checked, relative to the workspace root.
    #[arg(long, value_name = "DIR", default_value = "chat-api")]
    pub out_crate: PathBuf,
}

/// The default documents folder: the locked documents committed in
/// `generated/documents/`, so a fresh clone checks with nothing beside it.
pub fn default_documents_dir(root: &Path) -> PathBuf {
    root.join("generated").join(regen::DOCUMENTS_DIR)
}

/// Finds the document with `sha256` in `dir`, trying the locked file name first.
fn find_document(dir: &Path, locked: &regen::LockedDocument) -> anyhow::Result<Input> {
    if !dir.is_dir() {
        anyhow::bail!("cannot list {}: not a folder", dir.display());
    }
    regen::locate::find(&[dir.to_path_buf()], locked)?.with_context(|| {
        format!(
            "{}: no document with sha256 {} (the {} document {} revision {}, locked as {})",
            dir.display(),
            locked.sha256,
            locked.role,
            locked.id,
            locked.revision,
            locked.file
        )
    })
}

/// Regenerates from the locked documents in `documents` and returns the paths (relative
/// to the workspace root) of every committed file that differs, is missing, or is stale.
pub fn differences(root: &Path, out_crate: &Path, documents: &Path) -> anyhow::Result<Vec<String>> {
    let lock_path = root.join("generated").join("lock.json");
    let lock_text = std::fs::read_to_string(&lock_path)
        .with_context(|| format!("cannot read {}", lock_path.display()))?;
    let lock: Lock = serde_json::from_str(&lock_text)
        .with_context(|| format!("{}: not a valid lock", lock_path.display()))?;
    let stable = lock
        .documents
        .iter()
        .find(|d| d.role == "stable")
        .with_context(|| format!("{}: no stable document", lock_path.display()))?;
    let stable = find_document(documents, stable)?;
    let preview = lock
        .documents
        .iter()
        .find(|d| d.role == "preview")
        .map(|d| find_document(documents, d))
        .transpose()?;
    let rendered = regen::render(&stable, preview.as_ref())?;

    let mut diffs = Vec::new();
    let gen_rel = out_crate.join("src").join("gen");
    let gen_dir = root.join(&gen_rel);
    let mut expected = std::collections::BTreeSet::new();
    for f in &rendered.gen_files {
        expected.insert(PathBuf::from(&f.path));
        if std::fs::read_to_string(gen_dir.join(&f.path))
            .ok()
            .as_deref()
            != Some(f.contents.as_str())
        {
            diffs.push(gen_rel.join(&f.path).display().to_string());
        }
    }
    for stale in list_files(&gen_dir)? {
        if !expected.contains(&stale) {
            diffs.push(format!("{} (stale)", gen_rel.join(&stale).display()));
        }
    }
    for f in &rendered.review_files {
        let path = root.join("generated").join(&f.path);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(f.contents.as_str()) {
            diffs.push(format!("generated/{}", f.path));
        }
    }
    // The committed copies of the locked documents: exactly those, byte for byte.
    let docs_rel = Path::new("generated").join(regen::DOCUMENTS_DIR);
    let docs_dir = root.join(&docs_rel);
    for f in &rendered.documents {
        if std::fs::read(docs_dir.join(&f.path)).ok().as_deref() != Some(f.contents.as_bytes()) {
            diffs.push(docs_rel.join(&f.path).display().to_string());
        }
    }
    for stale in list_files(&docs_dir)? {
        if !rendered
            .documents
            .iter()
            .any(|f| Path::new(&f.path) == stale)
        {
            diffs.push(format!("{} (stale)", docs_rel.join(&stale).display()));
        }
    }
    Ok(diffs)
}

/// Files under `dir`, relative to it, sorted.
fn list_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let here = dir.join(&rel);
        let entries = match std::fs::read_dir(&here) {
            Ok(e) => e,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => continue,
            Err(err) => return Err(err).with_context(|| format!("cannot list {}", here.display())),
        };
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot list {}", here.display()))?;
            let path = rel.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Runs `cargo xtask check`.
pub fn run(args: Args) -> anyhow::Result<std::process::ExitCode> {
    let root = regen::workspace_root();
    let documents = args
        .documents
        .unwrap_or_else(|| default_documents_dir(&root));
    let diffs = differences(&root, &args.out_crate, &documents)?;
    if diffs.is_empty() {
        eprintln!(
            "generated output is up to date with {}",
            documents.display()
        );
        return Ok(std::process::ExitCode::SUCCESS);
    }
    eprintln!("the committed generated output differs from what the locked documents give:");
    for d in &diffs {
        eprintln!("  {d}");
    }
    eprintln!("run `cargo xtask regen` with the locked documents and commit the result");
    Ok(std::process::ExitCode::FAILURE)
}
