//! `cargo xtask regen`.

/// Arguments of `cargo xtask regen`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `cargo xtask regen`.
pub fn run(args: Args) -> anyhow::Result<std::process::ExitCode> {
    let _ = args;
    anyhow::bail!("cargo xtask regen is not implemented yet")
}
