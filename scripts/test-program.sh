#!/usr/bin/env bash
# Builds the Isthmus program (scripts/build-program.sh) and runs tests/program: the built .so in
# LiteSVM, with compute metering. Prints the compute units per instruction (the `compute_units`
# test; `execute:` lines from tests/execute.rs, with the heap used; `execute:` and `precompile`
# lines from tests/contracts.rs, the Solidity contracts of tests/contracts). The first build of
# the test crate takes ~8 minutes (litesvm and the agave crates).
# Extra arguments go to `cargo test` (e.g. a test name).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/build-program.sh"
cd "$ROOT"
cargo test --release -p isthmus-program-tests "$@" -- --show-output
