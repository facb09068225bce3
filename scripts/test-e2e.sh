#!/usr/bin/env bash
# End-to-end: real Ethereum clients against an Ethereum JSON-RPC node on a free port: by default
# rpc-proxy (embedded LiteSVM with target/deploy/isthmus.so), or anvil (the reference) with
# --anvil. The clients (tests/e2e):
#
#   ethers    ethers v6 (npm)          tests/e2e/ethers.test.mjs
#   web3js    web3.js v4 (npm web3)    tests/e2e/web3.test.mjs
#   viem      viem (npm)               tests/e2e/viem.test.mjs
#   uniswap   Uniswap v2 from the npm artifacts, with ethers    tests/e2e/uniswap.test.mjs
#   rpc       raw JSON-RPC over fetch and WebSocket (batches, errors)   tests/e2e/rpc.test.mjs
#   osaka     solc 0.8.37's default (osaka) code with CLZ, EIP-7702 with viem and ethers
#             tests/e2e/osaka.test.mjs
#   web3py    web3.py (PyPI web3) with pytest, in tests/e2e/.venv   tests/e2e/python/
#
#   scripts/test-e2e.sh                    builds the .so (scripts/build-program.sh) and rpc-proxy
#   scripts/test-e2e.sh --no-build         uses target/deploy/isthmus.so and the built rpc-proxy
#   scripts/test-e2e.sh --anvil            runs the same tests against anvil (npm @foundry-rs/anvil)
#   scripts/test-e2e.sh --no-build viem    only the named clients
#
# Environment: CARGO_TARGET_DIR (where rpc-proxy is built), RPC_PROXY (its binary, overriding
# that), E2E_PORT (default: a free port), RPC_URL (test a node that is already running: starts none),
# E2E_CLIENT_TIMEOUT (seconds for one client's run, default 1200: a hang fails that client).
# Each test file sends from its own development account, so a client may be rerun against the
# same node; the tests read nothing specific to one node.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
build=1
node_kind=rpc-proxy
clients=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    --anvil) node_kind=anvil; build=0 ;;
    ethers | web3js | viem | uniswap | rpc | osaka | web3py) clients+=("$arg") ;;
    *) echo "test-e2e: unknown argument $arg" >&2; exit 2 ;;
  esac
done
[ "${#clients[@]}" = 0 ] && clients=(ethers web3js viem uniswap rpc osaka web3py)
[ -n "${RPC_URL:-}" ] && build=0

command -v npm >/dev/null || { echo "test-e2e: needs node and npm (node 20 or newer)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "test-e2e: needs python3 (3.9 or newer, with venv)" >&2; exit 1; }

E2E="$ROOT/tests/e2e"
(cd "$E2E" && npm ci --no-audit --no-fund --loglevel=error)

if [[ " ${clients[*]} " == *" web3py "* ]]; then
  if [ ! -x "$E2E/.venv/bin/python" ]; then
    python3 -m venv "$E2E/.venv" || {
      echo "test-e2e: python3 -m venv failed (Debian: apt-get install python3-venv)" >&2; exit 1; }
  fi
  "$E2E/.venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r "$E2E/python/requirements.txt"
fi

if [ "$build" = 1 ]; then
  scripts/build-program.sh
  cargo build --release -p rpc-proxy
fi

source "$ROOT/scripts/lib/free-port.sh"
PORT="${E2E_PORT:-$(free_port)}"
LOG="$(mktemp -t e2e-node.XXXXXX.log)"
NODE_PID=
cleanup() {
  if [ -n "$NODE_PID" ]; then kill "$NODE_PID" 2>/dev/null || true; wait "$NODE_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

call() { # method params-json: prints the JSON answer
  curl -sf -H 'content-type: application/json' \
    -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\",\"params\":$2}" "$RPC_URL"
}

if [ -n "${RPC_URL:-}" ]; then
  node_kind="the node at $RPC_URL"
else
  RPC_URL="http://127.0.0.1:$PORT"
  if [ "$node_kind" = anvil ]; then
    # The ten development accounts of `test ... junk`, unlocked as rpc-proxy has them (funded
    # again below, as rpc-proxy funds them).
    "$E2E/node_modules/.bin/anvil" --port "$PORT" --chain-id 1337 --hardfork osaka \
      >"$LOG" 2>&1 &
  else
    BIN="${RPC_PROXY:-${CARGO_TARGET_DIR:-$ROOT/target}/release/rpc-proxy}"
    [ -x "$BIN" ] || { echo "test-e2e: $BIN not built (cargo build --release -p rpc-proxy)" >&2; exit 1; }
    "$BIN" --ephemeral --port "$PORT" >"$LOG" 2>&1 &
  fi
  NODE_PID=$!
  for _ in $(seq 1 120); do
    call eth_chainId '[]' >/dev/null && break
    if ! kill -0 "$NODE_PID" 2>/dev/null; then
      echo "test-e2e: $node_kind exited:" >&2; cat "$LOG" >&2; exit 1
    fi
    sleep 0.5
  done
  call eth_chainId '[]' >/dev/null || { echo "test-e2e: $node_kind did not answer" >&2; cat "$LOG" >&2; exit 1; }
  if [ "$node_kind" = anvil ]; then
    for addr in 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 \
      0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC 0x90F79bf6EB2c4f870365E785982E1f101E93b906 \
      0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65 0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc \
      0x976EA74026E726554dB657fA54763abd0C3a0aa9 0x14dC79964da2C08b23698B3D3cc7Ca32193d9955 \
      0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f 0xa0Ee7A142d267C1f36714E4a8F75612F20a79720; do
      call anvil_setBalance "[\"$addr\",\"0x21e19e0c9bab2400000\"]" >/dev/null # 10000 ETH
    done
  fi
fi
export RPC_URL
echo "test-e2e: clients ${clients[*]} against $node_kind at $RPC_URL"

failed=()
for client in "${clients[@]}"; do
  echo "=== $client ==="
  case "$client" in
    web3py) cmd=("$E2E/.venv/bin/python" -m pytest -v -p no:cacheprovider python) ;;
    web3js) cmd=(node --test --test-reporter=spec web3.test.mjs) ;;
    *) cmd=(node --test --test-reporter=spec "$client.test.mjs") ;;
  esac
  if (cd "$E2E" && timeout "${E2E_CLIENT_TIMEOUT:-1200}" "${cmd[@]}"); then
    echo "=== $client: passed ==="
  else
    echo "=== $client: FAILED ===" >&2
    failed+=("$client")
  fi
done

echo "node log ($node_kind): $LOG"
if [ "${#failed[@]}" != 0 ]; then
  echo "test-e2e: FAILED against $node_kind: ${failed[*]} (passed: $((${#clients[@]} - ${#failed[@]})) of ${#clients[@]})" >&2
  [ -n "$NODE_PID" ] && { echo "--- last lines of the node's log ---" >&2; tail -n 40 "$LOG" >&2; }
  exit 1
fi
echo "test-e2e: all ${#clients[@]} clients passed against $node_kind: ${clients[*]}"
