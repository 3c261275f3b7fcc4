#!/usr/bin/env bash
# The project's test command (README: "The two commands"), the same on a fresh clone and
# in CI: formatting, lints, the whole test suite with and without the developer-preview
# feature (including `cargo xtask check` as a test, on the locked documents committed in
# generated/documents/), docs, and the check that the generator's output compiles for
# other Google APIs. The real documents the tests read are committed in
# testdata/discovery/ (DISCOVERY_DIR, when set, replaces that folder).
set -euo pipefail
cd "$(dirname "$0")/.."

# The slow compile checks (other Google APIs, the diff's verdicts against the compiler)
# run here; a plain `cargo test` leaves them out unless CHAT_API_CHECK_OTHER=1.
export CHAT_API_CHECK_OTHER="${CHAT_API_CHECK_OTHER:-1}"

cargo fmt --all --check
cargo clippy --workspace --all-targets --all-features -- -D warnings
cargo test --workspace --all-features
cargo test -p chat-api
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --all-features --no-deps
