//! Which documents a regeneration reads: local files (`--stable FILE`), or freshly
//! fetched ones, with the locked preview document standing in when there is no API key
//! and it still belongs to the fetched stable revision.

use std::path::{Path, PathBuf};

use anyhow::bail;

use super::{Args, Input, Lock, locate};
use crate::fetch::{self, Wanted};

/// The documents to generate from.
#[derive(Debug)]
pub struct Inputs {
    /// The stable document.
    pub stable: Input,
    /// The DEVELOPER_PREVIEW document, unless `--no-preview`.
    pub preview: Option<Input>,
}

/// How to pass a preview document or do without one, for error messages.
fn preview_choices() -> String {
    format!(
        "pass --preview FILE, set {} (or --api-key-file PATH) to fetch the current preview \
         document, or pass --no-preview to generate the stable surface only (the \
         `developer-preview` feature then adds nothing)",
        fetch::API_KEY_VAR
    )
}

/// Resolves the inputs for `args`. `lock` is the current lock, `search` the folders where
/// locked documents are looked for.
///
/// # Errors
///
/// When a file cannot be read, fetching fails, or no preview document is available and
/// `--no-preview` was not given.
pub fn resolve(
    args: &Args,
    documents: &Path,
    lock: Option<&Lock>,
    search: &[PathBuf],
) -> anyhow::Result<Inputs> {
    let given_preview = args.preview.as_deref().map(Input::read).transpose()?;
    if let Some(stable) = &args.stable {
        let stable = Input::read(stable)?;
        if given_preview.is_none() && !args.no_preview {
            bail!(
                "--stable without --preview would drop the Developer Preview surface: pass \
                 --preview FILE, or --no-preview to generate the stable surface only (the \
                 `developer-preview` feature then adds nothing)"
            );
        }
        return Ok(Inputs {
            stable,
            preview: given_preview,
        });
    }

    let wanted = if given_preview.is_some() || args.no_preview {
        Wanted::StableOnly
    } else {
        Wanted::StableAndPreview
    };
    println!(
        "fetching the Discovery documents into {}",
        documents.display()
    );
    let fetched = fetch::fetch_documents(&args.remote, documents, wanted)
        .map_err(|err| fetch_failed(&err, search))?;
    let stable = Input::read(&fetched.stable)?;
    if given_preview.is_some() || args.no_preview {
        return Ok(Inputs {
            stable,
            preview: given_preview,
        });
    }
    if let Some(path) = &fetched.preview {
        return Ok(Inputs {
            stable,
            preview: Some(Input::read(path)?),
        });
    }

    println!(
        "preview: the DEVELOPER_PREVIEW document was NOT refreshed: no API key ({} or \
         --api-key-file PATH)",
        fetch::API_KEY_VAR
    );
    let preview = locked_preview(&stable, lock, search)?;
    Ok(Inputs { stable, preview })
}

/// The error for a failed fetch: the cause, then how to work from local files (unless
/// the cause already says so) and where documents already are.
fn fetch_failed(err: &anyhow::Error, search: &[PathBuf]) -> anyhow::Error {
    let cause = format!("{err:#}");
    let mut message =
        format!("cannot fetch the Discovery documents (nothing was changed): {cause}");
    if !cause.contains("cargo xtask regen --stable") {
        message.push_str(
            "\nTo regenerate from local files instead: cargo xtask regen --stable FILE \
             --preview FILE (or --no-preview)",
        );
    }
    let existing: Vec<PathBuf> = search.iter().filter(|d| d.is_dir()).cloned().collect();
    if !existing.is_empty() {
        message.push_str(&format!(
            "\nDocuments may already be in {}",
            locate::list(&existing)
        ));
    }
    anyhow::anyhow!(message)
}

/// The locked preview document, when it is found and still belongs to `stable`'s
/// revision; `None` when the lock records no preview (the previous generation had none
/// either).
fn locked_preview(
    stable: &Input,
    lock: Option<&Lock>,
    search: &[PathBuf],
) -> anyhow::Result<Option<Input>> {
    let Some(lock) = lock else {
        bail!(
            "no preview document: there is no lock recording one. {}",
            preview_choices()
        );
    };
    let Some(locked) = locate::locked(lock, "preview") else {
        println!(
            "preview: the current generation has no preview document either; generating the \
             stable surface only"
        );
        return Ok(None);
    };
    let Some(found) = locate::find(search, locked)? else {
        bail!(
            "the locked preview document {} (revision {}, sha256 {}) is not in {}. {}",
            locked.file,
            locked.revision,
            locked.sha256,
            locate::list(search),
            preview_choices()
        );
    };
    // The preview document extends one stable revision; merged with another it would
    // bring back what that revision removed, as preview-only items.
    let stable_revision = discovery::Document::from_slice(&stable.bytes, &stable.origin)?.revision;
    let locked_stable = locate::locked(lock, "stable").map(|d| d.revision.as_str());
    if locked_stable != Some(stable_revision.as_str()) {
        bail!(
            "the locked preview document {} goes with stable revision {}, but the fetched \
             stable document is revision {stable_revision}; merging them could present \
             removed items as preview-only. {}",
            locked.file,
            locked_stable.unwrap_or("(none)"),
            preview_choices()
        );
    }
    println!(
        "preview: reusing the locked preview document {} (revision {}, same sha256 as in the \
         lock; the stable revision {stable_revision} is unchanged)",
        found.origin, locked.revision
    );
    Ok(Some(found))
}
