//! `cargo xtask bench-codegen`: how fast the generator is, and how fast its output
//! compiles next to the `google-chat1` crate (the older generated client of this API)
//! built in the same run, the same way.
//!
//! Run it on a release build: `cargo run --release -p xtask -- bench-codegen`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::Context as _;

use crate::regen::{self, Input};

/// The baseline crate and version.
const BASELINE: &str = "google-chat1";
const BASELINE_VERSION: &str = "2.0.8";

/// Arguments of `cargo xtask bench-codegen`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The stable Chat document [default: the locked one, in generated/documents/].
    #[arg(long, value_name = "FILE")]
    pub stable: Option<PathBuf>,
    /// The preview Chat document [default: the locked one, without `--stable`; none with
    /// it].
    #[arg(long, value_name = "FILE")]
    pub preview: Option<PathBuf>,
    /// Runs of the generation benchmark.
    #[arg(long, default_value_t = 15)]
    pub runs: usize,
    /// Clean builds of each crate in the compile benchmark (0 skips it).
    #[arg(long, default_value_t = 3)]
    pub compile_runs: usize,
    /// Target directory of the compile benchmark (dependencies are built once there).
    #[arg(long, value_name = "DIR")]
    pub target_dir: Option<PathBuf>,
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Runs `cargo xtask bench-codegen`.
pub fn run(args: Args) -> anyhow::Result<std::process::ExitCode> {
    anyhow::ensure!(args.runs > 0, "--runs must be at least 1");
    if cfg!(debug_assertions) {
        eprintln!(
            "warning: a debug build of xtask; use `cargo run --release -p xtask -- bench-codegen`"
        );
    }
    let root = regen::workspace_root();
    let (stable, preview) = match (args.stable, args.preview) {
        (Some(stable), preview) => (
            Input::read(&stable)?,
            preview.as_deref().map(Input::read).transpose()?,
        ),
        // The documents of the committed generation.
        (None, preview) => {
            let (stable, locked_preview) = crate::check::locked_inputs(
                &root.join("generated"),
                &crate::check::default_documents_dir(&root),
            )?;
            let preview = match preview {
                Some(path) => Some(Input::read(&path)?),
                None => locked_preview,
            };
            (stable, preview)
        }
    };

    // (a) Generation: bytes -> documents -> model -> formatted files (and lock and
    // surface listings), all in memory.
    let mut samples = Vec::with_capacity(args.runs);
    let mut rendered = None;
    for _ in 0..args.runs {
        let start = Instant::now();
        let out = regen::render(&stable, preview.as_ref())?;
        samples.push(start.elapsed());
        rendered = Some(out);
    }
    let rendered = rendered.context("no run")?;
    let min = samples.iter().min().copied().unwrap_or_default();
    let max = samples.iter().max().copied().unwrap_or_default();
    let gen_lines: usize = rendered
        .gen_files
        .iter()
        .map(|f| f.contents.lines().count())
        .sum();
    let model = regen::build_model(&stable, preview.as_ref())?;
    let methods = count_methods(&model.resources);
    println!(
        "generation (stable + preview, bytes -> {} formatted files, {gen_lines} lines): median {:.1} ms over {} runs (min {:.1}, max {:.1}); target < 250 ms",
        rendered.gen_files.len(),
        ms(median(samples)),
        args.runs,
        ms(min),
        ms(max)
    );
    if args.compile_runs == 0 {
        return Ok(std::process::ExitCode::SUCCESS);
    }

    // (b) Compile time of the crate alone (dependencies built first), ours and the
    // baseline's, alternating, each a clean build of just that crate.
    let target = args
        .target_dir
        .unwrap_or_else(|| root.join("target").join("bench-codegen"));
    let baseline_dir = target.join("baseline-crate");
    write_baseline_crate(&baseline_dir)?;
    // chat-api's hand-written runtime alone (generated modules empty), to tell the
    // generated code's share: google-chat1 keeps its runtime in another crate.
    let runtime_dir = target.join("runtime-only");
    write_runtime_only_crate(&root, &runtime_dir)?;
    eprintln!("building dependencies of the crates (once)...");
    cargo(&root, &target, &["build", "-p", "chat-api"])?;
    cargo(&baseline_dir, &target, &["build"])?;
    cargo(&runtime_dir, &target, &["build"])?;
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    let mut runtime = Vec::new();
    for _ in 0..args.compile_runs {
        cargo(&root, &target, &["clean", "-p", "chat-api"])?;
        ours.push(cargo(&root, &target, &["build", "-p", "chat-api"])?);
        cargo(&baseline_dir, &target, &["clean", "-p", BASELINE])?;
        theirs.push(cargo(&baseline_dir, &target, &["build", "-p", BASELINE])?);
        cargo(&runtime_dir, &target, &["clean", "-p", RUNTIME_ONLY])?;
        runtime.push(cargo(&runtime_dir, &target, &["build"])?);
    }
    let (ours, theirs, runtime) = (median(ours), median(theirs), median(runtime));
    let (their_lines, their_methods) = baseline_source_stats(&baseline_dir, &target)?;
    let ours_per_method = ours.as_secs_f64() / methods as f64;
    let theirs_per_method = theirs.as_secs_f64() / their_methods.max(1) as f64;
    println!(
        "compile, crate alone (dev profile, median of {}):\n  chat-api:          {:.2} s, {gen_lines} generated lines, {methods} methods, {:.1} ms/method\n  {BASELINE} {BASELINE_VERSION}: {:.2} s, {their_lines} lines, {their_methods} methods, {:.1} ms/method\n  per-method ratio chat-api / {BASELINE}: {:.2} (target < 1)",
        args.compile_runs,
        ours.as_secs_f64(),
        ours_per_method * 1000.0,
        theirs.as_secs_f64(),
        theirs_per_method * 1000.0,
        ours_per_method / theirs_per_method
    );
    let generated = ours.saturating_sub(runtime);
    let generated_per_method = generated.as_secs_f64() / methods as f64;
    println!(
        "  chat-api's hand-written runtime alone: {:.2} s; so its generated code: {:.2} s, {:.1} ms/method, ratio to {BASELINE} (whose runtime is another crate): {:.2}",
        runtime.as_secs_f64(),
        generated.as_secs_f64(),
        generated_per_method * 1000.0,
        generated_per_method / theirs_per_method
    );
    Ok(std::process::ExitCode::SUCCESS)
}

/// The package name of the runtime-only copy of chat-api.
const RUNTIME_ONLY: &str = "chat-api-runtime-only";

/// A copy of the chat-api crate, outside the workspace, with empty generated modules.
fn write_runtime_only_crate(root: &Path, dir: &Path) -> anyhow::Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("cannot remove {}", dir.display()))?;
    }
    copy_dir(&root.join("chat-api"), dir)?;
    // The workspace's shared settings (`edition.workspace = true`, ...) with this crate
    // as its only member.
    let workspace = std::fs::read_to_string(root.join("Cargo.toml"))?;
    let start = workspace.find("members").context("no workspace members")?;
    let end = start
        + workspace[start..]
            .find(']')
            .context("no end of workspace members")?
        + 1;
    let workspace = format!("{}members = []{}", &workspace[..start], &workspace[end..]);
    let manifest_path = dir.join("Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path)?.replacen(
        "name = \"chat-api\"",
        &format!("name = \"{RUNTIME_ONLY}\""),
        1,
    );
    std::fs::write(&manifest_path, format!("{manifest}\n{workspace}"))?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    let gen_dir = dir.join("src").join("gen");
    std::fs::remove_dir_all(&gen_dir)?;
    std::fs::create_dir_all(&gen_dir)?;
    std::fs::write(
        gen_dir.join("mod.rs"),
        "//! Empty.\npub mod models {}\npub mod resources {}\n",
    )?;
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    for entry in
        std::fs::read_dir(from).with_context(|| format!("cannot list {}", from.display()))?
    {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn count_methods(resources: &[codegen::model::Resource]) -> usize {
    resources
        .iter()
        .map(|r| r.methods.len() + count_methods(&r.resources))
        .sum()
}

/// A scratch crate depending on the baseline, outside every workspace.
fn write_baseline_crate(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir.join("src"))
        .with_context(|| format!("cannot create {}", dir.display()))?;
    let manifest = format!(
        "[package]\nname = \"baseline-bench\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n{BASELINE} = \"={BASELINE_VERSION}\"\n\n[workspace]\n"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest)?;
    std::fs::write(dir.join("src").join("lib.rs"), "pub use google_chat1;\n")?;
    Ok(())
}

/// Runs cargo in `dir` with `target` as target dir; returns the wall time. Its output
/// (warnings of the runtime-only copy, say) is shown only when it fails.
fn cargo(dir: &Path, target: &Path, args: &[&str]) -> anyhow::Result<Duration> {
    let start = Instant::now();
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(args)
        .arg("--quiet")
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .with_context(|| format!("cannot run cargo {args:?}"))?;
    let elapsed = start.elapsed();
    anyhow::ensure!(
        output.status.success(),
        "cargo {args:?} in {} failed:\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(elapsed)
}

/// Lines of the baseline's sources and its number of methods (`doit` calls).
fn baseline_source_stats(dir: &Path, target: &Path) -> anyhow::Result<(usize, usize)> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["metadata", "--format-version", "1"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .context("cannot run cargo metadata")?;
    anyhow::ensure!(output.status.success(), "cargo metadata failed");
    let meta: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    let manifest = meta["packages"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == BASELINE))
        .and_then(|p| p["manifest_path"].as_str())
        .with_context(|| format!("{BASELINE} not in cargo metadata"))?;
    let src = Path::new(manifest).with_file_name("src");
    let (mut lines, mut methods) = (0, 0);
    let mut stack = vec![src];
    while let Some(dir) = stack.pop() {
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("cannot list {}", dir.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&path)?;
                lines += text.lines().count();
                methods += text.matches("pub async fn doit(").count();
            }
        }
    }
    Ok((lines, methods))
}
