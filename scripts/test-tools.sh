#!/usr/bin/env bash
# Ethereum developer tools against an endpoint: tests/hardhat (Hardhat 2: mocha tests, deploy
# script), tests/hardhat-sample (Hardhat's sample project and the network helpers on the URL-only
# `localhost` network, signed by the node's accounts) and tests/foundry (forge test, forge script
# --broadcast, cast checks).
#
#   RPC_URL=http://127.0.0.1:8545 scripts/test-tools.sh   against a running endpoint
#   scripts/test-tools.sh                 starts rpc-proxy --ephemeral (already built) on a free port
#   scripts/test-tools.sh --build         builds the .so and rpc-proxy first (as scripts/test-e2e.sh)
#   scripts/test-tools.sh --anvil         starts anvil (npm @foundry-rs/anvil) --chain-id 1337 instead:
#                                         checks the tests themselves against a reference node
#   --only hardhat|foundry                runs one project
#
# Environment: RPC_PROXY_BIN (default ${CARGO_TARGET_DIR:-target}/release/rpc-proxy), ISTHMUS_SO
# (passed to rpc-proxy), TOOLS_PORT (default: a free port). Node 20+ and npm needed; `npm ci` installs
# hardhat, forge, cast, anvil and solc-js from the npm registry (no compiler download).
# Prints one "ok"/"not ok" line per step and "tools: N passed, M failed"; exits 1 on any failure.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
build=0; node=proxy; only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=1 ;;
    --anvil) node=anvil ;;
    --only) only="$2"; shift ;;
    *) echo "test-tools: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
command -v npm >/dev/null || { echo "test-tools: needs node and npm (node 20 or newer)" >&2; exit 1; }
command -v jq >/dev/null || { echo "test-tools: needs jq (apt-get install jq)" >&2; exit 1; }

npm_ci() { (cd "$1" && npm ci --no-audit --no-fund --loglevel=error) || { echo "test-tools: npm ci in $1 failed" >&2; exit 1; }; }
[ "$only" != hardhat ] && npm_ci tests/foundry
[ "$only" != foundry ] && npm_ci tests/hardhat && npm_ci tests/hardhat-sample

source "$ROOT/scripts/lib/free-port.sh"
PORT="${TOOLS_PORT:-$(free_port)}"
LOG=""
SERVER=""
cleanup() { if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null; fi; }
trap cleanup EXIT
if [ -z "${RPC_URL:-}" ]; then
  LOG="$(mktemp -t test-tools-node.XXXXXX.log)"
  if [ "$node" = anvil ]; then
    [ -d tests/foundry/node_modules ] || npm_ci tests/foundry
    tests/foundry/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil \
      --chain-id 1337 --port "$PORT" >"$LOG" 2>&1 &
    SERVER=$!
  else
    if [ "$build" = 1 ]; then
      scripts/build-program.sh && cargo build --release -p rpc-proxy || exit 1
    fi
    BIN="${RPC_PROXY_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/rpc-proxy}"
    [ -x "$BIN" ] || { echo "test-tools: $BIN not built (cargo build --release -p rpc-proxy, or --build)" >&2; exit 1; }
    "$BIN" --ephemeral --port "$PORT" >"$LOG" 2>&1 &
    SERVER=$!
  fi
  RPC_URL="http://127.0.0.1:$PORT"
  for _ in $(seq 1 240); do
    if curl -sf -H 'content-type: application/json' \
      -d '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "$RPC_URL" >/dev/null; then
      break
    fi
    if ! kill -0 "$SERVER" 2>/dev/null; then echo "test-tools: $node exited:" >&2; cat "$LOG" >&2; exit 1; fi
    sleep 0.5
  done
fi
export RPC_URL
echo "# test-tools: against $RPC_URL ($([ -n "$SERVER" ] && echo "$node started here" || echo "given"))"

pass=0; fail=0
step() { # step NAME DIR COMMAND...
  local name="$1" dir="$2"; shift 2
  echo "# --- $name"
  if (cd "$dir" && "$@"); then echo "ok - $name"; pass=$((pass + 1)); else echo "not ok - $name"; fail=$((fail + 1)); fi
}
if [ "$only" != foundry ]; then
  step "hardhat test --network isthmus" tests/hardhat npx hardhat test --network isthmus
  step "hardhat run scripts/deploy.js --network isthmus" tests/hardhat npx hardhat run scripts/deploy.js --network isthmus
  step "hardhat sample project: hardhat test --network localhost" tests/hardhat-sample npx hardhat test --network localhost
fi
if [ "$only" != hardhat ]; then
  step "foundry: forge test, forge script --broadcast, cast (tests/foundry/run.sh)" tests/foundry ./run.sh
fi
[ -n "$LOG" ] && echo "# $node's log: $LOG"
echo "tools: $pass passed, $fail failed"
[ "$fail" = 0 ]
