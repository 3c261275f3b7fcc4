#!/usr/bin/env bash
# The project's test command (README: "The two commands"): formatting, lints, the whole
# test suite with and without the developer-preview feature, docs, and — when the real
# documents are available (DISCOVERY_DIR) — `cargo xtask check` (as a test) and the check
# that the generator's output compiles for other Google APIs.
set -euo pipefail
cd "$(dirname "$0")/.."

# The other-APIs compile check runs by default here; it skips itself when DISCOVERY_DIR
# is unset.
export CHAT_API_CHECK_OTHER="${CHAT_API_CHECK_OTHER:-1}"

cargo fmt --all --check
cargo clippy --workspace --all-targets --all-features -- -D warnings
cargo test --workspace --all-features
cargo test -p chat-api
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --all-features --no-deps
