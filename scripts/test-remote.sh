#!/usr/bin/env bash
# rpc-proxy against a real local validator: starts solana-test-validator on a fresh ledger, deploys
# and initializes the program (scripts/deploy-local.sh, a new payer that is also the operator),
# starts rpc-proxy --solana-url with that operator (development accounts funded by it), then runs
# against it the ethers v6 end-to-end suite (tests/e2e) and the SIGKILL-restart tests
# (rpc-proxy/tests/restart.rs, cluster_restart.rs) and BLOCKHASH's (blockhash.rs). Ends with a table of every relayed Ethereum transaction: how it
# went (execute / holder / steps), its Solana transactions, compute units and latency.
#
#   scripts/test-remote.sh              uses target/deploy/isthmus.so; builds rpc-proxy if stale
#
# Environment: SOLANA_TEST_VALIDATOR (default ~/.cache/agave/bin/solana-test-validator;
# docs/deploy-local-validator.md says how to build it), CARGO_TARGET_DIR, REMOTE_RPC_PORT
# (default 8899), E2E_TESTS (default: the ethers, web3.js and viem suites), KEEP=1 (leave the validator running),
# REMOTE_OPERATORS (default 3: the payer and two more keys, airdropped; rpc-proxy relays through
# all of them, several senders' transactions in flight at once).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VALIDATOR="${SOLANA_TEST_VALIDATOR:-$HOME/.cache/agave/bin/solana-test-validator}"
[ -x "$VALIDATOR" ] || { echo "test-remote: $VALIDATOR missing (docs/deploy-local-validator.md)" >&2; exit 1; }
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
BIN="$TARGET/release/rpc-proxy"
cargo build --release -p rpc-proxy
RPC_PORT="${REMOTE_RPC_PORT:-8899}"
URL="http://127.0.0.1:$RPC_PORT"
WORK="$(mktemp -d -t isthmus-remote.XXXXXX)"
KEY="$WORK/operator.json"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do
    [ "${KEEP:-0}" = 1 ] && [ "$p" = "${VALIDATOR_PID:-}" ] && continue
    kill "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true # (not the kept validator: KEEP=1 would wait for it forever)
  done
}
trap cleanup EXIT

( cd tests/anchor && { [ -d node_modules/@solana/web3.js ] || npm ci --no-audit --no-fund --loglevel=error; } )
PUBKEY="$(cd tests/anchor && node -e '
  const { Keypair } = require("@solana/web3.js");
  const k = Keypair.generate();
  require("fs").writeFileSync(process.argv[1], JSON.stringify(Array.from(k.secretKey)), { mode: 0o600 });
  process.stdout.write(k.publicKey.toBase58());' "$KEY")"

echo "== solana-test-validator on $URL (ledger $WORK/ledger, mint $PUBKEY)"
"$VALIDATOR" --reset --quiet --ledger "$WORK/ledger" --mint "$PUBKEY" --bind-address 127.0.0.1 \
  --rpc-port "$RPC_PORT" >"$WORK/validator.log" 2>&1 &
VALIDATOR_PID=$!
PIDS+=("$VALIDATOR_PID")
for _ in $(seq 1 120); do
  if curl -sf -H 'content-type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"getHealth"}' "$URL" | grep -q '"ok"'; then
    break
  fi
  kill -0 "$VALIDATOR_PID" 2>/dev/null || { echo "test-remote: the validator exited" >&2; cat "$WORK/validator.log" >&2; exit 1; }
  sleep 1
done

echo "== ${REMOTE_OPERATORS:-3} operators"
OPERATOR_ARGS=(--operator "$PUBKEY")
KEY_ARGS=(--operator-keypair "$KEY")
for i in $(seq 2 "${REMOTE_OPERATORS:-3}"); do
  key="$WORK/operator-$i.json"
  pubkey="$(cd tests/anchor && node -e '
    const { Keypair, Connection, LAMPORTS_PER_SOL } = require("@solana/web3.js");
    (async () => {
      const k = Keypair.generate();
      require("fs").writeFileSync(process.argv[1], JSON.stringify(Array.from(k.secretKey)), { mode: 0o600 });
      const c = new Connection(process.argv[2], "confirmed");
      await c.confirmTransaction(await c.requestAirdrop(k.publicKey, 1000 * LAMPORTS_PER_SOL), "confirmed");
      process.stdout.write(k.publicKey.toBase58());
    })().catch((e) => { console.error(e); process.exit(1); });' "$key" "$URL")"
  OPERATOR_ARGS+=(--operator "$pubkey")
  KEY_ARGS+=(--operator-keypair "$key")
  echo "operator $i: $pubkey"
done

echo "== deploy and initialize"
started=$(date +%s)
# The operator bears the Solana costs here, so the clients see Ethereum's gas figures as against
# the embedded chain (a cluster deployment charges them to senders by default).
scripts/deploy-local.sh --no-build --url "$URL" --keypair "$KEY" --operator-pays-solana-costs \
  "${OPERATOR_ARGS[@]}"
echo "deployed in $(( $(date +%s) - started )) s"

echo "== rpc-proxy --solana-url $URL"
source "$ROOT/scripts/lib/free-port.sh"
PORT="$(free_port)"
"$BIN" --solana-url "$URL" "${KEY_ARGS[@]}" --fund-dev-accounts --unlock-dev-accounts \
  --data-dir "$WORK/proxy" --port "$PORT" >"$WORK/proxy.log" 2>&1 &
PIDS+=("$!")
for _ in $(seq 1 300); do
  if curl -sf -H 'content-type: application/json' \
    -d '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "http://127.0.0.1:$PORT" >/dev/null; then
    break
  fi
  sleep 1
done

status=0
echo "== tests/e2e (${E2E_TESTS:-ethers.test.mjs web3.test.mjs viem.test.mjs}) against it"
( cd tests/e2e && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; } \
  && RPC_URL="http://127.0.0.1:$PORT" node --test --test-timeout=600000 ${E2E_TESTS:-ethers.test.mjs web3.test.mjs viem.test.mjs} ) || status=1

echo "== the restart, cluster-restart and BLOCKHASH tests against the validator"
ISTHMUS_TEST_SOLANA_URL="$URL" ISTHMUS_TEST_OPERATOR_KEYPAIR="$KEY" \
  cargo test --release -p rpc-proxy --test restart --test cluster_restart --test blockhash \
  -- --nocapture --test-threads 1 || status=1

echo "== relayed Ethereum transactions (rpc-proxy's log)"
echo "| path | Solana txs | compute units | latency ms | gas |"
echo "| --- | ---: | ---: | ---: | ---: |"
sed 's/\x1b\[[0-9;]*m//g' "$WORK/proxy.log" | grep ' relayed ' | \
  sed -E 's/.*gas_used=([0-9]+) path=([A-Za-z]+) solana_txs=([0-9]+) cu=([0-9]+) ms=([0-9]+).*/| \2 | \3 | \4 | \5 | \1 |/' || true
echo "logs: $WORK"
exit $status
