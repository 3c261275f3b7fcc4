//! Finding the real Discovery documents in tests.
//!
//! CI sets `DISCOVERY_DIR` to `../shared/discovery` (a folder with `chat/` and `other/`).
//! Tests that need the real documents call [`real_documents_dir`]: when the variable is
//! unset they say on stderr that they were skipped and return early; when it is set but
//! the files are missing they fail loudly, so CI can never pass by skipping.

use std::path::PathBuf;

/// The environment variable naming the folder of real Discovery documents.
pub const DISCOVERY_DIR_VAR: &str = "DISCOVERY_DIR";

/// The folder of real documents, or `None` (with a "skipped" line on stderr) when
/// `DISCOVERY_DIR` is unset.
///
/// # Panics
///
/// When `DISCOVERY_DIR` is set but does not hold `chat/chat.v1.20260405.json`: a test that
/// should run must not silently pass.
pub fn real_documents_dir(test: &str) -> Option<PathBuf> {
    let Some(dir) = std::env::var_os(DISCOVERY_DIR_VAR) else {
        eprintln!("skipped {test}: {DISCOVERY_DIR_VAR} is not set (see README: Testing)");
        return None;
    };
    let dir = PathBuf::from(dir);
    let probe = dir.join("chat").join("chat.v1.20260405.json");
    assert!(
        probe.is_file(),
        "{DISCOVERY_DIR_VAR} is set to {} but {} is missing: the real documents are required \
         when the variable is set",
        dir.display(),
        probe.display()
    );
    Some(dir)
}
