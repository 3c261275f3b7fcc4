//! `cargo xtask generate DOC --out DIR`: a whole client crate for any Discovery
//! document: `Cargo.toml`, `src/lib.rs` (the crate's `SERVICE`: root URL, service path
//! and mTLS root URL from the document, a default scope, re-exports of the runtime) and
//! `src/gen/` (what `regen` writes for chat-api), on the `google-api-runtime` crate.
//!
//! chat-api itself is not made this way: its `lib.rs` is hand-written (Chat's default
//! scope, error hints and card helpers), and `regen` writes only its `src/gen/`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use codegen::Model;
pub use codegen::emit::crate_layout::default_package_name;
use codegen::emit::crate_layout::{MANIFEST_MARK, crate_files};

use crate::regen::{self, Input, write};

/// Arguments of `cargo xtask generate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The API's Discovery document (a file).
    pub document: PathBuf,
    /// Its DEVELOPER_PREVIEW document: preview-only items go behind the
    /// `developer-preview` feature.
    #[arg(long)]
    pub preview: Option<PathBuf>,
    /// The crate's directory (created if missing). An existing `Cargo.toml` there must be
    /// one this command wrote.
    #[arg(long)]
    pub out: PathBuf,
    /// The package name (default: `google-<name>-<version>`, e.g. `google-drive-v3`).
    #[arg(long)]
    pub name: Option<String>,
    /// The `google-api-runtime` crate the generated one depends on, as a path (default:
    /// this workspace's `runtime/`).
    #[arg(long)]
    pub runtime: Option<PathBuf>,
}

/// Runs `cargo xtask generate`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let stable = Input::read(&args.document)?;
    let preview = args.preview.as_deref().map(Input::read).transpose()?;
    let runtime = match args.runtime {
        Some(path) => path,
        None => regen::workspace_root().join("runtime"),
    };
    let runtime = std::path::absolute(&runtime)
        .with_context(|| format!("cannot resolve {}", runtime.display()))?;
    let model = regen::build_model(&stable, preview.as_ref())?;
    let name = match args.name {
        Some(name) => name,
        None => default_package_name(&model),
    };
    // Absolute, so that a bare `--out name` has a parent folder to write beside.
    let out = std::path::absolute(&args.out)
        .with_context(|| format!("cannot resolve --out {}", args.out.display()))?;
    write_crate(&model, &out, &name, &runtime)?;
    println!(
        "generated {} ({} revision {}) into {}",
        name,
        model.id,
        model.revision,
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes the crate for `model` into `out` (only files that differ; stale files under
/// `src/gen/` are removed).
pub fn write_crate(model: &Model, out: &Path, name: &str, runtime: &Path) -> anyhow::Result<()> {
    let manifest_path = out.join("Cargo.toml");
    if let Ok(existing) = std::fs::read_to_string(&manifest_path)
        && !existing.starts_with(MANIFEST_MARK)
    {
        anyhow::bail!(
            "{} exists and was not written by `cargo xtask generate`: refusing to replace it \
             (choose another --out)",
            manifest_path.display()
        );
    }
    let files = crate_files(model, name, runtime)?;
    write::Plan::new(vec![
        write::Target {
            root: out.to_path_buf(),
            shown: out.display().to_string(),
            files: files.root,
            exact: false,
        },
        write::Target {
            root: out.join("src").join("gen"),
            shown: out.join("src").join("gen").display().to_string(),
            files: files.generated,
            exact: true,
        },
    ])?
    .commit()
}
