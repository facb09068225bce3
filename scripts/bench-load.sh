#!/usr/bin/env bash
# Load benchmark, rpc-proxy side by side with anvil (tests/load/bench.mjs): 8 concurrent senders,
# each its own dev account, send pre-signed ETH transfers then ERC-20 transfers (50 each, or as many
# as fit in the phase limit), a receipt awaited before the next; then, open loop, 200 ETH transfers
# each without waiting for receipts; then eth_call balanceOf with 1, then 16, concurrent clients (and their ratio). Prints a markdown
# table (tx/s, receipt latency p50/p99, calls/s, ratio rpc-proxy / anvil) and the problems found:
# every accepted transaction must have a receipt with status 1, each sender's nonces gap-free,
# balances exact. Exits 1 if a check failed on either endpoint.
#
#   scripts/bench-load.sh                      starts anvil --chain-id 1337 and rpc-proxy --ephemeral
#   scripts/bench-load.sh --proxy-url URL      uses a running rpc-proxy (or any endpoint) instead
#   scripts/bench-load.sh --no-anvil           rpc-proxy alone
#   scripts/bench-load.sh -- --txs 20 --window 4 --phase-seconds 20   options for bench.mjs
#   scripts/bench-load.sh --rss 100000         rpc-proxy alone: its resident memory (VmRSS) before,
#                                              during and after 100,000 ETH transfers (open loop)
#
# Environment: RPC_PROXY_BIN (default ${CARGO_TARGET_DIR:-target}/release/rpc-proxy, not built
# here), ISTHMUS_SO (passed to rpc-proxy), BENCH_PORT (default: a free port; anvil gets BENCH_PORT+1),
# BENCH_OUT (default target/bench-load: results.json, results.md, the nodes' logs).
# Every phase has a time limit (--phase-seconds, 30 s by default), so a run takes at most ~3 min.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
proxy_url=""; anvil=1; rss=0
while [ $# -gt 0 ]; do
  case "$1" in
    --proxy-url) proxy_url="$2"; shift ;;
    --no-anvil) anvil=0 ;;
    --rss) rss="$2"; anvil=0; shift ;;
    --) shift; break ;;
    *) echo "bench-load: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
command -v npm >/dev/null || { echo "bench-load: needs node and npm (node 20 or newer)" >&2; exit 1; }
(cd tests/load && npm ci --no-audit --no-fund --loglevel=error) || exit 1

source "$ROOT/scripts/lib/free-port.sh"
PORT="${BENCH_PORT:-$(free_port)}"
OUT="${BENCH_OUT:-$ROOT/target/bench-load}"
mkdir -p "$OUT"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; }
trap cleanup EXIT

wait_ready() { # wait_ready URL PID LOG NAME
  for _ in $(seq 1 240); do
    curl -sf -H 'content-type: application/json' \
      -d '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "$1" >/dev/null && return 0
    if ! kill -0 "$2" 2>/dev/null; then echo "bench-load: $4 exited:" >&2; cat "$3" >&2; exit 1; fi
    sleep 0.5
  done
  echo "bench-load: $4 not ready at $1" >&2; exit 1
}

targets=()
if [ "$anvil" = 1 ]; then
  tests/load/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil \
    --chain-id 1337 --port $((PORT + 1)) >"$OUT/anvil.log" 2>&1 &
  anvil_pid=$!
  PIDS+=($!)
  wait_ready "http://127.0.0.1:$((PORT + 1))" "$!" "$OUT/anvil.log" anvil
  targets+=(--target "anvil=http://127.0.0.1:$((PORT + 1))" --pid "anvil=$anvil_pid")
fi
if [ -z "$proxy_url" ]; then
  BIN="${RPC_PROXY_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/rpc-proxy}"
  [ -x "$BIN" ] || { echo "bench-load: $BIN not built (cargo build --release -p rpc-proxy)" >&2; exit 1; }
  "$BIN" --ephemeral --port "$PORT" >"$OUT/rpc-proxy.log" 2>&1 &
  PIDS+=($!)
  proxy_pid=$!
  proxy_url="http://127.0.0.1:$PORT"
  wait_ready "$proxy_url" "$!" "$OUT/rpc-proxy.log" rpc-proxy
fi
targets+=(--target "rpc-proxy=$proxy_url")
[ -n "${proxy_pid:-}" ] && targets+=(--pid "rpc-proxy=$proxy_pid")
if [ "$rss" != 0 ]; then
  [ -n "${proxy_pid:-}" ] || { echo "bench-load: --rss starts its own rpc-proxy (no --proxy-url)" >&2; exit 2; }
  targets+=(--rss-txs "$rss" --rss-pid "$proxy_pid")
fi

node tests/load/bench.mjs "${targets[@]}" --json "$OUT/results.json" "$@" | tee "$OUT/results.md"
status=${PIPESTATUS[0]}
echo "bench-load: results in $OUT (results.md, results.json, logs)"
exit "$status"
