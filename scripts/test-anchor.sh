#!/usr/bin/env bash
# Runs the Anchor TypeScript suite (tests/anchor: mocha, @coral-xyz/anchor over idl/isthmus.json)
# in-process: npm `litesvm` loads target/deploy/isthmus.so, no validator. Builds the program first
# (scripts/build-program.sh: a no-op when it is up to date), then `npm ci` and `npm test`.
#
#   scripts/test-anchor.sh              build, install, run
#   scripts/test-anchor.sh --no-build   use the existing target/deploy/isthmus.so (or $ISTHMUS_SO)
#   scripts/test-anchor.sh -- -g fee    extra arguments after `--` go to mocha
#   ISTHMUS_FEATURES=all scripts/test-anchor.sh   every runtime feature (default: mainnet-beta's)
#   scripts/test-anchor.sh --validator URL [--keypair FILE]
#                                       the program suite against the program deployed on a
#                                       validator instead (scripts/test-anchor-validator.sh; no build)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "${1:-}" = "--validator" ]; then
  [ $# -ge 2 ] || { echo "test-anchor: --validator needs a URL" >&2; exit 2; }
  url="$2"; shift 2
  exec "$ROOT/scripts/test-anchor-validator.sh" --url "$url" "$@"
fi
build=1
if [ "${1:-}" = "--no-build" ]; then build=0; shift; fi
[ "${1:-}" = "--" ] && shift
command -v npm >/dev/null || { echo "test-anchor: needs node and npm (node 20 or newer)" >&2; exit 1; }
if [ "$build" = 1 ] && [ -z "${ISTHMUS_SO:-}" ]; then
  "$ROOT/scripts/build-program.sh"
fi
# The mainnet-beta feature list (ISTHMUS_FEATURES=mainnet, the default), from the Rust side's
# LiteSVM: the built binary when there is one, else built now.
features="${ISTHMUS_MAINNET_FEATURES:-$ROOT/target/mainnet-features.json}"
if [ -z "${ISTHMUS_MAINNET_FEATURES:-}" ]; then
  mkdir -p "$ROOT/target"
  bin="${CARGO_TARGET_DIR:-$ROOT/target}/release/mainnet-features"
  if [ -x "$bin" ]; then "$bin" > "$features"
  else cargo run -q --release --manifest-path "$ROOT/Cargo.toml" -p isthmus-svm --bin mainnet-features > "$features"
  fi
fi
export ISTHMUS_MAINNET_FEATURES="$features"
cd "$ROOT/tests/anchor"
npm ci --no-audit --no-fund --loglevel=error
npm test -- "$@"
