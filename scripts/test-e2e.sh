#!/usr/bin/env bash
# End-to-end: starts rpc-proxy (embedded LiteSVM with target/deploy/isthmus.so) on a free port and
# runs tests/e2e (npm ethers v6: deploy an ERC-20, transfer, receipts, balances, reverts).
#
#   scripts/test-e2e.sh              builds the .so (scripts/build-program.sh) and rpc-proxy first
#   scripts/test-e2e.sh --no-build   uses target/deploy/isthmus.so and the built rpc-proxy
#
# Environment: CARGO_TARGET_DIR (where rpc-proxy is built), E2E_PORT (default 18545).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
build=1
[ "${1:-}" = "--no-build" ] && build=0
command -v npm >/dev/null || { echo "test-e2e: needs node and npm (node 20 or newer)" >&2; exit 1; }
if [ "$build" = 1 ]; then
  scripts/build-program.sh
  cargo build --release -p rpc-proxy
fi
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/rpc-proxy"
[ -x "$BIN" ] || { echo "test-e2e: $BIN not built (cargo build --release -p rpc-proxy)" >&2; exit 1; }
PORT="${E2E_PORT:-18545}"
LOG="$(mktemp -t rpc-proxy.XXXXXX.log)"

"$BIN" --ephemeral --port "$PORT" >"$LOG" 2>&1 &
PROXY=$!
trap 'kill "$PROXY" 2>/dev/null || true; wait "$PROXY" 2>/dev/null || true' EXIT

for _ in $(seq 1 120); do
  if curl -sf -H 'content-type: application/json' \
    -d '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "http://127.0.0.1:$PORT" >/dev/null; then
    break
  fi
  if ! kill -0 "$PROXY" 2>/dev/null; then
    echo "test-e2e: rpc-proxy exited:" >&2; cat "$LOG" >&2; exit 1
  fi
  sleep 0.5
done

cd tests/e2e
npm ci --no-audit --no-fund --loglevel=error
if ! RPC_URL="http://127.0.0.1:$PORT" npm test; then
  echo "test-e2e: failed; rpc-proxy's log:" >&2; cat "$LOG" >&2; exit 1
fi
echo "rpc-proxy's log: $LOG"
