#!/usr/bin/env bash
# The tests, as the README gives them: builds the program (target/deploy/isthmus.so, which the
# LiteSVM tests load), then runs every test of the two Cargo workspaces:
#   - the root workspace: the interpreter (unit, the bundled Ethereum state tests, differential
#     against revm), the interface, the client, the relayer, the program in LiteSVM, rpc-proxy;
#   - programs/isthmus: the program's own unit tests (its allocator, its Anchor declarations
#     against isthmus-interface).
# Extra arguments go to the root workspace's `cargo test`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/build-program.sh
# The program just built, named explicitly: the tests' default path is fixed when isthmus-svm is
# compiled, and a CARGO_TARGET_DIR shared by two clones can hand one clone's tests the other's.
export ISTHMUS_SO="${ISTHMUS_SO:-$PWD/target/deploy/isthmus.so}"
cargo test --workspace --release "$@"
cargo test --manifest-path programs/isthmus/Cargo.toml
