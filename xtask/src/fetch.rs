//! `cargo xtask fetch`.

/// Arguments of `cargo xtask fetch`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `cargo xtask fetch`.
pub fn run(args: Args) -> anyhow::Result<std::process::ExitCode> {
    let _ = args;
    anyhow::bail!("cargo xtask fetch is not implemented yet")
}
