//! Where the workspace's inputs and outputs live: the one module every command may use
//! for paths, so that commands need not use each other for them.

use std::path::{Path, PathBuf};

/// Where the locked documents are committed, under `generated/`.
pub const DOCUMENTS_DIR: &str = "documents";

/// The workspace root (the parent of the xtask crate).
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}
