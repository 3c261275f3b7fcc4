//! The previous generation, as `generated/lock.json` records it, and the summary of what
//! a regeneration changes relative to it.

use std::fmt::Write as _;
use std::path::PathBuf;

use codegen::Model;

use super::{Lock, build_model, locate};
use crate::diff::regen_summary;

/// What is known of the generation being replaced.
#[derive(Debug)]
pub enum Previous {
    /// No lock: this is the first generation.
    First,
    /// The locked documents were found and modelled.
    Known(Box<Model>),
    /// The lock names revisions whose documents could not be used.
    Unavailable {
        /// The locked revisions, e.g. `20260120 + preview 20260120`.
        revisions: String,
        /// Why no detailed diff can be made.
        why: String,
    },
}

/// The revisions a lock records, e.g. `20260405 + preview 20260405`.
fn lock_revisions(lock: &Lock) -> String {
    let stable = locate::locked(lock, "stable").map_or("(none)", |d| d.revision.as_str());
    match locate::locked(lock, "preview") {
        Some(preview) => format!("{stable} + preview {}", preview.revision),
        None => stable.to_owned(),
    }
}

impl Previous {
    /// Models the documents `lock` records, found by sha256 in `search`.
    pub fn load(lock: Option<&Lock>, search: &[PathBuf]) -> Previous {
        let Some(lock) = lock else {
            return Previous::First;
        };
        let unavailable = |why: String| Previous::Unavailable {
            revisions: lock_revisions(lock),
            why,
        };
        let mut found = Vec::new();
        for role in ["stable", "preview"] {
            let Some(locked) = locate::locked(lock, role) else {
                continue;
            };
            match locate::find(search, locked) {
                Ok(Some(input)) => found.push((role, input)),
                Ok(None) => {
                    return unavailable(format!(
                        "the locked {role} document {} (sha256 {}) is not in {}",
                        locked.file,
                        locked.sha256,
                        locate::list(search)
                    ));
                }
                Err(err) => return unavailable(format!("{err:#}")),
            }
        }
        let stable = found.iter().find(|(role, _)| *role == "stable");
        let preview = found.iter().find(|(role, _)| *role == "preview");
        let Some((_, stable)) = stable else {
            return unavailable("the lock records no stable document".to_owned());
        };
        match build_model(stable, preview.map(|(_, p)| p)) {
            Ok(model) => Previous::Known(Box::new(model)),
            Err(err) => unavailable(format!("the locked documents do not build: {err:#}")),
        }
    }

    /// The summary of going from this generation to `new`.
    pub fn summary(&self, new: &Model) -> String {
        match self {
            Previous::First => regen_summary(None, new),
            Previous::Known(old) => regen_summary(Some(old), new),
            Previous::Unavailable { revisions, why } => {
                let mut out = String::new();
                let new_revisions = match &new.preview_revision {
                    Some(preview) => format!("{} + preview {preview}", new.revision),
                    None => new.revision.clone(),
                };
                let _ = writeln!(
                    out,
                    "{}: revision {revisions} (from the lock) -> {new_revisions}",
                    new.id
                );
                let _ = writeln!(
                    out,
                    "no detailed diff: {why}. Compare with `cargo xtask diff OLD-FILE NEW-FILE` \
                     once you have the old document."
                );
                let _ = writeln!(out, "chat-api version bump: unknown (no diff)");
                let _ = writeln!(out, "{}", crate::diff::NEXT_STEPS);
                out
            }
        }
    }
}
