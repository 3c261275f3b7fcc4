//! The library half of `cargo xtask`: the code generator and the regen/check commands,
//! so integration tests (snapshots, the committed-output check) can call them.

pub mod bench;
pub mod bench_build;
pub mod check;
pub mod codegen;
pub mod diff;
pub mod fetch;
pub mod generate;
pub mod regen;
