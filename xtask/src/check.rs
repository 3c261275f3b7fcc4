//! `cargo xtask check [--documents DIR] [--fix]`: regenerate in memory from the documents
//! the lock names (found by sha256 in DIR) and fail, naming the files, if the committed
//! output differs, is missing or is stale, or if an interrupted regen left temporary
//! files behind. `--fix` rewrites those files from the locked documents (the lock is the
//! last generation a regen finished) and removes the leftovers.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::regen::write::{Kind, Plan, Target};
use crate::regen::{self, Input, LOCK_FILE, Lock};

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
    /// The folder of review files (lock, surface listings, preview report), relative to
    /// the workspace root.
    #[arg(long, value_name = "DIR", default_value = "generated")]
    pub generated_dir: PathBuf,
    /// Rewrite every file that differs from the locked generation and remove the
    /// leftovers of an interrupted regen.
    #[arg(long)]
    pub fix: bool,
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

/// The stable and (if locked) preview documents of `generated_dir`'s lock, read from
/// `documents` and matched by sha256.
///
/// # Errors
///
/// When the lock cannot be read or a locked document is not in `documents`.
pub fn locked_inputs(
    generated_dir: &Path,
    documents: &Path,
) -> anyhow::Result<(Input, Option<Input>)> {
    let lock_path = generated_dir.join(LOCK_FILE);
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
    Ok((stable, preview))
}

/// What `check` found.
#[derive(Debug)]
pub struct Report {
    /// Every file that differs from the locked generation, is missing, or is stale
    /// (`... (stale)`), then every leftover of an interrupted regen
    /// (`... (leftover of an interrupted regen)`), paths relative to the workspace root.
    pub differences: Vec<String>,
    /// The distinct `// @generated` lines of the committed generated files, with their
    /// files: more than one means a regen was interrupted partway.
    pub generations: BTreeMap<String, Vec<String>>,
    /// The `// @generated` line the locked documents give.
    pub locked_header: String,
    /// The writes that would repair the tree.
    plan: Plan,
}

impl Report {
    /// Rewrites every file that differs from the locked generation and removes the
    /// leftovers of interrupted runs.
    ///
    /// # Errors
    ///
    /// When a write fails (see [`Plan::commit`]).
    pub fn fix(self) -> anyhow::Result<()> {
        self.plan.commit()
    }
}

/// Regenerates from the locked documents in `documents` and compares with the tree:
/// `out_crate` and `generated_dir` are relative to `root` (or absolute).
///
/// # Errors
///
/// When the lock cannot be read, a locked document is not in `documents`, it does not
/// build, or the tree cannot be read.
pub fn inspect(
    root: &Path,
    out_crate: &Path,
    generated_dir: &Path,
    documents: &Path,
) -> anyhow::Result<Report> {
    let (stable, preview) = locked_inputs(&root.join(generated_dir), documents)?;
    let rendered = regen::render(&stable, preview.as_ref())?;
    let locked_header = rendered
        .gen_files
        .first()
        .and_then(|f| f.contents.lines().next())
        .unwrap_or_default()
        .to_owned();

    let gen_rel = out_crate.join("src").join("gen");
    let gen_dir = root.join(&gen_rel);
    let generations = regen::generations(&gen_dir);
    let (lock_file, review_files): (Vec<_>, Vec<_>) = rendered
        .review_files
        .into_iter()
        .partition(|f| f.path == LOCK_FILE);
    let generated_shown = generated_dir.display().to_string().replace('\\', "/");
    let plan = Plan::new(vec![
        Target {
            root: gen_dir,
            shown: gen_rel.display().to_string().replace('\\', "/"),
            files: rendered.gen_files,
            exact: true,
        },
        Target {
            root: root.join(generated_dir),
            shown: generated_shown.clone(),
            files: review_files,
            exact: false,
        },
        // The committed copies of the locked documents: exactly those, byte for byte.
        Target {
            root: root.join(generated_dir).join(regen::DOCUMENTS_DIR),
            shown: format!("{generated_shown}/{}", regen::DOCUMENTS_DIR),
            files: rendered.documents,
            exact: true,
        },
        Target {
            root: root.join(generated_dir),
            shown: generated_shown,
            files: lock_file,
            exact: false,
        },
    ])?;
    let mut differences: Vec<String> = plan
        .changes()
        .into_iter()
        .map(|c| match c.kind {
            Kind::Removed => format!("{} (stale)", c.shown),
            Kind::Added | Kind::Modified => c.shown,
        })
        .collect();
    differences.extend(
        plan.leftovers()
            .into_iter()
            .map(|l| format!("{l} (leftover of an interrupted regen)")),
    );
    Ok(Report {
        differences,
        generations,
        locked_header,
        plan,
    })
}

/// Regenerates from the locked documents in `documents` and returns the paths (relative
/// to the workspace root) of every committed file that differs, is missing, or is stale,
/// and of every leftover of an interrupted regen (see [`Report::differences`]).
///
/// # Errors
///
/// As [`inspect`].
pub fn differences(root: &Path, out_crate: &Path, documents: &Path) -> anyhow::Result<Vec<String>> {
    Ok(inspect(root, out_crate, Path::new("generated"), documents)?.differences)
}

/// Runs `cargo xtask check`.
///
/// # Errors
///
/// As [`inspect`], and when `--fix` cannot write.
pub fn run(args: Args) -> anyhow::Result<std::process::ExitCode> {
    let root = regen::workspace_root();
    let documents = args
        .documents
        .unwrap_or_else(|| default_documents_dir(&root));
    let report = inspect(&root, &args.out_crate, &args.generated_dir, &documents)?;
    if report.differences.is_empty() {
        eprintln!(
            "generated output is up to date with {}",
            documents.display()
        );
        return Ok(std::process::ExitCode::SUCCESS);
    }
    eprintln!("the committed generated output differs from what the locked documents give:");
    for d in &report.differences {
        eprintln!("  {d}");
    }
    let interrupted = report.generations.len() > 1
        || report
            .differences
            .iter()
            .any(|d| d.ends_with("(leftover of an interrupted regen)"));
    if interrupted {
        eprintln!(
            "this looks like an interrupted `cargo xtask regen` (the lock, written last, is \
             the last generation it finished: {})",
            report.locked_header
        );
        for (header, files) in &report.generations {
            eprintln!("  {} file(s) say: {header}", files.len());
        }
    }
    if args.fix {
        let count = report.differences.len();
        let locked_header = report.locked_header.clone();
        report.fix().context("cannot repair the generated output")?;
        let after = inspect(&root, &args.out_crate, &args.generated_dir, &documents)?;
        if !after.differences.is_empty() {
            anyhow::bail!(
                "the repair left differences: {}",
                after.differences.join(", ")
            );
        }
        eprintln!(
            "repaired: {count} path(s) rewritten or removed; the tree is now the locked \
             generation ({locked_header})"
        );
        return Ok(std::process::ExitCode::SUCCESS);
    }
    eprintln!(
        "to repair: `cargo xtask check --fix` rewrites these from the locked documents; or \
         re-run the `cargo xtask regen` that was interrupted to finish it; after a deliberate \
         change, run `cargo xtask regen` with the locked documents and commit the result"
    );
    Ok(std::process::ExitCode::FAILURE)
}
