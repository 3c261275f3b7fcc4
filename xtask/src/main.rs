//! `cargo xtask fetch | regen | generate | check | diff | bench-codegen | bench-build`: a thin CLI
//! over the `discovery` crate and the code generator.

use clap::{Parser, Subcommand};

use xtask::{bench, bench_build, check, diff, fetch, generate, regen};

/// Generation allocates a great deal (syn trees, prettyplease's buffers); mimalloc makes
/// it ~25% faster than the system allocator (see xtask/Cargo.toml).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Project automation for the chat-api workspace.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Download the stable and DEVELOPER_PREVIEW Discovery documents.
    Fetch(fetch::Args),
    /// Regenerate chat-api from Discovery documents.
    Regen(regen::Args),
    /// Generate a whole client crate for any Discovery document.
    Generate(generate::Args),
    /// Check that the committed chat-api/src/gen matches the locked documents.
    Check(check::Args),
    /// Compare two API surfaces.
    Diff(diff::Args),
    /// Benchmark the generator and the compile time of its output (release build).
    BenchCodegen(bench::Args),
    /// Benchmark clean debug builds of a small binary on chat-api and its peers (needs
    /// the registry).
    BenchBuild(bench_build::Args),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Fetch(args) => fetch::run(args),
        Command::Regen(args) => regen::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Check(args) => check::run(args),
        Command::Diff(args) => diff::run(args),
        Command::BenchCodegen(args) => bench::run(args),
        Command::BenchBuild(args) => bench_build::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
