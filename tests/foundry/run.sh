#!/usr/bin/env bash
# Foundry against an Ethereum JSON-RPC endpoint ($RPC_URL, chain id 1337, dev accounts funded):
#   1. forge test (locally, forge's own EVM)
#   2. forge script script/Deploy.s.sol --broadcast --rpc-url $RPC_URL (deploy Counter(7),
#      increment(), setNumber(100))
#   3. cast: chain-id, balance, nonce, call, send (+ --value), receipt, a reverting send, logs
#   4. without keys: forge script --broadcast --unlocked --sender, cast send --unlocked (the node's
#      accounts), an impersonated contract (anvil_impersonateAccount), cast run <tx>
# Each check prints "ok - ..." or "not ok - ..."; the last line is "N passed, M failed".
# Needs `npm ci` here first (forge, cast, solc-js).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
RPC_URL="${RPC_URL:-http://127.0.0.1:8545}"
TIMEOUT="${TOOL_TIMEOUT:-180}"   # seconds for one forge/cast command
BIN="$PWD/node_modules/@foundry-rs"
forge() { timeout "$TIMEOUT" "$BIN/forge-linux-amd64/bin/forge" "$@"; }
cast() { timeout "$TIMEOUT" "$BIN/cast-linux-amd64/bin/cast" "$@"; }
[ -x "$BIN/forge-linux-amd64/bin/forge" ] || { echo "foundry: run npm ci in tests/foundry first" >&2; exit 1; }

KEY0=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
ADDR0=0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266
KEY1=0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d
ADDR1=0x70997970C51812dc3A010C7d01b50e0d17dc79C8

pass=0; fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
notok() { echo "not ok - $1"; [ -n "${2:-}" ] && sed 's/^/    # /' <<<"$2" | tail -n 15; fail=$((fail + 1)); }
# check NAME EXPECTED ACTUAL
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1" "expected: $2"$'\n'"actual:   $3"; fi; }
finish() { echo "foundry: $pass passed, $fail failed"; [ "$fail" = 0 ]; exit $?; }

# 1. forge test, local
if out=$(forge test 2>&1); then ok "forge test (local): $(grep -o '[0-9]* tests passed.*' <<<"$out" | head -1)"; else notok "forge test (local)" "$out"; fi

# 2. forge script --broadcast against the endpoint
check "cast chain-id" 1337 "$(cast chain-id --rpc-url "$RPC_URL" 2>&1)"
rm -rf broadcast
if out=$(forge script script/Deploy.s.sol:Deploy --broadcast --rpc-url "$RPC_URL" --private-key "$KEY0" 2>&1); then
  ok "forge script Deploy --broadcast"
else
  notok "forge script Deploy --broadcast" "$out"
fi
RUN=broadcast/Deploy.s.sol/1337/run-latest.json
if [ -f "$RUN" ]; then
  COUNTER=$(jq -r '[.transactions[] | select(.transactionType == "CREATE")][0].contractAddress' "$RUN" 2>/dev/null)
  check "broadcast: 3 transactions, 3 receipts with status 1" "3 3" \
    "$(jq -r '"\(.transactions | length) \([.receipts[] | select(.status == "0x1")] | length)"' "$RUN" 2>&1)"
else
  # The script failed before broadcasting: deploy the same state (Counter(7), increment(),
  # setNumber(100)) with legacy transactions so that the checks below still run. The failure
  # above stands; this only keeps the rest of the run informative.
  echo "# fallback: deploying with cast send --legacy --create"
  code=$(jq -r .bytecode.object out/Counter.sol/Counter.json)
  COUNTER=$(cast send --legacy --private-key "$KEY0" --rpc-url "$RPC_URL" --json --create "$code" 'constructor(uint256)' 7 2>&1 | jq -r .contractAddress 2>/dev/null)
  if [[ ! "$COUNTER" =~ ^0x[0-9a-fA-F]{40}$ ]]; then notok "fallback deploy (cast send --legacy --create)" "$COUNTER"; finish; fi
  cast send --legacy --private-key "$KEY0" --rpc-url "$RPC_URL" "$COUNTER" 'increment()' >/dev/null 2>&1
  cast send --legacy --private-key "$KEY0" --rpc-url "$RPC_URL" "$COUNTER" 'setNumber(uint256)' 100 >/dev/null 2>&1
fi
echo "# Counter at $COUNTER"
code=$(cast code "$COUNTER" --rpc-url "$RPC_URL" 2>&1)
if [ "${#code}" -gt 100 ]; then ok "cast code: runtime code deployed"; else notok "cast code" "$code"; fi
check "cast call number() after the script" 100 "$(cast call "$COUNTER" 'number()(uint256)' --rpc-url "$RPC_URL" 2>&1)"
check "cast call owner()" "$ADDR0" "$(cast call "$COUNTER" 'owner()(address)' --rpc-url "$RPC_URL" 2>&1)"

# 3. cast send + receipt
nonce_before=$(cast nonce "$ADDR1" --rpc-url "$RPC_URL" 2>&1)
if out=$(cast send "$COUNTER" 'increment()' --private-key "$KEY1" --rpc-url "$RPC_URL" --json 2>&1); then
  tx=$(jq -r .transactionHash <<<"$out" 2>/dev/null)
  check "cast send increment(): status" 1 "$(jq -r '.status' <<<"$out" | xargs printf '%d')"
  receipt=$(cast receipt "$tx" --json --rpc-url "$RPC_URL" 2>&1)
  check "cast receipt $tx: status 0x1" 0x1 "$(jq -r .status <<<"$receipt" 2>/dev/null || echo "$receipt")"
  check "cast receipt: 1 log, from the counter" "1 $(tr 'A-F' 'a-f' <<<"$COUNTER")" \
    "$(jq -r '"\(.logs | length) \(.logs[0].address)"' <<<"$receipt" 2>/dev/null)"
  check "cast receipt: log is Incremented(by=ADDR1, 101)" \
    "$(cast keccak 'Incremented(address,uint256)') $(cast to-uint256 "$ADDR1" 2>/dev/null | tr 'A-F' 'a-f') $(cast to-uint256 101)" \
    "$(jq -r '.logs[0] | "\(.topics[0]) \(.topics[1]) \(.data)"' <<<"$receipt" 2>/dev/null)"
  check "cast tx $tx: from" "$(tr 'A-F' 'a-f' <<<"$ADDR1")" "$(cast tx "$tx" from --rpc-url "$RPC_URL" 2>&1 | tr 'A-F' 'a-f')"
else
  notok "cast send increment()" "$out"
fi
check "cast call number() after increment" 101 "$(cast call "$COUNTER" 'number()(uint256)' --rpc-url "$RPC_URL" 2>&1)"
check "cast nonce: +1" "$((nonce_before + 1))" "$(cast nonce "$ADDR1" --rpc-url "$RPC_URL" 2>&1)"

# value transfer into the contract
if out=$(cast send "$COUNTER" 'deposit()' --value 1.5ether --private-key "$KEY1" --rpc-url "$RPC_URL" --json 2>&1) \
  && [ "$(jq -r .status <<<"$out")" = 0x1 ]; then
  ok "cast send deposit() --value 1.5ether"
else
  notok "cast send deposit() --value 1.5ether" "$out"
fi
check "cast balance of the counter" 1500000000000000000 "$(cast balance "$COUNTER" --rpc-url "$RPC_URL" 2>&1)"
check "cast call deposits(ADDR1)" "1500000000000000000 [1.5e18]" \
  "$(cast call "$COUNTER" 'deposits(address)(uint256)' "$ADDR1" --rpc-url "$RPC_URL" 2>&1)"

# reverts: a custom error from eth_call / eth_estimateGas, decoded by selector
out=$(cast call "$COUNTER" 'setNumber(uint256)' 5 --from "$ADDR1" --rpc-url "$RPC_URL" 2>&1)
want="$(cast calldata 'NotOwner(address)' "$ADDR1" | tr 'A-F' 'a-f')"
if grep -qi "${want}" <<<"$out" || grep -q "NotOwner" <<<"$out"; then ok "cast call setNumber from non-owner reverts NotOwner(ADDR1)"; else notok "cast call reverting" "$out"; fi
out=$(cast send "$COUNTER" 'setNumber(uint256)' 5 --private-key "$KEY1" --rpc-url "$RPC_URL" 2>&1)
if [ $? -ne 0 ] && grep -qi "revert" <<<"$out"; then ok "cast send setNumber from non-owner is refused (revert)"; else notok "cast send reverting" "$out"; fi
check "cast call number() unchanged" 101 "$(cast call "$COUNTER" 'number()(uint256)' --rpc-url "$RPC_URL" 2>&1)"

# logs of the counter (eth_getLogs): Incremented x2 (script + send), NumberSet x1, Deposited x1
out=$(cast logs --from-block 0 --address "$COUNTER" --rpc-url "$RPC_URL" --json 2>&1)
check "cast logs --address counter: 4 logs" 4 "$(jq 'length' <<<"$out" 2>/dev/null || echo "$out")"
out=$(cast logs --from-block 0 --address "$COUNTER" 'Incremented(address indexed,uint256)' --rpc-url "$RPC_URL" --json 2>&1)
check "cast logs Incremented: 2 logs" 2 "$(jq 'length' <<<"$out" 2>/dev/null || echo "$out")"

# blocks
bn=$(cast block-number --rpc-url "$RPC_URL" 2>&1)
if [[ "$bn" =~ ^[0-9]+$ ]]; then ok "cast block-number: $bn"; else notok "cast block-number" "$bn"; fi
h=$(cast block latest hash --rpc-url "$RPC_URL" 2>&1)
check "cast block <hash> (eth_getBlockByHash): same number" "$(cast block latest number --rpc-url "$RPC_URL" 2>&1)" \
  "$(cast block "$h" number --rpc-url "$RPC_URL" 2>&1)"

# 4. without keys: the node signs for its accounts, and for an address it impersonates
ADDR2=0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC
rm -rf broadcast/DeployUnlocked.s.sol
if out=$(forge script script/DeployUnlocked.s.sol:DeployUnlocked --broadcast --unlocked --sender "$ADDR2" --rpc-url "$RPC_URL" 2>&1); then
  RUN=broadcast/DeployUnlocked.s.sol/1337/run-latest.json
  check "forge script --broadcast --unlocked --sender: 2 receipts with status 1" 2 \
    "$(jq -r '[.receipts[] | select(.status == "0x1")] | length' "$RUN" 2>&1)"
else
  notok "forge script --broadcast --unlocked --sender" "$out"
fi
TO=0x00000000000000000000000000000000000000E5
if out=$(cast send --unlocked --from "$ADDR2" "$TO" --value 3 --rpc-url "$RPC_URL" --json 2>&1) \
  && [ "$(jq -r .status <<<"$out")" = 0x1 ]; then
  ok "cast send --unlocked --from a node account"
  SENT=$(jq -r .transactionHash <<<"$out")
else
  notok "cast send --unlocked --from a node account" "$out"
  SENT=""
fi
# The counter itself sends (it holds code): impersonated, as tests act as an EntryPoint or a proxy.
cast rpc anvil_setBalance "$COUNTER" 0xde0b6b3a7640000 --rpc-url "$RPC_URL" >/dev/null 2>&1
cast rpc anvil_impersonateAccount "$COUNTER" --rpc-url "$RPC_URL" >/dev/null 2>&1
if out=$(cast send --unlocked --from "$COUNTER" "$TO" --value 4 --rpc-url "$RPC_URL" --json 2>&1) \
  && [ "$(jq -r .status <<<"$out")" = 0x1 ] \
  && [ "$(jq -r .from <<<"$out" | tr 'A-F' 'a-f')" = "$(tr 'A-F' 'a-f' <<<"$COUNTER")" ]; then
  ok "cast send --unlocked --from an impersonated contract"
else
  notok "cast send --unlocked --from an impersonated contract" "$out"
fi
cast rpc anvil_stopImpersonatingAccount "$COUNTER" --rpc-url "$RPC_URL" >/dev/null 2>&1
check "cast balance after the unlocked sends" 7 "$(cast balance "$TO" --rpc-url "$RPC_URL" 2>&1)"
# cast run replays a mined transaction locally on the state before it.
if [ -n "$SENT" ] && out=$(cast run "$SENT" --rpc-url "$RPC_URL" 2>&1); then
  ok "cast run <tx>"
else
  notok "cast run <tx>" "${out:-no transaction}"
fi

finish
