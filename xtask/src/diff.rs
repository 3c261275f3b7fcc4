//! `cargo xtask diff [OLD] [NEW]`: what changed between two API surfaces, and what it
//! breaks for users of the generated crate.
//!
//! OLD and NEW are Discovery document files, or `stable` / `preview` for the current
//! documents (the ones `generated/lock.json` records, else the newest in `--documents`).
//! With no arguments it compares stable with preview; with one, that file with stable.
//! The report is grouped by resource and schema; see `discovery::surface::diff` for how
//! each change is classified.

mod load;
mod summary;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use discovery::surface::render::{self, Options};
use discovery::surface::{Impact, Surface, View};

pub use load::Side;
pub use summary::{NEXT_STEPS, preview_vs_stable_markdown, regen_summary};

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Plain text for terminals.
    Text,
    /// Markdown for pull requests.
    Markdown,
    /// JSON for tools.
    Json,
}

/// What makes `--fail-on` exit non-zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Any breaking change.
    Breaking,
    /// Any change at all (descriptions aside).
    Any,
}

/// Arguments of `cargo xtask diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The old surface: a Discovery document file, `stable` or `preview` [default: stable].
    pub old: Option<String>,
    /// The new surface: a Discovery document file, `stable` or `preview` [default: preview
    /// with no OLD, else stable].
    pub new: Option<String>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit with status 1 when the diff has changes of this kind.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// List description-only changes (they are always counted).
    #[arg(long)]
    pub descriptions: bool,
    /// Where `stable` and `preview` are looked up when the lock names no files
    /// [default: $DISCOVERY_DIR/chat, else discovery/documents].
    #[arg(long, value_name = "DIR")]
    pub documents: Option<PathBuf>,
    /// The lock recording the current documents.
    #[arg(long, value_name = "FILE", default_value = "generated/lock.json")]
    pub lock: PathBuf,
}

/// Runs `cargo xtask diff`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (old, new) = match (&args.old, &args.new) {
        (None, None) => (Side::Stable, Side::Preview),
        (Some(old), None) => (Side::parse(old), Side::Stable),
        (Some(old), Some(new)) => (Side::parse(old), Side::parse(new)),
        (None, Some(_)) => anyhow::bail!("NEW given without OLD"),
    };
    let mut loader = load::Loader::new(args.documents.clone(), args.lock.clone());
    let old_surface = loader.surface(&old)?;
    let new_surface = loader.surface(&new)?;
    let diff = old_surface.diff(&new_surface);
    let options = Options {
        descriptions: args.descriptions,
    };
    let report = match args.format {
        // Stable against preview in Markdown is exactly generated/preview-vs-stable.md.
        Format::Markdown if old == Side::Stable && new == Side::Preview && !args.descriptions => {
            let model = loader.current_model()?;
            preview_vs_stable_markdown(&model)
        }
        Format::Markdown => render::markdown(&diff, options),
        Format::Text => render::text(&diff, options),
        Format::Json => render::json(&diff, options),
    };
    print!("{report}");
    let failed = match args.fail_on {
        Some(FailOn::Breaking) => diff.has_breaking(),
        Some(FailOn::Any) => !diff.is_empty(),
        None => false,
    };
    if failed {
        let n = match args.fail_on {
            Some(FailOn::Breaking) => diff.with_impact(Impact::Breaking).count(),
            _ => diff.changes.len(),
        };
        eprintln!(
            "error: {n} {} change(s) from {} to {} (--fail-on)",
            if args.fail_on == Some(FailOn::Breaking) {
                "breaking"
            } else {
                "surface"
            },
            old.describe(),
            new.describe()
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// Loads one document file as a stable-only model and lists its surface.
pub fn file_surface(path: &std::path::Path) -> anyhow::Result<Surface> {
    let document = discovery::Document::from_file(path)?;
    let model = codegen::Model::build(&document, None)
        .with_context(|| format!("{}: cannot build the model", path.display()))?;
    Ok(codegen::surface(&model, View::Stable))
}
