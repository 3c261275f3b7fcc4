//! `cargo xtask check`.

/// Arguments of `cargo xtask check`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `cargo xtask check`.
pub fn run(args: Args) -> anyhow::Result<std::process::ExitCode> {
    let _ = args;
    anyhow::bail!("cargo xtask check is not implemented yet")
}
