#!/usr/bin/env bash
# Builds the probe program for SBF and runs tools/cu-probe (LiteSVM) on it: prints the compute
# units isthmus-evm spends per EVM opcode. The first build of the tool takes ~8 minutes (litesvm).
# Extra arguments go to cu-probe.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/build-sbf.sh"
cd "$ROOT"
cargo run --quiet --release -p cu-probe -- "$@"
