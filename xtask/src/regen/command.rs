//! `cargo xtask regen` itself: resolve the inputs, compute everything in memory, then
//! write what differs (the lock last) and print the summary.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;

use super::previous::Previous;
use super::write::{Kind, Plan, Target};
use super::{
    Args, LOCK_FILE, build_model, generations, inputs, locate, render_model, workspace_root,
};

/// `path` relative to `root` when it is inside it, for messages.
fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
        .replace('\\', "/")
}

/// Runs `cargo xtask regen`.
///
/// # Errors
///
/// When the inputs cannot be read or fetched, do not build, or the files cannot be
/// written; the tree is then as it was.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let root = workspace_root();
    let gen_dir = root.join(&args.out_crate).join("src").join("gen");
    let generated_dir = root.join(&args.generated_dir);
    let documents = args
        .documents
        .clone()
        .unwrap_or_else(crate::fetch::default_documents_dir);
    let lock_path = generated_dir.join("lock.json");
    let lock = match locate::read_lock(&lock_path) {
        Ok(lock) => lock,
        Err(err) => {
            // The lock is about to be rewritten; a broken one only costs the diff.
            eprintln!("warning: {err:#}; regenerating without comparing with it");
            None
        }
    };

    // Where documents the lock names may be: the documents folder, beside the given
    // files, and the development documents.
    let beside = [&args.stable, &args.preview]
        .into_iter()
        .flatten()
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .map(|p| {
            if p.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                p
            }
        });
    // The real Chat documents committed for the tests (or DISCOVERY_DIR's): where a
    // previously locked revision is found when it is no longer in `generated/documents/`.
    let dev = Some(discovery::testing::documents_dir().join("chat"));
    let committed = generated_dir.join(super::DOCUMENTS_DIR);
    let search = locate::dedup(
        std::iter::once(committed)
            .chain(std::iter::once(documents.clone()))
            .chain(beside)
            .chain(dev),
    );

    let inputs = inputs::resolve(&args, &documents, lock.as_ref(), &search)?;
    let model = build_model(&inputs.stable, inputs.preview.as_ref())?;
    let rendered = render_model(&model, &inputs.stable, inputs.preview.as_ref())?;
    let previous = Previous::load(lock.as_ref(), &search);
    let summary = previous.summary(&model);

    let (gen_shown, generated_shown) = (shown(&root, &gen_dir), shown(&root, &generated_dir));
    let mixed = generations(&gen_dir);
    let (lock_file, review_files): (Vec<_>, Vec<_>) = rendered
        .review_files
        .into_iter()
        .partition(|f| f.path == LOCK_FILE);
    // Rust names that change for items both generations have (the listings say).
    let mut renamed = Vec::new();
    for listing in review_files
        .iter()
        .filter(|f| f.path.starts_with("surface-"))
    {
        if let Ok(old) = std::fs::read_to_string(generated_dir.join(&listing.path)) {
            for line in super::renames::renames(&old, &listing.contents) {
                renamed.push(format!("{}: {line}", listing.path));
            }
        }
    }
    let plan = Plan::new(vec![
        Target {
            shown: gen_shown.clone(),
            root: gen_dir,
            files: rendered.gen_files,
            exact: true,
        },
        Target {
            shown: generated_shown.clone(),
            root: generated_dir.clone(),
            files: review_files,
            exact: false,
        },
        Target {
            shown: format!("{generated_shown}/{}", super::DOCUMENTS_DIR),
            root: generated_dir.join(super::DOCUMENTS_DIR),
            files: rendered.documents,
            exact: true,
        },
        // The lock goes last: until it is written, the tree is not this generation.
        Target {
            shown: generated_shown.clone(),
            root: generated_dir,
            files: lock_file,
            exact: false,
        },
    ])?;
    let revisions = match &model.preview_revision {
        Some(preview) => format!("{} + preview {preview}", model.revision),
        None => model.revision.clone(),
    };
    let leftovers = plan.leftovers();
    if !leftovers.is_empty() {
        println!(
            "removing {} leftover{} of an interrupted regen: {}",
            leftovers.len(),
            if leftovers.len() == 1 { "" } else { "s" },
            leftovers.join(", ")
        );
    }
    if mixed.len() > 1 {
        println!(
            "note: the files of {gen_shown} come from {} different generations (an \
             interrupted regen?); every file that differs is rewritten now",
            mixed.len()
        );
    }
    if plan.is_empty() {
        plan.commit()
            .context("cannot remove the leftovers of an interrupted regen")?;
        println!(
            "no changes: {gen_shown} and {generated_shown} already match {} revision \
             {revisions}; nothing was written",
            model.id
        );
        return Ok(ExitCode::SUCCESS);
    }
    let changes = plan.changes();
    plan.commit()
        .context("cannot write the regenerated files")?;

    let count = |kind: Kind| changes.iter().filter(|c| c.kind == kind).count();
    println!(
        "regenerated {} revision {revisions}: {} file{} changed ({} added, {} changed, {} removed)",
        model.id,
        changes.len(),
        if changes.len() == 1 { "" } else { "s" },
        count(Kind::Added),
        count(Kind::Modified),
        count(Kind::Removed)
    );
    for change in &changes {
        println!("  {:<8} {}", change.kind.label(), change.shown);
    }
    print!("{summary}");
    if !renamed.is_empty() {
        println!(
            "renamed in Rust ({}; breaking for code using the old names, even where the \
             documents did not change):",
            renamed.len()
        );
        for line in &renamed {
            println!("  {line}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
