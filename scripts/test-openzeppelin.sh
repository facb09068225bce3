#!/usr/bin/env bash
# OpenZeppelin Contracts' own test suite (Hardhat 2, its network helpers, a URL-only `localhost`
# network) against rpc-proxy's embedded chain, or against anvil with --anvil, in the same way.
#
#   scripts/test-openzeppelin.sh OZ_DIR [--anvil] [--no-build] [test files or mocha args...]
#
# OZ_DIR is a checkout of OpenZeppelin Contracts v5.6.1 (the last release on Hardhat 2):
#   git clone --depth 1 -b v5.6.1 https://github.com/OpenZeppelin/openzeppelin-contracts OZ_DIR
# It is not fetched here (CI reaches only package registries), so this is run by hand; the
# figures of the last run are in tests/openzeppelin/README.md.
#
# What it changes in the checkout: npm packages installed (npm ci, and npm's solc-js of the
# version the project compiles with, as Hardhat cannot download compilers here) and one file
# added, hardhat.isthmus.config.js (tests/openzeppelin/): the project's own config plus the
# offline compiler and `localhost` at the node's URL. The suite itself is run unchanged.
# The node: rpc-proxy --ephemeral --disable-code-size-limit (the project's mocks exceed 24 KB, as
# its Hardhat config allows), or anvil --hardfork osaka --disable-code-size-limit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -ge 1 ] || { sed -n 2,17p "$0" >&2; exit 2; }
OZ="$(cd "$1" && pwd)"
shift
node_kind=rpc-proxy
build=1
args=()
for arg in "$@"; do
  case "$arg" in
    --anvil) node_kind=anvil; build=0 ;;
    --no-build) build=0 ;;
    *) args+=("$arg") ;;
  esac
done

cd "$OZ"
[ -f hardhat.config.js ] || { echo "test-openzeppelin: $OZ has no hardhat.config.js" >&2; exit 1; }
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
SOLC="$(sed -n "s/.*default: '\(0\.8\.[0-9]*\)'.*/\1/p" hardhat.config.js | head -1)"
[ -n "$SOLC" ] || { echo "test-openzeppelin: no compiler version in hardhat.config.js" >&2; exit 1; }
node -e "process.exit(require('solc/package.json').version === '$SOLC' ? 0 : 1)" 2>/dev/null ||
  npm install --no-save --no-audit --no-fund --loglevel=error "solc@$SOLC"
cp "$ROOT/tests/openzeppelin/hardhat.isthmus.config.js" .
export ISTHMUS_SOLC_OFFLINE="$ROOT/tests/hardhat/solc-offline.js"
HH=(npx hardhat --config hardhat.isthmus.config.js)
"${HH[@]}" compile

if [ "$build" = 1 ]; then
  (cd "$ROOT" && scripts/build-program.sh && cargo build --release -p rpc-proxy)
fi
source "$ROOT/scripts/lib/free-port.sh"
PORT="$(free_port)"
LOG="$(mktemp -t oz-node.XXXXXX.log)"
if [ "$node_kind" = anvil ]; then
  "$ROOT/tests/e2e/node_modules/.bin/anvil" --port "$PORT" --hardfork osaka \
    --disable-code-size-limit >"$LOG" 2>&1 &
else
  BIN="${RPC_PROXY:-${CARGO_TARGET_DIR:-$ROOT/target}/release/rpc-proxy}"
  ISTHMUS_SO="${ISTHMUS_SO:-$ROOT/target/deploy/isthmus.so}" \
    "$BIN" --ephemeral --port "$PORT" --disable-code-size-limit >"$LOG" 2>&1 &
fi
NODE_PID=$!
trap 'kill "$NODE_PID" 2>/dev/null || true' EXIT
export RPC_URL="http://127.0.0.1:$PORT"
for _ in $(seq 1 120); do
  curl -sf -H 'content-type: application/json' \
    -d '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "$RPC_URL" >/dev/null && break
  sleep 0.5
done
echo "test-openzeppelin: OpenZeppelin Contracts $(node -p "require('./package.json').version") against $node_kind at $RPC_URL (node log: $LOG)"
NODE_OPTIONS="--max-old-space-size=8192" "${HH[@]}" test --no-compile --network localhost "${args[@]}"
