//! The library half of `cargo xtask`: the commands (fetch, regen, check, diff, generate,
//! the benchmarks) over the `codegen` and `discovery` crates, so integration tests can
//! call them.

pub mod bench;
pub mod bench_build;
pub mod check;
pub mod diff;
pub mod fetch;
pub mod generate;
pub mod layout;
pub mod regen;
