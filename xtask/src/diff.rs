//! `cargo xtask diff`.

/// Arguments of `cargo xtask diff`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `cargo xtask diff`.
pub fn run(args: Args) -> anyhow::Result<std::process::ExitCode> {
    let _ = args;
    anyhow::bail!("cargo xtask diff is not implemented yet")
}
