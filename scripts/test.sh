#!/usr/bin/env bash
# The project's test command (README: "Testing"). Lints, tests, docs, and the check that
# the generator's output compiles for other Google APIs.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --all --check
cargo clippy --workspace --all-targets --all-features -- -D warnings
cargo test --workspace --all-features
cargo test -p chat-api --no-default-features
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --all-features --no-deps
