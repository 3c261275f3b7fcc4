//! Finding the real Discovery documents in tests.
//!
//! The real documents the tests read (the Chat revisions in `chat/`, other Google APIs
//! in `other/`) are committed in the repository, in `testdata/discovery/`, so every
//! test runs on a fresh clone with nothing beside it. The environment variable
//! `DISCOVERY_DIR` replaces that folder (a folder with the same `chat/` and `other/`
//! layout), for trying the tests on other documents.

use std::path::{Path, PathBuf};

/// The environment variable that replaces the committed folder of real documents.
pub const DISCOVERY_DIR_VAR: &str = "DISCOVERY_DIR";

/// The committed folder of real documents, `testdata/discovery/` at the workspace root.
pub fn committed_documents_dir() -> PathBuf {
    // This crate sits one level below the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new(env!("CARGO_MANIFEST_DIR")))
        .join("testdata")
        .join("discovery")
}

/// The folder of real documents: `DISCOVERY_DIR` when it is set (and not empty), else
/// [`committed_documents_dir`].
pub fn documents_dir() -> PathBuf {
    match std::env::var_os(DISCOVERY_DIR_VAR) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => committed_documents_dir(),
    }
}

/// The folder of real documents for a test ([`documents_dir`]), checked to hold them.
///
/// # Panics
///
/// When the folder does not hold `chat/chat.v1.20260405.json`: a test never passes by
/// skipping, so a missing document fails it with a message saying where it looked.
pub fn real_documents_dir() -> PathBuf {
    let dir = documents_dir();
    let probe = dir.join("chat").join("chat.v1.20260405.json");
    assert!(
        probe.is_file(),
        "the real Discovery documents are missing: {} is not a file (they are committed in \
         testdata/discovery/; {DISCOVERY_DIR_VAR}, when set, must name a folder with the \
         same chat/ and other/ layout)",
        probe.display()
    );
    dir
}

/// The `*.json` documents in `other/` of [`real_documents_dir`], sorted by file name:
/// every file placed there is picked up.
///
/// # Panics
///
/// When the folder cannot be read or holds no document.
pub fn other_documents() -> Vec<PathBuf> {
    let dir = real_documents_dir().join("other");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| {
            entry
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
                .path()
        })
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    found.sort();
    assert!(!found.is_empty(), "no *.json document in {}", dir.display());
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_folder_holds_the_documents() {
        let dir = committed_documents_dir();
        assert!(dir.join("chat").join("chat.v1.20261107.json").is_file());
        assert!(dir.join("other").join("drive.v3.json").is_file());
    }
}
