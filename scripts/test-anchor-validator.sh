#!/usr/bin/env bash
# Runs the Anchor TypeScript suite (tests/anchor/tests/isthmus.test.ts) against the program
# deployed on a running validator, over JSON-RPC: every instruction through the IDL, with the
# config that exists (scripts/deploy-local.sh initializes it: the wallet must be an operator).
# Tests that need what only LiteSVM can do have a validator variant or are skipped with the reason
# printed (and listed at the end of the run).
#
#   scripts/test-anchor-validator.sh [--url URL] [--keypair FILE] [-- mocha args]
#       --url      RPC URL (default $ANCHOR_PROVIDER_URL, else http://127.0.0.1:8899)
#       --keypair  the wallet: an operator of the config (default $ANCHOR_WALLET, else
#                  ~/.config/solana/id.json)
#       --shim     instead of a validator, src/rpc-shim.ts (a LiteSVM behind HTTP, in-process)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
url="${ANCHOR_PROVIDER_URL:-http://127.0.0.1:8899}"
wallet="${ANCHOR_WALLET:-$HOME/.config/solana/id.json}"
target=validator
while [ $# -gt 0 ]; do
  case "$1" in
    --url) url="$2"; shift 2 ;;
    --keypair) wallet="$2"; shift 2 ;;
    --shim) target=shim; shift ;;
    --) shift; break ;;
    *) echo "test-anchor-validator: unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v npm >/dev/null || { echo "test-anchor-validator: needs node and npm (node 20 or newer)" >&2; exit 1; }
case "$wallet" in /*) ;; *) wallet="$PWD/$wallet" ;; esac
cd "$ROOT/tests/anchor"
[ -d node_modules/@coral-xyz/anchor ] || npm ci --no-audit --no-fund --loglevel=error
ANCHOR_PROVIDER_URL="$url" ANCHOR_WALLET="$wallet" ISTHMUS_TARGET="$target" \
  exec npx mocha --config .mocharc.rpc.json "$@"
